"""A manifest that lists a file many times costs one read of that file, not one per line (a 1 MiB manifest
holds ~12,000 lines: re-hashing the disk for each would take hours)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.unit.sources.test_realworld_ovf import ovftool_export
from wizard.core.progress import ProgressEvent
from wizard.sources.ovf import OvfSource


def _verify_totals(ovf: Path) -> list[ProgressEvent]:
    events: list[ProgressEvent] = []
    OvfSource(ovf).discover(progress=events.append)
    return [e for e in events if e.stage == "verify manifest"]


def test_each_listed_file_is_read_once_however_often_the_manifest_repeats_it(tmp_path: Path) -> None:
    ovf = ovftool_export(tmp_path / "exp", disk=None)
    manifest = ovf.with_suffix(".mf")
    lines = manifest.read_text().splitlines()
    disk_line = next(line for line in lines if "vmdk" in line)
    sha1 = hashlib.sha1((ovf.parent / "web01-disk1.vmdk").read_bytes()).hexdigest()
    manifest.write_text("\n".join(lines + [disk_line] * 3000 + [f"SHA1(web01-disk1.vmdk)= {sha1}"] * 50) + "\n")
    events = _verify_totals(ovf)
    read = ovf.stat().st_size + (ovf.parent / "web01-disk1.vmdk").stat().st_size
    assert events and events[-1].total == read and events[-1].done == read  # one pass over each file


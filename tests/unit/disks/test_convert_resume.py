"""Block-range resume: a conversion killed half-way goes on from its last checkpoint, and the result is whole."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fixtures.crash import crash_at_third_checkpoint, journalled_source
from tests.fixtures.disks import qemu_compare, qemu_img, scattered_vmdk
from tests.unit.disks.test_vmdk_helpers import content_digest_of_file
from wizard.disks.convert import ConvertOptions, convert
from wizard.disks.detect import open_image
from wizard.disks.resume import Checkpoints

MiB = 1024 * 1024
SIZE = 96 * MiB

# Converts with a checkpoint every 8 MiB (the child dies after the third).
CONVERT = """
from wizard.disks.convert import ConvertOptions, convert
from wizard.disks.detect import open_image
from wizard.disks.resume import Checkpoints
src, dst = sys.argv[2:4]
with open_image(src) as img:
    convert(img, dst, ConvertOptions(block_size=1024 * 1024, guest_family="linux"),
            checkpoints=Checkpoints(journalled, every=8 * 1024 * 1024))
"""


@pytest.fixture
def source(tmp_path: Path) -> tuple[Path, Path]:
    return scattered_vmdk(tmp_path, SIZE, seed=7, stride=5 * MiB + 12288)


def _crash(vmdk: Path, dst: Path, journal: Path) -> int:
    return crash_at_third_checkpoint(CONVERT, journal, str(vmdk), str(dst))


def test_a_killed_conversion_goes_on_from_its_last_checkpoint(source, tmp_path: Path) -> None:
    raw, vmdk = source
    dst, journal = tmp_path / "out.vhdx", tmp_path / "journal"
    last = _crash(vmdk, dst, journal)
    assert (tmp_path / "out.vhdx.partial").exists() and not dst.exists(), "the crash left only the .partial"
    lowest = []
    with open_image(vmdk) as img:
        real = img.readinto
        img.readinto = lambda pos, view: (lowest.append(pos), real(pos, view))[1]
        result = convert(img, dst, ConvertOptions(block_size=MiB, guest_family="linux"),
                         checkpoints=Checkpoints(lambda offset, source: None, resume_offset=last, every=8 * MiB))
    # the digest thread may trail the writer by a few read-ahead buffers: the resume point is the smaller one
    assert last - 24 * MiB <= min(lowest) < last, "the part before the checkpoint was not read again"
    assert result.verified and result.content_digest == content_digest_of_file(raw)
    qemu_img("check", str(dst))
    qemu_compare(raw, dst, "raw", "vhdx")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("out")) == ["out.vhdx"]


def test_a_damaged_partial_is_not_trusted(source, tmp_path: Path) -> None:
    raw, vmdk = source
    dst, journal = tmp_path / "out.vhdx", tmp_path / "journal"
    last = _crash(vmdk, dst, journal)
    partial = tmp_path / "out.vhdx.partial"
    with open(partial, "r+b") as fh:  # cut inside the blocks the checkpoint vouched for
        fh.truncate(partial.stat().st_size // 3)
    with open_image(vmdk) as img:
        result = convert(img, dst, ConvertOptions(block_size=MiB, guest_family="linux"),
                         checkpoints=Checkpoints(lambda offset, source: None, resume_offset=last, every=8 * MiB))
    assert result.verified and result.content_digest == content_digest_of_file(raw)
    qemu_compare(raw, dst, "raw", "vhdx")


def test_without_a_journalled_offset_it_starts_over(source, tmp_path: Path) -> None:
    raw, vmdk = source
    dst, journal = tmp_path / "out.vhdx", tmp_path / "journal"
    _crash(vmdk, dst, journal)
    lowest = []
    with open_image(vmdk) as img:
        real = img.readinto
        img.readinto = lambda pos, view: (lowest.append(pos), real(pos, view))[1]
        result = convert(img, dst, ConvertOptions(block_size=MiB, guest_family="linux"),
                         checkpoints=Checkpoints(lambda offset, source: None, resume_offset=0, every=8 * MiB))
    assert min(lowest) == 0 and result.content_digest == content_digest_of_file(raw)
    qemu_compare(raw, dst, "raw", "vhdx")


def _resume(vmdk: Path, dst: Path, last: int, source: str = "") -> tuple[object, int]:
    lowest = []
    with open_image(vmdk) as img:
        real = img.readinto
        img.readinto = lambda pos, view: (lowest.append(pos), real(pos, view))[1]
        result = convert(img, dst, ConvertOptions(block_size=MiB, guest_family="linux"),
                         checkpoints=Checkpoints(lambda offset, s: None, resume_offset=last, every=8 * MiB,
                                                 resume_source=source))
    return result, min(lowest)


def test_a_disk_that_starts_blank_resumes_too(tmp_path: Path, make_raw) -> None:
    raw = make_raw(SIZE, [(40 * MiB + 4096 * i, bytes([i + 1]) * 4096) for i in range(200)])
    vmdk = tmp_path / "blank-start.vmdk"
    # -S 0: the zeros are written out, so the reader delivers them as data (a blank thick disk)
    qemu_img("convert", "-S", "0", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicFlat", str(raw), str(vmdk))
    dst, journal = tmp_path / "out.vhdx", tmp_path / "journal"
    last = _crash(vmdk, dst, journal)  # three checkpoints of nothing but zeros: no block in the file yet
    result, lowest = _resume(vmdk, dst, last)
    assert lowest >= 8 * MiB, "the checkpointed zeros were not read again"
    assert result.verified and result.content_digest == content_digest_of_file(raw)
    qemu_compare(raw, dst, "raw", "vhdx")


def test_a_source_changed_since_the_crash_starts_over(source, tmp_path: Path) -> None:
    raw, vmdk = source
    dst, journal = tmp_path / "out.vhdx", tmp_path / "journal"
    last = _crash(vmdk, dst, journal)
    recorded = journalled_source(journal)
    st = vmdk.stat()
    os.utime(vmdk, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # e.g. the VM was started in between
    result, lowest = _resume(vmdk, dst, last, recorded)
    assert lowest == 0 and result.content_digest == content_digest_of_file(raw)


def test_a_resume_needs_room_only_for_what_is_left(source, tmp_path: Path, monkeypatch) -> None:
    from wizard.disks import convert as conv

    raw, vmdk = source
    dst, journal = tmp_path / "out.vhdx", tmp_path / "journal"
    last = _crash(vmdk, dst, journal)
    kept = (tmp_path / "out.vhdx.partial").stat().st_size
    asked = []
    monkeypatch.setattr(conv, "_check_space", lambda folder, need: asked.append(need))
    _resume(vmdk, dst, last)
    _resume(vmdk, tmp_path / "fresh.vhdx", 0)
    assert 0 < asked[1] - asked[0] <= kept, (asked, kept)  # the blocks kept need no room again

"""Block-range resume: a conversion killed half-way goes on from its last checkpoint, and the result is whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.crash import crash_at_third_checkpoint
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
                         checkpoints=Checkpoints(lambda offset: None, resume_offset=last, every=8 * MiB))
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
                         checkpoints=Checkpoints(lambda offset: None, resume_offset=last, every=8 * MiB))
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
                         checkpoints=Checkpoints(lambda offset: None, resume_offset=0, every=8 * MiB))
    assert min(lowest) == 0 and result.content_digest == content_digest_of_file(raw)
    qemu_compare(raw, dst, "raw", "vhdx")

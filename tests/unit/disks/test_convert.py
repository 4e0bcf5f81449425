"""The convert orchestrator: hashes, atomic output, space checks, cancellation and failure clean-up."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_compare, qemu_img
from tests.unit.disks.test_vmdk_helpers import content_digest_of
from wizard.core.errors import Cancelled, DiskFormatError, InsufficientSpaceError, TargetError, VerificationError
from wizard.core.progress import CancelToken, ProgressEvent
from wizard.disks import convert as conv
from wizard.disks.convert import ConvertOptions, convert, default_block_size
from wizard.disks.image import DiskImage, ImageInfo

MiB = 1024 * 1024


class MemImage(DiskImage):
    """A disk held in memory; ``runs`` say which ranges are allocated (the rest must be zero)."""

    def __init__(self, data: bytes, runs: list[tuple[int, int]] | None = None, ordered: bool = True,
                 fail_at: int | None = None, stream_only: bool = False) -> None:
        self.data = data
        self.path = "mem.img"
        self.virtual_size = len(data)
        self.runs = runs if runs is not None else [(0, len(data))]
        self.ordered = ordered
        self.fail_at = fail_at
        self.stream_only = stream_only

    def info(self) -> ImageInfo:
        return ImageInfo(self.path, "raw", "raw", self.virtual_size, sum(n for _o, n in self.runs),
                         self.virtual_size)

    def allocated_ranges(self) -> Iterator[tuple[int, int]]:
        return iter(sorted(self.runs))

    def readinto(self, offset: int, buf: memoryview) -> None:
        if self.stream_only:
            raise NotImplementedError("a one-pass stream")
        self._fill(offset, buf)

    def _fill(self, offset: int, buf: memoryview) -> None:
        if self.fail_at is not None and offset <= self.fail_at < offset + len(buf):
            raise DiskFormatError("grain table points past the end of the file", path=self.path, offset=offset)
        buf[:] = self.data[offset:offset + len(buf)]

    def chunks(self, max_chunk: int = 32 * MiB, cancel: CancelToken | None = None):
        ranges = list(self.allocated_ranges())
        if not self.ordered:
            ranges.reverse()
        buf = memoryview(bytearray(max_chunk))
        for start, length in ranges:
            for pos in range(start, start + length, max_chunk):
                n = min(max_chunk, start + length - pos)
                self._fill(pos, buf[:n])
                yield pos, buf[:n]


def sample(size: int = 9 * MiB + 512) -> tuple[bytes, list[tuple[int, int]]]:
    data = bytearray(size)
    runs = [(MiB, 3 * MiB), (6 * MiB, size - 6 * MiB)]
    data[MiB:MiB + 100_000] = os.urandom(100_000)
    data[4 * MiB - 1] = 9
    data[-512:] = b"\xfe" * 512
    return bytes(data), runs


@pytest.mark.parametrize(("fmt", "kind"), [("vhdx", "dynamic"), ("vhdx", "fixed"), ("vhd", "dynamic"),
                                           ("vhd", "fixed")])
def test_convert_hashes_content_and_produces_identical_disk(tmp_path: Path, fmt: str, kind: str) -> None:
    data, runs = sample()
    dst = tmp_path / f"out.{fmt}"
    events: list[ProgressEvent] = []
    result = convert(MemImage(data, runs), dst, ConvertOptions(format=fmt, type=kind, max_chunk=2 * MiB),
                     progress=events.append)
    assert result.content_digest == content_digest_of(data)
    assert result.verified and result.virtual_size == len(data) and result.destination == str(dst)
    assert not Path(str(dst) + ".partial").exists()
    raw = tmp_path / "src.raw"
    raw.write_bytes(data)
    qemu_compare(raw, dst, "raw", "vpc" if fmt == "vhd" else "vhdx")
    assert {e.stage for e in events} == {"convert", "verify"}


def test_out_of_order_stream_is_verified_chunk_by_chunk(tmp_path: Path) -> None:
    data, runs = sample()
    src = MemImage(data, runs, ordered=False, stream_only=True)
    result = convert(src, tmp_path / "o.vhdx", ConvertOptions(max_chunk=MiB))
    assert result.verified and result.content_digest == content_digest_of(data)


def test_no_verify_skips_the_hash(tmp_path: Path) -> None:
    data, runs = sample()
    result = convert(MemImage(data, runs), tmp_path / "o.vhdx", ConvertOptions(verify=False))
    assert not result.verified and result.content_digest == ""
    assert (tmp_path / "o.vhdx").exists()


def test_existing_output_is_kept_unless_overwrite(tmp_path: Path) -> None:
    data, runs = sample()
    dst = tmp_path / "o.vhdx"
    dst.write_bytes(b"precious")
    with pytest.raises(TargetError, match="already exists") as err:
        convert(MemImage(data, runs), dst, ConvertOptions())
    assert "--overwrite" in err.value.fix
    assert dst.read_bytes() == b"precious"
    convert(MemImage(data, runs), dst, ConvertOptions(overwrite=True))
    qemu_img("check", str(dst))


def test_stale_partial_from_a_killed_run_is_replaced(tmp_path: Path) -> None:
    data, runs = sample()
    dst = tmp_path / "o.vhdx"
    Path(str(dst) + ".partial").write_bytes(b"left over by kill -9")
    convert(MemImage(data, runs), dst, ConvertOptions())
    assert not Path(str(dst) + ".partial").exists()
    qemu_img("check", str(dst))


def test_not_enough_space_is_refused_before_writing(tmp_path: Path, monkeypatch) -> None:
    data, runs = sample()

    class Tiny:
        f_bavail, f_frsize = 10, 4096

    monkeypatch.setattr(conv.os, "statvfs", lambda _p: Tiny())
    with pytest.raises(InsufficientSpaceError, match="not enough free space"):
        convert(MemImage(data, runs), tmp_path / "o.vhdx", ConvertOptions())
    assert os.listdir(tmp_path) == []


def test_fixed_needs_the_full_size_free(tmp_path: Path, monkeypatch) -> None:
    data, runs = sample()
    free = 6 * MiB + conv._METADATA_ALLOWANCE  # enough for the allocated data, not for the whole disk

    class Some:
        f_bavail, f_frsize = free // 4096, 4096

    monkeypatch.setattr(conv.os, "statvfs", lambda _p: Some())
    convert(MemImage(data, [(MiB, MiB)]), tmp_path / "d.vhdx", ConvertOptions())
    with pytest.raises(InsufficientSpaceError):
        convert(MemImage(data, runs), tmp_path / "f.vhdx", ConvertOptions(type="fixed"))
    assert not (tmp_path / "f.vhdx").exists() and not (tmp_path / "f.vhdx.partial").exists()


def test_read_error_midway_leaves_no_file(tmp_path: Path) -> None:
    data, runs = sample()
    with pytest.raises(DiskFormatError, match="past the end"):
        convert(MemImage(data, runs, fail_at=7 * MiB), tmp_path / "o.vhdx", ConvertOptions(max_chunk=MiB))
    assert os.listdir(tmp_path) == []


def test_cancel_leaves_no_file(tmp_path: Path) -> None:
    data, runs = sample()
    token = CancelToken()

    def sink(event: ProgressEvent) -> None:
        if event.stage == "convert" and event.done >= MiB:
            token.cancel()

    with pytest.raises(Cancelled):
        convert(MemImage(data, runs), tmp_path / "o.vhdx", ConvertOptions(max_chunk=MiB), progress=sink,
                cancel=token)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("stream_only", [False, True])
def test_verification_mismatch_discards_the_output(tmp_path: Path, monkeypatch, stream_only: bool) -> None:
    """Read back while written (random-access source) or after the flush (a one-pass stream): a byte that
    reads back differently fails the conversion and nothing is left behind."""
    data, runs = sample()
    from wizard.disks.vhdx_read import VhdxImage

    original = VhdxImage.readinto

    def readinto(self, offset: int, buf: memoryview) -> None:
        original(self, offset, buf)
        if len(buf):
            buf[0] ^= 0xFF

    monkeypatch.setattr(VhdxImage, "readinto", readinto)
    with pytest.raises(VerificationError, match="does not match"):
        convert(MemImage(data, runs, stream_only=stream_only), tmp_path / "o.vhdx", ConvertOptions())
    assert os.listdir(tmp_path) == []


def test_default_block_size_follows_guest_family(tmp_path: Path) -> None:
    assert default_block_size("linux") == MiB
    assert default_block_size("windows") == default_block_size("unknown") == 32 * MiB
    data, runs = sample()
    convert(MemImage(data, runs), tmp_path / "l.vhdx", ConvertOptions(guest_family="linux"))
    from wizard.disks.bytesource import LocalFile
    from wizard.disks.vhdx_read import open_vhdx

    with open_vhdx(LocalFile(tmp_path / "l.vhdx")) as img:
        assert img.block_size == MiB
    convert(MemImage(data, runs), tmp_path / "b.vhdx", ConvertOptions(block_size=4 * MiB, logical_sector=4096))
    with open_vhdx(LocalFile(tmp_path / "b.vhdx")) as img:
        assert (img.block_size, img.logical_sector) == (4 * MiB, 4096)


def test_unaligned_size_is_padded_to_whole_sectors(tmp_path: Path) -> None:
    data = os.urandom(MiB + 100)
    result = convert(MemImage(data), tmp_path / "o.vhdx", ConvertOptions())
    assert result.virtual_size == MiB + 512
    assert result.content_digest == content_digest_of(data + bytes(412))


def test_output_replacing_its_source_is_refused(tmp_path: Path) -> None:
    data, runs = sample()
    img = MemImage(data, runs)
    src = tmp_path / "disk.vhdx"
    src.write_bytes(b"x")
    img.path = str(src)
    with pytest.raises(TargetError, match="its own source"):
        convert(img, src, ConvertOptions(overwrite=True))


@pytest.mark.parametrize("verify", [True, False])
def test_write_failure_on_the_writer_thread_is_reported_and_cleaned_up(tmp_path: Path, monkeypatch,
                                                                       verify: bool) -> None:
    from wizard.disks.vhdx_write import VhdxWriter

    data, runs = sample()
    src = MemImage(data, runs)
    src.info = lambda: ImageInfo("s.vmdk", "vmdk", "streamOptimized", len(data), len(data), len(data))
    calls = []

    def failing_write(self, offset: int, view) -> None:
        calls.append(offset)
        if len(calls) == 3:
            raise InsufficientSpaceError(f"{self.path}: the destination ran out of space while writing")

    monkeypatch.setattr(VhdxWriter, "write", failing_write)
    with pytest.raises(InsufficientSpaceError, match="ran out of space"):
        convert(src, tmp_path / "o.vhdx", ConvertOptions(max_chunk=MiB, verify=verify))
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("verify", [True, False])
def test_compressed_source_read_by_two_independent_images(tmp_path: Path, verify: bool) -> None:
    data, runs = sample(13 * MiB + 1024)
    opened: list[MemImage] = []

    def stream_like() -> MemImage:
        img = MemImage(data, runs)
        img.info = lambda: ImageInfo("s.vmdk", "vmdk", "streamOptimized", len(data), len(data), len(data))
        opened.append(img)
        return img

    dst = tmp_path / "two.vhdx"
    result = convert(stream_like(), dst, ConvertOptions(max_chunk=MiB, verify=verify), reopen=stream_like)
    assert len(opened) == 2  # the second image was used for the other half of the pieces
    raw = tmp_path / "src.raw"
    raw.write_bytes(data)
    qemu_compare(raw, dst, "raw", "vhdx")
    if verify:
        assert result.content_digest == content_digest_of(data)

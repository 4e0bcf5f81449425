"""The default verify reads the source once and the output back while it is written; it must still catch a
corrupted data block, a wrong BAT entry and a truncated file. ``verify_full`` also catches a source that
changed after it was read."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tests.unit.disks.test_convert import MemImage, sample
from wizard.core.errors import VerificationError
from wizard.disks import convert as conv
from wizard.disks.convert import ConvertOptions, convert
from wizard.disks.vhdx_write import VhdxWriter

MiB = 1024 * 1024


def _bigger_sample() -> tuple[bytes, list[tuple[int, int]]]:
    """Three 1 MiB-block VHDX blocks of data with a hole between them."""
    data = bytearray(8 * MiB)
    data[0:MiB] = os.urandom(MiB)
    data[3 * MiB:5 * MiB] = os.urandom(2 * MiB)
    return bytes(data), [(0, MiB), (3 * MiB, 2 * MiB)]


@pytest.mark.parametrize("stream_only", [False, True])
def test_flipped_byte_in_a_written_data_block_is_caught(tmp_path: Path, monkeypatch, stream_only: bool) -> None:
    data, runs = sample()
    real_write = VhdxWriter.write

    def flipping_write(self, offset: int, view) -> None:
        piece = bytearray(view)
        if offset <= MiB + 10 < offset + len(piece):  # one byte of a data block lands wrong on disk
            piece[MiB + 10 - offset] ^= 0x01
        real_write(self, offset, piece)

    monkeypatch.setattr(VhdxWriter, "write", flipping_write)
    with pytest.raises(VerificationError, match="does not match"):
        convert(MemImage(data, runs, stream_only=stream_only), tmp_path / "o.vhdx", ConvertOptions())
    assert os.listdir(tmp_path) == []  # the output is discarded


def test_wrong_bat_entry_is_caught(tmp_path: Path, monkeypatch) -> None:
    data, runs = _bigger_sample()
    real_bat = VhdxWriter._bat

    def swapped_bat(self) -> bytes:
        bat = bytearray(real_bat(self))
        bat[0:8], bat[8 * 3:8 * 4] = bat[8 * 3:8 * 4], bat[0:8]  # blocks 0 and 3 point at each other's data
        return bytes(bat)

    monkeypatch.setattr(VhdxWriter, "_bat", swapped_bat)
    with pytest.raises(VerificationError, match="block table"):
        convert(MemImage(data, runs), tmp_path / "o.vhdx", ConvertOptions(block_size=MiB))
    assert os.listdir(tmp_path) == []


def test_truncated_output_is_caught(tmp_path: Path, monkeypatch) -> None:
    data, runs = _bigger_sample()
    real_finish = VhdxWriter.finish

    def truncating_finish(self) -> None:
        path, end = self.path, self.file_size
        real_finish(self)
        os.truncate(path, end - MiB // 2)  # the last data block loses its second half

    monkeypatch.setattr(VhdxWriter, "finish", truncating_finish)
    with pytest.raises(VerificationError, match="cannot be read back"):
        convert(MemImage(data, runs), tmp_path / "o.vhdx", ConvertOptions(block_size=MiB))
    assert os.listdir(tmp_path) == []


def _changing_after_read(monkeypatch) -> MemImage:
    """A source whose content changes once the conversion has read it (before the verify pass)."""
    data, runs = _bigger_sample()
    src = MemImage(data, runs)
    real_finish = VhdxWriter.finish

    def finish_then_change(self) -> None:
        real_finish(self)
        changed = bytearray(src.data)
        changed[3 * MiB + 5] ^= 0xFF
        src.data = bytes(changed)

    monkeypatch.setattr(VhdxWriter, "finish", finish_then_change)
    return src


def test_source_changed_after_reading_is_caught_by_full_verify(tmp_path: Path, monkeypatch) -> None:
    src = _changing_after_read(monkeypatch)
    with pytest.raises(VerificationError, match="source changed"):
        convert(src, tmp_path / "o.vhdx", ConvertOptions(block_size=MiB, verify_full=True))
    assert os.listdir(tmp_path) == []


def test_default_verify_covers_what_was_read_not_later_changes(tmp_path: Path, monkeypatch) -> None:
    """The documented limit of the default mode: the disk as it was read is what gets verified."""
    src = _changing_after_read(monkeypatch)
    result = convert(src, tmp_path / "o.vhdx", ConvertOptions(block_size=MiB))
    assert result.verified


def test_default_verify_does_not_read_the_finished_payload_again(tmp_path: Path, monkeypatch) -> None:
    """The read-back trails the writer: after the flush only the headers and BAT are read, so a verified
    conversion costs about what an unverified one does."""
    data, runs = _bigger_sample()
    real_open = conv.open_output
    payload_reads: list[int] = []

    def counting_open(path: str, fmt: str):
        img = real_open(path, fmt)
        original = img.readinto

        def readinto(offset: int, buf) -> None:
            payload_reads.append(len(buf))
            original(offset, buf)

        img.readinto = readinto
        return img

    monkeypatch.setattr(conv, "open_output", counting_open)
    result = convert(MemImage(data, runs), tmp_path / "o.vhdx", ConvertOptions(block_size=MiB))
    assert result.verified and payload_reads == []
    (tmp_path / "o.vhdx").unlink()
    convert(MemImage(data, runs), tmp_path / "o.vhdx", ConvertOptions(block_size=MiB, verify_full=True))
    assert sum(payload_reads) == 3 * MiB  # --verify=full reads the flushed output's stored blocks again


def test_stray_data_where_the_source_left_zeros_is_caught(tmp_path: Path, monkeypatch) -> None:
    """The read-back skips the file's holes without reading them, but bytes written into a range the source
    left empty (inside a stored block) are read and must be zeros."""
    data, runs = _bigger_sample()  # data at [0, 1 MiB) and [3, 5) MiB: block 0 of 4 MiB holds a 2 MiB hole
    real_write = VhdxWriter.write

    def write_and_stray(self, offset: int, view) -> None:
        real_write(self, offset, view)
        if offset == 0:  # the writer also puts junk in the middle of block 0's hole
            self._batch.flush()
            os.pwrite(self._fd, b"\x5a" * 4096, self._offsets[0] + 2 * MiB)

    monkeypatch.setattr(VhdxWriter, "write", write_and_stray)
    # reported at the start of the piece of the hole that was read: inside [1 MiB, 3 MiB)
    with pytest.raises(VerificationError, match="does not match the source at offset (1048576|2097152)"):
        convert(MemImage(data, runs), tmp_path / "o.vhdx", ConvertOptions(block_size=4 * MiB))
    assert os.listdir(tmp_path) == []


def test_verified_output_reads_back_identical_with_holes_left_sparse(tmp_path: Path) -> None:
    """The same sample without the stray write verifies, and the hole stays a hole in the output file."""
    data, runs = _bigger_sample()
    result = convert(MemImage(data, runs), tmp_path / "o.vhdx", ConvertOptions(block_size=4 * MiB))
    assert result.verified
    with conv.open_output(str(tmp_path / "o.vhdx"), "vhdx") as img:
        back = bytearray(len(data))
        img.readinto(0, memoryview(back))
    assert bytes(back) == data
    fd = os.open(tmp_path / "o.vhdx", os.O_RDONLY)
    try:
        base = img.block_offsets()[0]
        assert os.lseek(fd, base + MiB, os.SEEK_DATA) >= base + 3 * MiB  # block 0's zeros were never written
    finally:
        os.close(fd)


def test_a_file_system_whose_seek_data_misses_unwritten_data_is_not_trusted(tmp_path: Path, monkeypatch) -> None:
    """Some file systems (OpenZFS 2.2.0–2.2.1, FUSE with a write-back cache) call data not yet on disk a hole:
    the read-back notices on the first data it wrote and then reads the empty ranges instead."""
    real_lseek = os.lseek

    def blind_lseek(fd: int, pos: int, how: int) -> int:
        if how == os.SEEK_DATA:
            raise OSError(errno.ENXIO, "No such device or address")  # "no data from here to the end"
        return real_lseek(fd, pos, how)

    monkeypatch.setattr(os, "lseek", blind_lseek)
    test_stray_data_where_the_source_left_zeros_is_caught(tmp_path, monkeypatch)

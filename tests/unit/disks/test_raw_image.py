"""Raw images: exact content, holes of a sparse file skipped, short files detected."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.unit.disks.test_vmdk_helpers import file_sha, image_sha, readinto_sha
from wizard.core.errors import DiskFormatError
from wizard.disks.bytesource import LocalFile
from wizard.disks.raw import RawImage

MiB = 1024 * 1024


def test_sparse_raw_reports_only_data_and_reads_exactly(make_raw) -> None:
    raw = make_raw(64 * MiB, [(5 * MiB, os.urandom(MiB)), (40 * MiB, b"abc" * 1000)])
    with RawImage(LocalFile(raw)) as img:
        ranges = list(img.allocated_ranges())
        assert sum(n for _o, n in ranges) <= 3 * MiB
        assert any(o <= 5 * MiB < o + n for o, n in ranges)
        assert image_sha(img) == file_sha(raw)
        assert readinto_sha(img) == file_sha(raw)
        info = img.info()
    assert (info.format, info.virtual_size) == ("raw", 64 * MiB)


class _Remote:
    """A byte source without a file descriptor, like an HTTP datastore file."""

    def __init__(self, data: bytes) -> None:
        self.name, self.size, self._data = "https://esx/folder/disk.img", len(data), data

    def pread_into(self, offset: int, buf: memoryview) -> int:
        piece = self._data[offset:offset + len(buf)]
        buf[:len(piece)] = piece
        return len(piece)

    def close(self) -> None:
        pass


def test_remote_raw_is_read_whole() -> None:
    with RawImage(_Remote(b"x" * 4096)) as img:
        assert list(img.allocated_ranges()) == [(0, 4096)]


def test_read_past_the_end_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.img"
    path.write_bytes(b"a" * 1024)
    with RawImage(LocalFile(path)) as img, pytest.raises(DiskFormatError):
        img.readinto(1000, memoryview(bytearray(100)))

"""Reading a converted disk for its upload: past the page cache (``UncachedFile``) and ahead of the sender
(``Prefetch``). What the uploader sends and compares must be the file's bytes, whatever the alignment."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from wizard.disks.prefetch import Prefetch
from wizard.disks.writeio import UncachedFile, aligned_buffer

MiB = 1024 * 1024


@pytest.fixture()
def blob(tmp_path: Path) -> tuple[Path, bytes]:
    data = os.urandom(3 * MiB + 1234)  # a tail that is not a whole page
    path = tmp_path / "disk.vhdx"
    path.write_bytes(data)
    return path, data


def test_aligned_and_unaligned_reads_return_the_file_bytes(blob) -> None:
    path, data = blob
    with UncachedFile(path) as f:
        buf = aligned_buffer(MiB)
        assert f.pread_into(MiB, buf) == MiB and bytes(buf) == data[MiB:2 * MiB]  # the O_DIRECT path
        tail = aligned_buffer(MiB)
        n = f.pread_into(3 * MiB, tail)
        assert n == 1234 and bytes(tail[:n]) == data[3 * MiB:]  # short at the end of the file
        odd = memoryview(bytearray(5000))  # not page-aligned: read buffered
        assert f.pread_into(4097, odd) == 5000 and bytes(odd) == data[4097:4097 + 5000]


def test_a_file_system_refusing_direct_reads_is_read_buffered(blob, monkeypatch) -> None:
    path, data = blob
    real = os.preadv
    with UncachedFile(path) as f:
        direct = f._direct
        assert direct >= 0
        tried = []

        def refusing(fd, buffers, offset):
            if fd == direct:
                tried.append(offset)
                raise OSError(errno.EINVAL, "Invalid argument")
            return real(fd, buffers, offset)

        monkeypatch.setattr(os, "preadv", refusing)
        for at in (0, 2 * MiB):
            buf = aligned_buffer(MiB)
            assert f.pread_into(at, buf) == MiB and bytes(buf) == data[at:at + MiB]
        assert tried == [0]  # refused once: not tried again


def test_the_direct_descriptor_is_the_opened_file_not_its_path(blob, tmp_path: Path, monkeypatch) -> None:
    """A file put in its place between the two opens is not what the direct reads see."""
    path, data = blob
    real_open = os.open
    opened = []

    def open_then_swap(name, flags, *args, **kwargs):
        fd = real_open(name, flags, *args, **kwargs)
        opened.append(name)
        if len(opened) == 1:  # right after the first (checked) open, someone swaps the file
            os.replace(path, tmp_path / "moved.vhdx")
            path.write_bytes(bytes(len(data)))
        return fd

    monkeypatch.setattr(os, "open", open_then_swap)
    with UncachedFile(path) as f:
        monkeypatch.setattr(os, "open", real_open)
        buf = aligned_buffer(MiB)
        assert f.pread_into(0, buf) == MiB and bytes(buf) == data[:MiB]


def _pieces(size: int, chunk: int) -> list[tuple[int, int]]:
    return [(pos, min(chunk, size - pos)) for pos in range(0, size, chunk)]


def test_prefetch_yields_every_piece_in_order(blob) -> None:
    path, data = blob
    ring = [aligned_buffer(MiB) for _ in range(4)]
    turn = iter(range(100))
    with UncachedFile(path) as f, Prefetch(f, _pieces(len(data), MiB),
                                           lambda _o, n: ring[next(turn) % 4][:n]) as ahead:
        got = [(off, bytes(view)) for off, view in ahead]
    assert [off for off, _ in got] == [0, MiB, 2 * MiB, 3 * MiB]
    assert b"".join(piece for _, piece in got) == data


def test_prefetch_raises_a_read_error_at_the_piece_it_concerns(blob) -> None:
    path, _data = blob

    class Failing(UncachedFile):
        def pread_into(self, offset: int, buf: memoryview) -> int:
            if offset >= 2 * MiB:
                raise OSError(errno.EIO, "Input/output error")
            return super().pread_into(offset, buf)

    seen = []
    with (Failing(path) as f, Prefetch(f, _pieces(4 * MiB, MiB), lambda _o, n: aligned_buffer(n)) as ahead,
          pytest.raises(OSError, match="Input/output")):
        for off, _view in ahead:
            seen.append(off)
    assert seen == [0, MiB]


def test_closing_a_prefetch_midway_stops_its_thread(blob) -> None:
    path, _data = blob
    many = [(0, 4096)] * 10_000  # far more than the consumer takes
    with UncachedFile(path) as f:
        ahead = Prefetch(f, many, lambda _o, n: aligned_buffer(n), ahead=2)
        first = next(iter(ahead))
        assert first[0] == 0
        ahead.close()
    assert not any(t.name == "hvm-prefetch" and t.is_alive() for t in threading.enumerate())

"""Low-level output helpers shared by the VHDX and VHD writers: zero tests and merged positional writes.

Why these shapes (measured, see shared/reference/disk-formats.md): comparing a *memoryview* with bytes runs
at ~0.6 GB/s, while ``ZEROS.startswith(view)`` compares with memcmp at ~14 GB/s and stops at the first
non-zero byte; and a few large ``pwritev`` calls beat one ``pwrite`` per grain.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import mmap
import os
import sys
from collections.abc import Iterator

from wizard.core.errors import InsufficientSpaceError, TargetError
from wizard.disks.bytesource import ByteSource, FileBacked, LocalFile

GRANULE = 64 * 1024  # zero-skipping granularity inside a block (one VMDK grain)
_ZERO_LEN = 4 * 1024 * 1024
ZEROS = bytes(_ZERO_LEN)
_IOV_MAX = 512
_KICK_EVERY = 64 * 1024 * 1024


def _load_sync_file_range():
    """libc's sync_file_range (Linux), or None: it starts write-back early so the final fsync is short."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.sync_file_range
        fn.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
        fn.restype = ctypes.c_int
        return fn
    except (OSError, AttributeError):
        return None


_sync_file_range = _load_sync_file_range()
_SYNC_FILE_RANGE_WRITE = 2


def is_zero(view: memoryview) -> bool:
    """True when every byte of ``view`` is zero."""
    n = len(view)
    if n <= _ZERO_LEN:
        return ZEROS.startswith(view)
    return all(ZEROS.startswith(view[i:i + _ZERO_LEN]) for i in range(0, n, _ZERO_LEN))


def nonzero_runs(view: memoryview, granule: int = GRANULE) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of the runs of ``view`` holding a non-zero byte, at ``granule`` resolution."""
    n = len(view)
    run = -1
    zeros = ZEROS
    for i in range(0, n, granule):
        if zeros.startswith(view[i:i + granule]):
            if run >= 0:
                yield run, i
                run = -1
        elif run < 0:
            run = i
    if run >= 0:
        yield run, n


def fill_zero(view: memoryview) -> None:
    """Set every byte of ``view`` to zero."""
    n = len(view)
    for i in range(0, n, _ZERO_LEN):
        m = min(_ZERO_LEN, n - i)
        view[i:i + m] = ZEROS[:m]


def os_error(path: str, exc: OSError) -> TargetError:
    """A typed error for a failed write to ``path`` (ENOSPC → InsufficientSpaceError)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return InsufficientSpaceError(f"{path}: the destination ran out of space while writing")
    return TargetError(f"{path}: cannot write the output file: {exc.strerror or exc}",
                       fix="Check that the destination folder is writable and the disk is healthy.")


class WriteBatch:
    """Collects views destined for consecutive file offsets and writes them with one ``pwritev``.

    ``add()`` flushes by itself when the next view is not contiguous; call ``flush()`` before the views'
    buffers are reused. ``written`` counts bytes written. With ``out`` (a :class:`wizard.disks.output.RandomWriter`,
    e.g. a file on an SMB share) the runs go to ``out.pwritev`` instead of the descriptors.
    """

    def __init__(self, fd: int, path: str, direct_fd: int = -1, out=None) -> None:
        self.out = out
        self.fd = fd
        self.direct_fd = direct_fd
        self.path = path
        self._iov: list[memoryview | bytes] = []
        self._start = 0
        self._end = 0
        self.written = 0
        self._unkicked = 0

    def add(self, file_offset: int, view: memoryview | bytes) -> None:
        if self._iov and (file_offset != self._end or len(self._iov) >= _IOV_MAX):
            self.flush()
        if not self._iov:
            self._start = self._end = file_offset
        self._iov.append(view)
        self._end += len(view)

    def flush(self) -> None:
        if not self._iov:
            return
        iov, start, want = self._iov, self._start, self._end - self._start
        self._iov = []
        self.written += want
        if self.out is not None:
            self.out.pwritev(iov, start)
            return
        if self.direct_fd >= 0 and start % DIRECT_ALIGN == 0 and direct_ok(iov):
            try:
                pwritev_all(self.direct_fd, iov, start, self.path, raw_errors=True)
                return
            except OSError as exc:  # the file system refuses O_DIRECT after all: stay buffered
                if exc.errno != errno.EINVAL:
                    raise os_error(self.path, exc) from None
                self.direct_fd = -1
        pwritev_all(self.fd, iov, start, self.path)
        self._unkicked += want
        if self._unkicked >= _KICK_EVERY:
            self._unkicked = 0
            start_writeback(self.fd)


def start_writeback(fd: int) -> None:
    """Ask the kernel to start writing dirty pages of ``fd`` now, without waiting (best effort)."""
    if _sync_file_range is not None:
        _sync_file_range(fd, 0, 0, _SYNC_FILE_RANGE_WRITE)


DIRECT_ALIGN = 4096


def open_direct(path: str) -> int:
    """A second descriptor on ``path`` with O_DIRECT, or -1 where that is not available.

    Large aligned payload writes go through it: they bypass the page cache (no page allocation and copy,
    which dominate buffered writes and vary with memory pressure), and the final fsync has little left to do.
    """
    flag = getattr(os, "O_DIRECT", 0)
    if not flag:
        return -1
    try:
        return os.open(path, os.O_WRONLY | flag | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return -1


class UncachedFile(LocalFile):
    """A :class:`LocalFile` whose aligned reads (offset, length and page-aligned buffer: see
    :func:`aligned_buffer`) bypass the page cache through a second, ``O_DIRECT`` descriptor: the device copies
    straight into the buffer. For reading a large file once, e.g. a converted disk for its upload: a buffered
    read copies every byte through the page cache (measured: a third of the SMB upload's CPU). Other reads, and
    every read where the file system refuses ``O_DIRECT``, are buffered. Coherent with buffered writes (the
    kernel writes dirty pages of the range out before a direct read)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path)
        self._direct = _reopen_direct(self.fileno())
        self._use_direct = self._direct >= 0  # turned off (never closed early: another thread may be reading)

    def pread_into(self, offset: int, buf: memoryview) -> int:
        if self._use_direct and offset % DIRECT_ALIGN == 0 and direct_ok([buf]):
            try:
                total = 0
                while total < len(buf):
                    n = os.preadv(self._direct, [buf[total:]], offset + total)
                    if n == 0:
                        break
                    total += n
                    if total % DIRECT_ALIGN:  # end of file: the rest is past it
                        break
                return total
            except OSError as exc:
                if exc.errno != errno.EINVAL:
                    raise
                self._use_direct = False  # the file system refuses O_DIRECT after all: read buffered
        return super().pread_into(offset, buf)

    def close(self) -> None:
        if self._direct >= 0:
            os.close(self._direct)
            self._direct = -1
        self._use_direct = False
        super().close()


def _reopen_direct(fd: int) -> int:
    """A second, ``O_DIRECT`` descriptor of the very file ``fd`` is open on (not of whatever its path names
    now), or -1 where that cannot be had."""
    flag = getattr(os, "O_DIRECT", 0)
    if not flag:
        return -1
    try:
        again = os.open(f"/proc/self/fd/{fd}", os.O_RDONLY | flag | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return -1
    first, second = os.fstat(fd), os.fstat(again)
    if (first.st_dev, first.st_ino) != (second.st_dev, second.st_ino):
        os.close(again)
        return -1
    return again


def aligned_buffer(size: int) -> memoryview:
    """A zeroed, page-aligned writable buffer (usable for O_DIRECT)."""
    return memoryview(mmap.mmap(-1, max(size, 1)))[:size]


def direct_ok(iov: list) -> bool:
    """True when every piece is a page-aligned writable buffer of whole pages (O_DIRECT's rules)."""
    for v in iov:
        if len(v) % DIRECT_ALIGN or isinstance(v, bytes):
            return False
        try:
            addr = ctypes.addressof(ctypes.c_char.from_buffer(v))
        except (TypeError, ValueError):
            return False
        if addr % DIRECT_ALIGN:
            return False
    return True


def pwritev_all(fd: int, iov: list, offset: int, path: str, raw_errors: bool = False) -> None:
    """Write all of ``iov`` at ``offset`` (retrying short writes)."""
    try:
        want = sum(len(v) for v in iov)
        done = os.pwritev(fd, iov, offset)
        if done == want:
            return
        flat = memoryview(b"".join(bytes(v) for v in iov))
        while done < want:
            n = os.pwrite(fd, flat[done:], offset + done)
            if n <= 0:
                raise OSError(errno.EIO, "short write")
            done += n
    except OSError as exc:
        if raw_errors:
            raise
        raise os_error(path, exc) from None


def pwrite_all(fd: int, data: bytes | memoryview, offset: int, path: str) -> None:
    pwritev_all(fd, [data], offset, path)


def advise_random(source: ByteSource) -> None:
    """Turn off kernel read-ahead on a local source: we issue large reads ourselves, and read-ahead into
    the holes of a sparse file makes the kernel allocate and zero page-cache pages for nothing."""
    if isinstance(source, FileBacked) and hasattr(os, "posix_fadvise"):
        with contextlib.suppress(OSError, ValueError):
            os.posix_fadvise(source.fileno(), 0, 0, os.POSIX_FADV_RANDOM)


def read_sparse(source: ByteSource, offset: int, view: memoryview) -> int:
    """Fill ``view`` from ``source`` at ``offset``, reading only the file's data extents of a local sparse
    file (holes are zero-filled here, not by the page cache). Returns the bytes covered (short at EOF)."""
    n = len(view)
    if n < GRANULE or not hasattr(os, "SEEK_DATA") or not isinstance(source, FileBacked):
        return source.pread_into(offset, view)
    fd = source.fileno()
    end = offset + n
    pos = offset
    while pos < end:
        try:
            data = os.lseek(fd, pos, os.SEEK_DATA)
        except OSError as exc:
            if exc.errno != errno.ENXIO:
                return pos - offset + source.pread_into(pos, view[pos - offset:])
            data = end  # only a hole (or EOF) after pos
        data = min(data, end)
        if data > pos:
            fill_zero(view[pos - offset:data - offset])
            pos = data
            if pos >= end:
                break
        hole = min(os.lseek(fd, pos, os.SEEK_HOLE), end)
        got = source.pread_into(pos, view[pos - offset:hole - offset])
        pos += got
        if got < hole - (pos - got):
            return pos - offset
    size = source.size
    return n if size < 0 else max(0, min(n, size - offset))

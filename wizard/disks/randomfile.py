"""Files read and written in place at any offset: what :mod:`wizard.disks.vhdx_patch` needs of a VHDX file.

Contract of a :class:`RandomAccessFile`:
- ``name`` names the file in messages; ``size`` is its current length in bytes (it follows ``truncate`` and
  writes past the end).
- ``pread_into(offset, buf)`` fills ``buf`` from ``offset`` and returns the count (short only at end of file),
  so a :class:`RandomAccessFile` is also a :class:`wizard.disks.bytesource.ByteSource` and the VHDX reader can
  decode it.
- ``pwritev(iov, offset)`` writes the pieces back to back from ``offset`` (all of them, or raises); the caller
  may reuse the buffers after the call. Writing past the end extends the file; a gap reads as zeros.
- ``truncate(size)`` sets the length (the part added reads as zeros); ``sync()`` returns once every write so far
  is durable (fsync; SMB2 FLUSH on a share). Nothing is promised about writes that no ``sync()`` has covered
  yet: after a crash any of them may be missing, whole or in part.
- Failures raise typed errors (:class:`~wizard.core.errors.TargetError`,
  :class:`~wizard.core.errors.InsufficientSpaceError`) naming the file.

Two implementations: :class:`LocalRandomFile` (a local file, positional system calls) and
:class:`FileObjectRandomFile` over any seekable binary file object opened for reading and writing, e.g.
``smbclient.open_file(unc, mode="r+b", buffering=0)`` for a VHDX on the Hyper-V host's share (its ``flush()``
sends SMB2 FLUSH).
"""

from __future__ import annotations

import errno
import os
import threading
from typing import BinaryIO, Protocol

from wizard.core.errors import TargetError
from wizard.disks.writeio import os_error, pwritev_all


class RandomAccessFile(Protocol):
    name: str

    @property
    def size(self) -> int: ...

    def pread_into(self, offset: int, buf: memoryview) -> int: ...

    def pwritev(self, iov: list, offset: int) -> None: ...

    def truncate(self, size: int) -> None: ...

    def sync(self) -> None: ...

    def close(self) -> None: ...


class LocalRandomFile:
    """A local regular file opened for reading and writing (never created: it must exist)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.name = os.fspath(path)
        try:
            self._fd = os.open(self.name, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
        except OSError as exc:
            raise TargetError(f"{self.name}: cannot open the disk file for writing: {exc.strerror or exc}",
                              fix="Check that the file exists, is not in use and is writable.") from None

    @property
    def size(self) -> int:
        return os.fstat(self._fd).st_size

    def fileno(self) -> int:
        return self._fd

    def pread_into(self, offset: int, buf: memoryview) -> int:
        total, want = 0, len(buf)
        try:
            while total < want:
                n = os.preadv(self._fd, [buf[total:]], offset + total)
                if n == 0:
                    break
                total += n
        except OSError as exc:
            raise TargetError(f"{self.name}: cannot read the disk file: {exc.strerror or exc}") from None
        return total

    def pwritev(self, iov: list, offset: int) -> None:
        pwritev_all(self._fd, iov, offset, self.name)

    def truncate(self, size: int) -> None:
        try:
            os.ftruncate(self._fd, size)
        except OSError as exc:
            raise os_error(self.name, exc) from None

    def sync(self) -> None:
        try:
            os.fsync(self._fd)
        except OSError as exc:
            raise os_error(self.name, exc) from None

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> LocalRandomFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class FileObjectRandomFile:
    """A :class:`RandomAccessFile` over a seekable binary file object (``seek``/``readinto``/``write``/
    ``truncate``/``flush``), e.g. an SMB file from ``smbclient.open_file(..., mode="r+b", buffering=0)``.
    Calls are serialised (the object has one file position). Closing closes the file object."""

    def __init__(self, fobj: BinaryIO, name: str) -> None:
        self._f = fobj
        self.name = name
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        with self._lock:
            return self._call("reading the size of", lambda: self._f.seek(0, os.SEEK_END))

    def _call(self, what: str, fn):
        try:
            return fn()
        except TargetError:
            raise
        except OSError as exc:
            raise os_error(self.name, exc) from None
        except Exception as exc:  # noqa: BLE001 - the transport's own errors (SMB) become a typed error
            raise TargetError(f"{self.name}: {what} the disk file failed: {type(exc).__name__}: {exc}"[:500],
                              fix="Check the connection to the host and that the file is not in use.") from None

    def pread_into(self, offset: int, buf: memoryview) -> int:
        def read() -> int:
            self._f.seek(offset)
            total = 0
            while total < len(buf):
                n = self._f.readinto(buf[total:])
                if not n:
                    break
                total += n
            return total

        with self._lock:
            return self._call("reading", read)

    def pwritev(self, iov: list, offset: int) -> None:
        def write() -> None:
            self._f.seek(offset)
            for piece in iov:
                view = memoryview(piece).cast("B")
                done = 0
                while done < len(view):
                    n = self._f.write(view[done:])
                    if not n:
                        raise OSError(errno.EIO, "short write")
                    done += n

        with self._lock:
            self._call("writing", write)

    def truncate(self, size: int) -> None:
        with self._lock:
            self._call("setting the size of", lambda: self._f.truncate(size))

    def sync(self) -> None:
        with self._lock:
            self._call("flushing", self._f.flush)

    def close(self) -> None:
        with self._lock:
            self._call("closing", self._f.close)

"""Where disk bytes come from: a local file, an HTTP(S) datastore URL, a member of an OVA.

Disk readers never open files themselves; they take a :class:`ByteSource` for the image and a
:data:`Opener` to resolve files the image names (VMDK extents, delta-disk parents) relative to it. That
way the same VMDK reader works on a local folder and on a vCenter datastore with Range requests, with
no staging copy.

Contract:
- ``size`` is the byte length (``-1`` when unknown, e.g. a pipe).
- ``pread_into(offset, buf)`` fills ``buf`` from ``offset`` and returns the count; it returns fewer bytes
  only at end of file. Transports retry/resume internally; they raise ``wizard.core.errors`` types
  (ConnectError, DiskFormatError) naming ``name`` on failure.
- Sources are read-only: a local file is opened ``O_RDONLY`` and nothing ever writes through it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Protocol

from wizard.core.errors import DiskFormatError


class ByteSource(Protocol):
    name: str
    size: int

    def pread_into(self, offset: int, buf: memoryview) -> int: ...

    def close(self) -> None: ...


Opener = Callable[[str], ByteSource]
"""Opens a file named by an image (relative names resolve against the image's own location)."""


class LocalFile:
    """A read-only local file with positional reads (``os.preadv``: no seek, thread-safe)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.name = os.fspath(path)
        try:
            self._fd = os.open(self.name, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            raise DiskFormatError("file not found", path=self.name,
                                  fix="Check the path; a VMDK descriptor must sit beside its extent files.") from None
        except OSError as exc:
            raise DiskFormatError(f"cannot open file: {exc.strerror}", path=self.name) from None
        self.size = os.fstat(self._fd).st_size

    def pread_into(self, offset: int, buf: memoryview) -> int:
        total = 0
        want = len(buf)
        while total < want:
            n = os.preadv(self._fd, [buf[total:]], offset + total)
            if n == 0:
                break
            total += n
        return total

    def fileno(self) -> int:
        return self._fd

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> LocalFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Coalesced:
    """A :class:`ByteSource` that serves runs of small sequential reads from one larger read of ``inner``.

    For transports that pay per request (an HTTPS Range request costs about a millisecond): a sparse VMDK's
    grain runs lie back to back in its file but are asked for one run at a time. A read that starts where
    the previous one ended fetches a window from its offset in one request, and later reads are copied from
    it. The window starts at twice the read and doubles each time it was read to its end, up to ``window``,
    so a read pattern that only looks sequential for a moment fetches at most about twice what it uses. Any
    other read, and any read of half the window or more, goes straight to ``inner``. Reads return what
    ``inner`` would (short only at end of file). The buffer is allocated on first use (many extents may be
    open at once). Calls are serialised by a lock.
    """

    def __init__(self, inner: ByteSource, window: int = 8 * 1024 * 1024) -> None:
        self.inner, self.name, self.size = inner, inner.name, inner.size
        self._max = window
        self._win = bytearray()
        self._start, self._len = 0, 0
        self._next = -1  # where the previous read ended
        self._lock = threading.Lock()

    def pread_into(self, offset: int, buf: memoryview) -> int:
        with self._lock:
            done, want = 0, len(buf)
            while done < want:
                pos = offset + done
                if self._start <= pos < self._start + self._len:
                    n = min(want - done, self._start + self._len - pos)
                    buf[done:done + n] = memoryview(self._win)[pos - self._start:pos - self._start + n]
                    done += n
                    continue
                rest = want - done
                if (done == 0 and pos != self._next) or rest >= self._max // 2:
                    done += self.inner.pread_into(pos, buf[done:])
                    break
                read_to_end = self._len > 0 and pos == self._start + self._len
                size = min(self._max, max(2 * rest, 2 * self._len if read_to_end else 0, 64 * 1024))
                if len(self._win) < size:
                    self._win = bytearray(size)
                self._start, self._len = pos, 0
                self._len = self.inner.pread_into(pos, memoryview(self._win)[:size])
                if self._len == 0:
                    break  # end of file
            self._next = offset + done
            return done

    def close(self) -> None:
        self.inner.close()

    def __enter__(self) -> Coalesced:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def local_opener(base_dir: str | os.PathLike[str]) -> Opener:
    """An opener resolving relative names against ``base_dir`` (absolute names are taken as they are)."""
    base = os.fspath(base_dir)

    def _open(name: str) -> ByteSource:
        return LocalFile(name if os.path.isabs(name) else os.path.join(base, name))

    return _open

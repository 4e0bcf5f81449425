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
- A source over a local file descriptor (:class:`LocalFile`) is also a :class:`FileBacked`: readers then skip
  the holes of a sparse file (``SEEK_DATA``/``SEEK_HOLE``), tune kernel read-ahead, and resolve the files an
  image names beside it. Any other source is read through ``pread_into`` alone.
- A local file is only ever a regular file, opened by :func:`wizard.core.files.open_regular`: a named pipe,
  device or folder is refused (:class:`~wizard.core.errors.UnsafeFileError`), never waited on. The files an
  image names are opened through a :class:`LocalOpener`, which also keeps them inside the image's folder.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from wizard.core.errors import DiskFormatError
from wizard.core.files import open_regular, root_for


class ByteSource(Protocol):
    name: str
    size: int

    def pread_into(self, offset: int, buf: memoryview) -> int: ...

    def close(self) -> None: ...


@runtime_checkable
class FileBacked(Protocol):
    """A :class:`ByteSource` over a local file descriptor (see the module contract)."""

    def fileno(self) -> int: ...


Opener = Callable[[str], ByteSource]
"""Opens a file named by an image (relative names resolve against the image's own location)."""


MAX_OFFSET = (1 << 63) - 1  # the largest file offset the OS takes (off_t); beyond it nothing is stored


class LocalFile:
    """A read-only local regular file with positional reads (``os.preadv``: no seek, thread-safe).

    With ``root``, the file must lie inside that folder after links (see :mod:`wizard.core.files`); ``label``
    names the folder in the refusal."""

    def __init__(self, path: str | os.PathLike[str], *, root: str | os.PathLike[str] | None = None,
                 label: str = "the VM's folder") -> None:
        self.name = os.fspath(path)
        try:
            self._fd = open_regular(self.name, root, label=label)
        except FileNotFoundError:
            raise DiskFormatError("file not found", path=self.name,
                                  fix="Check the path; a VMDK descriptor must sit beside its extent files.") from None
        except OSError as exc:
            raise DiskFormatError(f"cannot open file: {exc.strerror}", path=self.name) from None
        self.size = os.fstat(self._fd).st_size

    def pread_into(self, offset: int, buf: memoryview) -> int:
        if offset < 0 or offset + len(buf) > MAX_OFFSET:  # a damaged header's offset: past any file's end
            return 0
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


class LocalOpener:
    """Opens the files an image in ``folder`` names: a name resolves against ``folder`` and the file must stay
    inside it after links, or inside the folder above for a name that points there (``../Template/base.vmdk``,
    where a delta disk's parent is looked for); anything else is refused with
    :class:`~wizard.core.errors.UnsafeFileError` (see :func:`wizard.core.files.root_for`)."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = os.path.abspath(folder)

    def __call__(self, name: str) -> ByteSource:
        path = os.path.normpath(os.path.join(self.folder, name))
        if not os.path.lexists(path):  # another host's path, as often as not: simply not here
            raise DiskFormatError("file not found", path=path)
        root = root_for(self.folder, path, parent_ok=True, label="the disk's folder")
        return LocalFile(path, root=root, label="the disk's folder")


def local_opener(base_dir: str | os.PathLike[str]) -> Opener:
    """A :class:`LocalOpener` for ``base_dir``."""
    return LocalOpener(base_dir)

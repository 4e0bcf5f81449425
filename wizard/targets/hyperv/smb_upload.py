"""Upload a converted disk to the Hyper-V host's SMB share, resumably and verified.

Contract of :meth:`SmbUploader.upload`:
- SMB 3 with encryption required (``encrypt=True``: the client refuses a server that cannot encrypt) and
  signing required; the password is used only to open the session and never logged.
- Writes ``NAME.partial`` on the share, skipping the holes of a sparse local file (they read as zeros on the
  share too, the file's size being set at the end), in the largest requests the server takes (up to
  ``chunk``), ``depth`` of them in flight, without copying the data on the way
  (:class:`~wizard.targets.hyperv.smb_io.SmbFileWriter` over :mod:`~wizard.targets.hyperv.smb_wire`). When the
  connection drops (server restart, network cut) it reconnects with bounded back-off and continues where the
  share has everything: the remote file's size when its last writes' span equals the local file there, else
  the last offset the server had answered every write below (known within this call), else that size less
  what may still have been in flight, each after comparing the bytes before it with the local file (a
  mismatch restarts from 0). Cancel is checked every chunk and during back-off; a cancelled upload waits for
  the replies of the writes in flight and leaves the ``.partial`` for a later resume.
- After writing, the file is flushed (SMB2 FLUSH: on the host's disk, as a streamed disk is), the remote
  ``.partial`` is re-read once (pipelined, :class:`~wizard.targets.hyperv.smb_io.SmbReadBack`): its size must
  be the local file's and every byte read must equal the local file's byte there (compared as it arrives), and
  the SHA-256 of what was read is the result's (the stored file's, so the local file's too); only then it is
  renamed to ``NAME`` (replacing an older file of that name). A mismatch deletes the ``.partial`` and
  raises :class:`VerificationError`.
- Progress: stage ``upload`` then ``verify-upload``, bytes.
"""

from __future__ import annotations

import contextlib
import logging
import ntpath
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import smbclient
from smbprotocol.exceptions import SMBAuthenticationError, SMBException, SMBOSError, SMBResponseException

from wizard.core.errors import AuthError, Cancelled, ConnectError, HvmError, TargetError, VerificationError
from wizard.core.progress import CancelToken, Meter, ProgressSink
from wizard.disks.prefetch import Prefetch
from wizard.disks.raw import data_ranges
from wizard.disks.writeio import UncachedFile, aligned_buffer
from wizard.targets.hyperv.smb_io import SmbFileWriter, SmbReadBack
from wizard.targets.hyperv.smb_wire import connection_for

log = logging.getLogger(__name__)
T = TypeVar("T")
MiB = 1024 * 1024
PARTIAL = ".partial"
# STATUS_LOGON_FAILURE, STATUS_ACCOUNT_RESTRICTION, STATUS_ACCOUNT_DISABLED, STATUS_PASSWORD_EXPIRED,
# STATUS_ACCOUNT_LOCKED_OUT
_AUTH_STATUSES = {0xC000006D, 0xC000006E, 0xC0000072, 0xC0000071, 0xC0000234}


@dataclass
class UploadResult:
    remote: str
    size: int
    sha256: str
    resumed_at: list[int]  # offsets at which a dropped upload was continued


_SHARE_FIX = "Name the disk share as \\\\HOST\\SHARE."


def split_unc(unc: str) -> tuple[str, str, str]:
    r"""``\\server\share\a\b`` → ``("server", "share", "a\b")``; raises TargetError when not a UNC path."""
    text = unc.replace("/", "\\")
    if not text.startswith("\\\\"):
        raise TargetError(f"{unc!r} is not a share path like \\\\HOST\\SHARE", fix=_SHARE_FIX)
    parts = text[2:].split("\\", 2)
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise TargetError(f"{unc!r} does not name a share (\\\\HOST\\SHARE)", fix=_SHARE_FIX)
    return parts[0], parts[1], parts[2] if len(parts) == 3 else ""


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, SMBAuthenticationError):
        return False
    if isinstance(exc, SMBOSError):
        return False  # the server answered: a real error (no such path, access denied)
    return isinstance(exc, (SMBException, OSError, ValueError, EOFError))


class _SameAs:
    """Compares the pieces of a read-back, in file order, with the local file (``equal`` turns False at the
    first difference). The local file is read past the page cache, a few pieces ahead on a thread of its own
    (:class:`~wizard.disks.prefetch.Prefetch`); a piece out of that order is read on the spot."""

    def __init__(self, local: UncachedFile, size: int, chunk: int, ahead: int = 2) -> None:
        self.local, self.equal = local, True
        ring = [aligned_buffer(chunk) for _ in range(ahead + 2)]  # the consumer's piece and `ahead` more in flight
        turn = iter(range(1 << 62))
        pieces = ((pos, min(chunk, size - pos)) for pos in range(0, size, chunk))
        self._ahead = Prefetch(local, pieces, lambda _offset, length: ring[next(turn) % len(ring)][:length], ahead)
        self._stream = iter(self._ahead)
        self._piece: tuple[int, memoryview] = (0, memoryview(b""))
        self._spare = aligned_buffer(0)

    def __call__(self, offset: int, theirs: memoryview) -> None:
        done = 0
        while self.equal and done < len(theirs):
            start, mine = self._piece
            at = offset + done
            if not start <= at < start + len(mine):
                if at >= start + len(mine):  # the next piece of the local file
                    self._piece = next(self._stream, (at, memoryview(b"")))
                    if self._piece[0] <= at < self._piece[0] + len(self._piece[1]):
                        continue
                self._spot(at, theirs[done:])  # out of order, or past the end of the local file
                return
            n = min(len(theirs) - done, start + len(mine) - at)
            self.equal = _same(mine, at - start, theirs[done:done + n])
            done += n

    def _spot(self, offset: int, theirs: memoryview) -> None:
        n = len(theirs)
        if len(self._spare) < n:
            self._spare = aligned_buffer(n)
        got = self.local.pread_into(offset, self._spare[:n])
        self.equal = got == n and _same(self._spare, 0, theirs)

    def close(self) -> None:
        self._ahead.close()


def _same(mine: memoryview, at: int, theirs: memoryview) -> bool:
    """``mine[at:at + len(theirs)]`` equals ``theirs``; ``mine`` is a view from the start of an
    :func:`aligned_buffer`. An mmap's ``find()`` at the one place a match can start is a memcmp (a view == a
    view goes item by item, ~30x slower)."""
    return mine.obj.find(theirs, at, at + len(theirs)) == at


class _Buffers:
    """Read buffers for the upload, reused once the server has answered every write from them."""

    def __init__(self, size: int, count: int) -> None:
        self.size, self.count = size, count
        self._given: list[tuple[int, memoryview]] = []  # (end offset, buffer), oldest first

    def take(self, offset: int, length: int, settled: int) -> memoryview:
        if len(self._given) >= self.count and self._given[0][0] <= settled:
            buf = self._given.pop(0)[1]
        else:
            buf = aligned_buffer(self.size)  # page-aligned: the local file is read into it past the page cache
        self._given.append((offset + length, buf))
        return buf[:length]


def _check_cancel(cancel: CancelToken, writer: SmbFileWriter) -> None:
    """Raise on cancel, after the replies of the writes in flight: the ``.partial`` then has no gaps."""
    try:
        cancel.check()
    except Cancelled:
        with contextlib.suppress(Exception):
            writer.sync()
        raise


class SmbUploader:
    """Uploads to one server; holds its own connection cache so a drop can be reset cleanly."""

    def __init__(self, server: str, *, username: str, password: str, port: int = 445, encrypt: bool = True,
                 retries: int = 8, chunk: int = 8 * MiB, depth: int = 3, connection_timeout: int = 15,
                 backoff: float = 0.5) -> None:
        self.server, self.port = server, port
        self._username, self._password = username, password
        self.encrypt = encrypt
        self.retries, self.chunk, self.connection_timeout, self.backoff = retries, chunk, connection_timeout, backoff
        self.depth = depth
        self._cache: dict[str, Any] = {}

    def describe(self) -> str:
        return f"SMB share on {self.server}:{self.port}"

    def _kw(self) -> dict[str, Any]:
        return self.kw_for(self._cache)

    def kw_for(self, cache: dict[str, Any]) -> dict[str, Any]:
        """smbclient's keyword arguments for a call over ``cache``, whose connection to the server is (made) a
        :class:`~wizard.targets.hyperv.smb_wire.FastConnection`. Connecting may raise as smbclient does."""
        connection_for(cache, self.server, self.port, self.connection_timeout)
        return {"username": self._username, "password": self._password, "port": self.port,
                "encrypt": self.encrypt, "connection_timeout": self.connection_timeout,
                "connection_cache": cache}

    def _reset(self) -> None:
        try:
            smbclient.reset_connection_cache(fail_on_error=False, connection_cache=self._cache)
        except Exception as exc:  # noqa: BLE001 - the connection is already broken
            log.debug("resetting SMB connections: %s", type(exc).__name__)
        self._cache.clear()

    def _retry(self, what: str, fn: Callable[[], T], cancel: CancelToken) -> T:
        delay = self.backoff
        for attempt in range(self.retries + 1):
            cancel.check()
            try:
                return fn()
            except Cancelled:
                raise
            except SMBAuthenticationError:
                raise AuthError(f"{self.describe()} rejected the user name or password.") from None
            except SMBOSError as exc:
                if getattr(exc, "ntstatus", None) in _AUTH_STATUSES:
                    raise AuthError(f"{self.describe()} rejected the user name or password.") from None
                raise TargetError(f"{self.describe()}: {what} failed: {exc.strerror}",
                                  details=str(exc)[:500]) from None
            except ConnectError as exc:  # the pipelined writer or read-back lost its connection
                if attempt == self.retries:
                    raise ConnectError(f"Lost the connection to {self.describe()} during {what} and could not "
                                       f"get it back after {attempt + 1} tries.", details=exc.details) from None
                log.info("SMB %s interrupted (%s); reconnecting", what, exc.details[:200])
                self._reset()
                if cancel.wait(delay):
                    raise Cancelled(cancel.reason) from None
                delay = min(delay * 2, 8.0)
            except HvmError:
                raise
            except Exception as exc:  # noqa: BLE001 - sorted by _transient below
                if not _transient(exc) or attempt == self.retries:
                    if isinstance(exc, SMBResponseException):
                        raise TargetError(f"{self.describe()}: {what} failed: {exc}") from None
                    raise ConnectError(f"Lost the connection to {self.describe()} during {what} and could not "
                                       f"get it back after {attempt + 1} tries.",
                                       details=f"{type(exc).__name__}: {exc}"[:500]) from None
                log.info("SMB %s interrupted (%s); reconnecting", what, type(exc).__name__)
                self._reset()
                if cancel.wait(delay):
                    raise Cancelled(cancel.reason) from None
                delay = min(delay * 2, 8.0)
        raise AssertionError("unreachable")  # pragma: no cover

    # -- small operations ------------------------------------------------------------------------------
    def makedirs(self, unc: str, cancel: CancelToken | None = None) -> None:
        self._retry("creating a folder", lambda: smbclient.makedirs(unc, exist_ok=True, **self._kw()),
                    cancel or CancelToken())

    def size(self, unc: str, cancel: CancelToken | None = None) -> int | None:
        def probe() -> int | None:
            try:
                return smbclient.stat(unc, **self._kw()).st_size
            except SMBOSError as exc:
                if exc.errno == 2:  # ENOENT
                    return None
                raise

        return self._retry("reading a file size", probe, cancel or CancelToken())

    def remove(self, unc: str, cancel: CancelToken | None = None) -> None:
        def rm() -> None:
            try:
                smbclient.remove(unc, **self._kw())
            except SMBOSError as exc:
                if exc.errno != 2:
                    raise

        self._retry("deleting a file", rm, cancel or CancelToken())

    def remote_sha256(self, unc: str, meter: Meter | None = None, cancel: CancelToken | None = None) -> str:
        return self._read_back(unc, meter, cancel or CancelToken())[0]

    def _read_back(self, unc: str, meter: Meter | None, cancel: CancelToken,
                   check: Callable[[int, memoryview], None] | None = None) -> tuple[str, int]:
        """SHA-256 and size of ``unc`` from one pipelined read; ``check`` sees every piece fetched."""
        def read_all() -> tuple[str, int]:
            raw = smbclient.open_file(unc, mode="rb", buffering=0, **self._kw())
            size = raw.fd.end_of_file
            readback = SmbReadBack(raw, unc, size, chunk=self.chunk, depth=self.depth, keep=0, check=check)
            try:
                return readback.finish(cancel, meter), size
            finally:
                readback.close()

        return self._retry("verifying the upload", read_all, cancel)

    # -- upload --------------------------------------------------------------------------------------------
    def upload(self, local: str | os.PathLike[str], remote: str, progress: ProgressSink | None = None,
               cancel: CancelToken | None = None, *, vm: str = "") -> UploadResult:
        cancel = cancel or CancelToken()
        local = Path(local)
        total = local.stat().st_size
        partial = remote + PARTIAL
        self.makedirs(ntpath.dirname(remote), cancel)
        meter = Meter(progress, "upload", total=total, vm=vm)
        resumed: list[int] = []

        settled = [0]  # within this call: the server answered every write below this offset

        def attempt() -> None:
            offset = self._resume_offset(local, partial, total, settled[0])
            if offset:
                resumed.append(offset)
            with UncachedFile(local) as src:
                raw = smbclient.open_file(partial, mode="r+b" if offset else "wb", buffering=0, **self._kw())
                writer = SmbFileWriter(raw, partial, chunk=self.chunk, depth=self.depth)
                # the pieces in flight (depth), the one being handed over, and those the prefetch holds
                buffers = _Buffers(self.chunk, self.depth + 4)
                # the writer's own `settled` may be read only on this thread (it walks the writes in flight,
                # which give() changes): the prefetch thread sees the value published after each give()
                answered = [offset]
                pieces = ((pos, min(self.chunk, start + length - pos))
                          for start, length in data_ranges(src, offset, total)
                          for pos in range(start, start + length, self.chunk))
                ahead: Prefetch | None = None
                try:
                    # each piece is read into a buffer the server answered every write from (see _Buffers)
                    ahead = Prefetch(src, pieces, lambda at, n: buffers.take(at, n, answered[0]))
                    # holes of the local file (a VHDX's unwritten zeros) are not sent: what the share never
                    # got reads as zeros there too, up to the final size set below
                    for pos, block in ahead:
                        _check_cancel(cancel, writer)
                        if not len(block):
                            break
                        # handed over, not copied: the buffer is reused only once the server answered it
                        writer.give(block, pos)
                        answered[0] = settled[0] = writer.settled
                        meter.update(settled[0])
                    writer.truncate(total)
                    writer.sync()  # SMB2 FLUSH: on the host's disk before it is verified, renamed and journalled
                finally:
                    if ahead is not None:
                        ahead.close()
                    settled[0] = writer.settled
                    writer.close()

        self._retry("uploading", attempt, cancel)
        meter.finish()
        check = Meter(progress, "verify-upload", total=total, vm=vm)
        with UncachedFile(local) as src:
            same = _SameAs(src, total, self.chunk)
            try:
                sha, size = self._read_back(partial, check, cancel, same)
            finally:
                same.close()
        check.finish()
        if size != total or not same.equal:
            self.remove(partial, cancel)
            raise VerificationError(f"The copy of {local.name} on {self.describe()} does not match the local file "
                                    f"(size {size} vs {total}); it was deleted.")
        self._retry("renaming the upload", lambda: smbclient.replace(partial, remote, **self._kw()), cancel)
        return UploadResult(remote, total, sha, resumed)

    def _resume_offset(self, local: Path, partial: str, total: int, settled: int) -> int:
        """Where to continue (see the module docstring); 0 when nothing on the share can be trusted."""
        try:
            have = smbclient.stat(partial, **self._kw()).st_size
        except SMBOSError:
            return 0
        if have <= 0 or have > total:
            return 0
        window = (self.depth + 1) * max(MiB, self.chunk)  # what may have been unanswered when it stopped
        with open(local, "rb") as src, smbclient.open_file(partial, mode="rb", **self._kw()) as fh:
            def same(start: int, end: int) -> bool:
                src.seek(start)
                fh.seek(start)
                return fh.read(end - start) == src.read(end - start)

            for candidate, start in ((have, have - window), (settled, settled - self.chunk),
                                     (have - window, have - window - self.chunk)):
                if 0 < candidate <= have and same(max(0, start), candidate):
                    return candidate
        return 0

    def close(self) -> None:
        self._reset()

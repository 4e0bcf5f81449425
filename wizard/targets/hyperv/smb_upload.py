"""Upload a converted disk to the Hyper-V host's SMB share, resumably and verified.

Contract of :meth:`SmbUploader.upload`:
- SMB 3 with encryption required (``encrypt=True``: the client refuses a server that cannot encrypt) and
  signing required; the password is used only to open the session and never logged.
- Writes ``NAME.partial`` on the share, skipping the holes of a sparse local file (they read as zeros on the
  share too, the file's size being set at the end). When the connection drops (server restart, network cut) it
  reconnects with bounded back-off and continues at the remote file's current size, after comparing the
  last written chunk with the local file (a mismatch restarts from 0). Cancel is checked every chunk and
  during back-off; a cancelled upload leaves the ``.partial`` for a later resume.
- The SHA-256 of the local file is computed while writing (the prefix is re-hashed locally on resume);
  after writing, the file is flushed (SMB2 FLUSH: on the host's disk, as a streamed disk is), the remote
  ``.partial`` is re-read, its size and SHA-256 must match, and only then it is
  renamed to ``NAME`` (replacing an older file of that name). A mismatch deletes the ``.partial`` and
  raises :class:`VerificationError`.
- Progress: stage ``upload`` then ``verify-upload``, bytes.
"""

from __future__ import annotations

import hashlib
import logging
import ntpath
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import smbclient
from smbprotocol.exceptions import SMBAuthenticationError, SMBException, SMBOSError, SMBResponseException

from wizard.core.errors import AuthError, Cancelled, ConnectError, TargetError, VerificationError
from wizard.core.progress import CancelToken, Meter, ProgressSink
from wizard.disks.bytesource import LocalFile
from wizard.disks.raw import data_ranges
from wizard.disks.writeio import ZEROS

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


def _hash_zeros(digest, n: int) -> None:
    while n > 0:
        k = min(n, len(ZEROS))
        digest.update(ZEROS[:k] if k < len(ZEROS) else ZEROS)
        n -= k


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


class SmbUploader:
    """Uploads to one server; holds its own connection cache so a drop can be reset cleanly."""

    def __init__(self, server: str, *, username: str, password: str, port: int = 445, encrypt: bool = True,
                 retries: int = 8, chunk: int = 4 * MiB, connection_timeout: int = 15,
                 backoff: float = 0.5) -> None:
        self.server, self.port = server, port
        self._username, self._password = username, password
        self.encrypt = encrypt
        self.retries, self.chunk, self.connection_timeout, self.backoff = retries, chunk, connection_timeout, backoff
        self._cache: dict[str, Any] = {}

    def describe(self) -> str:
        return f"SMB share on {self.server}:{self.port}"

    def _kw(self) -> dict[str, Any]:
        return {"username": self._username, "password": self._password, "port": self.port,
                "encrypt": self.encrypt, "connection_timeout": self.connection_timeout,
                "connection_cache": self._cache}

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
        cancel = cancel or CancelToken()

        def read_all() -> str:
            digest = hashlib.sha256()
            done = 0
            with smbclient.open_file(unc, mode="rb", **self._kw()) as fh:
                while True:
                    cancel.check()
                    block = fh.read(self.chunk)
                    if not block:
                        return digest.hexdigest()
                    digest.update(block)
                    done += len(block)
                    if meter is not None:
                        meter.update(done)

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

        def attempt() -> str:
            offset = self._resume_offset(local, partial, total)
            if offset:
                resumed.append(offset)
            digest = hashlib.sha256()
            with open(local, "rb") as src, LocalFile(local) as probe:
                pos = 0
                while pos < offset:  # re-hash the prefix already on the share
                    block = src.read(min(self.chunk, offset - pos))
                    digest.update(block)
                    pos += len(block)
                mode = "r+b" if offset else "wb"
                # Unbuffered: every chunk is on the server when write returns, so a resume offset is exact.
                with smbclient.open_file(partial, mode=mode, buffering=0, **self._kw()) as dst:
                    # holes of the local file (a VHDX's unwritten zeros) are not sent: what the share never
                    # got reads as zeros there too, up to the final size set below
                    for start, length in [*data_ranges(probe, offset, total), (total, 0)]:
                        _hash_zeros(digest, start - pos)
                        pos = start
                        src.seek(pos)
                        dst.seek(pos)
                        while pos < start + length:
                            cancel.check()
                            block = src.read(min(self.chunk, start + length - pos))
                            if not block:
                                break
                            view = memoryview(block)
                            while view:
                                view = view[dst.write(view):]
                            digest.update(block)
                            pos += len(block)
                            meter.update(pos)
                    dst.truncate(total)
                    dst.flush()  # SMB2 FLUSH: on the host's disk before it is verified, renamed and journalled
            return digest.hexdigest()

        local_sha = self._retry("uploading", attempt, cancel)
        meter.finish()
        size = self.size(partial, cancel)
        check = Meter(progress, "verify-upload", total=total, vm=vm)
        remote_sha = self.remote_sha256(partial, check, cancel)
        check.finish()
        if size != total or remote_sha != local_sha:
            self.remove(partial, cancel)
            raise VerificationError(f"The copy of {local.name} on {self.describe()} does not match the local file "
                                    f"(size {size} vs {total}); it was deleted.")
        self._retry("renaming the upload", lambda: smbclient.replace(partial, remote, **self._kw()), cancel)
        return UploadResult(remote, total, local_sha, resumed)

    def _resume_offset(self, local: Path, partial: str, total: int) -> int:
        """Where to continue: the remote size, if its last chunk equals the local bytes there; else 0."""
        try:
            have = smbclient.stat(partial, **self._kw()).st_size
        except SMBOSError:
            return 0
        if have <= 0 or have > total:
            return 0
        start = max(0, have - self.chunk)
        with open(local, "rb") as src:
            src.seek(start)
            mine = src.read(have - start)
        with smbclient.open_file(partial, mode="rb", **self._kw()) as fh:
            fh.seek(start)
            theirs = fh.read(have - start)
        return have if theirs == mine else 0

    def close(self) -> None:
        self._reset()

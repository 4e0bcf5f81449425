"""Write a converted disk straight into a file on the Hyper-V host's SMB share (no local staging copy).

:class:`SmbDiskStream` is the :class:`wizard.disks.output.DiskStream` the Hyper-V target offers. Contract:
- ``open()`` creates the folder and ``<final>.partial`` (replacing a stale one; ``keep=True`` opens the one an
  interrupted run left, to go on with) over the uploader's SMB 3 connection (encrypted, signed); a share that
  cannot be opened for writing raises :class:`~wizard.disks.output.StreamUnavailable` so the runner stages
  locally and uploads instead (a rejected password raises :class:`AuthError` at once: the upload would fail
  the same way).
- Writes go through :class:`~wizard.targets.hyperv.smb_io.SmbFileWriter` (positional, gathered into requests of
  at most ``chunk`` bytes or the server's maximum, ``depth`` in flight, over the lean data path of
  :mod:`~wizard.targets.hyperv.smb_wire`; ``sync()`` waits for every reply and sends SMB2 FLUSH).
- A dropped connection is survived when the converter verifies (``verified``, the default): the writer and
  the read-back reconnect (the uploader's ``retries`` and ``backoff``) and reopen the ``.partial`` without
  truncating it, then go on where they were (see :mod:`~wizard.targets.hyperv.smb_io`). When that fails, or on
  a server error, :class:`ConnectError` / :class:`TargetError` names the file and ``abort()`` removes the
  ``.partial`` with one fresh connection (best effort; it keeps its ``.partial`` name, so it never looks
  complete); the disk starts over. A cancel shuts the stream's sockets at once, so a server that went silent
  cannot hold it up.
- Verification reads back: :meth:`reader` is a :class:`~wizard.disks.bytesource.ByteSource` over the
  ``.partial`` that fetches the file *sequentially* (pipelined reads of up to ``chunk``) and hashes every byte it
  fetches, serving the converter's verify pass from what it fetched. ``commit()`` fetches whatever the verify
  pass did not need, so one read of the stored file yields both the content check (the converter's) and the
  SHA-256 of the stored file (what ``Get-FileHash`` on the host computes). Hashing while writing cannot give
  the file's hash: the VHDX headers and BAT at the file's start are written last. Then ``commit()`` checks
  the size, renames ``.partial`` to the final name and records ``stored = (size, sha256)``.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import smbclient
from smbprotocol.exceptions import SMBAuthenticationError, SMBException, SMBOSError

from wizard.core.errors import AuthError, ConnectError, TargetError, VerificationError
from wizard.core.progress import CancelHook, CancelToken
from wizard.disks.output import StreamUnavailable
from wizard.targets.hyperv.smb_io import MiB, SmbFileWriter, SmbReadBack, smb_error
from wizard.targets.hyperv.smb_upload import PARTIAL, SmbUploader

log = logging.getLogger(__name__)


class SmbDiskStream:
    """:class:`wizard.disks.output.DiskStream` for one disk file on the share; see the module docstring."""

    def __init__(self, uploader: SmbUploader, final_unc: str, *, chunk: int = 8 * MiB, depth: int = 3) -> None:
        self.uploader, self.name = uploader, final_unc
        self.partial = final_unc + PARTIAL
        self.chunk, self.depth = chunk, depth
        self.stored: tuple[int, str] | None = None  # (size, sha256) once committed
        # A connection of its own: disks streamed at the same time do not share SMB credits, and a drop
        # ends only this stream.
        self._cache: dict[str, Any] = {}
        self._writer: SmbFileWriter | None = None
        self._readback: SmbReadBack | None = None
        self._cancel = CancelToken()
        self.verified = True  # the converter reads the file back and checks its content (see _retry_kw)

    def _open(self, mode: str):
        return smbclient.open_file(self.partial, mode=mode, buffering=0, **self._kw())

    def _reopener(self, mode: str):
        """Opens the ``.partial`` again over a new connection (``r+b`` keeps what was written)."""
        def again():
            self._disconnect()
            return self._open(mode)

        return again

    def _retry_kw(self, mode: str) -> dict[str, Any]:
        # Without the read-back's content check nothing would notice writes a restarted server lost: a
        # dropped connection then fails the disk instead of reconnecting.
        reopen = self._reopener(mode) if self.verified else None
        return {"reopen": reopen, "retries": self.uploader.retries, "backoff": self.uploader.backoff,
                "cancel": self._cancel}

    def _shut_sockets(self) -> None:
        """Close this stream's sockets at once (no goodbye to a server that stopped answering)."""
        for conn in list(self._cache.values()):
            with contextlib.suppress(Exception):
                conn.transport.close()

    def _kw(self) -> dict[str, Any]:
        return self.uploader.kw_for(self._cache)

    def _disconnect(self) -> None:
        try:
            smbclient.reset_connection_cache(fail_on_error=False, connection_cache=self._cache)
        except Exception as exc:  # noqa: BLE001 - the connection may already be gone
            log.debug("closing the stream's SMB connection: %s", type(exc).__name__)
        self._cache.clear()

    def open(self, cancel: CancelToken | None = None, keep: bool = False) -> SmbFileWriter:
        up = self.uploader
        self._cancel = CancelHook(cancel, self, SmbDiskStream._shut_sockets) if cancel is not None else CancelToken()
        try:
            up.makedirs(self.partial.rsplit("\\", 1)[0], cancel)
            raw = None
            if keep:  # an interrupted run's .partial, to go on with; gone → a new one (its size 0 says so)
                with contextlib.suppress(SMBOSError):
                    raw = self._open("r+b")
            if raw is None:
                raw = self._open("wb")
        except AuthError:
            raise
        except SMBAuthenticationError:
            raise AuthError(f"{up.describe()} rejected the user name or password.") from None
        except (TargetError, ConnectError, SMBException, OSError, ValueError) as exc:
            log.info("cannot write %s in place (%s); staging locally", self.partial, type(exc).__name__)
            raise StreamUnavailable(str(exc)) from None
        self._writer = SmbFileWriter(raw, self.partial, chunk=self.chunk, depth=self.depth, **self._retry_kw("r+b"))
        if keep:
            self._writer.size = int(getattr(raw.fd, "end_of_file", 0) or 0)
        return self._writer

    def _open_readback(self) -> SmbReadBack:
        if self._readback is None:
            size = self._writer.size if self._writer is not None else 0
            try:
                raw = self._open("rb")
            except (SMBException, OSError, ValueError) as exc:
                raise smb_error(self.partial, "reading back", exc) from None
            self._readback = SmbReadBack(raw, self.partial, size, chunk=self.chunk, depth=self.depth,
                                         **self._retry_kw("rb"))
        return self._readback

    def reader(self) -> SmbReadBack:
        return _Borrowed(self._open_readback())  # the verify pass closes its image; we still need the hash

    def commit(self, cancel: CancelToken | None = None) -> None:
        readback = self._open_readback()
        sha = readback.finish(cancel)
        readback.close()
        self._disconnect()
        size = self.uploader.size(self.partial, cancel)
        if size != readback.size:
            raise VerificationError(f"{self.partial} has {size} bytes on the share, {readback.size} were written.")
        if cancel is not None:
            cancel.check()
        up = self.uploader
        up._retry("renaming the upload", lambda: smbclient.replace(self.partial, self.name, **up._kw()),
                  cancel or CancelToken())
        self.stored = (size, sha)

    def abort(self) -> None:
        if self._readback is not None:
            self._readback.close()
        if self._writer is not None:
            with contextlib.suppress(Exception):  # the connection may be gone; the removal below reconnects
                self._writer.close()
        try:
            smbclient.remove(self.partial, **self._kw())
            return
        except SMBOSError as exc:
            if exc.errno == 2:
                return
        except Exception as exc:  # noqa: BLE001 - the connection may be gone: one fresh try below
            log.debug("removing %s: %s", self.partial, type(exc).__name__)
        finally:
            self._disconnect()
        try:
            smbclient.remove(self.partial, **self._kw())
        except SMBOSError as exc:
            if exc.errno != 2:
                log.warning("could not remove %s after a failed disk write: %s", self.partial, exc.strerror)
        except Exception as exc:  # noqa: BLE001 - best effort; the file keeps its .partial name
            log.warning("could not remove %s after a failed disk write: %s", self.partial, type(exc).__name__)
        finally:
            self._disconnect()


class _Borrowed:
    """A view of a ByteSource whose ``close()`` does nothing (the owner closes the source)."""

    def __init__(self, source: SmbReadBack) -> None:
        self._source = source
        self.name, self.size = source.name, source.size

    def pread_into(self, offset: int, buf: memoryview) -> int:
        return self._source.pread_into(offset, buf)

    def close(self) -> None:
        pass

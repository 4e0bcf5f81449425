"""Write a converted disk straight into a file on the Hyper-V host's SMB share (no local staging copy).

:class:`SmbDiskStream` is the :class:`wizard.disks.output.DiskStream` the Hyper-V target offers. Contract:
- ``open()`` creates the folder and ``<final>.partial`` (replacing a stale one) over the uploader's SMB 3
  connection (encrypted, signed); a share that cannot be opened for writing raises
  :class:`~wizard.disks.output.StreamUnavailable` so the runner stages locally and uploads instead (a
  rejected password raises :class:`AuthError` at once: the upload would fail the same way).
- Writes are positional: contiguous runs are gathered until they reach ``chunk`` (a discontiguous run, i.e. a
  skipped zero range, sends what was gathered), sent in requests of at most ``chunk`` bytes (default 4 MiB,
  never above the server's maximum write size or the credits it granted) and pipelined: up to ``depth``
  writes are in flight while the next run is prepared, so the server's work overlaps ours. Writes never
  overlap (the VHDX writer writes each byte once), so their completion order does not matter. ``sync()``
  waits for every reply and sends SMB2 FLUSH.
- A dropped connection or a server error while writing raises :class:`ConnectError` / :class:`TargetError`
  naming the file; there is no resume inside a streamed disk (the pipeline's journal redoes the disk), and
  ``abort()`` then removes the ``.partial`` with one fresh connection (best effort; it keeps its
  ``.partial`` name, so it never looks complete).
- Verification reads back: :meth:`reader` is a :class:`~wizard.disks.bytesource.ByteSource` over the
  ``.partial`` that fetches the file *sequentially* (pipelined 4 MiB reads) and hashes every byte it
  fetches, serving the converter's verify pass from what it fetched. ``commit()`` fetches whatever the verify
  pass did not need, so one read of the stored file yields both the content check (the converter's) and the
  SHA-256 of the stored file (what ``Get-FileHash`` on the host computes). Hashing while writing cannot give
  the file's hash: the VHDX headers and BAT at the file's start are written last. Then ``commit()`` checks
  the size, renames ``.partial`` to the final name and records ``stored = (size, sha256)``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import deque
from typing import Any

import smbclient
from smbprotocol.exceptions import SMBAuthenticationError, SMBException, SMBOSError

from wizard.core.errors import AuthError, ConnectError, InsufficientSpaceError, TargetError, VerificationError
from wizard.core.progress import CancelToken
from wizard.disks.output import StreamUnavailable
from wizard.disks.pipeline import HashWorker
from wizard.targets.hyperv.smb_upload import PARTIAL, SmbUploader

log = logging.getLogger(__name__)
MiB = 1024 * 1024
_CREDIT = 65536  # bytes one SMB credit pays for
_DISK_FULL = {0xC000007F, 0xC0000801}  # STATUS_DISK_FULL, STATUS_QUOTA_EXCEEDED


def _credits(conn) -> int:
    return conn.sequence_window["high"] - conn.sequence_window["low"]


def _error(where: str, what: str, exc: BaseException) -> Exception:
    if isinstance(exc, SMBOSError):
        if getattr(exc, "ntstatus", None) in _DISK_FULL:
            return InsufficientSpaceError(f"{where}: the share ran out of space while {what}")
        return TargetError(f"{where}: {what} failed: {exc.strerror}", details=str(exc)[:500])
    return ConnectError(f"Lost the connection to the share while {what} {where}.",
                        details=f"{type(exc).__name__}: {exc}"[:500],
                        fix="Check the network and the host, then run the migration again; this disk starts over.")


class _Pipe:
    """Requests on one open file with up to ``depth`` in flight (replies are taken in order)."""

    def __init__(self, raw, depth: int) -> None:
        self.raw, self.open, self.depth = raw, raw.fd, depth
        self.conn = self.open.connection
        self.tree = self.open.tree_connect
        self.inflight: deque = deque()

    def room(self, size: int) -> bool:
        """True when another request of ``size`` bytes may go out now (depth and credits allow it)."""
        return len(self.inflight) < self.depth and _credits(self.conn) >= max(1, -(-size // _CREDIT))

    def send(self, msg, recv, size: int, tag: Any) -> None:
        need = max(1, -(-size // _CREDIT))
        request = self.conn.send(msg, sid=self.tree.session.session_id, tid=self.tree.tree_connect_id,
                                 credit_request=need * (self.depth + 1))
        self.inflight.append((request, recv, tag))

    def reap(self) -> tuple[Any, Any]:
        """The oldest request's tag and reply."""
        request, recv, tag = self.inflight.popleft()
        return tag, recv(request)


class SmbFileWriter:
    """:class:`wizard.disks.output.RandomWriter` over an SMB file opened for writing; see the module docstring."""

    def __init__(self, raw, name: str, *, chunk: int = 4 * MiB, depth: int = 3) -> None:
        self.name = name
        self._pipe = _Pipe(raw, depth)
        self._max = max(MiB, min(chunk, self._pipe.conn.max_write_size))
        self._buf = bytearray()
        self._start = 0
        self.size = 0  # the file's size as set by truncate (or the end of the last write)
        self._failed = False

    def _check(self, result) -> None:
        (offset, want), got = result
        if got != want:
            raise TargetError(f"{self.name}: the server stored {got} of {want} bytes at offset {offset}")

    def _guard(self, what: str, fn, *args) -> Any:
        if self._failed:
            raise TargetError(f"{self.name}: an earlier write failed")
        try:
            return fn(*args)
        except (TargetError, ConnectError):
            self._failed = True
            raise
        except (SMBException, OSError, ValueError, EOFError) as exc:
            self._failed = True
            raise _error(self.name, what, exc) from None

    def pwritev(self, iov: list, offset: int) -> None:
        self._guard("writing", self._pwritev, iov, offset)

    def _pwritev(self, iov: list, offset: int) -> None:
        if self._buf and offset != self._start + len(self._buf):
            self._send_buffer()
        total = sum(len(p) for p in iov)
        self.size = max(self.size, offset + total)
        if not self._buf and total >= self._max:  # large enough alone: one copy (the caller reuses its buffers)
            self._send(b"".join(iov), offset)
            return
        if not self._buf:
            self._start = offset
        for piece in iov:
            self._buf += piece
        # contiguous pieces (1 MiB VHDX blocks of a Linux guest) go out as one request of the server's write
        # size: every SMB request costs the same Python work whatever its size, so fewer, larger ones
        if len(self._buf) >= self._max:
            self._send_buffer()

    def _send_buffer(self) -> None:
        data, start = bytes(self._buf), self._start
        self._buf = bytearray()
        self._send(data, start)

    def _send(self, data, offset: int) -> None:
        pipe, total, pos = self._pipe, len(data), 0
        while pos < total:
            while pipe.inflight and not pipe.room(min(total - pos, self._max)):
                self._check(pipe.reap())
            # at most the server's write size; fewer bytes while it has granted few credits yet
            n = min(total - pos, self._max, max(_CREDIT, _credits(pipe.conn) * _CREDIT))
            piece = data if n == total else bytes(memoryview(data)[pos:pos + n])
            msg, recv = pipe.open.write(piece, offset=offset + pos, send=False)
            pipe.send(msg, recv, n, (offset + pos, n))
            pos += n

    def _drain(self) -> None:
        if self._buf:
            self._send_buffer()
        while self._pipe.inflight:
            self._check(self._pipe.reap())

    def truncate(self, size: int) -> None:
        def cut() -> None:
            self._drain()
            self._pipe.raw.truncate(size)
            self.size = size

        self._guard("setting the size of", cut)

    def sync(self) -> None:
        def flush() -> None:
            self._drain()
            self._pipe.open.flush()

        self._guard("flushing", flush)

    def close(self) -> None:
        if self._pipe.raw.closed:
            return
        if self._failed:
            with contextlib.suppress(Exception):
                self._pipe.raw.close()
            return
        self._guard("closing", self._pipe.raw.close)


class SmbReadBack:
    """A ByteSource over an SMB file that fetches it sequentially and hashes every byte it fetches."""

    def __init__(self, raw, name: str, size: int, *, chunk: int = 4 * MiB, depth: int = 3,
                 keep: int = 16 * MiB) -> None:
        self.name, self.size = name, size
        self._raw = raw
        self._pipe = _Pipe(raw, depth)
        self._chunk = max(64 * 1024, min(chunk, self._pipe.conn.max_read_size))
        self._keep = keep
        self._sha = HashWorker()
        self._prefix = bytearray()  # the file's first bytes, kept: the VHDX reader reads its metadata first
        self._win, self._win_start = b"", 0
        self._fetched = 0  # bytes hashed so far: the file's [0, _fetched)
        self._requested = 0
        self._lock = threading.Lock()
        self.extra_reads = 0  # bytes read a second time (a read behind what was fetched)

    def _fill(self) -> None:
        while self._requested < self.size:
            n = min(self._chunk, self.size - self._requested)
            if self._pipe.inflight and not self._pipe.room(n):
                return
            n = min(n, max(_CREDIT, _credits(self._pipe.conn) * _CREDIT))
            msg, recv = self._pipe.open.read(self._requested, n, send=False)
            self._pipe.send(msg, recv, n, (self._requested, n))
            self._requested += n

    def _next(self, refill: bool = True) -> None:
        if refill:
            self._fill()
        if not self._pipe.inflight:
            raise VerificationError(f"{self.name}: the file on the share is shorter than {self.size} bytes")
        (offset, want), data = self._pipe.reap()
        if len(data) != want:
            raise VerificationError(f"{self.name}: the file on the share is shorter than {self.size} bytes")
        if refill:
            self._fill()
        self._sha.update(data)
        if offset < self._keep:
            self._prefix += data[:self._keep - offset]
        self._win, self._win_start = data, offset
        self._fetched = offset + want

    def _guarded(self, fn, *args):
        try:
            return fn(*args)
        except (SMBException, OSError, ValueError, EOFError) as exc:
            raise _error(self.name, "reading back", exc) from None

    def pread_into(self, offset: int, buf: memoryview) -> int:
        with self._lock:
            return self._guarded(self._pread_into, offset, buf)

    def _pread_into(self, offset: int, buf: memoryview) -> int:
        n = max(0, min(len(buf), self.size - offset))
        done = 0
        while done < n:
            pos = offset + done
            if pos < len(self._prefix):
                src, base = self._prefix, 0
            elif self._win_start <= pos < self._win_start + len(self._win):
                src, base = self._win, self._win_start
            elif pos >= self._fetched:
                self._next()
                continue
            else:  # behind what was fetched (not expected from the VHDX reader): read it again
                take = min(n - done, self._chunk)
                while self._pipe.inflight and not self._pipe.room(take):
                    self._next(refill=False)  # take the replies in flight (hashing them) to free credits
                data = self._pipe.open.read(pos, take)
                buf[done:done + len(data)] = data
                self.extra_reads += len(data)
                if len(data) < take:
                    break
                done += len(data)
                continue
            take = min(n - done, base + len(src) - pos)
            buf[done:done + take] = memoryview(src)[pos - base:pos - base + take]
            done += take
        return done

    def finish(self, cancel: CancelToken | None = None) -> str:
        """Fetch the rest of the file; returns the SHA-256 of all of it."""
        with self._lock:
            while self._fetched < self.size:
                if cancel is not None:
                    cancel.check()
                self._guarded(self._next)
            return self._sha.hexdigest()

    def close(self) -> None:
        self._sha.stop()
        with contextlib.suppress(Exception):
            while self._pipe.inflight:
                self._pipe.reap()
        with contextlib.suppress(Exception):
            self._raw.close()


class SmbDiskStream:
    """:class:`wizard.disks.output.DiskStream` for one disk file on the share; see the module docstring."""

    def __init__(self, uploader: SmbUploader, final_unc: str, *, chunk: int = 4 * MiB, depth: int = 3) -> None:
        self.uploader, self.name = uploader, final_unc
        self.partial = final_unc + PARTIAL
        self.chunk, self.depth = chunk, depth
        self.stored: tuple[int, str] | None = None  # (size, sha256) once committed
        # A connection of its own: disks streamed at the same time do not share SMB credits, and a drop
        # ends only this stream.
        self._cache: dict[str, Any] = {}
        self._writer: SmbFileWriter | None = None
        self._readback: SmbReadBack | None = None

    def _kw(self) -> dict[str, Any]:
        return {**self.uploader._kw(), "connection_cache": self._cache}

    def _disconnect(self) -> None:
        try:
            smbclient.reset_connection_cache(fail_on_error=False, connection_cache=self._cache)
        except Exception as exc:  # noqa: BLE001 - the connection may already be gone
            log.debug("closing the stream's SMB connection: %s", type(exc).__name__)
        self._cache.clear()

    def open(self, cancel: CancelToken | None = None) -> SmbFileWriter:
        up = self.uploader
        try:
            up.makedirs(self.partial.rsplit("\\", 1)[0], cancel)
            raw = smbclient.open_file(self.partial, mode="wb", buffering=0, **self._kw())
        except AuthError:
            raise
        except SMBAuthenticationError:
            raise AuthError(f"{up.describe()} rejected the user name or password.") from None
        except (TargetError, ConnectError, SMBException, OSError, ValueError) as exc:
            log.info("cannot write %s in place (%s); staging locally", self.partial, type(exc).__name__)
            raise StreamUnavailable(str(exc)) from None
        self._writer = SmbFileWriter(raw, self.partial, chunk=self.chunk, depth=self.depth)
        return self._writer

    def _open_readback(self) -> SmbReadBack:
        if self._readback is None:
            size = self._writer.size if self._writer is not None else 0
            try:
                raw = smbclient.open_file(self.partial, mode="rb", buffering=0, **self._kw())
            except (SMBException, OSError, ValueError) as exc:
                raise _error(self.partial, "reading back", exc) from None
            self._readback = SmbReadBack(raw, self.partial, size, chunk=self.chunk, depth=self.depth)
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

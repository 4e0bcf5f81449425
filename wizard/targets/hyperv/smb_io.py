"""Pipelined positional I/O on one SMB file, surviving a dropped connection: the streamed disk's writer and read-back.

Contract:
- :class:`SmbFileWriter` is a :class:`wizard.disks.output.RandomWriter`. Contiguous runs are gathered until
  they reach ``chunk`` (a discontiguous run, i.e. a skipped zero range, sends what was gathered), sent in
  requests of at most ``chunk`` bytes (never above the server's maximum write size or the credits it granted)
  and pipelined: up to ``depth`` writes are in flight. Writes never overlap (the VHDX writer writes each byte
  once), so their completion order does not matter. ``sync()`` waits for every reply and sends SMB2 FLUSH.
  ``give()`` writes a buffer the caller hands over (no copy); ``settled`` is the offset below which every
  write was answered (for writes given in increasing order); an unanswered write lies at most ``depth + 1``
  requests below the end of the last write given.
- :class:`SmbReadBack` is a :class:`~wizard.disks.bytesource.ByteSource` that fetches the file
  *sequentially* (pipelined reads), hashes every byte it fetches (and shows each piece to ``check`` when
  given), and serves reads from what it fetched (the first ``keep`` bytes stay, for the VHDX reader's
  metadata); ``finish()`` fetches the rest and returns the SHA-256 of the whole file.
- Over a :class:`~wizard.targets.hyperv.smb_wire.FastConnection` (what :class:`SmbUploader` and
  :class:`SmbDiskStream` open) WRITE and READ go through its lean path: the data is neither packed field by
  field nor copied on the way; signing and encryption are as negotiated.
- A dropped connection (or a session or handle the server forgot) is not the end: with a ``reopen``
  callable both reconnect with bounded back-off (``retries`` attempts in a row without a reply in between;
  cancel is honoured while waiting). The writer then sends again every write that had no reply (writes are
  positional, so sending one twice is harmless) and the read-back continues after the last byte it hashed;
  anything the server lost is caught by the read-back's content check. Out of attempts, or any other
  failure, raises :class:`ConnectError` / :class:`TargetError` / :class:`InsufficientSpaceError` naming the
  file, and the writer refuses further writes.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from smbprotocol.exceptions import SMBAuthenticationError, SMBException, SMBOSError, SMBResponseException

from wizard.core.errors import (
    AuthError,
    Cancelled,
    ConnectError,
    HvmError,
    InsufficientSpaceError,
    TargetError,
    VerificationError,
)
from wizard.core.progress import NEVER_CANCELLED, CancelToken, Meter
from wizard.disks.pipeline import HashWorker
from wizard.targets.hyperv.smb_wire import FastConnection

log = logging.getLogger(__name__)
MiB = 1024 * 1024
_CREDIT = 65536  # bytes one SMB credit pays for
_DISK_FULL = {0xC000007F, 0xC0000801}  # STATUS_DISK_FULL, STATUS_QUOTA_EXCEEDED
# STATUS_SHARING_VIOLATION (the server still holds the dropped handle), STATUS_NETWORK_NAME_DELETED,
# STATUS_FILE_CLOSED, STATUS_USER_SESSION_DELETED: the connection went away under us; a new one helps.
# STATUS_NETWORK_SESSION_EXPIRED (a Kerberos ticket ran out during a long stream) too.
_GONE = {0xC0000043, 0xC00000C9, 0xC0000128, 0xC0000203, 0xC000035C}
Reopen = Callable[[], Any]


def _status(exc: BaseException) -> int | None:
    return getattr(exc, "ntstatus", None) if isinstance(exc, SMBOSError) else getattr(exc, "status", None)


def retryable(exc: BaseException) -> bool:
    """True for a failure of the connection (worth reconnecting), False when the server answered "no"."""
    if isinstance(exc, SMBAuthenticationError):
        return False
    if isinstance(exc, (SMBOSError, SMBResponseException)):
        return _status(exc) in _GONE
    return isinstance(exc, (SMBException, OSError, EOFError, ValueError))


def smb_error(where: str, what: str, exc: BaseException) -> Exception:
    """The typed error for a failed SMB operation ``what`` (e.g. "writing") on ``where``."""
    if isinstance(exc, SMBAuthenticationError):
        return AuthError(f"{where}: the share rejected the user name or password while {what}")
    if not retryable(exc) and isinstance(exc, (SMBOSError, SMBResponseException)):
        if _status(exc) in _DISK_FULL:
            return InsufficientSpaceError(f"{where}: the share ran out of space while {what}")
        reason = exc.strerror if isinstance(exc, SMBOSError) else str(exc).split(": ", 1)[-1]
        return TargetError(f"{where}: {what} failed: {reason}", details=str(exc)[:500])
    return ConnectError(f"Lost the connection to the share while {what} {where}.",
                        details=f"{type(exc).__name__}: {exc}"[:500],
                        fix="Check the network and the host, then run the migration again; this disk starts over.")


def _credits(conn) -> int:
    return conn.sequence_window["high"] - conn.sequence_window["low"]


def _need(size: int) -> int:
    """Credits a request of ``size`` bytes costs."""
    return max(1, -(-size // _CREDIT))


class _Pipe:
    """Requests on one open file with up to ``depth`` in flight (replies are taken in order). Over a
    :class:`~wizard.targets.hyperv.smb_wire.FastConnection` WRITE and READ take its lean path (the data is
    sent and received without copies); over any other connection smbprotocol's own."""

    def __init__(self, raw, depth: int) -> None:
        self.raw, self.open, self.depth = raw, raw.fd, depth
        self.conn = self.open.connection
        self.tree = self.open.tree_connect
        self.fast = self.conn if isinstance(self.conn, FastConnection) else None
        self.inflight: deque = deque()

    def room(self, size: int) -> bool:
        """True when another request of ``size`` bytes may go out now (depth and credits allow it)."""
        return len(self.inflight) < self.depth and _credits(self.conn) >= _need(size)

    def affordable(self, size: int) -> int:
        """At most ``size`` bytes: fewer while the server has granted few credits yet."""
        return min(size, max(_CREDIT, _credits(self.conn) * _CREDIT))

    def _ask(self, size: int) -> int:
        """Credits to ask for with a request of ``size`` bytes: enough to keep ``depth`` such requests going."""
        return min(_need(size) * (self.depth + 1), 8192)

    def send(self, msg, recv, size: int, tag: Any) -> None:
        request = self.conn.send(msg, sid=self.tree.session.session_id, tid=self.tree.tree_connect_id,
                                 credit_request=self._ask(size))
        self.inflight.append((request, recv, tag))

    def write(self, data, offset: int, tag: Any) -> None:
        """Send a WRITE of ``data`` (bytes-like; it must not change until its reply is taken)."""
        if self.fast is not None:
            request = self.fast.write_request(self.open, data, offset, self._ask(len(data)))
            self.inflight.append((request, self.fast.write_count, tag))
            return
        msg, recv = self.open.write(data if isinstance(data, bytes) else bytes(data), offset=offset, send=False)
        self.send(msg, recv, len(data), tag)

    def read(self, offset: int, size: int, tag: Any) -> None:
        """Send a READ of ``size`` bytes at ``offset``; its reply is the data (a view of the reply or bytes)."""
        if self.fast is not None:
            request = self.fast.read_request(self.open, offset, size, self._ask(size))
            self.inflight.append((request, self.fast.read_data, tag))
            return
        msg, recv = self.open.read(offset, size, send=False)
        self.send(msg, recv, size, tag)

    def reap(self) -> tuple[Any, Any]:
        """The oldest request's tag and reply (the request stays in flight if taking its reply fails)."""
        request, recv, tag = self.inflight[0]
        reply = recv(request)
        self.inflight.popleft()
        return tag, reply

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.raw.close()


class _Reconnector:
    """Bounded reconnects: ``retries`` attempts in a row without a reply in between."""

    def __init__(self, name: str, reopen: Reopen | None, retries: int, backoff: float, cancel: CancelToken) -> None:
        self.name, self.reopen, self.retries, self.backoff, self.cancel = name, reopen, retries, backoff, cancel
        self.failures = 0  # since the last reply
        self.count = 0  # reconnects so far

    def replied(self) -> None:
        self.failures = 0

    def __call__(self, exc: Exception, old: _Pipe, depth: int, what: str) -> _Pipe:
        """A new pipe after ``exc``; when reconnecting cannot help, the typed error for ``what`` (e.g.
        "writing") is raised (a typed error or a cancel as it is)."""
        if isinstance(exc, (HvmError, Cancelled)):
            raise exc
        try:
            return self._again(exc, old, depth)
        except (HvmError, Cancelled):
            raise
        except Exception as final:  # noqa: BLE001 - anything the SMB stack raised becomes a typed error
            raise smb_error(self.name, what, final) from None

    def _again(self, exc: Exception, old: _Pipe, depth: int) -> _Pipe:
        if self.reopen is None or not retryable(exc):
            raise exc
        old.close()
        while True:
            self.failures += 1
            if self.failures > self.retries:
                raise exc
            delay = min(self.backoff * 2 ** (self.failures - 1), 8.0)
            log.info("SMB connection for %s lost (%s); reconnecting in %.1fs", self.name, type(exc).__name__, delay)
            if self.cancel.wait(delay):
                self.cancel.check()
            try:
                pipe = _Pipe(self.reopen(), depth)
            except Exception as again:  # noqa: BLE001 - sorted by retryable()
                if not retryable(again):
                    raise
                exc = again
                continue
            self.count += 1
            return pipe


class SmbFileWriter:
    """:class:`wizard.disks.output.RandomWriter` over an SMB file opened for writing; see the module docstring."""

    def __init__(self, raw, name: str, *, chunk: int = 8 * MiB, depth: int = 3, reopen: Reopen | None = None,
                 retries: int = 8, backoff: float = 0.5, cancel: CancelToken | None = None) -> None:
        self.name = name
        self._depth = depth
        self._pipe = _Pipe(raw, depth)
        self._max = min(max(MiB, chunk), self._pipe.conn.max_write_size)  # never above what the server takes
        self._reconnect = _Reconnector(name, reopen, retries, backoff, cancel or NEVER_CANCELLED)
        self._buf = bytearray()
        self._start = 0
        self._todo: deque[tuple[int, bytes | bytearray | memoryview]] = deque()  # (offset, data) not yet sent
        self.size = 0  # the file's size as set by truncate (or the end of the last write)
        self._end = 0  # the end of the last write given
        self._failed = False

    @property
    def settled(self) -> int:
        """Writes given in increasing order (as the uploader gives them): everything below this offset has
        been answered by the server."""
        pending = [tag[0] for _, _, tag in self._pipe.inflight]
        if self._todo:
            pending.append(self._todo[0][0])
        if self._buf:
            pending.append(self._start)
        return min(pending) if pending else self._end

    @property
    def reconnects(self) -> int:
        return self._reconnect.count

    def _guard(self, what: str, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` (idempotent), reconnecting and re-sending what had no reply when the connection drops."""
        if self._failed:
            raise TargetError(f"{self.name}: an earlier write failed")
        while True:
            try:
                return fn()
            except Exception as exc:  # noqa: BLE001 - the reconnector sorts it (retry, or a typed error)
                self._requeue()
                try:
                    self._pipe = self._reconnect(exc, self._pipe, self._depth, what)
                except BaseException:
                    self._failed = True
                    raise

    def _requeue(self) -> None:
        """Writes without a reply go back to the front of the queue, in their order."""
        lost = [tag for _, _, tag in self._pipe.inflight]
        self._pipe.inflight.clear()
        self._todo.extendleft(reversed(lost))

    def pwritev(self, iov: list, offset: int) -> None:
        if self._failed:
            raise TargetError(f"{self.name}: an earlier write failed")
        if self._buf and offset != self._start + len(self._buf):
            self._queue_buffer()
        total = sum(len(p) for p in iov)
        self.size = max(self.size, offset + total)
        self._end = offset + total
        if not self._buf and total >= self._max:  # large enough alone: one copy (the caller reuses its buffers)
            self._todo.append((offset, b"".join(iov)))
        else:
            if not self._buf:
                self._start = offset
            for piece in iov:
                self._buf += piece
            # contiguous pieces (1 MiB VHDX blocks of a Linux guest) go out as one request of the server's
            # write size: every SMB request costs the same Python work whatever its size, so fewer, larger ones
            if len(self._buf) >= self._max:
                self._queue_buffer()
        if self._todo:
            self._guard("writing", self._pump)

    def give(self, data: bytes | bytearray | memoryview, offset: int) -> None:
        """Write ``data`` at ``offset`` without copying it: the caller hands it over and must not change it
        (the writer keeps it until the server has answered, to send it again after a reconnect)."""
        if self._failed:
            raise TargetError(f"{self.name}: an earlier write failed")
        if self._buf:
            self._queue_buffer()
        self.size = max(self.size, offset + len(data))
        self._end = offset + len(data)
        self._todo.append((offset, data))
        self._guard("writing", self._pump)

    def _queue_buffer(self) -> None:
        self._todo.append((self._start, self._buf))  # handed over as it is: a new buffer gathers what follows
        self._buf = bytearray()

    def _check(self, result) -> None:
        (offset, data), got = result
        self._reconnect.replied()
        if got != len(data):
            raise TargetError(f"{self.name}: the server stored {got} of {len(data)} bytes at offset {offset}")

    def _pump(self, drain: bool = False) -> None:
        """Send what is queued (waiting for replies while depth or credits are used up); ``drain``: all replies."""
        todo = self._todo
        while todo:
            pipe = self._pipe
            offset, data = todo[0]
            while pipe.inflight and not pipe.room(min(len(data), self._max)):
                self._check(pipe.reap())
            n = pipe.affordable(min(len(data), self._max))
            piece = data if n == len(data) else memoryview(data)[:n]  # a split is a view: nothing is copied
            pipe.write(piece, offset, (offset, piece))
            todo.popleft()
            if n < len(data):
                todo.appendleft((offset + n, memoryview(data)[n:]))
        while drain and self._pipe.inflight:
            self._check(self._pipe.reap())

    def _drain(self) -> None:
        if self._buf:
            self._queue_buffer()
        self._pump(drain=True)

    def truncate(self, size: int) -> None:
        def cut() -> None:
            self._drain()
            self._pipe.raw.truncate(size)

        self._guard("setting the size of", cut)
        self.size = size

    def sync(self) -> None:
        def flush() -> None:
            self._drain()
            self._pipe.open.flush()

        self._guard("flushing", flush)

    def close(self) -> None:
        if self._pipe.raw.closed:
            return
        if self._failed:
            self._pipe.close()
            return
        try:
            self._pipe.raw.close()
        except Exception as exc:  # noqa: BLE001 - sorted below
            if not retryable(exc):
                raise smb_error(self.name, "closing", exc) from None
            # close follows sync(): every write was answered and flushed, so a lost handle costs nothing
            log.info("SMB connection for %s lost while closing it (%s); the data is flushed", self.name,
                     type(exc).__name__)
            self._pipe.close()


class SmbReadBack:
    """A ByteSource over an SMB file that fetches it sequentially and hashes every byte it fetches."""

    def __init__(self, raw, name: str, size: int, *, chunk: int = 8 * MiB, depth: int = 3,
                 keep: int = 16 * MiB, reopen: Reopen | None = None, retries: int = 8, backoff: float = 0.5,
                 cancel: CancelToken | None = None, check: Callable[[int, Any], None] | None = None) -> None:
        self.name, self.size = name, size
        self._check = check  # sees every piece fetched, (offset, data), in file order
        self._depth = depth
        self._pipe = _Pipe(raw, depth)
        self._chunk = max(64 * 1024, min(chunk, self._pipe.conn.max_read_size))
        self._keep = keep
        self._reconnect = _Reconnector(name, reopen, retries, backoff, cancel or NEVER_CANCELLED)
        self._sha = HashWorker()
        self._prefix = bytearray()  # the file's first bytes, kept: the VHDX reader reads its metadata first
        self._win, self._win_start = b"", 0
        self._fetched = 0  # bytes hashed so far: the file's [0, _fetched)
        self._requested = 0
        self._lock = threading.Lock()
        self.extra_reads = 0  # bytes read a second time (a read behind what was fetched)

    @property
    def reconnects(self) -> int:
        return self._reconnect.count

    def _fill(self) -> None:
        while self._requested < self.size:
            n = min(self._chunk, self.size - self._requested)
            if self._pipe.inflight and not self._pipe.room(n):
                return
            n = self._pipe.affordable(n)
            self._pipe.read(self._requested, n, (self._requested, n))
            self._requested += n

    def _next(self, refill: bool = True) -> None:
        if refill:
            self._fill()
        if not self._pipe.inflight:
            raise VerificationError(f"{self.name}: the file on the share is shorter than {self.size} bytes")
        (offset, want), data = self._pipe.reap()
        self._reconnect.replied()
        if len(data) != want:
            raise VerificationError(f"{self.name}: the file on the share is shorter than {self.size} bytes")
        self._sha.update(data)
        if self._check is not None:
            self._check(offset, data)
        if offset < self._keep:
            self._prefix += data[:self._keep - offset]
        self._win, self._win_start = data, offset
        self._fetched = offset + want
        if refill:
            self._fill()

    def _guarded(self, fn, *args):
        """Run ``fn`` (idempotent); after a dropped connection, fetch again from the last byte hashed."""
        while True:
            try:
                return fn(*args)
            except Exception as exc:  # noqa: BLE001 - the reconnector sorts it (retry, or a typed error)
                self._pipe = self._reconnect(exc, self._pipe, self._depth, "reading back")
                self._requested = self._fetched

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

    def finish(self, cancel: CancelToken | None = None, meter: Meter | None = None) -> str:
        """Fetch the rest of the file; returns the SHA-256 of all of it (``meter`` counts the bytes fetched)."""
        with self._lock:
            while self._fetched < self.size:
                if cancel is not None:
                    cancel.check()
                self._guarded(self._next)
                if meter is not None:
                    meter.update(self._fetched)
            return self._sha.hexdigest()

    def close(self) -> None:
        self._sha.stop()
        with contextlib.suppress(Exception):
            while self._pipe.inflight:
                self._pipe.reap()
        self._pipe.close()

"""A datastore file read over HTTPS with Range requests, as a :class:`wizard.disks.bytesource.ByteSource`.

Contract:
- ``HttpByteSource(policy, url, ...)`` reads ``https://host:port<url>`` (``/folder/<path>?dcPath=&dsName=``)
  with the session cookie and the connection's TLS policy (pinned thumbprint checked on every connection).
- ``pread_into`` issues one ``Range`` request per call (no staging copy). A dropped connection, a timeout
  or a 5xx reply is retried with exponential backoff, continuing from the last byte received; after
  ``retries`` consecutive attempts without progress it raises :class:`ConnectError` naming the file.
- 401 first calls ``relogin`` (a new session, e.g. after the old one expired during a long copy) and
  retries; a 401/403 that persists → :class:`PermissionDeniedError`; 404 → :class:`SourceError` naming the file.
- A server that ignores ``Range`` (200) is read only from byte 0 (a resumed read starts that buffer again);
  elsewhere it is a :class:`SourceError`, and so is a 206 for another offset or a file whose size the server
  does not tell. Only one reader logs in again when several meet the same expired session.
- ``cancel`` is checked before each request and every MiB, and shuts the sockets in use, so a read stalled
  on a silent server ends at once; progress reports bytes received (stage ``download``). Connections are
  pooled, so concurrent ``pread_into`` calls are safe.
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import socket
import ssl
import threading
from collections.abc import Callable

from wizard.core.errors import ConnectError, HvmError, PermissionDeniedError, SourceError
from wizard.core.progress import NEVER_CANCELLED, CancelHook, CancelToken, Meter, ProgressSink
from wizard.sources.vsphere_tls import PolicyHTTPSConnection, TlsPolicy

log = logging.getLogger(__name__)

READ_STEP = 1 << 20
_TRANSIENT = (ConnectionError, socket.timeout, TimeoutError, http.client.HTTPException, ssl.SSLError, OSError)


class _Retry(Exception):  # noqa: N818 - internal signal
    """A transient failure worth retrying (5xx reply)."""


class HttpByteSource:
    def __init__(self, policy: TlsPolicy, url: str, *, name: str = "", cookie: Callable[[], str] | str = "",
                 cancel: CancelToken | None = None, progress: ProgressSink | None = None,
                 retries: int = 6, backoff: float = 0.2, max_backoff: float = 5.0, timeout: float = 60.0,
                 size: int | None = None, relogin: Callable[[], None] | None = None) -> None:
        self.policy = policy
        self.url = url
        self.name = name or url
        self._cookie = cookie
        self.cancel = cancel or NEVER_CANCELLED
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self.reconnects = 0  # how many times a transfer resumed after a failure
        self.bytes_read = 0
        self._meter = Meter(progress, "download") if progress is not None else None
        self._pool: list[PolicyHTTPSConnection] = []
        self._lock = threading.Lock()
        self._closed = False
        self._relogin = relogin
        self._relogged = False
        self._active: set[PolicyHTTPSConnection] = set()  # connections in use (shut down on cancel)
        if cancel is not None:
            CancelHook(cancel, self, HttpByteSource._shut_active)
        self.size = self._probe_size() if size is None else size
        if self._meter is not None:
            self._meter.total = max(self.size, 0)

    def __repr__(self) -> str:
        return f"HttpByteSource({self.name!r}, size={self.size})"

    # ---- connections -------------------------------------------------------------------------------

    def _shut_active(self) -> None:
        """Shut the connections in use (a cancel): a read stalled on a silent server ends at once."""
        with self._lock:
            conns = [*self._active]
        for conn in conns:
            sock = conn.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        cookie = self._cookie() if callable(self._cookie) else self._cookie
        headers = {"Accept-Encoding": "identity", "User-Agent": "hvmigrate"}
        if cookie:
            headers["Cookie"] = cookie
        headers.update(extra or {})
        return headers

    def _get_conn(self) -> PolicyHTTPSConnection:
        with self._lock:
            if self._pool:
                return self._pool.pop()
        return PolicyHTTPSConnection(self.policy.host, self.policy.port, policy=self.policy, timeout=self.timeout)

    def _put_conn(self, conn: PolicyHTTPSConnection) -> None:
        with self._lock:
            if not self._closed and len(self._pool) < 4:
                self._pool.append(conn)
                return
        conn.close()

    def _request(self, conn: PolicyHTTPSConnection, start: int, end: int) -> http.client.HTTPResponse:
        headers = self._headers({"Range": f"bytes={start}-{end}"})
        conn.request("GET", self.url, headers=headers)
        resp = conn.getresponse()
        if resp.status == 401 and self._relogin is not None and headers.get("Cookie") != self._headers().get("Cookie"):
            resp.read()
            raise _Retry("HTTP 401: another reader already logged in again")  # not a reason for a second login
        if resp.status == 401 and self._relogin is not None and not self._relogged:
            resp.read()
            self._relogged = True  # once per success: a session that expired during a long copy
            self._relogin()
            raise _Retry("HTTP 401: logged in again")
        if resp.status in (401, 403):
            resp.read()
            raise PermissionDeniedError(f"The server refused to let us read {self.name} (HTTP {resp.status}).",
                                        fix="Check that the account has Datastore.Browse and "
                                            "Datastore.FileManagement, and that the session is still valid.")
        if resp.status == 404:
            resp.read()
            raise SourceError(f"{self.name} was not found on the datastore.",
                              fix="The VM may have been moved or deleted since discovery; run discovery again.")
        if resp.status >= 500:
            resp.read()
            raise _Retry(f"HTTP {resp.status}")
        self._relogged = False
        return resp

    def _probe_size(self) -> int:
        def probe(conn: PolicyHTTPSConnection) -> int:
            resp = self._request(conn, 0, 0)
            crange = resp.getheader("Content-Range", "") or ""
            length = resp.getheader("Content-Length", "") or ""
            if resp.status == 200:
                conn.close()  # a whole-file reply (Range ignored): never read it just to learn the size
                total = length.strip()
            else:
                resp.read()
                total = crange.rsplit("/", 1)[1].strip() if "/" in crange else ""
                if resp.status == 416 and not total:
                    total = "0"
                elif resp.status not in (206, 416):
                    raise SourceError(f"Unexpected HTTP {resp.status} reading {self.name}.")
            if not total.isdigit():
                raise SourceError(f"The server did not tell the size of {self.name}.",
                                  details=f"HTTP {resp.status}, Content-Range: {crange!r}, "
                                          f"Content-Length: {length!r}",
                                  fix="Check that the address is the vCenter/ESXi host itself, not a proxy.")
            return int(total)

        return self._with_retries(probe)

    # ---- retries -----------------------------------------------------------------------------------

    def _with_retries(self, attempt: Callable[[PolicyHTTPSConnection], int],
                      progressed: Callable[[], int] | None = None) -> int:
        failures = 0
        delay = self.backoff
        while True:
            self.cancel.check()
            before = progressed() if progressed else 0
            conn = self._get_conn()
            with self._lock:
                self._active.add(conn)
            try:
                result = attempt(conn)
            except (_Retry, ConnectError, *_TRANSIENT) as exc:
                conn.close()
                if isinstance(exc, HvmError) and type(exc) is not ConnectError:
                    raise  # certificate, permission, auth: retrying cannot help
                self.cancel.check()  # a cancel shuts the socket: that failure is the cancel, not a network fault
                if progressed and progressed() > before:
                    failures, delay = 0, self.backoff  # progress was made: the budget starts again
                failures += 1
                if failures > self.retries:
                    raise ConnectError(f"Reading {self.name} failed after {self.retries} retries.",
                                       details=f"{type(exc).__name__}: {exc}") from None
                log.info("reading %s: %s; retrying in %.1fs", self.name, type(exc).__name__, delay)
                self.reconnects += 1
                if self.cancel.wait(delay):
                    self.cancel.check()
                delay = min(delay * 2, self.max_backoff)
                continue
            except BaseException:
                conn.close()
                raise
            finally:
                with self._lock:
                    self._active.discard(conn)
            self._put_conn(conn)
            return result

    # ---- ByteSource --------------------------------------------------------------------------------

    def pread_into(self, offset: int, buf: memoryview) -> int:
        if self._closed:
            raise ValueError("read from a closed HttpByteSource")
        want = min(len(buf), max(0, self.size - offset)) if self.size >= 0 else len(buf)
        got = 0

        def attempt(conn: PolicyHTTPSConnection) -> int:
            nonlocal got
            resp = self._request(conn, offset + got, offset + want - 1)
            if resp.status == 200 and offset:
                conn.close()
                raise SourceError(f"The server does not support partial reads (Range) for {self.name}.")
            if resp.status == 200:
                got = 0  # the whole file from byte 0: fill the buffer again from its start, never append
            elif resp.status != 206:
                resp.read()
                raise SourceError(f"Unexpected HTTP {resp.status} reading {self.name} at offset {offset + got}.")
            else:
                first = _range_start(resp.getheader("Content-Range", "") or "")
                if first is not None and first != offset + got:
                    conn.close()
                    raise SourceError(f"The server sent {self.name} from offset {first} when asked for "
                                      f"offset {offset + got}.",
                                      fix="Check that no proxy rewrites the requests to the vCenter/ESXi host.")
            while got < want:
                self.cancel.check()
                n = resp.readinto(buf[got:min(want, got + READ_STEP)])
                if not n:
                    raise http.client.IncompleteRead(b"", want - got)
                got += n
                self.bytes_read += n
                if self._meter is not None:
                    self._meter.update(self.bytes_read)
            if resp.status == 200:
                resp.close()  # a whole-file reply: don't drain the rest
                raise _Done
            if not getattr(resp, "isclosed", lambda: True)():
                conn.close()  # the server sent more than asked: the rest must not leak into the next reply
            return got

        if want <= 0:
            return 0
        try:
            return self._with_retries(attempt, progressed=lambda: got)
        except _Done:
            return got

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, []
        for conn in pool:
            conn.close()
        if self._meter is not None:
            self._meter.finish()

    def __enter__(self) -> HttpByteSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _range_start(content_range: str) -> int | None:
    """The first byte of ``bytes START-END/TOTAL``; None when the header is absent or unreadable."""
    unit, _, spec = content_range.strip().partition(" ")
    first = spec.split("-", 1)[0].strip()
    return int(first) if unit.lower() == "bytes" and first.isdigit() else None


class _Done(Exception):  # noqa: N818 - internal signal
    """A 200 reply satisfied the read; the connection cannot be reused."""

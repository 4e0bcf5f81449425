"""HttpByteSource's reply handling, with a scripted in-memory server (the simulator ignores the cookie)."""

from __future__ import annotations

import io

import pytest

from wizard.core.errors import PermissionDeniedError, SourceError
from wizard.sources.vsphere_http import HttpByteSource
from wizard.sources.vsphere_tls import TlsPolicy

BLOB = bytes(range(256)) * 64  # 16 KiB


class FakeResp(io.BytesIO):
    def __init__(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        super().__init__(body)
        self.status = status
        self.headers = headers or {}

    def getheader(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)


class FakeServer:
    """Serves BLOB with Range; ``script`` lists statuses to answer first (401, 500, 200 = ignore Range)."""

    def __init__(self, script: list[int]) -> None:
        self.script = list(script)
        self.cookies: list[str] = []
        self.session = "s1"

    def conn(self):
        server = self

        class Conn:
            def request(self, method, url, headers):
                self.headers = headers

            def getresponse(self):
                server.cookies.append(self.headers.get("Cookie", ""))
                start, end = (int(x) for x in self.headers["Range"][len("bytes="):].split("-"))
                status = server.script.pop(0) if server.script else 206
                if status == 206 and self.headers.get("Cookie") != f"vmware_soap_session={server.session}":
                    status = 401
                if status == 206:
                    return FakeResp(206, BLOB[start:end + 1], {"Content-Range": f"bytes {start}-{end}/{len(BLOB)}"})
                if status == 200:
                    return FakeResp(200, BLOB, {"Content-Length": str(len(BLOB))})
                return FakeResp(status)

            def close(self):
                pass

        return Conn()


def _source(server: FakeServer, session: dict, relogin=None) -> HttpByteSource:
    src = HttpByteSource.__new__(HttpByteSource)
    src._get_conn = server.conn  # type: ignore[method-assign]
    HttpByteSource.__init__(src, TlsPolicy("vc.lab", insecure=True), "/folder/x?dsName=d", name="[d] x.vmdk",
                            cookie=lambda: f"vmware_soap_session={session['id']}", backoff=0.0, retries=3,
                            relogin=relogin)  # probes the size through the fake server
    return src


@pytest.fixture(autouse=True)
def _no_real_connections(monkeypatch):
    def refuse(self):
        raise AssertionError("no real connection in unit tests")

    monkeypatch.setattr(HttpByteSource, "_get_conn", refuse)


def test_expired_session_logs_in_again_once_and_continues():
    server = FakeServer([])
    session = {"id": "s1"}
    src = _source(server, session)
    assert src.size == len(BLOB)
    server.session = "s2"  # the server forgot the old session
    calls = []

    def relogin():
        calls.append(1)
        session["id"] = "s2"

    src._relogin = relogin
    buf = bytearray(4096)
    assert src.pread_into(1000, memoryview(buf)) == 4096 and bytes(buf) == BLOB[1000:5096]
    assert calls == [1] and server.cookies[-1] == "vmware_soap_session=s2"


def test_refused_after_logging_in_again_is_permission_denied():
    server = FakeServer([])
    src = _source(server, {"id": "s1"}, relogin=lambda: None)
    server.session = "other"
    with pytest.raises(PermissionDeniedError, match=r"\[d\] x\.vmdk"):
        src.pread_into(0, memoryview(bytearray(10)))


def test_server_errors_are_retried_then_succeed():
    server = FakeServer([])
    src = _source(server, {"id": "s1"})
    server.script = [500, 503]
    buf = bytearray(100)
    assert src.pread_into(len(BLOB) - 50, memoryview(buf)) == 50  # short only at end of file
    assert bytes(buf[:50]) == BLOB[-50:] and src.reconnects == 2


def test_a_server_ignoring_range_is_refused_clearly():
    server = FakeServer([])
    src = _source(server, {"id": "s1"})
    server.script = [200]
    with pytest.raises(SourceError, match="partial reads"):
        src.pread_into(512, memoryview(bytearray(10)))

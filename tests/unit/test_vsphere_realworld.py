"""Real-world vCenter/ESXi replies the happy path never shows: odd HTTP answers, escaped names, vApps,
datastore names with brackets, unknown devices. Pure unit tests on scripted replies and pyVmomi objects."""

from __future__ import annotations

import io

import pytest

from wizard.core.errors import SourceError
from wizard.sources.vsphere_http import HttpByteSource
from wizard.sources.vsphere_tls import TlsPolicy

BLOB = bytes(range(251)) * 80  # 20080 bytes, no period of 256 so misplaced bytes show


class Resp(io.BytesIO):
    """An http.client-like reply; ``cut_after`` ends the body early (a dropped connection)."""

    def __init__(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
                 cut_after: int | None = None) -> None:
        super().__init__(body if cut_after is None else body[:cut_after])
        self.status = status
        self.headers = headers or {}
        self.consumed = 0

    def getheader(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)

    def read(self, *args):
        data = super().read(*args)
        self.consumed += len(data)
        return data

    def readinto(self, b):
        n = super().readinto(b)
        self.consumed += n
        return n

    def isclosed(self) -> bool:
        return self.tell() >= len(self.getbuffer())


class Server:
    """Answers each request with ``handler(start, end, cookie)`` → Resp; records what it was asked."""

    def __init__(self, handler) -> None:
        self.handler = handler
        self.asked: list[tuple[int, int, str]] = []
        self.replies: list[Resp] = []

    def conn(self):
        server = self

        class Conn:
            sock = None

            def request(self, method, url, headers):
                self.headers = headers

            def getresponse(self):
                start, end = (int(x) for x in self.headers["Range"][len("bytes="):].split("-"))
                cookie = self.headers.get("Cookie", "")
                server.asked.append((start, end, cookie))
                resp = server.handler(start, end, cookie)
                server.replies.append(resp)
                return resp

            def close(self):
                pass

        return Conn()


def ranged(start: int, end: int, *_: object) -> Resp:
    end = min(end, len(BLOB) - 1)
    return Resp(206, BLOB[start:end + 1], {"Content-Range": f"bytes {start}-{end}/{len(BLOB)}"})


def whole(*_: object) -> Resp:
    return Resp(200, BLOB, {"Content-Length": str(len(BLOB))})


def open_source(server: Server, cookie=lambda: "vmware_soap_session=s1", relogin=None) -> HttpByteSource:
    src = HttpByteSource.__new__(HttpByteSource)
    src._get_conn = server.conn  # type: ignore[method-assign]
    HttpByteSource.__init__(src, TlsPolicy("vc.lab", insecure=True), "/folder/x?dsName=d", name="[d] x.vmdk",
                            cookie=cookie, backoff=0.0, retries=3, relogin=relogin)
    return src


# ---- datastore HTTP ------------------------------------------------------------------------------------

def test_size_probe_on_a_server_ignoring_range_does_not_download_the_whole_file():
    server = Server(whole)
    src = open_source(server)
    assert src.size == len(BLOB)
    assert server.replies[0].consumed == 0  # a 500 GB disk must not be read into memory to learn its size


def test_size_probe_without_any_length_is_a_clear_error():
    with pytest.raises(SourceError, match="did not tell the size"):
        open_source(Server(lambda *a: Resp(200, BLOB)))
    with pytest.raises(SourceError, match="did not tell the size"):
        open_source(Server(lambda *a: Resp(206, BLOB[:1], {"Content-Range": "bytes 0-0/*"})))


def test_a_reply_for_the_wrong_offset_is_refused_not_copied():
    server = Server(ranged)
    src = open_source(server)
    server.handler = lambda start, end, _c: ranged(0, end - start)  # a proxy that drops the Range start
    with pytest.raises(SourceError, match="from offset 0 when asked for offset 4096"):
        src.pread_into(4096, memoryview(bytearray(100)))


def test_whole_file_reply_after_a_cut_refills_from_byte_zero_never_appends():
    server = Server(ranged)
    src = open_source(server)
    answers = [Resp(206, BLOB[:10000], {"Content-Range": f"bytes 0-9999/{len(BLOB)}"}, cut_after=3000), whole()]
    server.handler = lambda *a: answers.pop(0)
    buf = bytearray(10000)
    assert src.pread_into(0, memoryview(buf)) == 10000
    assert bytes(buf) == BLOB[:10000]
    assert server.asked[-1][0] == 3000  # it did resume at the cut; the server answered with the whole file


def test_expired_session_seen_by_two_readers_logs_in_only_once():
    session = {"id": "s1"}
    logins = []

    def handler(start, end, cookie):
        if cookie != f"vmware_soap_session={session['id']}":
            return Resp(401)
        return ranged(start, end)

    server = Server(handler)
    src = open_source(server, cookie=lambda: f"vmware_soap_session={session['id']}",
                      relogin=lambda: logins.append(1))
    # another reader of this file already logged in again while our request was on its way
    original = server.handler

    def stale_then_fresh(start, end, cookie):
        if not logins and session["id"] == "s1":
            src._relogged = True
            session["id"] = "s2"
            logins.append("other reader")
            return Resp(401)
        return original(start, end, cookie)

    server.handler = stale_then_fresh
    buf = bytearray(500)
    assert src.pread_into(100, memoryview(buf)) == 500 and bytes(buf) == BLOB[100:600]
    assert logins == ["other reader"]

"""A stand-in WinRM (WS-Management) server on loopback for pywinrm.

It speaks the shell protocol pywinrm uses — Create shell, Command, Send (stdin), Receive (base64 stdout/
stderr, CommandState Done with ExitCode), Signal, Delete — with HTTP Basic authentication over plain
HTTP (loopback only) or over TLS with a self-signed certificate (to test thumbprint pinning). What a
command does is up to a ``responder(command_line, stdin) -> Reply``; ``fakehost`` provides one that answers
hvmigrate's PowerShell with recorded Hyper-V outputs.

It tests transport, parsing and error handling. It is not evidence that Hyper-V accepts the scripts.
"""

from __future__ import annotations

import base64
import datetime
import ssl
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "w": "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
    "rsp": "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
}
ACTION = {
    "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create": "create",
    "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete": "delete",
    "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command": "command",
    "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Send": "send",
    "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive": "receive",
    "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Signal": "signal",
}
DONE = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done"


@dataclass
class Reply:
    """What a command answers. ``http_status``/``fault`` make the Command request itself fail;
    ``hang`` makes the server not answer the Receive (the client times out)."""

    stdout: bytes = b""
    stderr: bytes = b""
    exit_code: int = 0
    http_status: int = 200
    fault: str = ""
    hang: bool = False


@dataclass
class _Command:
    command_line: str
    stdin: bytearray = field(default_factory=bytearray)
    reply: Reply | None = None


def _envelope(action: str, relates_to: str, body: str) -> bytes:
    return (
        f'<s:Envelope xmlns:s="{NS["s"]}" xmlns:a="{NS["a"]}" xmlns:w="{NS["w"]}" xmlns:rsp="{NS["rsp"]}">'
        f"<s:Header><a:Action>{action}</a:Action><a:MessageID>uuid:{uuid.uuid4()}</a:MessageID>"
        f"<a:RelatesTo>{relates_to}</a:RelatesTo></s:Header><s:Body>{body}</s:Body></s:Envelope>"
    ).encode()


def fault_body(reason: str, code: str = "s:Receiver", wsman_code: int = 2147942405) -> str:
    return (f"<s:Fault><s:Code><s:Value>{code}</s:Value><s:Subcode><s:Value>w:InternalError</s:Value></s:Subcode>"
            f'</s:Code><s:Reason><s:Text xml:lang="en-US">{escape(reason)}</s:Text></s:Reason><s:Detail>'
            f'<f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="{wsman_code}">'
            f"<f:Message>{escape(reason)}</f:Message></f:WSManFault></s:Detail></s:Fault>")


class WinRMStandIn:
    """Start with ``start()``; ``url`` names the endpoint; ``received`` lists every command run."""

    def __init__(self, responder: Callable[[str, bytes], Reply], *, user: str = "hvadmin",
                 password: str = "P@ss w0rd'\"", tls_dir: Path | None = None) -> None:
        self.responder = responder
        self.user, self.password = user, password
        self.reject_all_auth = False
        self.release = threading.Event()  # set to free hanging requests
        self.received: list[_Command] = []
        self.actions: list[str] = []
        self.tls_thumbprint = ""
        self._shells: dict[str, dict[str, _Command]] = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        if tls_dir is not None:
            self._enable_tls(tls_dir)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def https(self) -> bool:
        return bool(self.tls_thumbprint)

    def _enable_tls(self, folder: Path) -> None:
        import hashlib

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hyperv-standin")])
        now = datetime.datetime.now(datetime.UTC)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                .not_valid_after(now + datetime.timedelta(days=2)).sign(key, hashes.SHA256()))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                           serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption()))
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(folder / "cert.pem", folder / "key.pem")
        self._httpd.socket = ctx.wrap_socket(self._httpd.socket, server_side=True)
        self.tls_thumbprint = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()

    def start(self) -> WinRMStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- protocol ------------------------------------------------------------------------------------
    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # answers go out at once (no 40 ms delayed-ACK stalls)

            def log_message(self, *args):  # keep test output clean
                pass

            def _send(self, status: int, body: bytes, extra: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/soap+xml;charset=UTF-8")
                self.send_header("Content-Length", str(len(body)))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                expected = "Basic " + base64.b64encode(f"{standin.user}:{standin.password}".encode()).decode()
                if standin.reject_all_auth or self.headers.get("Authorization") != expected:
                    self._send(401, b"", {"WWW-Authenticate": 'Basic realm="WSMAN"'})
                    return
                status, body = standin._dispatch(raw)
                if status is None:
                    standin.release.wait(30)
                    self.close_connection = True
                    return
                self._send(status, body)

        return Handler

    def _dispatch(self, raw: bytes) -> tuple[int | None, bytes]:
        root = ElementTree.fromstring(raw)
        header = root.find("s:Header", NS)
        action_uri = header.findtext("a:Action", namespaces=NS)
        message_id = header.findtext("a:MessageID", namespaces=NS)
        action = ACTION.get(action_uri, "unknown")
        shell_id = ""
        for sel in header.iter(f"{{{NS['w']}}}Selector"):
            if sel.get("Name") == "ShellId":
                shell_id = sel.text or ""
        body = root.find("s:Body", NS)
        with self._lock:
            self.actions.append(action)
        if action == "create":
            shell_id = str(uuid.uuid4()).upper()
            with self._lock:
                self._shells[shell_id] = {}
            return 200, _envelope(action_uri + "Response", message_id, (
                f"<x:ResourceCreated xmlns:x=\"{NS['a']}\"><a:ReferenceParameters><w:SelectorSet>"
                f'<w:Selector Name="ShellId">{shell_id}</w:Selector></w:SelectorSet></a:ReferenceParameters>'
                f"</x:ResourceCreated><rsp:Shell><rsp:ShellId>{shell_id}</rsp:ShellId></rsp:Shell>"))
        if action == "command":
            line = body.find("rsp:CommandLine", NS)
            command_line = " ".join(x for x in (line.findtext("rsp:Command", "", NS),
                                                line.findtext("rsp:Arguments", "", NS)) if x)
            command_id = str(uuid.uuid4()).upper()
            with self._lock:
                cmd = _Command(command_line)
                self._shells.setdefault(shell_id, {})[command_id] = cmd
                self.received.append(cmd)
            return 200, _envelope(action_uri + "Response", message_id,
                                  f"<rsp:CommandResponse><rsp:CommandId>{command_id}</rsp:CommandId></rsp:CommandResponse>")
        if action == "send":
            stream = body.find("rsp:Send/rsp:Stream", NS)
            cmd = self._shells[shell_id][stream.get("CommandId")]
            cmd.stdin += base64.b64decode(stream.text or "")
            if stream.get("End") == "true":
                cmd.reply = self.responder(cmd.command_line, bytes(cmd.stdin))
                if cmd.reply.http_status != 200:
                    return cmd.reply.http_status, _envelope(
                        "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault", message_id, fault_body(cmd.reply.fault))
            return 200, _envelope(action_uri + "Response", message_id, "<rsp:SendResponse/>")
        if action == "receive":
            command_id = body.find("rsp:Receive/rsp:DesiredStream", NS).get("CommandId")
            cmd = self._shells[shell_id][command_id]
            reply = cmd.reply or self.responder(cmd.command_line, bytes(cmd.stdin))
            if reply.hang:
                return None, b""
            streams = "".join(
                f'<rsp:Stream Name="{name}" CommandId="{command_id}">{base64.b64encode(data).decode()}</rsp:Stream>'
                for name, data in (("stdout", reply.stdout), ("stderr", reply.stderr)) if data)
            state = (f'<rsp:CommandState CommandId="{command_id}" State="{DONE}">'
                     f"<rsp:ExitCode>{reply.exit_code}</rsp:ExitCode></rsp:CommandState>")
            return 200, _envelope(action_uri + "Response", message_id,
                                  f"<rsp:ReceiveResponse>{streams}{state}</rsp:ReceiveResponse>")
        if action in ("signal", "delete"):
            if action == "delete":
                with self._lock:
                    self._shells.pop(shell_id, None)
            return 200, _envelope(action_uri + "Response", message_id, "")
        return 500, _envelope("fault", message_id, fault_body(f"unsupported action {action_uri}"))

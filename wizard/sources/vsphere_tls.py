"""TLS trust for vCenter/ESXi: system CA verification, pinned SHA-256 thumbprints, or insecure (labs).

Contract:
- :class:`TlsPolicy` decides how a connection is trusted. With a ``pin`` the chain is not verified but
  the presented certificate's SHA-256 thumbprint must equal the pin, checked right after the handshake
  and before any byte (credentials, session cookie) is sent. Without a pin the system CA store verifies
  the chain and the host name. ``insecure`` trusts anything (logged as a warning).
- :class:`PolicyHTTPSConnection` applies a policy to every ``http.client`` connection, including the
  ones pyVmomi's SOAP stub opens for its pool, and maps TLS failures to :class:`CertificateError`
  carrying the presented thumbprint.
- :func:`fetch_thumbprint` reads a server's certificate without trusting it, so that a UI can show the
  thumbprint and ask the user whether to pin it.
- Pinned thumbprints are kept in ``known_hosts.json`` under the config directory
  (``$HVMIGRATE_CONFIG_DIR`` or ``$XDG_CONFIG_HOME/hvmigrate``); it never holds a password.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import logging
import os
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

from wizard.core.errors import CertificateError, ConnectError
from wizard.core.paths import config_dir

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 30.0


def format_thumbprint(der: bytes) -> str:
    """SHA-256 of a DER certificate as colon-separated upper-case hex (``AB:CD:...``)."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def normalize_thumbprint(text: str) -> str:
    """Accept ``ab:cd..``, ``AB CD ..`` or bare hex; return the canonical form, or raise ValueError."""
    hexdigits = "".join(ch for ch in text if ch not in ": -").upper()
    if len(hexdigits) != 64 or any(ch not in "0123456789ABCDEF" for ch in hexdigits):
        raise ValueError("a SHA-256 thumbprint is 64 hexadecimal digits (32 bytes)")
    return ":".join(hexdigits[i:i + 2] for i in range(0, 64, 2))


def _unverified_context() -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def fetch_thumbprint(host: str, port: int = 443, timeout: float = CONNECT_TIMEOUT) -> str:
    """The SHA-256 thumbprint of the certificate ``host:port`` presents (not verified: for display/pinning)."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw, \
                _unverified_context().wrap_socket(raw, server_hostname=host) as tls:
            der = tls.getpeercert(binary_form=True)
    except ssl.SSLError as exc:
        raise ConnectError(f"{host}:{port} did not complete a TLS handshake.", details=str(exc)) from None
    except OSError as exc:
        raise ConnectError(f"Cannot reach {host}:{port}.", details=_os_error_text(exc)) from None
    if not der:
        raise ConnectError(f"{host}:{port} presented no certificate.")
    return format_thumbprint(der)


def _os_error_text(exc: OSError) -> str:
    return f"{type(exc).__name__}: {exc.strerror or exc}"


@dataclass(frozen=True)
class TlsPolicy:
    """How to trust a server. ``pin`` is a canonical thumbprint or ""; ``insecure`` skips all checks."""

    host: str
    port: int = 443
    pin: str = ""
    insecure: bool = False

    def context(self) -> ssl.SSLContext:
        if self.pin or self.insecure:
            return _unverified_context()
        return ssl.create_default_context()

    def check(self, sock: ssl.SSLSocket) -> None:
        """Verify the pin on an established connection; raises CertificateError on a mismatch."""
        if not self.pin:
            return
        der = sock.getpeercert(binary_form=True) or b""
        presented = format_thumbprint(der)
        if presented != self.pin:
            raise CertificateError(
                f"The certificate of {self.host}:{self.port} does not match the pinned thumbprint.",
                thumbprint=presented,
                details=f"pinned: {self.pin}\npresented: {presented}",
                fix="The server's certificate changed, or something is intercepting the connection. "
                    "If the change is expected (certificate renewed), check the new thumbprint with the "
                    f"administrator and pin it: --thumbprint {presented}",
            )

    def describe(self) -> str:
        if self.insecure:
            return "certificate NOT verified (insecure)"
        if self.pin:
            return f"pinned certificate {self.pin[:11]}…"
        return "certificate verified by the system CA store"


class PolicyHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection that enforces a :class:`TlsPolicy` before anything is sent."""

    policy: TlsPolicy

    def __init__(self, host: str, port: int | None = None, *, policy: TlsPolicy,
                 timeout: float = CONNECT_TIMEOUT, **_ignored: object) -> None:
        super().__init__(host, port, timeout=timeout, context=policy.context())
        self.policy = policy

    def connect(self) -> None:
        try:
            super().connect()
        except ssl.SSLCertVerificationError as exc:
            presented = ""
            with contextlib.suppress(ConnectError):
                presented = fetch_thumbprint(self.policy.host, self.policy.port)
            raise CertificateError(
                f"The certificate of {self.policy.host}:{self.policy.port} is not trusted "
                f"({exc.verify_message}).",
                thumbprint=presented,
                details=f"presented SHA-256 thumbprint: {presented or 'unknown'}",
            ) from None
        except ssl.SSLError as exc:
            raise ConnectError(f"TLS handshake with {self.policy.host}:{self.policy.port} failed.",
                               details=str(exc)) from None
        except OSError as exc:
            raise ConnectError(f"Cannot reach {self.policy.host}:{self.policy.port}.",
                               details=_os_error_text(exc)) from None
        try:
            self.policy.check(self.sock)  # type: ignore[arg-type]
        except CertificateError:
            self.close()
            raise


def connection_class(policy: TlsPolicy) -> type[PolicyHTTPSConnection]:
    """A connection class bound to ``policy``, for code that instantiates ``scheme(host=, port=, ...)``."""

    class _Bound(PolicyHTTPSConnection):
        def __init__(self, host: str, port: int | None = None, **kwargs: object) -> None:
            kwargs.pop("context", None)
            super().__init__(host, port, policy=policy, **kwargs)  # type: ignore[arg-type]

    return _Bound


# ---- pinned thumbprints ------------------------------------------------------------------------------

def _known_hosts_path() -> Path:
    return config_dir() / "known_hosts.json"


def _host_key(host: str, port: int) -> str:
    return f"{host.lower()}:{port}"


def load_known_hosts() -> dict[str, str]:
    """``{"host:port": thumbprint}``; a missing or unreadable file is an empty mapping (logged)."""
    path = _known_hosts_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable %s: %s", path, exc)
        return {}
    hosts = data.get("hosts") if isinstance(data, dict) else None
    if not isinstance(hosts, dict):
        return {}
    return {str(k): str(v) for k, v in hosts.items() if isinstance(v, str)}


def known_thumbprint(host: str, port: int = 443) -> str:
    return load_known_hosts().get(_host_key(host, port), "")


def remember_thumbprint(host: str, port: int, thumbprint: str) -> None:
    """Pin ``thumbprint`` for ``host:port`` (atomic write; the file holds thumbprints only)."""
    hosts = load_known_hosts()
    hosts[_host_key(host, port)] = normalize_thumbprint(thumbprint)
    path = _known_hosts_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump({"hosts": hosts}, fh, indent=2, sort_keys=True)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def forget_thumbprint(host: str, port: int = 443) -> None:
    hosts = load_known_hosts()
    if hosts.pop(_host_key(host, port), None) is not None:
        path = _known_hosts_path()
        tmp = path.with_name(path.name + ".partial")
        tmp.write_text(json.dumps({"hosts": hosts}, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)

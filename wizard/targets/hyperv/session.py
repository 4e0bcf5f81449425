"""A WinRM session to a Hyper-V host that runs hvmigrate's PowerShell scripts and maps every failure to a
typed error.

Contract:
- HTTPS (port 5986) with certificate verification by default. ``thumbprint`` pins a self-signed
  certificate by its SHA-256 (verification of the chain is then replaced by the pin); ``insecure`` turns
  verification off (labs only). A certificate problem raises :class:`CertificateError` carrying the
  presented certificate's SHA-256 thumbprint, so the user can pin it.
- Authentication: ``ntlm`` (default), ``kerberos`` or ``credssp`` as pywinrm implements them. ``basic``
  exists only for the test stand-in and is refused for any host but 127.0.0.1.
- The password comes from the caller (who reads it from ``--password-env`` or the OS keyring, kind
  ``hyperv``); it is never logged, never put into an error.
- :meth:`HyperVSession.run` sends a script as described in :mod:`wizard.targets.powershell` (fixed
  bootstrap + stdin); it waits for the command with the WinRM operation timeout as heartbeat, checks
  ``cancel`` between heartbeats (on cancel it signals *terminate* to the command) and gives up after
  ``command_timeout`` seconds.
- Errors: HTTP 401 → :class:`AuthError`; HTTP 500 / SOAP faults → :class:`TargetError` with the fault's
  text; no answer within ``read_timeout`` or refused connection → :class:`ConnectError`; PowerShell
  errors (non-zero exit, CLIXML on stderr) → :class:`TargetError` whose message is the cmdlet's own
  message. Connection-level failures while opening the shell are retried (bounded, with back-off);
  a command once started is never re-sent by this class (callers decide; hvmigrate's scripts are
  idempotent, so retrying a whole step is safe).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

import requests
from requests.adapters import HTTPAdapter
from winrm.exceptions import (
    InvalidCredentialsError,
    WinRMError,
    WinRMOperationTimeoutError,
    WinRMTransportError,
    WSManFaultError,
)
from winrm.protocol import Protocol

from wizard.core.errors import (
    AuthError,
    Cancelled,
    CertificateError,
    ConnectError,
    TargetError,
)
from wizard.core.i18n import user_text
from wizard.core.progress import CancelToken
from wizard.targets import powershell

log = logging.getLogger(__name__)

TRANSPORTS = ("ntlm", "kerberos", "credssp")
_STDIN_CHUNK = 64 * 1024


@dataclass
class WinRMConfig:
    host: str
    user: str
    port: int = 5986
    https: bool = True
    transport: str = "ntlm"
    thumbprint: str = ""  # SHA-256 hex (colons/spaces allowed)
    insecure: bool = False
    operation_timeout: int = 20
    read_timeout: int = 30
    command_timeout: float = 4 * 3600
    connect_retries: int = 3
    ca_bundle: str | None = None  # PEM file of CAs to trust; None = the bundled public CAs (certifi)

    @property
    def endpoint(self) -> str:
        scheme = "https" if self.https else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}/wsman"

    def describe(self) -> str:
        return f"{self.user}@{self.host}:{self.port}" if self.user else f"{self.host}:{self.port}"


@dataclass
class ScriptOutput:
    stdout: str
    stderr: str
    exit_code: int
    result: dict[str, Any] | None


def normalize_thumbprint(text: str) -> str:
    clean = re.sub(r"[\s:]", "", text or "").lower()
    if clean and not re.fullmatch(r"[0-9a-f]{64}", clean):
        raise ConnectError(f"{text!r} is not a SHA-256 certificate thumbprint (64 hex digits).",
                           fix="Copy the thumbprint from the error message that showed it, or from the host.")
    return clean


class _PinnedAdapter(HTTPAdapter):
    """Accepts exactly the certificate whose SHA-256 fingerprint is ``fingerprint``."""

    def __init__(self, fingerprint: str) -> None:
        self._fingerprint = fingerprint
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["assert_fingerprint"] = self._fingerprint
        super().init_poolmanager(*args, **kwargs)


def presented_thumbprint(host: str, port: int, timeout: float = 10.0) -> str:
    """SHA-256 of the certificate the server presents ("" when it cannot be fetched)."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw, \
                ctx.wrap_socket(raw, server_hostname=host) as tls:
            der = tls.getpeercert(binary_form=True)
    except OSError:
        return ""
    return hashlib.sha256(der).hexdigest() if der else ""


def soap_fault_text(body: str) -> str:
    """The Reason/Message text of a SOAP fault body ("" when none)."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return ""
    texts = []
    for node in root.iter():
        tag = node.tag.rsplit("}", 1)[-1]
        if tag in ("Text", "Message") and node.text and node.text.strip():
            texts.append(node.text.strip())
    return " ".join(dict.fromkeys(texts))


class ScriptError(TargetError):
    """A script ran and reported failure; ``result`` is its result document when it printed one."""

    def __init__(self, message: str, *, details: str = "", result: dict[str, Any] | None = None) -> None:
        super().__init__(message, details=details)
        self.result = result


class HyperVSession:
    """One WinRM connection; safe to use from one thread at a time (use one session per worker)."""

    def __init__(self, config: WinRMConfig, password: str, *, basic_for_tests: bool = False) -> None:
        self.config = config
        transport = config.transport
        if basic_for_tests:
            if config.host not in ("127.0.0.1", "localhost"):
                raise ConnectError("Basic authentication is only for the loopback test stand-in.")
            transport = "basic"
        elif transport not in TRANSPORTS:
            raise ConnectError(f"unknown WinRM transport {transport!r}", fix=f"Use one of {', '.join(TRANSPORTS)}.")
        self._pin = normalize_thumbprint(config.thumbprint)
        if config.insecure and not self._pin:
            log.warning("connecting to %s WITHOUT certificate verification (insecure mode)", config.describe())
        validation = "ignore" if (config.insecure or self._pin) else "validate"
        self._protocol = Protocol(
            endpoint=config.endpoint, transport=transport, username=config.user, password=password,
            server_cert_validation=validation, operation_timeout_sec=config.operation_timeout,
            read_timeout_sec=config.read_timeout, proxy=None, ca_trust_path=config.ca_bundle,
        )
        if self._pin:
            self._pin_every_session()

    def _pin_every_session(self) -> None:
        """Mount the pinned adapter on every requests session pywinrm builds: it builds a new one after
        ``close_session``, and that one would otherwise run with verification off and no pin."""
        transport = self._protocol.transport
        build, pin = transport.build_session, self._pin

        def build_pinned():
            fresh = transport.session is None
            session = build()
            if fresh:
                session.mount("https://", _PinnedAdapter(pin))
            return session

        transport.build_session = build_pinned
        transport.build_session()

    def describe(self) -> str:
        host = self.config.describe()
        if self.config.insecure and not self._pin:
            return user_text(f"Hyper-V host {host} (certificate NOT verified)")
        return user_text(f"Hyper-V host {host}")

    # -- error mapping -----------------------------------------------------------------------------
    def _map(self, exc: BaseException, doing: str) -> Exception:
        where = self.describe()
        if isinstance(exc, InvalidCredentialsError):
            return AuthError(f"{where} rejected the user name or password ({doing}).")
        if isinstance(exc, WSManFaultError):
            fault = exc.reason  # the server's words, not a message of ours
            return TargetError(f"{where} refused the request ({doing}): {fault}",
                               details=f"HTTP {exc.code}, WS-Management fault {exc.wsman_fault_code}")
        if isinstance(exc, WinRMTransportError):
            text = soap_fault_text(exc.response_text) or exc.response_text[:500]
            if exc.code == 401:
                return AuthError(f"{where} rejected the user name or password ({doing}).")
            return TargetError(f"{where} answered HTTP {exc.code} ({doing})" + (f": {text}" if text else "."),
                               details=exc.response_text[:4000])
        if isinstance(exc, requests.exceptions.SSLError):
            thumb = presented_thumbprint(self.config.host, self.config.port)
            return CertificateError(f"The certificate of {where} could not be verified.", thumbprint=thumb,
                                    details=str(exc)[:500])
        if isinstance(exc, requests.exceptions.Timeout):
            return ConnectError(f"{where} did not answer within {self.config.read_timeout} s ({doing}).",
                                fix="Check that WinRM is running on the host and not blocked, then try again.")
        if isinstance(exc, requests.exceptions.ConnectionError):
            return ConnectError(f"Cannot connect to {where} ({doing}).", details=str(exc)[:500])
        if isinstance(exc, WinRMError):
            return TargetError(f"{where}: WinRM error ({doing}): {exc}")
        return TargetError(f"{where}: unexpected failure ({doing}): {type(exc).__name__}", details=str(exc)[:500])

    def _open_shell(self, cancel: CancelToken) -> str:
        delay = 1.0
        for attempt in range(self.config.connect_retries + 1):
            cancel.check()
            try:
                return self._protocol.open_shell(codepage=65001)
            except (requests.exceptions.ConnectionError, WinRMTransportError) as exc:
                transient = isinstance(exc, requests.exceptions.ConnectionError) and not isinstance(
                    exc, requests.exceptions.SSLError) or getattr(exc, "code", 0) in (502, 503, 504)
                if not transient or attempt == self.config.connect_retries:
                    raise self._map(exc, "opening a shell") from None
                log.info("WinRM connection to %s failed (%s); retrying", self.config.host, type(exc).__name__)
                if cancel.wait(delay):
                    raise Cancelled(cancel.reason) from None
                delay = min(delay * 2, 10.0)
            except Exception as exc:  # noqa: BLE001 - everything else maps to a typed error
                raise self._map(exc, "opening a shell") from None
        raise ConnectError(f"Cannot connect to {self.describe()}.")  # pragma: no cover

    # -- running scripts ---------------------------------------------------------------------------
    def run(self, script: str, data: Any, cancel: CancelToken | None = None,
            timeout: float | None = None) -> ScriptOutput:
        """Run one of hvmigrate's scripts with ``data``; returns its output (any exit code)."""
        cancel = cancel or CancelToken()
        inv = powershell.build_invocation(script, data)
        doing = f"running {powershell.SCRIPTS[script]}"
        shell = self._open_shell(cancel)
        command = None
        try:
            try:
                command = self._protocol.run_command(shell, inv.command, list(inv.arguments), console_mode_stdin=False)
                for start in range(0, len(inv.stdin), _STDIN_CHUNK):
                    chunk = inv.stdin[start:start + _STDIN_CHUNK]
                    self._protocol.send_command_input(shell, command, chunk,
                                                      end=start + _STDIN_CHUNK >= len(inv.stdin))
                stdout, stderr, code = self._receive(shell, command, cancel, timeout or self.config.command_timeout)
            except (Cancelled, ConnectError, TargetError):
                raise
            except Exception as exc:  # noqa: BLE001
                raise self._map(exc, doing) from None
        finally:
            self._close(shell, command)
        out = stdout.decode("utf-8", "replace")
        err = stderr.decode("utf-8", "replace")
        return ScriptOutput(out, err, code, powershell.parse_result(out))

    def _receive(self, shell: str, command: str, cancel: CancelToken, timeout: float) -> tuple[bytes, bytes, int]:
        deadline = time.monotonic() + timeout
        out: list[bytes] = []
        err: list[bytes] = []
        while True:
            if cancel.cancelled:
                raise Cancelled(cancel.reason)
            if time.monotonic() > deadline:
                raise ConnectError(f"{self.describe()}: the script did not finish within {int(timeout)} s.")
            try:
                o, e, code, done = self._protocol.get_command_output_raw(shell, command)
            except WinRMOperationTimeoutError:
                continue  # the heartbeat: the command is still running
            out.append(o)
            err.append(e)
            if done:
                return b"".join(out), b"".join(err), code

    def _close(self, shell: str, command: str | None) -> None:
        try:
            if command is not None:
                self._protocol.cleanup_command(shell, command)
            self._protocol.close_shell(shell, close_session=False)
        except Exception as exc:  # noqa: BLE001 - cleanup must not hide the real outcome
            log.debug("closing the WinRM shell failed: %s", type(exc).__name__)

    def run_json(self, script: str, data: Any, cancel: CancelToken | None = None,
                 timeout: float | None = None) -> dict[str, Any]:
        """Run and return the script's result document; a script failure raises :class:`TargetError`."""
        output = self.run(script, data, cancel, timeout)
        return result_or_raise(self.describe(), script, output)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._protocol.transport.close_session()


def result_or_raise(where: str, script: str, output: ScriptOutput) -> dict[str, Any]:
    """The result document when the script reported success; otherwise a TargetError with the cmdlet's
    message (from the result's ``error``, else from the CLIXML error stream)."""
    name = powershell.SCRIPTS[script]
    doc = output.result
    if doc is not None and doc.get("ok") and output.exit_code == 0:
        return doc
    stderr_text = powershell.clixml_to_text(output.stderr)
    if doc is not None and doc.get("error"):
        message = str(doc["error"])
    elif stderr_text:
        message = powershell.first_error_line(stderr_text)
    else:
        message = f"exit code {output.exit_code} without a message"
    details = "\n".join(x for x in (stderr_text, output.stdout[-4000:]) if x)
    raise ScriptError(f"{where}: {name} failed: {message}", details=details, result=doc)

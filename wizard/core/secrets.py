"""Passwords in the OS keyring, and nowhere else.

Service names are stable (documented in the README) so that users can inspect or delete entries with
their OS tools: ``hvmigrate:vsphere``, ``hvmigrate:hyperv``, ``hvmigrate:guest``, ``hvmigrate:smb``; the
keyring "username" is ``USER@HOST``. When no secure backend is usable (no desktop secret service, or only
a plain-text backend), :func:`keyring_usable` is False, ``store`` raises :class:`SecretStoreError`, and
callers ask for the password each time; we never fall back to writing it to a file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable

import keyring
import keyring.errors

from wizard.core.errors import AuthError, SecretStoreError

Prompt = Callable[[str, str, str], "str | None"]
"""``prompt(kind, user, host)`` → a password typed by the user, or None when they gave none. Supplied by a
front end: the command line asks on its terminal, the wizard asks in a dialog."""

SERVICE_PREFIX = "hvmigrate:"
KINDS = ("vsphere", "hyperv", "guest", "smb")

_INSECURE_BACKEND_HINTS = ("fail.", "null.", "PlaintextKeyring", "EncryptedKeyring", "chainer.")


def _service(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown secret kind {kind!r}")
    return SERVICE_PREFIX + kind


def _account(user: str, host: str) -> str:
    return f"{user}@{host}"


def keyring_usable() -> bool:
    """True when the active backend keeps secrets safely (OS keychain, secret service, test memory store)."""
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if any(hint in name for hint in _INSECURE_BACKEND_HINTS):
        # ChainerBackend is fine only when it has a usable member
        if "chainer." in name:
            return any(getattr(b, "priority", 0) > 0 and not any(h in type(b).__name__ for h in ("Plaintext",))
                       for b in getattr(backend, "backends", []))
        return False
    return True


def lookup(kind: str, user: str, host: str) -> str | None:
    """The stored password, or None (also when the keyring is unusable)."""
    if not keyring_usable():
        return None
    try:
        return keyring.get_password(_service(kind), _account(user, host))
    except keyring.errors.KeyringError:
        return None


def store(kind: str, user: str, host: str, password: str) -> None:
    if not keyring_usable():
        raise SecretStoreError(
            "No secure password store is available on this computer, so the password was not saved.",
            fix="You will be asked for it each time. On Linux, install and unlock a Secret Service "
                "(GNOME Keyring or KWallet).",
        )
    try:
        keyring.set_password(_service(kind), _account(user, host), password)
    except keyring.errors.KeyringError as exc:
        raise SecretStoreError("The password store refused to save the password.",
                               details=type(exc).__name__) from None


def forget(kind: str, user: str, host: str) -> None:
    with contextlib.suppress(keyring.errors.KeyringError):
        keyring.delete_password(_service(kind), _account(user, host))


def resolve_password(kind: str, user: str, host: str, *, given: str | None = None, env: str = "",
                     remember: bool = False, prompt: Prompt | None = None,
                     missing_fix: str = "Save the password in the keyring or pass it in an environment variable.",
                     ) -> str:
    """The one way hvmigrate finds a password for ``user@host``, in this order: ``given`` (typed by the user
    now; saved in the keyring when ``remember``), the environment variable ``env`` when named (it must be
    set), the OS keyring (``kind`` as in :data:`KINDS`), then ``prompt``. Raises :class:`AuthError` with
    ``missing_fix`` (the front end's words: a control in the wizard, a flag on the command line) when none
    gives one. The value is never logged."""
    if given is not None:
        if remember:
            store(kind, user, host, given)
        return given
    if env:
        value = os.environ.get(env)
        if value is None:
            raise AuthError(f"The environment variable {env} is not set.", fix=f"Set {env} to the password.")
        return value
    found = lookup(kind, user, host)
    if found is None and prompt is not None:
        found = prompt(kind, user, host) or None
    if found is None:
        raise AuthError(f"No password for {user or '(no user)'}@{host}.", fix=missing_fix)
    return found

"""Typed errors: every failure a user can meet carries a message, details and a suggested fix.

Contract: code that detects a problem raises a subclass of :class:`HvmError`; the CLI prints
``error.one_line()`` and exits non-zero, the UI shows ``message``/``fix`` with ``details`` folded
away. Neither ever shows a traceback for an :class:`HvmError`. Cancellation is not an error: it is
:class:`Cancelled`, which deliberately does not derive from :class:`HvmError`.

Never put a secret (password, token, session cookie) into any field: errors end up in logs and reports.
"""

from __future__ import annotations

import os


class HvmError(Exception):
    """Base of all expected failures.

    ``message``: one sentence a help-desk person understands (what went wrong, naming the thing).
    ``details``: technical context for the "details" pane / ``--json`` (may be multi-line).
    ``fix``: what to do about it, or "" when there is nothing to suggest.
    """

    code = "HVM-ERROR"
    default_fix = ""

    def __init__(self, message: str, *, details: str = "", fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.fix = self.default_fix if fix is None else fix

    def one_line(self) -> str:
        """The message and fix on one line, for a terminal's stderr."""
        text = " ".join(self.message.split())
        if self.fix:
            text += " — " + " ".join(self.fix.split())
        return text

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "details": self.details, "fix": self.fix}

    def __str__(self) -> str:
        return self.message


class InputError(HvmError):
    """A file given to us (disk, VMX, OVF, OVA, plan, inventory) is unusable.

    ``path`` names the file; ``offset`` (bytes) or ``field`` (key/element) says where.
    """

    code = "HVM-INPUT"

    def __init__(
        self,
        message: str,
        *,
        path: str | os.PathLike[str] | None = None,
        offset: int | None = None,
        field: str | None = None,
        details: str = "",
        fix: str | None = None,
    ) -> None:
        where = []
        if path is not None:
            where.append(os.fspath(path))
        if offset is not None:
            where.append(f"offset {offset}")
        if field is not None:
            where.append(f"field {field!r}")
        full = f"{', '.join(where)}: {message}" if where else message
        super().__init__(full, details=details, fix=fix)
        self.path = os.fspath(path) if path is not None else None
        self.offset = offset
        self.field = field


class DiskFormatError(InputError):
    """A disk image is corrupt, truncated, hostile or of a kind we do not read."""

    code = "HVM-DISK-FORMAT"
    default_fix = (
        "Check that the disk file is complete (copy it again from the datastore) and is not in use; "
        "`hvmigrate inspect` shows what was read."
    )


class UnsafeFileError(InputError):
    """A file a VM or disk names is not a plain file in the folder that names it: a link (or a path) leading
    out of that folder, or a named pipe, device, socket or folder. It is refused before a byte is read."""

    code = "HVM-UNSAFE-FILE"
    default_fix = (
        "Put the real file (not a link to it) in the VM's folder, beside the file that names it, and try again."
    )


class UnsupportedFormatError(DiskFormatError):
    code = "HVM-DISK-UNSUPPORTED"
    default_fix = "Convert the disk to VMDK or raw first, or install qemu-img for the optional backend."


class SchemaError(InputError):
    """A plan/inventory/report JSON document is invalid or from a newer hvmigrate."""

    code = "HVM-SCHEMA"


class PlanError(HvmError):
    """A plan cannot be carried out as written (blocked VM, invalid setting)."""

    code = "HVM-PLAN"


class SourceError(HvmError):
    """Discovery or reading from the source platform failed."""

    code = "HVM-SOURCE"


class ConnectError(HvmError):
    """A server (vCenter, ESXi, Hyper-V/WinRM, SMB) could not be reached."""

    code = "HVM-CONNECT"
    default_fix = "Check the address and port, that the service is running, and firewalls between here and there."


class AuthError(ConnectError):
    code = "HVM-AUTH"
    default_fix = "Check the user name and password; the account may be locked or lack permissions."


class PermissionDeniedError(ConnectError):
    code = "HVM-PERMISSION"
    default_fix = "Ask the administrator for a role with the needed privileges, then try again."


class CertificateError(ConnectError):
    """TLS verification failed; carries the presented certificate's SHA-256 thumbprint."""

    code = "HVM-CERT"

    def __init__(self, message: str, *, thumbprint: str = "", details: str = "", fix: str | None = None):
        if fix is None:
            fix = (
                "If you trust this server, pin its certificate: --thumbprint "
                f"{thumbprint}" if thumbprint else "Install the server's CA certificate or pin its thumbprint."
            )
        super().__init__(message, details=details, fix=fix)
        self.thumbprint = thumbprint


class TargetError(HvmError):
    """The Hyper-V side (host, script, share, bundle folder) refused or failed."""

    code = "HVM-TARGET"


class InsufficientSpaceError(TargetError):
    code = "HVM-SPACE"
    default_fix = "Free space on the destination or choose another folder."


class VerificationError(HvmError):
    """A written output does not match its source (hash or structure)."""

    code = "HVM-VERIFY"
    default_fix = "The output was discarded. Run the conversion again; if it repeats, check the disk for errors."


class GuestPrepError(HvmError):
    """Preparing a guest's disks offline (libguestfs) failed or was refused; its disks are left as converted."""

    code = "HVM-GUEST"


class SecretStoreError(HvmError):
    """No usable OS keyring; the app asks for passwords each time instead of storing them."""

    code = "HVM-KEYRING"


class Cancelled(Exception):  # noqa: N818 - it is an outcome, not an error
    """The user (or a parent job) cancelled. Not a failure: callers clean up and report 'cancelled'."""

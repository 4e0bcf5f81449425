"""The provider interface every source (vSphere, VMX folder, OVF/OVA, VirtualBox, demo) implements.

Contract:
- ``discover(progress, cancel)`` returns an :class:`Inventory` of every VM the source holds, filling
  each fact it can know and leaving the rest at the model's "unknown" defaults. It never changes the
  source. Errors are ``wizard.core.errors`` types (ConnectError, AuthError, CertificateError,
  InputError naming file/field, SourceError).
- ``open_disk(vm, index, cancel)`` returns a read-only :class:`DiskImage` for ``vm.disks[index]``,
  resolved through the source's own transport (local file, HTTPS Range requests, OVA member) with no
  staging copy where the format allows it. The caller closes it.
- ``describe()`` names the source for people and logs, never including a secret.
- ``prepare(vm, policy, earlier, cancel)`` is the only method that may change the source, and only as
  the plan says (``wizard.core.plan.SOURCE_POLICIES``): shut the VM down, or take a snapshot whose
  frozen disks are read. It returns the VM to read from (disk paths of the snapshot) and the
  :class:`SourceChange` s it made, which the caller journals; ``undo(change)`` reverses one (remove the
  snapshot, power the VM back on). ``earlier`` are changes an interrupted run made for this VM: a
  snapshot that still exists is reused, so every disk of a VM comes from the same point in time even
  across a resume. Sources that cannot do this (local files) raise
  :class:`~wizard.core.errors.SourceError` for any policy but ``as-is``.
- ``connect()`` opens the connection ``discover`` reads through and logs in (idempotent); ``check(cancel)``
  proves that the source can be read without reading its inventory: it connects (a server) or opens and
  reads the VM file or folder ``ref`` names (files), and raises the error ``discover`` would raise for the
  same problem. The caller closes the source afterwards (``close`` logs out).
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from wizard.core.errors import InputError, SourceError
from wizard.core.inventory import Inventory, SourceVM
from wizard.core.plan import SourceRef
from wizard.core.progress import CancelToken, ProgressSink
from wizard.disks.image import DiskImage

FILE_KINDS = ("vmx", "ovf", "ova", "vbox", "folder")  # ``SourceRef.kind`` of sources read from local files


def _check_readable(path: str, *, folder: bool) -> None:
    """Open ``path`` (a folder: list it) as discovery will; an :class:`InputError` naming it if that fails."""
    try:
        if folder:
            with os.scandir(path) as entries:
                next(entries, None)
        else:
            with open(path, "rb") as fh:
                fh.read(1)
    except FileNotFoundError:
        raise InputError("no such file or folder", path=path,
                         fix="Check the path (and that the drive or share is mounted).") from None
    except OSError as exc:
        raise InputError(f"cannot read {'the folder' if folder else 'the file'}: {exc.strerror or exc}", path=path,
                         fix="Check that your account may read it (permissions, a locked file, an unmounted "
                             "share).") from None


@dataclass
class SourceChange:
    """A change made to a source VM for a migration, journalled so that it can be undone.

    ``kind``: ``snapshot`` (``ref`` = the snapshot's id; always removed after the copy) or ``shutdown``
    (powered back on only when the migration of the VM fails or is cancelled).
    """

    id: str
    kind: str
    vm_id: str
    ref: str = ""
    description: str = ""


class Source(ABC):
    kind: str = ""
    ref: SourceRef = SourceRef()  # the plan's secret-free reference; set by ``registry.open_source``
    skipped: Sequence[tuple[str, str]] = ()  # (path, reason) of VM files a folder source could not read

    @abstractmethod
    def describe(self) -> str: ...

    @abstractmethod
    def discover(self, progress: ProgressSink | None = None, cancel: CancelToken | None = None) -> Inventory: ...

    @abstractmethod
    def open_disk(self, vm: SourceVM, index: int, cancel: CancelToken | None = None) -> DiskImage: ...

    def prepare(self, vm: SourceVM, policy: str, earlier: list[SourceChange] | None = None,
                cancel: CancelToken | None = None) -> tuple[SourceVM, list[SourceChange]]:
        """See the module docstring. The default serves sources that cannot change their VMs."""
        if policy not in ("", "as-is"):
            raise SourceError(f"{self.describe()} cannot {'shut down' if policy == 'shutdown' else 'snapshot'} "
                              f"VM {vm.name!r}: it is read from files.",
                              fix="Shut the VM down in its own console before migrating, then plan it with "
                                  "--source-policy as-is.")
        return vm, []

    def undo(self, change: SourceChange, cancel: CancelToken | None = None) -> None:  # noqa: B027 - optional hook
        """Reverse ``change`` (see :meth:`prepare`)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

    def connect(self) -> None:  # noqa: B027 - optional hook
        """Open the connection ``discover`` reads through and log in (idempotent). Sources read from files
        have no connection: the default does nothing."""

    def check(self, cancel: CancelToken | None = None) -> None:
        """See the module docstring: :meth:`connect`, then, for a source read from files, open what ``ref``
        names and read from it (a folder: list it). Raises ConnectError/AuthError/CertificateError (a server)
        or :class:`InputError` naming the path (files)."""
        if cancel is not None:
            cancel.check()
        self.connect()
        if self.ref.kind in FILE_KINDS and self.ref.address:
            _check_readable(self.ref.address, folder=self.ref.kind == "folder")

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from wizard.core.inventory import Inventory, SourceVM
from wizard.core.progress import CancelToken, ProgressSink
from wizard.disks.image import DiskImage


class Source(ABC):
    kind: str = ""

    @abstractmethod
    def describe(self) -> str: ...

    @abstractmethod
    def discover(self, progress: ProgressSink | None = None, cancel: CancelToken | None = None) -> Inventory: ...

    @abstractmethod
    def open_disk(self, vm: SourceVM, index: int, cancel: CancelToken | None = None) -> DiskImage: ...

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

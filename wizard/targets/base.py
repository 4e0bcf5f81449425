"""The interface every migration target implements: an offline import bundle or a Hyper-V host.

Per plan item the caller (``wizard.migrate.item.migrate_item`` now, the concurrent pipeline later) does::

    problems = target.preflight(item)                # nothing is changed; [] means "go"
    done = target.existing(item)                     # already migrated by an earlier run? then stop here
    for disk in included disks:
        dest = target.disk_destination(item, disk)   # where the converter writes
        convert(source disk -> dest.stream or dest.path)  # NAME.partial + rename, by the disk engine
        result = target.finish_disk(item, disk, dest, content_digest, progress, cancel)
    # (a Linux guest prepared offline: every disk converted to dest.path first, then prepared, then
    #  target.guest_prepared(item, report), then finish_disk for each with the new content digest)
    created = target.create_vm(item, results, progress, cancel)
    problems = target.verify(item)
    report = target.guest_fixups(item)               # optional, after the VM exists
    ...on failure: target.rollback(item)

Contracts shared by all targets:
- Every method may be called from a worker thread; one Target instance may serve several items
  concurrently as long as they are different items (per-item state is keyed by :func:`item_key`).
- ``preflight`` never changes anything; it returns human-readable problems (empty list = ready).
- ``disk_destination`` returns a *local* path the disk engine writes (the engine writes
  ``NAME.partial`` beside it and renames when complete). For the bundle it is the final file inside the
  bundle's ``.partial`` folder; for a Hyper-V host it is a staging file that ``finish_disk`` uploads over
  SMB (and deletes).
- Optional capability: ``DiskDestination.stream`` (a :class:`wizard.disks.output.DiskStream`) lets the disk
  engine write the disk *in place* at the destination (the Hyper-V host's share: ``NAME.partial`` there,
  read back and verified, renamed when complete), so reading, converting and writing overlap. The caller
  uses it with the default converter; when the stream raises ``StreamUnavailable`` (or a custom converter
  is used) the caller sets ``dest.stream = None`` and converts to ``dest.path`` as above. ``finish_disk``
  then sees either a committed stream (``stream.stored`` is set: nothing left to copy) or a local file.
- ``finish_disk`` makes the converted file final at the destination and returns a :class:`DiskResult`
  with the file's SHA-256 *as stored at the destination* (what ``Get-FileHash`` on the host computes).
  It raises :class:`~wizard.core.errors.VerificationError` when what was stored does not match.
- ``create_vm`` is idempotent per item: calling it again after success does not create a second VM (the
  VM carries the item's tag, see :func:`wizard.targets.vmdata.vm_tag`). On failure it leaves no
  half-configured VM behind (the script removes what it made; the target calls ``rollback`` when the
  script could not report) and raises a :class:`~wizard.core.errors.TargetError` naming the step.
- ``rollback`` removes what this target created for the item (a VM only if it carries the item's tag;
  uploaded disk files / the ``.partial`` bundle folder); it is safe to call when nothing was created.
- Long steps take ``progress``/``cancel`` and check ``cancel`` at least every few MiB / round trips.
- Nothing here ever logs or raises a secret.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard.core.errors import TargetError
from wizard.core.plan import DiskSpec, PlanItem
from wizard.core.progress import CancelToken, ProgressSink
from wizard.disks.output import DiskStream
from wizard.guests.report import PrepReport


def item_key(item: PlanItem) -> str:
    """A stable key for an item's per-run state: the source VM id (or name) plus the target name."""
    raw = f"{item.vm.source_kind}\0{item.vm.id or item.vm.name}\0{item.target.name}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


@dataclass
class DiskDestination:
    """Where the disk engine writes one converted disk.

    ``path``: local file to write (the engine writes ``path.partial`` first). ``final``: where the file
    ends up, for people (bundle path or ``\\\\host\\share\\...``). ``host_path``: the path the Hyper-V
    host will use ("" for a bundle, whose paths are relative to its manifest). ``stream``: optional
    :class:`wizard.disks.output.DiskStream` writing ``final`` in place (see the module docstring).
    """

    path: Path
    final: str
    host_path: str = ""
    stream: DiskStream | None = None


@dataclass
class DiskResult:
    """One disk stored at the destination.

    ``location`` is the path Create-VM.ps1 attaches: relative to the bundle folder when ``relative``, else
    an absolute path on the host. ``sha256`` is of the stored *file* (lower-case hex); ``content_digest``
    is the converter's digest of the virtual disk content (:class:`wizard.disks.digest.ContentDigest`; may
    be "").
    """

    spec: DiskSpec
    file_name: str
    location: str
    relative: bool
    size_bytes: int
    sha256: str
    content_digest: str = ""
    virtual_size: int = 0


@dataclass
class CreateResult:
    """Outcome of ``create_vm``: ``status`` is created | already_exists; ``where`` names the VM's home."""

    name: str
    status: str
    where: str = ""
    vm_id: str = ""
    steps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class FixupReport:
    """What the guest fix-ups did (``done``), could not do (``failed``), and what a person must do
    (``instructions``, e.g. per-distribution Linux steps)."""

    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    instructions: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


class Target(ABC):
    """Base class of migration targets; see the module docstring for the contracts."""

    kind: str = ""
    # True: start_vm can start the VM create_vm made (a Hyper-V host); False: a person starts it (a bundle)
    can_start: bool = False
    # False: the user chose to go on although the free-space estimate says the disks may not fit (the estimate
    # of a dynamic disk is an upper bound; a person may know better). Preflight then leaves that check out.
    check_space: bool = True

    @abstractmethod
    def describe(self) -> str:
        """The target for people and logs (never with a secret)."""

    @abstractmethod
    def preflight(self, item: PlanItem) -> list[str]:
        """Problems that would stop ``item`` (empty = ready). Changes nothing."""

    def existing(self, item: PlanItem) -> CreateResult | None:
        """The result of an earlier run that completed ``item`` (its VM exists, tagged, complete), else None.
        Callers then skip conversion and creation, so a re-run never overwrites disks of a finished VM."""
        return None

    @abstractmethod
    def disk_destination(self, item: PlanItem, disk: DiskSpec) -> DiskDestination:
        """Where the converter writes ``disk`` of ``item`` (creates parent folders as needed)."""

    @abstractmethod
    def finish_disk(self, item: PlanItem, disk: DiskSpec, dest: DiskDestination, content_digest: str = "",
                    progress: ProgressSink | None = None, cancel: CancelToken | None = None) -> DiskResult:
        """Make the converted file final (hash it, upload it) and describe it."""

    def stored_intact(self, item: PlanItem, result: DiskResult, cancel: CancelToken | None = None) -> bool:
        """True when the disk an interrupted run stored on the target (``result``, from the journal) is still
        there with its recorded size and SHA-256, so a resume keeps it; the default cannot tell (redo it)."""
        return False

    @abstractmethod
    def create_vm(self, item: PlanItem, disks: list[DiskResult], progress: ProgressSink | None = None,
                  cancel: CancelToken | None = None) -> CreateResult:
        """Create the VM (or the bundle that creates it); idempotent per item."""

    def committed(self, item: PlanItem, sha256: Mapping[int, str],
                  cancel: CancelToken | None = None) -> CreateResult | None:
        """After a crash between ``create_vm``'s commit and the journal's record of the VM's end: the result
        when what ``create_vm`` commits for ``item`` is there, complete, and provably made of the disks whose
        SHA-256 (by source disk index) the caller journalled before the commit; else None, and the caller
        runs the item again. Checks ``cancel`` while hashing. The default cannot tell (``create_vm`` is
        idempotent, so running the item again is safe)."""
        return None

    def start_vm(self, item: PlanItem, cancel: CancelToken | None = None) -> str:
        """Start the VM ``create_vm`` made for ``item`` (only one carrying the item's tag); returns once the
        start returned, with the VM's state then (``Running``). Raises a
        :class:`~wizard.core.errors.TargetError` when it did not start. Only when ``can_start``; the default
        (a bundle: the VM is created later, by a person) cannot start anything."""
        raise TargetError(f"{self.describe()} cannot start VMs; import the VM and start it on the Hyper-V host.")

    @abstractmethod
    def verify(self, item: PlanItem) -> list[str]:
        """Problems found when checking the result after ``create_vm`` (empty = as planned)."""

    @abstractmethod
    def rollback(self, item: PlanItem) -> None:
        """Remove what this target created for ``item``; safe when nothing was created."""

    @abstractmethod
    def guest_fixups(self, item: PlanItem) -> FixupReport:
        """Post-migration guest changes, or the instructions a person must follow."""

    def guest_prepared(self, item: PlanItem, report: PrepReport) -> None:  # noqa: B027 - optional hook
        """What the offline preparation (``wizard.guests``) did inside ``item``'s guest, told after it ran and
        before the disks are finished (the bundle lists it in its README); the default keeps nothing."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

    def __enter__(self) -> Target:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

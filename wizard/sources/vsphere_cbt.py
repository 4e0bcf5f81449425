"""Changed block tracking (CBT) on vSphere: what the ``sync`` source policy asks of a running VM.

The operations, each one vSphere call or task, on the logged-in :class:`Session`
(:class:`wizard.sources.vsphere.VSphereSource`):

- :func:`enable_tracking`: ``ReconfigVM_Task(changeTrackingEnabled=True)`` when it is off, then reads
  ``config.changeTrackingEnabled`` back. CBT takes effect at the VM's next snapshot (a stun/unstun cycle), so
  the first sync's snapshot is the first one with trustworthy change ids.
- :func:`take_snapshot`: a snapshot without memory (quiesced when VMware Tools run, crash-consistent when
  quiescing fails), named :data:`SYNC_SNAPSHOT`; returns the :class:`Frozen` view: the VM with every disk
  path pointing at the frozen file, and each disk's ``changeId`` as the snapshot recorded it.
- :func:`allocated_areas`: the same query with ``changeId`` ``*``: the areas that hold data, so the initial
  copy of a thin disk reads only those.
- :func:`changed_areas`: ``QueryChangedDiskAreas(snapshot, deviceKey, startOffset, changeId)`` page by page
  over the whole capacity (the server answers a window at a time), merged into ascending, non-overlapping
  ``(offset, length)`` extents. When CBT says the change id cannot be trusted — ``changeId`` ``*`` or empty,
  another tracking epoch (the UUID part changed: CBT was reset by a storage vMotion, a snapshot revert or
  turning CBT off and on), a ``FileFault`` or ``InvalidArgument`` from the query — it raises
  :class:`CbtUnavailable` with the reason in words, and the caller copies that disk in full.
- :func:`remove_snapshot`; :func:`shutdown_guest` (VMware Tools only, never a hard power-off; waits up to
  ``timeout`` seconds); :func:`power_state`.

The frozen disks are read through the source's own :meth:`open_disk` (datastore HTTPS Range requests), so
only the extents asked for cross the network.
"""

from __future__ import annotations

import datetime as _dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pyVmomi import vim, vmodl

from wizard.core.errors import HvmError, SourceError
from wizard.core.inventory import SourceVM
from wizard.core.progress import CancelToken
from wizard.disks.image import DiskImage
from wizard.sources.base import Source, SourceChange
from wizard.sources.vsphere import VSphereSource
from wizard.sources.vsphere_prepare import (
    SHUTDOWN_TIMEOUT,
    Session,
    _call,
    _create_snapshot,
    _frozen,
    _props,
    _snapshot_exists,
    _tools_running,
    _vm,
    _wait_task,
    power_state,
    shutdown_guest,
    undo,
)

log = logging.getLogger(__name__)

SYNC_SNAPSHOT = "hvmigrate sync"


class CbtUnavailable(SourceError):
    """Changed block tracking cannot say what changed on a disk (``reason`` in words); copy it in full."""

    code = "HVM-CBT"

    def __init__(self, reason: str, *, details: str = "") -> None:
        super().__init__(reason, details=details, fix="hvmigrate copies that disk in full this time; later syncs "
                                                      "use changed block tracking again.")
        self.reason = reason


@dataclass
class Frozen:
    """A snapshot taken for one sync: ``vm`` reads the frozen disks; ``change_ids`` by device key (``""``
    when the snapshot carries none); ``change`` is what the journal records so a crash cannot forget it."""

    vm: SourceVM
    change: SourceChange
    change_ids: dict[str, str] = field(default_factory=dict)
    snapshot: Any = None
    capacities: dict[str, int] = field(default_factory=dict)  # by device key, as the snapshot froze them


def tracking_enabled(session: Session, vm_id: str) -> bool:
    obj = _vm(session, vm_id)
    return bool(_props(session, obj, vim.VirtualMachine, ["config.changeTrackingEnabled"],
                       "reading whether changed block tracking is on").get("config.changeTrackingEnabled"))


def enable_tracking(session: Session, vm: SourceVM, cancel: CancelToken) -> bool:
    """Turn CBT on for ``vm`` when it is off; True when this call turned it on. Raises :class:`SourceError`
    when vSphere refuses, or when ``config.changeTrackingEnabled`` still reads false afterwards."""
    if tracking_enabled(session, vm.id):
        return False
    obj = _vm(session, vm.id)
    task = _call(session, f"turning on changed block tracking for {vm.name}", obj.ReconfigVM_Task,
                 spec=vim.vm.ConfigSpec(changeTrackingEnabled=True))
    _wait_task(session, task, f"turning on changed block tracking for {vm.name}", cancel)
    if not tracking_enabled(session, vm.id):
        raise SourceError(f"{session.host} accepted turning on changed block tracking for {vm.name}, but the "
                          "VM still reports it off.",
                          fix="Turn it on in the vSphere Client (VM Options → Advanced → ctkEnabled = TRUE), or "
                              "plan the VM with the snapshot or shutdown policy.")
    return True


def _disk_change_ids(config: Any) -> tuple[dict[str, str], dict[str, int]]:
    """Each virtual disk's change id and capacity in bytes, by device key."""
    ids: dict[str, str] = {}
    sizes: dict[str, int] = {}
    for dev in getattr(getattr(config, "hardware", None), "device", None) or []:
        if isinstance(dev, vim.vm.device.VirtualDisk):
            ids[str(dev.key)] = str(getattr(getattr(dev, "backing", None), "changeId", "") or "")
            sizes[str(dev.key)] = int(getattr(dev, "capacityInBytes", 0) or 0) or int(dev.capacityInKB or 0) * 1024
    return ids, sizes


def take_snapshot(session: Session, vm: SourceVM, cancel: CancelToken) -> Frozen:
    """A snapshot for one sync (see the module docstring). The caller journals ``Frozen.change`` at once
    and removes the snapshot with :func:`remove_snapshot` when the sync ends, also when it fails."""
    obj = _vm(session, vm.id)
    when = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    description = (f"Taken by hvmigrate at {when} to synchronise the disks to Hyper-V; removed when this sync "
                   "is done.")
    running = power_state(session, vm.id) == "poweredOn"
    snap = _create_snapshot(session, vm, obj, SYNC_SNAPSHOT, description, running and _tools_running(obj), cancel)
    change = SourceChange(id=f"sync-{snap._moId}-{int(time.time() * 1000)}", kind="snapshot", vm_id=vm.id,
                          ref=str(snap._moId), description=f"snapshot {SYNC_SNAPSHOT!r} of {vm.name}")
    try:
        frozen = _frozen(vm, snap, session)
        ids = _call(session, "reading the snapshot's change ids", lambda: _disk_change_ids(snap.config))
    except HvmError:
        remove_snapshot(session, change, CancelToken())
        raise
    return Frozen(vm=frozen, change=change, change_ids=ids[0], snapshot=snap, capacities=ids[1])


def reopen_snapshot(session: Session, vm: SourceVM, change: SourceChange) -> Frozen | None:
    """The :class:`Frozen` view of a sync snapshot an interrupted run took (``change``), when it still exists:
    an initial copy cut short by a crash goes on from its last checkpoint on the very same disk state."""
    snap = _snapshot_exists(session, change.ref)
    if snap is None:
        return None
    frozen = _frozen(vm, snap, session)
    ids = _call(session, "reading the snapshot's change ids", lambda: _disk_change_ids(snap.config))
    return Frozen(vm=frozen, change=change, change_ids=ids[0], snapshot=snap, capacities=ids[1])


def remove_snapshot(session: Session, change: SourceChange, cancel: CancelToken) -> None:
    """Remove a sync snapshot (one already gone is fine)."""
    undo(session, change, cancel)


def _epoch(change_id: str) -> str:
    """The tracking epoch of a change id ``"<uuid>/<sequence>"``: a reset starts a new one."""
    return change_id.rsplit("/", 1)[0] if "/" in change_id else change_id


def check_change_ids(earlier: str, now: str) -> str:
    """Why a delta from ``earlier`` to ``now`` cannot be trusted, or ""."""
    if not now or now == "*":
        return "the snapshot carries no change id (changed block tracking is not active on this disk yet)"
    if not earlier or earlier == "*":
        return "no change id was recorded for this disk by an earlier sync"
    if _epoch(earlier) != _epoch(now):
        return ("changed block tracking was reset since the last sync (a storage vMotion, a snapshot revert or "
                "tracking turned off and on)")
    return ""


def changed_areas(session: Session, frozen: Frozen, device_key: str, capacity: int, change_id: str,
                  cancel: CancelToken) -> list[tuple[int, int]]:
    """Extents changed on disk ``device_key`` between ``change_id`` and ``frozen`` (see the module docstring);
    raises :class:`CbtUnavailable` when CBT cannot tell."""
    why = check_change_ids(change_id, frozen.change_ids.get(device_key, ""))
    if why:
        raise CbtUnavailable(why)
    return _query(session, frozen, device_key, capacity, change_id, cancel)


def allocated_areas(session: Session, frozen: Frozen, device_key: str, capacity: int,
                    cancel: CancelToken) -> list[tuple[int, int]] | None:
    """The areas of the frozen disk that hold data (``changeId`` ``*``: everything written since the disk was
    created; the rest reads as zeros), so an initial copy of a thin disk reads only those; None when CBT cannot
    say (not active on this snapshot yet): read the whole disk."""
    if not frozen.change_ids.get(device_key, "") or frozen.change_ids.get(device_key) == "*":
        return None
    try:
        return _query(session, frozen, device_key, capacity, "*", cancel)
    except CbtUnavailable as exc:
        log.info("%s: no allocation map from changed block tracking (%s); reading the whole disk",
                 frozen.vm.name, exc.reason)
        return None


def _query(session: Session, frozen: Frozen, device_key: str, capacity: int, change_id: str,
           cancel: CancelToken) -> list[tuple[int, int]]:
    obj = _vm(session, frozen.vm.id)
    out: list[tuple[int, int]] = []
    offset = 0
    while offset < capacity:
        cancel.check()
        try:
            info = obj.QueryChangedDiskAreas(snapshot=frozen.snapshot, deviceKey=int(device_key),
                                             startOffset=offset, changeId=change_id)
        except (vim.fault.FileFault, vmodl.fault.InvalidArgument) as exc:
            raise CbtUnavailable(f"vSphere cannot list the changes since the last sync "
                                 f"({type(exc).__name__}: the change tracking data is gone or was reset)",
                                 details=str(getattr(exc, "msg", "") or exc)) from None
        except Exception as exc:  # noqa: BLE001 - becomes a typed error without the password
            raise session.translate(exc, "asking which disk areas changed") from None
        for area in getattr(info, "changedArea", None) or []:
            start, length = int(area.start), int(area.length)
            if length > 0 and start < capacity:
                out.append((start, min(length, capacity - start)))
        end = int(info.startOffset) + int(info.length)
        if end <= offset:  # a server that answers no progress would keep us here for ever
            raise SourceError(f"{session.host} answered the changed-areas query at offset {offset} without "
                              "covering any of the disk.", fix="Run the sync again; if it repeats, copy the VM "
                                                               "with the shutdown policy.")
        offset = end
    return merge(out)


def merge(extents: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ascending, non-overlapping extents covering ``extents`` (touching ones joined)."""
    out: list[tuple[int, int]] = []
    for start, length in sorted(extents):
        if out and start <= out[-1][0] + out[-1][1]:
            last_start, last_len = out[-1]
            out[-1] = (last_start, max(last_start + last_len, start + length) - last_start)
        else:
            out.append((start, length))
    return out


def power_on(session: Session, vm: SourceVM, cancel: CancelToken) -> None:
    """Power ``vm`` back on (a cut-over that failed before the Hyper-V VM existed gives the service back)."""
    undo(session, SourceChange(id="", kind="shutdown", vm_id=vm.id, description=f"power on {vm.name}"), cancel)


class Tracker:
    """The CBT operations of one vSphere source, in the shape :mod:`wizard.migrate.sync` asks for
    (:class:`wizard.migrate.sync.ChangeTracking`). ``source`` is the logged-in
    :class:`wizard.sources.vsphere.VSphereSource`; its :meth:`open_disk` reads the frozen disks."""

    def __init__(self, source: VSphereSource) -> None:
        self.source = source

    def describe(self) -> str:
        return self.source.describe()

    def enable(self, vm: SourceVM, cancel: CancelToken) -> bool:
        return enable_tracking(self.source, vm, cancel)

    def snapshot(self, vm: SourceVM, cancel: CancelToken) -> Frozen:
        return take_snapshot(self.source, vm, cancel)

    def changed(self, frozen: Frozen, device_key: str, capacity: int, change_id: str,
                cancel: CancelToken) -> list[tuple[int, int]]:
        return changed_areas(self.source, frozen, device_key, capacity, change_id, cancel)

    def reopen(self, vm: SourceVM, change: SourceChange) -> Frozen | None:
        self.source.connect()
        return reopen_snapshot(self.source, vm, change)

    def allocated(self, frozen: Frozen, device_key: str, capacity: int,
                  cancel: CancelToken) -> list[tuple[int, int]] | None:
        return allocated_areas(self.source, frozen, device_key, capacity, cancel)

    def release(self, change: SourceChange) -> None:
        remove_snapshot(self.source, change, CancelToken())  # not the VM's token: a cancelled sync still cleans up

    def shutdown(self, vm: SourceVM, cancel: CancelToken, timeout: float = SHUTDOWN_TIMEOUT,
                 sent: Callable[[], None] | None = None) -> bool:
        return shutdown_guest(self.source, vm, cancel, timeout, sent)

    def power_on(self, vm: SourceVM) -> None:
        power_on(self.source, vm, CancelToken())

    def power_state(self, vm: SourceVM) -> str:
        return power_state(self.source, vm.id)

    def open_disk(self, vm: SourceVM, index: int, cancel: CancelToken | None = None) -> DiskImage:
        return self.source.open_disk(vm, index, cancel)


def tracker_for(source: Source) -> Tracker:
    """The CBT operations of ``source``; a :class:`SourceError` for a source that has none (files, OVF)."""
    if not isinstance(source, VSphereSource):
        raise SourceError(f"{source.describe()} has no changed block tracking: the sync policy needs a vCenter "
                          "Server or ESXi source.",
                          fix="Plan the VM with another source policy: as-is, snapshot or shutdown.")
    return Tracker(source)

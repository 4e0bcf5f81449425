"""Source preparation on vSphere: the only code that changes a source VM, and only as the plan says.

- ``snapshot``: a running VM gets a snapshot (no memory; quiesced when VMware Tools run) and its disks are
  read as frozen in that snapshot (the snapshot's own device list names the files), so the copy is
  consistent while the VM keeps serving. The snapshot is always removed afterwards (:func:`undo`). An
  interrupted run's snapshot is reused on resume when it still exists, so all disks of a VM come from
  one point in time.
- ``shutdown``: a running VM is shut down through VMware Tools (never a hard power-off, which could lose
  data) and waited for. Undoing it powers the VM back on; the pipeline does that only when the VM's
  migration did not succeed, so the service is back where it was.
A VM that is already off needs neither: nothing is changed.

The functions take the logged-in connection as a :class:`Session` (what
:class:`wizard.sources.vsphere.VSphereSource` offers), so this module does not import the source that calls it.
"""

from __future__ import annotations

import copy
import datetime as _dt
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from pyVmomi import vim, vmodl

from wizard.core.errors import HvmError, SourceError
from wizard.core.i18n import user_text
from wizard.core.inventory import COPY_SNAPSHOT_NAME as SNAPSHOT_NAME
from wizard.core.inventory import SourceVM
from wizard.core.progress import CancelToken
from wizard.sources.base import SourceChange

log = logging.getLogger(__name__)

SHUTDOWN_TIMEOUT = 600.0  # seconds a guest may take to shut down
TASK_TIMEOUT = 3600.0


class Session(Protocol):
    """The vSphere connection preparing works through (:class:`wizard.sources.vsphere.VSphereSource`)."""

    host: str

    @property
    def content(self) -> Any:
        """The ServiceContent (after :meth:`connect`)."""

    @property
    def stub(self) -> Any:
        """The logged-in SOAP stub (after :meth:`connect`)."""

    def connect(self) -> None: ...

    def translate(self, exc: BaseException, doing: str) -> HvmError:
        """The typed error for a failed call (never carries the password)."""


def _wait_task(source: Session, task: Any, doing: str, cancel: CancelToken) -> Any:
    """Wait for a vSphere task, polling its state; a failed task becomes a typed error naming ``doing``."""
    deadline = time.monotonic() + TASK_TIMEOUT
    delay = 0.1
    while True:
        info = _task_info(source, task)
        if info.get("info.state") == "success":
            return info.get("info.result")
        if info.get("info.state") == "error":
            fault = info.get("info.error")
            msg = getattr(fault, "localizedMessage", "") or getattr(fault, "msg", "") or type(fault).__name__
            raise SourceError(f"{source.host} could not finish {doing}: {msg}", details=type(fault).__name__)
        if time.monotonic() > deadline:
            raise SourceError(f"{source.host} did not finish {doing} within {TASK_TIMEOUT / 60:.0f} minutes.",
                              fix="Check the task in the vSphere Client; the VM may be busy or locked.")
        if cancel.wait(delay):
            cancel.check()
        delay = min(delay * 2, 2.0)


def _task_info(source: Session, task: Any) -> dict[str, Any]:
    """State, result and error of a task. Only these properties are fetched: the whole ``info`` can hold
    references (e.g. ``entity`` = a snapshot) that pyVmomi refuses to deserialise."""
    return _props(source, task, vim.Task, ["info.state", "info.result", "info.error"], "following a task")


def _props(source: Session, obj: Any, kind: Any, paths: list[str], doing: str) -> dict[str, Any]:
    """Properties ``paths`` of one managed object read through the PropertyCollector (an unset property is
    simply missing)."""
    pc = vmodl.query.PropertyCollector
    spec = pc.FilterSpec(objectSet=[pc.ObjectSpec(obj=obj, skip=False)],
                         propSet=[pc.PropertySpec(type=kind, all=False, pathSet=paths)])
    result = _call(source, doing, source.content.propertyCollector.RetrieveContents, [spec])
    return {p.name: p.val for o in result or [] for p in o.propSet or []}


def _call(source: Session, doing: str, fn: Any, *args: Any, **kw: Any) -> Any:
    try:
        return fn(*args, **kw)
    except HvmError:
        raise
    except Exception as exc:  # noqa: BLE001 - becomes a typed error without the password
        raise source.translate(exc, doing) from None


def _tools_running(vm_obj: Any) -> bool:
    guest = getattr(vm_obj, "guest", None)
    return str(getattr(guest, "toolsRunningStatus", "") or "") == "guestToolsRunning"


def _disk_files(config: Any) -> dict[str, str]:
    """Device key → file name of every virtual disk in a VM or snapshot configuration."""
    out: dict[str, str] = {}
    for dev in getattr(getattr(config, "hardware", None), "device", None) or []:
        if isinstance(dev, vim.vm.device.VirtualDisk):
            name = getattr(getattr(dev, "backing", None), "fileName", "") or ""
            if name:
                out[str(dev.key)] = name
    return out


def _frozen(vm: SourceVM, snapshot: Any, source: Session) -> SourceVM:
    """``vm`` with every disk path pointing at the file the snapshot froze."""
    files = _call(source, "reading the snapshot's disks", lambda: _disk_files(snapshot.config))
    out = copy.deepcopy(vm)
    for disk in out.disks:
        if disk.key in files:
            disk.path = files[disk.key]
        elif disk.path:
            raise SourceError(f"The snapshot of {vm.name} does not list {disk.label or disk.path}.",
                              fix="The VM's disks changed since it was planned; discover and plan it again.")
    return out


def _snapshot_exists(source: Session, ref: str) -> Any | None:
    snap = vim.vm.Snapshot(ref, source.stub)
    try:
        snap.config  # noqa: B018 - a property read is the existence check
    except vmodl.fault.ManagedObjectNotFound:
        return None
    except Exception as exc:  # noqa: BLE001
        raise source.translate(exc, "looking for the snapshot of an earlier run") from None
    return snap


def prepare(source: Session, vm: SourceVM, policy: str, earlier: list[SourceChange] | None,
            cancel: CancelToken) -> tuple[SourceVM, list[SourceChange]]:
    if policy in ("", "as-is"):
        return vm, []
    if policy not in ("snapshot", "shutdown"):
        raise SourceError(f"Unknown source policy {policy!r} for {vm.name}.", fix="Use as-is, snapshot or shutdown.")
    source.connect()
    vm_obj = vim.VirtualMachine(vm.id, source.stub)
    for change in earlier or []:
        if change.kind == "snapshot" and policy == "snapshot":
            snap = _snapshot_exists(source, change.ref)
            if snap is not None:
                log.info("reusing the snapshot %s of %s from the interrupted run", change.ref, vm.name)
                return _frozen(vm, snap, source), [change]
    state = str(_call(source, f"reading the power state of {vm.name}", lambda: vm_obj.runtime.powerState))
    if state == "poweredOff":
        return vm, []
    if state == "suspended":
        raise SourceError(f"{vm.name} is suspended; its disks cannot be copied consistently.",
                          fix="Resume it and shut it down on the source, then migrate.")
    if policy == "shutdown":
        change = _shutdown(source, vm, cancel)
        return vm, [change] if change is not None else []
    return _snapshot(source, vm, vm_obj, cancel)


def _shutdown(source: Session, vm: SourceVM, cancel: CancelToken) -> SourceChange | None:
    """The shutdown to undo after the copy, or None when the guest went off by itself meanwhile (nothing to undo:
    it must not be started afterwards)."""
    if not shutdown_guest(source, vm, cancel, cannot_fix=user_text("Shut the guest down from its console, or plan "
                                                                   "it with the snapshot policy.")):
        return None
    return SourceChange(id=uuid.uuid4().hex, kind="shutdown", vm_id=vm.id,
                        description=f"shut down {vm.name} for the migration")


def _vm(session: Session, vm_id: str) -> Any:
    session.connect()
    return vim.VirtualMachine(vm_id, session.stub)


def power_state(session: Session, vm_id: str) -> str:
    """``poweredOn`` | ``poweredOff`` | ``suspended``."""
    obj = _vm(session, vm_id)
    return str(_props(session, obj, vim.VirtualMachine, ["runtime.powerState"],
                      "reading the power state").get("runtime.powerState", ""))


def shutdown_guest(session: Session, vm: SourceVM, cancel: CancelToken, timeout: float = SHUTDOWN_TIMEOUT,
                   sent: Callable[[], None] | None = None,
                   cannot_fix: str = user_text("Shut the guest down from its console, then cut over again.")
                   ) -> bool:
    """Shut the guest down through VMware Tools and wait until it is off; False when it was off already.
    ``sent`` is called once the request went out, before the wait. Raises :class:`SourceError` when Tools are
    not running (never a hard power-off; ``cannot_fix`` says what to do instead) or it stays on longer than
    ``timeout`` seconds. Used by the shutdown policy before a copy and by the sync's cut-over."""
    state = power_state(session, vm.id)
    if state == "poweredOff":
        return False
    obj = _vm(session, vm.id)
    if state != "poweredOn" or not _tools_running(obj):
        raise SourceError(f"{vm.name} cannot be shut down cleanly: "
                          + ("it is suspended." if state == "suspended" else "VMware Tools are not running in it."),
                          fix=cannot_fix)
    _call(session, f"shutting down {vm.name}", obj.ShutdownGuest)
    if sent is not None:
        sent()
    for _ in _until(timeout, cancel):
        if power_state(session, vm.id) == "poweredOff":
            return True
    raise SourceError(f"{vm.name} did not shut down within {timeout / 60:.0f} minutes; it may still be shutting "
                      "down, and nothing was created on Hyper-V.",
                      fix="Check its state and its console (an update or a dialog may be holding it), then try "
                          "again.")


def _until(timeout: float, cancel: CancelToken) -> Iterator[None]:
    deadline = time.monotonic() + timeout
    delay = 0.2
    while time.monotonic() < deadline:
        yield None
        if cancel.wait(delay):
            cancel.check()
        delay = min(delay * 2, 2.0)


def _snapshot(source: Session, vm: SourceVM, vm_obj: Any,
              cancel: CancelToken) -> tuple[SourceVM, list[SourceChange]]:
    when = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    description = f"Taken by hvmigrate at {when} to copy the disks to Hyper-V; removed when the copy is done."
    ref = _create_snapshot(source, vm, vm_obj, SNAPSHOT_NAME, description, _tools_running(vm_obj), cancel)
    change = SourceChange(id=uuid.uuid4().hex, kind="snapshot", vm_id=vm.id, ref=str(ref._moId),
                          description=f"snapshot {SNAPSHOT_NAME!r} of {vm.name}")
    try:
        return _frozen(vm, ref, source), [change]
    except HvmError:
        undo(source, change, CancelToken())
        raise


def _create_snapshot(source: Session, vm: SourceVM, vm_obj: Any, name: str, description: str, quiesce: bool,
                     cancel: CancelToken) -> Any:
    """A disk-only snapshot of ``vm`` (its reference), quiesced when asked and possible: a quiesced snapshot
    that fails is taken again without quiescing."""
    try:
        task = _call(source, f"taking a snapshot of {vm.name}", vm_obj.CreateSnapshot_Task,
                     name=name, description=description, memory=False, quiesce=quiesce)
        return _wait_task(source, task, f"the snapshot of {vm.name}", cancel)
    except SourceError:
        if not quiesce:
            raise
        # Quiescing needs working VSS/sync drivers in the guest; a crash-consistent copy is the fallback.
        log.warning("quiesced snapshot of %s failed; taking one without quiescing", vm.name)
        task = _call(source, f"taking a snapshot of {vm.name}", vm_obj.CreateSnapshot_Task,
                     name=name, description=description, memory=False, quiesce=False)
        return _wait_task(source, task, f"the snapshot of {vm.name}", cancel)


def undo(source: Session, change: SourceChange, cancel: CancelToken) -> None:
    """Reverse a change; removing a snapshot that is already gone, or powering on a running VM, is a no-op."""
    source.connect()
    if change.kind == "snapshot":
        snap = _snapshot_exists(source, change.ref)
        if snap is None:
            return
        task = _call(source, "removing the migration snapshot", snap.RemoveSnapshot_Task,
                     removeChildren=False, consolidate=True)
        _wait_task(source, task, "removing the migration snapshot", cancel)
    elif change.kind == "shutdown":
        vm_obj = vim.VirtualMachine(change.vm_id, source.stub)
        if str(_call(source, "reading the power state", lambda: vm_obj.runtime.powerState)) == "poweredOn":
            return
        task = _call(source, "powering the source VM back on", vm_obj.PowerOnVM_Task)
        _wait_task(source, task, "powering the source VM back on", cancel)

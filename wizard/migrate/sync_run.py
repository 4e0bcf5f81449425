"""The scheduler of ``sync``-policy VMs: initial sync, a delta every ``interval``, cut-over when asked.

:class:`SyncRun` runs each VM of a plan through :class:`wizard.migrate.sync.VmSync` on a thread of its own;
``parallel`` rounds (initial copies, deltas, cut-overs) run at once. Per VM: the initial sync, then a delta
sync every ``interval`` seconds (and at once on :meth:`SyncRun.sync_now`) until :meth:`SyncRun.cut_over`,
then the cut-over. A delta that fails is reported and tried again at the next interval (the VM stays
synchronised up to its last good round); a cut-over that fails before the Hyper-V VM exists gives the source
back (powered on) and the VM stays synchronised, so the cut-over can be asked for again; a failed initial
sync fails the VM.

Requests from another process (``hvmigrate cutover`` while ``hvmigrate migrate`` keeps syncing): files in
:func:`requests_dir` (``cutover-<key>``, ``sync-<key>``, ``*-all``) are picked up within a second and
removed. A running :class:`SyncRun` holds :func:`lock_path` locked; :func:`running` tells another process
whether one is running.

Events reach ``sink`` as :class:`ProgressEvent` s tagged with the VM's name: ``stage="state"`` with
``message`` one of :data:`SYNC_STATES`; ``stage="sync"`` after each round, ``message`` the status line
(``synchronised · last sync 14:02 · 1.2 GiB changed · next in 10 min``), ``done`` the bytes read; byte
progress of the copies and deltas; ``stage="log"`` lines.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from wizard.core.errors import Cancelled, HvmError, InputError, PlanError, SourceError, VerificationError
from wizard.core.ioerrors import io_error
from wizard.core.plan import Plan, PlanItem
from wizard.core.progress import CancelToken, ProgressEvent, ProgressSink
from wizard.disks.resume import Checkpoints
from wizard.migrate.journal import Journal, JournalState
from wizard.migrate.prepare import changes_from_journal
from wizard.migrate.run import open_plan_journal, plan_fingerprint, plan_key
from wizard.migrate.sync import (
    UNTIL_STARTED,
    ChangeTracking,
    DiskPlace,
    LocalPlace,
    RoundResult,
    VmSync,
    downtime_text,
    size_text,
    status_line,
)
from wizard.sources.base import SourceChange
from wizard.targets.base import CreateResult, DiskResult, Target

log = logging.getLogger(__name__)

SYNC_STATES = ("queued", "initial-sync", "synchronised", "syncing", "cutting-over", "done", "failed", "cancelled")
FINAL = ("done", "failed", "cancelled")
_WORDS = {"initial-sync": "initial sync", "cutting-over": "cutting over", "syncing": "synchronising"}
POLL = 1.0  # seconds between looks at the request files


@dataclass
class SyncOptions:
    """``interval``: seconds between delta syncs; ``verify_full``: re-read everything at cut-over;
    ``shutdown_timeout``: seconds the guest may take to shut down; ``parallel``: rounds at once;
    ``cutover_once``: each VM ends after its first cut-over attempt — a failed one fails the VM (the source
    given back as usual) instead of going back to delta syncs (a cut-over with no sync left running)."""

    interval: float = 600.0
    verify_full: bool = False
    shutdown_timeout: float = 600.0
    journal_path: Path | None = None
    resume: bool = False
    parallel: int = 2
    cutover_once: bool = False


@dataclass
class VmStatus:
    """One VM as a front end shows it. Times are ``time.time()`` values; ``next_sync`` None = none planned."""

    name: str
    state: str = "queued"
    rounds: int = 0
    last_sync: float | None = None
    last_changed: int = 0
    last_seconds: float = 0.0
    next_sync: float | None = None
    downtime: float | None = None
    until: str = ""  # what ended the downtime (wizard.migrate.sync UNTIL_*: started | bundle | created)
    error: HvmError | None = None  # why the VM failed, or why its last cut-over failed (it syncs on)
    sync_error: HvmError | None = None  # why the last delta sync failed (tried again at the next interval)
    findings: list[str] = field(default_factory=list)
    created: CreateResult | None = None
    disks: list[DiskResult] = field(default_factory=list)  # once cut over: the disks as stored

    def line(self, now: float | None = None) -> str:
        """``synchronised · last sync 14:02 · 1.2 GiB changed · next in 10 min`` (and the downtime once done)."""
        if self.state == "done" and self.downtime is not None:
            return "done · " + downtime_text(self.downtime, self.until)
        waiting = self.state == "synchronised" and self.next_sync is not None
        next_in = self.next_sync - (now or time.time()) if waiting and self.next_sync is not None else None
        return status_line(_WORDS.get(self.state, self.state), self.last_sync, self.last_changed, next_in)


def requests_dir(journal: Path) -> Path:
    return journal.with_name(journal.name + ".requests")


def lock_path(journal: Path) -> Path:
    return journal.with_name(journal.name + ".lock")


def _lock(fh: IO[str], blocking: bool) -> bool:
    try:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        return True
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    except OSError:
        return False


def _open_lock(path: Path) -> IO[str]:
    """The lock file, opened (created) without following a link someone planted under its name."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    return open(os.open(path, flags, 0o600), "a+")  # noqa: SIM115 - the caller closes it


def running(journal: Path) -> bool:
    """True while a :class:`SyncRun` with this journal runs (in any process)."""
    path = lock_path(journal)
    if not path.exists():
        return False
    try:
        with _open_lock(path) as fh:
            return not _lock(fh, blocking=False)
    except OSError:  # not a lock file of ours (a link, a folder): no run holds it
        return False


def request(journal: Path, kind: str, vm_id: str | None) -> Path:
    """Ask the running :class:`SyncRun` of ``journal`` to ``kind`` (``cutover`` | ``sync``) one VM (None:
    all); the request file written."""
    folder = requests_dir(journal)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}-{plan_key(vm_id) if vm_id else 'all'}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        raise io_error(exc, "Asking the running sync to cut over", path) from None
    with open(fd, "w", encoding="utf-8") as fh:  # the content is for people; the name is the request
        fh.write(vm_id or "all")
    return path


@dataclass
class _Job:
    item: PlanItem
    status: VmStatus
    wake: threading.Event = field(default_factory=threading.Event)
    cutover: bool = False
    sync_now: bool = False
    token: CancelToken | None = None
    thread: threading.Thread | None = None

    @property
    def vm_id(self) -> str:
        return self.item.vm.id or self.item.target.name


class SyncRun:
    """The sync of a plan's VMs (see the module docstring). :meth:`start`, then control from any thread;
    :meth:`wait` returns once every VM is final; :meth:`close` ends it."""

    def __init__(self, plan: Plan, tracker: ChangeTracking, target: Target, options: SyncOptions | None = None,
                 sink: ProgressSink | None = None, cancel: CancelToken | None = None,
                 place: DiskPlace | None = None, clock: Callable[[], float] = time.time) -> None:
        self.plan = plan
        self.tracker = tracker
        self.target = target
        self.options = options or SyncOptions()
        self.sink = sink
        self.cancel = cancel or CancelToken()
        self.place = place or LocalPlace(target)
        self.clock = clock
        self.jobs = {i.target.name: _Job(i, VmStatus(i.target.name)) for i in plan.items}
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max(1, self.options.parallel))
        self._journal: Journal | None = None
        self._state = JournalState()
        self._lockfile: IO[str] | None = None
        self._closed = False

    # -- what a front end reads ------------------------------------------------------------------------
    def status(self) -> list[VmStatus]:
        with self._lock:
            return [VmStatus(**{**j.status.__dict__, "findings": list(j.status.findings),
                                "disks": list(j.status.disks)}) for j in self.jobs.values()]

    @property
    def busy(self) -> bool:
        with self._lock:
            return any(j.status.state not in FINAL for j in self.jobs.values())

    # -- control ---------------------------------------------------------------------------------------
    def _chosen(self, name: str | None) -> list[_Job]:
        if name is None:
            return list(self.jobs.values())
        if name in self.jobs:
            return [self.jobs[name]]
        return [j for j in self.jobs.values() if name in (j.item.vm.name, j.item.vm.id)]

    def sync_now(self, name: str | None = None) -> None:
        """Run a delta sync of ``name`` (None: every VM) now instead of at its next interval."""
        for job in self._chosen(name):
            job.sync_now = True
            job.wake.set()

    def cut_over(self, name: str | None = None) -> None:
        """Cut ``name`` (None: every VM) over once its current round ends (the initial sync first, when it is
        still running)."""
        for job in self._chosen(name):
            job.cutover = True
            job.wake.set()

    def cancel_all(self) -> None:
        """Stop every VM; the synced disks and the journal stay, so a rerun with resume goes on."""
        self.cancel.cancel("cancelled by user")
        for job in self.jobs.values():
            job.wake.set()

    # -- running ---------------------------------------------------------------------------------------
    def start(self) -> None:
        self._open_journal()
        for job in self.jobs.values():
            job.token = self.cancel.child()
            job.thread = threading.Thread(target=self._work, args=(job,), name=f"sync-{job.item.target.name}",
                                          daemon=True)
            job.thread.start()
        threading.Thread(target=self._poll_requests, name="sync-requests", daemon=True).start()

    def wait(self, timeout: float | None = None) -> list[VmStatus]:
        deadline = None if timeout is None else time.monotonic() + timeout
        for job in self.jobs.values():
            if job.thread is not None:
                job.thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return self.status()

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self.cancel_all()
        self.wait()
        if self._journal is not None:
            self._journal.close()
        path = self.options.journal_path
        finished = all(j.status.state == "done" for j in self.jobs.values())
        if self._lockfile is not None:
            if finished and path is not None:  # nothing is left to sync: the run's side files go (the journal stays)
                with contextlib.suppress(OSError):
                    lock_path(path).unlink()
                for folder in (requests_dir(path), self._sidecars()):
                    with contextlib.suppress(OSError):
                        for entry in folder.iterdir():
                            entry.unlink()
                        folder.rmdir()
            self._lockfile.close()
            self._lockfile = None

    def __enter__(self) -> SyncRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _open_journal(self) -> None:
        path = self.options.journal_path
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._lockfile = _open_lock(lock_path(path))
        except OSError as exc:
            raise io_error(exc, "Opening the sync lock", lock_path(path)) from None
        if not _lock(self._lockfile, blocking=False):
            self._lockfile.close()
            self._lockfile = None
            raise InputError("another hvmigrate is synchronising this plan into this target", path=path,
                             fix="Let that run go on and cut over from it, or stop it first.")
        self._journal, self._state, fingerprint = open_plan_journal(
            path, self.plan, self._state, resume=self.options.resume)
        if not self._state.plan_sha256:
            self._journal.append("run_start", plan_sha256=fingerprint, vms=len(self.plan.items))
        with contextlib.suppress(OSError):  # requests written for an earlier run are not this run's
            for old in requests_dir(path).iterdir():
                old.unlink()

    def _record(self, event: str, **fields: object) -> None:
        if self._journal is not None:
            self._journal.append(event, **fields)

    def _record_all(self, records: list[tuple[str, dict]]) -> None:
        if self._journal is not None:
            self._journal.append_all(records)

    def _sidecars(self) -> Path:
        path = self.options.journal_path
        if path is None:
            return Path(tempfile.gettempdir()) / "hvmigrate-sync" / plan_fingerprint(self.plan)[:16]
        return path.with_name(path.name + ".d")

    def _emit(self, event: ProgressEvent) -> None:
        if self.sink is not None:
            self.sink(event)

    def _set(self, job: _Job, state: str, message: str = "", level: str = "info") -> None:
        with self._lock:
            job.status.state = state
        self._emit(ProgressEvent("state", message=state, vm=job.status.name,
                                 level="error" if state == "failed" else "info"))
        if message:
            self._emit(ProgressEvent("log", message=message, vm=job.status.name, level=level))

    def _poll_requests(self) -> None:
        path = self.options.journal_path
        if path is None:
            return
        folder = requests_dir(path)
        while not self.cancel.wait(POLL) and self.busy:
            try:
                entries = list(folder.iterdir()) if folder.is_dir() else []
            except OSError:
                continue
            for entry in entries:
                kind, _, key = entry.name.partition("-")
                jobs = list(self.jobs.values()) if key == "all" else [
                    j for j in self.jobs.values() if plan_key(j.vm_id) == key]
                for job in jobs:
                    if kind == "cutover":
                        self._emit(ProgressEvent("log", message="cut-over requested from another hvmigrate",
                                                 vm=job.status.name))
                        job.cutover = True
                    elif kind == "sync":
                        job.sync_now = True
                    job.wake.set()
                with contextlib.suppress(OSError):
                    entry.unlink()

    # -- one VM ------------------------------------------------------------------------------------------
    def _work(self, job: _Job) -> None:
        token = job.token or CancelToken()
        name = job.status.name
        try:
            self._run_vm(job, token)
        except Cancelled:
            self._set(job, "cancelled", "stopped; the synchronised disks and the journal are kept (resume goes on)")
        except HvmError as exc:
            with self._lock:
                job.status.error = exc
            self._record("vm_failed", vm=job.vm_id, error=exc.one_line())
            self._set(job, "failed", exc.one_line(), "error")
        except Exception as exc:  # noqa: BLE001 - a bug must end this VM as failed, not leave it hanging
            log.debug("sync of %s failed unexpectedly", name, exc_info=True)
            err = HvmError(f"VM {name!r}: the sync stopped on an unexpected error ({type(exc).__name__}).",
                           details=f"{type(exc).__name__}: {exc}",
                           fix="Resume the sync; if this repeats, report it with the log of a run with debug "
                               "logging.")
            with self._lock:
                job.status.error = err
            self._set(job, "failed", err.one_line(), "error")

    def _vm_sync(self, job: _Job) -> VmSync:
        restored = {disk: rec for (vm, disk), rec in self._state.sync_disks.items() if vm == job.vm_id}
        rounds = int(self._state.sync_rounds.get(job.vm_id, {}).get("round", 0))
        return VmSync(job.item, self.tracker, self.target, self.place, sidecars=self._sidecars(),
                      record=self._record, sink=self.sink, verify_full=self.options.verify_full,
                      shutdown_timeout=self.options.shutdown_timeout, restored=restored, rounds=rounds,
                      record_all=self._record_all,
                      checkpoints=lambda disk, same: self._checkpoints(job.vm_id, disk.source_index, same))

    def _run_vm(self, job: _Job, token: CancelToken) -> None:
        if self._finished_before(job, token):
            return
        started = any(vm == job.vm_id for vm, _disk in [*self._state.sync_disks, *self._state.progress])
        # nothing changes on the source before the target is ready (a resumed VM's disks already take their room)
        problems = [] if started else self.target.preflight(job.item)
        if problems:
            raise PlanError(f"VM {job.status.name!r} cannot be synchronised: {problems[0]}",
                            details="\n".join(problems))
        vm = self._vm_sync(job)
        reuse = self._leftover_snapshots(job, vm)
        step = str(self._state.cutovers.get(job.vm_id, {}).get("step", ""))
        resuming_cutover = step in ("begin", "source_off", "synced")
        if resuming_cutover:
            self._emit(ProgressEvent("log", message=f"the interrupted run was cutting over ({step}); the cut-over "
                                                    "goes on", vm=job.status.name, level="warning"))
            job.cutover = True
        else:
            self._set(job, "initial-sync" if not vm.initialised else "syncing",
                      "initial sync" if not vm.initialised
                      else f"resuming from the recorded change ids (round {vm.rounds})")
            with self._slots:
                vm.prepare(token)
                self._round(job, vm, token, reuse)
        while True:
            self._sync_until_cutover(job, vm, token)
            if self._cutover(job, vm, token, resumed=resuming_cutover):
                return
            if self.options.cutover_once and job.status.error is not None:
                raise job.status.error  # nobody is left to ask again: the VM fails with the cut-over's error
            resuming_cutover = False

    def _sync_until_cutover(self, job: _Job, vm: VmSync, token: CancelToken) -> None:
        """A delta every interval (or when asked) until the cut-over is asked for."""
        while not job.cutover:
            self._set(job, "synchronised")
            due = self.clock() + self.options.interval
            with self._lock:
                job.status.next_sync = due
            while not (job.cutover or job.sync_now) and self.clock() < due:
                token.check()
                job.wake.wait(min(POLL, max(0.0, due - self.clock())))
                job.wake.clear()
            token.check()
            if job.cutover:
                break
            job.sync_now = False
            self._set(job, "syncing")
            try:
                with self._slots:
                    self._round(job, vm, token)
            except HvmError as exc:  # the VM stays synchronised up to its last good round
                with self._lock:
                    job.status.sync_error = exc
                self._emit(ProgressEvent("log", message=f"this sync failed and is tried again at the next "
                                                        f"interval: {exc.one_line()}", vm=job.status.name,
                                         level="warning"))

    def _round(self, job: _Job, vm: VmSync, token: CancelToken, reuse: SourceChange | None = None) -> RoundResult:
        result = vm.sync(token, reuse)
        with self._lock:
            st = job.status
            st.rounds, st.last_sync, st.last_changed, st.last_seconds = (result.number, result.finished_at,
                                                                           result.changed, result.seconds)
            st.next_sync = self.clock() + self.options.interval
            st.findings = list(vm.findings)
            st.sync_error = None
            line = status_line("synchronised", st.last_sync, st.last_changed, self.options.interval)
        total = sum(d.capacity_bytes for d in vm.disks)
        how = (f"round {result.number}: read {size_text(result.changed)} in {result.seconds:.1f} s"
               + (f"; copied in full: {', '.join(result.full)} ({'; '.join(result.reasons)})" if result.full else ""))
        self._emit(ProgressEvent("sync", done=result.changed, total=total, message=line, vm=job.status.name))
        self._emit(ProgressEvent("log", message=how, vm=job.status.name))
        return result

    def _cutover(self, job: _Job, vm: VmSync, token: CancelToken, *, resumed: bool) -> bool:
        """Cut over; True when done, False when it failed before the VM existed (the VM goes on syncing)."""
        self._set(job, "cutting-over")
        try:
            with self._slots:
                result = vm.cutover(token, resumed=resumed)
        except HvmError as exc:
            job.cutover = False
            self._emit(ProgressEvent("log", message=f"cut-over failed: {exc.one_line()}", vm=job.status.name,
                                     level="error"))
            with self._lock:
                job.status.error = exc
            if vm.committing or self.target.existing(job.item) is not None:
                raise  # the VM may exist on the target: never go back to syncing (two VMs could run)
            if not self.options.cutover_once:
                self._emit(ProgressEvent("log", message="the VM keeps synchronising; ask for the cut-over again",
                                         vm=job.status.name, level="warning"))
            return False
        self._record("vm_done", vm=job.vm_id)
        vm.forget()
        if result.final is not None:
            self._emit(ProgressEvent("sync", done=result.final.changed, total=sum(d.capacity_bytes for d in vm.disks),
                                     message=f"final sync (source off) · {size_text(result.final.changed)} changed",
                                     vm=job.status.name))
        with self._lock:
            job.status.downtime, job.status.created, job.status.next_sync = result.downtime, result.created, None
            job.status.until = result.until
            job.status.disks = list(result.disks)
            job.status.error = None
        self._set(job, "done", f"cut over: {downtime_text(result.downtime, result.until)}, counted from the "
                               f"shutdown request; {result.created.where}")
        return True

    def _finished_before(self, job: _Job, token: CancelToken) -> bool:
        """A VM the journal (or the target) says was cut over already: reported done, nothing redone."""
        created, said = None, "already cut over (journal)"
        step = self._state.cutovers.get(job.vm_id, {})
        # the interrupted cut-over made the VM but did not start it (or found it wrong): not done yet
        unstarted = (step.get("step") == "verify_failed"
                     or (step.get("step") in ("created", "start_failed") and self.target.can_start))
        if job.vm_id in self._state.vms_done:
            created = self.target.existing(job.item) or CreateResult(job.item.target.name, "already_exists")
        elif job.vm_id in self._state.commits:
            hashes = self._state.commits[job.vm_id]
            created = self.target.committed(job.item, hashes, token)
            if created is not None and not unstarted:
                self._record("cutover", vm=job.vm_id, step="done")
                self._record("vm_done", vm=job.vm_id)
        if created is None:  # made by an earlier run whose journal is gone: never synchronised over again
            created = self.target.existing(job.item)
            said = "already on the target, made by an earlier run of this plan; not synchronised again"
        if created is None:
            return False
        if step.get("step") == "verify_failed":
            raise VerificationError(f"VM {job.status.name!r} was created by the interrupted cut-over but does not "
                                    "match the plan; it was not started.", details=str(step.get("error", "")),
                                    fix="The source VM stays off. Correct the VM in Hyper-V Manager and start it, "
                                        "or remove it and start the source VM again.")
        if step.get("step") in ("created", "start_failed") and self.target.can_start:
            # the interrupted cut-over made the VM but did not start it: start it now, but only while the
            # source is still off (never two running VMs)
            if self.tracker.power_state(job.item.vm) != "poweredOff":
                raise SourceError(f"VM {job.status.name!r}: the interrupted cut-over created the Hyper-V VM, but "
                                  "the source VM is running again; the Hyper-V VM was not started.",
                                  fix="Shut the source VM down (through VMware Tools) and resume.")
            self._emit(ProgressEvent("log", message="the interrupted cut-over created the VM but did not start it: "
                                                    "starting it now", vm=job.status.name, level="warning"))
            try:
                self.target.start_vm(job.item, token)
            except HvmError as exc:
                self._record("cutover", vm=job.vm_id, step="start_failed", error=exc.one_line())
                raise
            self._record("cutover", vm=job.vm_id, step="started")
            self._record("cutover", vm=job.vm_id, step="done", until=UNTIL_STARTED)
            self._record("vm_done", vm=job.vm_id)
            said = ("the interrupted cut-over had created the VM; it was started now (the downtime of the "
                    "interrupted run is not known)")
            step = {}
        downtime = step.get("downtime_ms")
        with self._lock:
            job.status.created = created
            job.status.downtime = downtime / 1000 if isinstance(downtime, int) else None
            job.status.until = str(step.get("until", ""))
        self._set(job, "done", said)
        return True

    def _checkpoints(self, vm_id: str, index: int, same: bool) -> Checkpoints | None:
        """A full copy's checkpoints, journalled as ``disk_progress``; from the interrupted run's last one when
        the copy reads the same snapshot (``same``), else from the start."""
        if self._journal is None:
            return None
        journal = self._journal
        offset, source = self._state.progress.get((vm_id, index), (0, "")) if same else (0, "")
        sidecar = self._sidecars() / f"{plan_key(vm_id)}-{index}.digests"
        return Checkpoints(lambda at, source_id: journal.append("disk_progress", vm=vm_id, disk=index, offset=at,
                                                                source=source_id),
                           resume_offset=offset, resume_source=source, sidecar=sidecar)

    def _leftover_snapshots(self, job: _Job, vm: VmSync) -> SourceChange | None:
        """Sync snapshots a killed run left (journalled, not undone) are removed before the next round — except
        the last one of an initial sync that did not finish, which is returned: its copy goes on from there."""
        left = [c for c in changes_from_journal(self._state.source_changes)
                if c.vm_id == job.vm_id and c.kind == "snapshot"]
        keep = left[-1] if left and not vm.initialised else None
        for change in left:
            if change is keep:
                continue
            try:
                self.tracker.release(change)
                self._record("source_change_undone", vm=job.vm_id, id=change.id)
                self._emit(ProgressEvent("log", message="removed the sync snapshot the interrupted run left",
                                         vm=job.status.name))
            except HvmError as exc:
                self._emit(ProgressEvent("log", message=f"could not remove the snapshot the interrupted run left: "
                                                        f"{exc.one_line()}", vm=job.status.name, level="warning"))
        return keep


def journal_has_sync(path: Path, plan: Plan) -> bool:
    """True when ``path`` holds synchronised disks of VMs of ``plan`` that were not cut over (work a fresh
    start would throw away)."""
    state = Journal.replay(path, vms={i.vm.id or i.target.name for i in plan.items})
    return any(vm not in state.vms_done for vm, _disk in state.sync_disks)


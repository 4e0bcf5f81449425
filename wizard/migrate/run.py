"""The one scheduler: runs a plan's VMs, many at once, cancellable per VM, resumable from a journal.

Both front ends use it (the command line directly, the wizard through ``wizard.ui.run_adapter``).
A :class:`MigrationRun` takes a plan, an open source and an open target and runs every plan item through
:func:`wizard.migrate.item.migrate_item` (preflight → disks converted straight into the target → create VM
→ verify → optional guest fix-ups) on a pool of worker threads, with limits:

- ``parallel``: VMs in flight overall;
- ``per_source``: VMs in flight per source host/datastore (a busy datastore is the usual bottleneck);
- the target's own limit is the pool itself (one target per run).

Events reach ``sink`` as :class:`ProgressEvent` s tagged with the VM's name: the stages' byte progress
(``convert``, ``verify``, ``upload``, …) and state changes as ``stage="state"`` with ``message`` one of
:data:`STATES`. The sink is called on worker threads (and on the caller's thread for control calls).

Control, from any thread, at any time until :meth:`close` — also after every VM has ended:
``cancel_vm(name)`` stops one VM within a second (the converter checks its token every chunk); what the
target created for it is rolled back by ``migrate_item``. ``cancel_all()`` stops the run. ``skip(name)``
takes a queued VM out of the run (or cancels it if running); ``retry(name)`` queues a failed, cancelled or
skipped VM again. One VM's failure never stops the others. :attr:`busy` is False once every VM is in a
final state; the state event that makes it False is the last event of that stretch of work.

Resume: every verified disk and every finished VM is appended to the journal (``wizard.migrate.journal``)
before the run moves on; with ``resume=True`` finished VMs are reported ``done`` without work and
finished disks are handed to the target as they are. A disk being converted also records a checkpoint
every GiB (``disk_progress``, see :mod:`wizard.disks.resume`; local files and the Hyper-V share alike) and
continues from the last one, so a crash costs at most about a GiB per disk in flight.

What resume trusts from a journal (a file in a folder others may write to): a finished disk only when its
recorded path is exactly where the target puts that disk (never any other file: not ``/dev/zero``, not a
link) and the file there still has the recorded size and SHA-256; the hash honours the VM's cancel token,
so Ctrl+C, SIGTERM and the wizard's Cancel stop it within a chunk. Before the target commits a VM
(``create_vm``: the bundle's folder rename), the run journals ``vm_commit`` with the disks' SHA-256; a
resume after a kill between that commit and ``vm_done`` asks the target whether the commit happened
(:meth:`wizard.targets.base.Target.committed`) and, when it did, reports the VM done without redoing it.
A journal that can no longer be written (disk full) is reported once as a warning and the run goes on.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass, field
from pathlib import Path

from wizard.compat.validate import duplicate_names
from wizard.core.errors import Cancelled, HvmError, InputError, PlanError
from wizard.core.ioerrors import io_error
from wizard.core.plan import DiskSpec, Plan, PlanItem
from wizard.core.progress import CancelToken, ProgressEvent, ProgressSink
from wizard.core.serial import from_jsonable, to_jsonable
from wizard.disks.resume import Checkpoints
from wizard.guests.report import PrepReport
from wizard.migrate.item import Converter, ItemOutcome, migrate_item
from wizard.migrate.journal import Journal, JournalState, prepare_fresh
from wizard.migrate.prepare import changes_from_journal, prepare_item, release_changes
from wizard.sources.base import Source, SourceChange
from wizard.targets.base import CreateResult, DiskDestination, DiskResult, Target
from wizard.targets.bundle import sha256_file

log = logging.getLogger(__name__)

STATES = ("queued", "running", "done", "failed", "cancelled", "skipped")
FINAL = ("done", "failed", "cancelled", "skipped")


def plan_key(vm_id: str) -> str:
    """A file-name-safe key for a VM id (ids may hold any character)."""
    return hashlib.sha256(vm_id.encode("utf-8")).hexdigest()[:16]


def plan_fingerprint(plan: Plan) -> str:
    """SHA-256 of the plan's items: a journal belongs to exactly one plan."""
    data = json.dumps(to_jsonable(plan.items), sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def open_plan_journal(path: Path, plan: Plan, state: JournalState, *,
                      resume: bool) -> tuple[Journal, JournalState, str]:
    """Open ``path``, the journal of ``plan``: on ``resume`` its records are replayed (a journal of another plan
    is refused; a torn last record is cut off), else it starts empty — a fresh
    run must not trust earlier progress. Returns (journal, its state — ``state`` when not resuming, the plan's
    fingerprint)."""
    fingerprint = plan_fingerprint(plan)
    truncate = None
    if resume:
        state = Journal.replay(path, vms={i.vm.id or i.target.name for i in plan.items})
        if state.plan_sha256 and state.plan_sha256 != fingerprint:
            raise InputError("this journal belongs to a different plan", path=path,
                             fix="Resume with the plan the interrupted run used, or start over without resuming.")
        if state.torn_bytes:
            truncate = state.valid_bytes
    else:
        prepare_fresh(path)
    return Journal(path, truncate=truncate), state, fingerprint

@dataclass
class RunOptions:
    """How a plan is run; the same knobs as ``hvmigrate migrate`` (``--parallel``, ``--per-source``,
    ``--verify``, ``--fixups``, ``--resume``, ``--journal``). ``background`` lowers the workers' scheduling
    priority so that an interactive front end stays responsive while disks convert."""

    parallel: int = 2
    per_source: int = 2
    verify: bool = True
    fixups: bool = False
    resume: bool = False
    journal_path: Path | None = None
    background: bool = False


def _lower_priority() -> None:
    """Lower this worker thread's priority (Linux: per thread; threads it starts inherit it)."""
    # only Linux takes a thread id here; elsewhere the same call would address the whole process
    if sys.platform.startswith("linux") and hasattr(os, "setpriority"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 5)


@dataclass
class _Job:
    item: PlanItem
    state: str = "queued"
    token: CancelToken | None = None
    outcome: ItemOutcome | None = None
    skip_requested: bool = False
    future: Future | None = field(default=None, repr=False)
    attempt: int = 0  # which submission may run it: a retry of a VM still waiting in the pool supersedes it

    @property
    def name(self) -> str:
        return self.item.target.name


def _source_key(item: PlanItem) -> str:
    """The resource a VM's reads load: its first disk's datastore, else its host, else the whole source."""
    for disk in item.vm.disks:
        if disk.datastore:
            return "ds:" + disk.datastore
    return "host:" + (item.vm.host or "")


class MigrationRun:
    """One execution of a plan; see the module docstring. Use :meth:`run` (blocking) or :meth:`start`."""

    def __init__(self, plan: Plan, source: Source, target: Target, options: RunOptions | None = None,
                 sink: ProgressSink | None = None, cancel: CancelToken | None = None,
                 converter: Converter | None = None) -> None:
        self.plan = plan
        self.source = source
        self.target = target
        self.options = options or RunOptions()
        self.sink = sink
        self.cancel = cancel or CancelToken()
        self.converter = converter
        twice = duplicate_names(plan.items)  # the check plan and plan --check make (compat.validate)
        if twice:
            raise PlanError(f"The plan names two target VMs {plan.items[min(twice)].target.name!r}; every Hyper-V "
                            "VM needs its own name.", fix="Plan the VMs again: the plan gives each its own name.")
        self.jobs = {i.target.name: _Job(i) for i in plan.items}
        self._lock = threading.Lock()
        self._source_limits: dict[str, threading.BoundedSemaphore] = {}
        self._pool = ThreadPoolExecutor(max_workers=max(1, self.options.parallel), thread_name_prefix="migrate",
                                        initializer=_lower_priority if self.options.background else None)
        self._journal: Journal | None = None
        self._journal_opened = False
        self._notes: list[str] = []  # what opening the journal repaired, for people
        self._state = JournalState()
        self._closed = False

    # -- what a front end reads (any thread) ----------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while a VM is queued or running."""
        with self._lock:
            return any(j.state not in FINAL for j in self.jobs.values())

    def state_of(self, name: str) -> str:
        return self.jobs[name].state

    def error_of(self, name: str) -> HvmError | None:
        """The typed error of a VM that failed (None otherwise)."""
        outcome = self.jobs[name].outcome
        return outcome.error if outcome is not None and self.jobs[name].state == "failed" else None

    def outcomes(self) -> list[ItemOutcome]:
        """Each VM's outcome so far, in plan order (a VM still at work is reported with its state)."""
        return [j.outcome or ItemOutcome(j.name, status=j.state) for j in self.jobs.values()]

    # -- control (any thread) -----------------------------------------------------------------------
    def cancel_vm(self, name: str) -> None:
        job = self.jobs[name]
        with self._lock:
            if job.state == "queued":
                job.skip_requested = True
                self._set_state(job, "cancelled")
            elif job.token is not None:
                job.token.cancel("cancelled by user")

    def skip(self, name: str) -> None:
        job = self.jobs[name]
        with self._lock:
            job.skip_requested = True
            if job.state == "queued":
                self._set_state(job, "skipped")
            elif job.token is not None:
                job.token.cancel("skipped by user")

    def retry(self, name: str) -> None:
        """Run a failed, cancelled or skipped VM again from the start (also after the run went idle; a
        run that was cancelled as a whole takes new work again)."""
        job = self.jobs[name]
        with self._lock:
            if self._closed:
                raise RuntimeError("retry after close(): start a new MigrationRun")
            if job.state not in ("failed", "cancelled", "skipped"):
                return
            if self.cancel.cancelled and not any(j.state == "running" for j in self.jobs.values()):
                self.cancel = CancelToken()  # Cancel all ended; the user wants this VM after all
            job.skip_requested = False
            job.outcome = None
            if self._journal is not None:
                self._journal.append("vm_reset", vm=job.item.vm.id or job.name)
                self._state.vms_failed.pop(job.item.vm.id or job.name, None)
                for key in [k for k in self._state.disks if k[0] == (job.item.vm.id or job.name)]:
                    del self._state.disks[key]
            self._set_state(job, "queued")
            job.attempt += 1
            job.future = self._pool.submit(self._work, job, job.attempt)

    def cancel_all(self) -> None:
        self.cancel.cancel("cancelled by user")
        with self._lock:
            for job in self.jobs.values():
                if job.state == "queued":
                    job.skip_requested = True
                    self._set_state(job, "cancelled")

    # -- running ------------------------------------------------------------------------------------
    def start(self) -> None:
        """Open the journal (unless :meth:`open_journal` did) and queue every item; returns at once (see
        :meth:`wait`)."""
        self.open_journal()
        for note in self._notes:
            self._log("", note, "warning")
        self._notes.clear()
        for job in self.jobs.values():
            vm_id = job.item.vm.id or job.name
            if vm_id in self._state.vms_done:
                job.outcome = ItemOutcome(job.name, status="done", guest_prep=self._earlier_guest_prep(vm_id))
                self._set_state(job, "done", "already migrated (journal)")
                # a crash between the VM's success and the snapshot's removal left the snapshot behind
                leftover = [c for c in changes_from_journal(self._state.source_changes) if c.vm_id == vm_id]
                self._release(job, leftover, keep_shutdown=True)
                continue
            self._set_state(job, "queued")
            job.attempt += 1
            job.future = self._pool.submit(self._work, job, job.attempt)

    def wait(self, timeout: float | None = None) -> list[ItemOutcome]:
        """Block until every queued job (including retries) has finished, or ``timeout`` seconds; returns the
        outcomes in plan order. The run stays open for retries until :meth:`close`."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                pending = [j.future for j in self.jobs.values() if j.future is not None and not j.future.done()]
            if not pending:
                break
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                break
            futures_wait(pending, timeout=left)
        return self.outcomes()

    def close(self) -> None:
        """End the run: wait for the workers, close the journal. Idempotent; no control call works after it."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self.wait()
        self._pool.shutdown(wait=True)
        if self._journal is not None:
            self._journal.close()
            with contextlib.suppress(OSError):  # the streamed disks' digests folder, once no disk needs it
                self._sidecars().rmdir()

    def run(self) -> list[ItemOutcome]:
        """Start, wait for every VM, close; the outcomes in plan order."""
        self.start()
        try:
            return self.wait()
        finally:
            self.close()

    def __enter__(self) -> MigrationRun:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            self.cancel_all()
        self.close()

    def open_journal(self) -> None:
        """Read (on resume) and open the journal, so that a journal that cannot be used fails before any VM
        starts: a typed error naming it (a link, folder, pipe or device there; a disk that can only be read
        or is full; a journal of another plan; a line before the last that is not a record). A torn last
        record is cut off and said (a log event). Idempotent; :meth:`start` calls it."""
        if self._journal_opened:
            return
        path = self.options.journal_path
        if path is None:
            self._journal_opened = True
            return
        self._journal, self._state, fingerprint = open_plan_journal(
            path, self.plan, self._state, resume=self.options.resume)
        self._journal_opened = True
        for note in self._state.notes:  # said to people by start(), once a sink is there
            log.info("%s: %s", path, note)
            self._notes.append(f"Journal {path}: {note}.")
        if not self._state.plan_sha256:
            self._journal.append("run_start", plan_sha256=fingerprint, vms=len(self.plan.items))
            if self._journal.os_error is not None:  # nothing has run yet: better not to start than to run blind
                raise io_error(self._journal.os_error, "Writing the journal", path,
                               fix="Free space there, or choose another place for the journal; no VM was started.")
        self._journal.on_failure = self._journal_failed

    def _journal_failed(self, error: HvmError) -> None:
        log.info("%s", error.one_line())  # the event below is what people see
        self._log("", f"The journal can no longer be written: {error.one_line()}", "warning")

    # -- internals ----------------------------------------------------------------------------------
    def _set_state(self, job: _Job, state: str, message: str = "") -> None:
        job.state = state
        if self.sink is None:
            return
        self.sink(ProgressEvent("state", message=state, vm=job.name, level="error" if state == "failed" else "info"))
        if message:
            self.sink(ProgressEvent("log", message=message, vm=job.name,
                                    level="error" if state == "failed" else "info"))

    def _limit(self, key: str) -> threading.BoundedSemaphore:
        with self._lock:
            sem = self._source_limits.get(key)
            if sem is None:
                sem = self._source_limits[key] = threading.BoundedSemaphore(max(1, self.options.per_source))
            return sem

    def _work(self, job: _Job, attempt: int) -> None:
        with self._lock:
            if attempt != job.attempt:
                return  # a retry queued this VM again; that submission runs it
            if job.skip_requested or self.cancel.cancelled:
                if job.state == "queued":
                    self._set_state(job, "cancelled")
                return
            job.token = self.cancel.child()
            self._set_state(job, "running")
        vm_id = job.item.vm.id or job.name
        try:
            outcome = self._migrate(job, vm_id)
        except Exception as exc:  # noqa: BLE001 - a bug must end this VM as failed, not leave it "running"
            log.debug("migrating %s failed unexpectedly", job.name, exc_info=True)
            outcome = ItemOutcome(job.name, status="failed", error=HvmError(
                f"VM {job.name!r}: the migration stopped on an unexpected error ({type(exc).__name__}).",
                details=f"{type(exc).__name__}: {exc}", fix="Run it again; if it repeats, report it with the "
                                                             "log of a run with -vv."))
        with self._lock:
            job.outcome = outcome
            if outcome.status == "done":
                if self._journal is not None:
                    self._journal.append("vm_done", vm=vm_id)
                self._set_state(job, "done")
            elif outcome.status == "cancelled":
                self._set_state(job, "skipped" if job.skip_requested else "cancelled")
            else:
                if self._journal is not None:
                    self._journal.append("vm_failed", vm=vm_id,
                                         error=outcome.error.one_line() if outcome.error else outcome.status)
                self._set_state(job, "failed", outcome.error.one_line() if outcome.error else "")

    def _migrate(self, job: _Job, vm_id: str) -> ItemOutcome:
        """One VM's work: recognised as committed by an interrupted run, or prepared and migrated."""
        with self._limit(_source_key(job.item)):
            outcome = self._committed(job, vm_id)
            if outcome is not None:
                return outcome  # an interrupted run committed it; the journal missed only its vm_done
            try:
                item, changes = self._prepare(job)
            except Cancelled:
                return ItemOutcome(job.name, status="cancelled")
            except HvmError as exc:
                return ItemOutcome(job.name, status="failed", error=exc)
            outcome = migrate_item(
                self.source, _Announcing(self.target, lambda disks: self._announce(vm_id, disks)), item,
                self.sink, job.token,
                verify=self.options.verify, fixups=self.options.fixups, converter=self.converter,
                completed_disk=lambda disk: self._completed_disk(vm_id, item, disk, job.token),
                on_disk_done=lambda dest, result: self._record_disk(vm_id, dest, result),
                checkpoints=lambda disk: self._checkpoints(vm_id, disk),
                guest_prep_done=lambda report: self._record("guest_prep", vm=vm_id, report=report.to_json()),
                earlier_guest_prep=lambda: self._earlier_guest_prep(vm_id),
            )
            self._release(job, changes, keep_shutdown=outcome.status == "done")
            return outcome

    # -- source preparation (wizard.migrate.prepare) ---------------------------------------------------
    def _record(self, event: str, **fields: object) -> None:
        if self._journal is not None:
            self._journal.append(event, **fields)

    def _prepare(self, job: _Job) -> tuple[PlanItem, list[SourceChange]]:
        vm_id = job.item.vm.id or job.name
        earlier = [c for c in changes_from_journal(self._state.source_changes) if c.vm_id == vm_id]
        return prepare_item(self.source, self.target, job.item, job.token or CancelToken(), earlier,
                            self._record, lambda msg, level: self._log(job.name, msg, level))

    def _release(self, job: _Job, changes: list[SourceChange], *, keep_shutdown: bool) -> None:
        release_changes(self.source, changes, migrated=keep_shutdown, record=self._record,
                        log=lambda msg, level: self._log(job.name, msg, level))

    def _log(self, vm: str, message: str, level: str = "info") -> None:
        if self.sink is not None:
            self.sink(ProgressEvent("log", message=message, vm=vm, level=level))

    def _earlier_guest_prep(self, vm_id: str) -> PrepReport | None:
        """What an interrupted run's offline guest preparation of ``vm_id`` did, as its journal says."""
        data = self._state.guest_preps.get(vm_id)
        return PrepReport.from_json(data) if data else None

    def _completed_disk(self, vm_id: str, item: PlanItem, disk: DiskSpec,
                        cancel: CancelToken) -> DiskResult | None:
        """The journalled result of ``disk`` if what was stored is still whole (re-hashed), else None (redo).

        A local output counts only when the journal's path is the very file the target writes this disk to
        (see the module docstring) and it is a regular file with the recorded SHA-256. Raises
        :class:`Cancelled` when ``cancel`` fires during the hash."""
        rec = self._journalled_disk(vm_id, disk)
        if rec is None:
            return None
        result, path, sha256 = rec
        if path:
            expected = self.target.disk_destination(item, disk).path
            if os.path.abspath(path) != os.path.abspath(expected):
                log.warning("the journal names %r for disk %s of %s, not where this target keeps it (%s); "
                            "converting it again", path, disk.source_index, item.target.name, expected)
                return None
            if not sha256:
                return None  # nothing to prove the file whole by
            self._log(item.target.name, f"checking disk {result.file_name}, converted before the interruption "
                                        "(SHA-256)")
            try:
                intact = sha256_file(Path(expected), cancel=cancel) == sha256
            except (OSError, HvmError):  # gone, or not a regular file any more
                intact = False
        else:  # stored on the target (e.g. the Hyper-V host's share): the target checks it there
            intact = self.target.stored_intact(item, result, cancel)
        if not intact:
            log.warning("%s changed or went missing since the interrupted run; converting it again",
                        path or result.location)
            return None
        self._log(item.target.name, f"disk {result.file_name} already converted (journal)")
        return result

    def _journalled_disk(self, vm_id: str, disk: DiskSpec) -> tuple[DiskResult, str, str] | None:
        """The journal's finished ``disk`` of ``vm_id`` as (result, local path, SHA-256), None when there is
        none or its result is not one this version reads (the disk is then converted again)."""
        rec = self._state.disk_done(vm_id, disk.source_index)
        if rec is None or not rec.result:
            return None
        try:
            result = from_jsonable(DiskResult, {**rec.result, "spec": to_jsonable(disk)})
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("the journal's record of disk %s of %s is not readable (%s); converting it again",
                        disk.source_index, vm_id, exc)
            return None
        return result, rec.path, rec.sha256

    # -- commits (bundle folder renames) a kill may have cut off from their vm_done ------------------------
    def _announce(self, vm_id: str, disks: list[DiskResult]) -> None:
        """Journal that the target is about to commit ``vm_id`` with ``disks`` (before, never after)."""
        self._record("vm_commit", vm=vm_id,
                     disks=[{"disk": d.spec.source_index, "sha256": d.sha256} for d in disks])

    def _committed(self, job: _Job, vm_id: str) -> ItemOutcome | None:
        """On resume, the outcome of a VM whose commit the journal announced and the target proves done
        (:meth:`Target.committed`), with its disks as journalled; None to run the VM (again)."""
        hashes = self._state.commits.pop(vm_id, None) if self.options.resume else None
        if hashes is None:
            return None
        token = job.token or CancelToken()
        try:
            created = self.target.committed(job.item, hashes, token)
        except Cancelled:
            return ItemOutcome(job.name, status="cancelled")
        except (HvmError, OSError) as exc:
            log.warning("could not tell whether %s was committed before the interruption: %s", job.name, exc)
            return None
        if created is None:
            return None
        disks = []
        for disk in (d for d in job.item.target.disks if d.include):
            rec = self._journalled_disk(vm_id, disk)
            if rec is not None:
                disks.append(rec[0])
        self._log(job.name, "found complete as the interrupted run left it (journal and "
                            f"{created.where or self.target.describe()}); not migrated again")
        leftover = [c for c in changes_from_journal(self._state.source_changes) if c.vm_id == vm_id]
        self._release(job, leftover, keep_shutdown=True)
        return ItemOutcome(job.name, status="done", disks=disks, created=created,
                           guest_prep=self._earlier_guest_prep(vm_id))

    def _checkpoints(self, vm_id: str, disk: DiskSpec) -> Checkpoints | None:
        """Checkpoints journalled as ``disk_progress``; on resume they start where the last one was."""
        if self._journal is None:
            return None
        journal, index = self._journal, disk.source_index
        # a disk streamed to the host keeps its piece digests here (a local output keeps them beside itself)
        sidecar = self._sidecars() / f"{plan_key(vm_id)}-{index}.digests"
        offset, source = self._state.progress.get((vm_id, index), (0, ""))
        return Checkpoints(lambda at, source_id: journal.append("disk_progress", vm=vm_id, disk=index, offset=at,
                                                                source=source_id),
                           resume_offset=offset, resume_source=source, sidecar=sidecar)

    def _sidecars(self) -> Path:
        path = Path(self.options.journal_path)
        return path.with_name(f"{path.name}.d")

    def _record_disk(self, vm_id: str, dest: DiskDestination, result: DiskResult) -> None:
        """Journal a finished disk: a local output with its path, a remote one (on the host's share, its
        staging file deleted) without one; on resume the target re-hashes it where it is stored."""
        if self._journal is None:
            return
        # absolute: a resume started from another folder must find the same file (and only that one)
        local = os.path.abspath(dest.path) if dest.path.exists() else ""
        data = to_jsonable(result)
        data.pop("spec", None)
        self._journal.append("disk_done", vm=vm_id, disk=result.spec.source_index, path=local,
                             size=dest.path.stat().st_size if local else -1, sha256=result.sha256, result=data)


class _Announcing:
    """The run's target as :func:`migrate_item` sees it: ``create_vm`` first journals the commit it is about
    to make (``announce(disks)``; see :meth:`MigrationRun._committed`); everything else is the target's."""

    def __init__(self, target: Target, announce: Callable[[list[DiskResult]], None]) -> None:
        self._target = target
        self._announce = announce

    def __getattr__(self, name: str):  # noqa: ANN204 - the target's own attributes
        return getattr(self._target, name)

    def create_vm(self, item: PlanItem, disks: list[DiskResult], progress: ProgressSink | None = None,
                  cancel: CancelToken | None = None) -> CreateResult:
        self._announce(disks)
        return self._target.create_vm(item, disks, progress, cancel)

"""Use cases of the ``sync`` source policy, for both front ends: synchronise running vSphere VMs, sync again on
demand, cut over, and show each VM's state.

The engine is :mod:`wizard.migrate.sync` (one VM) and :mod:`wizard.migrate.sync_run` (the scheduler); this
module opens what they need from what a front end has — a plan, an open source, a :class:`TargetSpec` — and
nothing here imports Qt.

Contract:

- :func:`split_plan` separates a plan's ``sync`` VMs from the others; the others migrate as before
  (:mod:`wizard.app.migration`), the ``sync`` ones through :func:`prepare_sync`.
- :func:`prepare_sync` re-checks the plan, opens the target and the source's change tracking, and returns a
  :class:`SyncMigration`; nothing runs until :meth:`SyncMigration.start`. The disks are kept where the target
  puts them (:func:`place_for`: the bundle's folder, or in place on the Hyper-V host's share). Its journal is
  :func:`sync_journal` (beside the bundle for a bundle; in the user's state folder for a Hyper-V host;
  ``<journal>.sync`` when the settings name a journal). ``existing``: ``resume`` goes on from the journal (the
  last recorded change ids; a cut-over in progress is finished), ``restart`` throws it away, ``refuse`` raises
  :class:`~wizard.app.migration.InterruptedWork` when it holds synchronised disks.
- :class:`SyncMigration`: :meth:`~SyncMigration.start` (events to a :data:`ProgressSink`, on worker threads:
  see :mod:`wizard.migrate.sync_run` for the event vocabulary), :meth:`~SyncMigration.sync_now`,
  :meth:`~SyncMigration.cut_over` (one VM by name, or all), :meth:`~SyncMigration.status` (a
  :class:`VmStatus` per VM; ``VmStatus.line()`` is ``synchronised · last sync 14:02 · 1.2 GiB changed · next
  in 10 min``, or ``done · downtime 42 s (until the Hyper-V VM started)``), :meth:`~SyncMigration.wait`
  (until every VM is done, failed or
  cancelled), :meth:`~SyncMigration.cancel` (stop; the synchronised disks and the journal stay for a resume),
  :meth:`~SyncMigration.close`, :meth:`~SyncMigration.outcomes` / :meth:`~SyncMigration.write_report` (the
  migration report). Control calls may come from any thread. The VM states are
  :data:`wizard.migrate.sync_run.SYNC_STATES`; a cut-over that fails before the VM exists leaves the VM
  ``synchronised`` with ``VmStatus.error`` set (the source was powered back on if the cut-over shut it down);
  a delta sync that fails sets ``VmStatus.sync_error`` (cleared by the next good sync, tried at the next
  interval) and the VM stays synchronised up to its last good round.
- Run records: :func:`prepare_sync` writes one, as :func:`wizard.app.migration.prepare_migration` does (a
  secret-free JSON file in ``<state dir>/runs/``: the sync plan, the target, the journal, and the
  :class:`SyncSettings` under ``"sync"``), so that after a crash or a kill
  :func:`wizard.app.migration.interrupted_runs` offers the sync again (the wizard at start);
  :func:`sync_settings_for` tells such a run from a migration. :meth:`SyncMigration.close` removes it once every
  VM is done or failed (a cancelled or still synchronising VM keeps it).
- Another process (``hvmigrate cutover`` while ``hvmigrate migrate`` keeps syncing):
  :func:`sync_running` tells whether a run of that journal is alive; :func:`request_cutover` asks it to cut
  over; :func:`cutover_outcome` reads from the journal how each asked-for VM ended.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import hashlib
import logging
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from wizard.app.migration import (
    REFUSE,
    RESUME,
    RUN_SCHEMA,
    InterruptedRun,
    InterruptedWork,
    ReportError,
    RunSettings,
    runs_dir,
)
from wizard.app.planning import check_plan
from wizard.app.targets import BUNDLE, Credentials, TargetSpec, open_target
from wizard.core.errors import HvmError, InputError
from wizard.core.findings import Finding
from wizard.core.ioerrors import describe, io_error
from wizard.core.paths import state_dir
from wizard.core.plan import Plan, PlanItem
from wizard.core.progress import CancelToken, ProgressSink
from wizard.core.serial import read_json, write_json_atomic
from wizard.migrate.item import ItemOutcome
from wizard.migrate.journal import Journal
from wizard.migrate.run import plan_fingerprint
from wizard.migrate.sync import UNTIL_BUNDLE, UNTIL_CREATED, UNTIL_STARTED, DiskPlace, LocalPlace, downtime_text
from wizard.migrate.sync_run import SyncOptions, SyncRun, VmStatus, journal_has_sync, request, running
from wizard.migrate.sync_share import SharePlace
from wizard.report.migration import write_migration_report
from wizard.sources.base import Source
from wizard.sources.vsphere_cbt import tracker_for
from wizard.targets.base import Target
from wizard.targets.hyperv.target import HyperVTarget

__all__ = ["UNTIL_BUNDLE", "UNTIL_CREATED", "UNTIL_STARTED",
           "CutoverState", "SyncMigration", "SyncRunning", "SyncSettings", "VmStatus", "cutover_outcome",
           "downtime_text",
           "prepare_sync", "request_cutover", "split_plan", "sync_journal", "sync_running", "sync_settings_for"]

log = logging.getLogger(__name__)
SYNC = "sync"


class SyncRunning(InputError):
    """Another process runs the sync of this plan into this target (its lock is held): a second one would
    fight it over the same disks. Front ends say how to reach the running one (the CLI: ``hvmigrate cutover``)."""

    code = "HVM-SYNC-RUNNING"


@dataclass(frozen=True)
class SyncSettings:
    """How ``sync`` VMs run: ``interval_minutes`` between delta syncs (``--sync-interval``), ``verify_full``
    re-reads the whole source and target at cut-over (``--verify=full``), ``shutdown_minutes`` the guest may
    take to shut down, ``parallel`` syncs at once, ``journal`` the run's ``--journal`` (see :func:`sync_journal`)."""

    interval_minutes: float = 10.0
    verify_full: bool = False
    shutdown_minutes: float = 10.0
    parallel: int = 2
    journal: str = ""
    cutover_once: bool = False  # end each VM after one cut-over attempt (a cut-over with no sync running)

    def __post_init__(self) -> None:
        if self.interval_minutes <= 0:
            raise InputError("the sync interval (the time between syncs) must be more than 0 minutes")
        if self.parallel < 1:
            raise InputError("the number of syncs at once must be at least 1")


def is_sync(item: PlanItem) -> bool:
    return item.source_policy == SYNC


def split_plan(plan: Plan) -> tuple[Plan, Plan]:
    """``(the other VMs, the sync VMs)`` of ``plan``, each a plan of its own (same source and settings)."""
    return (dataclasses.replace(plan, items=[i for i in plan.items if not is_sync(i)]),
            dataclasses.replace(plan, items=[i for i in plan.items if is_sync(i)]))


def sync_journal(spec: TargetSpec, plan: Plan, journal: str = "") -> Path:
    """The journal of ``plan``'s sync VMs into ``spec``: ``<journal>.sync`` when the run was given a journal
    (``--journal``: the plan's other VMs journal there), else in the bundle folder or the user's state folder."""
    if journal:
        return Path(journal + ".sync")
    name = f".hvmigrate-sync-{plan_fingerprint(plan)[:16]}.jsonl"
    if spec.kind == BUNDLE:
        return Path(spec.folder) / name
    return state_dir() / "journals" / name.lstrip(".")


@dataclass
class SyncMigration:
    """A prepared sync of a plan's ``sync`` VMs; see the module docstring."""

    run: SyncRun
    plan: Plan
    blocked: list[tuple[PlanItem, Finding]]
    target: Target
    journal: Path
    started: float = dataclasses.field(default_factory=time.monotonic)
    record: Path | None = None  # the run record (see the module docstring); None: none was written

    def start(self, sink: ProgressSink | None = None) -> None:
        """Start every VM: the initial sync (or, resuming, a delta from the recorded change ids), then a delta
        every interval until :meth:`cut_over`. Returns at once."""
        self.run.sink = sink
        self.run.start()

    def sync_now(self, vm: str | None = None) -> None:
        """A delta sync of ``vm`` (target name, source name or id; None: all) now."""
        self.run.sync_now(vm)

    def cut_over(self, vm: str | None = None) -> None:
        """Shut ``vm`` (None: all) down through VMware Tools, synchronise the last changes, verify, create the
        VM and start it (a Hyper-V host; a bundle is completed, and a person imports and starts it); the source
        stays off. A cut-over that fails before the VM exists powers the source back on."""
        self.run.cut_over(vm)

    def status(self) -> list[VmStatus]:
        """Each VM's state, in plan order (copies: safe to keep)."""
        return self.run.status()

    @property
    def busy(self) -> bool:
        """True until every VM is done, failed or cancelled."""
        return self.run.busy

    def wait(self, timeout: float | None = None) -> list[VmStatus]:
        return self.run.wait(timeout)

    def cancel(self) -> None:
        """Stop every VM: the synchronised disks and the journal stay for a resume. A cut-over in flight stops;
        when it had shut the source down and no VM was created yet, the source is powered back on."""
        self.run.cancel_all()

    def close(self) -> None:
        """Stop and close; the run record goes once every VM is done or failed (nothing left to resume)."""
        try:
            self.run.close()
        finally:
            self.target.close()
            if self.record is not None and all(s.state in ("done", "failed") for s in self.status()):
                with contextlib.suppress(OSError):
                    self.record.unlink()

    def outcomes(self) -> list[ItemOutcome]:
        """Each VM as a migration outcome (what the migration report shows): ``done`` once cut over; a VM
        still synchronising (or stopped) is ``cancelled`` — not migrated — with its state in words."""
        out = []
        for st in self.status():
            status = st.state if st.state in ("done", "failed") else "cancelled"
            error = st.error if st.state == "failed" else None
            outcome = ItemOutcome(st.name, status=status, error=error, disks=list(st.disks), created=st.created)
            out.append(outcome)
        return out

    def write_report(self, path: str | os.PathLike[str] | None = None, *, source_text: str = "") -> Path:
        """Write the HTML migration report of the sync VMs (default beside the journal); its path. Raises
        :class:`ReportError` naming the path when it cannot be written."""
        where = Path(path) if path else self.journal.with_name(f"sync-report-{plan_fingerprint(self.plan)[:8]}.html")
        try:
            return write_migration_report(where, self.plan, self.outcomes(), blocked=[], source=source_text,
                                          target=self.target.describe(), seconds=time.monotonic() - self.started)
        except OSError as exc:
            raise io_error(exc, "Writing the migration report", where, kind=ReportError,
                           fix=describe(exc)[1] + " The migration itself is not affected.", name_where=True) from None


def prepare_sync(plan: Plan, source: Source, spec: TargetSpec, settings: SyncSettings | None = None, *,
                 existing: str = REFUSE, credentials: Credentials | None = None,
                 cancel: CancelToken | None = None, place: DiskPlace | None = None) -> SyncMigration:
    """See the module docstring. Only the plan's ``sync`` VMs are taken (:func:`split_plan`)."""
    settings = settings or SyncSettings()
    _others, plan = split_plan(plan)
    check = check_plan(plan)
    runnable = dataclasses.replace(plan, items=check.runnable)
    journal = sync_journal(spec, plan, settings.journal)
    if running(journal):
        raise SyncRunning("another hvmigrate is synchronising this plan into this target", path=journal,
                          fix="Let that run go on and cut over from it, or stop it first.")
    if existing == REFUSE and journal_has_sync(journal, runnable):
        raise InterruptedWork("an interrupted sync of this plan left synchronised disks in its journal", path=journal,
                              fix="Resume the interrupted sync (it goes on from the last sync), or start it over.")
    tracker = tracker_for(source)
    target = open_target(spec, plan.source, credentials)
    try:
        options = SyncOptions(interval=settings.interval_minutes * 60, verify_full=settings.verify_full,
                              shutdown_timeout=settings.shutdown_minutes * 60, journal_path=journal,
                              resume=existing == RESUME, parallel=settings.parallel,
                              cutover_once=settings.cutover_once)
        run = SyncRun(runnable, tracker, target, options, cancel=cancel, place=place or place_for(target))
        record = _record_path(runnable, spec) if runnable.items else None
        if record is not None:
            try:
                _write_record(record, runnable, spec, journal, settings)
            except OSError as exc:  # costs only the offer to resume after a crash: say so, go on
                log.warning("%s", io_error(exc, "Recording the sync for a later resume", record).one_line())
        return SyncMigration(run, runnable, check.blocked, target, journal, record=record)
    except BaseException:
        with contextlib.suppress(Exception):
            target.close()
        raise


def _record_path(plan: Plan, spec: TargetSpec) -> Path:
    where = hashlib.sha256(repr((spec.kind, spec.folder, spec.host, spec.share)).encode()).hexdigest()[:8]
    return runs_dir() / f"{plan_fingerprint(plan)[:16]}-{where}-sync.json"


def _write_record(path: Path, plan: Plan, spec: TargetSpec, journal: Path, settings: SyncSettings) -> None:
    """The run record: what :func:`wizard.app.migration.interrupted_runs` reads (no secret: the target's
    :class:`TargetSpec` holds none), with the sync's settings under ``"sync"``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomic(path, {
        "schema": RUN_SCHEMA, "mode": SYNC, "plan": plan.to_json(), "target": asdict(spec),
        "journal": str(journal.resolve()), "settings": asdict(RunSettings(parallel=settings.parallel)),
        "sync": asdict(settings), "vms": [i.target.name for i in plan.items],
        "started_at": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()})


def sync_settings_for(run: InterruptedRun) -> SyncSettings | None:
    """The :class:`SyncSettings` when ``run`` (from :func:`wizard.app.migration.interrupted_runs`) is an
    interrupted sync — resume it with :func:`prepare_sync` (``existing=resume``) — else None (a migration, or a
    record that cannot be read any more)."""
    try:
        doc = read_json(run.record)
    except (HvmError, OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("mode") != SYNC or not isinstance(doc.get("sync"), dict):
        return None
    fields = {k: v for k, v in doc["sync"].items() if k in SyncSettings.__dataclass_fields__}
    try:
        return SyncSettings(**fields)
    except (InputError, TypeError):
        return SyncSettings()


def place_for(target: Target) -> DiskPlace:
    """Where ``target`` keeps synchronised disks: on the Hyper-V host's share, else in its local files."""
    if isinstance(target, HyperVTarget):
        return SharePlace(target)
    return LocalPlace(target)


def sync_running(journal: Path) -> bool:
    """True while a sync of this journal runs (in this or another process)."""
    return running(journal)


def request_cutover(journal: Path, vm_ids: list[str] | None = None) -> None:
    """Ask the running sync of ``journal`` to cut over these VMs (source ids; None: all); it does so within a
    second or two of its current round ending."""
    for vm_id in vm_ids or [None]:
        request(journal, "cutover", vm_id)


@dataclass
class CutoverState:
    """How one VM's cut-over stands in a journal: ``status`` is ``done``, ``failed`` (the VM is stopped),
    ``aborted`` (the source was given back and the VM keeps syncing), a step while it runs (``begin``,
    ``source_off``, ``synced``, ``created``), or ``""`` (not begun); ``error`` says why; ``downtime`` in seconds
    once done, ``until`` what ended it (see :func:`downtime_text`)."""

    status: str = ""
    error: str = ""
    downtime: float | None = None
    until: str = ""


def cutover_outcome(journal: Path, vm_ids: list[str], since: float = 0.0) -> dict[str, CutoverState]:
    """Each VM's :class:`CutoverState` by source id, from the journal's records written at or after ``since``
    (a ``time.time()``; a VM already done counts whenever it was done)."""
    state = Journal.replay(journal, vms=set(vm_ids))
    out = {}
    for vm_id in vm_ids:
        step = state.cutovers.get(vm_id, {})
        fresh = float(step.get("time", 0) or 0) >= since
        downtime = step.get("downtime_ms")
        millis = downtime if isinstance(downtime, int) else None
        if vm_id in state.vms_done:
            out[vm_id] = CutoverState("done", downtime=None if millis is None else millis / 1000,
                                      until=str(step.get("until", "")))
        elif vm_id in state.vms_failed and fresh:
            out[vm_id] = CutoverState("failed", state.vms_failed[vm_id])
        elif fresh and step.get("step") == "aborted":
            out[vm_id] = CutoverState("aborted", str(step.get("error", "")))
        else:
            out[vm_id] = CutoverState(str(step.get("step", "")) if fresh else "")
    return out

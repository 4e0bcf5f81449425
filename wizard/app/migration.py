"""Use cases for running a plan: start a migration, resume an interrupted one, report it.

Both front ends start migrations here, and both get the same engine: the plan re-check
(:func:`wizard.app.planning.check_plan`), the scheduler (:class:`wizard.migrate.run.MigrationRun`) with its
journal, per-source limits, guest fix-ups and the migration report.

Interrupted runs are found again through *run records*: a small secret-free JSON file per run in
``<state dir>/runs/`` naming the plan, the target (:class:`TargetSpec`, no password), the journal and the
run settings. It is written before the first VM starts and removed when the run ends with nothing left to
resume (every VM done, failed or skipped); after a crash, a kill or a cancelled run it stays, and
`interrupted_runs` offers it again — to the wizard at start, exactly as ``hvmigrate migrate --resume``
continues from the same journal.

Where things are written (journal, run record, report) can fail — a full disk, a disk that can only be read, a
folder where a file belongs: each failure is a typed error naming the path with a fix, never an OSError. A
journal that cannot be opened stops the migration before any VM starts; a run record that cannot be written
costs only the wizard's offer to resume (a warning); a report that cannot be written is an error of its own
(:class:`ReportError`) raised after the run was closed, so the migration's outcome stands.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import logging
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from wizard.app.planning import check_plan
from wizard.app.targets import Credentials, TargetSpec, open_target
from wizard.core.errors import HvmError, InputError, PlanError, SchemaError, TargetError, UnsafeFileError
from wizard.core.findings import COMMAND_LINE_WORDS, Assessment, Finding, FindingWords
from wizard.core.i18n import user_text
from wizard.core.ioerrors import describe, io_error
from wizard.core.paths import state_dir
from wizard.core.plan import Plan, PlanItem
from wizard.core.progress import CancelToken, ProgressSink
from wizard.core.serial import read_json, write_json_atomic
from wizard.migrate.item import Converter, ItemOutcome
from wizard.migrate.journal import Journal, JournalState
from wizard.migrate.run import FINAL, MigrationRun, RunOptions, plan_fingerprint
from wizard.report.migration import write_migration_report
from wizard.sources.base import Source
from wizard.targets.base import Target

log = logging.getLogger(__name__)

RUN_SCHEMA = "hvmigrate.run/1"
RESUME, RESTART, REFUSE = "resume", "restart", "refuse"


@dataclass(frozen=True)
class RunSettings:
    """How a plan runs: ``hvmigrate migrate``'s ``--parallel``, ``--per-source``, ``--verify``, ``--fixups``,
    ``--journal`` and ``--report`` (None = the default place, see :func:`default_journal`)."""

    parallel: int = 2
    per_source: int = 2
    verify: bool = True
    fixups: bool = False
    journal: str = ""
    report: str = ""

    def __post_init__(self) -> None:
        if self.parallel < 1 or self.per_source < 1:
            raise InputError("VMs at once and VMs per source must be at least 1", field="--parallel")


class InterruptedWork(InputError):
    """An earlier run of this plan into this target left finished disks behind; starting over would lose them."""

    code = "HVM-INTERRUPTED"


class ReportError(TargetError):
    """The migration report could not be written. The migration itself is not affected: its VMs are done,
    failed or cancelled as they were; only the report is missing."""

    code = "HVM-REPORT"


def default_journal(spec: TargetSpec, fingerprint: str) -> Path:
    """A journal per plan and target: in the bundle folder for a bundle, else in the user's state folder."""
    name = f".hvmigrate-journal-{fingerprint[:16]}.jsonl"
    if spec.kind == "bundle":
        return Path(spec.folder) / name
    return state_dir() / "journals" / name.lstrip(".")


def _unfinished_work(state: JournalState) -> bool:
    """True when the journal holds converted disks of VMs that did not finish."""
    return any(vm not in state.vms_done and state.disk_done(vm, disk) is not None for vm, disk in state.disks)


def runs_dir() -> Path:
    return state_dir() / "runs"


def _record_path(fingerprint: str, spec: TargetSpec) -> Path:
    where = hashlib.sha256(repr((spec.kind, spec.folder, spec.host, spec.share)).encode()).hexdigest()[:8]
    return runs_dir() / f"{fingerprint[:16]}-{where}.json"


@dataclass
class Migration:
    """A started migration: its scheduler (``run``: per-VM cancel, skip, retry; events to the sink) and what
    reporting and resuming need. End it with :meth:`finish` (the report) or :meth:`close`."""

    run: MigrationRun
    plan: Plan  # the items that run (blocked ones left out)
    blocked: list[tuple[PlanItem, Finding]]
    source: Source
    target: Target
    spec: TargetSpec
    journal: Path
    record: Path
    started: float = field(default_factory=time.monotonic)
    seconds: float | None = None
    _closed: bool = False

    def start(self, sink: ProgressSink | None = None) -> None:
        """Start the scheduler (returns at once); ``sink`` gets its events on worker threads."""
        if sink is not None:
            self.run.sink = sink
        self.started = time.monotonic()
        if self.plan.items:
            self.run.start()

    @property
    def blocked_outcomes(self) -> list[ItemOutcome]:
        return [ItemOutcome(item.target.name, status="failed", error=_finding_error(why))
                for item, why in self.blocked]

    def outcomes(self) -> list[ItemOutcome]:
        """Every VM of the plan: those that ran, then those the re-check left out (as failed)."""
        return self.run.outcomes() + self.blocked_outcomes

    def resumable(self) -> bool:
        """True when something is left that a resume would do (a VM cancelled, or never started)."""
        return any(self.run.state_of(n) not in FINAL or self.run.state_of(n) == "cancelled" for n in self.run.jobs)

    def close(self) -> None:
        """Wait for the workers, close the journal and the target; keep the run record only when a resume
        would still do something. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            self.run.close()
        finally:
            if self.seconds is None:
                self.seconds = time.monotonic() - self.started
            with contextlib.suppress(Exception):  # closing connections must not hide the run's outcome
                self.target.close()
            if not self.resumable():
                with contextlib.suppress(OSError):
                    self.record.unlink()

    def finish(self, report: str | os.PathLike[str] | None = None, *, left_out: list[Assessment] | None = None,
               source_text: str = "") -> Path:
        """Close the run and write its HTML report (default: beside the journal); the report's path. Raises
        :class:`ReportError` when the report cannot be written — after the run was closed, so the outcomes
        (:meth:`outcomes`) stand."""
        self.close()
        return self.write_report(report, left_out=left_out, source_text=source_text)

    def report_path(self, report: str | os.PathLike[str] | None = None) -> Path:
        """Where :meth:`write_report` writes: ``report``, else beside the journal."""
        return Path(report) if report else self.journal.with_name(
            f"migration-report-{plan_fingerprint(self.plan)[:8]}.html")

    def write_report(self, report: str | os.PathLike[str] | None = None, *,
                     left_out: list[Assessment] | None = None, source_text: str = "",
                     words: FindingWords = COMMAND_LINE_WORDS) -> Path:
        """Write the HTML report of the run so far (default: beside the journal) and keep the run open: a VM
        can still be retried (the wizard's Done page; a later call writes the report again). The report's path.
        Raises :class:`ReportError` (naming the path, with a fix) when it cannot be written."""
        path = self.report_path(report)
        seconds = self.seconds if self.seconds is not None else time.monotonic() - self.started
        try:
            return write_migration_report(path, self.plan, self.outcomes(), blocked=left_out or [],
                                          source=source_text or self.source.describe(),
                                          target=self.target.describe(), seconds=seconds,
                                          warnings=self.security_warnings(), words=words)
        except OSError as exc:
            fix = describe(exc)[1] + " The migration itself is not affected: write the report again."
            raise io_error(exc, "Writing the migration report", path, kind=ReportError, fix=fix,
                           name_where=True) from None

    def security_warnings(self) -> list[str]:
        """What the report must say about how the run was secured: a certificate that was not checked."""
        out = []
        if self.plan.source.insecure:
            out.append(user_text("The source's TLS certificate was not verified: the plan was made with certificate "
                                 "checks turned off, and this run kept that choice. Whoever could intercept the "
                                 "connection could have read or changed the disks that were copied."))
        if self.spec.insecure:
            out.append(user_text("The Hyper-V host's TLS certificate was not verified (certificate checks were turned "
                                 "off). Whoever could intercept the connection could have read or changed what was "
                                 "sent to the host."))
        return out



def _finding_error(finding: Finding) -> HvmError:
    return PlanError(f"{finding.title}: {finding.message}", fix=finding.fix)


def prepare_migration(plan: Plan, source: Source, spec: TargetSpec, settings: RunSettings | None = None, *,
                      existing: str = REFUSE, credentials: Credentials | None = None, background: bool = False,
                      converter: Converter | None = None, cancel: CancelToken | None = None) -> Migration:
    """Re-check ``plan``, open the target, record the run; :meth:`Migration.start` then runs the VMs that
    passed the re-check.

    ``existing`` says what to do with the journal of an earlier run of this plan into this target:
    ``resume`` it (finished VMs and disks are kept, a half-converted disk goes on from its checkpoint),
    ``restart`` (throw it away), or ``refuse`` — raise :class:`InterruptedWork` when it holds finished work.
    ``background`` lowers the workers' priority (an interactive front end); ``converter`` replaces the disk
    converter (tests).
    """
    settings = settings or RunSettings()
    check = check_plan(plan)
    fingerprint = plan_fingerprint(plan)
    journal = Path(settings.journal) if settings.journal else default_journal(spec, fingerprint)
    if existing == REFUSE and _unfinished_work(_earlier_state(journal, plan)):
        raise InterruptedWork("an interrupted run of this plan left finished disks in its journal", path=journal,
                              fix="Continue it with --resume (finished VMs and disks are kept), "
                                  "or start over with --restart.")
    runnable = Plan(source=plan.source, target_version=plan.target_version, created_at=plan.created_at,
                    created_by=plan.created_by, network_map=plan.network_map, items=check.runnable)
    target = open_target(spec, plan.source, credentials)
    record = _record_path(fingerprint, spec)
    try:
        options = RunOptions(parallel=settings.parallel, per_source=settings.per_source, verify=settings.verify,
                             fixups=settings.fixups, resume=existing == RESUME, journal_path=journal,
                             background=background)
        run = MigrationRun(runnable, source, target, options, cancel=cancel, converter=converter)
        if runnable.items:
            run.open_journal()  # a journal that cannot be used stops us here, before anything is recorded
            try:
                _write_record(record, plan, runnable, spec, journal, settings)
            except OSError as exc:  # costs only the offer to resume after a crash: say so, go on
                log.warning("%s", io_error(exc, "Recording the run for a later resume", record).one_line())
        return Migration(run, runnable, check.blocked, source, target, spec, journal, record)
    except BaseException:
        with contextlib.suppress(Exception):
            target.close()
        raise


def _earlier_state(journal: Path, plan: Plan) -> JournalState:
    """What an earlier run of ``plan`` journalled at ``journal``; nothing when what is there is no journal of
    ours (a link or a folder: a fresh run removes the link, or refuses the place, with its own typed error)."""
    try:
        return Journal.replay(journal, vms={i.vm.id or i.target.name for i in plan.items})
    except UnsafeFileError:
        return JournalState()


def _write_record(path: Path, plan: Plan, runnable: Plan, spec: TargetSpec, journal: Path,
                  settings: RunSettings) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomic(path, {
        "schema": RUN_SCHEMA, "plan": plan.to_json(), "target": asdict(spec), "journal": str(journal.resolve()),
        "settings": asdict(settings), "vms": [i.target.name for i in runnable.items],
        "started_at": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()})


@dataclass
class InterruptedRun:
    """A run that did not end: what the wizard offers to resume."""

    record: Path
    plan: Plan
    spec: TargetSpec
    settings: RunSettings
    journal: Path
    started_at: str
    done: int  # VMs finished according to the journal
    total: int

    def forget(self) -> None:
        """Do not offer this run again (its journal stays; a new run of the plan starts over)."""
        with contextlib.suppress(OSError):
            self.record.unlink()


def interrupted_runs() -> list[InterruptedRun]:
    """Runs whose record is still there and whose journal says some VM is not finished, newest first.
    Records of runs that did finish, or whose journal is gone, are removed; unreadable ones are skipped."""
    found = []
    folder = runs_dir()
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            run = _read_record(path)
        except (HvmError, OSError, ValueError, TypeError, KeyError) as exc:
            log.warning("skipping the run record %s: %s", path, exc)
            continue
        if run is None or run.done >= run.total:
            with contextlib.suppress(OSError):
                path.unlink()
            continue
        found.append(run)
    return sorted(found, key=lambda r: r.started_at, reverse=True)


def _read_record(path: Path) -> InterruptedRun | None:
    doc = read_json(path)
    if not isinstance(doc, dict) or doc.get("schema") != RUN_SCHEMA:
        raise SchemaError(f"{path} is not a run record of this version of hvmigrate")
    journal = Path(str(doc["journal"]))
    if not journal.is_file():
        return None
    plan = Plan.from_json(doc["plan"], str(path))
    spec = TargetSpec(**{k: v for k, v in dict(doc["target"]).items() if k in TargetSpec.__dataclass_fields__})
    settings = RunSettings(**{k: v for k, v in dict(doc["settings"]).items() if k in RunSettings.__dataclass_fields__})
    runnable = set(doc.get("vms") or [i.target.name for i in plan.items])
    items = [i for i in plan.items if i.target.name in runnable]
    state = Journal.replay(journal, vms={i.vm.id or i.target.name for i in items})
    done = sum((item.vm.id or item.target.name) in state.vms_done for item in items)
    return InterruptedRun(path, plan, spec, settings, journal, str(doc.get("started_at", "")), done, len(items))

"""``hvmigrate migrate`` for VMs planned with ``--source-policy sync``: initial sync, then a delta sync every
``--sync-interval`` minutes until the cut-over is asked for — by ``hvmigrate cutover PLAN --target ...`` from
another shell (the running migrate picks it up within seconds), by ``--cutover-after MINUTES``, or, for one
run at a time, by nothing: Ctrl+C stops syncing and keeps everything for ``--resume``.

Output: one line per sync and per state change (``synchronised · last sync 14:02 · 12.0 MiB changed · next in
10 min``), or with ``--json-events`` one JSON object per event (a ``"stage": "sync"`` event per sync round;
the last object is the summary with each VM's downtime).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from wizard.app.migration import RESTART, RESUME, InterruptedWork, ReportError
from wizard.app.sources import open_source
from wizard.app.sync import SyncRunning, SyncSettings, downtime_text, prepare_sync
from wizard.app.targets import TargetSpec
from wizard.commands._exit import EXIT_CANCELLED, EXIT_ERROR, EXIT_OK, EXIT_PARTIAL
from wizard.commands._targetargs import target_credentials
from wizard.commands._term import JsonEvents, pad, printable, state_word, terminal_prompt
from wizard.core.errors import InputError
from wizard.core.i18n import error_line, translate
from wizard.core.plan import Plan
from wizard.core.progress import ProgressEvent

_SHOWN = ("cutting-over", "done", "failed", "cancelled")  # the other states have lines of their own


class _SyncLines:
    """Plain lines for people: state changes, sync rounds, warnings (no byte-by-byte progress)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __call__(self, event: ProgressEvent) -> None:
        text = ""
        if event.stage == "state" and event.message in _SHOWN:
            text = f"{event.vm}: {state_word(event.message)}"
        elif event.stage == "sync":
            text = f"{event.vm}: {translate(event.message)}"
        elif event.stage == "log":
            text = f"{event.vm + ': ' if event.vm else ''}{translate(event.message)}"
        if text:
            with self._lock:
                print(printable(text), file=sys.stderr, flush=True)


def run_sync(args: argparse.Namespace, plan: Plan, spec: TargetSpec, events: JsonEvents | None,
             say: Callable[[str], None], report_path: str | None = None) -> int:
    """Synchronise ``plan`` (its VMs all ``sync``) into ``spec`` until each is cut over, then write the
    migration report (``report_path``, default beside the journal); the exit code."""
    # the settings' own errors name things in words (the wizard shows them too); here they name the flags
    if args.sync_interval <= 0:
        raise InputError("the time between syncs must be more than 0 minutes", field="--sync-interval")
    if args.parallel < 1:
        raise InputError("syncs at once must be at least 1", field="--parallel")
    settings = SyncSettings(interval_minutes=args.sync_interval, verify_full=args.verify == "full",
                            shutdown_minutes=args.shutdown_timeout, parallel=args.parallel,
                            journal=args.journal or "")
    existing = RESUME if args.resume else RESTART if args.restart else "refuse"
    credentials = target_credentials(args)
    cancelled = False
    with open_source(plan.source, password_env=args.source_password_env or "", prompt=terminal_prompt) as source:
        try:
            sync = prepare_sync(plan, source, spec, settings, existing=existing, credentials=credentials)
        except InterruptedWork as exc:
            exc.fix = "Continue it with --resume (it goes on from the last sync), or start over with --restart."
            raise
        except SyncRunning as exc:
            exc.fix = (f"Let it run and cut over with: hvmigrate cutover {args.plan} --target {args.target} "
                       "(or stop it first).")
            raise
        try:
            for item, why in sync.blocked:
                say(f"  blocked {item.target.name}: {why.title} — {why.message}")
            say(f"Synchronising {len(sync.plan.items)} VM(s) from {source.describe()} to {sync.target.describe()}, "
                f"a delta sync every {args.sync_interval:g} min (journal: {sync.journal}).")
            say(f"To cut over, run from another shell: hvmigrate cutover {args.plan} --target {args.target} "
                "[--vm NAME]. Ctrl+C stops syncing (resume later with --resume).")
            sync.start(events or _SyncLines())
            timer = None
            if args.cutover_after is not None:
                timer = threading.Timer(max(0.0, args.cutover_after) * 60, sync.cut_over)
                timer.daemon = True
                timer.start()
            try:
                while sync.busy:
                    sync.wait(1.0)
            except KeyboardInterrupt:
                cancelled = True
                say("Stopping: the synchronised disks and the journal are kept; run again with --resume.")
                sync.cancel()
                sync.wait()
            finally:
                if timer is not None:
                    timer.cancel()
            status = sync.status()
        finally:
            sync.close()
        try:
            report: Path | None = sync.write_report(report_path, source_text=source.describe())
            report_error = None
        except ReportError as exc:  # only the report is missing: the VMs' outcomes stand
            report, report_error = None, exc
    done = sum(s.state == "done" for s in status)
    summary = {"done": done, "total": len(status), "journal": str(sync.journal),
               "report": str(report) if report else "",
               **({"report_error": report_error.to_dict()} if report_error else {}), "vms": [
        {"name": s.name, "status": s.state, "rounds": s.rounds, "downtime": s.downtime, "downtime_until": s.until,
         "where": s.created.where if s.created else "", "findings": s.findings,
         "error": s.error.to_dict() if s.error else None} for s in status]}
    if events is not None:
        print(json.dumps({"event": "summary", **summary}), flush=True)
    elif args.json:
        print(json.dumps(summary, indent=2))
    for s in status:
        if s.state == "done":
            say(f"  {pad(state_word('done'), 8)}{s.name}: {translate(downtime_text(s.downtime, s.until))}"
                if s.downtime is not None
                else f"  {pad(state_word('done'), 8)}{s.name}")
        else:
            say(f"  {pad(state_word(s.state), 8)}{s.name}" + (f": {error_line(s.error)}" if s.error else ""))
    say(f"Report: {report}" if report else f"The report was not written: {report_error.one_line()}")
    if cancelled:
        return EXIT_CANCELLED
    if done == len(status):
        return EXIT_OK
    return EXIT_PARTIAL if done else EXIT_ERROR


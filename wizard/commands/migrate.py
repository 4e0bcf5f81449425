"""``hvmigrate migrate PLAN.json --target ...``: carry out a saved plan with the concurrent pipeline.

The plan is re-checked first (``wizard.compat.engine.validate_plan``): a VM whose planned settings are
blocked is left out and counted as failed. The rest run through :class:`wizard.migrate.run.MigrationRun`
(``--parallel`` VMs at once) with a journal, so ``--resume`` after a crash or Ctrl+C continues without
redoing finished VMs and disks. Output: one progress line per VM plus a total on a terminal, plain lines
otherwise, or one JSON object per event with ``--json-events`` (stdout; the last one is the summary).
A migration report (HTML) is written at the end.

Exit codes: 0 every VM done, 1 some done, 2 none (or the plan/source/target could not be opened),
130 cancelled.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.commands._exit import EXIT_CANCELLED, EXIT_ERROR, EXIT_OK, EXIT_PARTIAL
from wizard.commands._targetargs import add_connection_args, target_credentials
from wizard.commands._term import pad, printable, state_word
from wizard.core.i18n import error_line, translate

if TYPE_CHECKING:
    from wizard.app.migration import RunSettings
    from wizard.app.targets import TargetSpec
    from wizard.commands._term import JsonEvents
    from wizard.core.plan import Plan


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help="migrate the VMs of a plan file to Hyper-V or an import bundle")
    p.add_argument("plan", help="plan file (JSON) written by `hvmigrate plan` or the wizard")
    p.add_argument("--target", required=True, metavar="TARGET",
                   help="bundle:FOLDER (offline import bundle) or hyperv://[USER@]HOST[:PORT] (WinRM, HTTPS 5986)")
    add_connection_args(p, "SMB share on the host for the disks, e.g. \\\\HOST\\VMs")
    p.add_argument("--source-password-env", metavar="VAR", help="environment variable holding the source password")
    p.add_argument("--vm", action="append", metavar="NAME", help="only this VM (repeatable)")
    p.add_argument("--parallel", type=int, default=2, metavar="N", help="VMs migrated at once (default 2)")
    p.add_argument("--per-source", type=int, default=2, metavar="N",
                   help="VMs at once per source datastore/host (default 2)")
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted run of this plan: finished VMs and disks are not redone")
    p.add_argument("--restart", action="store_true", help="discard the journal of an earlier run and start over")
    p.add_argument("--journal", metavar="FILE",
                   help="journal file (default: inside the bundle folder, or the user's state folder; VMs planned "
                        "with --source-policy sync journal to FILE.sync)")
    p.add_argument("--report", metavar="FILE", help="migration report to write (HTML; default beside the journal)")
    p.add_argument("--replace", action="store_true", help="replace a bundle folder this plan wrote before")
    p.add_argument("--no-space-check", dest="check_space", action="store_false",
                   help="go on although the free-space estimate says the disks may not fit (the estimate of a "
                        "dynamic disk is an upper bound; a disk that runs full fails the VM)")
    p.add_argument("--fixups", action="store_true", help="run guest fix-ups after creating each VM")
    p.add_argument("--verify", action=argparse.BooleanOptionalAction, default=True,
                   help="verify each converted disk against its source (default on)")
    p.add_argument("--verify=full", dest="verify", action="store_const", const="full",
                   help="sync VMs: at the cut-over also re-read the whole source and the whole target (by default "
                        "only what each sync changed is read back and checked)")
    p.add_argument("--sync-interval", type=float, default=10.0, metavar="MINUTES",
                   help="VMs planned with --source-policy sync: minutes between delta syncs (default 10); the run "
                        "keeps syncing until `hvmigrate cutover PLAN --target ...` (from another shell) or "
                        "--cutover-after")
    p.add_argument("--cutover-after", type=float, metavar="MINUTES",
                   help="sync VMs: cut over by themselves this many minutes after the start (after the initial sync "
                        "at the earliest)")
    p.add_argument("--shutdown-timeout", type=float, default=10.0, metavar="MINUTES",
                   help="sync VMs: minutes a guest may take to shut down at the cut-over (default 10; it is never "
                        "powered off hard)")
    p.add_argument("--json-events", action="store_true",
                   help="print one JSON object per progress event on stdout (the last one is the summary)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wizard.app.migration import RunSettings
    from wizard.app.sync import split_plan
    from wizard.app.targets import TargetSpec
    from wizard.commands._term import JsonEvents
    from wizard.core.plan import Plan

    events = JsonEvents(sys.stdout) if args.json_events else None

    def say(text: str) -> None:
        if events is None:
            print(printable(translate(text)), file=sys.stderr, flush=True)

    settings = RunSettings(parallel=args.parallel, per_source=args.per_source, verify=bool(args.verify),
                           fixups=args.fixups, journal=args.journal or "", report=args.report or "")
    full = Plan.load(args.plan)
    chosen = [i for i in full.items if not args.vm or i.target.name in args.vm or i.vm.name in args.vm]
    if not chosen:
        print(translate("hvmigrate: the plan holds no VM to migrate with those names") if args.vm
              else translate("hvmigrate: the plan holds no VM to migrate"), file=sys.stderr)
        return EXIT_ERROR
    plan = dataclasses.replace(full, items=chosen)
    spec = TargetSpec.parse(args.target, share=args.share or "", thumbprint=args.thumbprint, insecure=args.insecure,
                            transport=args.transport, replace=args.replace, check_space=args.check_space)
    others, syncs = split_plan(plan)
    if not syncs.items:
        return _migrate(args, plan, spec, settings, events, say)
    from wizard.commands._sync import run_sync  # VMs planned with --source-policy sync: synchronised until cut over

    if not others.items:
        return run_sync(args, syncs, spec, events, say, args.report)
    # the others first: they end by themselves, while a sync runs until it is told to cut over
    say(f"First the {len(others.items)} VM(s) planned with another source policy, then the "
        f"{len(syncs.items)} planned with sync.")
    first = _migrate(args, others, spec, settings, events, say)
    if first == EXIT_CANCELLED:
        return first
    second = run_sync(args, syncs, spec, events, say, None)
    return first if first == second else EXIT_PARTIAL if EXIT_CANCELLED not in (first, second) else EXIT_CANCELLED


def _migrate(args: argparse.Namespace, plan: Plan, spec: TargetSpec, settings: RunSettings,
             events: JsonEvents | None, say: Callable[[str], None]) -> int:
    """Migrate ``plan`` (none of its VMs synchronised) into ``spec``: the run, its report and summary; the exit
    code."""
    from wizard.app.migration import RESTART, RESUME, ReportError, default_journal, plan_fingerprint, prepare_migration
    from wizard.app.sources import open_source
    from wizard.commands._runview import RunView
    from wizard.commands._term import terminal_prompt

    journal = Path(args.journal) if args.journal else default_journal(spec, plan_fingerprint(plan))
    if args.resume and not os.path.lexists(journal):  # a link there is refused below, not "no journal"
        say(f"No journal at {journal}: nothing to resume, starting from the beginning.")
    existing = RESUME if args.resume else RESTART if args.restart else "refuse"
    credentials = target_credentials(args)
    cancelled = False
    with open_source(plan.source, password_env=args.source_password_env or "", prompt=terminal_prompt) as source:
        migration = prepare_migration(plan, source, spec, settings, existing=existing, credentials=credentials)
        for item, why in migration.blocked:
            say(f"  blocked {item.target.name}: {why.title} — {why.message}" + (f" Fix: {why.fix}" if why.fix else ""))
        say(f"Migrating {len(migration.plan.items)} VM(s) from {source.describe()} to {migration.target.describe()}, "
            f"{args.parallel} at a time (journal: {migration.journal})")
        view = RunView([i.target.name for i in migration.plan.items], stream=sys.stderr) if events is None else None
        try:
            # Ctrl+C or SIGTERM may land while start() is still queueing VMs (the first may already be at work)
            migration.start(events or view)
            migration.run.wait()
        except KeyboardInterrupt:
            cancelled = True
            say("Cancelling: stopping every VM and removing what was half made…")
            migration.run.cancel_all()
            migration.run.wait()
        except BaseException:
            migration.run.cancel_all()  # no worker may outlive the command (the interpreter would wait for it)
            migration.close()
            raise
        if view is not None:
            view.close()
        try:
            report: Path | None = migration.finish(args.report or None, source_text=_source_text(plan))
            report_error = None
        except ReportError as exc:  # only the report is missing: the VMs' outcomes and the exit code stand
            report, report_error = None, exc
    outcomes = migration.outcomes()
    blocked = {item.target.name for item, _why in migration.blocked}
    seconds = migration.seconds or 0.0
    done = sum(o.ok for o in outcomes)
    summary = {"done": done, "total": len(outcomes), "seconds": round(seconds, 3),
               "report": str(report) if report else "",
               **({"report_error": report_error.to_dict()} if report_error else {}),
               "journal": str(migration.journal), "vms": [
                   {"name": o.name, "status": o.status, "error": o.error.to_dict() if o.error else None,
                    "blocked": o.name in blocked, "where": o.created.where if o.created else "",
                    "disks": [{"file": d.file_name, "sha256": d.sha256, "size_bytes": d.size_bytes} for d in o.disks],
                    "guest_prep": ({"status": o.guest_prep.status, "reason": o.guest_prep.reason}
                                   if o.guest_prep is not None else None)}
                   for o in outcomes]}
    if events is not None:
        # ASCII escapes (json's default): no raw control or bidi character of a VM name reaches a terminal
        print(json.dumps({"event": "summary", **summary}), flush=True)
    elif args.json:
        print(json.dumps(summary, indent=2))
    for o in outcomes:
        if o.ok:
            where = o.created.where if o.created and o.created.where else ""
            say(f"  {pad(state_word('done'), 8)}{o.name}" + (f" → {where}" if where else ""))
        else:
            why = error_line(o.error) if o.error else state_word(o.status)
            say(f"  {pad(state_word(o.status), 8)}{o.name}: {why}")
    say(f"{done} of {len(outcomes)} VM(s) migrated in {seconds:.1f} s. "
        + (f"Report: {report}" if report else f"The report was not written: {report_error.one_line()}"))
    if cancelled:
        say("Run again with --resume to continue.")
        return EXIT_CANCELLED
    if done == len(outcomes):
        return EXIT_OK
    return EXIT_PARTIAL if done else EXIT_ERROR


def _source_text(plan) -> str:  # noqa: ANN001 - a Plan
    ref = plan.source
    if ref.kind == "demo":
        return "demo"
    if ref.kind == "vsphere":
        who = f"{ref.user}@" if ref.user else ""
        return f"vsphere://{who}{ref.address}"
    return ref.address

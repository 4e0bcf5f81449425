"""``hvmigrate migrate PLAN.json --target ...``: carry out a saved plan with the concurrent pipeline.

The plan is re-checked first (``wizard.compat.engine.validate_plan``): a VM whose planned settings are
blocked is left out and counted as failed. The rest run through :class:`wizard.migrate.pipeline.MigrationRun`
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
import sys
import time
from pathlib import Path

from wizard.cli import EXIT_CANCELLED, EXIT_ERROR, EXIT_OK, EXIT_PARTIAL
from wizard.commands._term import printable


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help="migrate the VMs of a plan file to Hyper-V or an import bundle")
    p.add_argument("plan", help="plan file (JSON) written by `hvmigrate plan` or the wizard")
    p.add_argument("--target", required=True, metavar="TARGET",
                   help="bundle:FOLDER (offline import bundle) or hyperv://[USER@]HOST[:PORT] (WinRM, HTTPS 5986)")
    p.add_argument("--share", metavar="UNC", help="SMB share on the host for the disks, e.g. \\\\HOST\\VMs")
    p.add_argument("--password-env", metavar="VAR", help="environment variable holding the Hyper-V password")
    p.add_argument("--thumbprint", metavar="HEX", default="", help="pin the host's certificate (SHA-256)")
    p.add_argument("--insecure", action="store_true", help="do not verify the host certificate (labs only)")
    p.add_argument("--transport", choices=["ntlm", "kerberos", "credssp"], default="ntlm",
                   help="WinRM authentication (default ntlm)")
    p.add_argument("--source-password-env", metavar="VAR", help="environment variable holding the source password")
    p.add_argument("--vm", action="append", metavar="NAME", help="only this VM (repeatable)")
    p.add_argument("--parallel", type=int, default=2, metavar="N", help="VMs migrated at once (default 2)")
    p.add_argument("--per-source", type=int, default=2, metavar="N",
                   help="VMs at once per source datastore/host (default 2)")
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted run of this plan: finished VMs and disks are not redone")
    p.add_argument("--restart", action="store_true", help="discard the journal of an earlier run and start over")
    p.add_argument("--journal", metavar="FILE",
                   help="journal file (default: inside the bundle folder, or the user's state folder)")
    p.add_argument("--report", metavar="FILE", help="migration report to write (HTML; default beside the journal)")
    p.add_argument("--replace", action="store_true", help="replace a bundle folder this plan wrote before")
    p.add_argument("--fixups", action="store_true", help="run guest fix-ups after creating each VM")
    p.add_argument("--verify", action=argparse.BooleanOptionalAction, default=True,
                   help="verify each converted disk against its source (default on)")
    p.add_argument("--json-events", action="store_true",
                   help="print one JSON object per progress event on stdout (the last one is the summary)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=run)


def _source_text(plan) -> str:
    ref = plan.source
    if ref.kind == "demo":
        return "demo"
    if ref.kind == "vsphere":
        who = f"{ref.user}@" if ref.user else ""
        return f"vsphere://{who}{ref.address}"
    return ref.address


def default_journal(target_spec: str, fingerprint: str) -> Path:
    """A journal per plan (and per target): in the bundle folder for a bundle, else in :func:`state_dir`."""
    name = f".hvmigrate-journal-{fingerprint[:16]}.jsonl"
    if target_spec.strip().lower().startswith("bundle:"):
        return Path(target_spec.strip()[len("bundle:"):]) / name
    from wizard.core.paths import state_dir

    return state_dir() / "journals" / name.lstrip(".")


def _blocked_items(plan, say) -> tuple[list, list[str]]:
    """Split the plan's items into those still valid and the names of the blocked ones (printed)."""
    from wizard.compat.engine import validate_plan
    from wizard.core.errors import PlanError
    from wizard.core.findings import Finding, Severity

    blockers = [f for f in validate_plan(plan) if f.severity is Severity.BLOCKER]
    if any(not (f.vm_id or f.vm_name) for f in blockers):
        first = next(f for f in blockers if not (f.vm_id or f.vm_name))
        raise PlanError(f"The plan cannot be carried out: {first.message}", fix=first.fix)
    first: dict[str, Finding] = {}
    for f in blockers:
        first.setdefault(f.vm_id or f.vm_name, f)
    keep, dropped = [], []
    for item in plan.items:
        why = first.get(item.vm.id) if item.vm.id else None
        why = why or first.get(item.vm.name)
        if why is None:
            keep.append(item)
            continue
        dropped.append(item.target.name)
        say(f"  blocked {item.target.name}: {why.title} — {why.message}" + (f" Fix: {why.fix}" if why.fix else ""))
    return keep, dropped


def _unfinished_work(state) -> bool:
    """True when the journal holds converted disks of VMs that did not finish: starting over would lose them."""
    return any(vm not in state.vms_done and state.disk_done(vm, disk) is not None for vm, disk in state.disks)


def run(args: argparse.Namespace) -> int:
    from wizard.commands._runview import RunView
    from wizard.commands._term import JsonEvents
    from wizard.core.errors import InputError
    from wizard.core.plan import Plan
    from wizard.migrate.journal import Journal
    from wizard.migrate.pipeline import MigrationRun, RunOptions, plan_fingerprint
    from wizard.report.migration import write_migration_report
    from wizard.sources.registry import open_source
    from wizard.targets.factory import HostOptions, open_target
    from wizard.targets.runner import ItemOutcome

    if args.parallel < 1 or args.per_source < 1:
        raise InputError("--parallel and --per-source must be at least 1", field="--parallel")
    events = JsonEvents(sys.stdout) if args.json_events else None

    def say(text: str) -> None:
        if events is None:
            print(printable(text), file=sys.stderr, flush=True)

    full = Plan.load(args.plan)
    chosen = [i for i in full.items if not args.vm or i.target.name in args.vm or i.vm.name in args.vm]
    if not chosen:
        print("hvmigrate: the plan holds no VM to migrate" + (" with those names" if args.vm else ""), file=sys.stderr)
        return EXIT_ERROR
    plan = dataclasses.replace(full, items=chosen)
    items, blocked = _blocked_items(plan, say)
    fingerprint = plan_fingerprint(plan)
    journal = Path(args.journal) if args.journal else default_journal(args.target, fingerprint)
    if not args.resume and not args.restart and _unfinished_work(Journal.replay(journal)):
        raise InputError("an interrupted run of this plan left finished disks in its journal", path=journal,
                         fix="Continue it with --resume (finished VMs and disks are kept), "
                             "or start over with --restart.")
    if args.resume and not journal.exists():
        say(f"No journal at {journal}: nothing to resume, starting from the beginning.")
    runnable = dataclasses.replace(plan, items=items)
    options = HostOptions(share=args.share or "", password_env=args.password_env or "",
                          thumbprint=args.thumbprint, insecure=args.insecure, transport=args.transport,
                          replace=args.replace)
    outcomes: list[ItemOutcome] = []
    started = time.monotonic()
    cancelled = False
    with open_source(_source_text(plan), password_env=args.source_password_env, thumbprint=plan.source.thumbprint,
                     insecure=plan.source.insecure) as source, \
            open_target(args.target, plan.source, options) as target:
        say(f"Migrating {len(items)} VM(s) from {source.describe()} to {target.describe()}, "
            f"{args.parallel} at a time (journal: {journal})")
        view = RunView([i.target.name for i in items], stream=sys.stderr) if events is None else None
        if items:
            journal.parent.mkdir(parents=True, exist_ok=True)
            migration = MigrationRun(runnable, source, target,
                                     RunOptions(parallel=args.parallel, per_source=args.per_source,
                                                verify=args.verify, fixups=args.fixups, resume=args.resume,
                                                journal_path=journal),
                                     sink=events or view)
            try:
                migration.start()
                outcomes = migration.wait()
            except KeyboardInterrupt:
                cancelled = True
                say("Cancelling: stopping every VM and removing what was half made…")
                migration.cancel_all()
                outcomes = migration.wait()
        if view is not None:
            view.close()
        where = target.describe()
    outcomes += [ItemOutcome(name, status="failed") for name in blocked]
    seconds = time.monotonic() - started
    report = Path(args.report) if args.report else journal.with_name(f"migration-report-{fingerprint[:8]}.html")
    report = write_migration_report(report, runnable, outcomes, source=_source_text(plan), target=where,
                                    seconds=seconds)
    done = sum(o.ok for o in outcomes)
    summary = {"done": done, "total": len(outcomes), "seconds": round(seconds, 3), "report": str(report),
               "journal": str(journal), "vms": [
                   {"name": o.name, "status": o.status, "error": o.error.to_dict() if o.error else None,
                    "blocked": o.name in blocked, "where": o.created.where if o.created else "",
                    "disks": [{"file": d.file_name, "sha256": d.sha256, "size_bytes": d.size_bytes} for d in o.disks]}
                   for o in outcomes]}
    if events is not None:
        print(json.dumps({"event": "summary", **summary}, ensure_ascii=False), flush=True)
    elif args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    for o in outcomes:
        if o.ok:
            say(f"  done    {o.name}" + (f" → {o.created.where}" if o.created and o.created.where else ""))
        else:
            why = o.error.one_line() if o.error else ("blocked by the plan check" if o.name in blocked else o.status)
            say(f"  {o.status:<7} {o.name}: {why}")
    say(f"{done} of {len(outcomes)} VM(s) migrated in {seconds:.1f} s. Report: {report}")
    if cancelled:
        say("Run again with --resume to continue.")
        return EXIT_CANCELLED
    if done == len(outcomes):
        return EXIT_OK
    return EXIT_PARTIAL if done else EXIT_ERROR

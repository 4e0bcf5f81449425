"""``hvmigrate demo``: the whole flow, headless, on the built-in demo VMs (what ``make demo`` runs).

Discovers the demo source, assesses it, plans every VM that is not blocked with the default templates,
migrates them into an offline import bundle with the concurrent pipeline, writes the HTML reports, and
prints a summary: VMs migrated, blocked (and why), bytes, time, and where the bundle and reports are.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from wizard.commands._exit import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL
from wizard.commands._term import state_word
from wizard.core.i18n import error_line, translate

MARKER = ".hvmigrate-demo"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="migrate the built-in demo VMs into an import bundle, headless")
    p.add_argument("--output", default="demo-output", metavar="DIR", help="where to write (default ./demo-output)")
    p.add_argument("--parallel", type=int, default=2, metavar="N", help="VMs at once (default 2)")
    p.set_defaults(func=run)


def _prepare(out: Path) -> None:
    """Start from an empty folder; only a folder an earlier demo made may be emptied."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            from wizard.core.errors import InputError

            raise InputError("the folder exists and was not made by `hvmigrate demo`", path=out,
                             fix="Choose another --output folder or remove this one.")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by hvmigrate demo; safe to delete\n", encoding="utf-8")


def run(args: argparse.Namespace) -> int:
    from wizard.app.migration import RunSettings, prepare_migration
    from wizard.app.planning import PlanRequest, build_plan
    from wizard.app.reports import write_assessment_report
    from wizard.app.sources import open_source
    from wizard.app.targets import TargetSpec
    from wizard.commands._runview import RunView
    from wizard.core.units import human_bytes

    out = Path(args.output).resolve()
    _prepare(out)
    started = time.monotonic()
    def say(text: str) -> None:
        print(translate(text), flush=True)

    with open_source("demo") as source:
        inventory = source.discover()
        say(f"1. Discovered {len(inventory.vms)} VMs in {source.describe()}.")
        built = build_plan(inventory, PlanRequest(), source.ref)
        plan, blocked = built.plan, built.left_out
        assessments = [r.assessment for r in built.results]
        write_assessment_report("html", out / "assessment.html", assessments, source=source.describe())
        write_assessment_report("csv", out / "assessment.csv", assessments)
        say(f"2. Assessed them: {len(assessments) - len(blocked)} can be migrated, {len(blocked)} blocked.")
        for a in blocked:
            reasons = "; ".join(translate(f.title) for f in a.findings if f.severity.value == "blocker")
            say(f"   blocked: {a.vm.name} — {reasons}")
        plan.save(out / "plan.json")
        say(f"3. Planned {len(plan.items)} VMs with the default templates → {out / 'plan.json'}")
        bundle = out / "bundle"
        migration = prepare_migration(plan, source, TargetSpec(kind="bundle", folder=str(bundle)),
                                      RunSettings(parallel=args.parallel, journal=str(out / "journal.jsonl")))
        view = RunView([i.target.name for i in migration.plan.items], stream=sys.stdout)
        say(f"4. Migrating into an offline import bundle, {args.parallel} VMs at a time:")
        try:
            migration.start(view)
            migration.run.wait()
        except BaseException:  # Ctrl+C: stop every VM and remove what was half made before leaving
            migration.run.cancel_all()
            migration.close()
            raise
        view.close()
        report = migration.finish(out / "report.html", left_out=blocked, source_text=source.describe())
    seconds = time.monotonic() - started
    outcomes = migration.outcomes()
    done = [o for o in outcomes if o.ok]
    written = sum(d.size_bytes for o in outcomes for d in o.disks)
    say("")
    say(f"Migrated {len(done)} of {len(plan.items)} planned VMs ({len(blocked)} blocked) in {seconds:.1f} s, "
        f"{human_bytes(written)} of VHDX written.")
    for o in outcomes:
        mark = "ok " if o.ok else "!! "
        why = f" — {error_line(o.error)}" if o.error else ""
        say(f"  {mark}{o.name}: {state_word(o.status)}{why}")
    say(f"Bundle: {bundle} (run Create-VM.ps1 in each VM folder on the Hyper-V host)")
    say(f"Report: {report}")
    say(f"Assessment: {out / 'assessment.html'} and {out / 'assessment.csv'}")
    if len(done) == len(outcomes):
        return EXIT_OK
    print(translate("hvmigrate: some demo VMs failed; see the report"), file=sys.stderr)
    return EXIT_PARTIAL if done else EXIT_ERROR

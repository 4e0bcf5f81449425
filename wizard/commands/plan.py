"""``hvmigrate plan SOURCE -o plan.json``: write a migration plan for the chosen VMs.

Without ``--vm`` every VM that is not blocked is planned; the command prints what it planned (with the
proposed Hyper-V VM) and what it left out and why. Naming a blocked or unknown VM with ``--vm`` is an error
(exit 2) listing the blockers. The plan file holds no secret. Exit code 0 when a plan was written, 2 when
nothing could be planned.

``hvmigrate plan --check PLAN.json`` re-checks a saved (possibly hand-edited) plan instead: it prints what
is invalid or still blocked and exits 0 when nothing blocks, 1 when something does.
"""

from __future__ import annotations

import argparse
import json
import sys

from wizard.commands._assess_common import (
    add_source_options,
    load_inventory,
    plan_request,
    plan_source_ref,
    tolerant_stdout,
    tty_safe,
)
from wizard.core.i18n import translate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plan", help="write a migration plan (the VMs and their Hyper-V settings)",
                       description="Plan the migration of VMs from SOURCE: templates, --set overrides and "
                                   "network mappings give each VM its Hyper-V settings.")
    add_source_options(p, optional_source=True)
    p.add_argument("--vm", action="append", default=[], metavar="NAME",
                   help="plan this VM (name or id; repeatable). Default: every VM that is not blocked")
    p.add_argument("--source-policy", choices=["auto", "as-is", "snapshot", "shutdown", "sync"], default="auto",
                   help="how running vSphere VMs are copied: snapshot (read a snapshot, removed afterwards), "
                        "shutdown (shut the guest down first; it stays off once migrated), sync (copy it while "
                        "it runs, keep the copy current with changed block tracking, shut it down only for "
                        "`hvmigrate cutover`: minutes of downtime) or as-is. Default auto: snapshot running "
                        "vSphere VMs, read all others as they are")
    p.add_argument("-o", "--output", metavar="FILE", help="plan file to write (JSON)")
    p.add_argument("--check", metavar="PLAN", help="re-check a saved plan file instead of planning")
    p.add_argument("--json", action="store_true", help="print a JSON summary instead of text")
    p.set_defaults(func=run)


def check(path: str, as_json: bool) -> int:
    from wizard.app.planning import validate_plan
    from wizard.core.plan import Plan

    findings = validate_plan(Plan.load(path))
    blockers = [f for f in findings if f.severity.value == "blocker"]
    if as_json:
        json.dump({"plan": path, "blocked": bool(blockers),
                   "findings": [{"vm": f.vm_name, "code": f.code, "severity": f.severity.value, "title": f.title,
                                 "message": f.message, "fix": f.fix} for f in findings]}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for f in findings:
            if f.severity.value != "info":
                severity = translate("BLOCKER" if f.severity.value == "blocker" else "WARNING")
                print(f"{severity:<7} {tty_safe(f.vm_name)}: {f.code} {tty_safe(translate(f.message))}")
        print(translate(f"{len(blockers)} blocker(s), {sum(f.severity.value == 'warning' for f in findings)} "
                        f"warning(s) in {tty_safe(path)}"))
    return 1 if blockers else 0


def run(args: argparse.Namespace) -> int:
    from wizard.app.planning import build_plan
    from wizard.commands._exit import EXIT_ERROR, EXIT_USAGE

    tolerant_stdout()
    if args.check:
        return check(args.check, args.json)
    if not args.source or not args.output:
        print("hvmigrate plan: error: SOURCE and -o FILE are required (or --check PLAN.json)", file=sys.stderr)
        return EXIT_USAGE
    inv = load_inventory(args)
    built = build_plan(inv, plan_request(args, args.vm, args.source_policy), plan_source_ref(args, inv))
    plan, left_out = built.plan, built.left_out
    if not plan.items:
        why = "; ".join(f"{tty_safe(a.vm.name)}: " + ", ".join(f.code for f in a.findings
                                                             if f.severity.value == "blocker")
                        for a in left_out[:3]) + (f"; +{len(left_out) - 3}" if len(left_out) > 3 else "")
        print(translate(f"hvmigrate: error: no VM can be planned: every VM is blocked ({why}) — see `hvmigrate "
                        "assess`"), file=sys.stderr)  # one line: the VMs and their blockers' codes
        return EXIT_ERROR
    plan.save(args.output)
    if args.json:
        doc = {"plan": args.output, "planned": [{"name": i.vm.name, "template": i.template,
                                                  "generation": i.target.generation, "applied": i.applied}
                                                 for i in plan.items],
               "left_out": [{"name": a.vm.name, "blockers": [f.code for f in a.findings
                                                             if f.severity.value == "blocker"]} for a in left_out]}
        json.dump(doc, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    for item in plan.items:
        t = item.target
        switches = ", ".join(sorted({n.switch or translate("(not connected)") for n in t.nics})) or translate(
            "no NICs")
        print(translate(f"planned  {tty_safe(t.name)}: Gen {t.generation}, {t.cpus} vCPU, {t.memory.startup_mb} "
                        f"MiB, {sum(d.include for d in t.disks)} disk(s), {tty_safe(switches)} — template "
                        f"{item.template}" + (f", source: {item.source_policy}" if item.source_policy != "as-is"
                                              else "")))
    for a in left_out:
        print(translate(f"left out {tty_safe(a.vm.name)}: ") + "; ".join(
            f"{f.code} {tty_safe(translate(f.title))}" + (f" ({tty_safe(f.subject)})" if f.subject else "")
            for f in a.findings if f.severity.value == "blocker"))
    print(translate(f"{len(plan.items)} VM(s) planned, {len(left_out)} left out -> {tty_safe(args.output)}"))
    return 0

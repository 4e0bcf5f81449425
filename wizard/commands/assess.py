"""``hvmigrate assess SOURCE``: the compatibility preview — per VM a traffic light, findings and the proposed
Hyper-V VM; optionally as JSON, an HTML report and a CSV file.

Exit codes: 0 when the assessment ran, even if some VMs are blocked (blockers are a result, not a failure;
scripts read ``--json`` or use ``--strict``); with ``--strict``, 1 when any VM is blocked; 2 when the source or
an option is unusable.

``--json`` prints ``{"schema": "hvmigrate.assessment/1", "target_version", "source", "summary": {...}, "vms":
[{"name", "id", "status", "blocked", "template", "findings": [{"code", "severity", "title", "message", "fix",
"reference", "subject", "adjusted"}], "plan": {"generation", "version", "cpus", "memory_mb", "dynamic_memory",
"secure_boot", "secure_boot_template", "tpm", "disks": [...], "nics": [...]}}]}``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from wizard.commands._assess_common import (
    add_source_options,
    load_inventory,
    tolerant_stdout,
    tty_safe,
)
from wizard.commands._term import pad
from wizard.core.i18n import ENGLISH, current_language, translate

ASSESSMENT_SCHEMA = "hvmigrate.assessment/1"
_LIGHTS = {"blocker": "\x1b[31m", "warning": "\x1b[33m", "ok": "\x1b[32m"}
_LIGHT_WORDS = {"blocker": "BLOCKED", "warning": "WARNING", "ok": "READY"}
_SEVERITY_WORDS = {"blocker": "BLOCKER", "warning": "WARNING", "info": "INFO"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("assess", help="check VMs for Hyper-V compatibility and preview the target VMs",
                       description="Assess every VM of SOURCE against Hyper-V: blockers, warnings, and the "
                                   "proposed Hyper-V VM. Exit code 0 when the assessment ran (see --strict).")
    add_source_options(p, optional_source=True)
    p.add_argument("--list-rules", action="store_true", help="list every rule (code, severity, title, source)")
    p.add_argument("--json", action="store_true", help="print the assessment as JSON")
    p.add_argument("--html", metavar="FILE", help="write a self-contained HTML report")
    p.add_argument("--csv", metavar="FILE", help="write one CSV row per finding (opens in Excel)")
    p.add_argument("--strict", action="store_true", help="exit with 1 when any VM is blocked")
    p.set_defaults(func=run)


def status_of(a) -> str:
    if a.blocked:
        return "blocker"
    return "warning" if a.status is not None and a.status.value == "warning" else "ok"


def plan_summary(spec) -> dict:
    return {
        "name": spec.name, "generation": spec.generation, "version": spec.version, "cpus": spec.cpus,
        "memory_mb": spec.memory.startup_mb, "dynamic_memory": spec.memory.dynamic,
        "secure_boot": spec.secure_boot, "secure_boot_template": spec.secure_boot_template, "tpm": spec.tpm,
        "checkpoint_type": spec.checkpoint_type,
        "disks": [{"source_index": d.source_index, "file_name": d.file_name, "include": d.include,
                   "controller": d.controller.value, "controller_number": d.controller_number,
                   "location": d.location, "type": d.type.value, "block_size_bytes": d.block_size_bytes,
                   "boot": d.boot} for d in spec.disks],
        "nics": [{"source_index": n.source_index, "name": n.name, "switch": n.switch, "vlan_id": n.vlan_id,
                  "static_mac": n.static_mac, "legacy": n.legacy} for n in spec.nics],
        "devices": [{"label": d.device_label, "kind": d.kind, "action": d.action.value} for d in spec.devices],
    }


def assessment_document(results, target_version: str, source: str) -> dict:
    vms = []
    for r in results:
        a = r.assessment
        vms.append({
            "name": a.vm.name, "id": a.vm.id, "status": status_of(a), "blocked": a.blocked,
            "template": r.template.name, "applied": list(r.applied),
            "findings": [{"code": f.code, "severity": f.severity.value, "title": f.title, "message": f.message,
                          "fix": f.fix, "reference": f.reference, "subject": f.subject, "adjusted": f.adjusted}
                         for f in a.findings],
            "plan": plan_summary(a.spec),
        })
    counts = {k: sum(v["status"] == k for v in vms) for k in ("ok", "warning", "blocker")}
    return {"schema": ASSESSMENT_SCHEMA, "target_version": target_version, "source": source,
            "summary": {"vms": len(vms), "ready": counts["ok"], "warnings": counts["warning"],
                        "blocked": counts["blocker"]}, "vms": vms}


def format_text(doc: dict, color: bool = False, lang: str = ENGLISH) -> str:
    """The assessment as text for a terminal, in ``lang``: finding titles, explanations and fixes translated,
    VM names, subjects and codes as they are (the ``--json`` document stays English, for scripts)."""
    def tr(text: str) -> str:
        return translate(text, lang)

    lines = []
    for vm in doc["vms"]:
        word, code = tr(_LIGHT_WORDS[vm["status"]]), _LIGHTS[vm["status"]]
        light = f"{code}● {pad(word, 7)}\x1b[0m" if color else f"[{word}]"
        p = vm["plan"]
        sb = (" SB " + ("UEFI-CA" if "UEFI" in p["secure_boot_template"] else "Windows")) if p["secure_boot"] else ""
        shape = tr(f"Gen {p['generation']}, {p['cpus']} vCPU, {p['memory_mb']} MiB")
        lines.append(f"{light} {tty_safe(vm['name'])}  -> {shape}{sb}{' TPM' if p['tpm'] else ''}")
        for f in vm["findings"]:
            subject = f" ({tty_safe(f['subject'])})" if f["subject"] else ""
            severity = tr(_SEVERITY_WORDS[f["severity"]])
            lines.append(f"    {pad(severity, 7)} {f['code']:<18} {tty_safe(tr(f['title']))}{subject}")
            if f["severity"] != "info":
                lines.append(f"            {tty_safe(tr(f['message']))}")
                if f["fix"]:
                    lines.append("            " + tr(f"fix: {tty_safe(tr(f['fix']))}"))
    s = doc["summary"]
    lines.append(tr(f"{s['vms']} VM(s): {s['ready']} ready, {s['warnings']} with warnings, {s['blocked']} blocked "
                    f"— target Hyper-V {doc['target_version']}"))
    return "\n".join(lines)


def list_rules(as_json: bool) -> str:
    from wizard.app.planning import rule_catalogue

    rules = rule_catalogue()
    if as_json:
        return json.dumps([{"code": r.code, "severity": r.severity.value, "title": r.title, "topic": r.topic,
                            "reference": r.reference} for r in rules], indent=2)
    return "\n".join(f"{r.code:<20} {r.severity.value:<8} {r.title}  "
                     + (" ".join(re.findall(r"\[[A-Z]+\]", r.reference)) or r.reference) for r in rules)


def run(args: argparse.Namespace) -> int:
    from wizard.app.planning import assess_request
    from wizard.app.reports import write_assessment_report
    from wizard.commands._assess_common import plan_request, plan_source_ref
    from wizard.commands._exit import EXIT_USAGE

    tolerant_stdout()
    if args.list_rules:
        print(list_rules(args.json))
        return 0
    if not args.source:
        print(translate("hvmigrate assess: error: SOURCE is required (or --list-rules)"), file=sys.stderr)
        return EXIT_USAGE

    inv = load_inventory(args)
    results = assess_request(inv, plan_request(args))
    source = plan_source_ref(args, inv)
    shown = source.kind if source.kind == "demo" else f"{source.kind}:{source.address}"
    doc = assessment_document(results, args.target_version, shown)
    assessments = [r.assessment for r in results]
    if args.html:
        write_assessment_report("html", args.html, assessments, source=shown, target_version=args.target_version)
    if args.csv:
        write_assessment_report("csv", args.csv, assessments)
    if args.json:
        json.dump(doc, sys.stdout, indent=2)  # ASCII escapes: safe on any console code page
        sys.stdout.write("\n")
    else:
        print(format_text(doc, color=sys.stdout.isatty(), lang=current_language()))
    return 1 if args.strict and doc["summary"]["blocked"] else 0

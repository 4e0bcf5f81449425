"""The migration report: what was migrated, where it went, what a person must check on each new VM.

One self-contained HTML file (same look as the assessment report, no scripts, print-friendly). Every
value that comes from a source or a target passes through :func:`html.escape`. ``warnings`` (how the run was
secured, e.g. a certificate that was not verified) are shown in a box above the VMs, so that whoever reads
the report learns of them, not only whoever watched the run's output.
"""

from __future__ import annotations

import datetime as _dt
import html
import os
from collections.abc import Sequence
from pathlib import Path

from wizard import __version__
from wizard.core.findings import Assessment
from wizard.core.plan import Plan
from wizard.core.serial import write_text_atomic
from wizard.core.units import human_bytes
from wizard.guests.report import FAILED, PREPARED, REFUSED, SKIPPED, UNCHANGED, PrepReport
from wizard.migrate.item import ItemOutcome
from wizard.report.html import CSS
from wizard.targets.guest_fixups import offline_report

_STATUS = {"done": ("ok", "Migrated"), "failed": ("block", "Failed"), "cancelled": ("warn", "Cancelled"),
           "skipped": ("warn", "Skipped")}


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def render_migration_html(plan: Plan, outcomes: Sequence[ItemOutcome], *, blocked: Sequence[Assessment] = (),
                          source: str = "", target: str = "", seconds: float | None = None,
                          generated_at: str = "", warnings: Sequence[str] = ()) -> str:
    """The report for one run of ``plan``; ``blocked`` lists the assessments of VMs left out of the plan."""
    when = generated_at or _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    items = {i.target.name: i for i in plan.items}
    done = sum(o.ok for o in outcomes)
    failed = sum(o.status == "failed" for o in outcomes)
    total_bytes = sum(d.size_bytes for o in outcomes for d in o.disks)
    took = f" · {seconds:.1f} s" if seconds is not None else ""
    parts = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Migration report</title><style>{CSS}</style></head><body>",
             f'<header><h1>Migration report</h1><div class="meta">Source: {_e(source or "—")} · Target: '
             f'{_e(target or "—")} · {_e(when)}{took} · hvmigrate {_e(__version__)}</div>',
             f'<div class="totals"><span><i class="light ok"></i>{done} migrated</span>'
             f'<span><i class="light block"></i>{failed} failed</span>'
             f'<span><i class="light warn"></i>{len(outcomes) - done - failed} cancelled or skipped</span>'
             f'<span><i class="light block"></i>{len(blocked)} blocked (not migrated)</span>'
             f"<span>{_e(human_bytes(total_bytes))} written</span></div></header>",
             *(['<section class="vm warnings"><h2>Security warnings</h2><ul>'
                + "".join(f'<li><i class="light warn"></i>{_e(w)}</li>' for w in warnings) + "</ul></section>"]
               if warnings else []),
             "<h2>Virtual machines</h2><table><thead><tr><th>VM</th><th>Result</th><th>Hyper-V VM</th>"
             "<th>Disks (SHA-256)</th><th>Where</th></tr></thead><tbody>"]
    for o in outcomes:
        item = items.get(o.name)
        cls, text = _STATUS.get(o.status, ("warn", o.status))
        spec = ""
        if item is not None:
            t = item.target
            spec = (f"Generation {t.generation}, {t.cpus} vCPU, {t.memory.startup_mb} MB"
                    + (" dynamic" if t.memory.dynamic else "")
                    + (f", Secure Boot ({t.secure_boot_template})" if t.secure_boot else "")
                    + (", TPM" if t.tpm else ""))
        disks = "<br>".join(f"{_e(d.file_name)} · {_e(human_bytes(d.size_bytes))}<br><code>{_e(d.sha256)}</code>"
                            for d in o.disks)
        error = f"<br>{_e(o.error.one_line())}" if o.error else ""
        where = _e(o.created.where) if o.created else ""
        parts.append(f"<tr><td>{_e(o.name)}</td><td><i class=\"light {cls}\"></i>{_e(text)}{error}</td>"
                     f"<td>{_e(spec)}</td><td>{disks}</td><td>{where}</td></tr>")
    parts.append("</tbody></table>")
    if blocked:
        parts.append("<h2>Not migrated: blocked</h2><table><thead><tr><th>VM</th><th>Why</th><th>What to do</th>"
                     "</tr></thead><tbody>")
        for a in blocked:
            for f in (f for f in a.findings if f.severity.value == "blocker"):
                parts.append(f"<tr><td>{_e(a.vm.name)}</td><td><strong>{_e(f.title)}</strong><br>{_e(f.message)}"
                             f"</td><td>{_e(f.fix)}</td></tr>")
        parts.append("</tbody></table>")
    prepared = [o for o in outcomes if o.guest_prep is not None and o.status != "cancelled"]
    if prepared:
        parts.append("<h2>Inside the guests (Linux, prepared offline)</h2>")
        parts += [_guest_section(o.name, o.guest_prep) for o in prepared if o.guest_prep is not None]
    parts.append("<h2>What to check on each new VM</h2>")
    for o in outcomes:
        item = items.get(o.name)
        if not o.ok or item is None:
            continue
        report = o.fixups or offline_report(item, o.guest_prep)
        lines = [f"Done: {x}" for x in report.done] + [f"Not done: {x}" for x in report.failed] + report.instructions
        lines.append("Start the VM, log in, and check its services and network before switching users over.")
        parts.append(f"<section class=\"vm\"><h3>{_e(o.name)}</h3><ul>"
                     + "".join(f"<li>{_e(x)}</li>" for x in lines) + "</ul></section>")
    parts.append("</body></html>\n")
    return "".join(parts)


_PREP_LIGHT = {PREPARED: "ok", UNCHANGED: "ok", REFUSED: "warn", FAILED: "block", SKIPPED: "warn"}


def _guest_section(name: str, prep: PrepReport) -> str:
    """One VM's offline preparation: the verdict, what was found, and every change (file, what, why, original)."""
    out = [f'<section class="vm"><h3>{_e(name)}</h3>'
           f'<p><i class="light {_PREP_LIGHT.get(prep.status, "warn")}"></i>{_e(prep.summary())}'
           + (f" ({prep.seconds:.0f} s)" if prep.seconds else "") + "</p>"]
    facts = prep.facts.lines()
    if facts:
        out.append("<ul>" + "".join(f"<li>{_e(x)}</li>" for x in facts) + "</ul>")
    if prep.changes:
        out.append("<table><thead><tr><th>File in the guest</th><th>What changed</th><th>Why</th>"
                   "<th>Original kept as</th></tr></thead><tbody>")
        out += [f"<tr><td><code>{_e(c.file)}</code></td><td>{_e(c.what)}</td><td>{_e(c.why)}</td>"
                f"<td><code>{_e(c.original or '—')}</code></td></tr>" for c in prep.changes]
        out.append("</tbody></table>")
    if prep.notes:
        out.append("<p>To look at:</p><ul>" + "".join(f"<li>{_e(x)}</li>" for x in prep.notes) + "</ul>")
    out.append("</section>")
    return "".join(out)


def write_migration_report(path: str | os.PathLike[str], plan: Plan, outcomes: Sequence[ItemOutcome],
                           **kw: object) -> Path:
    return write_text_atomic(path, render_migration_html(plan, outcomes, **kw))  # type: ignore[arg-type]

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
from wizard.core.findings import COMMAND_LINE_WORDS, Assessment, FindingWords
from wizard.core.i18n import error_line, html_lang, list_separator, phrase, translate
from wizard.core.plan import Plan
from wizard.core.serial import write_text_atomic
from wizard.core.units import human_bytes
from wizard.guests.report import FAILED, PREPARED, REFUSED, SKIPPED, UNCHANGED, PrepReport
from wizard.migrate.item import ItemOutcome
from wizard.report.html import CSS, table_head
from wizard.targets.guest_fixups import change_parts, offline_report, shown_lines

_LIGHTS = {"done": "ok", "failed": "block", "cancelled": "warn", "skipped": "warn"}


def _status_text(status: str) -> str:
    words = {"done": translate("Migrated"), "failed": translate("Failed"), "cancelled": translate("Cancelled"),
             "skipped": translate("Skipped")}
    return words.get(status, status)


def _spec_text(item) -> str:  # noqa: ANN001 - a PlanItem
    t = item.target
    parts = [phrase("Generation {0}", t.generation), phrase("{0} vCPU", t.cpus),
             phrase("{0} MB dynamic", t.memory.startup_mb) if t.memory.dynamic
             else phrase("{0} MB", t.memory.startup_mb)]
    if t.secure_boot:
        parts.append(phrase("Secure Boot ({0})", t.secure_boot_template))
    if t.tpm:
        parts.append("TPM")
    return list_separator().join(parts)


def _checks(item, outcome: ItemOutcome) -> list[str]:  # noqa: ANN001 - a PlanItem
    """What to check on one migrated VM, in the current language (see :func:`shown_lines`)."""
    prep = outcome.guest_prep
    report = shown_lines(outcome.fixups or offline_report(item, prep), prep)
    lines = ([phrase("Done: {0}", x) for x in report.done] + [phrase("Not done: {0}", x) for x in report.failed]
             + report.instructions)
    lines.append(translate("Start the VM, log in, and check its services and network before switching users over."))
    return lines


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def render_migration_html(plan: Plan, outcomes: Sequence[ItemOutcome], *, blocked: Sequence[Assessment] = (),
                          source: str = "", target: str = "", seconds: float | None = None,
                          generated_at: str = "", warnings: Sequence[str] = (),
                          words: FindingWords = COMMAND_LINE_WORDS) -> str:
    """The report for one run of ``plan``; ``blocked`` lists the assessments of VMs left out of the plan. In the
    current language (:func:`wizard.core.i18n.current_language`), as the wizard that wrote it."""
    when = generated_at or _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    items = {i.target.name: i for i in plan.items}
    done = sum(o.ok for o in outcomes)
    failed = sum(o.status == "failed" for o in outcomes)
    total_bytes = sum(d.size_bytes for o in outcomes for d in o.disks)
    meta = [phrase("Source: {0}", translate(source) or "—"), phrase("Target: {0}", translate(target) or "—"), when]
    if seconds is not None:
        meta.append(f"{seconds:.1f} s")
    meta.append(f"hvmigrate {__version__}")
    title = translate("Migration report")
    parts = [f'<!DOCTYPE html>\n<html lang="{html_lang()}"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
             f'<header><h1>{_e(title)}</h1><div class="meta">{_e(" · ".join(meta))}</div>',
             f'<div class="totals"><span><i class="light ok"></i>{_e(phrase("{0} migrated", done))}</span>'
             f'<span><i class="light block"></i>{_e(phrase("{0} failed", failed))}</span>'
             f'<span><i class="light warn"></i>'
             f'{_e(phrase("{0} cancelled or skipped", len(outcomes) - done - failed))}</span>'
             f'<span><i class="light block"></i>{_e(phrase("{0} blocked (not migrated)", len(blocked)))}</span>'
             f"<span>{_e(phrase('{0} written', human_bytes(total_bytes)))}</span></div></header>",
             *([f'<section class="vm warnings"><h2>{_e(translate("Security warnings"))}</h2><ul>'
                + "".join(f'<li><i class="light warn"></i>{_e(translate(w))}</li>' for w in warnings)
                + "</ul></section>"] if warnings else []),
             f"<h2>{_e(translate('Virtual machines'))}</h2><table>"
             + table_head(translate("VM"), translate("Result"), translate("Hyper-V VM"), translate("Disks (SHA-256)"),
                   translate("Where")) + "<tbody>"]
    for o in outcomes:
        item = items.get(o.name)
        cls, text = _LIGHTS.get(o.status, "warn"), _status_text(o.status)
        spec = _spec_text(item) if item is not None else ""
        disks = "<br>".join(f"{_e(d.file_name)} · {_e(human_bytes(d.size_bytes))}<br><code>{_e(d.sha256)}</code>"
                            for d in o.disks)
        error = f"<br>{_e(error_line(o.error))}" if o.error else ""
        where = _e(o.created.where) if o.created else ""
        parts.append(f"<tr><td>{_e(o.name)}</td><td><i class=\"light {cls}\"></i>{_e(text)}{error}</td>"
                     f"<td>{_e(spec)}</td><td>{disks}</td><td>{where}</td></tr>")
    parts.append("</tbody></table>")
    if blocked:
        parts.append(f"<h2>{_e(translate('Not migrated: blocked'))}</h2><table>"
                     + table_head(translate("VM"), translate("Why"), translate("What to do")) + "<tbody>")
        for a in blocked:
            for f in (f for f in a.findings if f.severity.value == "blocker"):
                parts.append(f"<tr><td>{_e(a.vm.name)}</td><td><strong>{_e(words.title(f))}</strong><br>"
                             f"{_e(words.message(f))}</td><td>{_e(words.fix(f))}</td></tr>")
        parts.append("</tbody></table>")
    prepared = [o for o in outcomes if o.guest_prep is not None and o.status != "cancelled"]
    if prepared:
        parts.append(f"<h2>{_e(translate('Inside the guests (Linux, prepared offline)'))}</h2>")
        parts += [_guest_section(o.name, o.guest_prep) for o in prepared if o.guest_prep is not None]
    parts.append(f"<h2>{_e(translate('What to check on each new VM'))}</h2>")
    for o in outcomes:
        item = items.get(o.name)
        if not o.ok or item is None:
            continue
        lines = _checks(item, o)
        parts.append(f"<section class=\"vm\"><h3>{_e(o.name)}</h3><ul>"
                     + "".join(f"<li>{_e(x)}</li>" for x in lines) + "</ul></section>")
    parts.append("</body></html>\n")
    return "".join(parts)


_PREP_LIGHT = {PREPARED: "ok", UNCHANGED: "ok", REFUSED: "warn", FAILED: "block", SKIPPED: "warn"}


def _guest_section(name: str, prep: PrepReport) -> str:
    """One VM's offline preparation: the verdict, what was found, and every change (file, what, why, original)."""
    out = [f'<section class="vm"><h3>{_e(name)}</h3>'
           f'<p><i class="light {_PREP_LIGHT.get(prep.status, "warn")}"></i>{_e(translate(prep.summary()))}'
           + (f" ({prep.seconds:.0f} s)" if prep.seconds else "") + "</p>"]
    facts = prep.facts.lines()
    if facts:
        out.append("<ul>" + "".join(f"<li>{_e(translate(x))}</li>" for x in facts) + "</ul>")
    if prep.changes:
        out.append("<table>" + table_head(translate("File in the guest"), translate("What changed"), translate("Why"),
                                   translate("Original kept as")) + "<tbody>")
        for c in prep.changes:
            file, what, why = change_parts(c)
            out.append(f"<tr><td><code>{_e(file)}</code></td><td>{_e(what)}</td><td>{_e(why)}</td>"
                       f"<td><code>{_e(c.original or '—')}</code></td></tr>")
        out.append("</tbody></table>")
    if prep.notes:
        out.append(f"<p>{_e(translate('To look at:'))}</p><ul>"
                   + "".join(f"<li>{_e(translate(x))}</li>" for x in prep.notes) + "</ul>")
    out.append("</section>")
    return "".join(out)


def write_migration_report(path: str | os.PathLike[str], plan: Plan, outcomes: Sequence[ItemOutcome],
                           **kw: object) -> Path:
    return write_text_atomic(path, render_migration_html(plan, outcomes, **kw))  # type: ignore[arg-type]

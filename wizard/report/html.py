"""The assessment as one self-contained HTML file (no scripts, no external resources, print-friendly).

Contract: :func:`render_html` returns a complete document; every value that comes from a source (VM names,
guest names, labels, messages, anything) passes through :func:`html.escape` — names may hold ``<script>``,
quotes, ``$()`` or backticks. Element ids are generated (``vm-0``, ``vm-1``...), never built from names. The
summary chart is inline SVG: blockers and warnings per VM (the worst 60 VMs when there are more).
"""

from __future__ import annotations

import datetime as _dt
import html
import os
import re
from collections.abc import Sequence
from pathlib import Path

from wizard import __version__
from wizard.core.findings import COMMAND_LINE_WORDS, Assessment, FindingWords, Severity
from wizard.core.i18n import html_lang, phrase, translate
from wizard.core.serial import write_text_atomic

CHART_MAX = 60
_LIGHT = {None: "ok", Severity.INFO: "ok", Severity.WARNING: "warn", Severity.BLOCKER: "block"}


def _status_text(status: Severity | None) -> str:
    if status is Severity.BLOCKER:
        return translate("Blocked")
    if status is Severity.WARNING:
        return translate("Check warnings")
    return translate("Ready")


def _severity_text(severity: Severity) -> str:
    if severity is Severity.BLOCKER:
        return translate("blocker")
    if severity is Severity.WARNING:
        return translate("warning")
    return translate("info")

CSS = """
:root { --block:#c62828; --warn:#ef8f00; --info:#1565c0; --ok:#2e7d32; --line:#d0d4d9; --muted:#5f6b77; }
* { box-sizing: border-box; }
body { font: 14px/1.45 "Segoe UI", system-ui, -apple-system, sans-serif; color:#1d2329; margin: 24px auto;
       max-width: 1100px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; }
h3 { font-size: 16px; margin: 0; overflow-wrap: anywhere; }
.meta { color: var(--muted); margin-bottom: 16px; }
.totals span { display:inline-block; margin-right: 18px; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #f3f5f7; font-weight: 600; white-space: nowrap; }
td.sevcol { white-space: nowrap; width: 1%; overflow-wrap: normal; }
.light { display:inline-block; width: 12px; height: 12px; border-radius: 50%; margin-right: 6px;
         vertical-align: -1px; }
.light.ok { background: var(--ok); } .light.warn { background: var(--warn); } .light.block { background: var(--block); }
.sev { font-weight: 600; text-transform: uppercase; font-size: 12px; }
.sev.blocker { color: var(--block); } .sev.warning { color: var(--warn); } .sev.info { color: var(--info); }
section.vm { border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; margin: 14px 0; }
.plan { color: var(--muted); margin: 4px 0 8px; }
.fix { color: #24425f; } .ref { color: var(--muted); font-size: 12px; }
svg text { font: 11px sans-serif; fill: #1d2329; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  a { color: inherit; text-decoration: none; }
  section.vm { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; }
}
"""


_CITE = re.compile(r"\[([A-Z]+)\]\s*([^;]+)")


def _cite(reference: str, sources: dict[str, str]) -> str:
    """Short tags for a finding (``[S] [G]``); the full citations are collected once into ``sources``."""
    found = _CITE.findall(reference)
    if not found:
        return _e(reference)
    for tag, text in found:
        sources.setdefault(tag, text.strip())
    return " ".join(f'<a href="#src-{_e(tag)}">[{_e(tag)}]</a>' for tag, _ in found)


def table_head(*headings: str) -> str:
    """A table's ``<thead>`` row of ``headings`` (escaped)."""
    return "<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in headings) + "</tr></thead>"


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _counts(a: Assessment) -> tuple[int, int, int]:
    b = sum(f.severity is Severity.BLOCKER for f in a.findings)
    w = sum(f.severity is Severity.WARNING for f in a.findings)
    return b, w, len(a.findings) - b - w


def _plan_line(a: Assessment) -> str:
    s = a.spec
    mem = (phrase("{0} MiB dynamic", s.memory.startup_mb) if s.memory.dynamic
           else phrase("{0} MiB", s.memory.startup_mb))
    sb = phrase("Secure Boot {0}", s.secure_boot_template) if s.secure_boot else translate("Secure Boot off")
    parts = [phrase("Generation {0}", s.generation), phrase("{0} vCPU", s.cpus), mem]
    if s.generation == 2:
        parts.append(sb)
    if s.tpm:
        parts.append("TPM")
    parts.append(phrase("{0} disk(s), {1} NIC(s)", sum(d.include for d in s.disks), len(s.nics)))
    return " · ".join(parts)


def _chart(assessments: Sequence[Assessment]) -> str:
    rows = [(a, *_counts(a)) for a in assessments]
    rows = [r for r in rows if r[1] or r[2]]
    if not rows:
        return f"<p>{_e(translate('No blockers or warnings.'))}</p>"
    rows.sort(key=lambda r: (-r[1], -r[2]))
    more = len(rows) - CHART_MAX
    rows = rows[:CHART_MAX]
    top = max(b + w for _, b, w, _ in rows) or 1
    label_w, bar_w, row_h = 220, 520, 20
    height = row_h * len(rows) + 30
    label = _e(translate("Blockers and warnings per VM"))
    out = [f'<svg role="img" aria-label="{label}" width="{label_w + bar_w + 60}" '
           f'height="{height}" viewBox="0 0 {label_w + bar_w + 60} {height}" xmlns="http://www.w3.org/2000/svg">']
    for n, (a, b, w, _) in enumerate(rows):
        y = n * row_h + 4
        name = a.vm.name if len(a.vm.name) <= 32 else a.vm.name[:31] + "…"
        out.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{_e(name)}</text>')
        bw, ww = bar_w * b / top, bar_w * w / top
        if b:
            out.append(f'<rect x="{label_w}" y="{y}" width="{bw:.1f}" height="{row_h - 6}" fill="#c62828">'
                       f'<title>{_e(phrase("{0} blocker(s)", b))}</title></rect>')
        if w:
            out.append(f'<rect x="{label_w + bw:.1f}" y="{y}" width="{ww:.1f}" height="{row_h - 6}" fill="#ef8f00">'
                       f'<title>{_e(phrase("{0} warning(s)", w))}</title></rect>')
        out.append(f'<text x="{label_w + bw + ww + 6:.1f}" y="{y + 13}">{b} / {w}</text>')
    y = len(rows) * row_h + 20
    out.append(f'<rect x="{label_w}" y="{y - 9}" width="10" height="10" fill="#c62828"/>'
               f'<text x="{label_w + 14}" y="{y}">{_e(translate("blockers"))}</text>'
               f'<rect x="{label_w + 90}" y="{y - 9}" width="10" height="10" fill="#ef8f00"/>'
               f'<text x="{label_w + 104}" y="{y}">{_e(translate("warnings"))}</text>')
    out.append("</svg>")
    if more > 0:
        out.append(f'<p class="meta">{_e(phrase("…and {0} more VMs with warnings (see the table).", more))}</p>')
    return "".join(out)


def render_html(assessments: Sequence[Assessment], *, title: str | None = None, source: str = "",
                target_version: str = "unknown", generated_at: str = "",
                words: FindingWords = COMMAND_LINE_WORDS) -> str:
    """The report in the current language (:func:`wizard.core.i18n.current_language`): our own words and every
    finding's title, explanation and fix are translated (worded by ``words``: the wizard's name its controls);
    names, paths and codes are shown as they are."""
    title = translate("Hyper-V compatibility report") if title is None else title
    when = generated_at or _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    blocked = sum(a.blocked for a in assessments)
    warn = sum(not a.blocked and a.status is Severity.WARNING for a in assessments)
    ready = len(assessments) - blocked - warn
    version = translate("unknown") if target_version == "unknown" else target_version
    meta = " · ".join([phrase("Source: {0}", translate(source) or "—"), phrase("Target: Hyper-V {0}", version), when,
                       f"hvmigrate {__version__}"])
    parts = [f'<!DOCTYPE html>\n<html lang="{html_lang()}"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
             f"<header><h1>{_e(title)}</h1><div class=\"meta\">{_e(meta)}</div>",
             f'<div class="totals"><span><i class="light ok"></i>{_e(phrase("{0} ready", ready))}</span>'
             f'<span><i class="light warn"></i>{_e(phrase("{0} with warnings", warn))}</span>'
             f'<span><i class="light block"></i>{_e(phrase("{0} blocked", blocked))}</span>'
             f"<span>{_e(phrase('{0} VMs', len(assessments)))}</span></div></header>",
             f"<h2>{_e(translate('Blockers and warnings per VM'))}</h2>", _chart(assessments),
             f"<h2>{_e(translate('Summary'))}</h2><table>"
             + table_head(translate("VM"), translate("Status"), translate("Blockers"), translate("Warnings"),
                          translate("Info"), translate("Proposed Hyper-V VM")) + "<tbody>"]
    for n, a in enumerate(assessments):
        b, w, i = _counts(a)
        cls, text = _LIGHT[a.status], _status_text(a.status)
        parts.append(f'<tr><td><a href="#vm-{n}">{_e(a.vm.name)}</a></td><td><i class="light {cls}"></i>{_e(text)}'
                     f"</td><td>{b}</td><td>{w}</td><td>{i}</td><td>{_e(_plan_line(a))}</td></tr>")
    parts.append(f"</tbody></table><h2>{_e(translate('Details'))}</h2>")
    sources: dict[str, str] = {}
    for n, a in enumerate(assessments):
        cls = _LIGHT[a.status]
        guest = a.vm.guest.full_name or a.vm.guest.running_full_name or a.vm.guest.id or translate("unknown guest")
        parts.append(f'<section class="vm" id="vm-{n}"><h3><i class="light {cls}"></i>{_e(a.vm.name)}</h3>'
                     f'<div class="plan">{_e(guest)} · {_e(a.vm.firmware.value.upper())} → {_e(_plan_line(a))}</div>')
        if not a.findings:
            parts.append(f"<p>{_e(translate('No findings.'))}</p></section>")
            continue
        parts.append("<table>" + table_head(translate("Severity"), translate("Finding"), translate("What to do"))
                     + "<tbody>")
        for f in a.findings:
            subject = f" — {_e(f.subject)}" if f.subject else ""
            auto = f" <em>({_e(translate('applied in the plan'))})</em>" if f.adjusted else ""
            sev = _e(f.severity.value)
            parts.append(f'<tr><td class="sevcol"><span class="sev {sev}">{_e(_severity_text(f.severity))}</span>'
                         f"<br><code>{_e(f.code)}</code></td><td><strong>{_e(words.title(f))}</strong>{subject}"
                         f'<br>{_e(words.message(f))}</td><td class="fix">{_e(words.fix(f))}{auto}'
                         f'<div class="ref">{_cite(f.reference, sources)}</div></td></tr>')
        parts.append("</tbody></table></section>")
    if sources:
        parts.append(f"<h2>{_e(translate('Sources'))}</h2><ul class=\"ref\">")
        for tag in sorted(sources):
            parts.append(f'<li id="src-{_e(tag)}">[{_e(tag)}] {_e(sources[tag])}</li>')
        parts.append("</ul>")
    parts.append("</body></html>\n")
    return "".join(parts)


def write_html(path: str | os.PathLike[str], assessments: Sequence[Assessment], *, source: str = "",
               target_version: str = "unknown", words: FindingWords = COMMAND_LINE_WORDS) -> Path:
    return write_text_atomic(path, render_html(assessments, source=source, target_version=target_version,
                                               words=words))


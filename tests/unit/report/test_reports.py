"""HTML and CSV reports: self-contained, escaped, parseable, safe in spreadsheets."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

from tests.unit.compat.vms import make_vm
from wizard.compat.engine import assess
from wizard.report.csv_report import COLUMNS, render_csv, safe_cell, write_csv
from wizard.report.html import render_html, write_html

HOSTILE = 'evil"\'<script>alert(1)</script>$(whoami)`id`;rm\n\\..\\x&amp;'


VOID = {"meta", "br"}


class Collector(HTMLParser):
    """Tags, attributes and text of a document, and whether every element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.open: list[str] = []
        self.balanced = True

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.open or self.open[-1] != tag:
            self.balanced = False
        else:
            self.open.pop()

    def handle_data(self, data):
        self.text.append(data)


def _assessments():
    blocked = make_vm(name=HOSTILE, encrypted=True)
    return assess([blocked, make_vm(name="plain", tools_status="ok"), make_vm(name="=cmd|' /C calc'!A0")])


def test_html_is_self_contained_and_escapes_every_name():
    doc = render_html(_assessments(), source=HOSTILE, title="Report <b>")
    p = Collector()
    p.feed(doc)
    p.close()
    assert "script" not in p.tags and "link" not in p.tags and "img" not in p.tags
    assert not any(k in ("src", "href") and v and not v.startswith("#") for k, v in p.attrs)
    assert not any(k.startswith("on") for k, _ in p.attrs)
    text = "".join(p.text)
    assert HOSTILE in text and "Report <b>" in text  # shown literally, not interpreted
    assert p.balanced and not p.open
    assert "@media print" in doc and doc.count("<svg") == 1


def test_html_chart_has_a_bar_per_vm_with_findings(tmp_path):
    out = write_html(tmp_path / "r.html", _assessments())
    doc = out.read_text(encoding="utf-8")
    assert doc.count('fill="#c62828"><title>') == 1  # one VM with blockers
    assert not (tmp_path / "r.html.partial").exists()


def test_csv_round_trips_with_bom_and_guards_formulas(tmp_path):
    path = write_csv(tmp_path / "r.csv", _assessments())
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert list(rows[0].keys()) == list(COLUMNS)
    names = {r["vm"] for r in rows}
    assert HOSTILE in names and "'=cmd|' /C calc'!A0" in names
    assert any(r["code"] == "VM-ENCRYPTED" and r["severity"] == "blocker" for r in rows)
    for r in rows:
        for value in r.values():
            assert not value.startswith(("=", "+", "-", "@"))


def test_safe_cell():
    assert safe_cell("=SUM(A1)") == "'=SUM(A1)" and safe_cell("-2") == "'-2" and safe_cell("@x") == "'@x"
    assert safe_cell("plain") == "plain" and safe_cell(None) == ""
    assert render_csv([]).splitlines() == [",".join(COLUMNS)]


def test_the_export_writes_either_kind(tmp_path):
    from wizard.app.reports import write_assessment_report

    write_assessment_report("html", tmp_path / "a.html", _assessments(), target_version="2022")
    assert "Hyper-V 2022" in (tmp_path / "a.html").read_text(encoding="utf-8")
    write_assessment_report("csv", tmp_path / "a.csv", _assessments())
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8


def test_sources_are_listed_once_and_findings_link_to_them():
    doc = render_html(_assessments())
    assert doc.count('<li id="src-A">') == 1 and 'href="#src-A"' in doc
    assert "Azure Migrate" in doc.split("<h2>Sources</h2>")[1]


def test_reports_follow_the_language_of_the_interface():
    """The wizard in Chinese exports a Chinese report: our words and each finding's title, explanation and fix;
    the CSV keeps its column names, codes and severities for scripts and translates the prose cells."""
    from wizard.core.i18n import set_language, translate

    assessments = _assessments()
    finding = next(f for a in assessments for f in a.findings if f.severity.value == "blocker")
    english_doc, english_csv = render_html(assessments), render_csv(assessments)
    set_language("zh_CN")
    try:
        title = translate(finding.title)
        doc, text = render_html(assessments), render_csv(assessments)
    finally:
        set_language(None)
    assert title != finding.title and title in doc
    assert '<html lang="zh-CN">' in doc and "Hyper-V 兼容性报告" in doc and "处理方法" in doc
    assert "Hyper-V compatibility report" in english_doc and '<html lang="en">' in english_doc
    assert "What to do" not in doc and "Proposed Hyper-V VM" not in doc
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS
    row = next(r for r in rows if r["code"] == finding.code)
    assert row["title"] == title and row["severity"] == "blocker"
    assert finding.title in english_csv

"""Reports with hostile names everywhere: HTML stays inert (no markup from values, in text or attributes),
CSV cells never start a spreadsheet formula."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest

from tests.security.hostile import HOSTILE
from tests.unit.compat.vms import make_vm
from wizard.compat.engine import assess
from wizard.core.errors import TargetError
from wizard.core.findings import Finding, Severity
from wizard.core.plan import DiskSpec, Plan, PlanItem, VMSpec
from wizard.migrate.item import ItemOutcome
from wizard.report.csv_report import render_csv, safe_cell
from wizard.report.html import render_html
from wizard.report.migration import render_migration_html
from wizard.targets.base import CreateResult, DiskResult

ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "div", "span", "i",
                "table", "thead", "tbody", "tr", "th", "td", "a", "section", "p", "strong", "br", "code", "em",
                "ul", "li", "svg", "text", "rect"}
ALLOWED_ATTRS = {"lang", "charset", "name", "content", "class", "href", "id", "role", "aria-label", "width",
                 "height", "viewbox", "xmlns", "x", "y", "text-anchor", "fill"}


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs += attrs

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def _check_inert(document: str) -> Elements:
    parsed = Elements()
    parsed.feed(document)
    assert parsed.tags <= ALLOWED_TAGS, parsed.tags - ALLOWED_TAGS
    assert {k for k, _ in parsed.attrs} <= ALLOWED_ATTRS
    for key, value in parsed.attrs:
        if key == "href":
            assert value.startswith("#") and " " not in value, value
        if key in ("id", "class"):
            assert value.replace("-", "").replace(" ", "").replace("_", "").isalnum(), value
    return parsed


def _hostile_assessments():
    vms = [make_vm(name=h, guest=h, encrypted=True) for h in HOSTILE]
    out = assess(vms)
    for a, h in zip(out, HOSTILE, strict=True):
        a.findings.append(Finding(vm_id=h, vm_name=h, code=h, severity=Severity.WARNING, title=h, message=h, fix=h,
                                  reference=h, subject=h))
    return out


def test_assessment_html_keeps_every_hostile_value_as_text():
    parsed = _check_inert(render_html(_hostile_assessments(), title=HOSTILE[0], source=HOSTILE[3],
                                      target_version=HOSTILE[28]))
    text = "".join(parsed.text)
    for h in HOSTILE:
        if "\x00" not in h and "\r" not in h:  # the parser normalises those; the rest round-trips
            assert h.strip() in text


def test_migration_html_keeps_every_hostile_value_as_text():
    items, outcomes = [], []
    for h in HOSTILE:
        disk = DiskSpec(file_name=h, capacity_bytes=1)
        items.append(PlanItem(vm=make_vm(name=h), target=VMSpec(name=h, notes=h, disks=[disk])))
        outcomes.append(ItemOutcome(name=h, status="failed", error=TargetError(h, details=h, fix=h),
                                    disks=[DiskResult(disk, h, h, True, 1, h)], created=CreateResult(h, h, where=h)))
    document = render_migration_html(Plan(items=items), outcomes, blocked=_hostile_assessments(), source=HOSTILE[2],
                                     target=HOSTILE[4])
    parsed = _check_inert(document)
    assert HOSTILE[29] in "".join(parsed.text)


@pytest.mark.parametrize("value", [*HOSTILE, " =1+1", "\u00a0@x", "\n=1", "\uff1dSUM(A1)", "\uff0b1", "\uff0d1",
                                   "\uff20x"])
def test_csv_cells_never_start_a_formula(value):
    cell = safe_cell(value)
    assert not cell.lstrip(" \u00a0\u3000").startswith(
        ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20"))
    assert cell in (value, "'" + value)


def test_csv_of_hostile_assessments_round_trips_with_guarded_cells():
    rows = list(csv.reader(io.StringIO(render_csv(_hostile_assessments()), newline="")))
    assert len(rows) > len(HOSTILE)
    for row in rows[1:]:
        for cell in row:
            assert not cell.lstrip(" \u00a0\u3000").startswith(("=", "+", "-", "@", "\t", "\r", "\n"))


def test_report_writer_does_not_follow_a_planted_partial_link(tmp_path):
    from wizard.report.html import write_html

    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / "r.html.partial").symlink_to(victim)
    out = write_html(tmp_path / "r.html", _hostile_assessments())
    assert victim.read_text() == "keep me"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>") and not out.is_symlink()

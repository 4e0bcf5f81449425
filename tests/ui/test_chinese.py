"""Under zh_CN, no page shows an English text of ours: every visible label, button, group title and
page title is checked against the English sources in the .ts file."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWidget

from tests.ui.driver import LONG, to_inventory, untick_blocked, wait
from wizard.ui import i18n

TS = i18n.resources_dir() / "i18n" / "hvmigrate_zh_CN.ts"


def _plain(text: str) -> str:
    return re.sub(r"\(&.\)|&(?=\S)", "", text).strip()


def english_sources() -> set[str]:
    out = set()
    for msg in ET.parse(TS).iter("message"):
        source = _plain(msg.find("source").text or "")
        if not source or "%" in source:
            continue
        translation = "".join(msg.find("translation").itertext())
        if _plain(translation) != source:  # names that read the same in both (e.g. "Windows") are fine
            out.add(source)
    return out


def visible_texts(root: QWidget) -> list[str]:
    texts = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
    return [_plain(t) for t in texts if t]


@pytest.fixture
def chinese(qapp):
    assert i18n.install(qapp, "zh_CN")
    yield
    i18n.install(qapp, "en")


def test_every_page_is_translated(qtbot, chinese, tmp_path):
    from wizard.ui.window import MigrationWizard

    english = english_sources()
    assert len(english) > 150
    w = MigrationWizard()
    qtbot.addWidget(w)
    w.show()
    leftovers: dict[str, list[str]] = {}

    def check(name: str) -> None:
        page = w.currentPage()
        texts = visible_texts(w) + [_plain(page.title()), _plain(page.subTitle())]
        bad = [t for t in texts if t in english]
        if bad:
            leftovers[name] = bad

    check("source")
    to_inventory(qtbot, w)
    check("inventory")
    w.currentPage().check_visible()
    w.next()
    compat = w.currentPage()
    wait(qtbot, w, lambda: not compat.busy and bool(w.state.assessments))
    check("compatibility")

    untick_blocked(w)
    w.next()
    check("target")
    w.currentPage().folder.setText(str(tmp_path / "bundle"))
    w.next()
    wait(qtbot, w, lambda: w.currentId() == w.TEMPLATE and w.currentPage().ready())
    check("template")
    w.next()
    check("networks")
    w.next()
    wait(qtbot, w, lambda: w.currentPage().ready())
    check("summary")
    summary = w.currentPage().text.toPlainText()  # the page's own account of the run, not a label
    assert "来源：" in summary and "每台虚拟机将发生什么" in summary
    assert "From:" not in summary and "What happens to each VM" not in summary
    w.next()
    wait(qtbot, w, w.currentPage().isComplete, LONG * 2)
    check("progress")
    w.next()
    wait(qtbot, w, lambda: not w.currentPage().busy)
    check("done")
    assert not leftovers, f"English left on Chinese pages: {leftovers}"
    assert "完成" in w.currentPage().title()
    # the report the Finished page saved (and its Open the report button shows) is in Chinese too
    wait(qtbot, w, lambda: bool(w.state.report_path))
    report = Path(w.state.report_path).read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in report and "迁移报告" in report and "每台新虚拟机需要检查的事项" in report
    assert "Migration report" not in report and "What to check on each new VM" not in report

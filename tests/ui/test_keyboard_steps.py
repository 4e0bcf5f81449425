"""What a help-desk person relies on: Tab gets out of every table and reaches the buttons in the order they are
drawn; Escape does not throw the answers away without asking; the step panel says where they are; F1 explains
the page in their language; the screenshot walk shows the error dialog."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from tests.ui.driver import to_inventory, to_target, wait
from wizard.ui import i18n
from wizard.ui.window import MigrationWizard

ROOT = Path(__file__).resolve().parents[2]
MAX_TABS = 20  # far more than any page has controls: a trap shows as never getting there
PAGES = ("source", "inventory", "compatibility", "target", "template", "networks", "summary", "progress", "done")


def tab_until(qtbot, w: MigrationWizard, target, key=Qt.Key.Key_Tab) -> list:
    """Press Tab (or Shift+Tab) on whatever has the focus until ``target`` has it; returns the widgets the
    focus went through. Fails after MAX_TABS presses."""
    seen = []
    for _ in range(MAX_TABS):
        focus = QApplication.focusWidget()
        if focus is target:
            return seen
        seen.append(focus)
        qtbot.keyClick(focus, key)
    raise AssertionError(f"{MAX_TABS} presses of {key} never reached {target!r}; stuck in {seen[-3:]}")


def test_tab_leaves_the_inventory_table_and_goes_through_the_buttons_as_drawn(qtbot, wizard_window):
    w = wizard_window
    to_inventory(qtbot, w)
    page = w.currentPage()
    page.check_visible()  # Next is enabled
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Down)  # arrows still move inside the table
    assert page.table.currentIndex().row() == 1 and QApplication.focusWidget() is page.table

    tab_until(qtbot, w, w.button(QWizard.WizardButton.NextButton))
    page.table.setFocus()
    path = tab_until(qtbot, w, w.button(QWizard.WizardButton.CancelButton))
    buttons = [x for x in path if x in {w.button(b) for b in (QWizard.WizardButton.HelpButton,
                                                                QWizard.WizardButton.CustomButton1,
                                                                QWizard.WizardButton.BackButton,
                                                                QWizard.WizardButton.NextButton)}]
    assert len(buttons) == 4, "Help and Settings… (drawn left of Back) come before Cancel"
    drawn = sorted(buttons, key=lambda b: b.mapTo(w, b.rect().topLeft()).x())
    assert buttons == drawn, "Tab goes through the buttons left to right, as they are drawn"


def test_tab_walks_the_network_table_cells_then_leaves_it(qtbot, wizard_window, tmp_path):
    w = wizard_window
    to_inventory(qtbot, w)
    to_target(qtbot, w)
    w.currentPage().folder.setText(str(tmp_path / "bundle"))
    w.next()
    wait(qtbot, w, lambda: w.currentId() == w.TEMPLATE and w.currentPage().ready())
    w.next()
    page = w.currentPage()
    assert w.currentId() == w.NETWORKS and page.table.rowCount() >= 2
    page.table.setFocus()
    path = tab_until(qtbot, w, w.button(QWizard.WizardButton.NextButton))
    cells = [page.table.cellWidget(row, col) for row in range(page.table.rowCount()) for col in (2, 3)]
    # a combo box or spin box has the focus through its line edit: map it back to the cell widget
    visited = []
    for widget in path:
        for cell in cells:
            if (widget is cell or cell.isAncestorOf(widget)) and cell not in visited:
                visited.append(cell)
    assert visited == cells, "switch and VLAN of each row, row by row"
    assert path.index(page.keep_mac) > max(path.index(x) for x in path if any(c is x or c.isAncestorOf(x)
                                                                              for c in cells))
    tab_until(qtbot, w, page.table, Qt.Key.Key_Backtab)  # and back again with Shift+Tab


def test_escape_with_answers_asks_and_keeps_the_window_and_the_answers(qtbot, wizard_window):
    w = wizard_window
    to_inventory(qtbot, w)
    page = w.currentPage()
    page.check_visible()
    first = page.model.vms[0]
    page.model.set_checked([0], False)  # an answer: this VM stays behind
    page.search.setText("web")
    checked = set(page.model.checked)
    page.table.setFocus()

    qtbot.keyClick(page.table, Qt.Key.Key_Escape)
    assert w.isVisible(), "Escape asks instead of closing"
    box = w.discard_prompt
    assert box is not None and box.isVisible()
    keep = box.defaultButton()
    assert box.buttonRole(keep) == QMessageBox.ButtonRole.RejectRole, "the default answer keeps the window"
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter takes the default
    qtbot.waitUntil(lambda: w.discard_prompt is None)
    assert w.isVisible() and w.currentId() == w.INVENTORY
    assert page.model.checked == checked and first.id not in page.model.checked and page.search.text() == "web"

    w.button(QWizard.WizardButton.CancelButton).click()  # Cancel asks the same
    box = w.discard_prompt
    assert box is not None and w.isVisible()
    discard = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    discard.click()
    qtbot.waitUntil(lambda: not w.isVisible())


def test_step_panel_highlights_the_current_page_and_ticks_the_earlier_ones(qtbot, wizard_window):
    from wizard.ui.steps import CURRENT, DONE, TICK, TODO

    w = wizard_window
    w.resize(1000, 700)
    steps = w.steps
    qtbot.waitUntil(lambda: w.sideWidget() is steps and steps.drawn and not steps.compact)
    assert [row.name for row in steps.rows] == ["Source", "Inventory", "Compatibility", "Target", "Template",
                                                "Networks", "Summary", "Progress", "Done"]
    assert [steps.state(i) for i in range(9)] == [CURRENT] + [TODO] * 8
    to_inventory(qtbot, w)
    to_target(qtbot, w)
    assert [steps.state(i) for i in range(9)] == [DONE] * 3 + [CURRENT] + [TODO] * 5
    assert [row.marker() for row in steps.rows[:5]] == [TICK, TICK, TICK, "4", "5"]
    assert steps.accessibleDescription() == "Step 4: Target, current step", "screen readers say where they are"
    w.back()
    assert [steps.state(i) for i in range(4)] == [DONE, DONE, CURRENT, TODO], "Back moves the highlight back"


def test_step_panel_never_widens_a_narrow_window(qtbot, wizard_window):
    w = wizard_window
    w.resize(1000, 700)
    to_inventory(qtbot, w)
    steps = w.steps
    qtbot.waitUntil(lambda: steps.drawn and not steps.compact)  # room for the names
    w.resize(640, 480)
    qtbot.waitUntil(lambda: w.width() == 640)  # the panel gives its room to the page: the window stays narrow
    qtbot.waitUntil(lambda: steps.compact)  # the numbers at most
    w.resize(1000, 700)
    qtbot.waitUntil(lambda: steps.drawn and not steps.compact)


@pytest.mark.parametrize("key", PAGES)
def test_every_page_has_help_in_english_and_chinese(key):
    folder = i18n.resources_dir() / "help"
    english, chinese = folder / f"{key}.html", folder / "zh_CN" / f"{key}.html"
    assert english.is_file() and chinese.is_file()
    assert "<title>" in english.read_text(encoding="utf-8") and "<title>" in chinese.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang, word", [("en", "Inventory"), ("zh_CN", "清单")])
def test_f1_opens_the_current_pages_help_in_the_current_language(qtbot, qapp, lang, word):
    i18n.install(qapp, lang)
    try:
        w = MigrationWizard()
        qtbot.addWidget(w)
        w.show()
        to_inventory(qtbot, w)
        page = w.currentPage()
        page.table.setFocus()
        qtbot.keyClick(page.table, Qt.Key.Key_F1)
        dialog = w.help_dialog
        assert dialog is not None and dialog.isVisible()
        expected = i18n.resources_dir() / "help" / ("" if lang == "en" else lang) / "inventory.html"
        assert dialog.path == expected
        assert word in dialog.browser.toPlainText() and word in dialog.windowTitle()
        assert w.isVisible() and w.currentId() == w.INVENTORY, "help leaves the page as it was"

        w.currentPage().check_visible()
        w.next()  # help that stays open follows the page
        wait(qtbot, w, lambda: w.currentId() == w.COMPAT)
        assert dialog.path == expected.with_name("compatibility.html")
        dialog.close()
        w.button(QWizard.WizardButton.HelpButton).click()  # the Help button opens the same
        assert dialog.isVisible() and dialog.path.name == "compatibility.html"
    finally:
        i18n.install(qapp, "en")


def test_screenshot_walk_saves_the_error_dialog(tmp_path, temp_settings):
    out = tmp_path / "shots"
    proc = subprocess.run([sys.executable, "-m", "wizard", "gui", "--demo", "--lang", "zh_CN", "--screenshots",
                           str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    image = QImage(str(out / "10-error.png"))
    assert not image.isNull()
    assert 400 <= image.width() < 1000, "the dialog alone, not the window"

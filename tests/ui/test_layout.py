"""What a user sees without scrolling or guessing: the inventory's key columns at the default size, one
Alt+letter per action on every page (English and Chinese), and an error dialog that stays readable."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWizard

from tests.ui.driver import to_inventory
from wizard.core.errors import AuthError
from wizard.ui import i18n
from wizard.ui.errors import ErrorDialog
from wizard.ui.models.inventory import COLUMNS
from wizard.ui.window import MigrationWizard


def test_inventory_key_columns_fit_the_default_window(qtbot, wizard_window):
    w = wizard_window
    w.resize(1000, 700)
    to_inventory(qtbot, w)
    page = w.currentPage()
    header = page.table.horizontalHeader()
    width = page.table.viewport().width()
    for key in ("name", "power", "guest", "host", "cpus", "memory", "disk"):
        col = COLUMNS.index(key)
        right = header.sectionViewportPosition(col) + header.sectionSize(col)
        assert header.sectionViewportPosition(col) >= 0 and right <= width, f"{key} is cut at {width} px"
    guest = COLUMNS.index("guest")
    longest = max(range(page.proxy.rowCount()), key=lambda r: len(page.proxy.index(r, guest).data()))
    index = page.proxy.index(longest, guest)
    vm = page.model.vms[page.proxy.mapToSource(index).row()]
    assert index.data(Qt.ItemDataRole.ToolTipRole) == vm.guest.full_name, "an elided guest OS is readable in full"


def _mnemonics(w: MigrationWizard, page_id: int) -> dict[str, list[str]]:
    page = w.page(page_id)
    shown = [QWizard.WizardButton.CustomButton1, QWizard.WizardButton.CancelButton]
    if page_id == w.DONE:
        shown += [QWizard.WizardButton.BackButton, QWizard.WizardButton.FinishButton]
    elif page.isCommitPage():
        shown += [QWizard.WizardButton.BackButton]
    elif page_id != w.SOURCE:
        shown += [QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton]
    else:
        shown += [QWizard.WizardButton.NextButton]
    texts = [w.button(b).text() for b in shown]
    if page.isCommitPage():
        texts.append(page.buttonText(QWizard.WizardButton.CommitButton))
    for widget in page.findChildren(QAbstractButton) + page.findChildren(QLabel):
        texts.append(widget.text())
    texts += [box.title() for box in page.findChildren(QGroupBox)]
    keys: dict[str, list[str]] = {}
    for text in texts:
        m = re.search(r"&([^&\s])", text.replace("&&", ""))
        if m:
            keys.setdefault(m.group(1).lower(), []).append(text)
    return keys


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_alt_letters_are_unique_on_every_page(qtbot, qapp, lang):
    i18n.install(qapp, lang)
    try:
        w = MigrationWizard()
        qtbot.addWidget(w)
        clashes = {}
        for page_id in w.pageIds():
            twice = {k: v for k, v in _mnemonics(w, page_id).items() if len(v) > 1}
            if twice:
                clashes[type(w.page(page_id)).__name__] = twice
        assert not clashes, f"one Alt+letter for two actions: {clashes}"
    finally:
        i18n.install(qapp, "en")


def test_error_dialog_stays_wide_and_enter_closes_it(qtbot):
    d = ErrorDialog(AuthError("vc01.example.com:443 refused the user name or password for administrator@vsphere.local.",
                              details="vim.fault.InvalidLogin: Cannot complete login"))
    qtbot.addWidget(d)
    d.show()
    before = d.width()
    d.details_button.click()
    assert d.details.isVisible() and d.width() >= before, "opening the details must not squeeze the text"
    d.details_button.setFocus()
    with qtbot.waitSignal(d.finished, timeout=10_000):
        qtbot.keyClick(d.details_button, Qt.Key.Key_Return)
    assert not d.isVisible()

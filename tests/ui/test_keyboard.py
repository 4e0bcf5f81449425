"""Keyboard use: Enter on a table row does that row's action and stays on the page; Enter elsewhere is Next."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.driver import to_inventory, wait


def test_enter_on_an_inventory_row_ticks_it_and_stays(qtbot, wizard_window):
    w = wizard_window
    to_inventory(qtbot, w)
    page = w.currentPage()
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    vm = page.model.vms[page.proxy.mapToSource(page.proxy.index(0, 0)).row()]
    ticked = vm.id in page.model.checked
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert (vm.id in page.model.checked) != ticked
    assert w.currentId() == w.INVENTORY, "Enter on a row must not also press Next"

    page.search.setFocus()  # Enter in a field is the wizard's default button: Next
    if not page.isComplete():
        page.check_visible()
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    wait(qtbot, w, lambda: w.currentId() == w.COMPAT)

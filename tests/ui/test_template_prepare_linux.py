"""The template page's "Prepare Linux guests for Hyper-V" box writes guest.prepare_linux into the plan."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.driver import to_inventory, to_target, wait


def test_unticking_prepare_linux_turns_it_off_in_the_plan(qtbot, wizard_window, tmp_path):
    w = wizard_window
    to_inventory(qtbot, w)
    to_target(qtbot, w)
    w.currentPage().folder.setText(str(tmp_path / "bundle"))
    w.next()
    wait(qtbot, w, lambda: w.currentId() == w.TEMPLATE and w.currentPage().ready())
    page = w.currentPage()
    assert page.prepare_linux.checkState() == Qt.CheckState.Checked  # on by default
    assert all(i.target.fixups.prepare_linux for i in w.state.plan.items)
    page.prepare_linux.setCheckState(Qt.CheckState.Unchecked)
    wait(qtbot, w, page.ready)
    assert w.state.sets_all.get("guest.prepare_linux") == "false"
    assert not any(i.target.fixups.prepare_linux for i in w.state.plan.items)
    assert "Prepare Linux guests: off" in page.changes.text()

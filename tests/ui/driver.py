"""Drives the wizard the way a user does, waiting on conditions (never on time)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from wizard.ui.window import MigrationWizard

LONG = 120_000  # ms: generous upper bounds for slow CI machines; they are not timing assertions


def no_error(w: MigrationWizard) -> None:
    d = w.error_dialog
    assert d is None or not d.isVisible(), f"error dialog: {d.message_label.text()} {d.details.toPlainText()}"


def wait(qtbot, w: MigrationWizard, condition, timeout: int = LONG) -> None:
    def check() -> bool:
        no_error(w)
        return condition()

    qtbot.waitUntil(check, timeout=timeout)


def to_inventory(qtbot, w: MigrationWizard, source: str = "demo") -> None:
    w.page(w.SOURCE).set_source_text(source)
    w.next()
    wait(qtbot, w, lambda: w.currentId() == w.INVENTORY)


def untick_blocked(w: MigrationWizard) -> None:
    """On the Compatibility page, untick every blocked VM, as a user does before going on."""
    compat = w.page(w.COMPAT)
    for i in range(compat.vms.topLevelItemCount()):
        item = compat.vms.topLevelItem(i)
        if w.state.assessments[item.data(0, Qt.ItemDataRole.UserRole)].blocked:
            item.setCheckState(0, Qt.CheckState.Unchecked)


def to_compatibility(qtbot, w: MigrationWizard):  # noqa: ANN201 - the Compatibility page
    """From the Inventory page, every VM ticked, to the Compatibility page once it has assessed them."""
    w.currentPage().check_visible()
    w.next()
    compat = w.currentPage()
    wait(qtbot, w, lambda: not compat.busy and bool(w.state.assessments))
    return compat


def to_target(qtbot, w: MigrationWizard) -> None:
    compat = to_compatibility(qtbot, w)
    untick_blocked(w)
    assert compat.isComplete()
    w.next()
    assert w.currentId() == w.TARGET


def to_progress(qtbot, w: MigrationWizard, bundle: str) -> None:
    target = w.currentPage()
    target.folder.setText(bundle)
    w.next()
    wait(qtbot, w, lambda: w.currentId() == w.TEMPLATE)
    wait(qtbot, w, lambda: w.currentPage().ready())
    w.next()
    assert w.currentId() == w.NETWORKS
    w.next()
    wait(qtbot, w, lambda: w.currentPage().ready())
    w.next()
    assert w.currentId() == w.PROGRESS

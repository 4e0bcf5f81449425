"""Cancel, skip and retry during a migration, and closing the window mid-run."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.ui.driver import to_inventory, to_progress, to_target, wait
from wizard.core.progress import ProgressEvent
from wizard.disks.convert import convert
from wizard.ui.window import MigrationWizard


class SlowMigration:
    """The disk converter the real scheduler runs, held back until cancelled (or ``release`` is set)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.cancelled: list[str] = []
        self.started: list[str] = []

    def __call__(self, src, dst_path, options, progress=None, cancel=None, **_kw):  # noqa: ANN001, ANN204
        name = Path(dst_path).name.rsplit("-disk", 1)[0]
        if name not in self.started:
            self.started.append(name)
        done = 0
        while not self.release.is_set():
            if cancel.wait(0.005):
                self.cancelled.append(name)
                cancel.check()
            done = min(done + 1, 99)
            progress(ProgressEvent("convert", done, 100))
        return convert(src, dst_path, options, progress, cancel)


@pytest.fixture
def slow_wizard(qtbot):
    slow = SlowMigration()
    w = MigrationWizard(converter=slow)
    qtbot.addWidget(w)
    w.show()
    yield w, slow
    slow.release.set()
    if w.state.runner is not None:
        w.state.runner.cancel_all()
        w.state.runner.wait(30)


def _start(qtbot, w, tmp_path):
    to_inventory(qtbot, w)
    to_target(qtbot, w)
    to_progress(qtbot, w, str(tmp_path / "bundle"))


def test_closing_during_a_migration_asks_and_cancels_cleanly(qtbot, slow_wizard, tmp_path):
    w, slow = slow_wizard
    _start(qtbot, w, tmp_path)
    wait(qtbot, w, lambda: bool(slow.started))
    w.close()
    assert w.isVisible(), "the window stays until the user answers"
    box = w.close_prompt
    assert box is not None
    keep = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole][0]
    keep.click()
    assert w.isVisible() and w.migration_running()
    w.close()
    box = w.close_prompt
    stop = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole][0]
    stop.click()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=30_000)
    assert sorted(slow.cancelled) == sorted(slow.started), "every VM that was running is cancelled"
    assert not w.migration_running()
    assert set(w.state.runner.states.values()) <= {"cancelled", "skipped"}


def test_cancel_skip_and_retry_one_vm(qtbot, slow_wizard, tmp_path):
    w, slow = slow_wizard
    _start(qtbot, w, tmp_path)
    page = w.currentPage()
    runner = w.state.runner
    names = page.model.names
    wait(qtbot, w, lambda: runner.states[names[0]] == "running")
    page.table.selectRow(0)
    page.cancel_vm.click()
    # what the user sees: the row and the log (the runner's own state changes a moment before its signal arrives)
    wait(qtbot, w, lambda: page.model.rows[names[0]]["state"] == "cancelled")
    assert "cancel" in page.log.toPlainText().lower()
    page.table.selectRow(len(names) - 1)
    page.skip_vm.click()  # a queued VM is left out
    page.table.selectRow(0)
    page.retry_vm.click()
    slow.release.set()
    wait(qtbot, w, page.isComplete)
    assert runner.states[names[0]] == "done"
    assert runner.states[names[-1]] == "skipped"
    assert page.model.data(page.model.index(0, 5)) == "Done"

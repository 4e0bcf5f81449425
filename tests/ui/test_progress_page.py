"""The progress page with two VMs at once: rows and buttons a user reads, a failed VM that explains itself,
and a Next button that is enabled when the run ends (no way back to a finished migration)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from tests.ui.driver import to_inventory, to_progress, to_target, wait
from wizard.core.errors import Cancelled, DiskFormatError
from wizard.core.progress import ProgressEvent
from wizard.disks.convert import convert
from wizard.ui.models.progress import COL_STAGE
from wizard.ui.window import MigrationWizard


class Scripted:
    """The disk converter the real scheduler runs, held back: each disk reports progress until released, then
    is converted for real; ``fail`` names the VM whose disk ends with a typed disk error instead."""

    def __init__(self, fail: str) -> None:
        self.fail = fail
        self.release = threading.Event()
        self.running: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, src, dst_path, options, progress=None, cancel=None, **_kw):  # noqa: ANN001, ANN204
        name = Path(dst_path).name.rsplit("-disk", 1)[0]
        with self._lock:
            self.running.add(name)
        try:
            step = 0
            while not self.release.is_set():
                if cancel.wait(0.005):
                    raise Cancelled(cancel.reason)
                step = min(step + 1, 90)
                progress(ProgressEvent("hash", step, 100))
            if name == self.fail:
                raise DiskFormatError("grain table points past the end of the file", path=f"/vms/{name}.vmdk",
                                      offset=16212, details="grain 85 -> sector 11008")
            return convert(src, dst_path, options, progress, cancel)
        finally:
            with self._lock:
                self.running.discard(name)


@pytest.fixture
def scripted(qtbot, tmp_path):
    script = Scripted(fail="legacy-app01")
    w = MigrationWizard(converter=script)
    qtbot.addWidget(w)
    w.resize(1000, 700)
    w.show()
    to_inventory(qtbot, w)
    to_target(qtbot, w)
    to_progress(qtbot, w, str(tmp_path / "bundle"))
    yield w, script
    script.release.set()
    if w.state.runner is not None:
        w.state.runner.cancel_all()
        w.state.runner.wait(30)


def test_two_vms_at_once_and_buttons_follow_the_selection(qtbot, scripted):
    w, script = scripted
    page = w.currentPage()
    rows = page.model.rows
    wait(qtbot, w, lambda: sum(r["state"] == "running" and r["fraction"] > 0 for r in rows.values()) == 2)
    running = [n for n, r in rows.items() if r["state"] == "running"]
    waiting = [n for n, r in rows.items() if r["state"] == "queued"]
    assert len(running) == 2 and waiting, "two VMs convert at once, the others wait"
    # the longest stage name fits its column instead of wrapping onto a second line
    assert page.table.columnWidth(COL_STAGE) > page.table.fontMetrics().horizontalAdvance("Checking the copy")

    page.table.selectRow(page.model.names.index(waiting[0]))
    assert page.cancel_vm.isEnabled() and page.skip_vm.isEnabled()
    assert not page.retry_vm.isEnabled() and not page.why.isEnabled()

    first = running[0]
    page.table.selectRow(page.model.names.index(first))
    page.cancel_vm.click()
    wait(qtbot, w, lambda: rows[first]["state"] == "cancelled")
    assert rows[running[1]]["state"] == "running", "cancelling one VM leaves the other running"
    assert not page.cancel_vm.isEnabled() and page.retry_vm.isEnabled()
    assert w.close_prompt is None

    w.reject()  # Cancel / Escape while VMs run: ask first
    assert w.close_prompt is not None and w.isVisible()
    w.close_prompt.reject()  # Keep running
    wait(qtbot, w, lambda: w.close_prompt is None)
    assert w.migration_running()

    script.release.set()
    # the button a user clicks next is enabled when the run ends (it once stayed grey after a parallel run)
    wait(qtbot, w, lambda: w.button(QWizard.WizardButton.CommitButton).isEnabled())
    # the overall bar fills with what was migrated: one VM cancelled and one failed leave it short of full
    assert 0 < page.overall.value() < page.overall.maximum()
    assert "1 failed" in page.overall_label.text() and "1 cancelled" in page.overall_label.text()
    done = [n for n, r in rows.items() if r["state"] == "done"]
    assert done and all(page.model.data(page.model.index(page.model.names.index(n), COL_STAGE)) == ""
                        for n in done), "a finished VM shows no stage that reads as still working"


def test_a_failed_vm_explains_itself_and_done_has_no_way_back(qtbot, scripted):
    w, script = scripted
    page = w.currentPage()
    script.release.set()
    wait(qtbot, w, lambda: w.button(QWizard.WizardButton.CommitButton).isEnabled())
    failed = page.model.names.index("legacy-app01")
    assert page.model.rows["legacy-app01"]["state"] == "failed"
    assert "1 failed" in page.overall_label.text(), "a bar alone would not say what did not make it"
    assert page.why.isEnabled(), "the failed VM is selected when the run ends: its explanation is one click away"
    assert page.why.isEnabled() and page.retry_vm.isEnabled() and not page.cancel_vm.isEnabled()
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(failed, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # Enter on a failed row explains it (and stays here)
    dialog = w.error_dialog
    assert w.currentId() == w.PROGRESS
    assert dialog is not None and dialog.isVisible()
    assert "/vms/legacy-app01.vmdk" in dialog.message_label.text() and "offset 16212" in dialog.message_label.text()
    assert "copy it again" in dialog.fix_label.text()
    assert "Traceback" not in dialog.message_label.text() + dialog.fix_label.text()
    assert "grain 85" in dialog.details.toPlainText() and not dialog.details.isVisible()
    dialog.close()

    page.table.selectRow(0 if failed else 1)  # a VM that was migrated: nothing to cancel, retry or explain
    assert not (page.why.isEnabled() or page.retry_vm.isEnabled() or page.cancel_vm.isEnabled())
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # on such a row Enter is Next, as anywhere else
    wait(qtbot, w, lambda: w.currentId() == w.DONE)
    back = w.button(QWizard.WizardButton.BackButton)
    assert not (back.isVisible() and back.isEnabled()), "the finished migration cannot be re-entered"


def test_the_end_of_a_run_is_final_when_it_is_announced(qtbot, tmp_path):
    """The page enables Next from the adapter's ``finished`` signal, checking ``running`` there; the worker
    that emits it is still alive at that moment, so ``running`` must not mean "a thread is alive".
    A direct connection runs the check in that very moment (it once said True, and Next stayed grey)."""
    from PySide6.QtCore import Qt

    from wizard.app.migration import RunSettings, prepare_migration
    from wizard.app.planning import PlanRequest, build_plan
    from wizard.app.sources import open_source
    from wizard.app.targets import TargetSpec
    from wizard.ui.run_adapter import RunAdapter

    source = open_source("demo")
    plan = build_plan(source.discover(), PlanRequest(vms=["web01", "legacy-app01", "ubuntu-web"]), source.ref).plan
    migration = prepare_migration(plan, source, TargetSpec(kind="bundle", folder=str(tmp_path / "b")),
                                  RunSettings(parallel=3))
    adapter = RunAdapter(migration)
    seen: list[bool] = []
    adapter.finished.connect(lambda: seen.append(adapter.running), Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(adapter.finished, timeout=60_000):
        adapter.start()
    assert seen == [False]
    migration.close()
    assert set(adapter.states.values()) == {"done"}


def test_cancel_all_asks_first(qtbot, scripted):
    from PySide6.QtWidgets import QMessageBox

    w, script = scripted
    page = w.currentPage()
    rows = page.model.rows
    wait(qtbot, w, lambda: sum(r["state"] == "running" for r in rows.values()) == 2)
    page.cancel_all.click()
    box = page.stop_prompt
    assert box is not None and box.isVisible()
    assert box.buttonRole(box.defaultButton()) == QMessageBox.ButtonRole.RejectRole, "Enter keeps it running"
    box.reject()  # Escape: keep running
    wait(qtbot, w, lambda: page.stop_prompt is None)
    assert sum(r["state"] == "running" for r in rows.values()) == 2, "nothing stopped without a yes"
    page.cancel_all.click()
    box = page.stop_prompt
    stop = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole][0]
    stop.click()
    wait(qtbot, w, page.isComplete)
    assert {r["state"] for r in rows.values()} <= {"cancelled", "skipped"}


def test_retrying_a_vm_holds_next_until_it_ends(qtbot, scripted):
    w, script = scripted
    page = w.currentPage()
    next_button = w.button(QWizard.WizardButton.CommitButton)
    script.release.set()
    wait(qtbot, w, next_button.isEnabled)
    script.release.clear()
    page.table.selectRow(page.model.names.index("legacy-app01"))
    page.retry_vm.click()
    wait(qtbot, w, lambda: page.model.rows["legacy-app01"]["state"] == "running")
    assert not next_button.isEnabled(), "the run is not over while a retried VM converts"
    script.release.set()
    wait(qtbot, w, next_button.isEnabled)
    assert page.model.rows["legacy-app01"]["state"] == "failed"


def test_a_waiting_vm_cancelled_or_skipped_says_so_at_once(qtbot, scripted):
    w, script = scripted
    page = w.currentPage()
    rows = page.model.rows
    wait(qtbot, w, lambda: sum(r["state"] == "running" for r in rows.values()) == 2)
    waiting = [n for n, r in rows.items() if r["state"] == "queued"]
    page.table.selectRow(page.model.names.index(waiting[0]))
    page.cancel_vm.click()
    page.table.selectRow(page.model.names.index(waiting[1]))
    page.skip_vm.click()
    # no worker is free to reach them, yet the table tells the user what happened
    wait(qtbot, w, lambda: rows[waiting[0]]["state"] == "cancelled" and rows[waiting[1]]["state"] == "skipped")
    page.table.selectRow(page.model.names.index(waiting[0]))
    page.retry_vm.click()  # queued again: it runs once, after the two running VMs
    script.release.set()
    wait(qtbot, w, page.isComplete)
    assert rows[waiting[0]]["state"] == "done" and rows[waiting[1]]["state"] == "skipped"
    assert page.log.toPlainText().count(f"{waiting[0]}: started.") == 1

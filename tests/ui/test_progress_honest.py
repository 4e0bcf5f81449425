"""The Progress and Done pages tell the truth a help-desk person acts on: what was migrated and what was not
(counted apart, with each VM's reason and a way back to retry it), the one required step for a bundle first,
a per-VM bar that only moves forward, a Why dialog with a fix, and a log that can be saved."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from tests.ui.driver import LONG, to_inventory, to_progress, to_target, wait
from wizard.core.errors import TargetError
from wizard.disks.convert import convert
from wizard.ui.models.progress import COL_STAGE
from wizard.ui.window import MigrationWizard

REFUSED = "The share \\\\hv01\\VMs refused to store the disk"
REFUSED_FIX = "Give the migration account write access to \\\\hv01\\VMs"


class FailAll:
    """A stand-in disk converter that fails every VM with a typed error, until ``fail`` is cleared; then it
    converts for real."""

    def __init__(self) -> None:
        self.fail = threading.Event()
        self.fail.set()

    def __call__(self, src, dst_path, options, progress=None, cancel=None, **_kw):  # noqa: ANN001, ANN204
        if self.fail.is_set():
            raise TargetError(REFUSED, fix=REFUSED_FIX)
        return convert(src, dst_path, options, progress, cancel)


def _window(qtbot, converter=None) -> MigrationWizard:  # noqa: ANN001
    w = MigrationWizard(converter=converter)
    qtbot.addWidget(w)
    w.resize(1000, 700)
    w.show()
    return w


@pytest.fixture
def wizards(qtbot):
    made: list[MigrationWizard] = []

    def make(converter=None) -> MigrationWizard:  # noqa: ANN001
        made.append(_window(qtbot, converter))
        return made[-1]

    yield make
    for w in made:
        if w.state.runner is not None:
            w.state.runner.cancel_all()
            w.state.runner.wait(30)


def _run(qtbot, w: MigrationWizard, bundle: Path) -> None:
    to_inventory(qtbot, w)
    to_target(qtbot, w)
    to_progress(qtbot, w, str(bundle))
    wait(qtbot, w, w.currentPage().isComplete, LONG)


def _to_done(qtbot, w: MigrationWizard):  # noqa: ANN202
    w.next()
    assert w.currentId() == w.DONE
    done = w.currentPage()
    wait(qtbot, w, lambda: not done.busy)
    return done


def test_a_run_where_every_vm_failed_says_so_and_can_be_retried_from_done(qtbot, wizards, tmp_path):
    failing = FailAll()
    w = wizards(failing)
    _run(qtbot, w, tmp_path / "bundle")
    page = w.currentPage()
    names = page.model.names
    assert {r["state"] for r in page.model.rows.values()} == {"failed"}
    # the overall bar is not a full bar of success: nothing is migrated and it says so, failures counted apart
    assert page.overall.value() == 0
    assert page.overall.text().startswith(f"0 of {len(names)} VMs migrated")
    assert f"{len(names)} failed" in page.overall_label.text()
    assert "finished" not in page.overall_label.text()
    wait(qtbot, w, page.why.isEnabled)  # the first failed VM is selected when the run ends
    page.why.click()
    dialog = w.error_dialog
    assert dialog.message_label.text() == REFUSED
    assert dialog.fix_label.text() == f"{REFUSED_FIX} Then select the VM and click Retry VM."
    dialog.close()
    w.error_dialog = None  # closed dialogs delete themselves

    done = _to_done(qtbot, w)
    assert done.title() == "No VM was migrated"
    assert done.subTitle().startswith(f"0 of {len(names)} VMs were migrated.")
    assert f"{len(names)} failed" in done.subTitle()
    text = done.checklist.toPlainText()
    assert "Create-VM.ps1" not in text and "Copy each VM folder" not in text, "no bundle to copy"
    assert "What to check on each new VM" not in text, "there is no new VM to check"
    for name in names:  # each VM's reason: the typed error's message and fix
        assert f"{name} — {REFUSED}" in text
    assert text.count(f"What to do: {REFUSED_FIX}") == len(names)
    assert "Errno" not in text

    # the way back: the run is still open, Retry works after Done
    assert done.back_to_run.isVisible() and done.back_to_run.isEnabled()
    done.back_to_run.click()
    assert w.currentId() == w.PROGRESS
    failing.fail.clear()
    page.retry_failed.click()
    wait(qtbot, w, lambda: page.isComplete() and {r["state"] for r in page.model.rows.values()} == {"done"}, LONG)
    assert page.overall.value() == page.overall.maximum()
    assert page.overall.text().startswith(f"{len(names)} of {len(names)} VMs migrated")
    done = _to_done(qtbot, w)
    assert done.title() == "All VMs were migrated"
    assert not done.back_to_run.isVisible()
    assert "Create-VM.ps1" in done.checklist.toPlainText()


def test_a_two_disk_vm_has_one_bar_that_only_moves_forward(qtbot, wizards, tmp_path):
    w = wizards()
    to_inventory(qtbot, w)
    to_target(qtbot, w)
    to_progress(qtbot, w, str(tmp_path / "bundle"))
    page = w.currentPage()
    model = page.model
    row = model.names.index("web01")  # two disks in the demo
    values: list[float] = []
    stages: list[str] = []

    def record(*_args) -> None:  # noqa: ANN002
        values.append(model.rows["web01"]["fraction"])
        stages.append(model.data(model.index(row, COL_STAGE)))

    model.dataChanged.connect(record)
    wait(qtbot, w, page.isComplete, LONG)
    assert model.rows["web01"]["state"] == "done"
    assert len(values) > 4, "the bar was seen moving"
    assert all(b >= a for a, b in zip(values, values[1:], strict=False)), f"the bar went back: {values}"
    assert values[-1] == 1.0
    assert any(s.startswith("disk 2/2 · ") for s in stages), f"the stage names the disk: {set(stages)}"


def test_why_did_it_fail_names_the_path_in_words_and_the_fix(qtbot, wizards, tmp_path):
    """A file where the bundle's VM folder goes: the system's "[Errno 20] Not a directory" becomes what
    failed, where, in words, and what to do; the Done page gives the same reason."""
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "web01.partial").write_text("not a folder")
    w = wizards()
    _run(qtbot, w, bundle)
    page = w.currentPage()
    assert page.model.rows["web01"]["state"] == "failed"
    page.table.selectRow(page.model.names.index("web01"))
    page.why.click()
    dialog = w.error_dialog
    assert dialog is not None and dialog.isVisible()
    message, fix = dialog.message_label.text(), dialog.fix_label.text()
    assert str(bundle / "web01.partial") in message and "a file stands where a folder is expected" in message
    assert "Errno" not in message + fix and "Not a directory" not in message
    assert not dialog.fix_label.isHidden() and "Move or rename that file" in fix and "Retry VM" in fix
    dialog.close()
    w.error_dialog = None  # closed dialogs delete themselves

    done = _to_done(qtbot, w)
    assert done.title() == "Some VMs were not migrated"
    text = done.checklist.toPlainText()
    assert "a file stands where a folder is expected" in text and "Errno" not in text


def test_done_for_a_bundle_starts_with_create_vm_and_lists_each_vms_own_checks(qtbot, wizards, tmp_path):
    w = wizards()
    _run(qtbot, w, tmp_path / "bundle")
    done = _to_done(qtbot, w)
    text = done.checklist.toPlainText()
    first = text.strip().splitlines()[:3]
    assert any("Create-VM.ps1" in line for line in first), f"the required step comes first: {first}"
    readme = next((tmp_path / "bundle").glob("*/README.txt")).read_text(encoding="utf-8-sig")
    commands = [line.strip() for line in readme.splitlines() if "Create-VM.ps1" in line and "-" in line.strip()[:20]]
    assert commands and all(c in text for c in commands), "the exact commands of the bundle's README"
    assert str(tmp_path / "bundle" / "web01") in text, "which folder to copy"
    web01 = text[text.index("web01\n", text.index("What to check")):]
    web01 = web01[:web01.index("Keep the source VM")]
    assert "10.0.10.21/24" in web01 and "gateway 10.0.10.1" in web01, "its static address, to set by hand"
    assert "data disk 2 of 2" in web01 and "online" in web01, "its data disk, to bring online"
    assert done.title() == "All VMs were migrated"


def test_the_last_page_has_finish_only(qtbot, wizards, tmp_path):
    w = wizards()
    _run(qtbot, w, tmp_path / "bundle")
    _to_done(qtbot, w)
    # the migration is over: Finish ends the wizard, and there is nothing left to cancel
    assert w.button(QWizard.WizardButton.FinishButton).isVisible()
    assert not w.button(QWizard.WizardButton.CancelButton).isVisible()


def test_the_log_can_be_saved(qtbot, wizards, tmp_path):
    w = wizards()
    _run(qtbot, w, tmp_path / "bundle")
    page = w.currentPage()
    page.save_log.click()
    dialog = page.save_dialog
    assert dialog is not None and dialog.isVisible()
    target = tmp_path / "migration.txt"
    dialog.selectFile(str(target))
    dialog.accept()
    wait(qtbot, w, target.exists)
    saved = target.read_text(encoding="utf-8")
    assert "web01: started." in saved and "web01: finished." in saved

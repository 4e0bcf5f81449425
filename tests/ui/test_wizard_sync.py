"""The wizard drives *Synchronise, then cut over*: against the vCenter simulator with changed block tracking, a
running VM is chosen with the sync policy on the Template page, synchronised while it runs, synchronised again
after the guest wrote (Sync now), cut over after a confirmation, and the bundle's disk is the source disk's final
state."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pyVmomi import vim

from tests.fixtures.disks import qemu_compare
from tests.fixtures.vcsim import connect_si, start_vcsim
from tests.fixtures.vcsim_vms import Builder, FlatVM, create_flat_vm
from tests.ui.driver import LONG, to_target, wait
from wizard.targets.bundle import DISK_DIR, BundleTarget, bundle_folder_name

pytestmark = pytest.mark.vcsim

MiB = 1024 * 1024
NAME = "wiz-sync"


@pytest.fixture(scope="module")
def sim():
    """A simulator of its own: the cut-over powers the VM off for good."""
    s = start_vcsim()
    yield s, connect_si(s)
    s.stop()


def _running_vm(sim, name: str) -> FlatVM:
    s, si = sim
    vm = create_flat_vm(s, si, name, (64 * MiB,), power_on=True)
    # VMware Tools running in the guest: the cut-over shuts the guest down through them (never a hard power-off)
    Builder(si).reconfig(vm.vm, extraConfig=[vim.option.OptionValue(key="SET.guest.toolsRunningStatus",
                                                                    value="guestToolsRunning")])
    rng = random.Random(name)
    for offset in (0, 5 * MiB + 512, 40 * MiB):
        vm.disks[0].write(offset, rng.randbytes(2 * MiB))
    return vm


def _connect(qtbot, w, s, remember: bool = False) -> None:
    page = w.currentPage()
    page.set_source_text(f"vsphere://{s.user}@{s.host}:{s.port}")
    page.password.setText(s.password)
    page.remember.setChecked(remember)
    w.next()
    qtbot.waitUntil(lambda: page.trust_prompt is not None or w.currentId() == w.INVENTORY, timeout=LONG)
    box = page.trust_prompt
    if box is not None:  # the first time: trust the simulator's certificate
        [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole][0].click()
    wait(qtbot, w, lambda: w.currentId() == w.INVENTORY)


def _to_summary_with_sync(qtbot, w, s, name: str, bundle: Path, remember: bool = False) -> None:
    """Source → one VM → bundle target → the sync policy on the Template page (a long interval: no timed sync
    while the test plays the guest) → the Summary page."""
    _connect(qtbot, w, s, remember)
    w.currentPage().search.setText(name)
    to_target(qtbot, w)
    w.currentPage().folder.setText(str(bundle))
    w.next()
    wait(qtbot, w, lambda: w.currentId() == w.TEMPLATE)
    template = w.currentPage()
    wait(qtbot, w, template.ready)
    assert template.sync_interval.isHidden(), "the interval is only for the sync policy"
    template.source_policy.setCurrentIndex(template.source_policy.findData("sync"))
    assert not template.sync_interval.isHidden()
    template.sync_interval.setValue(600)
    wait(qtbot, w, template.ready)
    assert w.state.plan.items and all(i.source_policy == "sync" for i in w.state.plan.items), "it reaches the plan"
    w.next()
    w.next()
    wait(qtbot, w, w.currentPage().ready)


def _vhdx(w, bundle: Path) -> Path:
    item = w.state.plan.items[0]
    return bundle / bundle_folder_name(item) / DISK_DIR / BundleTarget.disk_file_name(item.target.disks[0])


def _cut_over(panel) -> None:
    """Cut over, answering the question that comes first (nothing is shut down before the answer)."""
    state = {n: st.state for n, st in panel.model.statuses.items()}
    panel.cut_over.click()
    box = panel.cut_prompt
    assert box is not None and "VMware Tools" in box.informativeText() and "stay off" in box.informativeText()
    assert "hvmigrate cannot start these VMs" in box.informativeText(), "a bundle's cut-over starts no VM"
    assert "created and started" not in box.informativeText()
    assert {n: st.state for n, st in panel.model.statuses.items()} == state, "nothing happens before the answer"
    [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole][0].click()


def test_wizard_synchronises_syncs_again_and_cuts_over(qtbot, wizard_window, sim, tmp_path: Path):
    s, _ = sim
    vm = _running_vm(sim, NAME)
    disk = vm.disks[0]
    w = wizard_window
    _to_summary_with_sync(qtbot, w, s, NAME, tmp_path / "bundle")
    summary = w.currentPage()
    assert "synchronised while it runs" in summary.text.toPlainText()
    w.next()
    assert w.currentId() == w.PROGRESS
    progress = w.currentPage()
    panel = progress.sync_panel
    model = panel.model
    assert panel.isVisible() and progress.others.isHidden(), "only synchronised VMs: only their table"

    def row() -> str:
        return model.data(model.index(0, 4))

    wait(qtbot, w, lambda: model.statuses[NAME].state == "synchronised" and model.statuses[NAME].rounds == 1)
    first = row()
    assert first.startswith("synchronised · last sync ") and " changed · next in " in first
    assert first == model.statuses[NAME].line()  # the engine's words, in the window's language
    assert not progress.isComplete(), "a synchronised VM is not migrated until it is cut over"

    rng = random.Random(2)
    disk.write(10 * MiB, rng.randbytes(MiB))  # the guest writes while the VM keeps running
    disk.write(60 * MiB + 4096, rng.randbytes(300 * 1024))
    assert panel.sync_now.isEnabled()
    panel.sync_now.click()
    wait(qtbot, w, lambda: model.statuses[NAME].state == "synchronised" and model.statuses[NAME].rounds == 2)
    second = row()
    assert second != first and second.startswith("synchronised · last sync ")
    assert model.statuses[NAME].last_changed < 8 * MiB, "a delta sync reads what changed, not the disk"

    _cut_over(panel)
    wait(qtbot, w, lambda: model.statuses[NAME].state == "done", LONG * 2)
    assert row().startswith("done · downtime ")
    assert row().endswith(" s (until the import bundle was complete; import and start it on the host)")
    wait(qtbot, w, progress.isComplete)
    assert vm.vm.runtime.powerState == "poweredOff", "the source stays off after the cut-over"
    qemu_compare(disk.flat, _vhdx(w, tmp_path / "bundle"), "raw", "vhdx")
    w.next()
    assert w.currentId() == w.DONE
    assert NAME in w.currentPage().result.text() and "Not migrated" not in w.currentPage().result.text()


def test_closing_while_syncing_keeps_the_sync_and_a_new_wizard_resumes_it(qtbot, wizard_window, sim, tmp_path: Path):
    """What the close question promises: the synchronised disks and the journal stay, and the same choices in a
    new wizard offer to resume, which goes on from the last sync (a delta, not a full copy)."""
    from wizard.ui.window import MigrationWizard

    s, _ = sim
    name = "wiz-sync-resume"
    vm = _running_vm(sim, name)
    disk = vm.disks[0]
    bundle = tmp_path / "bundle"
    w = wizard_window
    _to_summary_with_sync(qtbot, w, s, name, bundle)
    w.next()
    model = w.currentPage().sync_panel.model
    wait(qtbot, w, lambda: model.statuses[name].state == "synchronised")
    w.reject()  # the window's close button
    box = w.close_prompt
    assert box is not None and "continues from the last sync" in box.text()
    [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole][0].click()
    wait(qtbot, w, lambda: not w.isVisible())
    assert model.statuses[name].state == "cancelled"
    assert vm.vm.runtime.powerState == "poweredOn", "stopping the syncs leaves the source running"

    disk.write(20 * MiB, random.Random(3).randbytes(MiB))  # the guest goes on writing meanwhile
    again = MigrationWizard()
    qtbot.addWidget(again)
    again.show()
    try:
        _to_summary_with_sync(qtbot, again, s, name, bundle)
        summary = again.currentPage()
        again.next()  # Start: the earlier sync of these VMs into this folder is offered for resuming
        wait(qtbot, again, lambda: summary.interrupted_prompt is not None)
        box = summary.interrupted_prompt
        [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole][0].click()
        wait(qtbot, again, lambda: again.currentId() == again.PROGRESS)
        panel = again.currentPage().sync_panel
        resumed = panel.model
        wait(qtbot, again, lambda: resumed.statuses[name].state == "synchronised")
        status = resumed.statuses[name]
        assert status.rounds == 2 and status.last_changed < 8 * MiB, "resumed from the last sync, no full copy"
        _cut_over(panel)
        wait(qtbot, again, lambda: resumed.statuses[name].state == "done", LONG * 2)
        qemu_compare(disk.flat, _vhdx(again, bundle), "raw", "vhdx")
    finally:
        if again.state.sync_runner is not None:
            again.state.sync_runner.cancel_all()
            again.state.sync_runner.wait(30)


def test_an_interrupted_sync_is_offered_at_start_and_resume_goes_on_syncing(qtbot, wizard_window, sim,
                                                                          tmp_path: Path):
    """A wizard closed while its VMs synchronise: the next wizard offers the sync at start (as a sync, not a
    migration), and Resume goes to the Progress page, where the VMs go on from the last sync."""
    from wizard.app.migration import interrupted_runs
    from wizard.ui.window import MigrationWizard

    s, _ = sim
    name = "wiz-sync-offer"
    vm = _running_vm(sim, name)
    w = wizard_window
    _to_summary_with_sync(qtbot, w, s, name, tmp_path / "bundle", remember=True)
    w.next()
    model = w.currentPage().sync_panel.model
    wait(qtbot, w, lambda: model.statuses[name].state == "synchronised")
    w.reject()
    box = w.close_prompt
    [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole][0].click()
    wait(qtbot, w, lambda: not w.isVisible())
    [ours] = [r for r in interrupted_runs() if [i.target.name for i in r.plan.items] == [name]]
    for other in interrupted_runs():  # runs other tests left: the offer names the newest only
        if other.record != ours.record:
            other.forget()

    vm.disks[0].write(20 * MiB, random.Random(4).randbytes(MiB))
    again = MigrationWizard(offer_resume=True)
    qtbot.addWidget(again)
    again.show()
    try:
        wait(qtbot, again, lambda: again.resume_prompt is not None)
        box = again.resume_prompt
        assert "A synchronisation to" in box.text() and "0 of 1 VMs were cut over" in box.text()
        assert "from the last sync" in box.informativeText()
        [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole][0].click()
        wait(qtbot, again, lambda: again.currentId() == again.PROGRESS)
        panel = again.currentPage().sync_panel
        assert panel.isVisible()
        resumed = panel.model
        wait(qtbot, again, lambda: name in resumed.statuses and resumed.statuses[name].state == "synchronised")
        status = resumed.statuses[name]
        assert status.rounds == 2 and status.last_changed < 8 * MiB, "resumed from the last sync, no full copy"
        assert vm.vm.runtime.powerState == "poweredOn", "resuming a sync does not cut it over"
    finally:
        if again.state.sync_runner is not None:
            again.state.sync_runner.cancel_all()
            again.state.sync_runner.wait(30)

"""End to end: the demo source through every page to a real offline bundle, as a user clicks it."""

from __future__ import annotations

import json

from tests.ui.driver import LONG, to_compatibility, to_inventory, to_progress, to_target, wait


def test_demo_to_done_writes_a_bundle(qtbot, wizard_window, tmp_path):
    w = wizard_window
    bundle = tmp_path / "bundle"
    to_inventory(qtbot, w)
    inventory = w.currentPage()
    assert inventory.model.rowCount() >= 3
    to_target(qtbot, w)
    to_progress(qtbot, w, str(bundle))
    progress = w.currentPage()
    wait(qtbot, w, progress.isComplete, LONG * 2)
    assert set(w.state.runner.states.values()) == {"done"}
    w.next()
    assert w.currentId() == w.DONE
    done = w.currentPage()
    wait(qtbot, w, lambda: not done.busy)
    migrated = [item.target.name for item in w.state.plan.items]
    for name in migrated:
        assert name in done.result.text()
    from wizard.targets.bundle import check_bundle

    manifests = sorted(bundle.rglob("manifest.json"))
    assert len(manifests) == len(migrated), "one VM folder with a manifest per migrated VM"
    for manifest in manifests:
        assert check_bundle(manifest.parent) == []
        assert json.loads(manifest.read_text())
    assert len(list(bundle.rglob("*.vhdx"))) >= len(migrated)
    report = (bundle / "hvmigrate-report.html").read_text(encoding="utf-8")
    assert all(name in report for name in migrated)
    blocked = [a.vm.name for a in w.state.assessments.values() if a.blocked]
    assert all(name in report for name in blocked), "VMs left out are in the report too"
    assert w.settings.value("sources/recent") in (["demo"], "demo")
    # the migration ran on the command line's engine: journalled, so a crash could have been resumed
    [journal] = bundle.glob(".hvmigrate-journal-*.jsonl")
    finished = [json.loads(line) for line in journal.read_text().splitlines() if '"vm_done"' in line]
    assert len(finished) == len(migrated)
    from wizard.app.migration import interrupted_runs

    assert interrupted_runs() == [], "nothing is left to resume after a run that finished"


def test_blocked_vm_keeps_next_disabled_until_unticked(qtbot, wizard_window):
    w = wizard_window
    to_inventory(qtbot, w)
    compat = to_compatibility(qtbot, w)
    blocked = [vid for vid in w.state.selected if w.state.assessments[vid].blocked]
    assert blocked, "the demo has a blocked VM"
    assert not compat.isComplete()
    from PySide6.QtCore import Qt

    for i in range(compat.vms.topLevelItemCount()):
        item = compat.vms.topLevelItem(i)
        if item.data(0, Qt.ItemDataRole.UserRole) in blocked:
            item.setCheckState(0, Qt.CheckState.Unchecked)
    assert compat.isComplete()

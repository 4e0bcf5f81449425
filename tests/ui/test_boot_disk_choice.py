"""The boot disk is shown and changeable in the wizard: the Compatibility page's boot-disk finding offers every
disk by label, place and size, and the choice reaches the plan exactly as ``--set-vm VM disk.N.boot=true``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from tests.ui.driver import to_compatibility, to_inventory, untick_blocked, wait

ROOT = Path(__file__).resolve().parents[2]


def _select(tree, data) -> None:  # noqa: ANN001
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        value = item.data(0, Qt.ItemDataRole.UserRole)
        if data(value):
            tree.setCurrentItem(item)
            return
    raise AssertionError("not listed")


def test_choosing_another_boot_disk_on_the_compatibility_page(qtbot, wizard_window, tmp_path):
    w = wizard_window
    to_inventory(qtbot, w)
    compat = to_compatibility(qtbot, w)
    _select(compat.vms, lambda vm_id: w.state.assessments[vm_id].vm.name == "web01")
    _select(compat.findings, lambda f: f.code == "BOOT-DISK")
    combo = compat.choices_box.findChild(QComboBox)
    assert combo is not None and compat.choices_box.isVisibleTo(compat)
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert texts == ["Hard disk 1, pvscsi 0:0, 48.0 MiB", "Hard disk 2, pvscsi 0:1, 16.0 MiB"], "disks, not numbers"
    combo.setCurrentIndex(1)
    wait(qtbot, w, lambda: not compat.busy)
    web01 = next(a for a in w.state.assessments.values() if a.vm.name == "web01")
    assert [d.boot for d in web01.spec.disks] == [False, True]

    untick_blocked(w)
    w.next()
    w.currentPage().folder.setText(str(tmp_path / "bundle"))
    w.next()
    wait(qtbot, w, lambda: w.currentId() == w.TEMPLATE and w.currentPage().ready())
    item = next(i for i in w.state.plan.items if i.vm.name == "web01")
    assert [d.boot for d in item.target.disks] == [False, True], "the plan starts web01 from the chosen disk"
    proc = subprocess.run([sys.executable, "-m", "wizard", "plan", "demo", "--vm", "web01",
                           "--set-vm", "web01", "disk.1.boot=true", "-o", str(tmp_path / "cli.json")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    cli = json.loads((tmp_path / "cli.json").read_text())["items"][0]["target"]["disks"]
    assert [d["boot"] for d in cli] == [False, True]

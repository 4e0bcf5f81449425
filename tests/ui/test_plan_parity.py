"""The plan the wizard runs is the plan ``hvmigrate plan`` writes for the same answers: one plan builder for
both front ends (no second pass over the plan in the wizard)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QSpinBox

from tests.ui.driver import to_inventory, to_target, wait

ROOT = Path(__file__).resolve().parents[2]
STAMPS = ("created_at", "created_by")


def _hvmigrate(*args: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "wizard", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]


def _plan(path: Path) -> dict:
    doc = json.loads(path.read_text(encoding="utf-8"))
    for stamp in STAMPS:
        doc.pop(stamp, None)
    return doc


def _planned_networks(tmp_path: Path) -> list[str]:
    """The source networks of the VMs the default plan takes (every VM that is not blocked)."""
    _hvmigrate("plan", "demo", "-o", str(tmp_path / "first.json"))
    doc = json.loads((tmp_path / "first.json").read_text(encoding="utf-8"))
    return sorted({nic["network"] for item in doc["items"] for nic in item["vm"]["nics"]})


def test_the_screenshot_walk_writes_the_plan_the_cli_writes(tmp_path, temp_settings):
    """Wizard defaults: every VM that is not blocked, the automatic template, each network to the switch of
    the same name (a bundle has no switches to offer), MACs and IPs as the engine decides."""
    shots = tmp_path / "shots"
    _hvmigrate("gui", "--demo", "--screenshots", str(shots))
    maps = [f"--map-network={net}={net}" for net in _planned_networks(tmp_path)]
    _hvmigrate("plan", "demo", *maps, "-o", str(tmp_path / "cli.json"))
    wizard_plan = _plan(shots / "plan.json")
    assert wizard_plan == _plan(tmp_path / "cli.json")
    macs = [nic["static_mac"] for item in wizard_plan["items"] for nic in item["target"]["nics"]]
    assert macs and not any(macs), "VMware-assigned MACs are not pinned (the demo sets none by hand)"


def test_non_default_answers_give_the_plan_of_the_matching_flags(qtbot, wizard_window, tmp_path):
    w = wizard_window
    to_inventory(qtbot, w)
    to_target(qtbot, w)
    w.currentPage().folder.setText(str(tmp_path / "bundle"))
    w.next()
    wait(qtbot, w, lambda: w.currentId() == w.TEMPLATE and w.currentPage().ready())
    template = w.currentPage()
    template.dynamic.setChecked(True)  # every ticked VM
    template.scope.setCurrentIndex(template.scope.findData("web01"))
    template.cpus.setValue(3)  # web01 only
    wait(qtbot, w, template.ready)
    w.next()
    assert w.currentId() == w.NETWORKS
    networks = w.currentPage()
    names = [networks.table.item(row, 0).data(256) for row in range(networks.table.rowCount())]
    first = names.index("VM Network")
    switch: QComboBox = networks.table.cellWidget(first, 2)
    switch.setEditText("LAN")
    vlan: QSpinBox = networks.table.cellWidget(first, 3)
    vlan.setValue(12)
    networks.keep_mac.setCurrentIndex(networks.keep_mac.findData("all"))
    networks.reapply.setChecked(False)
    w.next()
    summary = w.currentPage()
    wait(qtbot, w, summary.ready)
    summary.save_plan(str(tmp_path / "wizard.json"))
    wait(qtbot, w, lambda: not summary.busy and bool(w.state.plan_path))

    maps = [f"--map-network={net}=LAN:12" if net == "VM Network" else f"--map-network={net}={net}"
            for net in sorted(names)]
    _hvmigrate("plan", "demo", *maps, "--set", "memory.dynamic=true", "--set-vm", "web01", "cpus=3",
               "--set", "nic.static_mac=true", "--set", "fixups.reapply_static_ips=false",
               "-o", str(tmp_path / "cli.json"))
    wizard_plan = _plan(tmp_path / "wizard.json")
    assert wizard_plan == _plan(tmp_path / "cli.json")
    items = {item["target"]["name"]: item["target"] for item in wizard_plan["items"]}
    assert items["web01"]["cpus"] == 3 and all(t["memory"]["dynamic"] for t in items.values())
    assert all(nic["static_mac"] for t in items.values() for nic in t["nics"]), "every MAC kept, as chosen"
    assert not any(t["fixups"]["reapply_static_ips"] for t in items.values())

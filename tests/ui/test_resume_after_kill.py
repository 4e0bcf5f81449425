"""A wizard migration survives kill -9: started again, the wizard offers to resume it, finished VMs and disks
are kept as they are, the half-converted disk goes on from its last checkpoint, and every disk ends identical
to its source with nothing half-made left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from tests.fixtures.disks import qemu_compare
from tests.ui.driver import LONG, wait
from wizard.app.migration import interrupted_runs
from wizard.sources.demo import DemoSource

ROOT = Path(__file__).resolve().parents[2]
HELD_VM, HELD_DISK = "ubuntu-web", 0  # a Linux disk: 1 MiB VHDX blocks, so a checkpoint can be resumed


def _records(journal: Path) -> list[dict]:
    """The journal's complete lines (a line being written may be cut)."""
    out = []
    for line in journal.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            break
    return out


def _plan_ids() -> dict[str, str]:
    """Target VM name -> source VM id, from the run record the wizard wrote when it started."""
    [record] = list((Path(os.environ["HVMIGRATE_STATE_DIR"]) / "runs").glob("*.json"))
    plan = json.loads(record.read_text(encoding="utf-8"))["plan"]
    return {item["target"]["name"]: item["vm"]["id"] for item in plan["items"]}


def _finished_disks(bundle: Path) -> dict[Path, tuple[int, int]]:
    """Each VHDX in a finished VM folder, with what a rewrite would change (inode, mtime)."""
    return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in bundle.rglob("*.vhdx")
            if not any(part.endswith(".partial") for part in p.relative_to(bundle).parts)}


def test_kill_9_in_the_middle_of_a_disk_then_resume_in_the_wizard(qtbot, qapp, tmp_path, monkeypatch):
    from wizard.ui import i18n
    from wizard.ui.window import MigrationWizard

    bundle = tmp_path / "bundle"
    monkeypatch.setenv("HVMIGRATE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HVMIGRATE_CHECKPOINT_MIB", "1")
    child = subprocess.Popen([sys.executable, "-m", "tests.ui.resume_child", str(bundle), HELD_VM, str(HELD_DISK)],
                             cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        def held_with_the_rest_done() -> bool:
            assert child.poll() is None, child.stderr.read().decode()[-3000:] if child.stderr else ""
            journals = list(bundle.glob(".hvmigrate-journal-*.jsonl"))
            if not journals or not list((Path(os.environ["HVMIGRATE_STATE_DIR"]) / "runs").glob("*.json")):
                return False
            ids = _plan_ids()
            records = _records(journals[0])
            done = {r["vm"] for r in records if r["event"] == "vm_done"}
            progress = [r["offset"] for r in records if r["event"] == "disk_progress"
                        and r["vm"] == ids[HELD_VM] and r["disk"] == HELD_DISK]
            return done == set(ids.values()) - {ids[HELD_VM]} and bool(progress) and max(progress) >= 8 << 20

        qtbot.waitUntil(held_with_the_rest_done, timeout=LONG)
    finally:
        child.kill()  # SIGKILL: no clean-up of any kind
        child.wait()
    [journal] = bundle.glob(".hvmigrate-journal-*.jsonl")
    ids = _plan_ids()
    before = _records(journal)
    killed_at = max(r["offset"] for r in before if r["event"] == "disk_progress" and r["vm"] == ids[HELD_VM])
    finished = _finished_disks(bundle)
    assert finished and list(bundle.rglob("*.partial")), "killed with VMs done and one half made"

    i18n.install(qapp, "en")
    w = MigrationWizard(offer_resume=True)
    qtbot.addWidget(w)
    w.show()
    wait(qtbot, w, lambda: w.resume_prompt is not None)
    box = w.resume_prompt
    assert f"{len(ids) - 1} of {len(ids)} VMs were migrated" in box.text()
    [resume] = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole]
    resume.click()
    wait(qtbot, w, lambda: w.currentId() == w.PROGRESS)
    progress = w.currentPage()
    wait(qtbot, w, progress.isComplete, LONG)
    assert set(w.state.runner.states.values()) == {"done"}
    w.next()
    done_page = w.currentPage()
    wait(qtbot, w, lambda: w.currentId() == w.DONE and not done_page.busy)

    assert _finished_disks(bundle).items() >= finished.items(), "the disks finished before the kill were kept"
    assert not list(bundle.rglob("*.partial")), "nothing half-made is left"
    after = _records(journal)[len(before):]
    resumed = [r["offset"] for r in after if r["event"] == "disk_progress" and r["vm"] == ids[HELD_VM]
               and r["disk"] == HELD_DISK]
    assert resumed and min(resumed) >= killed_at, "the disk went on from its last checkpoint, not from its start"
    demo = DemoSource(tmp_path / "cache" / "demo")
    vms = {vm.name: vm for vm in demo.discover().vms}
    compared = 0
    for name in ids:
        for index in range(len(vms[name].disks)):
            [out] = bundle.rglob(f"{name}-disk{index}.vhdx")
            qemu_compare(demo.disk_file(vms[name], index), out)
            compared += 1
    assert compared > len(ids)
    assert interrupted_runs() == [], "a finished migration is not offered again"

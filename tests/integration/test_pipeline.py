"""The pipeline: several VMs at once, one cancelled mid-transfer, the others unaffected."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_compare
from tests.integration.vmfolders import make_vm
from wizard.compat.engine import build_plan
from wizard.migrate.run import MigrationRun, RunOptions
from wizard.sources.registry import open_source
from wizard.targets.bundle import BundleTarget


@pytest.fixture
def three_vms(tmp_path: Path) -> Path:
    root = tmp_path / "vms"
    make_vm(root, "alpha", [8], seed=1)
    make_vm(root, "bravo", [96], seed=2)  # three 32 MiB chunks: room to cancel mid-transfer
    make_vm(root, "charlie", [8, 4], seed=3)
    return root


def test_cancel_one_vm_mid_transfer_the_others_finish(three_vms: Path, tmp_path: Path):
    source = open_source(str(three_vms))
    plan = build_plan(source.discover())
    assert sorted(i.target.name for i in plan.items) == ["alpha", "bravo", "charlie"]
    out = tmp_path / "bundle"
    events = []
    run: MigrationRun | None = None

    def sink(event):
        events.append(event)
        if event.vm == "bravo" and event.stage == "convert" and 0 < event.done < event.total:
            run.cancel_vm("bravo")

    run = MigrationRun(plan, source, BundleTarget(out), RunOptions(parallel=2, journal_path=out / ".journal"),
                       sink=sink)
    outcomes = {o.name: o.status for o in run.run()}
    assert outcomes == {"alpha": "done", "bravo": "cancelled", "charlie": "done"}
    assert not any(p.name.startswith("bravo") for p in out.iterdir()), "nothing of the cancelled VM may remain"
    for name, disks in (("alpha", 1), ("charlie", 2)):
        vm = next(i.vm for i in plan.items if i.vm.name == name)
        for index in range(disks):
            vhdx = out / name / "Virtual Hard Disks" / f"{name}-disk{index}.vhdx"
            qemu_compare(Path(vm.disks[index].path), vhdx)
    states = [e.message for e in events if e.stage == "state" and e.vm == "bravo"]
    assert states[-1] == "cancelled"


def test_a_failing_vm_does_not_stop_the_others_and_can_be_retried(three_vms: Path, tmp_path: Path):
    source = open_source(str(three_vms))
    plan = build_plan(source.discover())
    broken = next(i for i in plan.items if i.target.name == "alpha")
    real_path = broken.vm.disks[0].path
    broken.vm.disks[0].path = str(tmp_path / "vanished.vmdk")
    journal = tmp_path / "b" / ".journal"
    run = MigrationRun(plan, source, BundleTarget(tmp_path / "b"), RunOptions(parallel=2, journal_path=journal))
    run.start()
    outcomes = {o.name: o for o in run.wait()}
    assert outcomes["alpha"].status == "failed" and not run.busy
    assert "vanished.vmdk" in outcomes["alpha"].error.message
    assert outcomes["bravo"].status == outcomes["charlie"].status == "done"
    assert not (tmp_path / "b" / "alpha").exists() and not (tmp_path / "b" / "alpha.partial").exists()

    # the run has gone idle; the user fixes the cause and retries the VM in the same run (the wizard's Retry)
    broken.vm.disks[0].path = real_path
    run.retry("alpha")
    assert {o.name: o.status for o in run.wait()} == {"alpha": "done", "bravo": "done", "charlie": "done"}
    run.close()
    events = [line for line in journal.read_text().splitlines() if '"vm_' in line]
    assert sum('"vm_done"' in e for e in events) == 3 and any('"vm_reset"' in e for e in events)
    with pytest.raises(RuntimeError):
        run.retry("alpha")  # a closed run takes no more work

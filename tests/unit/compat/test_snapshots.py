"""Source state rules: snapshots, hibernation, suspend, power, templates, hot-add."""

from __future__ import annotations

from tests.unit.compat.vms import codes, finding, make_vm, one
from wizard.core.findings import Severity
from wizard.core.inventory import PowerState, Snapshot


def test_snapshots_are_read_through_not_carried_over():
    f = finding(one(make_vm(snapshots=[Snapshot(id="1"), Snapshot(id="2", parent="1")])), "SNAPSHOT-CHAIN")
    assert "2 snapshots" in f.message and f.severity is Severity.WARNING
    assert "SNAPSHOT-CHAIN" not in codes(make_vm())


def test_a_snapshot_left_by_an_interrupted_migration_is_pointed_out():
    vm = make_vm(snapshots=[Snapshot(id="1", name="before patching"), Snapshot(id="2", name="hvmigrate copy")])
    f = finding(one(vm), "SNAPSHOT-CHAIN")
    assert "did not finish" in f.message and 'Delete the snapshot "hvmigrate copy"' in f.fix
    plain = finding(one(make_vm(snapshots=[Snapshot(id="1", name="before patching")])), "SNAPSHOT-CHAIN")
    assert "hvmigrate" not in plain.message + plain.fix


def test_orphaned_delta_disks_ask_for_consolidation():
    vm = make_vm()
    vm.disks[0].chain = ["web01.vmdk", "web01-000001.vmdk"]
    assert "Consolidate" in finding(one(vm), "SNAPSHOT-CHAIN").fix


def test_hibernated_guest_is_blocked():
    assert finding(one(make_vm(hibernated=True)), "HIBERNATED").severity is Severity.BLOCKER
    assert "HIBERNATED" not in codes(make_vm(hibernated=False))
    assert "HIBERNATED" not in codes(make_vm(hibernated=None))


def test_suspended_vm_warns_and_running_vm_is_info():
    assert "VM-SUSPENDED" in codes(make_vm(power_state=PowerState.SUSPENDED))
    assert finding(one(make_vm(power_state=PowerState.ON)), "VM-POWERED-ON").severity is Severity.INFO
    c = codes(make_vm(power_state=PowerState.OFF))
    assert not c & {"VM-SUSPENDED", "VM-POWERED-ON"}


def test_vsphere_template_is_noted():
    assert "VM-TEMPLATE" in codes(make_vm(template=True))
    assert "VM-TEMPLATE" not in codes(make_vm())


def test_hot_add_explains_what_hyper_v_can_do():
    assert "virtual processors" in finding(one(make_vm(cpu_hot_add=True)), "HOTADD").message
    assert "dynamic memory" in finding(one(make_vm(memory_hot_add=True)), "HOTADD").message
    assert "HOTADD" not in codes(make_vm())


def test_inaccessible_or_configless_vsphere_vm_is_blocked():
    from tests.unit.compat.vms import codes, finding, make_vm, one
    from wizard.core.findings import Severity

    orphan = make_vm()
    orphan.extra["vsphere.connectionState"] = "orphaned"
    assert finding(one(orphan), "VM-INACCESSIBLE").severity is Severity.BLOCKER
    blank = make_vm()
    blank.extra["vsphere.missing"] = "config, guest"
    assert "VM-INACCESSIBLE" in codes(blank)
    assert "VM-INACCESSIBLE" not in codes(make_vm())


def test_a_name_two_vms_share_must_be_given_as_an_id():
    import pytest

    from tests.unit.compat.vms import make_vm
    from wizard.compat.engine import build_plan
    from wizard.core.errors import PlanError
    from wizard.core.inventory import Inventory

    a, b = make_vm("web"), make_vm("web")
    a.id, b.id = "vm-1", "vm-2"
    inv = Inventory(vms=[a, b])
    with pytest.raises(PlanError, match="vm-1, vm-2"):
        build_plan(inv, ["web"])
    assert [i.vm.id for i in build_plan(inv, ["vm-2"]).items] == ["vm-2"]

"""Network rules: legacy adapters, switch mapping, VLANs, drivers, static IPs and MACs."""

from __future__ import annotations

from tests.unit.compat.vms import codes, finding, make_vm, one
from wizard.compat.engine import build_plan, validate_plan
from wizard.core.findings import Severity
from wizard.core.inventory import Controller, Firmware, GuestIP, Inventory


def test_windows_2003_on_gen1_gets_legacy_adapters():
    a = one(make_vm(guest="winNetStandardGuest", firmware=Firmware.BIOS))
    assert a.spec.nics[0].legacy and finding(a, "NIC-LEGACY").adjusted
    assert not one(make_vm(firmware=Firmware.BIOS)).spec.nics[0].legacy
    assert "NIC-LEGACY" not in codes(make_vm(firmware=Firmware.BIOS))


def test_legacy_adapter_on_gen2_plan_is_a_blocker():
    plan = build_plan(Inventory(vms=[make_vm()]))
    plan.items[0].target.nics[0].legacy = True
    assert any(f.code == "NIC-LEGACY" and f.severity is Severity.BLOCKER for f in validate_plan(plan))


def test_unmapped_network_is_reported_and_mapped_one_is_not():
    vm = make_vm()
    assert "VM Network" in finding(one(vm), "NIC-UNMAPPED").message
    a = one(vm, network_map={"VM Network": ("External", 12)})
    assert (a.spec.nics[0].switch, a.spec.nics[0].vlan_id) == ("External", 12)
    assert "NIC-UNMAPPED" not in {f.code for f in a.findings}
    assert one(vm, network_map={"*": "Default"}).spec.nics[0].switch == "Default"


def test_source_vlan_not_carried_is_pointed_out():
    vm = make_vm()
    vm.nics[0].vlan = 30
    f = finding(one(vm, network_map={"VM Network": "Trunk"}), "NIC-VLAN")
    assert "30" in f.message and "Trunk:30" in f.fix
    assert "NIC-VLAN" not in codes(vm, network_map={"VM Network": ("Trunk", 30)})


def test_vmware_paravirtual_drivers_are_explained():
    vm = make_vm()
    vm.nics[0].model = "vmxnet3"
    assert "VMXNET3" in finding(one(vm), "NIC-DRIVER").message
    vm2 = make_vm(guest="ubuntu64Guest")
    vm2.disks[0].controller = Controller.PVSCSI
    assert "vmw_pvscsi" in finding(one(vm2), "NIC-DRIVER").fix
    assert "NIC-DRIVER" not in codes(make_vm())


def test_static_ips_are_captured_for_reapply_but_never_claimed_done():
    """The plan asks the fix-ups to re-apply them, but whether they run is decided by the run (a Hyper-V host,
    the guest's password): the finding says to set them by hand, never "done automatically"."""
    vm = make_vm(guest_ips=[GuestIP(address="10.0.0.5", prefix_length=24, origin="manual")])
    a = one(vm)
    f = finding(a, "STATIC-IP-LOST")
    assert "10.0.0.5/24" in f.message and a.spec.fixups.reapply_static_ips and not f.adjusted
    assert f.fix.startswith("Set these addresses")
    assert "STATIC-IP-LOST" not in codes(make_vm(guest_ips=[GuestIP(address="10.0.0.9", origin="dhcp")]))


def test_manual_mac_is_kept_and_generated_one_is_not():
    vm = make_vm()
    vm.nics[0].mac_type = "manual"
    a = one(vm)
    assert a.spec.nics[0].static_mac == "00:50:56:00:00:00" and "NIC-MAC-STATIC" in {f.code for f in a.findings}
    a = one(make_vm())
    assert a.spec.nics[0].static_mac == "" and "NIC-MAC-STATIC" not in {f.code for f in a.findings}
    assert one(make_vm(), overrides=["nic.static_mac=true"]).spec.nics[0].static_mac == "00:50:56:00:00:00"


def test_adapters_with_the_same_label_get_distinct_names():
    vm = make_vm(nics=3)
    for n in vm.nics:
        n.label = "ethernet"
    assert [n.name for n in one(vm).spec.nics] == ["Network Adapter 1", "Network Adapter 2", "Network Adapter 3"]
    assert one(make_vm(nics=2)).spec.nics[1].name == "Network adapter 2"

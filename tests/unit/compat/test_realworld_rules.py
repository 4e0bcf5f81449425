"""Rules the real-world corpus asked for (issue 14): boot disk, firmware, formats the copy cannot read, memory
below Hyper-V's minimum, MAC addresses Hyper-V refuses, devices that were dropped silently, OVF packages."""

from __future__ import annotations

import pytest

from tests.unit.compat.vms import GiB, codes, finding, make_vm, one
from wizard.compat.buildable import build_problems
from wizard.compat.engine import assess
from wizard.core.errors import PlanError
from wizard.core.findings import Severity
from wizard.core.inventory import (
    Backing,
    Controller,
    DeploymentOption,
    Device,
    DeviceKind,
    Disk,
    Firmware,
    Nic,
)
from wizard.core.plan import PlanItem, TargetController


def _two_disks(firmware: Firmware = Firmware.EFI, **kw):
    """The issue's ESXi case: the 40 GiB system disk on scsi0:0, a 10 GiB data disk on sata0:3 (listed first)."""
    vm = make_vm(firmware=firmware, **kw)
    vm.disks = [Disk(label="sata0:3", key="sata0:3", controller=Controller.SATA, unit=3, capacity_bytes=10 * GiB),
                Disk(label="scsi0:0", key="scsi0:0", controller=Controller.PVSCSI, unit=0, capacity_bytes=40 * GiB)]
    return vm


def _boot(a) -> str:
    return next(a.vm.disks[d.source_index].label for d in a.spec.disks if d.boot)


def test_without_disk_content_the_scsi_disk_boots_and_the_finding_says_it_is_a_guess():
    a = one(_two_disks())
    assert _boot(a) == "scsi0:0"
    f = finding(a, "BOOT-DISK")
    assert f.severity is Severity.WARNING and "controller order" in f.message and "guess" in f.message
    assert f.choices[0].key == "disk.boot" and f.choices[0].selected == "1"
    assert "BOOT-DISK" not in codes(make_vm())  # one disk: nothing to choose


def test_disk_content_decides_before_controller_order():
    vm = _two_disks()
    vm.disks[0].content = "gpt-esp"  # the SATA disk holds the EFI system partition
    vm.disks[1].content = "gpt"
    a = one(vm)
    assert _boot(a) == "sata0:3"
    f = finding(a, "BOOT-DISK")
    assert f.severity is Severity.INFO and "EFI system partition" in f.message


def test_bios_boot_code_and_active_partition_decide_on_bios():
    vm = _two_disks(Firmware.BIOS)
    vm.disks[0].content, vm.disks[1].content = "mbr-boot", "mbr"
    a = one(vm)
    assert _boot(a) == "sata0:3"
    assert a.spec.disks[0].controller is TargetController.IDE and (a.spec.disks[0].controller_number,
                                                                  a.spec.disks[0].location) == (0, 0)


def test_the_vms_own_boot_order_decides_when_content_says_nothing():
    vm = _two_disks(boot_order=["sata0:3"])
    a = one(vm)
    assert _boot(a) == "sata0:3" and "boot order" in finding(a, "BOOT-DISK").message


def test_the_user_chooses_another_boot_disk_and_the_plan_places_it_first():
    a = one(_two_disks(), overrides={"disk.0.boot": "true"})
    assert _boot(a) == "sata0:3"
    assert [d.source_index for d in a.spec.disks if d.controller_number == 0 and d.location == 0] == [0]
    assert "You chose sata0:3" in finding(a, "BOOT-DISK").message
    with pytest.raises(PlanError):
        assess([_two_disks()], per_vm={"vm-web01": {"disk.0.boot": "false"}})


def test_a_gpt_disk_without_bios_boot_partition_on_bios_firmware_is_reported():
    vm = _two_disks(Firmware.BIOS)
    vm.disks[1].content = "gpt-esp"  # a UEFI-installed disk in a VM set to BIOS
    f = finding(one(vm), "BOOT-FIRMWARE")
    assert "UEFI (Generation 2) firmware starts" in f.message and "BIOS (Generation 1)" in f.message
    ok = _two_disks(Firmware.EFI)
    ok.disks[1].content = "gpt-esp"
    assert "BOOT-FIRMWARE" not in codes(ok)


def test_esxi_snapshot_deltas_and_vdi_chains_block_as_migrate_would_refuse_them():
    for backing in (Backing.SESPARSE, Backing.VMFS_SPARSE):
        vm = make_vm()
        vm.disks[0].backing = backing
        assert one(vm).blocked and "DISK-FORMAT" in codes(vm)
    vdi = make_vm()
    vdi.disks[0].file_format, vdi.disks[0].chain = "vdi", ["a.vdi", "b.vdi"]
    assert "DISK-FORMAT" in codes(vdi)
    assert "DISK-FORMAT" not in codes(make_vm())


def test_memory_below_hyperv_minimum_is_planned_at_the_minimum():
    a = one(make_vm(memory_mb=4))
    assert a.spec.memory.startup_mb == 32 and finding(a, "MEM-MIN").adjusted and not a.blocked
    assert "MEM-MIN" not in codes(make_vm())


def test_what_migrate_would_refuse_is_a_blocker_in_assess():
    """A VM whose name cannot be a folder, given a VM path: assess said READY, the target refused it."""
    vm = make_vm("web:01")
    a = one(vm, overrides={"path": "D:\\VMs"})
    assert a.blocked and "cannot be a folder name" in finding(a, "PLAN-UNBUILDABLE").message
    assert build_problems(PlanItem(vm=vm, target=a.spec))  # the very check the targets run
    assert "PLAN-UNBUILDABLE" not in codes(make_vm("web:01"))


@pytest.mark.parametrize("mac", ["00:00:00:00:00:00", "01:00:5e:00:00:01"])
def test_zero_and_multicast_static_macs_become_dynamic(mac):
    vm = make_vm()
    vm.nics[0].mac, vm.nics[0].mac_type = mac, "manual"
    a = one(vm)
    assert a.spec.nics[0].static_mac == "" and finding(a, "NIC-MAC-INVALID").adjusted
    good = make_vm()
    good.nics[0].mac_type = "manual"
    assert "NIC-MAC-INVALID" not in codes(good) and one(good).spec.nics[0].static_mac


def test_nvdimm_3d_and_nested_virtualization_each_get_a_finding():
    vm = make_vm(devices=[Device(DeviceKind.NVDIMM, "NVDIMM (nvdimm0:0)", "vm_1.vmdk", True, "16384 MB"),
                          Device(DeviceKind.GPU_3D, "3D acceleration", "svga", True)],
                 nested_virtualization=True)
    a = one(vm)
    assert "is not copied" in finding(a, "DEV-NVDIMM").message
    assert finding(a, "DEV-3D").adjusted
    assert a.spec.expose_virtualization_extensions and finding(a, "NESTED-VIRT").adjusted
    assert not {"DEV-NVDIMM", "DEV-3D", "NESTED-VIRT"} & codes(make_vm())


def test_a_network_serial_port_is_named_a_console():
    vm = make_vm(devices=[Device(DeviceKind.SERIAL, "Serial port 1", "network", True, "telnet://:23")])
    assert "network console" in finding(one(vm), "DEV-SERIAL").message


def test_a_second_floppy_drive_is_left_out_on_generation_1():
    vm = make_vm(firmware=Firmware.BIOS, devices=[Device(DeviceKind.FLOPPY, "Floppy drive 1"),
                                                  Device(DeviceKind.FLOPPY, "Floppy drive 2")])
    msgs = [f.message for f in one(vm).findings if f.code == "DEV-FLOPPY"]
    assert len(msgs) == 2 and "this one is left out" in msgs[1]


def test_unclean_shutdown_is_flagged():
    assert "VM-UNCLEAN" in codes(make_vm(clean_shutdown=False))
    assert "VM-UNCLEAN" not in codes(make_vm(clean_shutdown=True))


def test_windows_xp_keeps_data_disks_on_ide_and_blocks_past_four():
    vm = make_vm("xp", "winXPProGuest", firmware=Firmware.BIOS, disks=3)
    a = one(vm)
    assert [d.controller for d in a.spec.disks] == [TargetController.IDE] * 3 and "IDE-OLD-GUEST" in codes(vm)
    big = make_vm("xp", "winXPProGuest", firmware=Firmware.BIOS, disks=5)
    assert one(big).blocked and finding(one(big), "IDE-MAX4").severity is Severity.BLOCKER
    assert "IDE-OLD-GUEST" not in codes(make_vm(firmware=Firmware.BIOS, disks=3))


def _appliance():
    vm = make_vm("appliance", "otherLinux64Guest", firmware=Firmware.BIOS, disks=3, nics=2)
    vm.disks[1].configurations = ["large"]
    vm.disks[2].configurations = ["large"]
    vm.nics[1].configurations = ["large"]
    vm.deployment_options = [DeploymentOption("tiny", "Tiny", cpus=2, memory_mb=8192),
                             DeploymentOption("large", "Large", cpus=8, memory_mb=32768)]
    vm.deployment_option = "tiny"
    vm.properties = {"guestinfo.hostname": "vc01", "root.password": "(password)"}
    return vm


def test_an_ovf_deployment_option_decides_disks_adapters_cpus_and_memory():
    a = one(_appliance())
    assert (len(a.spec.disks), len(a.spec.nics), a.spec.cpus, a.spec.memory.startup_mb) == (1, 1, 2, 8192)
    assert "tiny (the package's default)" in finding(a, "OVF-DEPLOYMENT").message
    b = one(_appliance(), overrides={"deployment": "large"})
    assert (len(b.spec.disks), len(b.spec.nics), b.spec.cpus, b.spec.memory.startup_mb) == (3, 2, 8, 32768)
    with pytest.raises(PlanError, match="no such deployment option"):
        assess([_appliance()], per_vm={"appliance": {"deployment": "huge"}})
    assert "OVF-DEPLOYMENT" not in codes(make_vm())


def test_vapp_properties_are_pointed_out_and_kept_in_the_notes_without_passwords():
    a = one(_appliance())
    assert "2 vApp properties" in finding(a, "VAPP-PROPERTIES").message
    assert "guestinfo.hostname = vc01" in a.spec.notes and "root.password = (password)" in a.spec.notes
    assert "VAPP-PROPERTIES" not in codes(make_vm())


def test_missing_optional_files_and_empty_disks_are_findings():
    vm = make_vm(extra={"missing_optional": "input.iso"})
    vm.disks.append(Disk(label="flash2", controller=Controller.IDE, capacity_bytes=128 * 2**20, no_file=True))
    a = one(vm)
    assert "input.iso" in finding(a, "OVF-FILE-MISSING").message and not a.blocked
    assert "empty VHDX of 0.125 GiB" in finding(a, "DISK-EMPTY").message
    assert not {"OVF-FILE-MISSING", "DISK-EMPTY"} & codes(make_vm())


def test_the_running_guest_decides_end_of_support():
    vm = make_vm("wild14", "rhel7_64Guest", firmware=Firmware.BIOS)
    assert "GUEST-EOS" in codes(vm)
    vm.guest.running_id = "rhel8_64Guest"
    assert "GUEST-EOS" not in codes(vm)


def test_nics_of_other_configurations_are_not_planned():
    vm = _appliance()
    vm.nics.append(Nic(label="extra", configurations=["large"]))
    assert len(one(vm).spec.nics) == 1

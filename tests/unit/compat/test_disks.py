"""Disk rules: RDM, shared, independent, sizes, exclusion and controller placement."""

from __future__ import annotations

from tests.unit.compat.vms import GiB, codes, finding, make_vm, one
from wizard.compat.engine import build_plan, validate_plan
from wizard.core.findings import Severity
from wizard.core.inventory import Backing, Controller, DeploymentOption, Disk, DiskMode, Firmware, Inventory, Sharing
from wizard.core.plan import TargetController

TiB = 1024 * GiB


def _with_disk(**kw) -> object:
    vm = make_vm(disks=1)
    vm.disks.append(Disk(label="Hard disk 2", controller=Controller.SCSI, unit=1, capacity_bytes=10 * GiB, **kw))
    return vm


def test_vm_without_disks_warns():
    assert finding(one(make_vm(disks=0)), "DISK-NONE").severity is Severity.WARNING
    assert "DISK-NONE" not in codes(make_vm())


def test_physical_rdm_blocks_until_left_out():
    vm = _with_disk(backing=Backing.RDM_PHYSICAL)
    a = one(vm)
    f = finding(a, "RDM-PHYSICAL")
    assert a.blocked and f.subject == "Hard disk 2" and f.choices[0].key == "disk.1.include"
    a = one(vm, overrides=["disk.1.include=false"])
    assert not a.blocked and finding(a, "RDM-PHYSICAL").severity is Severity.INFO
    assert "DISK-EXCLUDED" not in {f.code for f in a.findings}  # RDM-PHYSICAL already explains it
    assert "RDM-PHYSICAL" not in codes(_with_disk(backing=Backing.RDM_VIRTUAL))


def test_virtual_rdm_warns_with_a_choice():
    f = finding(one(_with_disk(backing=Backing.RDM_VIRTUAL)), "RDM-VIRTUAL")
    assert f.severity is Severity.WARNING and f.choices
    assert "RDM-VIRTUAL" not in codes(make_vm())


def test_shared_disk_warns():
    assert "cluster" in finding(one(_with_disk(sharing=Sharing.SCSI_BUS_SHARED)), "DISK-SHARED").message
    assert "multi-writer" in finding(one(_with_disk(sharing=Sharing.MULTI_WRITER)), "DISK-SHARED").message
    assert "DISK-SHARED" not in codes(make_vm())


def test_independent_disk_warns_and_nonpersistent_says_changes_are_lost():
    assert "DISK-INDEPENDENT" in codes(_with_disk(mode=DiskMode.INDEPENDENT_PERSISTENT))
    assert "discarded" in finding(one(_with_disk(mode=DiskMode.INDEPENDENT_NONPERSISTENT)), "DISK-INDEPENDENT").message
    assert "DISK-INDEPENDENT" not in codes(make_vm())


def test_vsan_disk_is_info():
    assert finding(one(_with_disk(vsan=True)), "VSAN").severity is Severity.INFO
    assert "VSAN" not in codes(make_vm())


def test_vhd_over_2040gb_becomes_vhdx_or_blocks_when_user_insists():
    vm = make_vm()
    vm.disks[0].capacity_bytes = 3 * TiB
    a = one(vm, overrides=["disk.format=vhd"])
    assert finding(a, "VHD-2040GB").severity is Severity.BLOCKER
    assert "VHD-2040GB" not in codes(make_vm(), overrides=["disk.format=vhd"])
    assert "VHD-2040GB" not in codes(vm)  # VHDX by default


def test_disk_over_64tb_blocks():
    vm = make_vm()
    vm.disks[0].capacity_bytes = 65 * TiB
    assert finding(one(vm), "DISK-MAX").severity is Severity.BLOCKER
    assert "DISK-MAX" not in codes(make_vm())


def test_unknown_disk_size_warns():
    vm = make_vm()
    vm.disks[0].capacity_bytes = 0
    assert "DISK-SIZE-UNKNOWN" in codes(vm)
    assert "DISK-SIZE-UNKNOWN" not in codes(make_vm())


def test_excluding_the_boot_disk_blocks_and_a_data_disk_warns():
    vm = make_vm(disks=2)
    assert finding(one(vm, overrides=["disk.0.include=false"]), "DISK-EXCLUDED").severity is Severity.BLOCKER
    assert finding(one(vm, overrides=["disk.1.include=false"]), "DISK-EXCLUDED").severity is Severity.WARNING
    assert "DISK-EXCLUDED" not in codes(vm)


def test_gen1_boot_disk_goes_to_ide_0_0_and_data_disks_to_scsi():
    a = one(make_vm(firmware=Firmware.BIOS, disks=3))
    boot, d1, d2 = a.spec.disks
    assert (boot.controller, boot.controller_number, boot.location) == (TargetController.IDE, 0, 0)
    assert [(d.controller, d.controller_number, d.location) for d in (d1, d2)] == [
        (TargetController.SCSI, 0, 0), (TargetController.SCSI, 0, 1)]
    assert finding(a, "GEN1-BOOT-IDE").adjusted


def test_gen1_ide_boot_disk_needs_no_explanation():
    vm = make_vm(firmware=Firmware.BIOS)
    vm.disks[0].controller = Controller.IDE
    assert "GEN1-BOOT-IDE" not in codes(vm)
    assert "GEN1-BOOT-IDE" not in codes(make_vm())


def test_more_than_four_ide_disks_on_gen1_move_to_scsi():
    vm = make_vm(firmware=Firmware.BIOS, disks=6)
    for d in vm.disks:
        d.controller = Controller.IDE
    a = one(vm)
    assert [d.controller for d in a.spec.disks].count(TargetController.IDE) == 4
    f = finding(a, "IDE-MAX4")
    assert "Hard disk 5" in f.message and "Hard disk 6" in f.message
    vm.disks = vm.disks[:4]
    assert "IDE-MAX4" not in codes(vm)


def test_gen2_ide_disks_move_to_scsi():
    vm = make_vm(disks=2)
    vm.disks[1].controller = Controller.IDE
    a = one(vm)
    assert all(d.controller is TargetController.SCSI for d in a.spec.disks)
    assert "Hard disk 2" in finding(a, "IDE-TO-SCSI-GEN2").message
    assert "IDE-TO-SCSI-GEN2" not in codes(make_vm())


def test_more_than_256_scsi_disks_block():
    vm = make_vm(disks=257)
    assert finding(one(vm), "SCSI-MAX").severity is Severity.BLOCKER
    a = one(make_vm(disks=130))
    assert "SCSI-MAX" not in {f.code for f in a.findings}
    assert not a.blocked and a.spec.disks[129].controller_number == 2 and a.spec.disks[129].location == 1


def test_controller_remap_names_the_source_controllers():
    vm = make_vm()
    vm.disks[0].controller = Controller.PVSCSI
    assert "Paravirtual" in finding(one(vm), "CTRL-REMAP").message
    vm.disks[0].controller = Controller.UNKNOWN
    assert "CTRL-REMAP" not in codes(vm)


def test_gen1_boot_disk_over_2tb_warns():
    vm = make_vm(firmware=Firmware.BIOS)
    vm.disks[0].capacity_bytes = 3 * TiB
    assert finding(one(vm), "GEN1-BOOT-2TB").severity is Severity.WARNING
    vm.firmware = Firmware.EFI
    assert "GEN1-BOOT-2TB" not in codes(vm)


def test_validate_reports_impossible_disk_layout():
    vm = make_vm(disks=2)
    plan = build_plan(Inventory(vms=[vm]))
    assert not [f for f in validate_plan(plan) if f.code == "DISK-LAYOUT"]
    plan.items[0].target.disks[0].controller = TargetController.IDE  # Gen 2 has no IDE
    plan.items[0].target.disks[1].location = 0
    plan.items[0].target.disks[1].controller_number = 0
    problems = [f for f in validate_plan(plan) if f.code == "DISK-LAYOUT"]
    assert problems and problems[0].severity is Severity.BLOCKER and "no IDE" in problems[0].message


def test_missing_or_damaged_disk_file_blocks_and_names_the_file():
    vm = make_vm()
    vm.extra["missing_files"] = "web01-000002.vmdk"
    vm.extra["warnings"] = "scsi0:0: web01-000002.vmdk, offset 4: unsupported sparse extent version 612787291"
    a = one(vm)
    f = finding(a, "DISK-UNREADABLE")
    assert a.blocked and "web01-000002.vmdk" in f.message and "offset 4" in f.message
    assert "DISK-UNREADABLE" not in codes(make_vm())


def test_a_missing_file_of_a_disk_left_out_does_not_block():
    """An OVF with deployment options lists every option's disk files; a copy made for the chosen option lacks
    the others'. Only a missing file a planned disk uses blocks the VM."""
    vm = make_vm(disks=2, extra={"missing_files": "other.vmdk"})
    vm.disks[0].path, vm.disks[1].path = "/vms/a/main.vmdk", "/vms/a/other.vmdk"
    vm.disks[1].configurations = ["small"]
    vm.deployment_option = "large"
    vm.deployment_options = [DeploymentOption("small"), DeploymentOption("large")]
    assert "DISK-UNREADABLE" not in codes(vm)
    assert "DISK-UNREADABLE" in codes(vm, overrides={"deployment": "small"})
    vm.disks[1].configurations = []
    a = one(vm)
    assert a.blocked and "other.vmdk" in finding(a, "DISK-UNREADABLE").message
    assert "DISK-UNREADABLE" not in codes(vm, overrides={"disk.1.include": "false"})


def test_an_empty_disk_without_a_size_cannot_be_created():
    vm = make_vm(disks=2)
    vm.disks[1].no_file, vm.disks[1].capacity_bytes = True, 0
    a = one(vm)
    assert a.blocked and "no disk to create" in finding(a, "DISK-NO-SIZE").message
    assert not {"DISK-EMPTY", "DISK-SIZE-UNKNOWN"} & {f.code for f in a.findings}
    vm.disks[1].capacity_bytes = 5 * 2**30
    assert "DISK-NO-SIZE" not in codes(vm)

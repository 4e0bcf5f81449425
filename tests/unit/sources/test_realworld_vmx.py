"""VMX folders as Workstation 17 / Fusion 13 / ESXi 8 leave them on disk, including their odd corners."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_img
from wizard.core.errors import InputError
from wizard.core.inventory import Controller, DeviceKind, DiskMode, Firmware, PowerState
from wizard.sources.vmx import open_local_disk, vm_from_vmx

MiB = 1024 * 1024


def write_vmx(folder: Path, lines: list[str], *, encoding: str = "UTF-8", bom: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{folder.name}.vmx"
    text = "\r\n".join([f'.encoding = "{encoding}"', 'config.version = "8"', *lines]) + "\r\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


def test_workstation_vmx_with_code_page_escapes_odd_case_and_many_buses(tmp_path: Path) -> None:
    folder = tmp_path / "vm1"
    (folder / "disks").mkdir(parents=True)
    qemu_img("create", "-f", "vmdk", str(folder / "disks" / "base.vmdk"), "8M")
    qemu_img("create", "-f", "vmdk", str(folder / "data.vmdk"), "4M")
    vmx = write_vmx(folder, [
        'displayName = "テスト |22VM|22 |7C 1"', 'guestOS = "other5xlinux-64"', 'firmware = "efi"',
        'uefi.secureBoot.enabled = "TRUE"', 'vtpm.present = "TRUE"',
        'nvme0.present = "TRUE"', 'NVMe0:0.FileName = "disks/base.vmdk"', 'nvme0:0.present = "TRUE"',
        'sata0.present = "TRUE"', 'sata0:1.deviceType = "cdrom-image"', 'sata0:1.fileName = "C:\\ISO\\x.iso"',
        'sata0:1.present = "TRUE"', 'ide1:0.present = "TRUE"', 'ide1:0.deviceType = "atapi-cdrom"',
        'ide1:0.fileName = "auto detect"',
        'ScSi0.present = "TRUE"', 'scsi0.virtualDev = "pvscsi"', 'ScSi0:0.FileName = "/vmfs/volumes/ds1/vm1/data.vmdk"',
        'scsi0:0.present = "TRUE"', 'scsi0:0.mode = "independent-persistent"',
        'scsi0:1.present = "TRUE"', 'scsi0:1.fileName = "/vmfs/volumes/5f1e-aa/vm1/disks/base.vmdk"',
        'ethernet0.present = "TRUE"', 'ethernet0.virtualDev = "vmxnet3"', 'ethernet0.addressType = "static"',
        'ethernet0.address = "00:50:56:AA:BB:CC"', 'ethernet1.present = "TRUE"', 'ethernet1.virtualDev = "vmxnet3"',
        'ethernet1.addressType = "vpx"', 'ethernet1.generatedAddress = "00:50:56:11:22:33"',
    ], encoding="Shift_JIS", bom=True)
    vm = vm_from_vmx(str(vmx))
    assert vm.name == 'テスト "VM" | 1'
    assert (vm.firmware, vm.secure_boot, vm.vtpm, vm.guest.family, vm.guest.bits) == (Firmware.EFI, True, True,
                                                                                     "linux", 64)
    disks = {d.key: d for d in vm.disks}
    assert disks["nvme0:0"].controller is Controller.NVME and disks["nvme0:0"].capacity_bytes == 8 * MiB
    assert disks["scsi0:0"].mode is DiskMode.INDEPENDENT_PERSISTENT and disks["scsi0:0"].capacity_bytes == 4 * MiB
    # an ESXi absolute path into a subfolder of the VM folder resolves inside the copied folder
    assert disks["scsi0:1"].path == str(folder / "disks" / "base.vmdk") and disks["scsi0:1"].capacity_bytes == 8 * MiB
    assert sorted(d.details for d in vm.devices if d.kind is DeviceKind.CDROM) == ["atapi-cdrom", "cdrom-image"]
    assert [(n.model, n.mac, n.mac_type) for n in vm.nics] == [("vmxnet3", "00:50:56:aa:bb:cc", "manual"),
                                                               ("vmxnet3", "00:50:56:11:22:33", "assigned")]
    assert "missing_files" not in vm.extra
    with open_local_disk(vm, [d.key for d in vm.disks].index("scsi0:1")) as img:
        assert img.virtual_size == 8 * MiB


def test_memory_of_a_snapshot_does_not_make_a_powered_off_vm_running(tmp_path: Path) -> None:
    folder = tmp_path / "web"
    vmx = write_vmx(folder, ['displayName = "web"', 'checkpoint.vmState = ""'])
    (folder / "web-Snapshot2.vmem").write_bytes(b"\0" * 4096)
    (folder / "web-Snapshot2.vmsn").write_bytes(b"\0" * 4096)
    assert vm_from_vmx(str(vmx)).power_state is PowerState.OFF
    (folder / "web-4a3b2c1d.vmem").write_bytes(b"\0" * 4096)  # the memory file of a running VM
    assert vm_from_vmx(str(vmx)).power_state is PowerState.ON


def test_damaged_vmsd_is_a_warning_not_a_lost_vm(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    vmx = write_vmx(folder, ['displayName = "db"'])
    (folder / "db.vmsd").write_bytes(b"\x00\x01binary garbage" * 100)
    vm = vm_from_vmx(str(vmx))
    assert vm.name == "db" and vm.snapshots == []
    assert ".vmsd" in vm.extra["warnings"] and "binary" in vm.extra["warnings"]


def test_fusion_arm_guest_is_named_for_what_it_is(tmp_path: Path) -> None:
    vm = vm_from_vmx(str(write_vmx(tmp_path / "m1", ['guestOS = "arm-windows11-64"'])))
    assert vm.guest.family == "windows" and vm.extra["guest_arch"] == "arm64"
    assert "ARM guest" in vm.extra["warnings"]


def test_encrypted_workstation_vm_is_discovered_as_encrypted(tmp_path: Path) -> None:
    """Workstation keeps only a few keys in clear text; the rest is inside encryption.data."""
    vmx = write_vmx(tmp_path / "sec", ['displayName = "Caf\xe9"', 'encryption.keySafe = "vmware:key/list/(pair/x)"',
                                       'encryption.data = "QUJD+/=="'], encoding="windows-1252")
    vm = vm_from_vmx(str(vmx))
    assert vm.name == "Café" and vm.encrypted and vm.disks == []


def test_missing_disk_file_is_named_when_opened(tmp_path: Path) -> None:
    vmx = write_vmx(tmp_path / "gone", ['scsi0.present = "TRUE"', 'scsi0:0.present = "TRUE"',
                                        'scsi0:0.fileName = "gone-000002.vmdk"'])
    vm = vm_from_vmx(str(vmx))
    assert vm.extra["missing_files"] == "gone-000002.vmdk"
    with pytest.raises(InputError, match="gone-000002.vmdk"):
        open_local_disk(vm, 0)


def test_esxi_template_folder_and_encrypted_workstation_disk(tmp_path: Path) -> None:
    """An ESXi template keeps its config in a .vmtx; a Workstation-encrypted disk's descriptor hides its
    extents in encryption.data: discovered as encrypted, opening it says so instead of 'no extents'."""
    from wizard.core.errors import UnsupportedFormatError
    from wizard.sources.registry import open_source

    folder = tmp_path / "tmpl"
    folder.mkdir()
    (folder / "tmpl.vmtx").write_text('.encoding = "UTF-8"\ndisplayName = "gold image"\ntemplateVM = "TRUE"\n'
                                      'scsi0.present = "TRUE"\nscsi0:0.present = "TRUE"\n'
                                      'scsi0:0.fileName = "tmpl.vmdk"\n')
    (folder / "tmpl.vmdk").write_text('# Disk DescriptorFile\nversion=1\nencoding="UTF-8"\n'
                                      'encryption.keySafe = "vmware:key/list/(pair/(phrase/abc,HMAC-SHA-1,def))"\n'
                                      'encryption.data = "AAECAwQFBgcICQ=="\n')
    src = open_source(str(tmp_path))
    (vm,) = src.discover().vms
    assert (vm.name, vm.template) == ("gold image", True)
    assert vm.disks[0].encrypted and "missing_files" not in vm.extra
    with pytest.raises(UnsupportedFormatError, match="encrypted"):
        src.open_disk(vm, 0)

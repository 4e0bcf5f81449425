"""VMware .vmx folders: what Workstation 17 and ESXi 8 write, and what hand edits and copies break."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from wizard.core.errors import InputError, SourceError
from wizard.core.inventory import Backing, Controller, DeviceKind, DiskMode, Firmware, PowerState, Sharing
from wizard.sources.registry import open_source
from wizard.sources.vmx import VmxSource, vm_from_vmx
from wizard.sources.vmxparse import parse_dictionary

DATA = Path(__file__).resolve().parents[2] / "data" / "sources" / "vmx"


def write_vmx(folder: Path, body: str, name: str = "vm.vmx", crlf: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(body.replace("\n", "\r\n" if crlf else "\n").encode("utf-8"))
    return path


def descriptor(create_type: str, extent: str, parent: str = "") -> str:
    hint = f'parentFileNameHint="{parent}"\n' if parent else ""
    return (f'# Disk DescriptorFile\nversion=1\nCID=12345678\nparentCID=ffffffff\ncreateType="{create_type}"\n'
            f"{hint}\n# Extent description\n{extent}\n\n#DDB\nddb.adapterType = \"lsilogic\"\n")


def test_workstation17_vm():
    vm = vm_from_vmx(str(DATA / "ws17-win2019" / "ws17-win2019.vmx"))
    assert vm.name == "Windows Server 2019"
    assert (vm.guest.id, vm.guest.family, vm.guest.bits) == ("windows2019srv_64Guest", "windows", 64)
    assert (vm.firmware, vm.secure_boot, vm.vtpm) == (Firmware.EFI, True, True)
    assert (vm.cpus, vm.cores_per_socket, vm.memory_mb, vm.hardware_version) == (4, 2, 6144, "vmx-21")
    assert vm.cpu_hot_add and vm.memory_hot_add
    assert vm.bios_uuid == "564d8b1c-5a43-9c63-8e8c-3a2e410f755d"
    assert vm.annotation == 'Lab domain controller\r\nOwner: "IT Ops" | ext. 4711'
    os_disk, data_disk = vm.disks
    assert os_disk.controller is Controller.LSILOGIC_SAS and os_disk.capacity_bytes == 64 * 1024 * 1024
    assert [Path(p).name for p in os_disk.chain] == ["ws17-win2019.vmdk", "ws17-win2019-000001.vmdk"]
    assert os_disk.backing is Backing.SPARSE
    assert (data_disk.backing, data_disk.mode, data_disk.capacity_bytes) == (
        Backing.FLAT, DiskMode.INDEPENDENT_PERSISTENT, 1024 * 1024)
    assert [(n.model, n.mac, n.mac_type, n.network) for n in vm.nics] == [
        ("e1000e", "00:0c:29:0f:75:5d", "generated", "nat"), ("vmxnet3", "00:50:56:3f:12:34", "manual", "VMnet2")]
    kinds = [d.kind for d in vm.devices]
    assert kinds.count(DeviceKind.USB_CONTROLLER) == 3 and DeviceKind.SERIAL in kinds and DeviceKind.SOUND in kinds
    assert DeviceKind.FLOPPY not in kinds
    cd = next(d for d in vm.devices if d.kind is DeviceKind.CDROM)
    assert cd.backing.endswith("SERVER_EVAL_x64FRE_en-us.iso")
    assert [(s.id, s.name, s.parent) for s in vm.snapshots] == [("1", "Clean install", ""),
                                                                 ("2", "Before AD DS role", "1")]
    assert vm.current_snapshot == "2" and vm.snapshots[1].power_state is PowerState.ON
    assert vm.snapshots[0].created.startswith("2025-")
    assert vm.power_state is PowerState.OFF and "warnings" not in vm.extra


def test_esxi8_folder_copied_off_a_datastore():
    inv = open_source(str(DATA / "esxi8-ubuntu")).discover()
    (vm,) = inv.vms
    assert vm.name == "ubuntu-esx" and vm.guest.id == "ubuntu64Guest" and vm.guest.family == "linux"
    assert vm.instance_uuid == "5021a51b-337c-0c9e-812f-6c440d1ba2e0"
    flat, rdm = vm.disks
    assert (flat.controller, flat.backing, flat.capacity_bytes) == (Controller.PVSCSI, Backing.FLAT, 1024 * 1024)
    assert flat.provisioning.value == "thin"
    # the absolute /vmfs/volumes/... path of the copied VM resolves to the file beside the .vmx
    assert rdm.path == str(DATA / "esxi8-ubuntu" / "ubuntu-esx_1.vmdk")
    assert (rdm.backing, rdm.sharing, rdm.capacity_bytes) == (Backing.RDM_PHYSICAL, Sharing.SCSI_BUS_SHARED,
                                                              20 * 1024 ** 3)
    assert vm.nics[0].network == "VM Network" and vm.nics[0].mac_type == "assigned"
    with pytest.raises(SourceError, match="raw device mapping"):
        VmxSource(DATA / "esxi8-ubuntu").open_disk(vm, 1)


def test_garbage_lines_are_skipped_with_warnings(tmp_path: Path):
    vmx = write_vmx(tmp_path / "g", '.encoding = "UTF-8"\n'
                    'displayName = "first"\n'
                    "this line is junk\n"
                    "=\"no key\"\n"
                    'numvcpus = "two"\n'
                    'memsize = "1024"\n'
                    'displayName = "Röntgen |22lab|22"\n'
                    'annotation = "unterminated\n'
                    'guestOS = "centos7-64"\n'
                    'scsi0.present = "TRUE"\n'
                    'scsi0:0.present = "TRUE"\n'
                    'scsi0:0.fileName = "gone.vmdk"\n'
                    'sata1:0.present = "TRUE"\n'
                    'sata1:0.fileName = "orphan.vmdk"\n'
                    "\x7f\x01binary-ish\n")
    vm = VmxSource(vmx).discover().vms[0]
    assert vm.name == 'Röntgen "lab"'  # last duplicate wins, |22 unescaped
    assert vm.memory_mb == 1024 and vm.cpus == 1 and vm.guest.id == "centos7_64Guest"
    warnings = vm.extra["warnings"]
    for needle in ("line 3", "line 4", "'two' is not a number", "no closing quote", "gone.vmdk is missing"
                   .replace("gone.vmdk is", "'gone.vmdk' is"), "controller sata1 is not present"):
        assert needle in warnings, needle
    assert vm.extra["missing_files"] == "gone.vmdk"
    assert vm.disks[0].capacity_bytes == 0 and vm.disks[0].backing is Backing.UNKNOWN
    with pytest.raises(InputError, match="disk file is missing"):
        VmxSource(vmx).open_disk(vm, 0)


def test_windows_1252_encoding_and_comments(tmp_path: Path):
    vmx = tmp_path / "old.vmx"
    vmx.write_bytes('.encoding = "windows-1252"\r\n# comment\r\ndisplayName = "Caf\xe9 server" # trailing\r\n'
                    .encode("cp1252"))
    assert vm_from_vmx(str(vmx)).name == "Café server"


def test_esxi_snapshot_chain_of_sesparse_and_delta_descriptors(tmp_path: Path):
    d = tmp_path / "vm"
    write_vmx(d, 'displayName = "chain"\nscsi0.present = "TRUE"\nscsi0.virtualDev = "pvscsi"\n'
                 'scsi0:0.present = "TRUE"\nscsi0:0.fileName = "chain-000002.vmdk"\n', crlf=False)
    (d / "chain.vmdk").write_text(descriptor("vmfs", 'RW 4194304 VMFS "chain-flat.vmdk"'))
    (d / "chain-000001.vmdk").write_text(
        descriptor("vmfsSparse", 'RW 4194304 VMFSSPARSE "chain-000001-delta.vmdk"', "chain.vmdk"))
    (d / "chain-000002.vmdk").write_text(
        descriptor("seSparse", 'RW 4194304 SESPARSE "chain-000002-sesparse.vmdk"', "chain-000001.vmdk"))
    disk = vm_from_vmx(str(d / "vm.vmx")).disks[0]
    assert disk.backing is Backing.SESPARSE and disk.capacity_bytes == 2 * 1024 ** 3
    assert [Path(p).name for p in disk.chain] == ["chain.vmdk", "chain-000001.vmdk", "chain-000002.vmdk"]
    (d / "chain.vmdk").unlink()
    vm = vm_from_vmx(str(d / "vm.vmx"))
    assert "parent disk 'chain.vmdk'" in vm.extra["warnings"]


def test_descriptor_loop_is_reported_not_followed_forever(tmp_path: Path):
    d = tmp_path / "loop"
    write_vmx(d, 'scsi0.present = "TRUE"\nscsi0:0.present = "TRUE"\nscsi0:0.fileName = "a.vmdk"\n')
    (d / "a.vmdk").write_text(descriptor("vmfsSparse", 'RW 2048 VMFSSPARSE "a-delta.vmdk"', "b.vmdk"))
    (d / "b.vmdk").write_text(descriptor("vmfsSparse", 'RW 2048 VMFSSPARSE "b-delta.vmdk"', "a.vmdk"))
    assert "loops" in vm_from_vmx(str(d / "vm.vmx")).extra["warnings"]


def test_encrypted_suspended_vm_with_passthrough_and_ports(tmp_path: Path):
    d = tmp_path / "enc"
    write_vmx(d, 'displayName = "secret"\nencryption.keySafe = "vmware:key/list/(pair/(null/x))"\n'
                 'encryption.data = "AAAA"\ncheckpoint.vmState = "enc-1a2b.vmss"\n'
                 'pciPassthru0.present = "TRUE"\npciPassthru0.vgpu = "grid_t4-4q"\n'
                 'pciPassthru1.present = "TRUE"\npciPassthru1.vendorId = "0x10de"\n'
                 'parallel0.present = "TRUE"\nparallel0.fileType = "file"\nparallel0.fileName = "lpt.txt"\n'
                 'floppy0.present = "TRUE"\nfloppy0.fileType = "file"\nfloppy0.fileName = "boot.flp"\n'
                 'ide0:0.present = "TRUE"\nide0:0.fileName = "enc.vmdk"\n'
                 'ethernet0.present = "TRUE"\nethernet0.addressType = "static"\nethernet0.address = "bogus"\n')
    (d / "enc-1a2b.vmss").write_bytes(b"\0" * 16)
    sparse = DATA / "ws17-win2019" / "ws17-win2019.vmdk"
    shutil.copy(sparse, d / "enc.vmdk")
    vm = vm_from_vmx(str(d / "vm.vmx"))
    assert vm.encrypted and vm.disks[0].encrypted and vm.disks[0].controller is Controller.IDE
    assert vm.power_state is PowerState.SUSPENDED and vm.extra["suspend_file"] == "enc-1a2b.vmss"
    kinds = [d.kind for d in vm.devices]
    assert kinds == [DeviceKind.PARALLEL, DeviceKind.FLOPPY, DeviceKind.VGPU, DeviceKind.PCI_PASSTHROUGH]
    assert vm.nics[0].mac == "" and "malformed" in vm.extra["warnings"]
    assert vm.nics[0].model == "vlance"


def test_running_vm_is_seen_by_its_lock(tmp_path: Path):
    vmx = write_vmx(tmp_path / "run", 'displayName = "running"\n')
    os.mkdir(str(vmx) + ".lck")
    assert vm_from_vmx(str(vmx)).power_state is PowerState.ON


@pytest.mark.parametrize("content", [b"\x00\x01KDMV" + b"\x00" * 100, b"x" * (5 * 1024 * 1024)])
def test_non_config_files_are_input_errors(tmp_path: Path, content: bytes):
    p = tmp_path / "bad.vmx"
    p.write_bytes(content)
    with pytest.raises(InputError):
        VmxSource(p).discover()


def test_folder_with_two_vmx_files_asks_to_choose(tmp_path: Path):
    write_vmx(tmp_path, 'displayName = "a"\n', "a.vmx")
    write_vmx(tmp_path, 'displayName = "b"\n', "b.vmx")
    with pytest.raises(InputError, match="choose one"):
        VmxSource(tmp_path).discover()
    names = [vm.name for vm in open_source(str(tmp_path)).discover().vms]  # as a folder of VMs: both
    assert names == ["a", "b"]


def test_parser_keeps_last_duplicate_and_ignores_case():
    cfg = parse_dictionary('Memsize = "512"\nmemSize = "768"\nkey.with:colon = bare value # c\n')
    assert cfg.get("MEMSIZE") == "768" and cfg.get("key.with:colon") == "bare value"


def test_open_disk_reads_through_the_engine():
    pytest.importorskip("wizard.disks.detect")
    src = VmxSource(DATA / "ws17-win2019")
    vm = src.discover().vms[0]
    with src.open_disk(vm, 0) as image:
        assert image.virtual_size == 64 * 1024 * 1024
        buf = bytearray(65536)
        image.readinto(2 * 1024 * 1024, memoryview(buf))
        assert buf == b"\x41" * 65536  # written into the snapshot delta
        image.readinto(1024 * 1024, memoryview(buf))
        assert buf.startswith(b"ws17 fixture base disk\n")


def test_an_adapter_without_a_connection_type_is_bridged(tmp_path: Path):
    """Workstation leaves ``connectionType`` out for a bridged adapter (lf-edge/eve's sample .vmx does): the
    network to map is "bridged", not nameless; an ESXi adapter names its port group instead."""
    vm = vm_from_vmx(str(write_vmx(tmp_path, 'displayName = "n"\nethernet0.present = "TRUE"\n'
                                             'ethernet0.virtualDev = "e1000"\nethernet1.present = "TRUE"\n'
                                             'ethernet1.connectionType = "hostonly"\nethernet2.present = "TRUE"\n'
                                             'ethernet2.networkName = "VM Network"\n')))
    assert [n.network for n in vm.nics] == ["bridged", "hostonly", "VM Network"]

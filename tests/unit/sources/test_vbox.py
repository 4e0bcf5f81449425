"""VirtualBox .vbox files: hardware, storage with differencing chains, networks, snapshots, missing media."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wizard.core.errors import InputError, UnsupportedFormatError
from wizard.core.inventory import Backing, Controller, DeviceKind, Firmware, PowerState
from wizard.sources.registry import open_source
from wizard.sources.vbox import VBoxSource, vm_from_vbox

DATA = Path(__file__).resolve().parents[2] / "data" / "sources" / "vbox" / "Ubuntu22"
DIFF = "{b3f1c2d4-8e7a-4b6c-9d0e-1f2a3b4c5d6e}.vdi"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    dst = tmp_path / "Ubuntu22"
    shutil.copytree(DATA, dst)
    return dst


def test_virtualbox7_vm():
    vm = vm_from_vbox(str(DATA / "Ubuntu22.vbox"))
    assert (vm.name, vm.guest.id, vm.guest.family, vm.guest.bits) == ("Ubuntu22", "ubuntu64Guest", "linux", 64)
    assert vm.instance_uuid == "3e9a1c5b-7d2f-4a8e-b6c0-9f1e2d3c4b5a"
    assert (vm.cpus, vm.memory_mb, vm.firmware, vm.vtpm) == (2, 4096, Firmware.EFI, True)
    os_disk, data_disk = vm.disks
    assert (os_disk.controller, os_disk.file_format, os_disk.backing) == (Controller.SATA, "vdi", Backing.VDI)
    assert os_disk.capacity_bytes == 32 * 2**20
    assert [Path(p).name for p in os_disk.chain] == ["Ubuntu22.vdi", DIFF]
    assert os_disk.path == str(DATA / "Snapshots" / DIFF)
    assert (data_disk.controller, data_disk.file_format, data_disk.capacity_bytes) == (
        Controller.NVME, "vmdk", 8 * 2**20)
    assert data_disk.backing is Backing.SPARSE
    assert [(n.model, n.mac, n.network_kind, n.network, n.connected) for n in vm.nics] == [
        ("e1000", "08:00:27:a1:b2:c3", "nat", "nat", True),
        ("virtio", "08:00:27:d4:e5:f6", "bridged", "enp3s0", True),
        ("pcnet", "08:00:27:0a:0b:0c", "hostonly", "vboxnet0", False),
    ]
    kinds = [d.kind for d in vm.devices]
    assert kinds.count(DeviceKind.USB_CONTROLLER) == 2
    assert DeviceKind.SERIAL in kinds and DeviceKind.SOUND in kinds
    dvd = next(d for d in vm.devices if d.kind is DeviceKind.CDROM)
    assert dvd.backing.endswith("ubuntu-22.04.4-live-server-amd64.iso")
    assert [(s.name, s.parent != "") for s in vm.snapshots] == [("Fresh install", False), ("Docker installed", True)]
    assert vm.current_snapshot == "a2c4e6f8-1b3d-4f5a-8c7e-9d0b1a2c3e4f"
    assert vm.snapshots[1].power_state is PowerState.ON and vm.snapshots[0].description == "after apt upgrade"
    assert "warnings" not in vm.extra


def test_missing_media_marks_the_disk_missing(copy: Path):
    (copy / "Ubuntu22.vdi").unlink()
    vm = open_source(str(copy / "Ubuntu22.vbox")).discover().vms[0]
    assert vm.disks[0].capacity_bytes == 0
    assert vm.extra["missing_files"] == str(copy / "Ubuntu22.vdi")
    assert "is missing" in vm.extra["warnings"]
    assert vm.disks[1].capacity_bytes == 8 * 2**20  # the other disk is still there
    with pytest.raises(InputError, match="Ubuntu22.vdi: disk file is missing"):
        VBoxSource(copy / "Ubuntu22.vbox").open_disk(vm, 0)  # the snapshot delta is there, its base is not


def test_medium_not_in_the_registry(copy: Path):
    text = (copy / "Ubuntu22.vbox").read_text()
    text = text.replace('<Image uuid="{0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a}"/>',
                        '<Image uuid="{99999999-0000-0000-0000-000000000000}"/>')
    (copy / "Ubuntu22.vbox").write_text(text)
    vm = vm_from_vbox(str(copy / "Ubuntu22.vbox"))
    assert vm.disks[1].path == "" and "not in this VM's media registry" in vm.extra["warnings"]


def test_saved_state_and_encrypted_settings(tmp_path: Path):
    p = tmp_path / "s.vbox"
    p.write_text('<VirtualBox xmlns="http://www.virtualbox.org/" version="1.12-windows">'
                 '<Machine uuid="{11111111-2222-3333-4444-555555555555}" name="old" OSType="WindowsXP" '
                 'stateFile="Snapshots/x.sav"><Hardware><CPU/><Memory RAMSize="512"/></Hardware>'
                 '<StorageControllers><StorageController name="IDE" type="PIIX4"><AttachedDevice type="HardDisk" '
                 'port="1" device="1"><Image uuid="{aa}"/></AttachedDevice></StorageController></StorageControllers>'
                 "</Machine></VirtualBox>")
    vm = vm_from_vbox(str(p))
    assert vm.power_state is PowerState.SUSPENDED and vm.guest.id == "winXPProGuest" and vm.guest.bits == 32
    assert vm.disks[0].controller is Controller.IDE and vm.disks[0].unit == 3 and vm.cpus == 1
    assert vm.firmware is Firmware.BIOS
    enc = tmp_path / "e.vbox"
    enc.write_text('<VirtualBox xmlns="http://www.virtualbox.org/" version="1.19-linux">'
                   '<MachineEncrypted uuid="{1}" keyId="k">AAAA</MachineEncrypted></VirtualBox>')
    vm = vm_from_vbox(str(enc))
    assert vm.encrypted and vm.name == "e" and "encrypted" in vm.extra["warnings"]


@pytest.mark.parametrize(("doc", "match"), [
    (b"<NotVBox/>", "not a VirtualBox settings file"),
    (b'<VirtualBox xmlns="http://www.virtualbox.org/"/>', "no Machine element"),
    (b'<!DOCTYPE x [<!ENTITY a "b">]><VirtualBox/>', "refused"),
    (b"<VirtualBox><Machine", "malformed"),
])
def test_bad_vbox_files(tmp_path: Path, doc: bytes, match: str):
    p = tmp_path / "bad.vbox"
    p.write_bytes(doc)
    with pytest.raises(InputError, match=match):
        VBoxSource(p).discover()


def test_vdi_disk_is_opened_through_the_engine_or_named_unsupported():
    pytest.importorskip("wizard.disks.detect")
    src = VBoxSource(DATA / "Ubuntu22.vbox")
    vm = src.discover().vms[0]
    with src.open_disk(vm, 1) as image:  # the VMDK data disk
        assert image.virtual_size == 8 * 2**20
    try:
        image = src.open_disk(vm, 0)
    except UnsupportedFormatError as exc:  # VDI needs the optional qemu-img backend
        assert "vdi" in exc.message.lower() or "qemu" in (exc.fix + exc.message).lower()
    else:
        with image:
            assert image.virtual_size == 32 * 2**20


def test_vhd_and_vhdx_media_capacity(tmp_path: Path):
    from tests.fixtures.disks import qemu_img

    qemu_img("create", "-q", "-f", "vhdx", str(tmp_path / "a.vhdx"), "64M")
    qemu_img("create", "-q", "-f", "vpc", str(tmp_path / "b.vhd"), "32M")
    (tmp_path / "m.vbox").write_text(
        '<VirtualBox xmlns="http://www.virtualbox.org/" version="1.19-windows"><Machine uuid="{1}" name="m" '
        'OSType="Windows2019_64"><MediaRegistry><HardDisks>'
        '<HardDisk uuid="{a}" location="a.vhdx" format="VHDX"/><HardDisk uuid="{b}" location="b.vhd" format="VHD"/>'
        '</HardDisks></MediaRegistry><Hardware><Memory RAMSize="2048"/><StorageControllers>'
        '<StorageController name="SAS" type="LsiLogicSas"><AttachedDevice type="HardDisk" port="0" device="0">'
        '<Image uuid="{a}"/></AttachedDevice><AttachedDevice type="HardDisk" port="1" device="0"><Image uuid="{b}"/>'
        "</AttachedDevice></StorageController></StorageControllers></Hardware></Machine></VirtualBox>")
    vm = vm_from_vbox(str(tmp_path / "m.vbox"))
    assert vm.guest.id == "windows2019srv_64Guest"
    vhd_size = json.loads(qemu_img("info", "--output=json", str(tmp_path / "b.vhd")).stdout)["virtual-size"]
    assert [(d.controller, d.file_format, d.backing, d.capacity_bytes) for d in vm.disks] == [
        (Controller.LSILOGIC_SAS, "vhdx", Backing.VHDX, 64 * 2**20),
        (Controller.LSILOGIC_SAS, "vhd", Backing.VHD, vhd_size)]  # CHS-rounded, as qemu-img reports it

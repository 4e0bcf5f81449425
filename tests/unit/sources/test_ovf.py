"""OVF descriptors: VMware and VirtualBox exports, manifests, missing files and hostile XML."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from wizard.compat.engine import assess
from wizard.core.errors import InputError
from wizard.core.inventory import Backing, Controller, DeviceKind, Firmware
from wizard.sources.ovf import OvfSource
from wizard.sources.ovfxml import safe_xml, unit_multiplier

DATA = Path(__file__).resolve().parents[2] / "data" / "sources" / "ovf" / "centos7"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    dst = tmp_path / "centos7"
    shutil.copytree(DATA, dst)
    return dst


def test_vmware_export():
    (vm,) = OvfSource(DATA / "centos7.ovf").discover().vms
    assert (vm.name, vm.guest.id, vm.guest.full_name) == ("centos7-ovf", "centos7_64Guest", "CentOS 7 (64-bit)")
    assert (vm.firmware, vm.secure_boot, vm.cpu_hot_add, vm.memory_hot_add) == (Firmware.EFI, True, True, False)
    assert (vm.cpus, vm.cores_per_socket, vm.memory_mb, vm.hardware_version) == (4, 2, 4096, "vmx-19")
    (disk,) = vm.disks
    assert (disk.controller, disk.backing, disk.capacity_bytes) == (Controller.PVSCSI, Backing.STREAM, 16 * 2**20)
    assert disk.path == str(DATA / "centos7-ovf-disk1.vmdk")
    assert [(n.model, n.network) for n in vm.nics] == [("vmxnet3", "VM Network")]
    assert [d.kind for d in vm.devices] == [DeviceKind.USB_CONTROLLER, DeviceKind.CDROM]
    assert vm.annotation == "CentOS 7 web node & cache"


def test_disk_reads_through_the_engine():
    pytest.importorskip("wizard.disks.detect")
    src = OvfSource(DATA / "centos7.ovf")
    vm = src.discover().vms[0]
    with src.open_disk(vm, 0) as image:
        assert image.virtual_size == 16 * 2**20
        buf = bytearray(17)
        image.readinto(1 << 20, memoryview(buf))
        assert bytes(buf) == b"centos7 ovf disk\n"


def test_missing_disk_file_is_a_blocking_finding_naming_the_file(export: Path):
    """A disk file the package lacks no longer stops discovery (exit 2): the VM is listed, and assess blocks it
    with a finding naming the file, while the other VMs of a folder stay plannable."""
    (export / "centos7-ovf-disk1.vmdk").unlink()
    vm = OvfSource(export / "centos7.ovf").discover().vms[0]
    assert vm.extra["missing_files"] == "centos7-ovf-disk1.vmdk"
    blockers = [f for f in assess([vm])[0].findings if f.code == "DISK-UNREADABLE"]
    assert blockers and "centos7-ovf-disk1.vmdk" in blockers[0].message


def test_manifest_mismatch_is_refused(export: Path):
    disk = export / "centos7-ovf-disk1.vmdk"
    data = bytearray(disk.read_bytes())
    data[-600] ^= 0xFF
    disk.write_bytes(bytes(data))
    with pytest.raises(InputError, match="SHA256 checksum of 'centos7-ovf-disk1.vmdk' does not match"):
        OvfSource(export / "centos7.ovf").discover()
    assert OvfSource(export / "centos7.ovf", verify=False).discover().vms  # the check can be skipped


def test_manifest_in_sha1_and_listing_a_missing_file(export: Path):
    ovf = (export / "centos7.ovf").read_bytes()
    (export / "centos7.mf").write_text(f"SHA1(centos7.ovf)= {hashlib.sha1(ovf).hexdigest()}\n")
    assert OvfSource(export / "centos7.ovf").discover().vms
    (export / "centos7.mf").write_text("SHA1(gone.vmdk)= 00\n")
    with pytest.raises(InputError, match="'gone.vmdk', which is missing"):
        OvfSource(export / "centos7.ovf").discover()
    (export / "centos7.mf").write_text("not a manifest\n")
    with pytest.raises(InputError, match="manifest line 1"):
        OvfSource(export / "centos7.ovf").discover()


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"><VirtualSystem>&lol3;</VirtualSystem></Envelope>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Envelope>&x;</Envelope>"""


@pytest.mark.parametrize("doc", [BOMB, XXE, BOMB.decode().encode("utf-16")], ids=["bomb", "xxe", "utf16-bomb"])
def test_dtd_and_entities_are_refused(tmp_path: Path, doc: bytes):
    p = tmp_path / "evil.ovf"
    p.write_bytes(doc)
    with pytest.raises(InputError, match="refused: the XML declares a document type"):
        OvfSource(p).discover()


@pytest.mark.parametrize(("doc", "match"), [
    (b"<Envelope><unclosed></Envelope>", "malformed"),
    (b"<Other/>", "not an OVF descriptor"),
    (b'<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"/>', "no VirtualSystem"),
    (b'<Envelope xmlns:ovf="o"><References><File ovf:id="f" ovf:href="../../etc/passwd"/></References>'
     b"<VirtualSystem/></Envelope>", "points outside"),
    (b'<Envelope xmlns:ovf="o"><References><File ovf:id="f" ovf:href="http://evil/x.vmdk"/></References>'
     b"<VirtualSystem/></Envelope>", "is a URL"),
    (b'<Envelope xmlns:ovf="o"><DiskSection><Disk ovf:diskId="d" ovf:fileRef="nope" ovf:capacity="1"/>'
     b"</DiskSection><VirtualSystem/></Envelope>", "References does not list"),
    (b'<Envelope xmlns:ovf="o"><DiskSection><Disk ovf:diskId="d" ovf:capacity="1" '
     b'ovf:capacityAllocationUnits="furlongs"/></DiskSection><VirtualSystem/></Envelope>', "not understood"),
    (b'<Envelope xmlns:ovf="o"><VirtualSystem ovf:id="v"/></Envelope>', "no VirtualHardwareSection"),
])
def test_broken_descriptors_are_input_errors(tmp_path: Path, doc: bytes, match: str):
    p = tmp_path / "x.ovf"
    p.write_bytes(doc)
    with pytest.raises(InputError, match=match):
        OvfSource(p).discover()


def test_ovf2_namespace_multiple_systems_and_property_capacity(tmp_path: Path):
    p = tmp_path / "two.ovf"
    p.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/2" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/2"
 xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"
 xmlns:epasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_EthernetPortAllocationSettingData"
 xmlns:sasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_StorageAllocationSettingData">
 <DiskSection><Disk ovf:diskId="d1" ovf:capacity="${size}"/></DiskSection>
 <VirtualSystemCollection ovf:id="app">
  <VirtualSystem ovf:id="web"><Name>web</Name><OperatingSystemSection ovf:id="103"/>
   <VirtualHardwareSection>
    <Item><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType>
     <rasd:AllocationUnits>byte * 2^30</rasd:AllocationUnits><rasd:VirtualQuantity>2</rasd:VirtualQuantity></Item>
    <Item><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>6</rasd:ResourceType>
     <rasd:ResourceSubType>lsilogicsas</rasd:ResourceSubType></Item>
    <StorageItem><sasd:HostResource>ovf:/disk/d1</sasd:HostResource><sasd:InstanceID>3</sasd:InstanceID>
     <sasd:Parent>2</sasd:Parent><sasd:ResourceType>17</sasd:ResourceType></StorageItem>
    <EthernetPortItem><epasd:Address>00-15-5D-01-02-03</epasd:Address><epasd:Connection>LAN</epasd:Connection>
     <epasd:InstanceID>4</epasd:InstanceID><epasd:ResourceSubType>E1000e</epasd:ResourceSubType>
     <epasd:ResourceType>10</epasd:ResourceType></EthernetPortItem>
   </VirtualHardwareSection></VirtualSystem>
  <VirtualSystem ovf:id="db"><VirtualHardwareSection/></VirtualSystem>
 </VirtualSystemCollection></Envelope>""")
    web, db = OvfSource(p).discover().vms
    assert web.memory_mb == 2048 and web.guest.id == "windows7Server64Guest"
    assert web.disks[0].controller is Controller.LSILOGIC_SAS and web.disks[0].capacity_bytes == 0
    assert "${size}" in web.extra["warnings"] and "created empty" in web.extra["warnings"]
    assert (web.nics[0].model, web.nics[0].mac, web.nics[0].network) == ("e1000e", "00:15:5d:01:02:03", "LAN")
    assert db.name == "db" and db.disks == []


@pytest.mark.parametrize(("units", "mult"), [("", 1), ("byte", 1), ("byte * 2^20", 2**20), ("byte*2^30", 2**30),
                                             ("MegaBytes", 2**20), ("GigaBytes", 2**30), ("byte * 1024", 1024)])
def test_allocation_units(units: str, mult: int):
    assert unit_multiplier(units, "x", "f") == mult


def test_safe_xml_accepts_declared_latin1():
    root = safe_xml('<?xml version="1.0" encoding="ISO-8859-1"?><a>caf\xe9</a>'.encode("latin-1"), "x")
    assert root.text == "café"

"""vSphere mapping on pyVmomi data objects: backings the simulator cannot hold, guest facts, gaps in replies."""

from __future__ import annotations

import datetime as dt

import pytest
from pyVmomi import vim, vmodl

from wizard.core.errors import CertificateError, PermissionDeniedError
from wizard.core.inventory import Backing, Controller, DeviceKind, DiskMode, PowerState, Provisioning, Sharing
from wizard.sources import vsphere_props
from wizard.sources.vsphere import VSphereSource, api_version
from wizard.sources.vsphere_guest import guest_bits, guest_family
from wizard.sources.vsphere_map import Entity, MapContext, map_vm, place, split_datastore_path
from wizard.sources.vsphere_props import Collected, _dvpg_vlan, absorb, iter_pages
from wizard.sources.vsphere_tls import (
    format_thumbprint,
    known_thumbprint,
    normalize_thumbprint,
    remember_thumbprint,
)

d = vim.vm.device
VD = d.VirtualDisk


def _ds(moid: str) -> vim.Datastore:
    return vim.Datastore(moid)


def _disk(backing, key=2000, unit=0, ctrl=1000, size=10 * 1024**3):
    return VD(key=key, controllerKey=ctrl, unitNumber=unit, capacityInBytes=size, capacityInKB=size // 1024,
              backing=backing, deviceInfo=vim.Description(label=f"Hard disk {unit + 1}", summary=""))


def _vm(devices, **props):
    base = {"name": "vm1", "config.hardware.device": devices, "config.uuid": "u"}
    base.update(props)
    return map_vm("vm-1", base, CTX)


CTX = MapContext(
    entities={
        "group-d1": Entity("Datacenters", "Folder", ""),
        "group-f1": Entity("Region-A", "Folder", "group-d1"),
        "dc-1": Entity("DC-East", "Datacenter", "group-f1"),
        "group-v1": Entity("vm", "Folder", "dc-1"),
        "group-v2": Entity("Prod", "Folder", "group-v1"),
        "group-v3": Entity("Web", "Folder", "group-v2"),
        "group-h1": Entity("host", "Folder", "dc-1"),
        "domain-c1": Entity("Cluster-1", "ClusterComputeResource", "group-h1"),
        "host-1": Entity("esx01.lab", "HostSystem", "domain-c1"),
    },
    dvpg_by_key={"dvportgroup-1": ("DPG-Web", 120), "dvportgroup-2": ("DPG-Trunk", None)},
    host_vlans={"host-1": {"VM Network": 0, "Backup": 30, "Trunk": 4095}},
    datastores={"datastore-1": ("ds-ssd", "VMFS"), "datastore-2": ("vsanDatastore", "vsan")},
)
PV = d.ParaVirtualSCSIController(key=1000, busNumber=0, sharedBus="noSharing")


def test_inventory_path_datacenter_folder_cluster_and_host():
    where = place(CTX, "group-v3", "host-1")
    assert where == {"datacenter": "DC-East", "dc_path": "Region-A/DC-East", "folder": "Prod/Web",
                     "cluster": "Cluster-1", "host": "esx01.lab"}


@pytest.mark.parametrize(("mode", "kind"), [("physicalMode", Backing.RDM_PHYSICAL),
                                            ("virtualMode", Backing.RDM_VIRTUAL)])
def test_raw_device_mappings(mode, kind):
    b = VD.RawDiskMappingVer1BackingInfo(fileName="[ds-ssd] db/db_1.vmdk", compatibilityMode=mode,
                                         deviceName="vml.0200000000600508b1", lunUuid="0200", diskMode="persistent",
                                         datastore=_ds("datastore-1"))
    vm = _vm([PV, _disk(b)])
    (disk,) = vm.disks
    assert disk.backing == kind and disk.device_name == "vml.0200000000600508b1" and disk.datastore == "ds-ssd"


def test_sparse_sesparse_and_delta_chain_base_first():
    base = VD.SeSparseBackingInfo(fileName="[ds-ssd] app/app.vmdk", diskMode="persistent")
    mid = VD.SeSparseBackingInfo(fileName="[ds-ssd] app/app-000001.vmdk", diskMode="persistent", parent=base)
    top = VD.SeSparseBackingInfo(fileName="[ds-ssd] app/app-000002.vmdk", diskMode="persistent", parent=mid,
                                 datastore=_ds("datastore-1"))
    sparse = VD.SparseVer2BackingInfo(fileName="[ds-ssd] app/old.vmdk", diskMode="independent_nonpersistent")
    vm = _vm([PV, _disk(top), _disk(sparse, key=2001, unit=1)])
    assert vm.disks[0].backing == Backing.SESPARSE and vm.disks[0].provisioning == Provisioning.THIN
    assert vm.disks[0].chain == ["[ds-ssd] app/app.vmdk", "[ds-ssd] app/app-000001.vmdk",
                                 "[ds-ssd] app/app-000002.vmdk"]
    assert vm.disks[0].path == "[ds-ssd] app/app-000002.vmdk"
    assert vm.disks[1].backing == Backing.SPARSE and vm.disks[1].mode == DiskMode.INDEPENDENT_NONPERSISTENT


def test_encrypted_vsan_disk_and_vtpm():
    b = VD.FlatVer2BackingInfo(fileName="[vsanDatastore] x/x.vmdk", diskMode="persistent", thinProvisioned=True,
                               datastore=_ds("datastore-2"),
                               keyId=vim.encryption.CryptoKeyId(keyId="k1"))
    vm = _vm([PV, _disk(b), d.VirtualTPM(key=11000)])
    assert vm.disks[0].encrypted and vm.encrypted and vm.disks[0].vsan and vm.vtpm


def test_bus_sharing_versus_multi_writer():
    shared = d.VirtualLsiLogicSASController(key=1001, busNumber=1, sharedBus="virtualSharing")
    b1 = VD.FlatVer2BackingInfo(fileName="[ds-ssd] a.vmdk", diskMode="persistent", sharing="sharingMultiWriter",
                                thinProvisioned=False, eagerlyScrub=True)
    b2 = VD.FlatVer2BackingInfo(fileName="[ds-ssd] b.vmdk", diskMode="persistent")
    vm = _vm([shared, _disk(b1, ctrl=1001), _disk(b2, key=2001, unit=1, ctrl=1001)])
    assert [x.sharing for x in vm.disks] == [Sharing.MULTI_WRITER, Sharing.SCSI_BUS_SHARED]
    assert vm.disks[0].provisioning == Provisioning.THICK_EAGER and vm.disks[0].controller == Controller.LSILOGIC_SAS


def test_vgpu_passthrough_serial_backings_usb_and_sound():
    devs = [
        d.VirtualPCIPassthrough(key=13000, backing=d.VirtualPCIPassthrough.VmiopBackingInfo(vgpu="grid_t4-4q")),
        d.VirtualPCIPassthrough(key=13001, backing=d.VirtualPCIPassthrough.DeviceBackingInfo(
            id="0000:3b:00.0", deviceId="1eb8", systemId="s", vendorId=0x10de, deviceName="Tesla T4")),
        d.VirtualSerialPort(key=9000, backing=d.VirtualSerialPort.PipeBackingInfo(pipeName=r"\\.\pipe\com1",
                                                                                   endpoint="server")),
        d.VirtualSerialPort(key=9001, backing=d.VirtualSerialPort.URIBackingInfo(serviceURI="telnet://:7001",
                                                                                  direction="server")),
        d.VirtualUSBController(key=7000, ehciEnabled=True),
        d.VirtualUSB(key=7001, backing=d.VirtualUSB.USBBackingInfo(deviceName="path:1/0/0"), family=["storage"]),
        d.VirtualHdAudioCard(key=5000),
        d.VirtualKeyboard(key=600),
    ]
    vm = _vm(devs)
    kinds = [x.kind for x in vm.devices]
    assert kinds == [DeviceKind.VGPU, DeviceKind.PCI_PASSTHROUGH, DeviceKind.SERIAL, DeviceKind.SERIAL,
                     DeviceKind.USB_CONTROLLER, DeviceKind.USB, DeviceKind.SOUND]
    assert "grid_t4-4q" in vm.devices[0].details and vm.devices[1].details == "0000:3b:00.0"
    assert "pipe" in vm.devices[2].backing and "telnet://:7001" in vm.devices[3].backing
    assert "usb2" in vm.devices[4].details and vm.devices[5].details == "storage"


def test_nics_standard_distributed_vlans_and_trunk():
    def nic(cls, key, backing, mac):
        return cls(key=key, backing=backing, macAddress=mac, addressType="assigned",
                   connectable=d.VirtualDevice.ConnectInfo(connected=True, startConnected=True, allowGuestControl=True))
    std = d.VirtualEthernetCard.NetworkBackingInfo
    dvs = d.VirtualEthernetCard.DistributedVirtualPortBackingInfo
    devs = [
        nic(d.VirtualVmxnet3, 4000, std(deviceName="Backup"), "00:50:56:AA:00:01"),
        nic(d.VirtualE1000e, 4001, std(deviceName="Trunk"), "00:50:56:aa:00:02"),
        nic(d.VirtualPCNet32, 4002, dvs(port=vim.dvs.PortConnection(portgroupKey="dvportgroup-1", switchUuid="u")),
            "00:50:56:aa:00:03"),
        nic(d.VirtualSriovEthernetCard, 4003,
            dvs(port=vim.dvs.PortConnection(portgroupKey="dvportgroup-2", switchUuid="u")), "00:50:56:aa:00:04"),
    ]
    vm = _vm(devs, **{"runtime.host": vim.HostSystem("host-1")})
    got = [(n.model, n.network, n.network_kind, n.vlan, n.mac) for n in vm.nics]
    assert got == [("vmxnet3", "Backup", "standard", 30, "00:50:56:aa:00:01"),
                   ("e1000e", "Trunk", "standard", None, "00:50:56:aa:00:02"),
                   ("vlance", "DPG-Web", "distributed", 120, "00:50:56:aa:00:03"),
                   ("sriov", "DPG-Trunk", "distributed", None, "00:50:56:aa:00:04")]


def test_dvpg_vlan_kinds():
    vmw = vim.dvs.VmwareDistributedVirtualSwitch
    assert _dvpg_vlan(vmw.VmwarePortConfigPolicy(vlan=vmw.VlanIdSpec(vlanId=42, inherited=False))) == 42
    assert _dvpg_vlan(vmw.VmwarePortConfigPolicy(vlan=vmw.PvlanSpec(pvlanId=7, inherited=False))) == 7
    trunk = vmw.TrunkVlanSpec(vlanId=[vim.NumericRange(start=1, end=4094)], inherited=False)
    assert _dvpg_vlan(vmw.VmwarePortConfigPolicy(vlan=trunk)) is None


def test_guest_ips_with_origin_prefix_gateway_and_dns():
    ip = vim.net.IpConfigInfo.IpAddress
    net = [vim.vm.GuestInfo.NicInfo(macAddress="00:50:56:AA:00:01", connected=True, deviceConfigId=4000,
                                    ipAddress=["10.0.0.5"], ipConfig=vim.net.IpConfigInfo(ipAddress=[
                                        ip(ipAddress="10.0.0.5", prefixLength=24, origin="manual", state="preferred"),
                                        ip(ipAddress="fe80::1", prefixLength=64, origin="linklayer", state="preferred"),
                                    ])),
           vim.vm.GuestInfo.NicInfo(macAddress="00:50:56:aa:00:02", connected=True, deviceConfigId=4001,
                                    ipAddress=["192.168.1.9"])]
    route = vim.net.IpRouteConfigInfo.IpRoute(network="0.0.0.0", prefixLength=0,
                                              gateway=vim.net.IpRouteConfigInfo.Gateway(ipAddress="10.0.0.1",
                                                                                        device="0"))
    stack = [vim.vm.GuestInfo.StackInfo(ipRouteConfig=vim.net.IpRouteConfigInfo(ipRoute=[route]),
                                        dnsConfig=vim.net.DnsConfigInfo(ipAddress=["10.0.0.2"], dhcp=False,
                                                                        hostName="web01", domainName="lab"))]
    vm = _vm([], **{"guest.net": net, "guest.ipStack": stack, "guest.hostName": "web01.lab",
                    "guest.toolsStatus": "toolsOld", "guest.toolsVersion": "11333", "runtime.powerState": "poweredOn"})
    first = vm.guest_ips[0]
    assert (first.address, first.prefix_length, first.origin, first.mac, first.gateways, first.dns_servers) == (
        "10.0.0.5", 24, "manual", "00:50:56:aa:00:01", ["10.0.0.1"], ["10.0.0.2"])
    assert vm.guest_ips[1].origin == "linklayer"
    assert vm.guest_ips[2].address == "192.168.1.9" and vm.guest_ips[2].gateways == []
    assert (vm.hostname, vm.tools_status, vm.tools_version, vm.power_state) == (
        "web01.lab", "old", "11333", PowerState.ON)


def test_snapshot_tree_flattened_with_parents():
    snap = vim.vm.SnapshotTree
    child = snap(snapshot=vim.vm.Snapshot("snapshot-2"), id=2, name="b", description="", state="poweredOn",
                 quiesced=True, createTime=dt.datetime(2024, 1, 2, tzinfo=dt.UTC), childSnapshotList=[])
    root = snap(snapshot=vim.vm.Snapshot("snapshot-1"), id=1, name="a", description="first", state="poweredOff",
                quiesced=False, createTime=dt.datetime(2024, 1, 1, tzinfo=dt.UTC), childSnapshotList=[child])
    info = vim.vm.SnapshotInfo(rootSnapshotList=[root], currentSnapshot=vim.vm.Snapshot("snapshot-2"))
    vm = _vm([], snapshot=info)
    assert [(s.id, s.parent, s.power_state, s.quiesced) for s in vm.snapshots] == [
        ("snapshot-1", "", PowerState.OFF, False), ("snapshot-2", "snapshot-1", PowerState.ON, True)]
    assert vm.current_snapshot == "snapshot-2" and vm.snapshots[0].created.startswith("2024-01-01")


def test_a_vm_with_no_properties_keeps_defaults_and_says_what_was_missing():
    vm = map_vm("vm-9", {}, MapContext(), ["config.hardware.device"])
    assert vm.name == "vm-9" and vm.disks == [] and vm.guest.family == "" and vm.guest.bits is None
    assert vm.power_state == PowerState.UNKNOWN and "config" in vm.extra["vsphere.missing"]


@pytest.mark.parametrize(("gid", "family", "bits"), [
    ("windows2019srv_64Guest", "windows", 64), ("winXPProGuest", "windows", 32),
    ("windows9Server64Guest", "windows", 64),
    ("rhel7Guest", "linux", 32), ("ubuntu64Guest", "linux", 64), ("otherGuest64", "other", 64),
    ("freebsd13_64Guest", "freebsd", 64), ("darwin19_64Guest", "other", 64), ("windowsHyperVGuest", "windows", 64),
    ("", "", None), ("garbage", "other", None),
])
def test_guest_family_and_bits(gid, family, bits):
    assert (guest_family(gid), guest_bits(gid)) == (family, bits)


def test_every_vsphere_guest_id_gets_a_family_and_bits():
    for gid in vim.vm.GuestOsDescriptor.GuestOsIdentifier.values:
        assert guest_family(gid) and guest_bits(gid) in (32, 64), gid


def test_datastore_paths():
    assert split_datastore_path("[ds 1] a b/c.vmdk") == ("ds 1", "a b/c.vmdk")
    assert split_datastore_path("c.vmdk") == ("", "c.vmdk")
    src = VSphereSource("vc.lab", insecure=True)
    src._datastore_urls = {"ds-ssd": "ds:///vmfs/volumes/5f1e-aa/"}
    assert src._resolve("[ds-ssd] vm/vm.vmdk", "vm-flat.vmdk") == "[ds-ssd] vm/vm-flat.vmdk"
    assert src._resolve("[ds-ssd] vm/vm.vmdk", "/vmfs/volumes/5f1e-aa/base/b.vmdk") == "[ds-ssd] base/b.vmdk"
    url, name = src.datastore_url("Region-A/DC-East", "[ds 1] my vm/disk.vmdk")
    assert url == "/folder/my%20vm/disk.vmdk?dcPath=Region-A%2FDC-East&dsName=ds%201"
    assert name == "[ds 1] my vm/disk.vmdk"


# ---- bulk retrieval without a server ----------------------------------------------------------------

PCmod = vmodl.query.PropertyCollector


def _content(obj, **props):
    return PCmod.ObjectContent(obj=obj, propSet=[vmodl.DynamicProperty(name=k, val=v) for k, v in props.items()])


class FakeCollector:
    """Returns two pages, so the continuation path is exercised."""

    def __init__(self, pages):
        self.pages = pages
        self.calls = []

    def RetrievePropertiesEx(self, specs, options):  # noqa: N802 - pyVmomi's name
        self.calls.append(("RetrievePropertiesEx", options.maxObjects))
        return self.pages[0]

    def ContinueRetrievePropertiesEx(self, token):  # noqa: N802
        self.calls.append(("ContinueRetrievePropertiesEx", token))
        return self.pages[int(token)]


def test_pages_are_followed_until_no_token():
    page1 = PCmod.RetrieveResult(token="1", objects=[_content(vim.VirtualMachine("vm-1"), name="a")])
    page2 = PCmod.RetrieveResult(objects=[_content(vim.VirtualMachine("vm-2"), name="b"),
                                          _content(vim.HostSystem("host-1"), name="esx")])
    fake = FakeCollector([page1, page2])
    out = Collected()
    for page in iter_pages(fake, object(), 1000, None):
        absorb(page, out)
    assert [c[0] for c in fake.calls] == ["RetrievePropertiesEx", "ContinueRetrievePropertiesEx"]
    assert [vm[0] for vm in out.vms] == ["vm-1", "vm-2"] and out.ctx.entities["host-1"].name == "esx"


def _discover_with(monkeypatch, collected=None, exc=None):
    def fake_collect(content, progress=None, cancel=None, **_kw):
        if exc is not None:
            raise exc
        return collected

    monkeypatch.setattr("wizard.sources.vsphere.collect_inventory", fake_collect)
    src = VSphereSource("vc.lab", user="u", password="p", insecure=True)
    src._content = object()  # already "connected"
    return src.discover()


def test_odd_property_values_become_a_note_not_a_traceback(monkeypatch):
    out = Collected()
    out.vms = [("vm-1", {"name": "ok"}, []),
               ("vm-2", {"name": "odd", "config.hardware.numCPU": "many", "config.uuid": "x"}, [])]
    inv = _discover_with(monkeypatch, out)
    assert [v.name for v in inv.vms] == ["odd", "ok"]
    assert "ValueError" in inv.find("odd").extra["vsphere.error"]


def test_no_permission_fault_is_permission_denied(monkeypatch):
    with pytest.raises(PermissionDeniedError) as err:
        _discover_with(monkeypatch, exc=vim.fault.NoPermission(privilegeId="System.View"))
    assert "System.View" in str(err.value) and err.value.fix


def test_properties_hidden_on_every_vm_is_permission_denied():
    fault = vmodl.LocalizedMethodFault(fault=vim.fault.NoPermission(privilegeId="System.Read"), localizedMessage="")
    content = PCmod.ObjectContent(obj=vim.VirtualMachine("vm-1"), propSet=[],
                                  missingSet=[PCmod.MissingProperty(path="config.hardware.device", fault=fault)])
    out = Collected()
    absorb([content], out)
    assert out.denied == ["vm-1: config.hardware.device"]


def test_vm_props_are_a_fixed_short_list():
    assert "config" not in vsphere_props.VM_PROPS and "guest" not in vsphere_props.VM_PROPS
    assert len(vsphere_props.VM_PROPS) < 40


# ---- TLS helpers ------------------------------------------------------------------------------------

def test_thumbprint_formats(tmp_path, monkeypatch):
    monkeypatch.setenv("HVMIGRATE_CONFIG_DIR", str(tmp_path))
    tp = format_thumbprint(b"cert")
    assert len(tp) == 95 and tp == tp.upper() and normalize_thumbprint(tp.replace(":", "").lower()) == tp
    with pytest.raises(ValueError):
        normalize_thumbprint("12:34")
    with pytest.raises(CertificateError):
        VSphereSource("vc.lab", thumbprint="not-hex")
    remember_thumbprint("VC.lab", 443, tp.lower())
    assert known_thumbprint("vc.lab") == tp and "pass" not in (tmp_path / "known_hosts.json").read_text()
    (tmp_path / "known_hosts.json").write_text("{broken")
    assert known_thumbprint("vc.lab") == ""


def test_api_version_follows_the_server():
    assert api_version("6.5") == "vim.version.version11"
    assert api_version("8.0") == "vim.version.v8_0_0_0"
    assert api_version("99.0").startswith("vim.version.")


def test_a_non_vsphere_web_server_is_named_as_such():
    import http.client

    from wizard.core.errors import SourceError

    err = VSphereSource("web.lab", insecure=True)._translate(http.client.HTTPException("404 Not Found"), "logging in")
    assert isinstance(err, SourceError) and "404" in str(err) and "vCenter" in err.fix


def test_malformed_reply_is_a_source_error(monkeypatch):
    import xml.etree.ElementTree as ET

    from wizard.core.errors import SourceError

    with pytest.raises(SourceError):
        _discover_with(monkeypatch, exc=ET.ParseError("junk"))


class _OldServerCollector(FakeCollector):
    """Like a vSphere 5.5 server: rejects paths it does not know with InvalidProperty."""

    def RetrievePropertiesEx(self, specs, options):  # noqa: N802
        paths = {p for spec in specs for ps in spec.propSet for p in ps.pathSet}
        if "config.keyId" in paths:
            raise vmodl.query.InvalidProperty(name="config.keyId")
        return super().RetrievePropertiesEx(specs, options)


def test_paths_an_older_server_rejects_are_dropped_and_noted(monkeypatch):
    from types import SimpleNamespace

    page = PCmod.RetrieveResult(objects=[_content(vim.VirtualMachine("vm-1"), name="old")])
    collector = _OldServerCollector([page])
    content = SimpleNamespace(rootFolder=None, propertyCollector=collector,
                              viewManager=SimpleNamespace(
                                  CreateContainerView=lambda *a: vim.view.ContainerView("view-1")))
    src = VSphereSource("old-vc.lab", user="u", password="p", insecure=True)
    src._content = content
    inv = src.discover()
    assert inv.vms[0].name == "old" and "config.keyId" in inv.vms[0].extra["vsphere.missing"]


def test_every_vm_hidden_is_permission_denied(monkeypatch):
    out = Collected()
    out.vms = [("vm-1", {}, ["config.hardware.device"])]
    out.denied = ["vm-1: config.hardware.device"]
    with pytest.raises(PermissionDeniedError):
        _discover_with(monkeypatch, out)


def test_error_text_from_the_server_is_scrubbed_of_the_password():
    src = VSphereSource("vc.lab", user="u", password="Hunter2-secret", insecure=True)
    err = src._translate(RuntimeError("echoed request: <password>Hunter2-secret</password>"), "logging in")
    assert "Hunter2-secret" not in str(err) + repr(err) + err.details + err.fix

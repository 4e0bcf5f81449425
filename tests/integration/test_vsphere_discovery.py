"""Discovery against the govmomi vCenter simulator: what a user sees in the inventory, and the login errors."""

from __future__ import annotations

import json
import logging
import socket

import pytest

from tests.fixtures.vcsim import start_vcsim
from wizard.core import secrets
from wizard.core.errors import AuthError, CertificateError, ConnectError, SourceError
from wizard.core.inventory import (
    Backing,
    Controller,
    DeviceKind,
    DiskMode,
    Firmware,
    Inventory,
    Provisioning,
    Sharing,
)
from wizard.sources.vsphere import VSphereSource, fetch_thumbprint
from wizard.sources.vsphere_tls import known_thumbprint

pytestmark = pytest.mark.vcsim


@pytest.fixture(autouse=True)
def config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HVMIGRATE_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config"


@pytest.fixture(scope="module")
def inventory(vcsim, vcsim_vms, tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HVMIGRATE_CONFIG_DIR", str(tmp_path_factory.mktemp("cfg")))
        src = VSphereSource(vcsim.host, vcsim.port, vcsim.user, vcsim.password,
                            thumbprint=fetch_thumbprint(vcsim.host, vcsim.port))
        with src:
            inv = src.discover()
            requests = src.soap_requests
    return inv, requests


def _vm(inv: Inventory, name: str):
    vm = inv.find(name)
    assert vm is not None, f"{name} not discovered"
    return vm


def test_inventory_places_every_vm_in_its_datacenter_cluster_and_host(inventory, vcsim_vms):
    inv, _ = inventory
    assert inv.source_kind == "vsphere" and "vCenter" in inv.source
    names = {vm.name for vm in inv.vms}
    assert set(vcsim_vms) <= names and "DC0_H0_VM0" in names
    for vm in inv.vms:
        assert vm.datacenter == "DC0" and vm.host.startswith("DC0_"), vm.name
        assert vm.instance_uuid and vm.bios_uuid and vm.config_path.startswith("[LocalDS_0] ")
    assert _vm(inv, "efi-secure").cluster == "DC0_C0"
    assert _vm(inv, "DC0_H0_VM0").cluster == "" and _vm(inv, "DC0_H0_VM0").host == "DC0_H0"
    assert _vm(inv, "data").id == vcsim_vms["data"]
    Inventory.from_json(json.loads(json.dumps(inv.to_json())))  # survives a save/load round trip


def test_discovery_is_a_handful_of_soap_requests(inventory):
    _, requests = inventory
    # service content, login, container view, one property retrieval, destroy view
    assert requests <= 6


def test_efi_secure_boot_big_memory_and_nvme(inventory):
    vm = _vm(inventory[0], "efi-secure")
    assert vm.firmware == Firmware.EFI and vm.secure_boot
    assert vm.guest.id == "windows2019srv_64Guest" and vm.guest.family == "windows" and vm.guest.bits == 64
    assert (vm.cpus, vm.cores_per_socket, vm.memory_mb) == (16, 8, 2 * 1024 * 1024)
    assert vm.cpu_hot_add and vm.memory_hot_add and vm.hardware_version.startswith("vmx-")
    assert vm.annotation == "Domain controller\nline 2"
    (disk,) = vm.disks
    assert disk.controller == Controller.NVME and disk.capacity_bytes == 64 * 1024**3


def test_legacy_32_bit_guest_with_ide_sata_and_old_devices(inventory):
    vm = _vm(inventory[0], "legacy-32")
    assert vm.guest.bits == 32 and vm.firmware == Firmware.BIOS and not vm.secure_boot
    assert [(d.controller, d.bus, d.unit) for d in vm.disks] == [(Controller.IDE, 1, 0), (Controller.SATA, 0, 0)]
    kinds = {d.kind: d for d in vm.devices}
    assert {DeviceKind.USB_CONTROLLER, DeviceKind.SERIAL, DeviceKind.PARALLEL, DeviceKind.FLOPPY} <= set(kinds)
    assert "com1.txt" in kinds[DeviceKind.SERIAL].backing and "usb3" in kinds[DeviceKind.USB_CONTROLLER].details


def test_ten_nics_with_models_networks_and_vlans(inventory):
    vm = _vm(inventory[0], "ten-nics")
    assert len(vm.nics) == 10
    assert {n.model for n in vm.nics} == {"vmxnet3", "e1000", "e1000e", "vlance", "vmxnet2"}
    first = vm.nics[0]
    assert (first.mac, first.mac_type, first.network, first.network_kind) == (
        "00:50:56:01:02:0a", "manual", "VM Network", "standard")
    dist = [n for n in vm.nics if n.network_kind == "distributed"]
    assert len(dist) == 5 and {n.network for n in dist} == {"DC0_DVPG0"}
    assert all(n.vlan == 0 for n in vm.nics)  # simulator port groups are untagged
    assert len({n.mac for n in vm.nics}) == 10


def test_disk_controllers_provisioning_modes_and_sharing(inventory):
    vm = _vm(inventory[0], "big-disks")
    d = vm.disks
    assert [x.controller for x in d] == [Controller.PVSCSI] * 3 + [Controller.LSILOGIC_SAS] * 2 + [
        Controller.LSILOGIC, Controller.BUSLOGIC]
    assert d[0].capacity_bytes == 3 * 1024**4 and d[0].provisioning == Provisioning.THIN
    assert d[1].mode == DiskMode.INDEPENDENT_PERSISTENT and d[1].provisioning == Provisioning.THICK_LAZY
    assert d[2].mode == DiskMode.INDEPENDENT_NONPERSISTENT and d[2].provisioning == Provisioning.THICK_EAGER
    assert d[3].sharing == Sharing.MULTI_WRITER
    assert d[4].sharing == Sharing.SCSI_BUS_SHARED  # physical bus sharing on its controller
    assert all(x.backing == Backing.FLAT and x.datastore == "LocalDS_0" for x in d)
    assert d[0].path == "[LocalDS_0] big-disks/big-disks.vmdk"
    assert vm.total_disk_bytes > 3 * 1024**4


def test_snapshot_tree_and_current_snapshot(inventory):
    vm = _vm(inventory[0], "snapper")
    assert [(s.name, bool(s.parent)) for s in vm.snapshots] == [("before-patch", False), ("after-patch", True)]
    assert vm.snapshots[1].parent == vm.snapshots[0].id
    assert vm.current_snapshot == vm.snapshots[1].id and vm.snapshots[0].description == "first"


def test_wrong_password_is_an_auth_error_without_the_password(vcsim):
    src = VSphereSource(vcsim.host, vcsim.port, vcsim.user, "Wr0ng-S3cret!", insecure=True)
    with pytest.raises(AuthError) as err:
        src.discover()
    assert "Wr0ng-S3cret!" not in str(err.value) + repr(err.value) + err.value.details + err.value.fix


def test_unreachable_host_is_a_connect_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before we connect: nothing listens there
    with pytest.raises(ConnectError) as err:
        VSphereSource("127.0.0.1", port, "user", "pass").discover()
    assert f"127.0.0.1:{port}" in str(err.value) and err.value.fix


def test_self_signed_certificate_is_refused_with_its_thumbprint(vcsim):
    with pytest.raises(CertificateError) as err:
        VSphereSource(vcsim.host, vcsim.port, vcsim.user, vcsim.password).discover()
    assert err.value.thumbprint == fetch_thumbprint(vcsim.host, vcsim.port)
    assert err.value.thumbprint in err.value.fix


def test_wrong_pin_is_refused_before_login(vcsim):
    wrong = ":".join(["AB"] * 32)
    src = VSphereSource(vcsim.host, vcsim.port, vcsim.user, vcsim.password, thumbprint=wrong)
    with pytest.raises(CertificateError) as err:
        src.discover()
    assert err.value.thumbprint == fetch_thumbprint(vcsim.host, vcsim.port)
    assert src.soap_requests <= 1  # refused on the handshake of the very first request


def test_pin_is_remembered_and_password_comes_from_the_keyring(vcsim, config_dir):
    pin = fetch_thumbprint(vcsim.host, vcsim.port)
    with VSphereSource(vcsim.host, vcsim.port, vcsim.user, vcsim.password, thumbprint=pin, remember=True) as src:
        src.connect()
    assert known_thumbprint(vcsim.host, vcsim.port) == pin
    assert vcsim.password not in (config_dir / "known_hosts.json").read_text()
    assert secrets.lookup("vsphere", vcsim.user, vcsim.host) == vcsim.password
    with VSphereSource(vcsim.host, vcsim.port, vcsim.user) as again:  # no pin, no password given
        assert again.discover().vms


def test_missing_password_without_keyring_entry_asks_for_it(vcsim):
    with pytest.raises(AuthError, match="No password"):
        VSphereSource(vcsim.host, vcsim.port, "nobody", insecure=True).connect()


def test_password_never_reaches_logs_inventory_or_errors(caplog):
    secret = "Zq9-sEcReT-Pw!"
    sim = start_vcsim(f"-pass={secret}")  # a password no ordinary text contains
    try:
        caplog.set_level(logging.DEBUG)
        texts = []
        for bad in ("n0t-" + secret, secret + "x"):
            with pytest.raises(AuthError) as err:
                VSphereSource(sim.host, sim.port, sim.user, bad, insecure=True).connect()
            texts += [str(err.value), repr(err.value), json.dumps(err.value.to_dict())]
        src = VSphereSource(sim.host, sim.port, sim.user, secret, insecure=True)
        inv = src.discover()
        texts += [json.dumps(inv.to_json()), src.describe(), repr(src)]
        with pytest.raises(SourceError) as err:
            src.open_bytes("DC0", "[LocalDS_0] no/such.vmdk")
        texts += [str(err.value), repr(err.value), json.dumps(err.value.to_dict())]
        src.close()
    finally:
        sim.stop()
    texts += [rec.getMessage() for rec in caplog.records]
    assert any("insecure" in t for t in texts)  # the log did capture our connection messages
    assert inv.vms and not [t for t in texts if secret in t or "sEcReT" in t]


def test_fast_reply_reader_gives_the_same_inventory_as_pyvmomi(vcsim, vcsim_vms):
    docs = []
    for fast in (True, False):
        with VSphereSource(vcsim.host, vcsim.port, vcsim.user, vcsim.password, insecure=True) as src:
            src.fast_xml = fast
            doc = src.discover().to_json()
        doc.pop("collected_at")
        docs.append(doc)
    assert docs[0] == docs[1] and len(docs[0]["vms"]) >= 10


def test_discovery_reports_progress_and_honours_cancel(vcsim):
    from wizard.core.errors import Cancelled
    from wizard.core.progress import CancelToken

    events = []
    with VSphereSource(vcsim.host, vcsim.port, vcsim.user, vcsim.password, insecure=True) as src:
        inv = src.discover(progress=events.append)
        assert events and events[-1].stage == "discover" and events[-1].done == len(inv.vms)
        token = CancelToken()
        token.cancel()
        with pytest.raises(Cancelled):
            src.discover(cancel=token)

"""The core model: versioned JSON that round-trips and refuses what it cannot read."""

from __future__ import annotations

import json

import pytest

from wizard.core.errors import SchemaError
from wizard.core.inventory import (
    Backing,
    Controller,
    Disk,
    DiskMode,
    Firmware,
    GuestIP,
    GuestOS,
    Inventory,
    Nic,
    PowerState,
    Sharing,
    Snapshot,
    SourceVM,
)
from wizard.core.plan import DiskSpec, DiskType, MemorySpec, NicSpec, Plan, PlanItem, SourceRef, VMSpec


def _vm() -> SourceVM:
    return SourceVM(
        id="vm-42", name='web "01" $(rm -rf /)', source_kind="vsphere", firmware=Firmware.EFI, secure_boot=True,
        guest=GuestOS(id="windows2019srv_64Guest", family="windows", bits=64), cpus=4, memory_mb=8192,
        disks=[Disk(label="Hard disk 1", controller=Controller.PVSCSI, capacity_bytes=3 * 1024**4,
                    backing=Backing.SPARSE, mode=DiskMode.INDEPENDENT_PERSISTENT, sharing=Sharing.MULTI_WRITER,
                    chain=["[ds] a/a.vmdk", "[ds] a/a-000001.vmdk"])],
        nics=[Nic(model="vmxnet3", mac="00:50:56:aa:bb:cc", network="VM Network", vlan=12)],
        snapshots=[Snapshot(id="1", name="before patch")], current_snapshot="1",
        power_state=PowerState.ON, guest_ips=[GuestIP(address="10.0.0.5", prefix_length=24, origin="manual")],
    )


def test_inventory_round_trips_through_json(tmp_path):
    inv = Inventory(source="vsphere://vc.example", source_kind="vsphere", vms=[_vm()])
    path = tmp_path / "inv.json"
    inv.save(path)
    data = json.loads(path.read_text())
    assert data["schema"] == "hvmigrate.inventory/1"
    assert data["vms"][0]["disks"][0]["controller"] == "pvscsi"
    assert Inventory.load(path) == inv


def test_plan_round_trips_through_json(tmp_path):
    plan = Plan(source=SourceRef(kind="vsphere", address="vc:443", user="admin"), target_version="2019",
                items=[PlanItem(vm=_vm(), target=VMSpec(
                    name="web01", generation=2, memory=MemorySpec(startup_mb=8192, dynamic=True),
                    disks=[DiskSpec(file_name="web01.vhdx", type=DiskType.FIXED)],
                    nics=[NicSpec(switch="External", vlan_id=12)]))])
    path = tmp_path / "plan.json"
    plan.save(path)
    assert Plan.load(path) == plan
    assert not (tmp_path / "plan.json.partial").exists()


def test_newer_document_is_refused_with_upgrade_hint(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"schema": "hvmigrate.plan/99", "items": []}))
    with pytest.raises(SchemaError) as err:
        Plan.load(path)
    assert "newer hvmigrate" in err.value.message
    assert "Upgrade" in err.value.fix
    assert str(path) in err.value.message


def test_wrong_kind_and_bad_types_name_the_field(tmp_path):
    with pytest.raises(SchemaError, match="inventory file, not a plan"):
        Plan.from_json({"schema": "hvmigrate.inventory/1"})
    with pytest.raises(SchemaError, match=r"\$\.items\[0\]\.target\.cpus: expected an integer"):
        Plan.from_json({"schema": "hvmigrate.plan/1", "items": [{"target": {"cpus": "four"}}]})
    with pytest.raises(SchemaError, match="not one of"):
        Inventory.from_json({"schema": "hvmigrate.inventory/1", "vms": [{"firmware": "coreboot"}]})


def test_broken_json_names_file_and_position(tmp_path):
    path = tmp_path / "inv.json"
    path.write_text('{"schema": "hvmigrate.inventory/1",\n "vms": [}')
    with pytest.raises(SchemaError, match=r"line 2"):
        Inventory.load(path)

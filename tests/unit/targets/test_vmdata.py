"""The create-VM settings: validation, placement and value formats decided in Python (not in PowerShell)."""

from __future__ import annotations

import json

import pytest

from wizard.core.errors import PlanError
from wizard.core.inventory import Disk, GuestOS, SourceVM
from wizard.core.plan import (
    DeviceAction,
    DeviceChoice,
    DiskSpec,
    MemorySpec,
    NicSpec,
    PlanItem,
    TargetController,
    VMSpec,
)
from wizard.targets.base import DiskResult
from wizard.targets.bundle import sanitize_name
from wizard.targets.powershell import decode_data, encode_data, parse_result
from wizard.targets.vmdata import (
    build_create_data,
    hyperv_bios_guid,
    normalize_mac,
    plan_problems,
    vm_tag,
)


def _item(**spec) -> PlanItem:
    vm = SourceVM(id="vm-1", name="web01", source_kind="vsphere", disks=[Disk(capacity_bytes=1 << 30)],
                  guest=GuestOS(family="windows"))
    base = dict(name="web01", disks=[DiskSpec(file_name="web01.vhdx", capacity_bytes=1 << 30, boot=True)],
                nics=[NicSpec(switch="LAN")])
    base.update(spec)
    return PlanItem(vm=vm, target=VMSpec(**base))


def _stored(item):
    return [DiskResult(d, d.file_name, "x\\" + d.file_name, True, 10, "ab" * 32) for d in item.target.disks]


def test_a_valid_item_has_no_problems():
    assert plan_problems(_item()) == []


@pytest.mark.parametrize(("spec", "words"), [
    ({"generation": 3}, "Generation must be 1 or 2"),
    ({"name": " "}, "no name"),
    ({"name": "x" * 101}, "at most 100"),
    ({"version": "latest"}, "not of the form"),
    ({"cpus": 0}, "at least one"),
    ({"memory": MemorySpec(startup_mb=1024, dynamic=True, minimum_mb=2048, maximum_mb=4096)}, "minimum ≤ startup"),
    ({"checkpoint_type": "Sometimes"}, "Checkpoint type"),
    ({"automatic_stop_action": "Explode"}, "stop action"),
    ({"secure_boot_template": "Foo"}, "Secure Boot template"),
    ({"generation": 1, "tpm": True, "disks": [DiskSpec(file_name="a.vhdx", controller=TargetController.IDE)]},
     "TPM needs a generation 2"),
    ({"disks": [DiskSpec(file_name="a.vhdx", controller=TargetController.IDE)]}, "no IDE controller"),
    ({"generation": 1, "disks": [DiskSpec(file_name="a.vhdx", boot=True)]}, "boots only from an IDE disk"),
    ({"disks": [DiskSpec(file_name="a.vhdx"), DiskSpec(source_index=1, file_name="b.vhdx")]}, "same controller slot"),
    ({"disks": [DiskSpec(file_name="a.vhdx", controller_number=4)]}, "does not exist"),
    ({"nics": [NicSpec(switch="LAN", static_mac="nonsense")]}, "not a MAC address"),
    ({"nics": [NicSpec(switch="LAN", vlan_id=5000)]}, "outside 1–4094"),
    ({"nics": [NicSpec(switch="LAN", legacy=True)]}, "legacy network adapters"),
    ({"devices": [DeviceChoice(device_label="USB 1", kind="usb", action=DeviceAction.BLOCK)]}, "block"),
])
def test_problems_are_named(spec, words):
    problems = plan_problems(_item(**spec))
    assert any(words in p for p in problems), problems
    with pytest.raises(PlanError):
        build_create_data(_item(**spec), _stored(_item(**spec)), verify_hashes=True)


def test_formats_decided_in_python():
    assert normalize_mac("00:50:56:aa:bb:cc") == normalize_mac("00-50-56-AA-BB-CC") == "005056AABBCC"
    assert normalize_mac("") == ""
    assert hyperv_bios_guid("42 1a 2b 3c 4d 5e 6f 70-81 92 a3 b4 c5 d6 e7 f8") == \
        "{3C2B1A42-5E4D-706F-8192-A3B4C5D6E7F8}"
    assert hyperv_bios_guid("not a uuid") == ""


def test_tag_is_stable_and_specific():
    a, b = _item(), _item(name="web02")
    assert vm_tag(a) == vm_tag(_item()) != vm_tag(b)
    assert vm_tag(a).startswith("[hvmigrate-id:") and vm_tag(a).endswith("]")


def test_create_data_defaults_and_round_trip():
    item = _item(notes="", keep_bios_uuid=False)
    data = build_create_data(item, _stored(item), verify_hashes=True)
    assert data["vm"]["notes"].endswith(vm_tag(item)) and "web01" in data["vm"]["notes"]
    assert data["vm"]["bios_guid"] == "" and data["vm"]["scsi_controllers"] == 1
    assert data["disks"][0]["sha256"] == "AB" * 32 and data["disks"][0]["boot"]
    assert decode_data(encode_data(data)) == data
    assert json.loads(json.dumps(data)) == data


def test_excluded_disks_are_left_out_and_gen1_dvd_goes_to_ide1():
    item = _item(generation=1, secure_boot=False,
                 disks=[DiskSpec(file_name="a.vhdx", controller=TargetController.IDE, boot=True),
                        DiskSpec(source_index=1, file_name="b.vhdx", include=False)],
                 devices=[DeviceChoice(kind="cdrom", action=DeviceAction.CONVERT)])
    data = build_create_data(item, _stored(item)[:1], verify_hashes=False)
    assert [d["file"] for d in data["disks"]] == ["a.vhdx"]
    assert data["dvd_drives"] == [{"controller_number": 1, "controller_location": 0}]
    assert data["vm"]["scsi_controllers"] == 0 and data["vm"]["bios_startup_order"][0] == "IDE"


@pytest.mark.parametrize(("name", "expected"), [
    ("web01", "web01"), ("CON", "_CON-"), ("a/b\\c", "a_b_c-"), ("$(x)", "x-"), ("", "vm-"), ("..", "vm-"),
    ("Ünïcødé", "Ünïcødé"),
])
def test_sanitize_name(name, expected):
    out = sanitize_name(name)
    assert out.startswith(expected) and not set(out) & set("/\\:*?\"<>|$`';@#\n")


def test_parse_result_takes_the_last_marker_line():
    out = "noise\r\nHVMIGRATE-RESULT:" + encode_data({"ok": False}) + "\r\nHVMIGRATE-RESULT:" + \
        encode_data({"ok": True, "name": "Ünï"}) + "\r\n"
    assert parse_result(out) == {"ok": True, "name": "Ünï"}
    assert parse_result("nothing") is None


def test_create_vm_script_reads_every_setting_it_is_given():
    """Each key of the settings document is read by Create-VM.ps1 (``.key``), so no planned value is silently
    ignored; and every ``$S.x`` / ``$vmSpec.x`` the script reads exists in the document."""
    import re

    from wizard.core.plan import DeviceAction, DeviceChoice
    from wizard.core.resources import resource_path

    script = resource_path("powershell", "Create-VM.ps1").read_text(encoding="utf-8")
    item = _item(devices=[DeviceChoice(kind="cdrom", action=DeviceAction.CONVERT)],
                 integration_services={"Heartbeat": True})
    data = build_create_data(item, _stored(item), verify_hashes=True)
    not_read = {"file", "schema"}  # "file" is for people reading the manifest; schema is checked as $create.schema

    def keys(node, out):
        if isinstance(node, dict):
            for k, v in node.items():
                out.add(k)
                keys(v, out)
        elif isinstance(node, list):
            for v in node:
                keys(v, out)
        return out

    missing = sorted(k for k in keys(data, set()) - not_read if f".{k}" not in script)
    assert missing == []
    used = set(re.findall(r"\$(?:S|vmSpec|mem|disk|nic|dvd|service)\.([a-z_0-9]+)", script))
    assert used <= keys(data, set()), used - keys(data, set())

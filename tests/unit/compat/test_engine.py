"""The engine: ordering, plans, validation of saved plans, and the rule registry's own contract."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.unit.compat.vms import make_vm, one
from wizard.compat.engine import assess, build_plan, plan_with_report, validate_plan
from wizard.compat.rules import all_rules, codes
from wizard.core.errors import PlanError
from wizard.core.findings import Severity
from wizard.core.inventory import Backing, Firmware, Inventory
from wizard.core.plan import Plan


def _inventory():
    blocked = make_vm(name="enc", encrypted=True)
    return Inventory(source="test", source_kind="test",
                     vms=[make_vm(name="a"), blocked, make_vm(name="b", firmware=Firmware.BIOS)])


def test_findings_are_sorted_blockers_first_and_vms_keep_their_order():
    vm = make_vm(encrypted=True, hibernated=True, tools_status="ok", snapshots=[])
    vm.disks[0].backing = Backing.RDM_VIRTUAL
    a = one(vm)
    ranks = [f.severity.rank for f in a.findings]
    assert ranks == sorted(ranks) and a.findings[0].severity is Severity.BLOCKER
    assert [x.vm.name for x in assess(_inventory())] == ["a", "enc", "b"]


def test_plan_takes_every_unblocked_vm_and_reports_the_rest():
    plan, results = plan_with_report(_inventory(), template="auto")
    assert [i.vm.name for i in plan.items] == ["a", "b"]
    assert [r.assessment.vm.name for r in results if r.assessment.blocked] == ["enc"]
    assert plan.items[1].target.generation == 1 and plan.items[1].template == "Legacy BIOS — Gen 1"


def test_naming_a_blocked_vm_is_an_error_listing_the_blocker():
    with pytest.raises(PlanError) as caught:
        build_plan(_inventory(), vm_names=["a", "enc"])
    assert "enc" in caught.value.message and "VM-ENCRYPTED" in caught.value.message


def test_naming_a_missing_vm_is_an_error():
    with pytest.raises(PlanError, match="nope"):
        build_plan(_inventory(), vm_names=["nope"])


def test_plan_round_trips_and_validates_clean():
    plan = build_plan(_inventory(), sets=["cpus=4"], network_map={"VM Network": ("LAN", 5)}, target_version="2022")
    again = Plan.from_json(json.loads(json.dumps(plan.to_json())))
    assert again.items[0].target.cpus == 4 and again.items[0].target.nics[0].switch == "LAN"
    assert again.target_version == "2022" and again.network_map[0].vlan_id == 5
    assert not [f for f in validate_plan(again) if f.severity is Severity.BLOCKER]


@pytest.mark.parametrize("field, value, text", [
    ("generation", 3, "generation"), ("cpus", 0, "cpus"), ("secure_boot_template", "Nope", "secure_boot_template"),
    ("checkpoint_type", "Sometimes", "checkpoint_type"), ("version", "x", "version"),
])
def test_invalid_plan_values_are_blockers(field, value, text):
    plan = build_plan(_inventory())
    setattr(plan.items[0].target, field, value)
    bad = [f for f in validate_plan(plan) if f.code == "PLAN-INVALID"]
    assert bad and bad[0].severity is Severity.BLOCKER and text in bad[0].message


def test_invalid_disk_and_nic_values_in_a_plan():
    plan = build_plan(_inventory())
    t = plan.items[0].target
    t.memory.startup_mb = 0
    t.disks[0].file_name = "..\\evil.vhdx"
    t.disks[0].block_size_bytes = 3 * 1024 * 1024
    t.nics[0].vlan_id = 5000
    msgs = " ".join(f.message for f in validate_plan(plan) if f.code == "PLAN-INVALID")
    assert "memory.startup_mb" in msgs and "file_name" in msgs and "block_size" in msgs and "vlan_id" in msgs


def test_validate_reports_what_the_rules_would_have_adjusted():
    plan = build_plan(Inventory(vms=[make_vm(guest="windows11_64Guest")]))
    plan.items[0].target.tpm = False
    assert any(f.code == "TPM-WIN11" and f.severity is Severity.BLOCKER for f in validate_plan(plan))
    plan.target_version = "2003"
    assert any(f.code == "PLAN-INVALID" and "target_version" in f.message for f in validate_plan(plan))


def test_bad_settings_are_typed_errors_naming_the_key():
    for pairs, text in ((["cpus=abc"], "cpus"), (["frobnicate=1"], "frobnicate"), (["generation"], "key=value"),
                        (["disk.block_size=3M"], "power of two"), (["nic.vlan=9999"], "nic.vlan")):
        with pytest.raises(PlanError, match=re.escape(text)):
            assess([make_vm()], overrides=pairs)


def test_unknown_target_version_is_a_typed_error():
    with pytest.raises(PlanError, match="2003"):
        assess([make_vm()], target_version="2003")


def test_every_rule_has_title_reference_and_is_tested_both_ways():
    tests = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    for code, info in codes().items():
        assert info.title and info.reference, code
        if code in ("DISK-PLACEMENT", "PLAN-INVALID", "DISK-LAYOUT"):
            continue  # placement reports through the codes it declares; validation codes have their own tests
        hits = tests.count(f'"{code}"')
        assert hits >= 2, f"{code} needs a test that it fires and one that it does not"
    assert len(all_rules()) >= 45


def test_nested_overrides_are_per_vm_choices():
    from wizard.core.inventory import Device, DeviceKind

    vm = make_vm(name="web01", devices=[Device(kind=DeviceKind.USB, label="Dongle")])
    a, b = assess([vm, make_vm(name="db")], overrides={"web01": {"device:Dongle": "block"}, "cpus": "3"})
    assert a.blocked and not b.blocked and a.spec.cpus == b.spec.cpus == 3

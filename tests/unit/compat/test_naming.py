"""Names: file names derived from hostile VM names, and duplicates."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.unit.compat.vms import codes, finding, make_vm, one
from wizard.compat.engine import assess
from wizard.compat.names import safe_file_stem
from wizard.core.findings import Severity

HOSTILE = 'a"b\'c$(rm -rf /)`x`;y\nz<script>alert(1)</script>\\..\\CON'


def test_hostile_name_is_kept_for_the_vm_and_cleaned_for_files():
    a = one(make_vm(name=HOSTILE))
    assert a.spec.name == HOSTILE
    name = a.spec.disks[0].file_name
    assert not set('<>:"/\\|?*\n') & set(name) and name.endswith("-disk0.vhdx")
    assert finding(a, "NAME-INVALID").adjusted
    assert "NAME-INVALID" not in codes(make_vm(name="web01"))


def test_empty_name_uses_the_id():
    a = one(make_vm(name=""))
    assert a.spec.name == "vm-" and finding(a, "NAME-INVALID").severity is Severity.WARNING


def test_reserved_device_names_and_trailing_dots_are_avoided():
    assert safe_file_stem("CON") == "_CON"
    assert safe_file_stem("lpt1.txt") == "_lpt1.txt"
    assert safe_file_stem("web. ") == "web"
    assert safe_file_stem("..") == "vm"


@given(st.text(max_size=400))
def test_any_name_gives_a_windows_safe_stem(name):
    stem = safe_file_stem(name)
    assert stem and len(stem) <= 101  # 100, plus '_' before a reserved name
    assert not any(c in '<>:"/\\|?*' or ord(c) < 32 for c in stem)
    assert not stem.endswith((".", " "))
    assert stem.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


def test_duplicate_names_get_distinct_files():
    a, b, c = assess([make_vm(name="app"), make_vm(name="APP"), make_vm(name="other")])
    assert a.spec.disks[0].file_name.lower() != b.spec.disks[0].file_name.lower()
    assert "NAME-DUPLICATE" in {f.code for f in a.findings} | {f.code for f in b.findings}
    assert "NAME-DUPLICATE" not in {f.code for f in c.findings}


def test_numbered_names_never_collide_with_generated_ones():
    results = assess([make_vm(name=n) for n in ("a", "A", "a-2", "a/b", "a_b")])
    files = [a.spec.disks[0].file_name.lower() for a in results]
    assert len(set(files)) == len(files)


def test_a_name_longer_than_hyperv_takes_is_shortened_and_said():
    a = one(make_vm(name="x" * 300))
    assert len(a.spec.name) <= 100 and a.spec.name.startswith("x" * 80)
    f = finding(a, "NAME-LONG")
    assert f.adjusted and f.severity is Severity.WARNING and a.spec.name in f.message
    assert "NAME-LONG" not in codes(make_vm(name="y" * 100))


def test_vms_of_the_same_name_get_names_of_their_own():
    a, b, c = assess([make_vm(name="app"), make_vm(name="APP"), make_vm(name="app-2")])
    names = [x.spec.name.casefold() for x in (a, b, c)]
    assert a.spec.name == "app" and len(set(names)) == 3
    assert finding(b, "NAME-DUPLICATE").adjusted and b.spec.name in finding(b, "NAME-DUPLICATE").message


def test_plan_and_its_check_agree_on_empty_long_and_repeated_names():
    """What the plan builder lists as planned, the plan's own check (plan --check, migrate's re-check) passes:
    no blocker for a VM without a name, with 300 or 10,000 characters, or with another VM's name."""
    from wizard.compat.engine import plan_with_report, validate_plan
    from wizard.compat.validate import duplicate_names
    from wizard.core.inventory import Inventory

    names = ["", "x" * 300, "y" * 10_000, "web", "WEB", "web", "z" * 300]
    vms = [make_vm(name=n) for n in names]
    for i, vm in enumerate(vms):
        vm.id = f"vm-{i}"
    plan, _results = plan_with_report(Inventory(vms=vms))
    assert len(plan.items) == len(names)
    assert not [f for f in validate_plan(plan) if f.severity is Severity.BLOCKER]
    assert duplicate_names(plan.items) == {}
    assert all(0 < len(i.target.name) <= 100 for i in plan.items)


def test_a_hand_edited_plan_with_a_repeated_or_long_name_is_blocked_by_its_check():
    from wizard.compat.engine import plan_with_report, validate_items
    from wizard.core.inventory import Inventory

    plan, _ = plan_with_report(Inventory(vms=[make_vm(name="a"), make_vm(name="b"), make_vm(name="c")]))
    plan.items[1].target.name = "A"
    plan.items[2].target.name = "c" * 101
    _general, found = validate_items(plan)
    blockers = [[f.code for f in item if f.severity is Severity.BLOCKER] for item in found]
    assert blockers[0] == [] and "NAME-DUPLICATE" in blockers[1] and "NAME-LONG" in blockers[2]

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

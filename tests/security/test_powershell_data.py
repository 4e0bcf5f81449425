"""Hostile values reach hvmigrate's PowerShell only as data: never in the command line, never as code.

PowerShell cannot run here; the evidence is (1) every invocation's command line is the same fixed bytes
whatever the values, and its stdin holds only base64 that decodes back to the static script text and the
exact values; (2) a tree-sitter scan of every shipped script: no Invoke-Expression, no string-built script
blocks outside the bootstrap, no expandable strings holding variables, no wildcard/regex patterns or
WMI filters built from data, and no cmdlet given a VM/switch *name* (Hyper-V's -Name/-VMName take
wildcards, so a VM named ``web*`` would match others).
"""

from __future__ import annotations

import re

import pytest

from tests.security.hostile import HOSTILE
from tests.unit.targets.psparse import _walk, commands_used, parse, syntax_problems
from wizard.core.errors import PlanError
from wizard.core.inventory import Disk, GuestIP, GuestOS, SourceVM
from wizard.core.plan import DiskSpec, NicSpec, PlanItem, VMSpec
from wizard.core.resources import resource_path
from wizard.targets import powershell
from wizard.targets.base import DiskResult
from wizard.targets.guest_fixups import windows_fixup_data
from wizard.targets.vmdata import build_create_data, vm_tag

SCRIPTS = sorted(resource_path("powershell").glob("*.ps1"))
_BASE64_LINES = re.compile(rb"[A-Za-z0-9+/=]+\r\n[A-Za-z0-9+/=]+\r\n")


def _item(value: str, *, name: str | None = None, path: str = "") -> PlanItem:
    vm = SourceVM(id=value, name=value, source_kind="vsphere", disks=[Disk(capacity_bytes=1 << 30)],
                  guest=GuestOS(family="windows"),
                  guest_ips=[GuestIP(address="10.0.0.5", prefix_length=24, origin="manual", gateways=[value],
                                     dns_servers=[value])])
    spec = VMSpec(name=value if name is None else name, path=path, notes=value,
                  disks=[DiskSpec(file_name=value + ".vhdx", capacity_bytes=1 << 30, boot=True)],
                  nics=[NicSpec(name=value, switch=value)])
    return PlanItem(vm=vm, target=spec)


def _stored(item: PlanItem) -> list[DiskResult]:
    return [DiskResult(d, d.file_name, d.file_name, False, 10, "ab" * 32) for d in item.target.disks]


def _baseline_command() -> tuple[str, tuple[str, ...]]:
    inv = powershell.build_invocation("create_vm", {"x": 1})
    return inv.command, inv.arguments


def _check_invocation(script: str, data: dict) -> None:
    inv = powershell.build_invocation(script, data)
    assert (inv.command, inv.arguments) == _baseline_command(), "the command line never depends on values"
    assert _BASE64_LINES.fullmatch(inv.stdin), "stdin is two base64 words and nothing else"
    text, decoded = powershell.decode_stdin(inv.stdin)
    assert text == powershell.load_script(script), "the script text is the static file, unchanged"
    assert decoded == data, "every value arrives exactly as given"


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_travel_only_as_base64_data(value):
    item = _item(value)
    try:
        data = build_create_data(item, _stored(item), verify_hashes=True)
    except PlanError as exc:  # empty / over-long VM names: refused with a typed error naming the problem
        assert "name" in exc.message.lower()
        item = _item(value, name="vm")
        data = build_create_data(item, _stored(item), verify_hashes=True)
        assert data["vm"]["name"] == "vm"
    else:
        assert data["vm"]["name"] == value
    assert data["nics"][0] == {"name": value, "switch": value, "vlan_id": 0, "static_mac": "", "legacy": False}
    assert data["disks"][0]["path"] == value + ".vhdx"
    _check_invocation("create_vm", data)
    item = _item(value, name="vm", path=value)  # the VM folder on the host, as typed into the plan
    data = build_create_data(item, _stored(item), verify_hashes=True)
    assert data["vm"]["path"] == value
    _check_invocation("create_vm", data)
    _check_invocation("remove_vm", {"name": value, "tag": vm_tag(item), "remove_files": [value]})
    _check_invocation("start_vm", {"name": value, "tag": vm_tag(item)})
    fixups = windows_fixup_data(item, user=value, password=value, vm_id=value)
    assert fixups["user"] == value and fixups["password"] == value
    _check_invocation("guest_fixups", fixups)


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_source_text_cannot_forge_the_notes_markers(value):
    """The script decides "ours" and "unfinished" from markers in Notes; a source name or annotation holding
    them (``[hvmigrate: incomplete]``) would make a finished VM look unfinished, and the next run would
    remove and rebuild it. Only the item's own tag, once, at the end."""
    item = _item(value, name="vm")
    notes = build_create_data(item, _stored(item), verify_hashes=True)["vm"]["notes"]
    tag = vm_tag(item)
    assert notes.endswith("\r\n" + tag)
    assert "[hvmigrate: incomplete]" not in notes.lower()
    assert notes.count("[hvmigrate-id:") == 1
    item.target.notes = ""  # the default Notes quote the source VM's name
    notes = build_create_data(item, _stored(item), verify_hashes=True)["vm"]["notes"]
    assert "[hvmigrate: incomplete]" not in notes.lower() and notes.count("[hvmigrate-id:") == 1


def test_nested_markers_are_removed_too():
    item = _item("x", name="vm")
    item.target.notes = "[hvmigrate: [hvmigrate: incomplete]incomplete] [HVMIGRATE-ID:[hvmigrate-id:1]ab]"
    notes = build_create_data(item, _stored(item), verify_hashes=True)["vm"]["notes"]
    assert "incomplete" not in notes and notes.lower().count("hvmigrate-id") == 1


# -- the scripts themselves -----------------------------------------------------------------------------

_PATTERN_OPERATORS = re.compile(r"-[ci]?(not)?(like|match)$|-[ci]?(replace|split)$", re.IGNORECASE)
_FORBIDDEN_COMMANDS = {"invoke-expression", "iex", "add-type", "new-psdrive", "invoke-wmimethod"}
# Cmdlets whose name parameters take wildcards: the scripts list everything and compare with -eq instead.
_NAME_LOOKUPS = {"get-vm": {"name", "vmname"}, "get-vmswitch": {"name", "switchname"},
                 "invoke-command": {"vmname", "computername"}, "remove-vm": {"name", "vmname"},
                 "stop-vm": {"name", "vmname"}, "get-vmnetworkadapter": {"vmname", "name"},
                 "get-ciminstance": {"filter", "query"}, "get-wmiobject": {"filter", "query"}}


def _constant(node) -> bool:
    """Only single-quoted (verbatim) string literals, possibly a comma list of them."""
    leaves = [n.type for n in _walk(node) if n.child_count == 0]
    return bool(leaves) and all(t in ("verbatim_string_characters", "verbatim_here_string_characters", ",")
                                for t in leaves)


def script_problems(name: str, text: str) -> list[str]:
    """Places where a script could turn a value into code, a pattern or a name lookup."""
    root = parse(text).root_node
    problems = []
    for node in _walk(root):
        line = node.start_point[0] + 1
        if node.type in ("expandable_string_literal", "expandable_here_string_literal"):
            inner = [n for n in _walk(node) if n is not node and n.type in ("variable", "sub_expression")]
            if inner:
                problems.append(f"line {line}: value expanded into a string {node.text.decode()[:40]!r}")
        elif node.type == "comparison_expression" and len(node.children) == 3:
            op = node.children[1].text.decode()
            right = node.children[2]
            if _PATTERN_OPERATORS.match(op) and not _constant(right):
                problems.append(f"line {line}: {op} with a pattern that is not a constant literal")
        elif (node.type == "invokation_expression" and "scriptblock]::create" in node.text.decode().lower()
              and name != "Bootstrap.ps1"):
            problems.append(f"line {line}: script block built from a string")
    for use in commands_used(text):
        command = use.name.lower()
        if command in _FORBIDDEN_COMMANDS:
            problems.append(f"line {use.line}: {use.name}")
        bad = {p.lower() for p in use.parameters} & _NAME_LOOKUPS.get(command, set())
        if bad:
            problems.append(f"line {use.line}: {use.name} -{'/-'.join(sorted(bad))} (wildcards / filter text)")
    return problems


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_scripts_never_turn_data_into_code_or_patterns(path):
    text = path.read_text(encoding="utf-8")
    assert syntax_problems(text) == []
    assert script_problems(path.name, text) == []


def test_the_scan_has_teeth():
    """The same scan flags the classic mistakes."""
    bad = ("$n = $S.vm.name\nGet-VM -Name $n\nInvoke-Expression $x\n$a = \"name $n\"\n"
           "if ($v -like $n) { }\nGet-CimInstance -ClassName C -Filter ('Name=' + $n)\n"
           "$b = [ScriptBlock]::Create($n)\n")
    found = "\n".join(script_problems("Bad.ps1", bad)).lower()
    for expected in ("get-vm -name", "invoke-expression", "expanded into a string", "-like", "-filter",
                     "script block built from a string"):
        assert expected in found, expected


@pytest.mark.parametrize("name", ["..\\..\\Windows\\System32", "../../etc", "C:\\Windows", "a:b", "web*", "CON",
                                  "trailing.", "..", "line\nbreak"])
def test_a_vm_name_that_is_no_folder_name_is_refused_when_a_vm_path_is_set(name):
    """New-VM -Path P -Name N keeps the VM in P\\N: N must stay one folder inside P."""
    item = _item("x", name=name, path="D:\\VMs")
    with pytest.raises(PlanError) as info:
        build_create_data(item, _stored(item), verify_hashes=True)
    assert "folder" in " ".join([info.value.message, info.value.details])
    item.target.path = ""  # the host's default folder: the name is not part of any path, so it is kept
    assert build_create_data(item, _stored(item), verify_hashes=True)["vm"]["name"] == name

"""Every cmdlet and parameter the scripts use is in resources/hyperv_cmdlets.json, with its documentation page
and a minimum host version no newer than the oldest host hvmigrate supports."""

from __future__ import annotations

import json

import pytest

from tests.unit.targets.psparse import commands_used, functions_defined
from wizard.core.resources import resource_path

TABLE = json.loads(resource_path("hyperv_cmdlets.json").read_text(encoding="utf-8"))
SCRIPTS = sorted(resource_path("powershell").glob("*.ps1"))
HOST_ORDER = ["2012", "2012 R2", "2016", "2019", "2022", "2025"]


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_script_uses_only_documented_cmdlets_and_parameters(path):
    text = path.read_text(encoding="utf-8")
    own = functions_defined(text)
    cmdlets = {k.lower(): v for k, v in TABLE["cmdlets"].items()}
    common = {p.lower() for p in TABLE["common_parameters"]}
    unknown = []
    for use in commands_used(text):
        if use.name in own:
            continue
        entry = cmdlets.get(use.name.lower())
        if entry is None:
            unknown.append(f"line {use.line}: cmdlet {use.name}")
            continue
        params = {p.lower() for p in entry["parameters"]} | common
        unknown += [f"line {use.line}: {use.name} -{p}" for p in sorted(use.parameters) if p.lower() not in params]
    assert unknown == [], "add them to resources/hyperv_cmdlets.json after checking Microsoft's documentation"


def test_table_entries_name_their_documentation_and_fit_the_oldest_host():
    oldest = HOST_ORDER.index(TABLE["oldest_host"])
    for name, entry in TABLE["cmdlets"].items():
        assert entry["doc"]["repo"].startswith("MicrosoftDocs/"), name
        assert entry["doc"]["path"].endswith(f"/{name}.md"), name
        assert entry["url"].startswith("https://learn.microsoft.com/powershell/module/"), name
        assert entry["checked"], name
        for param, since in entry["parameters"].items():
            assert HOST_ORDER.index(since) <= oldest, f"{name} -{param} needs Windows Server {since}"


def test_table_lists_nothing_unused():
    used: dict[str, set[str]] = {}
    for path in SCRIPTS:
        text = path.read_text(encoding="utf-8")
        for use in commands_used(text):
            used.setdefault(use.name.lower(), set()).update(p.lower() for p in use.parameters)
    for name, entry in TABLE["cmdlets"].items():
        assert name.lower() in used, f"{name} is in the table but no script uses it"
        stale = {p.lower() for p in entry["parameters"]} - used[name.lower()]
        assert not stale, f"{name}: parameters listed but unused: {stale}"


def test_parameter_check_has_teeth():
    uses = commands_used("New-VM -Name $n -Bogus 1\n$a = @{ Name = 1 }\n$a.Undocumented = 2\nAdd-VMNetworkAdapter @a\n")
    by_name = {u.name: u.parameters for u in uses}
    assert by_name["New-VM"] == {"Name", "Bogus"}
    assert by_name["Add-VMNetworkAdapter"] == {"Name", "Undocumented"}

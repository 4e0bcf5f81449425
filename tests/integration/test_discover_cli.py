"""`hvmigrate discover` end to end, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "sources"


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wizard", "discover", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_demo_json_with_snapshot_count(tmp_path: Path):
    out = run_cli("demo", "--json", "-o", str(tmp_path / "inv.json"),
                  env={"HVMIGRATE_CACHE_DIR": str(tmp_path / "cache")})
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["schema"] == "hvmigrate.inventory/1" and doc["source"] == "demo"
    assert len(doc["vms"]) == 6
    legacy = next(vm for vm in doc["vms"] if vm["name"] == "legacy-app01")
    assert legacy["snapshot_count"] == 2 and len(legacy["snapshots"]) == 2
    assert legacy["firmware"] == "bios" and legacy["guest"]["id"] == "windows8Server64Guest"
    disk = legacy["disks"][0]
    assert {"capacity_bytes", "controller", "backing", "sharing", "mode", "path"} <= disk.keys()
    assert json.loads((tmp_path / "inv.json").read_text()) == doc
    assert not list(tmp_path.glob("*.partial"))


def test_demo_table():
    out = run_cli("demo")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["NAME", "POWER", "GUEST", "FIRMWARE", "CPUS", "MEMORY", "DISKS", "NICS", "SNAPSHOTS"]
    assert any(line.startswith("win11-desk") and "efi+sb+tpm" in line for line in lines)
    assert "6 VM(s)" in lines[-1]


def test_bad_source_is_one_line_error():
    out = run_cli("/definitely/not/here.ova")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and "not/here.ova" in out.stderr


def test_vsphere_without_password_does_not_prompt_or_hang():
    out = run_cli("vsphere://joe@127.0.0.1:9", "--password-env", "HVM_TEST_UNSET_VAR")
    assert out.returncode == 2
    assert "HVM_TEST_UNSET_VAR is not set" in out.stderr


@pytest.mark.parametrize(("rel", "names"), [
    ("vmx/ws17-win2019/ws17-win2019.vmx", ["Windows Server 2019"]),
    ("vmx/esxi8-ubuntu", ["ubuntu-esx"]),
    ("ovf/centos7/centos7.ovf", ["centos7-ovf"]),
    ("ova/appliance.ova", ["tiny-appliance"]),
    ("vbox/Ubuntu22/Ubuntu22.vbox", ["Ubuntu22"]),
])
def test_each_local_format(rel: str, names: list[str]):
    path = DATA / rel
    if not path.exists():
        pytest.skip(f"fixture {rel} not built yet")
    out = run_cli(str(path), "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert [vm["name"] for vm in doc["vms"]] == names
    assert all(vm["disks"] and vm["disks"][0]["capacity_bytes"] > 0 for vm in doc["vms"])


def test_folder_of_every_format_lists_all_vms(tmp_path: Path):
    out = run_cli(str(DATA), "-o", str(tmp_path / "all.json"))
    assert out.returncode == 0, out.stderr
    doc = json.loads((tmp_path / "all.json").read_text())
    assert sorted(vm["source_kind"] for vm in doc["vms"]) == ["ova", "ovf", "vbox", "vmx", "vmx"]
    assert "5 VM(s)" in out.stdout
    ws17 = next(vm for vm in doc["vms"] if vm["name"] == "Windows Server 2019")
    assert ws17["snapshot_count"] == 2 and ws17["disks"][0]["chain"]

"""The simulator-based vSphere inventory through ``hvmigrate assess`` and ``hvmigrate plan``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.core.plan import Plan

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.vcsim


@pytest.fixture
def sim(request):
    pytest.importorskip("wizard.sources.vsphere")
    try:
        sim = request.getfixturevalue("vcsim")
        request.getfixturevalue("vcsim_vms")  # the varied VMs (EFI, 32-bit legacy, 10 NICs, odd disks, snapshots)
    except pytest.FixtureLookupError:
        pytest.skip("the vCenter simulator fixture is not available")
    return sim


def _run(sim, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HVM_TEST_PW": sim.password}
    return subprocess.run([sys.executable, "-m", "wizard", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300)


def test_simulated_vcenter_through_assess_and_plan(sim, tmp_path):
    url = f"vsphere://{sim.user}@{sim.host}:{sim.port}"
    out = _run(sim, "assess", url, "--password-env", "HVM_TEST_PW", "--insecure", "--json",
               "--target-version", "2016", "--html", str(tmp_path / "r.html"))
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert len(doc["vms"]) >= 4
    for vm in doc["vms"]:
        assert vm["plan"]["generation"] in (1, 2) and vm["plan"]["cpus"] >= 1
        assert all(f["code"] and f["message"] for f in vm["findings"])
    by_name = {v["name"]: v for v in doc["vms"]}
    codes = {name: {f["code"] for f in v["findings"]} for name, v in by_name.items()}
    efi = by_name["efi-secure"]["plan"]
    assert (efi["generation"], efi["secure_boot"], efi["secure_boot_template"]) == (2, True, "MicrosoftWindows")
    assert {"HOTADD", "CTRL-REMAP"} <= codes["efi-secure"]
    assert by_name["legacy-32"]["plan"]["generation"] == 1
    assert {"GUEST-UNSUPPORTED", "DEV-USB", "DEV-SERIAL", "DEV-PARALLEL", "DEV-FLOPPY"} <= codes["legacy-32"]
    assert "NIC-COUNT" in codes["ten-nics"] and len(by_name["ten-nics"]["plan"]["nics"]) == 8
    assert {"DISK-INDEPENDENT", "DISK-SHARED"} <= codes["big-disks"]
    assert "SNAPSHOT-CHAIN" in codes["snapper"]
    out = _run(sim, "plan", url, "--password-env", "HVM_TEST_PW", "--insecure", "-o", str(tmp_path / "p.json"))
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "p.json").read_text(encoding="utf-8")
    assert f"\"{sim.password}\"" not in text  # the password never becomes a value in the plan
    plan = Plan.load(tmp_path / "p.json")
    assert plan.source.kind == "vsphere" and plan.source.user == sim.user and plan.items

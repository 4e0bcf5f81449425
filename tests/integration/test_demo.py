"""`hvmigrate demo` (what `make demo` runs): the whole flow on the built-in VMs, and its output is right."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.fixtures.disks import qemu_compare
from tests.unit.targets.psparse import syntax_problems
from wizard.core.plan import Plan
from wizard.sources.demo import DemoSource


def test_demo_migrates_every_unblocked_vm_into_a_verified_bundle(tmp_path: Path):
    out = tmp_path / "demo-output"
    env = {**os.environ, "HVMIGRATE_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-m", "wizard", "demo", "--output", str(out)], capture_output=True,
                          text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "Migrated 5 of 5 planned VMs (1 blocked)" in proc.stdout
    assert "blocked: sql-node2" in proc.stdout

    plan = Plan.load(out / "plan.json")
    assert len(plan.items) == 5
    demo = DemoSource(tmp_path / "cache" / "demo")
    for item in plan.items:
        folder = out / "bundle" / item.target.name
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["schema"].startswith("hvmigrate.")
        assert syntax_problems((folder / "Create-VM.ps1").read_text(encoding="utf-8-sig")) == []
        for disk in item.target.disks:
            source_vmdk = demo.disk_file(item.vm, disk.source_index)  # the cached file the demo read
            qemu_compare(source_vmdk, folder / "Virtual Hard Disks" / disk.file_name)

    report = (out / "report.html").read_text(encoding="utf-8")
    assert "sql-node2" in report and "Physical-mode raw device mapping" in report
    assert report.count("Migrated</td>") == 5
    assert not list(out.rglob("*.partial"))

    again = subprocess.run([sys.executable, "-m", "wizard", "demo", "--output", str(out)], capture_output=True,
                           text=True, env=env, timeout=600)
    assert again.returncode == 0, "a second `make demo` starts over in its own folder"

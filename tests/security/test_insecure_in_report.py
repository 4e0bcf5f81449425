"""A plan made with certificate checks turned off (``--insecure``) keeps that choice for ``migrate``; the
migration report says so, so that whoever reads the report learns it, not only whoever watched the run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.integration.vmfolders import make_vm

ROOT = Path(__file__).resolve().parents[2]


def hvm(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HVMIGRATE_CONFIG_DIR": str(cwd / "config")}
    return subprocess.run([sys.executable, "-m", "wizard", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_report_of_a_plan_made_with_insecure_says_the_certificate_was_not_verified(tmp_path: Path) -> None:
    make_vm(tmp_path / "vms", "alpha", [1], seed=51)
    assert hvm("plan", "vms", "-o", "plan.json", cwd=tmp_path).returncode == 0
    doc = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    secure = hvm("migrate", "plan.json", "--target", "bundle:secure", "--report", "secure.html", cwd=tmp_path)
    assert secure.returncode == 0, secure.stderr
    assert "not verified" not in (tmp_path / "secure.html").read_text(encoding="utf-8")
    doc["source"]["insecure"] = True  # what `hvmigrate plan vsphere://... --insecure` writes
    (tmp_path / "insecure.json").write_text(json.dumps(doc), encoding="utf-8")
    done = hvm("migrate", "insecure.json", "--target", "bundle:out", "--report", "report.html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Security warnings" in report and "TLS certificate was not verified" in report

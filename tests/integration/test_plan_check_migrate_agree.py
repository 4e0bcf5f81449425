"""plan, plan --check and migrate make one set of checks: what ``plan`` lists as planned, its check passes and
``migrate`` migrates — also for VMs of the same name and names Hyper-V cannot take (empty, 300 and 10,000
characters); a hand-edited plan that repeats a name loses only the repeating VM, not the whole run. And what
those names print never drives the terminal (bidirectional and other format characters are escaped)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tests.integration.vmfolders import make_vm

ROOT = Path(__file__).resolve().parents[2]
NAMES = {"a1": "alpha", "a2": "ALPHA", "empty": "", "long": "x" * 300, "huge": "y" * 10_000,
         "bidi": "\u202egnp.exe\u200b\u2066bidi\u2069\u2028line"}


def hvm(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HVMIGRATE_CONFIG_DIR": str(cwd / "config")}
    done = subprocess.run([sys.executable, "-m", "wizard", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def raw_format_characters(text: str) -> list[str]:
    """Characters that would drive or reorder a terminal if printed raw (TAB and LF are the only ones allowed)."""
    return [f"U+{ord(c):04X}" for c in text if c not in "\t\n"
            and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("names")
    for seed, (sub, name) in enumerate(NAMES.items()):
        vm = make_vm(base / "vms", sub, [1], seed=40 + seed)
        vmx = vm / f"{sub}.vmx"
        vmx.write_text(re.sub(r'displayName = "[^"]*"', f'displayName = "{name}"', vmx.read_text(encoding="utf-8")),
                       encoding="utf-8")
    return base


def test_what_plan_plans_its_check_passes_and_migrate_migrates(folder: Path) -> None:
    planned = hvm("plan", "vms", "-o", "plan.json", cwd=folder)
    assert planned.returncode == 0, planned.stderr
    assert planned.stdout.count("planned  ") == len(NAMES), planned.stdout
    checked = hvm("plan", "--check", "plan.json", cwd=folder)
    assert checked.returncode == 0 and "0 blocker(s)" in checked.stdout, checked.stdout
    names = [i["target"]["name"] for i in json.loads((folder / "plan.json").read_text(encoding="utf-8"))["items"]]
    assert all(0 < len(n) <= 100 for n in names) and len({n.casefold() for n in names}) == len(names), names
    migrated = hvm("migrate", "plan.json", "--target", "bundle:out", cwd=folder)
    assert migrated.returncode == 0, migrated.stderr
    assert f"{len(NAMES)} of {len(NAMES)} VM(s) migrated" in migrated.stderr
    for out in (planned, checked, migrated):
        assert raw_format_characters(out.stdout + out.stderr) == []


def test_a_repeated_name_in_a_hand_edited_plan_blocks_that_vm_only(folder: Path) -> None:
    made = hvm("plan", "vms", "-o", "plan.json", cwd=folder)
    assert made.returncode == 0, made.stderr
    doc = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    doc["items"][1]["target"]["name"] = doc["items"][0]["target"]["name"].upper()
    (folder / "edited.json").write_text(json.dumps(doc), encoding="utf-8")
    checked = hvm("plan", "--check", "edited.json", cwd=folder)
    assert checked.returncode == 1 and "1 blocker(s)" in checked.stdout and "NAME-DUPLICATE" in checked.stdout
    migrated = hvm("migrate", "edited.json", "--target", "bundle:edited", cwd=folder)
    assert migrated.returncode == 1, migrated.stderr  # the others are migrated; the repeated one is not
    assert f"{len(NAMES) - 1} of {len(NAMES)} VM(s) migrated" in migrated.stderr


def test_bidirectional_controls_in_names_are_shown_escaped_by_every_command(folder: Path) -> None:
    runs = [("discover", "vms"), ("assess", "vms"), ("plan", "vms", "-o", "bidi.json"),
            ("plan", "--check", "bidi.json"),
            ("migrate", "bidi.json", "--target", "bundle:bidi-out")]
    for args in runs:
        out = hvm(*args, cwd=folder)
        text = out.stdout + out.stderr
        assert raw_format_characters(text) == [], (args, raw_format_characters(text))
        if args[0] != "plan" or args[1] != "--check":
            assert "\\u202e" in text, args  # the name is still shown, with its control written out

"""`hvmigrate migrate` killed with SIGKILL mid-run, then `--resume`: same result, finished disks kept."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_compare
from tests.integration.vmfolders import make_vm
from wizard.core.plan import Plan
from wizard.targets.bundle import DISK_DIR, BundleTarget, bundle_folder_name, check_bundle

ROOT = Path(__file__).resolve().parents[2]


def _hvm(*args: str, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "wizard", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def _records(journal: Path) -> list[dict]:
    if not journal.exists():
        return []
    out = []
    for line in journal.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(json.JSONDecodeError):  # a torn last line is what a kill leaves
            out.append(json.loads(line))
    return out


def _wait_for(predicate, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc.poll() is not None:
            pytest.fail(f"hvmigrate ended before the condition held: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("condition not reached in time")
        time.sleep(0.005)  # polling a file the other process writes; there is no event to wait on


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> tuple[Path, Plan]:
    base = tmp_path_factory.mktemp("resume")
    vms = base / "vms"
    make_vm(vms, "alpha", [4, 160], seed=11, data_fraction=0.5)  # disk 0 done early, disk 1 long: kill lands in it
    make_vm(vms, "bravo", [24], seed=12, data_fraction=0.5)
    make_vm(vms, "charlie", [16, 8], seed=13, data_fraction=0.5)
    plan_file = base / "plan.json"
    proc = _hvm("plan", str(vms), "-o", str(plan_file))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return plan_file, Plan.load(plan_file)


def _outputs(bundle: Path, plan: Plan) -> dict[str, Path]:
    return {f"{i.target.name}/{d.source_index}": bundle / bundle_folder_name(i) / DISK_DIR /
            BundleTarget.disk_file_name(d) for i in plan.items for d in i.target.disks if d.include}


def test_kill_9_then_resume_matches_an_uninterrupted_run(planned, tmp_path: Path):
    plan_file, plan = planned
    crashed = tmp_path / "crashed"
    journal = tmp_path / "journal.jsonl"
    common = [str(plan_file), "--parallel", "1", "--journal", str(journal)]
    proc = _hvm("migrate", *common, "--target", f"bundle:{crashed}")
    _wait_for(lambda: any(r.get("event") == "disk_done" for r in _records(journal)), proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    before = _records(journal)
    finished_before = {(r["vm"], r["disk"]) for r in before if r.get("event") == "disk_done"}
    assert finished_before and not any(r.get("event") == "run_end" for r in before)
    assert len([r for r in before if r.get("event") == "vm_done"]) < len(plan.items), "the kill came too late"

    # Without --resume the finished work is not thrown away silently.
    refused = _hvm("migrate", *common, "--target", f"bundle:{crashed}")
    _, err = refused.communicate(timeout=120)
    assert refused.returncode == 2 and "--resume" in err

    resumed = _hvm("migrate", *common, "--target", f"bundle:{crashed}", "--resume", "--json-events")
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["event"] == "summary" and summary["done"] == len(plan.items)

    done = Counter((r["vm"], r["disk"]) for r in _records(journal) if r.get("event") == "disk_done")
    for key in finished_before:
        assert done[key] == 1, f"disk {key} was converted again after the resume"
    assert not list(crashed.glob("*.partial")) and not list(crashed.rglob("*.partial"))

    clean = tmp_path / "clean"
    straight = _hvm("migrate", str(plan_file), "--target", f"bundle:{clean}", "--parallel", "2")
    _, err = straight.communicate(timeout=300)
    assert straight.returncode == 0, err

    a, b = _outputs(crashed, plan), _outputs(clean, plan)
    assert a.keys() == b.keys()
    for key in a:
        qemu_compare(a[key], b[key])
    by_name = {i.target.name: i for i in plan.items}
    for key, path in a.items():
        name, index = key.split("/")
        qemu_compare(Path(by_name[name].vm.disks[int(index)].path), path)
    for item in plan.items:
        assert check_bundle(crashed / bundle_folder_name(item)) == []


def test_sigterm_cancels_cleanly_and_resume_finishes(planned, tmp_path: Path):
    plan_file, plan = planned
    out = tmp_path / "bundle"
    journal = tmp_path / "journal.jsonl"
    proc = _hvm("migrate", str(plan_file), "--target", f"bundle:{out}", "--parallel", "1", "--journal", str(journal))
    _wait_for(lambda: any(r.get("event") == "disk_done" for r in _records(journal)), proc)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "--resume" in err
    leftovers = [p.name for p in out.iterdir() if p.is_dir()]
    finished = {r["vm"] for r in _records(journal) if r.get("event") == "vm_done"}
    assert len(leftovers) == len(finished), f"half-made VM folders left behind: {leftovers}"
    assert not list(out.rglob("*.partial"))

    resumed = _hvm("migrate", str(plan_file), "--target", f"bundle:{out}", "--journal", str(journal), "--resume")
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    for item in plan.items:
        assert check_bundle(out / bundle_folder_name(item)) == []


def test_kill_9_mid_disk_then_resume_goes_on_from_the_last_checkpoint(planned, tmp_path: Path, monkeypatch):
    plan_file, plan = planned
    monkeypatch.setenv("HVMIGRATE_CHECKPOINT_MIB", "16")
    out, journal = tmp_path / "out", tmp_path / "journal.jsonl"
    alpha = next(i for i in plan.items if i.vm.name == "alpha")
    common = [str(plan_file), "--target", f"bundle:{out}", "--parallel", "1", "--journal", str(journal)]

    def progress(records: list[dict]) -> list[int]:
        return [r["offset"] for r in records if r.get("event") == "disk_progress" and r["disk"] == 1
                and r["vm"] == (alpha.vm.id or alpha.vm.name)]

    proc = _hvm("migrate", *common)
    _wait_for(lambda: any(o >= 48 * 1024 * 1024 for o in progress(_records(journal))), proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    before = progress(_records(journal))

    resumed = _hvm("migrate", *common, "--resume")
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    after = progress(_records(journal))[len(before):]
    # started over, its first checkpoint would be at 16–24 MiB; resumed, it lies past the crash's
    assert after and after[0] >= 32 * 1024 * 1024, (before, after)
    outputs = _outputs(out, plan)
    for item in plan.items:
        for d in item.target.disks:
            qemu_compare(Path(item.vm.disks[d.source_index].path), outputs[f"{item.target.name}/{d.source_index}"])
        assert check_bundle(out / bundle_folder_name(item)) == []
    assert not list(out.rglob("*.partial*")) and not list(out.rglob("*.digests"))

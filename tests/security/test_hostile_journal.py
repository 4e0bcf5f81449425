"""A journal is a file in a folder others may write to: what it names is trusted only as far as it is proven.

A link, pipe or device planted under the journal's name is never followed, read, written or removed; a torn
last record (what a kill leaves) is cut off and said, however many crashes follow; a record of the wrong shape
is a one-line error naming its line; a finished disk counts only where the target keeps it and with its
SHA-256, and that hash stops on SIGTERM; a kill between a bundle's final rename and the journal's record of
it resumes without "already exists"; ``--replace`` over a planted link replaces the link, not its target.
Every command ends within its time limit with no traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_compare
from tests.integration.vmfolders import make_vm
from wizard.app.planning import PlanRequest, build_plan
from wizard.app.sources import discover, open_source
from wizard.core.errors import InputError, UnsafeFileError
from wizard.core.plan import Plan
from wizard.migrate.journal import Journal
from wizard.migrate.run import MigrationRun, RunOptions, plan_fingerprint
from wizard.targets.bundle import DISK_DIR, BundleTarget, bundle_folder_name, check_bundle

ROOT = Path(__file__).resolve().parents[2]
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def hvm(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m wizard ARGS``; a run still going after ``timeout`` seconds fails the test (a hang)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HVMIGRATE_CONFIG_DIR": str(cwd / "config")}
    try:
        done = subprocess.run([sys.executable, "-m", "wizard", *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"hvmigrate {' '.join(args)} still ran after {timeout} s")
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Plan]:
    """A folder with two small VMs and their plan file ``plan.json`` in ``base``."""
    base = tmp_path_factory.mktemp("journal")
    make_vm(base / "vms", "alpha", [6], seed=21)
    make_vm(base / "vms", "bravo", [4, 3], seed=22)
    done = hvm("plan", "vms", "-o", "plan.json", cwd=base)
    assert done.returncode == 0, done.stderr
    return base, Plan.load(base / "plan.json")


def _run(base: Path, out: str, *extra: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return hvm("migrate", "plan.json", "--target", f"bundle:{out}", *extra, cwd=base, timeout=timeout)


def _journal_name(plan: Plan) -> str:
    return f".hvmigrate-journal-{plan_fingerprint(plan)[:16]}.jsonl"


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def _same_as_source(base: Path, out: str, plan: Plan) -> None:
    for item in plan.items:
        folder = base / out / bundle_folder_name(item)
        assert check_bundle(folder) == []
        for disk in item.target.disks:
            qemu_compare(Path(item.vm.disks[disk.source_index].path),
                         folder / DISK_DIR / BundleTarget.disk_file_name(disk), "vmdk", "vhdx")
    assert not [p for p in (base / out).rglob("*") if p.name.endswith((".partial", ".old"))]


# -- 3: a planted journal ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["outside-file", "dev-zero", "fifo"])
def test_a_link_planted_as_the_journal_is_never_followed(planned, tmp_path: Path, kind: str) -> None:
    base, plan = planned
    out = tmp_path / "out"
    out.mkdir()
    if kind == "outside-file":
        aim = tmp_path / "elsewhere" / "victim.txt"
        aim.parent.mkdir()
    elif kind == "dev-zero":
        aim = Path("/dev/zero")
    else:
        if not hasattr(os, "mkfifo"):
            pytest.skip("named pipes are POSIX")
        aim = tmp_path / "pipe"
        os.mkfifo(aim)
    link = out / _journal_name(plan)
    link.symlink_to(aim)
    started = time.monotonic()
    resumed = _run(base, str(out), "--resume", timeout=30)
    assert time.monotonic() - started < 10
    assert resumed.returncode == 2 and "symbolic link" in resumed.stderr
    assert len(resumed.stderr.strip().splitlines()) == 1, resumed.stderr
    assert not (tmp_path / "elsewhere" / "victim.txt").exists(), "the link's target was created"
    fresh = _run(base, str(out), timeout=60)  # a new run: the link itself goes, its target stays untouched
    assert fresh.returncode == 0, fresh.stderr
    assert stat.S_ISREG(os.lstat(link).st_mode)
    assert not (tmp_path / "elsewhere" / "victim.txt").exists()


@needs_fifo
def test_a_pipe_device_or_folder_as_the_journal_or_report_never_hangs_and_is_never_removed(planned,
                                                                                         tmp_path: Path) -> None:
    base, _plan = planned
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    places = [pipe, tmp_path]
    if os.geteuid() == 0:  # a device node of our own, so that nothing of the system is at stake
        device = tmp_path / "null-device"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        places.append(device)
    for place in places:
        started = time.monotonic()
        done = _run(base, str(tmp_path / "out"), "--journal", str(place), timeout=30)
        assert time.monotonic() - started < 10, place
        assert done.returncode == 2 and "not a journal file" in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert os.path.lexists(place), f"{place} was removed"
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    report = _run(base, str(tmp_path / "out2"), "--report", str(tmp_path), timeout=60)
    assert report.returncode == 0, report.stderr  # the VMs migrated: the report's folder does not undo that
    assert "The report was not written" in report.stderr and "a folder stands where a file is expected" in report.stderr


# -- 4: torn tails ------------------------------------------------------------------------------------------

def test_a_torn_last_record_is_cut_off_and_said_so_the_next_resume_works_too(planned, tmp_path: Path) -> None:
    base, plan = planned
    journal = tmp_path / "journal.jsonl"
    journal.write_text(json.dumps({"event": "run_start", "plan_sha256": plan_fingerprint(plan), "vms": 2}) + "\n"
                       + '{"event":"disk_do', encoding="utf-8")  # a kill mid-write, before any disk was done
    first = _run(base, str(tmp_path / "out"), "--journal", str(journal), "--resume")
    assert first.returncode == 0, first.stderr
    assert "cut short by the interruption" in first.stderr
    records = _records(journal)  # every line is a whole record again: the fragment was cut off
    assert [r["event"] for r in records].count("vm_done") == 2
    with open(journal, "ab") as fh:  # a second crash leaves a second torn tail
        fh.write(b'{"event":"vm_failed","vm":"')
    second = _run(base, str(tmp_path / "out"), "--journal", str(journal), "--resume")
    assert second.returncode == 0, second.stderr
    assert second.stderr.count("already migrated (journal)") == 2
    _same_as_source(tmp_path, "out", plan)


def test_a_record_an_older_version_glued_to_a_torn_fragment_is_recovered(tmp_path: Path) -> None:
    path = tmp_path / "j"
    path.write_bytes(b'{"event":"run_start","plan_sha256":"ab"}\n{"event":"vm_do{"event":"vm_done","vm":"a"}\n'
                     b'{"event":"vm_done","vm":"b"}\n')
    state = Journal.replay(path)
    assert state.vms_done == {"a", "b"} and any("cut short" in note for note in state.notes)
    path.write_bytes(b'{"event":"vm_done","vm":"a"}\nnot json at all\n{"event":"vm_done","vm":"b"}\n')
    with pytest.raises(InputError, match="line 2 is corrupt"):  # anything else before the last line: an error
        Journal.replay(path)


# -- 10: records of the wrong shape --------------------------------------------------------------------------

@pytest.mark.parametrize("record", [
    "42", "[1,2,3]", '"text"', "null",
    '{"event":"disk_done","vm":"x","disk":"0","path":"","size":1,"sha256":""}',
    '{"event":"disk_done","vm":"x","disk":0,"path":"","size":1,"sha256":"","result":[1]}',
    '{"event":"disk_progress","vm":"x","disk":0,"offset":-5,"source":""}',
    '{"event":"vm_failed","vm":"x","error":{"a":1}}',
    '{"event":"source_change","vm":"x","id":5,"kind":"snapshot","vm_id":"x"}',
    '{"event":"run_start","plan_sha256":["x"]}',
    '{"event":"vm_commit","vm":"x","disks":[{"disk":"0","sha256":"ab"}]}',
])
def test_a_record_of_the_wrong_shape_is_one_line_naming_it(planned, tmp_path: Path, record: str) -> None:
    base, plan = planned
    journal = tmp_path / "journal.jsonl"
    journal.write_text(record + "\n" + json.dumps({"event": "vm_reset", "vm": "y"}) + "\n", encoding="utf-8")
    done = _run(base, str(tmp_path / "out"), "--journal", str(journal), "--resume")
    assert done.returncode == 2 and "journal line 1" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_hostile_journal_keeps_memory_bounded(tmp_path: Path) -> None:
    """Only the plan's VMs are kept, lines and files have a size limit: a journal cannot exhaust memory."""
    path = tmp_path / "j"
    with open(path, "wb") as fh:
        for i in range(200_000):
            fh.write(b'{"event":"vm_failed","vm":"vm-%d","error":"x"}\n' % i)
    state = Journal.replay(path, vms={"vm-7"})
    assert state.vms_failed == {"vm-7": "x"}
    path.write_bytes(b'{"event":"vm_done","vm":"' + b"a" * (2 * 1024 * 1024) + b'"}\n{"event":"vm_done","vm":"b"}\n')
    with pytest.raises(InputError, match="longer than any record"):
        Journal.replay(path)
    with open(path, "wb") as fh:
        fh.truncate(65 * 1024 * 1024)
    with pytest.raises(InputError, match="not one"):
        Journal.replay(path)


@pytest.mark.skipif(shutil.which("prlimit") is None or sys.platform != "linux", reason="needs prlimit (util-linux)")
def test_a_journal_linked_to_dev_zero_is_one_line_within_1_gib_of_address_space(planned, tmp_path: Path) -> None:
    """It used to be read whole: MemoryError. (Sizes and line lengths: test_a_hostile_journal_keeps_memory_bounded.)"""
    base, _plan = planned
    journal = tmp_path / "journal.jsonl"
    journal.symlink_to("/dev/zero")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HVMIGRATE_CONFIG_DIR": str(tmp_path / "config")}
    started = time.monotonic()
    done = subprocess.run(["prlimit", f"--as={1024**3}", sys.executable, "-m", "wizard", "migrate", "plan.json",
                           "--target", f"bundle:{tmp_path / 'out'}", "--journal", str(journal), "--resume"],
                          cwd=base, env=env, capture_output=True, text=True, timeout=60)
    assert time.monotonic() - started < 10
    assert "MemoryError" not in done.stderr and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_replay_refuses_links_and_devices(tmp_path: Path) -> None:
    link = tmp_path / "j"
    link.symlink_to("/dev/zero")
    with pytest.raises(UnsafeFileError, match="symbolic link"):
        Journal.replay(link)
    with pytest.raises(UnsafeFileError, match="folder"):
        Journal.replay(tmp_path)


# -- 7: what a disk_done record may name ---------------------------------------------------------------------

def _finished(base: Path, tmp_path: Path, plan: Plan) -> list[dict]:
    journal = tmp_path / "done.jsonl"
    done = _run(base, str(tmp_path / "first"), "--journal", str(journal))
    assert done.returncode == 0, done.stderr
    return _records(journal)


def test_a_disk_done_naming_dev_zero_or_a_host_file_is_converted_again_not_hashed(planned, tmp_path: Path) -> None:
    base, plan = planned
    records = _finished(base, tmp_path, plan)
    start = [r for r in records if r["event"] == "run_start"]
    disks = [r for r in records if r["event"] == "disk_done"]
    host = tmp_path / "host-file"
    final = disks[1]["path"].replace(".partial" + os.sep, os.sep)  # where the first run's rename put it
    Path(final).replace(host)  # a real, whole disk output, but outside where the target keeps it
    forged = [{**disks[0], "path": "/dev/zero", "size": 0}, {**disks[1], "path": str(host)}]
    journal = tmp_path / "forged.jsonl"
    journal.write_text("".join(json.dumps(r) + "\n" for r in start + forged), encoding="utf-8")
    started = time.monotonic()
    done = _run(base, str(tmp_path / "out"), "--journal", str(journal), "--resume", timeout=60)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 30
    assert "already converted" not in done.stderr
    _same_as_source(tmp_path, "out", plan)


def test_the_resume_hash_stops_on_sigterm(planned, tmp_path: Path) -> None:
    """A journalled disk is re-hashed on resume; SIGTERM (as Ctrl+C and the wizard's Cancel) stops that hash."""
    base, plan = planned
    records = _finished(base, tmp_path, plan)
    disk = next(r for r in records if r["event"] == "disk_done")
    out = tmp_path / "out"
    # the same place in a new bundle folder, holding a huge sparse file the journal vouches for
    where = out / Path(disk["path"]).relative_to(tmp_path / "first")
    where.parent.mkdir(parents=True)
    with open(where, "wb") as fh:
        fh.truncate(4 * 1024**4)
    start = next(r for r in records if r["event"] == "run_start")
    journal = tmp_path / "big.jsonl"
    journal.write_text(json.dumps(start) + "\n" + json.dumps({**disk, "path": str(where), "size": 4 * 1024**4})
                       + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HVMIGRATE_CONFIG_DIR": str(tmp_path / "config"),
           "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "wizard", "migrate", "plan.json", "--target", f"bundle:{out}",
                             "--journal", str(journal), "--resume", "--parallel", "1"], cwd=base, env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True)
    reader.start()
    seen = []
    try:
        deadline = time.monotonic() + 60
        while not any("checking disk" in line for line in seen) and time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                seen.append(lines.get(timeout=max(0.01, deadline - time.monotonic())))
        assert any("checking disk" in line for line in seen), seen
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)  # a bound for a hung run, not a timing assertion: hashing 4 TiB would take hours
        reader.join(timeout=10)  # the child has ended: its stderr is at its end
        rest = "".join(lines.get_nowait() for _ in range(lines.qsize()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130 and "Traceback" not in "".join(seen) + rest


def test_the_wizards_cancel_stops_the_resume_hash(planned, tmp_path: Path) -> None:
    """The wizard cancels through the scheduler (``cancel_vm``): a resume hash ends within seconds."""
    base, plan = planned
    records = _finished(base, tmp_path, plan)
    disk = next(r for r in records if r["event"] == "disk_done")
    out = tmp_path / "out"
    where = out / Path(disk["path"]).relative_to(tmp_path / "first")
    where.parent.mkdir(parents=True)
    with open(where, "wb") as fh:
        fh.truncate(4 * 1024**4)
    journal = tmp_path / "big.jsonl"
    start = next(r for r in records if r["event"] == "run_start")
    journal.write_text(json.dumps(start) + "\n" + json.dumps({**disk, "path": str(where), "size": 4 * 1024**4})
                       + "\n", encoding="utf-8")
    source = open_source(str(base / "vms"))
    inventory = discover(source)
    fresh = build_plan(inventory, PlanRequest(), source.ref).plan
    assert plan_fingerprint(fresh) == plan_fingerprint(plan)
    checking = []
    run = MigrationRun(fresh, source, BundleTarget(out), RunOptions(journal_path=journal, resume=True, parallel=1),
                       sink=lambda e: checking.append(e.vm) if "checking disk" in e.message else None)
    run.start()
    deadline = time.monotonic() + 60
    while not checking and time.monotonic() < deadline:
        run.wait(timeout=0.05)  # waits on the workers; returns early only when they finished
    assert checking, "the resume never started checking the journalled disk"
    stopped = time.monotonic()
    run.cancel_vm(checking[0])
    outcomes = run.wait(timeout=30)
    run.close()
    assert time.monotonic() - stopped < 10
    assert {o.name: o.status for o in outcomes}[checking[0]] == "cancelled"


# -- 5: a kill between the bundle's rename and vm_done -------------------------------------------------------

def test_a_kill_between_the_bundle_rename_and_vm_done_resumes(planned, tmp_path: Path) -> None:
    base, plan = planned
    journal = tmp_path / "journal.jsonl"
    done = _run(base, str(tmp_path / "out"), "--journal", str(journal))
    assert done.returncode == 0, done.stderr
    # what a kill right after the renames leaves: every record up to (not including) the VMs' vm_done
    kept = [line for line in journal.read_bytes().splitlines(keepends=True) if b'"vm_done"' not in line]
    journal.write_bytes(b"".join(kept))
    resumed = _run(base, str(tmp_path / "out"), "--journal", str(journal), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "already exists" not in resumed.stderr
    assert resumed.stderr.count("not migrated again") == len(plan.items)
    _same_as_source(tmp_path, "out", plan)


# -- 16: --replace over a planted link -----------------------------------------------------------------------

def test_replace_over_a_planted_link_replaces_the_link_not_its_target(planned, tmp_path: Path) -> None:
    base, plan = planned
    done = _run(base, str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "out" / bundle_folder_name(plan.items[0])
    elsewhere = tmp_path / "elsewhere"
    folder.rename(elsewhere)  # a copy of the bundle somewhere else, and a link to it in its place
    folder.symlink_to(elsewhere, target_is_directory=True)
    before = sorted(p.name for p in elsewhere.rglob("*"))
    again = _run(base, str(tmp_path / "out"), "--replace", "--restart")
    assert again.returncode == 0, again.stderr
    assert "rmtree" not in again.stderr and "failed" not in again.stderr
    assert not folder.is_symlink() and folder.is_dir()
    assert not os.path.lexists(folder.with_name(folder.name + ".old"))
    assert sorted(p.name for p in elsewhere.rglob("*")) == before
    _same_as_source(tmp_path, "out", plan)

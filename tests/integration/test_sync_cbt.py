"""The ``sync`` source policy against the vCenter simulator with changed block tracking (tests/vcsim/cbt.go):
initial sync of a running VM, delta syncs that read only what the guest changed (counted at the simulator's
HTTP layer), cut-over through VMware Tools, a kill -9 between syncs resumed from the journal's change ids,
and a CBT reset answered with a full copy of that disk and a finding."""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pyVmomi import vim

from tests.fixtures.disks import qemu_compare
from tests.fixtures.vcsim import connect_si, start_vcsim
from tests.fixtures.vcsim_vms import Builder, FlatVM, _wait, create_flat_vm
from wizard.app.migration import interrupted_runs
from wizard.app.sync import SyncSettings, cutover_outcome, prepare_sync, sync_journal, sync_settings_for
from wizard.app.targets import TargetSpec
from wizard.compat.engine import build_plan
from wizard.core.plan import Plan, SourceRef
from wizard.migrate.journal import Journal
from wizard.migrate.sync_run import request
from wizard.sources.vsphere import VSphereSource
from wizard.targets.bundle import DISK_DIR, PARTIAL, BundleTarget, bundle_folder_name

pytestmark = pytest.mark.vcsim

KiB, MiB, GiB = 1024, 1024 * 1024, 1024 * 1024 * 1024
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sim():
    """A simulator of its own: these tests power VMs off and reset change tracking."""
    s = start_vcsim()
    yield s, connect_si(s)
    s.stop()


def _running_vm(sim, name: str, size: int = GiB, *more: int) -> FlatVM:
    s, si = sim
    vm = create_flat_vm(s, si, name, (size, *more), power_on=True)
    Builder(si).reconfig(vm.vm, extraConfig=[vim.option.OptionValue(key="SET.guest.toolsRunningStatus",
                                                                    value="guestToolsRunning")])
    rng = random.Random(name)
    for offset in (0, 3 * MiB + 512, 40 * MiB, 300 * MiB):  # a file system's worth of data before the first sync
        if offset + 2 * MiB <= size:
            vm.disks[0].write(offset, rng.randbytes(2 * MiB))
    return vm


def _served(s, vm: FlatVM) -> int:
    """Bytes the simulator served of every file of ``vm`` (descriptors too), counted at its HTTP layer."""
    folder = vm.disks[0].path.rsplit("/", 1)[0] + "/"
    return sum(f["bytes"] for name, f in s.stats().items() if name.startswith(folder))


def _guest_round(vm: FlatVM, seed: int, grow_to: int) -> int:
    """Play the guest: scattered writes of 4 KiB to 4 MiB, some over earlier ones, one into space nothing was
    written to yet (at ``grow_to``); the bytes written."""
    rng = random.Random(seed)
    disk = vm.disks[0]
    written = 0
    sizes = [4 * KiB, 64 * KiB, 300 * KiB, MiB + 4 * KiB, 4 * MiB, 2 * MiB, 512 * KiB, 4 * MiB]
    for size in sizes:
        offset = rng.randrange(0, 600 * MiB) // 512 * 512
        disk.write(offset, rng.randbytes(size))
        written += size
    disk.write(40 * MiB + 100 * KiB, rng.randbytes(3 * MiB))  # over the data written before the first sync
    disk.write(grow_to, rng.randbytes(4 * MiB))  # growth into unallocated space (new VHDX blocks)
    return written + 7 * MiB


def _plan(sim, name: str) -> tuple[Plan, VSphereSource]:
    s, _ = sim
    source = VSphereSource(s.host, s.port, s.user, s.password, insecure=True)
    ref = SourceRef(kind="vsphere", address=f"{s.host}:{s.port}", user=s.user, insecure=True)
    plan = build_plan(source.discover(), [name], source_ref=ref, source_policy="sync")
    assert plan.items[0].source_policy == "sync"
    return plan, source


def _wait_for(condition, what: str, timeout: float = 120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _vhdx(root: Path, plan: Plan, *, partial: bool) -> Path:
    item = plan.items[0]
    folder = bundle_folder_name(item) + (PARTIAL if partial else "")
    return root / folder / DISK_DIR / BundleTarget.disk_file_name(item.target.disks[0])


def test_delta_syncs_read_only_what_changed_and_the_cutover_leaves_an_identical_disk(sim, tmp_path: Path):
    s, _ = sim
    vm = _running_vm(sim, "sync-db")
    plan, source = _plan(sim, "sync-db")
    spec = TargetSpec.parse(f"bundle:{tmp_path / 'b'}")
    events = []
    sync = prepare_sync(plan, source, spec, SyncSettings(interval_minutes=600))
    try:
        before = _served(s, vm)
        sync.start(events.append)
        status = _wait_for(lambda: [st for st in sync.status() if st.rounds == 1 and st.state == "synchronised"],
                           "the initial sync")[0]
        assert 8 * MiB <= status.last_changed < 16 * MiB, "a thin disk's initial sync reads only its data"
        assert vm.vm.config.changeTrackingEnabled, "CBT was turned on for the sync"
        for round_number, grow in ((2, 700 * MiB), (3, 800 * MiB), (4, 900 * MiB)):
            written = _guest_round(vm, round_number, grow)
            served = _served(s, vm)
            sync.sync_now()
            status = _wait_for(lambda n=round_number: [st for st in sync.status()
                                                       if st.rounds == n and st.state == "synchronised"],
                               f"delta sync {round_number}")[0]
            read = _served(s, vm) - served
            assert 0 < read <= 2 * written, f"delta {round_number} read {read} bytes for {written} written"
            assert "synchronised · last sync" in status.line() and "next in" in status.line()
            journal = sync_journal(spec, plan)
            assert len(list(journal.with_name(journal.name + ".d").glob("*.sync-digests"))) == 1
            qemu_compare(vm.disks[0].flat, _vhdx(tmp_path / "b", plan, partial=True), "raw", "vhdx")
        sync.cut_over()
        done = sync.wait(120)[0]
    finally:
        sync.close()
        source.close()
    assert done.state == "done", done.error
    assert done.downtime is not None and done.line().startswith("done · downtime")
    # a bundle starts nothing: its downtime ends with the complete bundle, and the line says so
    assert done.until == "bundle"
    assert done.line().endswith("(until the import bundle was complete; import and start it on the host)")
    assert vm.vm.runtime.powerState == "poweredOff", "the source stays off after the cut-over"
    qemu_compare(vm.disks[0].flat, _vhdx(tmp_path / "b", plan, partial=False), "raw", "vhdx")
    assert _served(s, vm) - before < 160 * MiB, "no sync read the whole 1 GiB disk"
    sync_events = [e for e in events if e.stage == "sync"]
    assert len(sync_events) == 5 and all(e.vm == "sync-db" for e in sync_events)  # initial, 3 deltas, final
    state = Journal.replay(sync_journal(spec, plan))
    assert not state.source_changes, "every sync snapshot was removed"
    assert state.cutovers[plan.items[0].vm.id]["step"] == "done"
    journal = sync_journal(spec, plan)
    assert not list(journal.with_name(journal.name + ".d").glob("*")), "the digests files went with the cut-over"


def _cli(*args: str, extra_env: dict[str, str] | None = None, **kw) -> subprocess.Popen:
    env = dict(os.environ, HVM_SRC_PW="pass", PYTHONPATH=str(REPO), **(extra_env or {}))
    return subprocess.Popen([sys.executable, "-m", "wizard", *args], env=env, cwd=REPO, text=True, **kw)


class _Events:
    """The JSON events of a ``--json-events`` migrate, read on a thread so that a wait can time out."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def close(self) -> None:
        """After the process ended: the reader has seen the end, the pipe is closed."""
        self.thread.join(30)
        self.proc.stdout.close()

    def next(self, what: str, stage: str = "sync", timeout: float = 180.0) -> dict:
        """The next event of ``stage`` (``"summary"``: the summary); fails when migrate ends first."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"timed out waiting for {what}") from None
            if line is None:
                raise AssertionError(f"migrate ended before {what} (exit {self.proc.wait()})")
            event = json.loads(line)
            if event.get("stage") == stage or event.get("event") == stage:
                return event


def test_kill_9_between_syncs_resumes_from_the_recorded_change_ids(sim, tmp_path: Path):
    s, _ = sim
    vm = _running_vm(sim, "sync-kill")
    plan, source = _plan(sim, "sync-kill")
    source.close()
    plan_file = tmp_path / "plan.json"
    plan.save(plan_file)
    target = f"bundle:{tmp_path / 'b'}"
    journal = sync_journal(TargetSpec.parse(target), plan)
    common = (str(plan_file), "--target", target, "--source-password-env", "HVM_SRC_PW", "--sync-interval", "600",
              "--json-events")
    proc = _cli("migrate", *common, stdout=subprocess.PIPE)
    events = _Events(proc)
    try:
        assert 0 < events.next("the initial sync")["done"] < 16 * MiB
        for round_number in (2, 3):
            _guest_round(vm, round_number, (600 + 100 * round_number) * MiB)
            request(journal, "sync", None)
            assert events.next(f"delta {round_number}")["done"] < 64 * MiB
        proc.send_signal(signal.SIGKILL)  # kill -9 after the second delta sync
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
        events.close()

    written = _guest_round(vm, 4, 900 * MiB)
    served = _served(s, vm)
    proc = _cli("migrate", *common, "--resume", stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    events = _Events(proc)
    try:
        first = events.next("the resumed sync")
        read = _served(s, vm) - served
        assert first["done"] < 64 * MiB and read <= 2 * written, f"the resumed run read {read} bytes: a full copy"
        cut = _cli("cutover", str(plan_file), "--target", target, "--json", stdout=subprocess.PIPE,
                   stderr=subprocess.DEVNULL)
        out, _ = cut.communicate(timeout=180)
        assert cut.returncode == 0, out
        assert json.loads(out)["vms"][0]["status"] == "done"
        summary = events.next("the summary", stage="summary")
        assert proc.wait(60) == 0
        assert summary["event"] == "summary" and summary["done"] == 1 and summary["vms"][0]["downtime"] is not None
        assert Path(summary["report"]).is_file()
    finally:
        if proc.poll() is None:
            proc.kill()
        events.close()
    assert vm.vm.runtime.powerState == "poweredOff"
    assert cutover_outcome(journal, [plan.items[0].vm.id])[plan.items[0].vm.id].status == "done"
    qemu_compare(vm.disks[0].flat, _vhdx(tmp_path / "b", plan, partial=False), "raw", "vhdx")


@pytest.mark.parametrize("star", [False, True], ids=["fault", "star"])
def test_a_cbt_reset_copies_that_disk_in_full_with_a_finding(sim, tmp_path: Path, star: bool):
    s, _ = sim
    name = f"sync-reset-{'star' if star else 'fault'}"
    vm = _running_vm(sim, name, 256 * MiB, 64 * MiB)  # two disks: only the first one's tracking is reset
    reset, kept = vm.disks
    reset.write(MiB, b"data on the second disk" * 100)
    plan, source = _plan(sim, name)
    sync = prepare_sync(plan, source, TargetSpec.parse(f"bundle:{tmp_path / 'b'}"), SyncSettings(interval_minutes=600))
    events = []

    def synced(n: int):
        return _wait_for(lambda: [st for st in sync.status() if st.rounds == n and st.state == "synchronised"],
                         f"sync {n}")[0]

    def vhdx(disk: int) -> Path:
        item = plan.items[0]
        return (tmp_path / "b" / (bundle_folder_name(item) + PARTIAL) / DISK_DIR
                / BundleTarget.disk_file_name(item.target.disks[disk]))

    try:
        sync.start(events.append)
        synced(1)
        assert vm.cbt_reset(reset, star=star) == 1
        reset.write(5 * MiB, b"after the reset" * 1000)
        kept.write(9 * MiB, b"tracked all along" * 1000)
        served = {d.flat_path: s.bytes_served(d.flat_path) for d in vm.disks}
        sync.sync_now()
        status = synced(2)
        first = plan.items[0].target.disks[0].file_name
        assert len(status.findings) == 1 and first in status.findings[0] and "copied in full" in status.findings[0]
        assert any(e.level == "warning" and "cannot be trusted" in e.message for e in events)
        assert s.bytes_served(reset.flat_path) - served[reset.flat_path] >= 6 * MiB, "the reset disk was copied anew"
        assert s.bytes_served(kept.flat_path) - served[kept.flat_path] < MiB, "the other disk had a delta"
        for n, disk in enumerate(vm.disks):
            qemu_compare(disk.flat, vhdx(n), "raw", "vhdx")
        # a "*" snapshot gives nothing to start a delta from: one more full copy, then deltas again
        rounds = 2
        for expect_full in [True] * star + [False]:
            rounds += 1
            reset.write(7 * MiB * rounds, b"tracked again" * 1000)
            served = s.bytes_served(reset.flat_path)
            sync.sync_now()
            synced(rounds)
            read = s.bytes_served(reset.flat_path) - served
            assert (read >= 6 * MiB) if expect_full else (read < MiB), f"sync {rounds} read {read} bytes"
    finally:
        sync.close()
        source.close()
    for n, disk in enumerate(vm.disks):
        qemu_compare(disk.flat, vhdx(n), "raw", "vhdx")


def test_a_run_killed_during_the_cutover_finishes_it_and_never_powers_the_source_back_on(sim, tmp_path: Path):
    vm = _running_vm(sim, "sync-cut", 128 * MiB)
    plan, source = _plan(sim, "sync-cut")
    spec = TargetSpec.parse(f"bundle:{tmp_path / 'b'}")
    sync = prepare_sync(plan, source, spec, SyncSettings(interval_minutes=600))
    try:
        sync.start()
        _wait_for(lambda: [st for st in sync.status() if st.rounds == 1 and st.state == "synchronised"], "initial")
    finally:
        sync.close()
    # what a kill -9 right after the shutdown leaves: the journal says so, the guest is off, its last writes
    # are on the source disk only
    vm.disks[0].write(MiB, b"the last transaction" * 100)
    vm.power_off()
    with Journal(sync_journal(spec, plan)) as journal:
        journal.append("cutover", vm=plan.items[0].vm.id, step="begin")
        journal.append("cutover", vm=plan.items[0].vm.id, step="source_off")
    events = []
    sync = prepare_sync(plan, source, spec, SyncSettings(interval_minutes=600), existing="resume")
    try:
        sync.start(events.append)  # no cut_over() call: the journal says one was under way
        done = sync.wait(120)[0]
    finally:
        sync.close()
        source.close()
    assert done.state == "done", done.error
    assert vm.vm.runtime.powerState == "poweredOff", "the source was never started again"
    assert any("cut-over goes on" in e.message for e in events)
    qemu_compare(vm.disks[0].flat, _vhdx(tmp_path / "b", plan, partial=False), "raw", "vhdx")


def test_a_cutover_that_cannot_shut_the_guest_down_leaves_it_running_and_syncing(sim, tmp_path: Path):
    s, si = sim
    vm = create_flat_vm(s, si, "sync-notools", (64 * MiB,), power_on=True)  # no VMware Tools running
    vm.disks[0].write(0, b"data" * 1000)
    plan, source = _plan(sim, "sync-notools")
    events = []
    sync = prepare_sync(plan, source, TargetSpec.parse(f"bundle:{tmp_path / 'b'}"), SyncSettings(interval_minutes=600))
    try:
        sync.start(events.append)
        _wait_for(lambda: [st for st in sync.status() if st.rounds == 1 and st.state == "synchronised"], "initial")
        sync.cut_over()
        status = _wait_for(lambda: [st for st in sync.status() if st.error is not None and st.state == "synchronised"],
                           "the failed cut-over")[0]
        assert "VMware Tools" in status.error.message
        assert vm.vm.runtime.powerState == "poweredOn", "never powered off hard"
        vm.disks[0].write(MiB, b"still serving" * 100)
        sync.sync_now()
        _wait_for(lambda: [st for st in sync.status() if st.rounds == 2 and st.state == "synchronised"],
                  "a delta after the failed cut-over")
    finally:
        sync.close()
        source.close()
    assert not (tmp_path / "b" / bundle_folder_name(plan.items[0])).exists(), "no bundle for a VM that still runs"


def test_a_cutover_whose_shutdown_wait_ends_early_gives_the_source_back(sim, tmp_path: Path):
    vm = _running_vm(sim, "sync-slow", 64 * MiB)
    plan, source = _plan(sim, "sync-slow")
    # no time to wait: the shutdown request goes out, the wait for the guest to go off ends at once
    sync = prepare_sync(plan, source, TargetSpec.parse(f"bundle:{tmp_path / 'b'}"),
                        SyncSettings(interval_minutes=600, shutdown_minutes=0))
    try:
        sync.start()
        _wait_for(lambda: [st for st in sync.status() if st.rounds == 1 and st.state == "synchronised"], "initial")
        sync.cut_over()
        status = _wait_for(lambda: [st for st in sync.status() if st.error is not None and st.state == "synchronised"],
                           "the failed cut-over")[0]
        assert "may still be shutting down" in status.error.message
        _wait_for(lambda: vm.vm.runtime.powerState == "poweredOn", "the source powered back on", timeout=30)
    finally:
        sync.close()
        source.close()
    assert not (tmp_path / "b" / bundle_folder_name(plan.items[0])).exists(), "nothing was created"


def test_cutover_with_no_migrate_running_finishes_from_the_journal(sim, tmp_path: Path):
    vm = _running_vm(sim, "sync-stopped", 64 * MiB)
    plan, source = _plan(sim, "sync-stopped")
    plan_file = tmp_path / "plan.json"
    plan.save(plan_file)
    target = f"bundle:{tmp_path / 'b'}"
    sync = prepare_sync(plan, source, TargetSpec.parse(target), SyncSettings(interval_minutes=600))
    try:
        sync.start()
        _wait_for(lambda: [st for st in sync.status() if st.rounds == 1 and st.state == "synchronised"], "initial")
    finally:
        sync.close()  # the migrate was stopped (Ctrl+C): the synchronised disk and the journal stay
        source.close()
    vm.disks[0].write(20 * MiB, b"written while nothing synchronised" * 100)
    cut = _cli("cutover", str(plan_file), "--target", target, "--source-password-env", "HVM_SRC_PW", "--json",
               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = cut.communicate(timeout=180)
    assert cut.returncode == 0, err
    row = json.loads(out)["vms"][0]
    assert row["status"] == "done" and row["downtime"] is not None
    assert "cutting over from the journal" in err
    assert vm.vm.runtime.powerState == "poweredOff"
    qemu_compare(vm.disks[0].flat, _vhdx(tmp_path / "b", plan, partial=False), "raw", "vhdx")


def test_cutover_with_no_migrate_running_ends_after_a_failed_attempt_and_leaves_the_source_running(sim,
                                                                                                    tmp_path: Path):
    s, si = sim
    vm = create_flat_vm(s, si, "sync-once", (64 * MiB,), power_on=True)  # no VMware Tools: it cannot shut down
    vm.disks[0].write(0, b"data" * 1000)
    plan, source = _plan(sim, "sync-once")
    plan_file = tmp_path / "plan.json"
    plan.save(plan_file)
    target = f"bundle:{tmp_path / 'b'}"
    sync = prepare_sync(plan, source, TargetSpec.parse(target), SyncSettings(interval_minutes=600))
    try:
        sync.start()
        _wait_for(lambda: [st for st in sync.status() if st.rounds == 1 and st.state == "synchronised"], "initial")
    finally:
        sync.close()
        source.close()
    cut = _cli("cutover", str(plan_file), "--target", target, "--source-password-env", "HVM_SRC_PW", "--json",
               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = cut.communicate(timeout=180)  # it ends: no migrate is left to go on syncing
    finally:
        if cut.poll() is None:
            cut.kill()
            cut.communicate()
    assert cut.returncode == 2, err  # EXIT_ERROR: no VM was cut over
    row = json.loads(out)["vms"][0]
    assert row["status"] == "failed" and "VMware Tools" in row["error"]
    assert vm.vm.runtime.powerState == "poweredOn", "the source keeps serving"
    assert not (tmp_path / "b" / bundle_folder_name(plan.items[0])).exists(), "nothing was created"


def _checkpoint(journal: Path) -> int:
    """The furthest ``disk_progress`` offset a running migrate journalled so far (0: none yet)."""
    if not journal.exists():
        return 0
    offsets = [json.loads(line)["offset"] for line in journal.read_bytes().splitlines()
               if line.endswith(b"}") and b'"disk_progress"' in line]
    return max(offsets, default=0)


def test_a_kill_during_the_initial_sync_goes_on_from_its_last_checkpoint_on_the_same_snapshot(sim, tmp_path: Path):
    s, _ = sim
    vm = _running_vm(sim, "sync-initial", 512 * MiB)
    rng = random.Random(9)
    for offset in range(64 * MiB, 448 * MiB, 64 * MiB):  # 384 MiB of data to copy
        vm.disks[0].write(offset, rng.randbytes(64 * MiB))
    plan, source = _plan(sim, "sync-initial")
    source.close()
    plan_file = tmp_path / "plan.json"
    plan.save(plan_file)
    target = f"bundle:{tmp_path / 'b'}"
    journal = sync_journal(TargetSpec.parse(target), plan)
    common = (str(plan_file), "--target", target, "--source-password-env", "HVM_SRC_PW", "--sync-interval", "600")
    env = {"HVMIGRATE_CHECKPOINT_MIB": "32"}
    before = _served(s, vm)
    proc = _cli("migrate", *common, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, extra_env=env)
    try:
        _wait_for(lambda: _checkpoint(journal) >= 192 * MiB, "a checkpoint past 192 MiB", timeout=180)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    first = _served(s, vm) - before
    assert first < 380 * MiB, "killed during the initial copy"
    served = _served(s, vm)
    proc = _cli("migrate", *common, "--resume", "--cutover-after", "0", stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE, extra_env=env)
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "going on with the snapshot the interrupted run took" in err
    resumed = _served(s, vm) - served
    assert resumed <= 448 * MiB - 192 * MiB + 16 * MiB, f"the resumed copy read {resumed} bytes: it started over"
    assert vm.vm.runtime.powerState == "poweredOff"
    qemu_compare(vm.disks[0].flat, _vhdx(tmp_path / "b", plan, partial=False), "raw", "vhdx")


def test_verify_full_rereads_everything_at_the_cutover_and_a_damaged_copy_is_copied_anew(sim, tmp_path: Path):
    from wizard.disks.vhdx_patch import VhdxPatch

    vm = _running_vm(sim, "sync-verify", 64 * MiB)
    plan, source = _plan(sim, "sync-verify")
    sync = prepare_sync(plan, source, TargetSpec.parse(f"bundle:{tmp_path / 'b'}"),
                        SyncSettings(interval_minutes=600, verify_full=True))
    events = []
    try:
        sync.start(events.append)
        _wait_for(lambda: [st for st in sync.status() if st.rounds == 1 and st.state == "synchronised"], "initial")
        with VhdxPatch.open_local(_vhdx(tmp_path / "b", plan, partial=True)) as patch:
            patch.write(4096, b"bit rot")  # the copy changes behind the sync's back (no digest kept for it)
        sync.cut_over()
        status = _wait_for(lambda: [st for st in sync.status() if st.error is not None and st.state == "synchronised"],
                           "the refused cut-over")[0]
        assert vm.vm.runtime.powerState == "poweredOn", "no VM was created, so the source runs again"
        sync.sync_now()  # the damaged copy is replaced by a full one, then the cut-over passes the full check
        _wait_for(lambda: [st for st in sync.status() if st.rounds == 3 and st.state == "synchronised"], "a full copy")
        sync.cut_over()
        done = sync.wait(120)[0]
    finally:
        sync.close()
        source.close()
    assert "differs from its source" in status.error.message
    assert any("verifying" in e.message and "in full" in e.message for e in events)
    assert any("copied in full" in e.message for e in events)
    assert done.state == "done", done.error
    assert vm.vm.runtime.powerState == "poweredOff"
    qemu_compare(vm.disks[0].flat, _vhdx(tmp_path / "b", plan, partial=False), "raw", "vhdx")


def test_a_disk_that_grew_since_planning_stops_the_sync_instead_of_losing_its_new_end(sim, tmp_path: Path):
    vm = _running_vm(sim, "sync-grow", 32 * MiB)
    plan, source = _plan(sim, "sync-grow")
    sync = prepare_sync(plan, source, TargetSpec.parse(f"bundle:{tmp_path / 'b'}"), SyncSettings(interval_minutes=600))
    try:
        sync.start()
        _wait_for(lambda: [st for st in sync.status() if st.rounds == 1 and st.state == "synchronised"], "initial")
        dev = next(d for d in vm.vm.config.hardware.device if isinstance(d, vim.vm.device.VirtualDisk))
        dev.capacityInKB, dev.capacityInBytes = 64 * 1024, 64 * MiB
        _wait(vm.vm.ReconfigVM_Task(spec=vim.vm.ConfigSpec(
            deviceChange=[vim.vm.device.VirtualDeviceSpec(operation="edit", device=dev)])))
        sync.sync_now()
        status = _wait_for(lambda: [st for st in sync.status() if st.sync_error is not None], "the refusal")[0]
    finally:
        sync.close()
        source.close()
    assert "grew to" in status.sync_error.message and status.state == "synchronised" and status.rounds == 1


def test_an_interrupted_sync_is_offered_for_resuming_and_its_record_goes_once_cut_over(sim, tmp_path: Path):
    """The run record the wizard's start-up offer reads: written when the sync is prepared (what a kill leaves),
    kept when the sync is stopped before its cut-over, resumed from the journal, removed once cut over."""
    s, _ = sim
    vm = _running_vm(sim, "sync-offer", 64 * MiB)
    plan, source = _plan(sim, "sync-offer")
    spec = TargetSpec.parse(f"bundle:{tmp_path / 'b'}")
    sync = prepare_sync(plan, source, spec, SyncSettings(interval_minutes=45))
    record = sync.record
    try:
        assert record is not None and record.is_file(), "recorded before the first sync starts (a kill keeps it)"
        sync.start()
        _wait_for(lambda: [st for st in sync.status() if st.rounds == 1 and st.state == "synchronised"], "initial")
    finally:
        sync.close()  # stopped before the cut-over (the wizard closed): the VM is cancelled, not migrated
    assert record.is_file(), "a sync stopped before its cut-over stays on offer"
    assert s.password not in record.read_text(encoding="utf-8"), "no secret in the record"
    offered = [r for r in interrupted_runs() if r.record == record]
    assert len(offered) == 1
    run = offered[0]
    assert (run.done, run.total) == (0, 1) and [i.target.name for i in run.plan.items] == ["sync-offer"]
    settings = sync_settings_for(run)
    assert settings is not None and settings.interval_minutes == 45, "told apart from a migration, with its settings"

    vm.disks[0].write(5 * MiB, random.Random(9).randbytes(MiB))
    served = _served(s, vm)
    sync = prepare_sync(run.plan, source, run.spec, settings, existing="resume")
    try:
        sync.start()
        status = _wait_for(lambda: [st for st in sync.status() if st.state == "synchronised"], "resumed")[0]
        assert status.rounds == 2 and _served(s, vm) - served < 16 * MiB, "resumed from the journal: a delta"
        sync.cut_over()
        assert sync.wait(120)[0].state == "done"
    finally:
        sync.close()
        source.close()
    assert not record.exists(), "nothing left to resume: the record is gone"
    assert not [r for r in interrupted_runs() if r.record == record]

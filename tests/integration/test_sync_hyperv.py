"""The ``sync`` policy straight to a Hyper-V host: the initial copy is converted in place on the host's share
(a real Samba), the delta syncs patch that file over SMB, and the cut-over creates the VM through the WinRM
stand-in, which then starts it (Start-VM); the source comes from the vCenter simulator with changed block
tracking. The downtime runs until the start returned; a VM that does not start leaves its source off."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
from pyVmomi import vim

import wizard.migrate.sync as sync_module
from tests.fixtures.disks import qemu_compare
from tests.fixtures.vcsim import connect_si, start_vcsim
from tests.fixtures.vcsim_vms import Builder, create_flat_vm
from wizard.compat.engine import build_plan
from wizard.core.plan import SourceRef
from wizard.migrate.sync_run import SyncOptions, SyncRun
from wizard.migrate.sync_share import SharePlace
from wizard.sources.vsphere import VSphereSource
from wizard.sources.vsphere_cbt import tracker_for
from wizard.targets.bundle import sanitize_name
from wizard.targets.hyperv.smb_upload import SmbUploader
from wizard.targets.hyperv.target import UPLOAD_FOLDER, HyperVTarget
from wizard.targets.vmdata import vm_tag

pytestmark = [pytest.mark.vcsim, pytest.mark.samba]
MiB = 1024 * 1024


@pytest.fixture
def sim():
    s = start_vcsim()
    yield s, connect_si(s)
    s.stop()


def _wait_for(condition, what: str, timeout: float = 120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class ShiftedClock:
    """``time`` for :mod:`wizard.migrate.sync` whose ``monotonic`` jumps ahead by ``shift`` when asked: a step that
    shifts it shows whether the downtime counted it, without waiting for anything."""

    def __init__(self) -> None:
        self.shift = 0.0

    def __getattr__(self, name: str):
        return getattr(time, name)

    def monotonic(self) -> float:
        return time.monotonic() + self.shift


def _synced_vm(s, si, name: str):
    vm = create_flat_vm(s, si, name, (96 * MiB,), power_on=True)
    Builder(si).reconfig(vm.vm, extraConfig=[vim.option.OptionValue(key="SET.guest.toolsRunningStatus",
                                                                    value="guestToolsRunning")])
    return vm


def _target(winrm_host, samba, tmp_path: Path) -> HyperVTarget:
    winrm_host.host.shares = [{"name": "vms", "path": "D:\\Hyper-V"}]
    winrm_host.host.share_root = samba.share_dir
    uploader = SmbUploader("127.0.0.1", username=samba.user, password=samba.password, port=samba.port)
    return HyperVTarget(winrm_host.session(), uploader, samba.unc, staging_dir=tmp_path / "staging")


def _journal(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_sync_into_the_hosts_share_patches_the_disk_in_place_and_cuts_over(sim, samba, winrm_host, tmp_path: Path,
                                                                          monkeypatch):
    s, si = sim
    vm = _synced_vm(s, si, "sync-hv")
    disk = vm.disks[0]
    rng = random.Random(5)
    disk.write(0, rng.randbytes(3 * MiB))
    disk.write(50 * MiB, rng.randbytes(2 * MiB))
    source = VSphereSource(s.host, s.port, s.user, s.password, insecure=True)
    plan = build_plan(source.discover(), ["sync-hv"], source_ref=SourceRef(kind="vsphere"), source_policy="sync")
    item = plan.items[0]
    target = _target(winrm_host, samba, tmp_path)
    journal = tmp_path / "j.jsonl"
    run = SyncRun(plan, tracker_for(source), target, SyncOptions(interval=3600, journal_path=journal),
                  place=SharePlace(target))
    stored = samba.share_dir / UPLOAD_FOLDER / sanitize_name(item.target.name) / sanitize_name(
        item.target.disks[0].file_name, keep_suffix=True)
    clock = ShiftedClock()
    monkeypatch.setattr(sync_module, "time", clock)
    seen_at_start = {}

    def starting(name: str) -> None:  # the host starts the VM: the source must be off by then
        seen_at_start["source"] = str(vm.vm.runtime.powerState)
        clock.shift += 3600.0  # an hour-long start: the downtime must contain it

    winrm_host.host.on_start = starting
    try:
        run.start()
        _wait_for(lambda: [st for st in run.status() if st.rounds == 1 and st.state == "synchronised"], "initial")
        assert stored.is_file(), "the initial copy lies on the host's share"
        before = stored.stat().st_ino
        disk.write(10 * MiB + 4096, rng.randbytes(MiB))
        disk.write(80 * MiB, rng.randbytes(4 * MiB))  # into space the VHDX has no block for yet
        flat = disk.flat_path
        served = s.bytes_served(flat)
        run.sync_now()
        _wait_for(lambda: [st for st in run.status() if st.rounds == 2 and st.state == "synchronised"], "delta")
        assert s.bytes_served(flat) - served <= 2 * 5 * MiB
        assert stored.stat().st_ino == before, "the delta was written into the same file on the share"
        qemu_compare(disk.flat, stored, "raw", "vhdx")
        disk.write(MiB, b"last words" * 100)
        assert winrm_host.host.scripts_run().count("Start-VM") == 0, "nothing is started before the cut-over"
        run.cut_over()
        done = run.wait(120)[0]
    finally:
        run.close()
        target.close()
        source.close()
    assert done.state == "done", done.error
    assert vm.vm.runtime.powerState == "poweredOff"
    assert seen_at_start == {"source": "poweredOff"}, "the VM was started once its source was off"
    qemu_compare(disk.flat, stored, "raw", "vhdx")
    host_vm = winrm_host.host.vms[item.target.name]
    assert vm_tag(item) in host_vm["notes"], "the VM was created on the host"
    assert host_vm["state"] == "Running", "the cut-over started the Hyper-V VM"
    scripts = winrm_host.host.scripts_run()
    assert scripts.index("Start-VM") > scripts.index("Create-VM"), scripts
    assert done.downtime is not None and done.downtime >= 3600, "the downtime runs until the start returned"
    assert done.until == "started" and done.line().endswith("(until the Hyper-V VM started)")
    steps = [r for r in _journal(journal) if r.get("event") == "cutover"]
    assert [r["step"] for r in steps][-3:] == ["created", "started", "done"]
    assert steps[-1]["until"] == "started" and steps[-1]["downtime_ms"] >= 3_600_000


def test_a_vm_that_does_not_start_fails_with_its_source_off_and_a_resume_starts_it(sim, samba, winrm_host,
                                                                                 tmp_path: Path):
    s, si = sim
    vm = _synced_vm(s, si, "sync-nostart")
    vm.disks[0].write(0, random.Random(7).randbytes(2 * MiB))
    source = VSphereSource(s.host, s.port, s.user, s.password, insecure=True)
    plan = build_plan(source.discover(), ["sync-nostart"], source_ref=SourceRef(kind="vsphere"), source_policy="sync")
    item = plan.items[0]
    journal = tmp_path / "j.jsonl"
    winrm_host.host.fail("Start-VM", "start_failed")
    target = _target(winrm_host, samba, tmp_path)
    run = SyncRun(plan, tracker_for(source), target, SyncOptions(interval=3600, journal_path=journal),
                  place=SharePlace(target))
    try:
        run.start()
        run.cut_over()
        failed = run.wait(120)[0]
    finally:
        run.close()
        target.close()
    assert failed.state == "failed"
    assert "was created but did not start" in failed.error.message and "Not enough memory" in failed.error.message
    assert "source stays off" in failed.error.fix and "Hyper-V Manager" in failed.error.fix
    assert vm.vm.runtime.powerState == "poweredOff", "never two running VMs: the source stays off"
    assert winrm_host.host.vms[item.target.name]["state"] == "Off"

    target = _target(winrm_host, samba, tmp_path)  # run again, resuming: the VM is started, nothing copied again
    served = s.bytes_served(vm.disks[0].flat_path)
    run = SyncRun(plan, tracker_for(source), target, SyncOptions(interval=3600, journal_path=journal, resume=True),
                  place=SharePlace(target))
    try:
        run.start()
        done = run.wait(120)[0]
    finally:
        run.close()
        target.close()
        source.close()
    assert done.state == "done", done.error
    assert winrm_host.host.vms[item.target.name]["state"] == "Running"
    assert vm.vm.runtime.powerState == "poweredOff"
    assert s.bytes_served(vm.disks[0].flat_path) == served, "the resume read nothing from the source"


def _cut_over_once(plan, source, target, journal: Path):
    run = SyncRun(plan, tracker_for(source), target, SyncOptions(interval=3600, journal_path=journal),
                  place=SharePlace(target))
    try:
        run.start()
        run.cut_over()
        return run.wait(120)[0]
    finally:
        run.close()
        target.close()


def _resume(plan, source, target, journal: Path):
    run = SyncRun(plan, tracker_for(source), target, SyncOptions(interval=3600, journal_path=journal, resume=True),
                  place=SharePlace(target))
    try:
        run.start()
        return run.wait(120)[0]
    finally:
        run.close()
        target.close()


def test_a_resume_never_starts_the_created_vm_while_the_source_runs_again(sim, samba, winrm_host, tmp_path: Path):
    s, si = sim
    vm = _synced_vm(s, si, "sync-again")
    source = VSphereSource(s.host, s.port, s.user, s.password, insecure=True)
    plan = build_plan(source.discover(), ["sync-again"], source_ref=SourceRef(kind="vsphere"), source_policy="sync")
    name = plan.items[0].target.name
    journal = tmp_path / "j.jsonl"
    winrm_host.host.fail("Start-VM", "start_failed")
    failed = _cut_over_once(plan, source, _target(winrm_host, samba, tmp_path), journal)
    assert failed.state == "failed" and winrm_host.host.vms[name]["state"] == "Off"
    vm.power_on()  # the admin gave the service back on vSphere before the resume
    try:
        again = _resume(plan, source, _target(winrm_host, samba, tmp_path), journal)
    finally:
        source.close()
    assert again.state == "failed"
    assert "source VM is running again" in again.error.message and "VMware Tools" in again.error.fix
    assert winrm_host.host.vms[name]["state"] == "Off", "never two running VMs: the Hyper-V VM was not started"
    assert vm.vm.runtime.powerState == "poweredOn"


def test_a_created_vm_that_does_not_match_the_plan_is_never_reported_done_on_resume(sim, samba, winrm_host,
                                                                                    tmp_path: Path):
    s, si = sim
    vm = _synced_vm(s, si, "sync-wrong")
    source = VSphereSource(s.host, s.port, s.user, s.password, insecure=True)
    plan = build_plan(source.discover(), ["sync-wrong"], source_ref=SourceRef(kind="vsphere"), source_policy="sync")
    name = plan.items[0].target.name
    journal = tmp_path / "j.jsonl"
    target = _target(winrm_host, samba, tmp_path)
    target.verify = lambda item: ["the VM has 1 virtual processor; the plan says 2"]  # someone changed it meanwhile
    failed = _cut_over_once(plan, source, target, journal)
    assert failed.state == "failed" and "does not match the plan" in failed.error.message
    assert any(r.get("step") == "verify_failed" for r in _journal(journal))
    try:
        again = _resume(plan, source, _target(winrm_host, samba, tmp_path), journal)
    finally:
        source.close()
    assert again.state == "failed", "created but never started: not done"
    assert "was not started" in again.error.message
    assert winrm_host.host.vms[name]["state"] == "Off"
    assert vm.vm.runtime.powerState == "poweredOff", "the source stays off"

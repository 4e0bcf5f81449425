"""Source preparation against the vCenter simulator: a running VM is copied from a snapshot that is removed
afterwards, or shut down first (and powered back on when its migration fails); nothing else is changed."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import pytest
from pyVmomi import vim, vmodl

from tests.fixtures.disks import qemu_compare, qemu_img
from tests.fixtures.vcsim import connect_si, start_vcsim
from tests.fixtures.vcsim_vms import Builder, _wait
from wizard.compat.engine import build_plan
from wizard.core.plan import SourceRef
from wizard.migrate.journal import Journal
from wizard.migrate.run import MigrationRun, RunOptions
from wizard.sources.vsphere import VSphereSource
from wizard.targets.bundle import DISK_DIR, BundleTarget, bundle_folder_name

pytestmark = pytest.mark.vcsim

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    """A simulator of its own: these tests change power states and snapshots."""
    sim = start_vcsim()
    si = connect_si(sim)
    b = Builder(si)
    work = tmp_path_factory.mktemp("prepare")
    vms = {}
    for name, tools in (("app-tools", True), ("app-notools", False)):
        scsi = b.controller(vim.vm.device.ParaVirtualSCSIController)
        vm = b.create(name, "debian11_64Guest", [scsi, b.disk(scsi, 0, 8 * MiB)], numCPUs=1, memoryMB=256)
        raw = work / f"{name}.raw"
        with open(raw, "wb") as fh:
            fh.truncate(8 * MiB)
            fh.seek(MiB)
            fh.write(random.Random(name).randbytes(2 * MiB))
        qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse", str(raw),
                 str(sim.datastore_dir() / name / f"{name}.vmdk"))
        if tools:
            b.reconfig(vm, extraConfig=[vim.option.OptionValue(key="SET.guest.toolsRunningStatus",
                                                               value="guestToolsRunning")])
        vms[name] = (vm, raw)
    yield sim, si, vms
    sim.stop()


@pytest.fixture
def source(sim):
    s, _, _ = sim
    src = VSphereSource(s.host, s.port, s.user, s.password, insecure=True)
    yield src
    src.close()


def _power(vm: vim.VirtualMachine, on: bool) -> None:
    if (vm.runtime.powerState == "poweredOn") != on:
        _wait(vm.PowerOnVM_Task() if on else vm.PowerOffVM_Task())


def _snapshots(vm: vim.VirtualMachine) -> list[str]:
    """Names of the VM's snapshots, read through the PropertyCollector (the simulator's single-property
    fetch crashes on an unset ``snapshot``)."""
    pc = vmodl.query.PropertyCollector
    spec = pc.FilterSpec(objectSet=[pc.ObjectSpec(obj=vm)],
                         propSet=[pc.PropertySpec(type=vim.VirtualMachine, pathSet=["snapshot"])])
    content = vim.ServiceInstance("ServiceInstance", vm._stub).RetrieveContent()
    props = {p.name: p.val for o in content.propertyCollector.RetrieveContents([spec]) or [] for p in o.propSet or []}
    info = props.get("snapshot")

    def walk(trees):
        for t in trees or []:
            yield t.name
            yield from walk(t.childSnapshotList)

    return list(walk(info.rootSnapshotList if info else []))


def _plan(source, name: str, **kw):
    return build_plan(source.discover(), [name], source_ref=SourceRef(kind="vsphere"), **kw)


def test_a_running_vm_is_copied_from_a_snapshot_that_is_removed_afterwards(sim, source, tmp_path: Path):
    _, _, vms = sim
    vm, raw = vms["app-tools"]
    _power(vm, True)
    plan = _plan(source, "app-tools")
    assert plan.items[0].source_policy == "snapshot"
    seen_during_copy: list[list[str]] = []

    def sink(event):
        if event.stage == "convert" and not seen_during_copy:
            seen_during_copy.append(_snapshots(vm))

    journal = tmp_path / "journal.jsonl"
    run = MigrationRun(plan, source, BundleTarget(tmp_path / "b"), RunOptions(journal_path=journal), sink=sink)
    outcome = run.run()[0]
    assert outcome.status == "done", outcome.error
    assert seen_during_copy == [["hvmigrate copy"]], "the disks were read while the snapshot existed"
    assert _snapshots(vm) == [] and vm.runtime.powerState == "poweredOn", "the source is as it was"
    assert Journal.replay(journal).source_changes == [], "the journal says the change was undone"
    item = plan.items[0]
    qemu_compare(raw, tmp_path / "b" / bundle_folder_name(item) / DISK_DIR /
                 BundleTarget.disk_file_name(item.target.disks[0]))


def test_shutdown_policy_leaves_a_migrated_vm_off_and_powers_a_failed_one_back_on(sim, source, tmp_path: Path):
    _, _, vms = sim
    vm, _ = vms["app-tools"]
    _power(vm, True)
    plan = _plan(source, "app-tools", source_policy="shutdown")
    assert plan.items[0].source_policy == "shutdown"
    outcome = MigrationRun(plan, source, BundleTarget(tmp_path / "ok")).run()[0]
    assert outcome.status == "done", outcome.error
    assert vm.runtime.powerState == "poweredOff", "a migrated VM stays off: two copies must not run"

    _power(vm, True)

    def broken(*_args, **_kw):
        raise OSError(28, "No space left on device")

    outcome = MigrationRun(plan, source, BundleTarget(tmp_path / "fail"), converter=broken).run()[0]
    assert outcome.status == "failed"
    assert vm.runtime.powerState == "poweredOn", "the failed migration gave the VM back running"


def test_no_change_when_the_target_preflight_fails_or_tools_are_missing(sim, source, tmp_path: Path):
    _, _, vms = sim
    vm, _ = vms["app-tools"]
    _power(vm, True)
    plan = _plan(source, "app-tools", source_policy="shutdown")
    taken = tmp_path / "taken"
    (taken / bundle_folder_name(plan.items[0])).mkdir(parents=True)  # the bundle folder already exists
    outcome = MigrationRun(plan, source, BundleTarget(taken)).run()[0]
    assert outcome.status == "failed" and "already exists" in outcome.error.message
    assert vm.runtime.powerState == "poweredOn" and _snapshots(vm) == []

    other, _ = vms["app-notools"]
    _power(other, True)
    plan = _plan(source, "app-notools", source_policy="shutdown")
    outcome = MigrationRun(plan, source, BundleTarget(tmp_path / "b")).run()[0]
    assert outcome.status == "failed" and "VMware Tools" in outcome.error.message
    assert other.runtime.powerState == "poweredOn"


def test_resume_reuses_the_snapshot_of_the_interrupted_run(sim, source, tmp_path: Path):
    _, _, vms = sim
    vm, raw = vms["app-tools"]
    _power(vm, True)
    plan = _plan(source, "app-tools")
    item = plan.items[0]
    made, _changes = source.prepare(item.vm, "snapshot")  # what the crashed run did before it died
    journal = tmp_path / "journal.jsonl"
    with Journal(journal) as j:
        from wizard.migrate.run import plan_fingerprint

        j.append("run_start", plan_sha256=plan_fingerprint(plan), vms=1)
        for change in _changes:
            j.append("source_change", vm=item.vm.id, **change.__dict__)
    assert _snapshots(vm) == ["hvmigrate copy"]
    run = MigrationRun(plan, source, BundleTarget(tmp_path / "b"), RunOptions(journal_path=journal, resume=True))
    assert run.run()[0].status == "done"
    assert _snapshots(vm) == [], "one snapshot was made, reused and removed"
    with contextlib.suppress(Exception):
        _power(vm, False)


def test_a_guest_that_went_off_by_itself_is_not_started_after_a_failed_migration(sim, source, tmp_path: Path,
                                                                                 monkeypatch):
    """Between the power-state check and the shutdown the guest goes off on its own: nothing was shut down by the
    migration, so a failed one must not power it on (it was not running when the migration left it)."""
    from wizard.sources import vsphere_prepare

    _, _, vms = sim
    vm, _ = vms["app-tools"]
    _power(vm, True)
    plan = _plan(source, "app-tools", source_policy="shutdown")

    def off_by_itself(session, vm_info, cancel, *_args, **_kw):  # noqa: ANN001, ANN202 - shutdown_guest's shape
        _power(vm, False)
        return False  # "it was off already"

    def broken(*_args, **_kw):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(vsphere_prepare, "shutdown_guest", off_by_itself)
    outcome = MigrationRun(plan, source, BundleTarget(tmp_path / "fail"), converter=broken).run()[0]
    assert outcome.status == "failed"
    assert vm.runtime.powerState == "poweredOff", "the migration started a guest it never shut down"

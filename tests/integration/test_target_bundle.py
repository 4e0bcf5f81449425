"""Offline import bundles: real disks (qemu-img), the real converter, the static Create-VM.ps1."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_img
from tests.integration.targets_support import (
    HOSTILE_NAMES,
    LocalDisksSource,
    make_plan,
    plan_item,
    source_vm,
)
from tests.unit.targets.psparse import syntax_problems
from wizard.core.plan import VMSpec
from wizard.core.resources import resource_path
from wizard.guests.report import PREPARED, Change, PrepReport
from wizard.migrate.item import migrate_item
from wizard.sources.demo import DemoSource
from wizard.targets.bundle import DISK_DIR, BundleTarget, Manifest, bundle_folder_name, check_bundle

MiB = 1024 * 1024


def qemu_compare(a: Path, b: Path) -> None:
    """Same virtual content (not strict: VHDX blocks and VMDK grains allocate differently)."""
    qemu_img("compare", str(a), str(b))


ROOT = Path(__file__).resolve().parents[2]


def _vmdk(tmp_path: Path, name: str, size: int, runs: list[tuple[int, bytes]]) -> Path:
    raw = tmp_path / f"{name}.raw"
    with open(raw, "wb") as fh:
        fh.truncate(size)
        for off, data in runs:
            fh.seek(off)
            fh.write(data)
    out = tmp_path / f"{name}.vmdk"
    qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse", str(raw), str(out))
    raw.unlink()
    return out


@pytest.fixture
def two_vms(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    g2 = [(_vmdk(src, "g2d0", 8 * MiB, [(0, b"\xeb\x63boot" * 100), (5 * MiB, b"data" * 5000)]), 8 * MiB)]
    g1 = [(_vmdk(src, "g1d0", 6 * MiB, [(0, b"MBR!" * 128), (3 * MiB + 7, b"x" * 70000)]), 6 * MiB),
          (_vmdk(src, "g1d1", 4 * MiB, [(MiB, b"second disk" * 1000)]), 4 * MiB)]
    vm2 = source_vm("web-gen2", [p for p in g2], generation=2)
    vm1 = source_vm("legacy-gen1", [p for p in g1], generation=1)
    items = [plan_item(vm2, generation=2), plan_item(vm1, generation=1, dynamic=False)]
    return LocalDisksSource([vm2, vm1]), items


# VMSpec fields and where the "create" data carries them (fields applied by other means are named too).
SPEC_COVERAGE = {
    "name": ("vm", "name"), "generation": ("vm", "generation"), "version": ("vm", "version"),
    "cpus": ("vm", "cpus"), "memory": ("vm", "memory"), "secure_boot": ("vm", "secure_boot"),
    "secure_boot_template": ("vm", "secure_boot_template"), "tpm": ("vm", "tpm"),
    "expose_virtualization_extensions": ("vm", "expose_virtualization_extensions"),
    "disks": ("disks",), "nics": ("nics",), "devices": ("dvd_drives",),
    "checkpoint_type": ("vm", "checkpoint_type"), "automatic_start_action": ("vm", "automatic_start_action"),
    "automatic_stop_action": ("vm", "automatic_stop_action"),
    "automatic_start_delay": ("vm", "automatic_start_delay"),
    "integration_services": ("vm", "integration_services"), "keep_bios_uuid": ("vm", "bios_guid"),
    "notes": ("vm", "notes"), "path": ("vm", "path"),
    "fixups": None,  # guest fix-ups run after creation (guest_fixups), not in Create-VM.ps1
}


def test_spec_coverage_table_names_every_vmspec_field():
    assert set(SPEC_COVERAGE) == {f.name for f in dataclasses.fields(VMSpec)}


def test_bundle_for_gen1_and_gen2(tmp_path, two_vms):
    source, items = two_vms
    out = tmp_path / "bundles"
    target = BundleTarget(out, make_plan(items).source)
    events = []
    for item in items:
        outcome = migrate_item(source, target, item, events.append)
        assert outcome.ok, outcome.error and outcome.error.one_line()
    assert any(e.stage == "convert" for e in events) and all(e.vm for e in events)
    script = resource_path("powershell", "Create-VM.ps1").read_text(encoding="utf-8")
    for item in items:
        folder = out / bundle_folder_name(item)
        assert folder.is_dir() and not (out / (folder.name + ".partial")).exists()
        manifest = Manifest.load(folder / "manifest.json")
        assert manifest.item.target.name == item.target.name
        assert manifest.hvmigrate_version and manifest.source.kind == "vmx"
        # disks: identical content to the sources, hashes and sizes as recorded
        for disk, rec in zip(item.target.disks, manifest.disks, strict=True):
            vhdx = folder / DISK_DIR / rec.file
            qemu_compare(Path(item.vm.disks[disk.source_index].path), vhdx)
            assert hashlib.sha256(vhdx.read_bytes()).hexdigest() == rec.sha256
            assert vhdx.stat().st_size == rec.size_bytes
            assert rec.content_digest, "the converter's content hash is kept"
        create = manifest.create
        assert [d["sha256"].lower() for d in create["disks"]] == [d.sha256 for d in manifest.disks]
        # the script: the one static text, parses cleanly
        ps1 = (folder / "Create-VM.ps1").read_text(encoding="utf-8-sig")
        assert ps1 == script and syntax_problems(ps1) == []
        # every VMSpec field the script applies is in the data, with the planned value
        spec = item.target
        for fname, where in SPEC_COVERAGE.items():
            if where is None:
                continue
            node = create
            for key in where:
                assert key in node, f"{fname}: {where} missing"
                node = node[key]
        vm = create["vm"]
        assert (vm["generation"], vm["version"], vm["cpus"]) == (spec.generation, "9.0", 2)
        assert vm["memory"]["startup_bytes"] == spec.memory.startup_mb * MiB
        assert vm["memory"]["dynamic"] == spec.memory.dynamic
        assert vm["checkpoint_type"] == "Production" and vm["automatic_start_delay"] == 30
        assert vm["integration_services"] == [{"name": "Guest Service Interface", "enabled": True},
                                              {"name": "Time Synchronization", "enabled": False}]
        assert create["tag"] in vm["notes"]
        assert vm["bios_guid"] == "{3C2B1A42-5E4D-706F-8192-A3B4C5D6E7F8}"
        assert create["nics"] == [{"name": "Network Adapter", "switch": "LAN", "vlan_id": 42,
                                   "static_mac": "005056AABBCC", "legacy": False}]
        assert len(create["dvd_drives"]) == 1
        types = [d["controller_type"] for d in create["disks"]]
        if spec.generation == 1:
            assert types == ["IDE", "IDE"] and vm["bios_startup_order"][0] == "IDE" and not vm["secure_boot"]
            assert create["dvd_drives"] == [{"controller_number": 1, "controller_location": 0}]
        else:
            assert types == ["SCSI"] and vm["secure_boot"] and vm["tpm"] and vm["scsi_controllers"] == 1
            assert create["dvd_drives"] == [{"controller_number": 0, "controller_location": 1}]
        assert check_bundle(folder) == []
        assert target.verify(item, deep=True) == []


def test_existing_bundle_is_not_overwritten(tmp_path, two_vms):
    source, items = two_vms
    target = BundleTarget(tmp_path / "b")
    assert migrate_item(source, target, items[0]).ok
    folder = target.final_dir(items[0])
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    again = migrate_item(source, target, items[0])
    assert again.status == "failed" and "already exists" in again.error.message
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == before
    assert not target.partial_dir(items[0]).exists()
    # --replace swaps in a fresh complete bundle for the same item
    assert migrate_item(source, BundleTarget(tmp_path / "b", replace=True), items[0]).ok
    assert check_bundle(folder) == []


def test_cancel_leaves_no_partial_folder(tmp_path, two_vms):
    from wizard.core.progress import CancelToken

    source, items = two_vms
    target = BundleTarget(tmp_path / "c")
    token = CancelToken()

    def sink(event):
        if event.stage == "convert":
            token.cancel()

    outcome = migrate_item(source, target, items[0], sink, token)
    assert outcome.status == "cancelled"
    assert list((tmp_path / "c").iterdir()) == []


@pytest.mark.parametrize("hostile", HOSTILE_NAMES)
def test_hostile_names_stay_data_in_the_bundle(tmp_path, two_vms, hostile):
    source, items = two_vms
    vm = items[0].vm
    item = plan_item(vm, name=hostile, switch=hostile + " switch")
    target = BundleTarget(tmp_path / "h")
    outcome = migrate_item(source, target, item)
    assert outcome.ok, outcome.error and outcome.error.one_line()
    (folder,) = [p for p in (tmp_path / "h").iterdir()]
    assert not set(folder.name) & set("'\"`$;#@<>\n\r|*?:\\/"), folder.name
    assert folder.name.upper() != "CON" and folder.name not in (".", "..")
    for f in (folder / DISK_DIR).iterdir():
        assert not set(f.name) & set("'\"`$;#@<>\n\r|*?:\\/"), f.name
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["create"]["vm"]["name"] == hostile
    assert manifest["create"]["nics"][0]["switch"] == hostile + " switch"
    script = (folder / "Create-VM.ps1").read_bytes()
    assert script == resource_path("powershell", "Create-VM.ps1").read_text(encoding="utf-8").encode("utf-8-sig")
    assert hostile.encode("utf-8") not in script or hostile in ("CON", "..")


def test_cli_migrates_a_demo_plan_to_bundles(tmp_path):
    """`hvmigrate migrate PLAN --target bundle:DIR` on the plan the compatibility engine builds for the demo
    (Gen 2 and Gen 1 VMs, Windows and Linux; the blocked RDM VM is left out by the engine)."""
    from wizard.compat.engine import build_plan
    from wizard.core.plan import SourceRef

    cache = tmp_path / "cache"
    demo = DemoSource(cache / "demo")
    plan = build_plan(demo.discover(), source_ref=SourceRef(kind="demo"), target_version="2019")
    assert {i.target.generation for i in plan.items} == {1, 2}
    plan.save(tmp_path / "plan.json")
    out = tmp_path / "out"
    env = {"HVMIGRATE_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "wizard", "migrate", str(tmp_path / "plan.json"),
                           "--target", f"bundle:{out}", "--json"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["done"] == len(plan.items) and {v["status"] for v in summary["vms"]} == {"done"}
    for item in plan.items:
        folder = out / bundle_folder_name(item)
        manifest = Manifest.load(folder / "manifest.json")
        assert manifest.create["vm"]["generation"] == item.target.generation
        for disk in item.target.disks:
            src = demo.disk_file(item.vm, disk.source_index)
            qemu_compare(src, folder / DISK_DIR / BundleTarget.disk_file_name(disk))
    # second run: folders exist → nothing overwritten, exit code 2 (none succeeded)
    again = subprocess.run([sys.executable, "-m", "wizard", "migrate", str(tmp_path / "plan.json"),
                            "--target", f"bundle:{out}"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert again.returncode == 2 and "already exists" in again.stderr
    # remove one bundle: that VM is made again, the others are refused → exit code 1 (some succeeded)
    import shutil

    shutil.rmtree(out / bundle_folder_name(plan.items[0]))
    partial = subprocess.run([sys.executable, "-m", "wizard", "migrate", str(tmp_path / "plan.json"),
                              "--target", f"bundle:{out}"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert partial.returncode == 1, partial.stderr


@pytest.fixture
def linux_vm(tmp_path, monkeypatch):
    """A Linux VM (an ext4 signature on its disk) whose guest preparation is stood in by ``prepare_into``:
    libguestfs is said to be available, and preparing runs the stand-in on the converted disk files."""
    from wizard.core.inventory import GuestOS
    from wizard.core.libguestfs import Availability
    from wizard.migrate import guestprep

    src = tmp_path / "src"
    src.mkdir()
    disk = _vmdk(src, "lnx", 8 * MiB, [(1080, b"\x53\xef"), (2 * MiB, b"/etc/fstab" * 300)])
    vm = source_vm("lnx", [(disk, 8 * MiB)])
    vm.guest = GuestOS(id="debian12_64Guest", full_name="Debian GNU/Linux 12 (64-bit)", family="linux", bits=64)
    monkeypatch.setattr(guestprep, "availability", lambda **_kw: Availability(True, checked=True))
    calls = []

    def prepare_into(change):
        def fake(paths, _options, _cancel=None):
            calls.append([str(p) for p in paths])
            for path in paths:
                change(str(path))
            return PrepReport(PREPARED, changes=[Change("/etc/dracut.conf.d/hyperv.conf", "added", "drivers")])
        monkeypatch.setattr(guestprep, "prepare_linux_guest", fake)
        return calls

    return LocalDisksSource([vm]), plan_item(vm), prepare_into


def test_a_preparation_whose_changes_are_not_in_the_disk_fails_the_vm(tmp_path, linux_vm):
    """libguestfs says it changed the guest, but the converted disk holds exactly what the source held (the
    appliance stopped before its writes reached the file): the VM fails and no bundle is delivered, instead
    of a guest reported prepared that will not boot on Hyper-V."""
    source, item, prepare_into = linux_vm
    calls = prepare_into(lambda _path: None)
    target = BundleTarget(tmp_path / "bundles", make_plan([item]).source)
    outcome = migrate_item(source, target, item)
    assert calls, "the preparation did not run"
    assert outcome.status == "failed" and "did not reach the disk files" in outcome.error.message
    assert outcome.guest_prep.status == "failed"  # the summary says the guest was not prepared, and why
    assert not target.final_dir(item).exists()


def test_a_preparation_that_changed_the_disk_delivers_it_with_its_new_digest(tmp_path, linux_vm):
    source, item, prepare_into = linux_vm
    prepare_into(lambda path: subprocess.run(["qemu-io", "-f", "vhdx", "-c", "write -P 0x5a 3M 4k", path],
                                             check=True, capture_output=True))
    target = BundleTarget(tmp_path / "bundles", make_plan([item]).source)
    outcome = migrate_item(source, target, item)
    assert outcome.status == "done", outcome.error
    assert outcome.guest_prep.status == PREPARED, outcome.guest_prep.reason
    vhdx = next(target.final_dir(item).rglob("*.vhdx"))
    out = subprocess.run(["qemu-io", "-f", "vhdx", "-r", "-c", "read -P 0x5a 3M 4k", str(vhdx)], capture_output=True,
                         text=True, check=True).stdout
    assert "read 4096/4096" in out and "Pattern verification failed" not in out


def test_a_preparation_that_stalled_before_writing_is_tried_once_more(tmp_path, linux_vm):
    """The appliance stalled or died before anything inside the guest was written (the disk is as converted):
    the preparation starts over once, and the prepared guest is delivered; a second such failure delivers the
    guest unchanged with the reason (as a guest that cannot be prepared). A failed command is not retried."""
    from wizard.guests.prepare import PrepFailed

    source, item, prepare_into = linux_vm
    failures = [PrepFailed("the libguestfs command 'inspect-os' did not finish within 600 s", written=False,
                           transient=True)]

    def stall_then_write(path):
        if failures:
            raise failures.pop()
        subprocess.run(["qemu-io", "-f", "vhdx", "-c", "write -P 0x5a 3M 4k", path], check=True, capture_output=True)

    calls = prepare_into(stall_then_write)
    events = []
    target = BundleTarget(tmp_path / "once", make_plan([item]).source)
    outcome = migrate_item(source, target, item, events.append)
    assert len(calls) == 2 and outcome.status == "done" and outcome.guest_prep.status == PREPARED
    assert any("trying once more" in (e.message or "") for e in events)

    calls.clear()
    failures[:] = [PrepFailed("the libguestfs appliance stopped unexpectedly during 'sh'", written=False,
                              transient=True)] * 2
    target = BundleTarget(tmp_path / "twice", make_plan([item]).source)
    outcome = migrate_item(source, target, item)
    assert len(calls) == 2 and outcome.status == "done"
    assert outcome.guest_prep.status == "failed" and "stopped unexpectedly" in outcome.guest_prep.reason

    # a command's own answer (a corrupt file system, say) would be the same the second time: not tried again
    calls.clear()
    failures[:] = [PrepFailed("preparing the guest failed: inspect-os: mount: wrong fs type", written=False)]
    target = BundleTarget(tmp_path / "command", make_plan([item]).source)
    outcome = migrate_item(source, target, item)
    assert len(calls) == 1 and outcome.status == "done" and outcome.guest_prep.status == "failed"

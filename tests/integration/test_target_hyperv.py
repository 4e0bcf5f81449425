"""The direct-to-host target end to end: real disks (qemu-img), the real converter, upload to a real Samba
share, VM creation through pywinrm against the WinRM stand-in (a pretend Hyper-V host)."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.disks import qemu_img
from tests.integration.targets_support import HOSTILE_NAMES, LocalDisksSource, plan_item, source_vm
from wizard.core.resources import resource_path
from wizard.migrate.item import migrate_item
from wizard.targets.bundle import sanitize_name
from wizard.targets.hyperv.smb_upload import SmbUploader
from wizard.targets.hyperv.target import UPLOAD_FOLDER, HyperVTarget
from wizard.targets.powershell import decode_stdin
from wizard.targets.vmdata import vm_tag

pytestmark = pytest.mark.samba
MiB = 1024 * 1024
B64 = re.compile(rb"^[A-Za-z0-9+/=\r\n]+$")
CREATE_VM = resource_path("powershell", "Create-VM.ps1").read_text(encoding="utf-8")


def _vmdk(folder, name, size, runs):
    raw = folder / f"{name}.raw"
    with open(raw, "wb") as fh:
        fh.truncate(size)
        for off, data in runs:
            fh.seek(off)
            fh.write(data)
    out = folder / f"{name}.vmdk"
    qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse", str(raw), str(out))
    raw.unlink()
    return out


@pytest.fixture
def vms(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    g2 = source_vm("app-gen2", [(_vmdk(src, "a0", 4 * MiB, [(0, b"boot" * 999), (3 * MiB, b"z" * 5000)]), 4 * MiB)])
    g1 = source_vm("old-gen1", [(_vmdk(src, "b0", 3 * MiB, [(0, b"MBR" * 99)]), 3 * MiB),
                                (_vmdk(src, "b1", 2 * MiB, [(MiB, b"data" * 99)]), 2 * MiB)], generation=1)
    return LocalDisksSource([g2, g1]), g2, g1


@pytest.fixture
def target(samba, winrm_host, tmp_path):
    winrm_host.host.shares = [{"name": "vms", "path": "D:\\Hyper-V"}]
    winrm_host.host.share_root = samba.share_dir
    uploader = SmbUploader("127.0.0.1", username=samba.user, password=samba.password, port=samba.port)
    t = HyperVTarget(winrm_host.session(), uploader, samba.unc, staging_dir=tmp_path / "staging")
    yield t
    t.close()


def _uploaded(samba, item, disk_name):
    return samba.share_dir / UPLOAD_FOLDER / sanitize_name(item.target.name) / disk_name


def test_direct_migration_gen2_and_gen1(target, vms, samba, winrm_host):
    source, g2, g1 = vms
    items = [plan_item(g2, generation=2), plan_item(g1, generation=1)]
    for item in items:
        outcome = migrate_item(source, target, item)
        assert outcome.ok, outcome.error and outcome.error.one_line()
        assert outcome.created.status == "created" and outcome.created.vm_id
        for disk, result in zip(item.target.disks, outcome.disks, strict=True):
            stored = _uploaded(samba, item, result.file_name)
            qemu_img("compare", item.vm.disks[disk.source_index].path, str(stored))
            assert result.location == f"D:\\Hyper-V\\{UPLOAD_FOLDER}\\{sanitize_name(item.target.name)}\\" \
                                      f"{result.file_name}"
        assert vm_tag(item) in winrm_host.host.vms[item.target.name]["notes"]
    assert not list((target.staging).rglob("*.vhdx")), "staging copies are deleted after upload"
    creates = [r for r in winrm_host.host.received if r.script == "Create-VM"]
    assert [c.data["create"]["mode"] for c in creates] == ["create", "check", "create", "check"]
    sent = creates[2].data["create"]
    assert [d["controller_type"] for d in sent["disks"]] == ["IDE", "IDE"]
    assert sent["checks"]["verify_hashes"] is False, "already verified by re-reading the share"


def test_second_run_is_idempotent(target, vms, winrm_host):
    source, g2, _ = vms
    item = plan_item(g2)
    assert migrate_item(source, target, item).ok
    creates = winrm_host.host.scripts_run().count("Create-VM")
    again = migrate_item(source, target, item, converter=_must_not_convert)
    assert again.ok and again.created.status == "already_exists" and again.disks == []
    assert winrm_host.host.scripts_run().count("Create-VM") == creates, "nothing was re-created or re-uploaded"
    assert len(winrm_host.host.vms) == 1


def test_incomplete_vm_of_an_earlier_run_is_rebuilt(target, vms, winrm_host):
    source, g2, _ = vms
    item = plan_item(g2, name="half-made")
    winrm_host.host.vms["half-made"] = {"id": "old", "notes": "x\r\n" + vm_tag(item) + "\r\n[hvmigrate: incomplete]"}
    outcome = migrate_item(source, target, item)
    assert outcome.ok and outcome.created.status == "created"
    assert winrm_host.host.vms["half-made"]["id"] != "old"


def _must_not_convert(*args, **kwargs):
    raise AssertionError("a finished VM's disks must not be converted or uploaded again")


@pytest.mark.parametrize("kind", ["cmdlet_error", "failed_midway"])
def test_failure_midway_removes_the_vm(target, vms, winrm_host, kind):
    source, g2, _ = vms
    item = plan_item(g2)
    winrm_host.host.fail("Create-VM", kind)
    outcome = migrate_item(source, target, item)
    assert outcome.status == "failed"
    message = outcome.error.message
    assert "Failed to add device 'Virtual Hard Disk'" in message and "app-gen2" in message
    assert "CLIXML" not in message
    scripts = winrm_host.host.scripts_run()
    assert scripts[scripts.index("Create-VM") + 1] == "Remove-VM", "the stand-in sees the rollback"
    removes = [r.data for r in winrm_host.host.received if r.script == "Remove-VM"]
    assert all(r["tag"] == vm_tag(item) for r in removes)
    assert removes[-1]["remove_files"], "rollback also removes the uploaded disks"
    assert winrm_host.host.vms == {}, "no half-configured VM is left"


def test_missing_switch_stops_before_any_upload(target, vms, samba, winrm_host):
    source, g2, _ = vms
    item = plan_item(g2, name="no-switch-vm", switch="No Such Switch")
    outcome = migrate_item(source, target, item)
    assert outcome.status == "failed" and "No Such Switch" in outcome.error.message
    assert "Create-VM" not in winrm_host.host.scripts_run()
    assert not _uploaded(samba, item, "x").parent.exists()


def test_someone_elses_vm_of_that_name_is_not_touched(target, vms, winrm_host):
    source, g2, _ = vms
    winrm_host.host.vms["app-gen2"] = {"id": "1234", "notes": "production, do not touch"}
    outcome = migrate_item(source, target, plan_item(g2))
    assert outcome.status == "failed" and "already exists" in outcome.error.message
    assert winrm_host.host.vms["app-gen2"]["notes"] == "production, do not touch"


@pytest.mark.parametrize("hostile", HOSTILE_NAMES[1:])
def test_hostile_names_only_travel_as_base64_data(target, vms, samba, winrm_host, hostile):
    source, g2, _ = vms
    switch = hostile + " sw"
    winrm_host.host.switches[switch] = "External"
    item = plan_item(g2, name=hostile, switch=switch)
    outcome = migrate_item(source, target, item)
    assert outcome.ok, outcome.error and outcome.error.one_line()
    assert winrm_host.host.vms[hostile]
    lines = {c.command_line for c in winrm_host.server.received}
    assert len(lines) == 1, "the command line is the same bytes whatever the names"
    for cmd in winrm_host.server.received:
        assert B64.match(bytes(cmd.stdin)), "stdin holds only base64"
        for part in (hostile, switch, *hostile.split()):
            assert part.encode() not in cmd.command_line.encode() or part in ("CON",)
    for r in winrm_host.host.received:
        text, _ = decode_stdin(r.stdin)
        if r.script == "Create-VM":
            assert text == CREATE_VM
            assert r.data["create"]["vm"]["name"] == hostile
            assert r.data["create"]["nics"][0]["switch"] == switch
    folder = _uploaded(samba, item, "x").parent
    assert folder.is_dir() and not set(folder.name) & set("'\"`$;#@<>\n\r")


def test_guest_fixups_through_powershell_direct(target, vms, winrm_host, caplog):
    from wizard.core import secrets

    source, g2, _ = vms
    item = plan_item(g2, name="fixup-vm")
    secret = "Gu3st pw'\"; $(x)"
    secrets.store("guest", "Administrator", "fixup-vm", secret)
    caplog.set_level("DEBUG", logger="wizard")
    outcome = migrate_item(source, target, item, fixups=True)
    assert outcome.ok, outcome.error and outcome.error.one_line()
    assert outcome.fixups.failed == []
    assert any("VMware Tools" in d for d in outcome.fixups.done)
    assert any("192.0.2.10/24" in d for d in outcome.fixups.done)
    (rec,) = [r for r in winrm_host.host.received if r.script == "Invoke-GuestFixups"]
    assert rec.data["password"] == secret and rec.data["vm_id"] == outcome.created.vm_id
    assert secret not in caplog.text and secret.encode() not in rec.command_line.encode()


def test_guest_fixups_without_a_stored_password_give_instructions(target, vms, winrm_host):
    source, g2, _ = vms
    item = plan_item(g2, name="nopw-vm")
    outcome = migrate_item(source, target, item, fixups=True)
    assert outcome.ok and outcome.fixups.failed and outcome.fixups.instructions
    assert "Invoke-GuestFixups" not in winrm_host.host.scripts_run()


def test_share_defaults_to_the_one_holding_the_vhd_folder(samba, winrm_host, vms, tmp_path):
    winrm_host.host.shares = [{"name": "other", "path": "E:\\Data"}, {"name": "vms", "path": "D:\\Hyper-V"}]
    winrm_host.host.share_root = samba.share_dir
    uploader = SmbUploader("127.0.0.1", username=samba.user, password=samba.password, port=samba.port)
    target = HyperVTarget(winrm_host.session(), uploader, "", staging_dir=tmp_path / "staging")
    source, g2, _ = vms
    item = plan_item(g2, name="auto-share-vm")
    outcome = migrate_item(source, target, item)
    target.close()
    assert outcome.ok, outcome.error and outcome.error.one_line()
    assert target.share_unc == "\\\\127.0.0.1\\vms"
    assert _uploaded(samba, item, outcome.disks[0].file_name).is_file()


def test_cli_migrates_to_a_host(target, winrm_host, samba, tmp_path, monkeypatch, capsys):
    """`hvmigrate migrate PLAN --target hyperv://...` end to end (the session is the stand-in's)."""
    import json

    from wizard import cli
    from wizard.compat.engine import build_plan
    from wizard.core.plan import SourceRef
    from wizard.sources.demo import DemoSource

    monkeypatch.setenv("HVMIGRATE_CACHE_DIR", str(tmp_path / "cache"))
    demo = DemoSource(tmp_path / "cache" / "demo")
    plan = build_plan(demo.discover(), ["web01", "legacy-app01"], source_ref=SourceRef(kind="demo"),
                      target_version="2019")
    plan.save(tmp_path / "plan.json")
    monkeypatch.setattr("wizard.app.migration.open_target", lambda spec, source=None, credentials=None: target)
    code = cli.main(["migrate", str(tmp_path / "plan.json"), "--target", "hyperv://admin@hv01", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0 and summary["done"] == 2, summary
    assert set(winrm_host.host.vms) == {"web01", "legacy-app01"}
    for item in plan.items:
        for disk in item.target.disks:
            stored = _uploaded(samba, item, sanitize_name(disk.file_name, keep_suffix=True))
            qemu_img("compare", str(demo.disk_file(item.vm, disk.source_index)), str(stored))


def _crash_before_the_vm_was_created(winrm_host, journal, name):
    """What a kill -9 after the disk was stored on the share, before the VM existed, leaves behind."""
    del winrm_host.host.vms[name]
    lines = journal.read_text().splitlines(keepends=True)
    journal.write_text("".join(line for line in lines if '"vm_done"' not in line))


@pytest.mark.parametrize("damage", [False, True])
def test_resume_keeps_a_disk_already_on_the_share_unless_it_changed(target, vms, samba, winrm_host, tmp_path,
                                                                    damage):
    from tests.integration.targets_support import make_plan
    from wizard.migrate.run import MigrationRun, RunOptions

    source, g2, _ = vms
    item = plan_item(g2, name="resumed-vm")
    plan, journal = make_plan([item]), tmp_path / "run.journal"
    first = MigrationRun(plan, source, target, RunOptions(parallel=1, journal_path=journal)).run()
    assert first[0].status == "done"
    stored = _uploaded(samba, item, first[0].disks[0].file_name)
    _crash_before_the_vm_was_created(winrm_host, journal, item.target.name)
    if damage:
        with open(stored, "r+b") as fh:
            fh.seek(5 * 1024 * 1024)
            fh.write(b"\xff")
    events = []
    second = MigrationRun(plan, source, target, RunOptions(parallel=1, journal_path=journal, resume=True),
                          sink=events.append).run()
    assert second[0].status == "done", second[0].error and second[0].error.one_line()
    converted = any(e.stage == "convert" for e in events)
    assert converted == damage, "a whole disk on the share is kept; a changed one is converted again"
    assert item.target.name in winrm_host.host.vms
    qemu_img("check", str(stored))

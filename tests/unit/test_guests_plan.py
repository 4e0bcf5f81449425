"""The offline Linux preparation as a plan option: the setting, what the finding promises, when it runs, and how
its changes reach the report and the bundle README (no libguestfs needed: the probe's answer is set)."""

from __future__ import annotations

import pytest

from tests.unit.compat.vms import finding, make_vm, one
from wizard.compat.settings import parse_sets
from wizard.core import libguestfs
from wizard.core.findings import Severity
from wizard.core.inventory import Firmware
from wizard.core.libguestfs import Availability
from wizard.core.plan import Plan, PlanItem, VMSpec
from wizard.guests.report import PREPARED, REFUSED, Change, GuestFacts, PrepReport
from wizard.migrate import guestprep
from wizard.migrate.item import ItemOutcome
from wizard.report.migration import render_migration_html
from wizard.targets.bundle import readme_text
from wizard.targets.guest_fixups import offline_report

NOT_INSTALLED = Availability(False, "libguestfs is not installed on this workstation", checked=True)


@pytest.fixture
def probe(monkeypatch: pytest.MonkeyPatch):
    """Set what the availability probe answers, for the rules and the migration alike."""

    def set_answer(answer: Availability) -> None:
        monkeypatch.setattr(libguestfs, "availability", lambda **_kw: answer)
        monkeypatch.setattr("wizard.compat.rules.guest.availability", lambda **_kw: answer)
        monkeypatch.setattr(guestprep, "availability", lambda **_kw: answer)

    return set_answer


def _linux():
    return make_vm(guest="ubuntu64Guest", firmware=Firmware.BIOS)


def test_the_finding_says_done_automatically_only_where_it_will_be_done(probe):
    probe(Availability(True, checked=True))
    f = finding(one(_linux()), "LINUX-INITRAMFS")
    assert f.severity is Severity.INFO and f.fix.startswith("Done automatically")
    probe(NOT_INSTALLED)
    f = finding(one(_linux()), "LINUX-INITRAMFS")
    assert f.severity is Severity.WARNING and "Done automatically" not in f.fix
    assert "Not automated here: libguestfs is not installed" in f.fix and "update-initramfs" in f.fix


def test_turning_it_off_keeps_the_manual_steps(probe):
    probe(Availability(True, checked=True))
    a = one(_linux(), overrides=["guest.prepare_linux=false"])
    f = finding(a, "LINUX-INITRAMFS")
    assert not a.spec.fixups.prepare_linux
    assert f.severity is Severity.WARNING and "guest.prepare_linux=false" in f.fix and "dracut" in f.fix


def test_the_setting_is_on_by_default_and_survives_a_saved_plan():
    assert parse_sets(["guest.prepare_linux=false"]) == {"guest.prepare_linux": "false"}
    assert VMSpec().fixups.prepare_linux
    plan = Plan(items=[PlanItem(vm=_linux())])
    plan.items[0].target.fixups.prepare_linux = False
    assert not Plan.from_json(plan.to_json()).items[0].target.fixups.prepare_linux


def test_the_probe_says_why_not(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HVMIGRATE_LIBGUESTFS", "off")
    answer = libguestfs.availability()
    assert not answer.ok and "HVMIGRATE_LIBGUESTFS=off" in answer.reason
    monkeypatch.delenv("HVMIGRATE_LIBGUESTFS")
    monkeypatch.setattr(libguestfs.shutil, "which", lambda _name: None)
    answer = libguestfs.availability(launch=True)
    assert not answer.ok and "libguestfs-tools" in answer.reason
    monkeypatch.setattr(libguestfs.sys, "platform", "win32")
    assert "only on Linux" in libguestfs.availability().reason
    env = libguestfs.guestfs_env()
    assert env["LIBGUESTFS_BACKEND"] == "direct" and env["LIBGUESTFS_BACKEND_SETTINGS"]


def test_the_migration_decides_per_vm(probe):
    item = PlanItem(vm=_linux())
    item.vm.guest.family = "linux"
    windows = PlanItem(vm=make_vm())
    probe(Availability(True, checked=True))
    assert guestprep.decide(item).run and guestprep.decide(windows) == guestprep.Decision()
    item.target.fixups.prepare_linux = False
    assert "guest.prepare_linux=false" in guestprep.decide(item).report.reason
    item.target.fixups.prepare_linux = True
    probe(NOT_INSTALLED)
    decision = guestprep.decide(item)
    assert not decision.run and decision.report.reason == NOT_INSTALLED.reason


def _prepared() -> PrepReport:
    return PrepReport(PREPARED, facts=GuestFacts(distro="rhel", version="9.3", product="RHEL 9.3",
                                                 kernels=["5.14.0"], initramfs_tool="dracut"),
                      changes=[Change("/etc/sysconfig/network-scripts/ifcfg-ens192 → "
                                      "/etc/sysconfig/network-scripts/ifcfg-eth0", "removed HWADDR=...",
                                      "bind the network configuration to the Hyper-V adapter",
                                      "/etc/sysconfig/network-scripts/.hvmigrate-orig/ifcfg-ens192"),
                               Change("/boot/initramfs-5.14.0.img", "rebuilt by dracut with hv_vmbus hv_storvsc",
                                      "the guest needs the Hyper-V drivers", "")],
                      notes=["open-vm-tools was left installed"])


def test_report_and_readme_list_every_change():
    item = PlanItem(vm=_linux(), target=VMSpec(name="db1"))
    item.vm.guest.family = "linux"
    prep = _prepared()
    html = render_migration_html(Plan(items=[item]), [ItemOutcome("db1", "done", guest_prep=prep)])
    readme = readme_text(item, offline_report(item, prep))
    for change in prep.changes:
        assert change.file in html and change.what in html and change.why in html and change.original in html
        assert change.file in readme
    assert "RHEL 9.3" in html and "open-vm-tools" in html and "open-vm-tools" in readme
    assert "update-initramfs" not in readme  # prepared: the manual initramfs steps are gone


def test_a_refused_guest_keeps_the_manual_steps_and_says_why():
    item = PlanItem(vm=_linux(), target=VMSpec(name="old"))
    item.vm.guest.family = "linux"
    prep = PrepReport(REFUSED, "the guest's root file system is encrypted (LUKS)")
    report = offline_report(item, prep)
    assert any("encrypted" in x for x in report.failed)
    assert any("update-initramfs" in x for x in report.instructions)
    html = render_migration_html(Plan(items=[item]), [ItemOutcome("old", "done", guest_prep=prep)])
    assert "nothing inside the guest was changed" in html and "encrypted" in html


def test_only_disks_with_a_linux_file_system_are_staged_for_preparation(tmp_path):
    """A disk without any Linux signature (blank, data) streams as usual; an ext4 partition is found."""
    import struct

    from wizard.disks.detect import open_image

    def disk(name: str, magic_at: int | None) -> str:
        path = tmp_path / name
        with open(path, "wb") as fh:
            fh.truncate(4 * 1024 * 1024)
            mbr = bytearray(512)
            mbr[446:462] = struct.pack("<B3sB3sII", 0, b"\0\0\0", 0x83, b"\0\0\0", 2048, 4096)
            mbr[510:512] = b"\x55\xaa"
            fh.write(mbr)
            fh.seek(2048 * 512 + 1024)
            fh.write(bytes(range(256)) * 4)  # data, no signature
            if magic_at is not None:
                fh.seek(magic_at)
                fh.write(b"\x53\xef")
        return str(path)

    with open_image(disk("ext4.raw", 2048 * 512 + 1080), fmt="raw") as image:
        assert guestprep.holds_linux(image)
    with open_image(disk("data.raw", None), fmt="raw") as image:
        assert not guestprep.holds_linux(image)


@pytest.fixture
def chinese():
    """The language the wizard's Chinese interface sets below itself (wizard.ui.i18n.install)."""
    from wizard.core.i18n import set_language

    set_language("zh_CN")
    yield
    set_language(None)


def test_the_migration_report_is_in_the_language_of_the_wizard_that_wrote_it(chinese):
    """A help-desk user working in Chinese opens the report the Finished page saved: our words, the verdict, each
    change's what and why and the steps left are in Chinese; file names, addresses and digests stay as they are."""
    item = PlanItem(vm=_linux(), target=VMSpec(name="db1"))
    item.vm.guest.family = "linux"
    prep = PrepReport(PREPARED, facts=GuestFacts(distro="rhel", version="9.3", product="RHEL 9.3",
                                                 kernels=["5.14.0"], initramfs_tool="dracut"),
                      changes=[Change("/etc/dracut.conf.d/hyperv.conf", 'added add_drivers+=" hv_vmbus hv_storvsc "',
                                      "the guest needs the Hyper-V drivers to find its disk and network at boot", ""),
                               Change("/boot/initramfs-5.14.0.img", "rebuilt by dracut with hv_vmbus hv_storvsc",
                                      "the guest needs the Hyper-V drivers to find its disk and network at boot",
                                      "")])
    html = render_migration_html(Plan(items=[item]), [ItemOutcome("db1", "done", guest_prep=prep)])
    assert '<html lang="zh-CN">' in html
    for words in ("迁移报告", "1 台已迁移", "已离线为 Hyper-V 准备：客户机内 2 处修改。",
                  "客户机：RHEL 9.3（rhel 9.3）", "已由 dracut 重建，包含 hv_vmbus hv_storvsc",
                  "客户机启动时需要 Hyper-V 驱动程序才能找到其磁盘和网络", "每台新虚拟机需要检查的事项",
                  "启动虚拟机并登录"):
        assert words in html, words
    for english in ("Migration report", "What to check on each new VM", "Prepared for Hyper-V offline",
                    "rebuilt by dracut", "File in the guest", "the guest", "Done:", "needs"):
        assert english not in html, english
    assert "/boot/initramfs-5.14.0.img" in html and "/etc/dracut.conf.d/hyperv.conf" in html
    readme = readme_text(item, offline_report(item, prep), prep)  # the bundle's README.txt, for the host's admin
    assert "已由 dracut 重建，包含 hv_vmbus hv_storvsc" in readme and "首次启动后：" in readme
    assert "rebuilt by" not in readme and "After the first start" not in readme


def test_the_manual_linux_steps_and_the_reason_are_translated_too(chinese):
    item = PlanItem(vm=_linux(), target=VMSpec(name="old"))
    item.vm.guest.family = "linux"
    prep = PrepReport(REFUSED, "no installed kernel was found in /lib/modules and /boot")
    html = render_migration_html(Plan(items=[item]), [ItemOutcome("old", "done", guest_prep=prep)])
    assert "未为 Hyper-V 准备（客户机内未作任何修改）：在 /lib/modules 和 /boot 中未找到已安装的内核" in html
    assert "update-initramfs -u -k all" in html and "Rebuild it" not in html and "重建：" in html


def test_changes_of_several_clauses_and_failed_vms_read_whole_in_chinese(chinese):
    """A network edit's clauses are translated one by one, a failed VM's error keeps its message and fix apart,
    and a phrase as short as "{0} failed" never swallows a longer message."""
    from wizard.core.errors import TargetError
    from wizard.core.i18n import translate

    item = PlanItem(vm=_linux(), target=VMSpec(name="db1"))
    item.vm.guest.family = "linux"
    prep = PrepReport(PREPARED, changes=[Change(
        "/etc/NetworkManager/system-connections/ens192.nmconnection",
        "removed mac-address=00:50:56:aa:bb:cc (the old adapter's MAC); interface-name=ens192 → interface-name=eth0",
        "bind the network configuration to the Hyper-V adapter", "")])
    error = TargetError("Hyper-V host h1: WinRM error (creating the VM): boom",
                        fix="Check that WinRM is running on the host and not blocked, then try again.")
    html = render_migration_html(Plan(items=[item, PlanItem(vm=_linux(), target=VMSpec(name="bad"))]),
                                 [ItemOutcome("db1", "done", guest_prep=prep), ItemOutcome("bad", "failed",
                                                                                          error=error)])
    assert "已删除 mac-address=00:50:56:aa:bb:cc（旧网卡的 MAC）；interface-name=ens192 → interface-name=eth0" in html
    assert translate(error.fix) in html and error.fix not in html
    assert translate("The operation failed") == "The operation failed"  # server words stay as they are


def test_a_slow_appliance_probe_stalls_no_assessment_and_runs_once(monkeypatch: pytest.MonkeyPatch):
    """The first preparation starts the appliance (minutes under TCG): meanwhile an assessment asking whether
    the preparation can run is answered at once, and a second VM's preparation waits for that one probe."""
    import threading

    started, release, calls = threading.Event(), threading.Event(), []

    def slow_launch(timeout: float) -> Availability:
        calls.append(timeout)
        started.set()
        release.wait(30)
        return Availability(True, checked=True)

    monkeypatch.setattr(libguestfs, "_quick", lambda: None)
    monkeypatch.setattr(libguestfs, "_read_cache", lambda key: None)
    monkeypatch.setattr(libguestfs, "_write_cache", lambda key, answer: None)
    monkeypatch.setattr(libguestfs, "_launch", slow_launch)
    libguestfs.forget()
    answers: list[Availability] = []
    first = threading.Thread(target=lambda: answers.append(libguestfs.availability(launch=True)))
    second = threading.Thread(target=lambda: answers.append(libguestfs.availability(launch=True)))
    first.start()
    assert started.wait(10)
    second.start()
    quick = libguestfs.availability()  # an assessment: never waits for the launch
    assert quick.ok and not quick.checked
    release.set()
    first.join(10)
    second.join(10)
    assert len(calls) == 1 and len(answers) == 2 and all(a.ok and a.checked for a in answers)
    libguestfs.forget()

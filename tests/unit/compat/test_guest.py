"""Guest OS rules: support status, host version, vCPU limits, Linux initramfs drivers."""

from __future__ import annotations

from tests.unit.compat.vms import codes, finding, make_vm, one
from wizard.core.findings import Severity
from wizard.core.inventory import Firmware, GuestOS


def test_windows_2003_is_unsupported():
    f = finding(one(make_vm(guest="winNetStandardGuest", firmware=Firmware.BIOS)), "GUEST-UNSUPPORTED")
    assert f.severity is Severity.WARNING and "2003" in f.message


def test_supported_guest_is_not_flagged():
    c = codes(make_vm())
    assert not c & {"GUEST-UNSUPPORTED", "GUEST-EOS", "GUEST-UNKNOWN"}


def test_end_of_support_guest_is_info():
    f = finding(one(make_vm(guest="centos7_64Guest")), "GUEST-EOS")
    assert f.severity is Severity.INFO


def test_unknown_guest_id_is_reported():
    vm = make_vm(guest="madeUpOS64Guest")
    assert "GUEST-UNKNOWN" in codes(vm)
    vm.guest = GuestOS()
    assert "the source does not say" in finding(one(vm), "GUEST-UNKNOWN").message


def test_tools_reported_guest_id_wins_over_configured_one():
    vm = make_vm(guest="otherGuest64")
    vm.guest.running_id = "windows2019srv_64Guest"
    assert "GUEST-UNKNOWN" not in codes(vm)


def test_windows11_needs_host_2019():
    vm = make_vm(guest="windows11_64Guest")
    assert finding(one(vm, target_version="2016"), "GUEST-HOST-VERSION").severity is Severity.WARNING
    assert "GUEST-HOST-VERSION" not in codes(vm, target_version="2022")
    assert finding(one(vm), "GUEST-HOST-VERSION").severity is Severity.INFO
    assert "GUEST-HOST-VERSION" not in codes(make_vm(), target_version="2016")


def test_windows7_vcpus_are_capped_at_4():
    vm = make_vm(guest="windows7_64Guest", firmware=Firmware.BIOS, cpus=8)
    a = one(vm)
    assert a.spec.cpus == 4 and finding(a, "CPU-GUEST-MAX").adjusted
    vm.cpus = 4
    assert "CPU-GUEST-MAX" not in codes(vm)


def test_user_chosen_vcpus_above_guest_limit_are_kept_and_warned():
    a = one(make_vm(guest="windows7_64Guest", firmware=Firmware.BIOS), overrides={"cpus": 8})
    f = finding(a, "CPU-GUEST-MAX")
    assert a.spec.cpus == 8 and not f.adjusted and f.severity is Severity.WARNING


def test_linux_initramfs_is_fixed_up_automatically():
    a = one(make_vm(guest="ubuntu64Guest"))
    f = finding(a, "LINUX-INITRAMFS")
    assert f.adjusted and f.severity is Severity.INFO and a.spec.fixups.linux_initramfs_drivers
    assert "hv_storvsc" in f.message


def test_linux_initramfs_warns_when_fixups_are_off_or_lis_is_needed():
    a = one(make_vm(guest="ubuntu64Guest"), overrides=["fixups.linux_initramfs_drivers=false"])
    assert finding(a, "LINUX-INITRAMFS").severity is Severity.WARNING
    f = finding(one(make_vm(guest="rhel5_64Guest", firmware=Firmware.BIOS)), "LINUX-INITRAMFS")
    assert f.severity is Severity.WARNING and "LIS" in f.message


def test_windows_has_no_initramfs_finding():
    assert "LINUX-INITRAMFS" not in codes(make_vm())


def test_arm_guest_is_blocked_and_x64_is_not():
    from tests.unit.compat.vms import codes, finding, make_vm, one
    from wizard.core.findings import Severity

    vm = make_vm()
    vm.extra["guest_arch"] = "arm64"
    assert finding(one(vm), "GUEST-ARM").severity is Severity.BLOCKER
    assert "GUEST-ARM" not in codes(make_vm())

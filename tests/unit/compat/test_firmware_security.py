"""Secure Boot templates, TPM, encryption and configuration version rules."""

from __future__ import annotations

from tests.unit.compat.vms import codes, finding, make_vm, one
from wizard.core.findings import Severity
from wizard.core.inventory import Disk, Firmware

UCA = "MicrosoftUEFICertificateAuthority"


def test_linux_with_secure_boot_gets_the_uefi_ca_template():
    a = one(make_vm(guest="rhel9_64Guest"), template="auto")
    assert a.spec.secure_boot and a.spec.secure_boot_template == UCA
    # auto picks the Linux template, which already sets the template: nothing to explain
    a = one(make_vm(guest="rhel9_64Guest"), template="windows-server")
    f = finding(a, "SB-LINUX-TEMPLATE")
    assert f.adjusted and a.spec.secure_boot_template == UCA


def test_linux_without_secure_boot_needs_no_template_change():
    assert "SB-LINUX-TEMPLATE" not in codes(make_vm(guest="rhel9_64Guest"), template="windows-server",
                                            overrides=["secure_boot=false"])


def test_user_forcing_windows_template_on_linux_is_a_blocker():
    a = one(make_vm(guest="rhel9_64Guest"), overrides=["secure_boot_template=MicrosoftWindows"])
    assert finding(a, "SB-LINUX-TEMPLATE").severity is Severity.BLOCKER and a.blocked


def test_windows_with_linux_template_gets_the_windows_template_back():
    a = one(make_vm(), template="linux")
    assert a.spec.secure_boot_template == "MicrosoftWindows" and finding(a, "SB-WINDOWS-TEMPLATE").adjusted
    assert "SB-WINDOWS-TEMPLATE" not in codes(make_vm())


def test_freebsd_secure_boot_is_turned_off():
    a = one(make_vm(guest="freebsd13_64Guest"))
    assert not a.spec.secure_boot and finding(a, "SB-NOT-SUPPORTED").adjusted
    assert "SB-NOT-SUPPORTED" not in codes(make_vm(guest="freebsd13_64Guest", secure_boot=False))


def test_windows11_gets_tpm_and_secure_boot():
    a = one(make_vm(guest="windows11_64Guest", secure_boot=False), template="windows-server")
    f = finding(a, "TPM-WIN11")
    assert a.spec.tpm and a.spec.secure_boot and f.adjusted
    a = one(make_vm(guest="windows11_64Guest"))  # auto → Windows 11 template already has both
    assert a.spec.tpm and "TPM-WIN11" not in {x.code for x in a.findings}


def test_windows11_with_tpm_turned_off_by_user_is_blocked():
    a = one(make_vm(guest="windows11_64Guest"), overrides=["tpm=false"])
    assert finding(a, "TPM-WIN11").severity is Severity.BLOCKER


def test_windows11_on_bios_warns():
    f = finding(one(make_vm(guest="windows11_64Guest", firmware=Firmware.BIOS)), "TPM-WIN11")
    assert f.severity is Severity.WARNING and "Generation 1" in f.message


def test_windows11_tpm_needs_configuration_version_7():
    a = one(make_vm(guest="windows11_64Guest"), overrides=["version=6.2"])
    assert any(f.code == "CONFIG-FEATURES" and "7.0" in f.message for f in a.findings) and a.blocked


def test_other_windows_has_no_tpm_rule():
    a = one(make_vm())
    assert not a.spec.tpm and "TPM-WIN11" not in {f.code for f in a.findings}


def test_source_vtpm_is_replaced_by_a_new_one_with_a_bitlocker_warning():
    a = one(make_vm(vtpm=True))
    f = finding(a, "TPM-SOURCE")
    assert a.spec.tpm and "recovery key" in f.message
    assert "TPM-SOURCE" not in codes(make_vm())


def test_encrypted_vm_or_disk_is_blocked():
    assert finding(one(make_vm(encrypted=True)), "VM-ENCRYPTED").severity is Severity.BLOCKER
    vm = make_vm()
    vm.disks.append(Disk(label="Hard disk 2", capacity_bytes=1, encrypted=True))
    assert "Hard disk 2" in finding(one(vm), "VM-ENCRYPTED").message
    assert "VM-ENCRYPTED" not in codes(make_vm())


def test_configuration_version_must_exist_on_the_host():
    assert finding(one(make_vm(), target_version="2019", overrides=["version=12.0"]), "CONFIG-VERSION").severity \
        is Severity.BLOCKER
    assert "CONFIG-VERSION" not in codes(make_vm(), target_version="2019", overrides=["version=9.0"])
    assert one(make_vm(), target_version="2022").spec.version == "10.0"
    assert one(make_vm()).spec.version == ""  # unknown host: host default


def test_source_vtpm_with_tpm_turned_off_by_user_warns_without_claiming_a_new_tpm():
    a = one(make_vm(vtpm=True), overrides=["tpm=false"])
    f = finding(a, "TPM-SOURCE")
    assert not a.spec.tpm and not f.adjusted and "none" in f.message


def test_old_configuration_version_cannot_carry_newer_features():
    a = one(make_vm(guest="ubuntu64Guest"), target_version="2019", overrides=["version=5.0"])
    f = finding(a, "CONFIG-FEATURES")
    assert "6.2" in f.message and a.blocked
    assert "CONFIG-FEATURES" not in codes(make_vm(guest="ubuntu64Guest"), target_version="2019",
                                          overrides=["version=8.0"])
    assert "CONFIG-FEATURES" not in codes(make_vm())

"""Generation rules: BIOS → Gen 1, UEFI → Gen 2, 64-bit only on Gen 2."""

from __future__ import annotations

from tests.unit.compat.vms import codes, finding, make_vm, one
from wizard.core.findings import Severity
from wizard.core.inventory import Firmware


def test_uefi_vm_becomes_gen2_and_bios_vm_gen1_without_findings():
    assert one(make_vm()).spec.generation == 2
    bios = one(make_vm(firmware=Firmware.BIOS))
    assert bios.spec.generation == 1
    assert "GEN-FIRMWARE" not in {f.code for f in bios.findings}


def test_gen2_template_on_bios_vm_stays_gen1_and_says_why():
    a = one(make_vm(firmware=Firmware.BIOS), template="windows-server")
    f = finding(a, "GEN-FIRMWARE")
    assert a.spec.generation == 1 and f.adjusted and f.severity is Severity.INFO
    assert "BIOS" in f.message


def test_user_forced_generation_is_kept_but_warned():
    a = one(make_vm(firmware=Firmware.BIOS), overrides=["generation=2"])
    f = finding(a, "GEN-FIRMWARE")
    assert a.spec.generation == 2 and f.severity is Severity.WARNING and not f.adjusted


def test_32bit_guest_on_uefi_is_a_blocker():
    a = one(make_vm(guest="windows9Guest"))
    f = finding(a, "GEN2-32BIT")
    assert a.blocked and f.severity is Severity.BLOCKER and "UEFI" in f.message


def test_32bit_guest_on_bios_is_plain_gen1():
    a = one(make_vm(guest="windows9Guest", firmware=Firmware.BIOS))
    assert a.spec.generation == 1 and not a.blocked and "GEN2-32BIT" not in {f.code for f in a.findings}


def test_forcing_gen2_for_32bit_bios_guest_is_a_blocker():
    assert one(make_vm(guest="windows9Guest", firmware=Firmware.BIOS), overrides=["generation=2"]).blocked


def test_64bit_uefi_guest_has_no_32bit_blocker():
    assert "GEN2-32BIT" not in codes(make_vm(guest="windows9_64Guest"))


def test_gen1_only_guest_on_uefi_warns():
    f = finding(one(make_vm(guest="sles11_64Guest")), "GEN2-GUEST")
    assert f.severity is Severity.WARNING and "Generation 1 only" in f.message


def test_gen2_capable_guest_does_not_warn():
    assert "GEN2-GUEST" not in codes(make_vm(guest="sles15_64Guest"))
    assert "GEN2-GUEST" not in codes(make_vm(guest="sles11_64Guest", firmware=Firmware.BIOS))


def test_gen1_drops_secure_boot_and_tpm_from_a_template():
    a = one(make_vm(firmware=Firmware.BIOS), template="windows-11")
    f = finding(a, "GEN1-NO-UEFI")
    assert a.spec.generation == 1 and not a.spec.secure_boot and not a.spec.tpm and f.adjusted
    assert "GEN1-NO-UEFI" not in codes(make_vm(firmware=Firmware.BIOS))
    assert "GEN1-NO-UEFI" not in codes(make_vm(), template="windows-11")


def test_gen1_with_user_secure_boot_is_a_blocker():
    a = one(make_vm(firmware=Firmware.BIOS), overrides=["secure_boot=true"])
    assert finding(a, "GEN1-NO-UEFI").severity is Severity.BLOCKER

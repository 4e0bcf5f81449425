"""Which Hyper-V generation a VM can be: BIOS → Generation 1, UEFI → Generation 2, 64-bit only on Gen 2."""

from __future__ import annotations

from wizard.compat.rules.refs import WG, G, join
from wizard.compat.rules.registry import RuleContext, rule
from wizard.core.findings import Severity

_FW = {1: "BIOS", 2: "UEFI"}


@rule("GEN-FIRMWARE", Severity.INFO, "Generation follows the source firmware", G, order=10)
def generation_follows_firmware(ctx: RuleContext) -> None:
    want = ctx.firmware_generation
    if ctx.spec.generation == want:
        return
    fw = _FW[want]
    if ctx.locked("generation"):
        ctx.flag(
            f"You chose Generation {ctx.spec.generation}, but this VM starts with {fw}. A disk installed for "
            f"{fw} does not start in the other generation, so the new VM will not boot from it.",
            f"Use Generation {want} (remove the generation setting), or convert the guest's boot loader to "
            f"{_FW[ctx.spec.generation]} inside the guest before migrating.",
            severity=Severity.WARNING, title="Generation does not match the source firmware")
        return
    asked = ctx.spec.generation
    ctx.spec.generation = want
    ctx.flag(
        f"The template asks for Generation {asked}, but this VM starts with {fw}, so it becomes Generation "
        f"{want}. A boot disk made for {fw} does not start under the other generation's firmware.",
        "Nothing to do; the plan uses Generation " + str(want) + ".", adjusted=True)


@rule("GEN2-32BIT", Severity.BLOCKER, "32-bit guest cannot run on Generation 2", join(G, WG), order=12)
def gen2_needs_64bit(ctx: RuleContext) -> None:
    if ctx.spec.generation != 2 or ctx.guest.bits != 32:
        return
    if ctx.firmware_generation == 2:
        ctx.flag(
            f"{ctx.guest.name} is a 32-bit system that starts with UEFI. Hyper-V Generation 2 runs only 64-bit "
            "guests, and Generation 1 (BIOS) cannot start a disk that was installed for UEFI.",
            "Reinstall the guest as 64-bit, or convert its disk to BIOS/MBR boot inside the guest and switch the "
            "source VM to BIOS firmware, then assess again.")
    else:
        ctx.flag(
            f"You chose Generation 2, but {ctx.guest.name} is 32-bit and Generation 2 runs only 64-bit guests.",
            "Use Generation 1 for this VM (remove the generation setting).")


@rule("GEN2-GUEST", Severity.WARNING, "Guest not listed for Generation 2", join(G, WG), order=14)
def gen2_guest_support(ctx: RuleContext) -> None:
    g = ctx.guest
    if ctx.spec.generation != 2 or not g.known or g.gen2_capable or g.bits == 32:
        return
    if ctx.firmware_generation == 2:
        msg = (f"This VM starts with UEFI, so it must be Generation 2, but Microsoft lists {g.name} for "
               "Generation 1 only. It may still start; Microsoft does not support the combination.")
        fix = "Test the migrated VM before switching over, or upgrade the guest OS first."
    else:
        msg = f"You chose Generation 2, but Microsoft lists {g.name} for Generation 1 only."
        fix = "Use Generation 1 (remove the generation setting)."
    ctx.flag(msg, fix)


@rule("GEN1-NO-UEFI", Severity.INFO, "Generation 1 has no Secure Boot or TPM", G, order=15)
def gen1_has_no_uefi_features(ctx: RuleContext) -> None:
    s = ctx.spec
    if s.generation != 1 or not (s.secure_boot or s.tpm):
        return
    asked = " and ".join(n for n, on in (("Secure Boot", s.secure_boot), ("a virtual TPM", s.tpm)) if on)
    if ctx.locked("secure_boot", "tpm"):
        ctx.flag(f"Generation 1 VMs have no UEFI firmware, so they cannot have {asked}.",
                 "Turn them off for this VM (--set secure_boot=false --set tpm=false) or use Generation 2.",
                 severity=Severity.BLOCKER)
        return
    s.secure_boot = False
    s.tpm = False
    ctx.flag(f"The template asks for {asked}, but this VM is Generation 1 (BIOS), which has neither; "
             "the plan leaves them off.", "Nothing to do.", adjusted=True)

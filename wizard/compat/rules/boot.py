"""The boot disk: which disk the new VM starts from, which rule decided, and whether the firmware can start it.

The engine marks the boot disk (:func:`wizard.compat.boot.choose_boot_disk`); ``disk.N.boot=true`` overrides
it. These rules say which rule decided (so a person can check it), and report a boot disk whose content the
planned generation's firmware cannot start.
"""

from __future__ import annotations

from wizard.compat.boot import BIOS_BOOTABLE, UEFI_BOOTABLE, choose_boot_disk
from wizard.compat.rules.refs import G, M, join
from wizard.compat.rules.registry import RuleContext, rule
from wizard.core.findings import Choice, Severity
from wizard.core.inventory import Firmware
from wizard.core.units import human_bytes

_CONTENT = {"gpt-esp": "a GPT with an EFI system partition", "gpt-bios": "a GPT with a BIOS boot partition",
            "gpt-esp-bios": "a GPT with an EFI system partition and a BIOS boot partition",
            "gpt": "a GPT without an EFI system partition or BIOS boot partition",
            "mbr-esp": "an MBR with an EFI system partition",
            "mbr-boot": "an MBR with boot code and an active partition",
            "mbr": "an MBR without boot code or active partition", "blank": "no partition table",
            "other": "no partition table it recognises"}


def _label(ctx: RuleContext, index: int) -> str:
    d = ctx.vm.disks[index]
    return d.label or f"disk {index}"


def _option_label(ctx: RuleContext, index: int) -> str:
    """A disk as a person picks it: its label, where it is attached, its size and what it holds."""
    d = ctx.vm.disks[index]
    place = f"{d.controller.value} {d.bus}:{d.unit}" if d.controller.value != "unknown" else ""
    holds = _CONTENT.get(d.content, "")
    return ", ".join(x for x in (_label(ctx, index), place, human_bytes(d.capacity_bytes), holds) if x)


def _boot_choice(ctx: RuleContext) -> Choice:
    """The adjustable decision: which source disk to start from (setting ``disk.boot=N``, the same as
    ``disk.N.boot=true``)."""
    included = [d for d in ctx.spec.disks if d.include and d.source_index < len(ctx.vm.disks)]
    boot = next((d for d in included if d.boot), None)
    options = [str(d.source_index) for d in included]
    return Choice(key="disk.boot", label="Start the VM from", options=options,
                  default=str(boot.source_index) if boot else "", selected=str(boot.source_index) if boot else "",
                  labels=[_option_label(ctx, d.source_index) for d in included])


@rule("BOOT-DISK", Severity.INFO, "Boot disk", join(G, M), order=57)
def boot_disk(ctx: RuleContext) -> None:
    included = [d for d in ctx.spec.disks if d.include and 0 <= d.source_index < len(ctx.vm.disks)]
    boot = next((d for d in included if d.boot), None)
    if len(included) < 2 or boot is None:
        return
    label = _label(ctx, boot.source_index)
    choice = choose_boot_disk(ctx.vm, [d.source_index for d in included])
    fix = ("To start from another disk, choose it (--set disk.N.boot=true, N = its number; this one is "
           f"{boot.source_index}).")
    if ctx.locked("disk.boot") and not ctx.validate:
        msg = f"You chose {label} as the disk the VM starts from."
        if choice.rule == "content" and choice.index != boot.source_index:
            msg += (f" What the disks hold says {_label(ctx, choice.index)} is the one the firmware starts "
                    f"({_CONTENT.get(ctx.vm.disks[choice.index].content, 'a boot loader')}).")
            ctx.flag(msg, "Check that the VM starts after the move.", choices=[_boot_choice(ctx)],
                     severity=Severity.WARNING, subject=label)
            return
        ctx.flag(msg, "Nothing to do.", choices=[_boot_choice(ctx)], subject=label)
        return
    if ctx.validate:
        return
    if choice.rule == "content":
        why = (f"it is the disk that holds {_CONTENT.get(ctx.vm.disks[boot.source_index].content, 'a boot loader')}"
               if len(choice.bootable) == 1 else
               "of the disks that hold a boot loader (" + ", ".join(_label(ctx, i) for i in choice.bootable)
               + ") it comes first in the VM's boot order")
        ctx.flag(f"The VM starts from {label}: {why}.", fix, choices=[_boot_choice(ctx)], subject=label)
    elif choice.rule == "settings":
        ctx.flag(f"The VM starts from {label}: the source VM's own boot order names it first (the disks' contents "
                 "could not be read, or none holds a boot loader).", fix, choices=[_boot_choice(ctx)], subject=label)
    else:
        ctx.flag(f"The VM starts from {label}, chosen by controller order (SCSI, then NVMe, SATA and IDE), "
                 "because the disks' contents could not be read and the source VM sets no boot order. This is a "
                 "guess: check which disk holds the operating system.", fix, choices=[_boot_choice(ctx)],
                 severity=Severity.WARNING, subject=label)


@rule("BOOT-FIRMWARE", Severity.WARNING, "Firmware cannot start the boot disk", G, order=57)
def boot_firmware(ctx: RuleContext) -> None:
    boot = next((d for d in ctx.spec.disks if d.include and d.boot and 0 <= d.source_index < len(ctx.vm.disks)),
                None)
    if boot is None:
        return
    content = ctx.vm.disks[boot.source_index].content
    if content in ("", "blank", "other"):
        return
    gen = ctx.spec.generation
    uefi = gen == 2
    if (uefi and content in UEFI_BOOTABLE) or (not uefi and content in BIOS_BOOTABLE):
        return
    label = _label(ctx, boot.source_index)
    firmware = "UEFI (Generation 2)" if uefi else "BIOS (Generation 1)"
    source = "UEFI" if ctx.vm.firmware is Firmware.EFI else "BIOS"
    if content in ("gpt", "mbr"):
        msg = (f"{label} holds {_CONTENT[content]}: no firmware starts it. If it is not the system disk, choose the "
               "right one; if it is, the VM does not start on the source either as it is configured.")
    else:
        other = "BIOS (Generation 1)" if uefi else "UEFI (Generation 2)"
        msg = (f"{label} holds {_CONTENT[content]}, which {other} firmware starts, but the plan gives the VM "
               f"{firmware} firmware (the source VM is set to {source}). The new VM would not find a boot loader.")
    ctx.flag(msg, "Check the source VM's firmware setting and its boot disk; use the generation that matches the "
                  "disk (--set generation=1|2), or choose the right boot disk.", subject=label,
             choices=[_boot_choice(ctx)])

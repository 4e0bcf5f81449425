"""Which source disk the VM starts from, and why.

Contract: :func:`choose_boot_disk` returns a :class:`BootChoice` for the disks of ``vm`` that take part
(``candidates``: source indexes), deciding by the first rule that can tell:

1. ``content`` — what the disks hold (``Disk.content``, read by discovery): a disk the VM's firmware can start
   (UEFI: a GPT or MBR with an EFI system partition; BIOS: an MBR with boot code and an active partition, or a
   GPT with a BIOS boot partition). When several can, the VM's own boot order, then controller order, picks
   among them. When none can start under the VM's firmware but one could under the other, that one (the
   mismatch is reported by its own finding).
2. ``settings`` — the VM's own boot order (``SourceVM.boot_order``: ``bios.hddOrder``, a .vbox or OVF boot
   order).
3. ``controller`` — controller order, the way VMware's firmware lists disks: SCSI (any model) first, then NVMe,
   SATA and IDE; within a kind by bus, then unit. This is a guess: the finding says so.

Pure computation on the inventory; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard.core.inventory import Controller, Disk, Firmware, SourceVM

UEFI_BOOTABLE = ("gpt-esp", "gpt-esp-bios", "mbr-esp")
BIOS_BOOTABLE = ("gpt-bios", "gpt-esp-bios", "mbr-boot")
_RANK = {Controller.NVME: 1, Controller.SATA: 2, Controller.IDE: 3, Controller.UNKNOWN: 4}


@dataclass(frozen=True)
class BootChoice:
    """``index`` into ``vm.disks`` (-1 when there is no disk); ``rule`` content | settings | controller;
    ``bootable``: the candidates whose content a firmware can start (any firmware)."""

    index: int
    rule: str
    bootable: tuple[int, ...] = ()


def controller_key(disk: Disk) -> tuple[int, int, int]:
    """Sort key of controller order (see the module docstring)."""
    return _RANK.get(disk.controller, 0), disk.bus, disk.unit


def bootable_for(content: str, firmware: Firmware) -> bool:
    return content in (UEFI_BOOTABLE if firmware is Firmware.EFI else BIOS_BOOTABLE)


def choose_boot_disk(vm: SourceVM, candidates: list[int]) -> BootChoice:
    """See the module contract."""
    if not candidates:
        return BootChoice(-1, "")
    order = {key: n for n, key in enumerate(vm.boot_order)}

    def rank(i: int) -> tuple[int, tuple[int, int, int], int]:
        d = vm.disks[i]
        return order.get(d.key, len(order)), controller_key(d), i

    by_rank = sorted(candidates, key=rank)
    bootable = tuple(i for i in by_rank if vm.disks[i].content in UEFI_BOOTABLE + BIOS_BOOTABLE)
    fits = [i for i in bootable if bootable_for(vm.disks[i].content, vm.firmware)]
    if fits:
        return BootChoice(fits[0], "content", bootable)
    if bootable:
        return BootChoice(bootable[0], "content", bootable)
    in_order = [i for i in by_rank if vm.disks[i].key in order]
    if in_order:
        return BootChoice(in_order[0], "settings", bootable)
    return BootChoice(by_rank[0], "controller", bootable)

"""What a disk holds at its start: the partition table and whether firmware can start from it.

Discovery reads this for every disk it can open, so that the boot disk comes from the disks themselves rather
than from the order of their controllers. Only the first sectors are read (the MBR, the GPT header and its
partition entries: at most :data:`MAX_ENTRY_BYTES`), through :class:`~wizard.disks.image.DiskImage`, so
every format the engine reads works the same way.

Contract: :func:`boot_content` returns one of

- ``"gpt-esp"`` — a GPT with an EFI system partition (UEFI firmware starts it);
- ``"gpt-bios"`` — a GPT with a BIOS boot partition (GRUB on BIOS firmware);
- ``"gpt-esp-bios"`` — both (hybrid images start under either firmware);
- ``"gpt"`` — a GPT with neither: a data disk;
- ``"mbr-esp"`` — an MBR with an EFI system partition (type 0xEF);
- ``"mbr-boot"`` — an MBR with boot code and an active partition (BIOS firmware starts it);
- ``"mbr"`` — an MBR without boot code or without an active partition: a data disk;
- ``"blank"`` — the first sector is all zeros (no partition table);
- ``"other"`` — something else (a file system or an LVM volume written straight onto the disk).

It never raises for what it finds on a disk; a read error propagates to the caller, who treats the disk as
not read (``""``).
"""

from __future__ import annotations

import struct

from wizard.disks.image import DiskImage

SECTOR = 512
MAX_ENTRY_BYTES = 128 * 1024  # 128 entries of 128 bytes is the usual table; allow up to 1024
_ESP = bytes.fromhex("28732ac11ff8d211ba4b00a0c93ec93b")  # C12A7328-F81F-11D2-BA4B-00A0C93EC93B, on-disk order
_BIOS_BOOT = bytes.fromhex("4861682149646f6e744e656564454649")  # 21686148-6449-6E6F-744E-656564454649
BOOTABLE_UEFI = ("gpt-esp", "gpt-esp-bios", "mbr-esp")
BOOTABLE_BIOS = ("gpt-bios", "gpt-esp-bios", "mbr-boot")


def read_at(image: DiskImage, offset: int, length: int) -> bytes:
    """``length`` bytes of ``image`` from ``offset``, fewer at the end of the disk."""
    length = max(0, min(length, image.virtual_size - offset))
    buf = bytearray(length)
    if length:
        image.readinto(offset, memoryview(buf))
    return bytes(buf)


def _gpt(image: DiskImage) -> str | None:
    """The GPT's verdict, trying 512- and 4096-byte logical sectors; None when there is no GPT header."""
    for sector in (SECTOR, 4096):
        header = read_at(image, sector, 92)
        if len(header) < 92 or header[:8] != b"EFI PART":
            continue
        entries_lba, count, size = struct.unpack_from("<QII", header, 72)
        if size < 128 or count == 0:
            return "gpt"
        length = min(count * size, MAX_ENTRY_BYTES)
        table = read_at(image, entries_lba * sector, length)
        types = {table[i:i + 16] for i in range(0, len(table) - size + 1, size)}
        esp, bios = _ESP in types, _BIOS_BOOT in types
        return "gpt-esp-bios" if esp and bios else "gpt-esp" if esp else "gpt-bios" if bios else "gpt"
    return None


def boot_content(image: DiskImage) -> str:
    """See the module contract."""
    mbr = read_at(image, 0, SECTOR)
    if len(mbr) < SECTOR or not any(mbr):
        return "blank"
    if mbr[510:512] != b"\x55\xaa":
        return "other"
    entries = [mbr[446 + 16 * i:462 + 16 * i] for i in range(4)]
    kinds = [e[4] for e in entries]
    if 0xEE in kinds:  # a protective MBR: the disk is GPT
        return _gpt(image) or "mbr"
    if 0xEF in kinds:
        return "mbr-esp"
    active = any(e[0] == 0x80 and e[4] != 0 for e in entries)
    code = any(mbr[:440])
    return "mbr-boot" if active and code else "mbr"

"""Small, real, deterministic VMDK files for the built-in demo, written natively (no qemu-img at run time).

``DemoDiskSpec`` describes one disk; :func:`raw_content` gives its intended virtual content (a partition
table — MBR or GPT — recognizable text and a pseudo-random block, all derived from the spec, so every run
and every machine produces the same bytes); :func:`write_sparse` writes it as a ``monolithicSparse`` VMDK
(VMware "Virtual Disk Format 5.0": 512-byte "KDMV" header, embedded descriptor at sector 1, redundant and
primary grain directories, 512-entry grain tables, 64 KiB grains, only non-zero grains stored) and
:func:`write_flat` as a ``monolithicFlat`` pair (descriptor + sparse-allocated ``-flat.vmdk``).

Files are written as ``NAME.partial`` and renamed when complete, so a crash never leaves a half disk
that later looks valid.
"""

from __future__ import annotations

import hashlib
import os
import struct
import threading
import uuid
import zlib
from dataclasses import dataclass

SECTOR = 512
GRAIN_SECTORS = 128
GRAIN = GRAIN_SECTORS * SECTOR
GTES_PER_GT = 512
DESCRIPTOR_SECTORS = 20
_ZERO_GRAIN = bytes(GRAIN)


@dataclass(frozen=True)
class DemoDiskSpec:
    """``label`` seeds the content; ``size`` is a multiple of 64 KiB; ``table`` is ``mbr`` or ``gpt``;
    ``fs_type`` is the MBR partition type byte (0x07 NTFS, 0x83 Linux)."""

    label: str
    size: int
    table: str = "mbr"
    fs_type: int = 0x07
    adapter: str = "lsilogic"


def _pseudo_random(seed: str, n: int) -> bytes:
    out = bytearray()
    block = hashlib.sha256(seed.encode()).digest()
    while len(out) < n:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:n])


def _mbr(spec: DemoDiskSpec, part_type: int) -> bytes:
    sector = bytearray(SECTOR)
    banner = f"HVMIGRATE DEMO DISK {spec.label}".encode()[:400]
    sector[0:len(banner)] = banner
    sector[440:444] = struct.pack("<I", zlib.crc32(spec.label.encode()))  # disk signature
    total = spec.size // SECTOR
    start = 2048 if part_type != 0xEE else 1
    count = min(total - start, 0xFFFFFFFF)
    entry = struct.pack("<B3sB3sII", 0x80 if part_type != 0xEE else 0, b"\xfe\xff\xff", part_type,
                        b"\xfe\xff\xff", start, count)
    sector[446:462] = entry
    sector[510:512] = b"\x55\xaa"
    return bytes(sector)


def _gpt(spec: DemoDiskSpec) -> bytes:
    """Protective MBR + primary GPT header + entry array (LBA 0..33), with valid CRCs."""
    total = spec.size // SECTOR
    entries = bytearray(128 * 128)
    type_guid = uuid.UUID("ebd0a0a2-b9e5-4433-87c0-68b6b72699c7" if spec.fs_type == 0x07
                          else "0fc63daf-8483-4772-8e79-3d69d8477de4")
    part_guid = uuid.uuid5(uuid.NAMESPACE_URL, f"hvmigrate-demo/{spec.label}/part1")
    name = "demo data".encode("utf-16-le")
    entries[0:128] = struct.pack("<16s16sQQQ72s", type_guid.bytes_le, part_guid.bytes_le, 2048, total - 34, 0,
                                 name.ljust(72, b"\x00"))
    disk_guid = uuid.uuid5(uuid.NAMESPACE_URL, f"hvmigrate-demo/{spec.label}")
    header = bytearray(struct.pack("<8sIIIIQQQQ16sQIII", b"EFI PART", 0x00010000, 92, 0, 0, 1, total - 1, 34,
                                   total - 34, disk_guid.bytes_le, 2, 128, 128, zlib.crc32(entries)))
    struct.pack_into("<I", header, 16, zlib.crc32(header))
    return _mbr(spec, 0xEE) + bytes(header).ljust(SECTOR, b"\x00") + bytes(entries)


def raw_content(spec: DemoDiskSpec) -> list[tuple[int, bytes]]:
    """The disk's non-zero runs as ``(offset, bytes)``, ascending and non-overlapping."""
    runs = [(0, _gpt(spec) if spec.table == "gpt" else _mbr(spec, spec.fs_type))]
    text = "".join(f"hvmigrate demo disk {spec.label}: line {i:05d} of the recognizable test pattern\n"
                   for i in range(1200)).encode()
    runs.append((1024 * 1024, text))
    mid = (spec.size // 2) // GRAIN * GRAIN
    runs.append((mid, _pseudo_random(spec.label, 3 * GRAIN + 1000)))
    tail = f"END OF DEMO DISK {spec.label}".encode().ljust(SECTOR, b".")
    runs.append((spec.size - SECTOR, tail))
    return runs


def raw_bytes(spec: DemoDiskSpec) -> bytes:
    """The full virtual content (tests compare images against it)."""
    buf = bytearray(spec.size)
    for off, data in raw_content(spec):
        buf[off:off + len(data)] = data
    return bytes(buf)


def _descriptor(spec: DemoDiskSpec, create_type: str, extent: str) -> str:
    cid = zlib.crc32(spec.label.encode()) & 0xFFFFFFFF
    cyl = min(spec.size // (16 * 63 * SECTOR), 16383)
    disk_uuid = uuid.uuid5(uuid.NAMESPACE_URL, f"hvmigrate-demo/{spec.label}/vmdk").bytes
    return (
        "# Disk DescriptorFile\n"
        "version=1\n"
        'encoding="UTF-8"\n'
        f"CID={cid:08x}\n"
        "parentCID=ffffffff\n"
        f'createType="{create_type}"\n'
        "\n"
        "# Extent description\n"
        f"{extent}\n"
        "\n"
        "# The Disk Data Base \n"
        "#DDB\n"
        "\n"
        f'ddb.adapterType = "{spec.adapter}"\n'
        f'ddb.geometry.cylinders = "{cyl}"\n'
        'ddb.geometry.heads = "16"\n'
        'ddb.geometry.sectors = "63"\n'
        f'ddb.uuid = "{" ".join(f"{b:02x}" for b in disk_uuid)}"\n'
        'ddb.virtualHWVersion = "19"\n'
    )


def _tmp_name(path: str) -> str:
    # unique per process and thread: two processes filling the same cache must not share a temp file
    return f"{path}.{os.getpid()}-{threading.get_ident()}.partial"


def _finish(tmp: str, final: str) -> None:
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)


def write_sparse(spec: DemoDiskSpec, path: str) -> None:
    """Write ``spec`` as a monolithicSparse VMDK at ``path`` (atomically)."""
    if spec.size % GRAIN:
        raise ValueError("demo disk size must be a multiple of 64 KiB")
    content = raw_bytes(spec)
    capacity = spec.size // SECTOR
    num_grains = capacity // GRAIN_SECTORS
    num_gts = -(-num_grains // GTES_PER_GT)
    gd_sectors = -(-num_gts * 4 // SECTOR)
    gt_sectors = num_gts * GTES_PER_GT * 4 // SECTOR
    rgd = 1 + DESCRIPTOR_SECTORS
    gd = rgd + gd_sectors + gt_sectors
    overhead = -(-(gd + gd_sectors + gt_sectors) // GRAIN_SECTORS) * GRAIN_SECTORS

    gtes = [0] * (num_gts * GTES_PER_GT)
    grains: list[bytes] = []
    for g in range(num_grains):
        data = content[g * GRAIN:(g + 1) * GRAIN]
        if data != _ZERO_GRAIN:
            gtes[g] = overhead + len(grains) * GRAIN_SECTORS
            grains.append(data)
    gt_blob = struct.pack(f"<{len(gtes)}I", *gtes)

    def directory(first_gt: int) -> bytes:
        entries = [first_gt + i * (GTES_PER_GT * 4 // SECTOR) for i in range(num_gts)]
        return struct.pack(f"<{num_gts}I", *entries).ljust(gd_sectors * SECTOR, b"\x00")

    name = os.path.basename(path)
    desc = _descriptor(spec, "monolithicSparse", f'RW {capacity} SPARSE "{name}"').encode()
    header = struct.pack("<4sIIQQQQIQQQB4sH433x", b"KDMV", 1, 3, capacity, GRAIN_SECTORS, 1, DESCRIPTOR_SECTORS,
                         GTES_PER_GT, rgd, gd, overhead, 0, b"\n \r\n", 0)
    tmp = _tmp_name(path)
    with open(tmp, "wb") as fh:
        fh.write(header)
        fh.write(desc.ljust(DESCRIPTOR_SECTORS * SECTOR, b"\x00"))
        fh.write(directory(rgd + gd_sectors))
        fh.write(gt_blob)
        fh.write(directory(gd + gd_sectors))
        fh.write(gt_blob)
        fh.write(bytes(overhead * SECTOR - fh.tell()))
        for data in grains:
            fh.write(data)
    _finish(tmp, path)


def write_flat(spec: DemoDiskSpec, path: str) -> None:
    """Write ``spec`` as monolithicFlat: ``path`` (descriptor) and ``<stem>-flat.vmdk`` beside it."""
    base = os.path.basename(path)
    flat_name = base[:-5] + "-flat.vmdk" if base.endswith(".vmdk") else base + "-flat"
    flat = os.path.join(os.path.dirname(path), flat_name)
    tmp = _tmp_name(flat)
    with open(tmp, "wb") as fh:
        fh.truncate(spec.size)
        for off, data in raw_content(spec):
            fh.seek(off)
            fh.write(data)
    _finish(tmp, flat)
    desc = _descriptor(spec, "monolithicFlat", f'RW {spec.size // SECTOR} FLAT "{flat_name}" 0')
    tmp = _tmp_name(path)
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(desc)
    _finish(tmp, path)

"""Helpers shared by the disk tests (no tests here): content hashing, content digests and a VMware-style stream
writer.

qemu-img 7.2 cannot write the VMware layout of streamOptimized (markers, footer, GD offset all ones), so
:func:`make_vmware_stream` writes one from the format specification.
"""

from __future__ import annotations

import hashlib
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from wizard.disks.image import DiskImage

SECTOR = 512
GRAIN = 64 * 1024
QEMU_IO = shutil.which("qemu-io")


def image_sha(img: DiskImage, max_chunk: int = 1024 * 1024) -> str:
    """SHA-256 of the image's full virtual content as produced by ``chunks()`` (holes hashed as zeros)."""
    h = hashlib.sha256()
    pos = 0
    for off, view in img.chunks(max_chunk):
        assert off >= pos, f"chunks went backwards: {off} < {pos}"
        assert len(view) <= max_chunk
        h.update(bytes(off - pos))
        h.update(view)
        pos = off + len(view)
    h.update(bytes(img.virtual_size - pos))
    return h.hexdigest()


def readinto_sha(img: DiskImage, step: int = 300_000) -> str:
    """SHA-256 of the content read with ``readinto`` in odd-sized, unaligned pieces."""
    h = hashlib.sha256()
    buf = bytearray(step)
    for off in range(0, img.virtual_size, step):
        view = memoryview(buf)[:min(step, img.virtual_size - off)]
        img.readinto(off, view)
        h.update(view)
    return h.hexdigest()


def content_digest_of(data: bytes) -> str:
    """The content digest as defined (SHA-256 over each 1 MiB piece's SHA-256), written out plainly."""
    outer = hashlib.sha256()
    for i in range(0, len(data), 1024 * 1024):
        outer.update(hashlib.sha256(data[i:i + 1024 * 1024]).digest())
    return outer.hexdigest()


def content_digest_of_file(path: Path) -> str:
    outer = hashlib.sha256()
    with open(path, "rb") as fh:
        while piece := fh.read(1024 * 1024):
            outer.update(hashlib.sha256(piece).digest())
    return outer.hexdigest()


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def qemu_io(image: Path, *commands: str) -> None:
    if QEMU_IO is None:
        pytest.fail("qemu-io is not installed (it ships in qemu-utils)")
    args = [QEMU_IO, "-f", "vmdk"]
    for c in commands:
        args += ["-c", c]
    proc = subprocess.run([*args, str(image)], capture_output=True, text=True)
    assert proc.returncode == 0 and "error" not in proc.stdout.lower(), proc.stdout + proc.stderr


def _header(capacity: int, desc_sectors: int, overhead: int, gd_offset: int, grain_sectors: int = GRAIN // SECTOR
            ) -> bytes:
    head = struct.pack("<4sIIQQQQIQQQB4sH", b"KDMV", 3, 0x30001, capacity, grain_sectors, 1, desc_sectors, 512,
                       0, gd_offset, overhead, 0, b"\n \r\n", 1)
    return head.ljust(SECTOR, b"\0")


def _marker(sectors: int, mtype: int) -> bytes:
    return struct.pack("<QII", sectors, 0, mtype).ljust(SECTOR, b"\0")


def make_vmware_stream(content: bytes, *, order: list[int] | None = None, cid: int = 0x1234ABCD,
                       tail_eos: bool = True) -> bytes:
    """A VMware-layout streamOptimized VMDK of ``content`` (a multiple of 512 bytes).

    Grains that are entirely zero are left out. ``order`` lists grain indexes in the order to store them
    (default: ascending); tables are written after the grains they describe, then the directory, footer and
    end-of-stream marker.
    """
    assert len(content) % SECTOR == 0
    capacity = len(content) // SECTOR
    grains = -(-len(content) // GRAIN)
    desc = (f"# Disk DescriptorFile\nversion=1\nCID={cid:08x}\nparentCID=ffffffff\n"
            f'createType="streamOptimized"\n\n# Extent description\nRDONLY {capacity} SPARSE "gen.vmdk"\n\n'
            '# The Disk Data Base\n#DDB\n\nddb.adapterType = "lsilogic"\nddb.virtualHWVersion = "14"\n'
            ).encode()
    desc_sectors = -(-len(desc) // SECTOR)
    overhead = 128
    out = bytearray(_header(capacity, desc_sectors, overhead, 0xFFFFFFFFFFFFFFFF))
    out += desc.ljust(desc_sectors * SECTOR, b"\0")
    out += bytes(overhead * SECTOR - len(out))
    gt_index: dict[int, int] = {}
    present = [g for g in range(grains) if content[g * GRAIN:(g + 1) * GRAIN].strip(b"\0")]
    for g in order if order is not None else present:
        data = zlib.compress(content[g * GRAIN:(g + 1) * GRAIN])
        gt_index[g] = len(out) // SECTOR
        rec = struct.pack("<QI", g * GRAIN // SECTOR, len(data)) + data
        out += rec.ljust(-(-len(rec) // SECTOR) * SECTOR, b"\0")
    num_gts = -(-grains // 512)
    gd = [0] * num_gts
    for t in range(num_gts):
        entries = [gt_index.get(g, 0) for g in range(t * 512, (t + 1) * 512)]
        if not any(entries):
            continue
        out += _marker(4, 1)
        gd[t] = len(out) // SECTOR
        out += struct.pack("<512I", *entries)
    out += _marker(-(-num_gts * 4 // SECTOR), 2)
    gd_offset = len(out) // SECTOR
    gd_bytes = struct.pack(f"<{num_gts}I", *gd)
    out += gd_bytes.ljust(-(-len(gd_bytes) // SECTOR) * SECTOR, b"\0")
    out += _marker(1, 3)
    out += _header(capacity, desc_sectors, overhead, gd_offset)
    if tail_eos:
        out += bytes(SECTOR)
    return bytes(out)

"""The on-disk layout of hosted sparse VMDK extents ("KDMV", VMware Virtual Disk Format 5.0): header fields and
flags, header validation, the footer copy of a stream, the per-table grain map and grain inflation.

Contract:
- :func:`parse_header` validates a 512-byte header (magic, version 1-3, power-of-two grain size, sane
  capacity and table geometry) and raises :class:`DiskFormatError` naming the file and field otherwise.
- :func:`read_footer_header` returns the footer copy of the header of a VMware stream (grain directory
  offset "at end" in the header).
- :class:`GrainMap` keeps grain table entries per table, absent tables costing nothing.
- :func:`inflate_grain` inflates one zlib grain, refusing corrupt data and anything larger than a grain.
Readers built on these live in :mod:`wizard.disks.vmdk_sparse` (seekable) and
:mod:`wizard.disks.vmdk_stream` (one pass).
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

try:
    from zlib_ng import zlib_ng  # zlib's format, 2-3x faster to inflate (SIMD adler32 and inflate)
except ImportError:  # pragma: no cover - a packaging slip costs speed, not the conversion
    import zlib as zlib_ng

from wizard.core.errors import DiskFormatError
from wizard.disks.bytesource import ByteSource

SECTOR = 512
MAGIC = b"KDMV"
GD_AT_END = 0xFFFFFFFFFFFFFFFF
MAX_CAPACITY = 64 * 1024**4  # bytes
MAX_GRAIN_SECTORS = 65536  # 32 MiB grains
MAX_GTES = 65536
MAX_DESCRIPTOR_SECTORS = 2048
MAX_GD_BYTES = 64 * 1024 * 1024

FLAG_NEWLINE_TEST = 1 << 0
FLAG_REDUNDANT_GD = 1 << 1
FLAG_ZEROED_GTE = 1 << 2
FLAG_COMPRESSED = 1 << 16
FLAG_MARKERS = 1 << 17

HEADER = struct.Struct("<4sIIQQQQIQQQB4sH")
GRAIN_HEAD = struct.Struct("<QI")

_ZEROS = bytes(1024 * 1024)


@dataclass
class SparseHeader:
    version: int
    flags: int
    capacity: int  # sectors
    grain_sectors: int
    desc_offset: int
    desc_size: int
    num_gtes: int
    rgd_offset: int
    gd_offset: int
    overhead: int
    compress: int

    @property
    def compressed(self) -> bool:
        return bool(self.flags & FLAG_COMPRESSED)

    @property
    def markers(self) -> bool:
        return bool(self.flags & FLAG_MARKERS)


def parse_header(buf: bytes | memoryview, name: str, offset: int = 0) -> SparseHeader:
    """Decode and validate a sparse extent header read at ``offset`` of ``name``."""
    if len(buf) < HEADER.size:
        raise DiskFormatError("file is too short for a VMDK sparse header", path=name, offset=offset)
    (magic, version, flags, capacity, grain, desc_off, desc_size, num_gtes, rgd, gd, overhead, _unclean,
     _newline, compress) = HEADER.unpack_from(buf, 0)
    if magic != MAGIC:
        raise DiskFormatError("bad sparse extent magic (expected KDMV)", path=name, offset=offset)
    if version not in (1, 2, 3):
        raise DiskFormatError(f"unsupported sparse extent version {version}", path=name, offset=offset + 4,
                              fix="Only VMDK sparse versions 1-3 (hosted products, ESXi exports) are supported.")
    if grain == 0 or grain & (grain - 1) or grain > MAX_GRAIN_SECTORS:
        raise DiskFormatError(f"grain size of {grain} sectors is not a power of two up to {MAX_GRAIN_SECTORS}",
                              path=name, offset=offset + 20, field="grainSize")
    if capacity * SECTOR > MAX_CAPACITY:
        raise DiskFormatError(f"capacity of {capacity} sectors is absurd (limit 64 TiB)", path=name,
                              offset=offset + 12, field="capacity")
    if num_gtes == 0 or num_gtes > MAX_GTES:
        raise DiskFormatError(f"{num_gtes} entries per grain table is invalid", path=name, offset=offset + 44,
                              field="numGTEsPerGT")
    if desc_size > MAX_DESCRIPTOR_SECTORS:
        raise DiskFormatError(f"embedded descriptor of {desc_size} sectors is too large", path=name,
                              offset=offset + 36, field="descriptorSize")
    if flags & FLAG_COMPRESSED and compress != 1:
        raise DiskFormatError(f"unknown grain compression algorithm {compress}", path=name, offset=offset + 77,
                              field="compressAlgorithm")
    return SparseHeader(version, flags, capacity, grain, desc_off, desc_size, num_gtes, rgd, gd, overhead, compress)


def read_exact(source: ByteSource, offset: int, length: int, what: str) -> bytearray:
    size = source.size
    if 0 <= size <= offset:  # not cut short: a header field points at a place no file of this size has
        raise DiskFormatError(f"the header places the {what} past the end of the file ({size} bytes): the header "
                              "is damaged, or the file is truncated", path=source.name, offset=offset)
    buf = bytearray(length)
    if source.pread_into(offset, memoryview(buf)) != length:
        raise DiskFormatError(f"file is truncated: {what} ({length} bytes) ends past the end of the file",
                              path=source.name, offset=offset)
    return buf


def zero_fill(view: memoryview) -> None:
    pos, n = 0, len(view)
    while pos < n:
        step = min(n - pos, len(_ZEROS))
        view[pos:pos + step] = _ZEROS[:step]
        pos += step


def read_footer_header(source: ByteSource) -> SparseHeader:
    """The footer copy of the header of a VMware stream (the sector before the end-of-stream marker)."""
    name = source.name
    if source.size < 3 * SECTOR:
        raise DiskFormatError("stream-optimized file has no footer (grain directory offset is 'at end')",
                              path=name, offset=max(source.size, 0))
    off = source.size - 2 * SECTOR
    footer = parse_header(read_exact(source, off, SECTOR, "footer"), name, off)
    if footer.gd_offset == GD_AT_END:
        raise DiskFormatError("stream footer does not give the grain directory offset", path=name, offset=off)
    return footer


class GrainMap:
    """Grain table entries kept per grain table: ``None`` for a table that is absent (all unallocated), so
    memory follows what the file holds, never what a (possibly hostile) capacity claims."""

    def __init__(self, grains: int, per_gt: int) -> None:
        self.grains, self.per_gt = grains, per_gt
        self.gts: list[array | None] = [None] * (-(-grains // per_gt))

    def set_table(self, index: int, entries: array) -> None:
        del entries[max(0, self.grains - index * self.per_gt):]
        self.gts[index] = entries

    def get(self, grain: int) -> int:
        t = self.gts[grain // self.per_gt]
        return 0 if t is None else t[grain % self.per_gt]

    def count(self, value: int) -> int:
        return sum(t.count(value) for t in self.gts if t is not None)

    def stored(self, zeroed: bool) -> int:
        """Entries pointing at stored grains (neither unallocated nor zeroed)."""
        n = sum(len(t) - t.count(0) for t in self.gts if t is not None)
        return n - (self.count(1) if zeroed else 0)

    def max_entry(self) -> int:
        return max((max(t) for t in self.gts if t), default=0)

    def entries(self) -> Iterator[tuple[int, int]]:
        """``(grain, entry)`` for every entry of every present table, in grain order."""
        for i, t in enumerate(self.gts):
            if t is not None:
                base = i * self.per_gt
                for k, e in enumerate(t):
                    yield base + k, e


def inflate_grain(payload: memoryview | bytes, grain_bytes: int, name: str, offset: int) -> bytes:
    """Inflate one zlib grain, refusing corrupt data and anything that would grow beyond a grain."""
    d = zlib_ng.decompressobj()
    try:
        data = d.decompress(payload, grain_bytes)
    except zlib_ng.error as exc:
        raise DiskFormatError(f"compressed grain is corrupt ({exc})", path=name, offset=offset) from None
    if not d.eof:
        if d.unconsumed_tail:
            raise DiskFormatError("compressed grain inflates to more than one grain", path=name, offset=offset)
        raise DiskFormatError("compressed grain is cut short", path=name, offset=offset)
    return data


def as_u32(buf: bytes | bytearray) -> array:
    arr = array("I")
    arr.frombytes(buf)
    if sys.byteorder == "big":
        arr.byteswap()
    return arr

"""VHD (Virtual Hard Disk, the pre-2012 format) on-disk layout: footer, dynamic header, BAT, geometry.

All fields are big-endian. The 512-byte footer ("conectix") sits at the end of every VHD (and a copy at
offset 0 of a dynamic one); its checksum is the one's complement of the byte sum with the field zeroed.
A dynamic disk adds a 1024-byte "cxsparse" header and a BAT of 32-bit sector offsets; each allocated
block is a sector bitmap (512 bytes for 2 MiB blocks) followed by the block's data.

The size is written exactly in Current Size with creator application ``win `` as Hyper-V does: readers
then trust Current Size instead of rounding the size down to the CHS geometry.
"""

from __future__ import annotations

import struct
import time
import uuid
from dataclasses import dataclass, field

SECTOR = 512
BLOCK_SIZE = 2 * 1024 * 1024
MAX_SIZE = 2040 * 1024 ** 3  # Hyper-V's limit for VHD ("2040 GB")
FOOTER_SIZE = 512
DYN_HEADER_SIZE = 1024
UNUSED = 0xFFFFFFFF
NO_DATA_OFFSET = 0xFFFFFFFFFFFFFFFF

COOKIE = b"conectix"
DYN_COOKIE = b"cxsparse"
TYPE_FIXED, TYPE_DYNAMIC, TYPE_DIFFERENCING = 2, 3, 4
CREATOR_APP = b"win "
CREATOR_VERSION = 0x000A0000
CREATOR_HOST = b"Wi2k"
_EPOCH_2000 = 946684800

_FOOTER = struct.Struct(">8sIIQI4sI4sQQHBBII16sB")  # 85 bytes, rest reserved
_DYN = struct.Struct(">8sQQIIII16sI")  # 64 bytes up to the parent name


def one_complement_checksum(data: bytes | bytearray | memoryview, field_offset: int) -> int:
    total = sum(data) - sum(data[field_offset:field_offset + 4])
    return ~total & 0xFFFFFFFF


def chs_geometry(size: int) -> tuple[int, int, int]:
    """(cylinders, heads, sectors per track) per the VHD specification's algorithm."""
    total = min(size // SECTOR, 65535 * 16 * 255)
    if total >= 65535 * 16 * 63:
        spt, heads = 255, 16
        cth = total // spt
    else:
        spt = 17
        cth = total // spt
        heads = max(4, (cth + 1023) // 1024)
        if cth >= heads * 1024 or heads > 16:
            spt, heads = 31, 16
            cth = total // spt
        if cth >= heads * 1024:
            spt, heads = 63, 16
            cth = total // spt
    return cth // heads, heads, spt


@dataclass
class Footer:
    current_size: int
    disk_type: int
    data_offset: int = NO_DATA_OFFSET
    original_size: int = 0
    unique_id: bytes = field(default_factory=lambda: uuid.uuid4().bytes)
    timestamp: int = field(default_factory=lambda: max(0, int(time.time()) - _EPOCH_2000) & 0xFFFFFFFF)
    creator_app: bytes = CREATOR_APP
    creator_version: int = CREATOR_VERSION
    creator_host: bytes = CREATOR_HOST
    features: int = 2
    version: int = 0x00010000
    geometry: tuple[int, int, int] | None = None
    checksum: int = 0
    saved_state: int = 0

    def pack(self) -> bytes:
        cyl, heads, spt = self.geometry or chs_geometry(self.current_size)
        buf = bytearray(FOOTER_SIZE)
        _FOOTER.pack_into(buf, 0, COOKIE, self.features, self.version, self.data_offset, self.timestamp,
                          self.creator_app, self.creator_version, self.creator_host,
                          self.original_size or self.current_size, self.current_size, min(cyl, 65535), heads,
                          spt, self.disk_type, 0, self.unique_id, self.saved_state)
        struct.pack_into(">I", buf, 64, one_complement_checksum(buf, 64))
        return bytes(buf)

    @classmethod
    def parse(cls, buf: bytes | bytearray | memoryview) -> Footer | None:
        """The footer in ``buf`` (512 bytes), or None when the cookie or checksum is wrong."""
        if len(buf) < FOOTER_SIZE:
            return None
        (cookie, features, version, data_offset, ts, app, app_ver, host, orig, cur, cyl, heads, spt, dtype,
         csum, uid, saved) = _FOOTER.unpack_from(buf, 0)
        if cookie != COOKIE or csum != one_complement_checksum(bytes(buf[:FOOTER_SIZE]), 64):
            return None
        return cls(cur, dtype, data_offset, orig, uid, ts, app, app_ver, host, features, version,
                   (cyl, heads, spt), csum, saved)


@dataclass
class DynamicHeader:
    table_offset: int
    max_table_entries: int
    block_size: int = BLOCK_SIZE
    data_offset: int = NO_DATA_OFFSET
    version: int = 0x00010000
    parent_unique_id: bytes = b"\0" * 16
    parent_timestamp: int = 0

    def pack(self) -> bytes:
        buf = bytearray(DYN_HEADER_SIZE)
        _DYN.pack_into(buf, 0, DYN_COOKIE, self.data_offset, self.table_offset, self.version,
                       self.max_table_entries, self.block_size, 0, self.parent_unique_id, self.parent_timestamp)
        struct.pack_into(">I", buf, 36, one_complement_checksum(buf, 36))
        return bytes(buf)

    @classmethod
    def parse(cls, buf: bytes | bytearray | memoryview) -> DynamicHeader | None:
        if len(buf) < DYN_HEADER_SIZE:
            return None
        cookie, data_off, table_off, ver, entries, bsize, csum, puid, pts = _DYN.unpack_from(buf, 0)
        if cookie != DYN_COOKIE or csum != one_complement_checksum(bytes(buf[:DYN_HEADER_SIZE]), 36):
            return None
        return cls(table_off, entries, bsize, data_off, ver, puid, pts)


def bitmap_size(block_size: int) -> int:
    """Bytes of the sector bitmap in front of each block, padded to a sector."""
    bits = block_size // SECTOR
    nbytes = (bits + 7) // 8
    return (nbytes + SECTOR - 1) // SECTOR * SECTOR

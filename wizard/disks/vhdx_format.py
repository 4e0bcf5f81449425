"""VHDX on-disk layout ([MS-VHDX]): constants, GUIDs, CRC-32C and pack/parse helpers.

Everything here is pure (bytes in, bytes or values out) so the writer and the reader share one definition
of the layout. All integers are little-endian; GUIDs are stored as ``uuid.UUID(...).bytes_le``.

File layout written by :mod:`wizard.disks.vhdx_write` (all 1 MiB aligned, as Hyper-V does)::

    0        file type identifier "vhdxfile" + creator (UTF-16)
    64 KiB   header 1            128 KiB  header 2
    192 KiB  region table 1      256 KiB  region table 2
    1 MiB    log (1 MiB, empty: LogGuid is zero)
    2 MiB    metadata region (1 MiB)
    3 MiB    BAT (rounded up to 1 MiB)
    then     payload blocks
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass

import crc32c as _crc32c

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB
TiB = 1024 * GiB

MAX_VIRTUAL_SIZE = 64 * TiB
MIN_BLOCK, MAX_BLOCK = 1 * MiB, 256 * MiB
SECTOR_SIZES = (512, 4096)

FILE_ID_OFFSET = 0
HEADER_OFFSETS = (64 * KiB, 128 * KiB)
HEADER_SIZE = 4 * KiB
REGION_OFFSETS = (192 * KiB, 256 * KiB)
REGION_SIZE = 64 * KiB
LOG_OFFSET, LOG_LENGTH = 1 * MiB, 1 * MiB
METADATA_OFFSET, METADATA_LENGTH = 2 * MiB, 1 * MiB
BAT_OFFSET = 3 * MiB
METADATA_TABLE_SIZE = 64 * KiB

SIG_FILE = b"vhdxfile"
SIG_HEADER = b"head"
SIG_REGION = b"regi"
SIG_METADATA = b"metadata"

BAT_GUID = uuid.UUID("2DC27766-F623-4200-9D64-115E9BFD4A08")
METADATA_GUID = uuid.UUID("8B7CA206-4790-4B9A-B8FE-575F050F886E")
FILE_PARAMETERS_GUID = uuid.UUID("CAA16737-FA36-4D43-B3B6-33F0AA44E76B")
VIRTUAL_DISK_SIZE_GUID = uuid.UUID("2FA54224-CD1B-4876-B211-5DBED83BF4B8")
PAGE83_GUID = uuid.UUID("BECA12AB-B2E6-4523-93EF-C309E000C746")
LOGICAL_SECTOR_GUID = uuid.UUID("8141BF1D-A96F-4709-BA47-F233A8FAAB5F")
PHYSICAL_SECTOR_GUID = uuid.UUID("CDA348C7-445D-4471-9CC9-E9885251C556")
PARENT_LOCATOR_GUID = uuid.UUID("A8D35F2D-B30B-454D-ABF7-D3D84834AB0C")

# Payload block states (bits 0-2 of a BAT entry).
PAYLOAD_NOT_PRESENT = 0
PAYLOAD_UNDEFINED = 1
PAYLOAD_ZERO = 2
PAYLOAD_UNMAPPED = 3
PAYLOAD_FULLY_PRESENT = 6
PAYLOAD_PARTIALLY_PRESENT = 7
SB_NOT_PRESENT = 0
SB_PRESENT = 6

# Metadata entry flags.
MD_IS_USER = 1
MD_IS_VIRTUAL_DISK = 2
MD_IS_REQUIRED = 4
# File parameter flags.
FP_LEAVE_BLOCKS_ALLOCATED = 1
FP_HAS_PARENT = 2

_HEADER = struct.Struct("<4sIQ16s16s16sHHIQ")  # signature .. LogOffset (80 bytes)
_REGION_HDR = struct.Struct("<4sIII")
_REGION_ENTRY = struct.Struct("<16sQII")
_MD_HDR = struct.Struct("<8sHH20x")
_MD_ENTRY = struct.Struct("<16sIIII")
ZERO_GUID = b"\0" * 16


def crc32c(data: bytes | bytearray | memoryview) -> int:
    """CRC-32C (Castagnoli) as [MS-VHDX] uses it."""
    return _crc32c.crc32c(data)


def with_checksum(buf: bytearray, field_offset: int = 4) -> bytearray:
    """Fill the 4-byte checksum at ``field_offset`` with the CRC-32C of ``buf`` (field taken as zero)."""
    buf[field_offset:field_offset + 4] = b"\0\0\0\0"
    struct.pack_into("<I", buf, field_offset, crc32c(buf))
    return buf


def checksum_ok(buf: bytes | bytearray | memoryview, field_offset: int = 4) -> bool:
    data = bytearray(buf)
    stored = struct.unpack_from("<I", data, field_offset)[0]
    data[field_offset:field_offset + 4] = b"\0\0\0\0"
    return crc32c(data) == stored


def chunk_ratio(block_size: int, logical_sector: int) -> int:
    """Payload blocks described by one sector-bitmap block."""
    return (1 << 23) * logical_sector // block_size


def payload_blocks(virtual_size: int, block_size: int) -> int:
    return -(-virtual_size // block_size)


def bat_entry_count(virtual_size: int, block_size: int, logical_sector: int) -> int:
    """BAT entries of a dynamic or fixed disk: P + floor((P - 1) / chunk_ratio)."""
    p = payload_blocks(virtual_size, block_size)
    if p == 0:
        return 0
    return p + (p - 1) // chunk_ratio(block_size, logical_sector)


def bat_index(block: int, ratio: int) -> int:
    """Where payload block ``block`` sits in the BAT (sector-bitmap entries interleave)."""
    return block + block // ratio


def round_up(n: int, unit: int) -> int:
    return -(-n // unit) * unit


def bat_region_length(virtual_size: int, block_size: int, logical_sector: int) -> int:
    return max(MiB, round_up(8 * bat_entry_count(virtual_size, block_size, logical_sector), MiB))


def bat_entry(state: int, file_offset: int) -> int:
    return (file_offset // MiB) << 20 | state


def validate_geometry(virtual_size: int, block_size: int, logical_sector: int, physical_sector: int) -> None:
    """Raise ValueError when a combination is not allowed by [MS-VHDX]."""
    if block_size < MIN_BLOCK or block_size > MAX_BLOCK or block_size & (block_size - 1):
        raise ValueError(f"block size {block_size} is not a power of two between 1 MiB and 256 MiB")
    if logical_sector not in SECTOR_SIZES:
        raise ValueError(f"logical sector size {logical_sector} must be 512 or 4096")
    if physical_sector not in SECTOR_SIZES:
        raise ValueError(f"physical sector size {physical_sector} must be 512 or 4096")
    if virtual_size <= 0 or virtual_size > MAX_VIRTUAL_SIZE:
        raise ValueError(f"virtual size {virtual_size} is outside 1 byte .. 64 TiB")
    if virtual_size % logical_sector:
        raise ValueError(f"virtual size {virtual_size} is not a multiple of the logical sector size {logical_sector}")


# --- packing -------------------------------------------------------------------------------------------

def pack_file_identifier(creator: str = "hvmigrate") -> bytes:
    buf = bytearray(64 * KiB)
    buf[0:8] = SIG_FILE
    enc = creator.encode("utf-16-le")[:510]
    buf[8:8 + len(enc)] = enc
    return bytes(buf)


@dataclass
class Header:
    sequence: int
    file_write_guid: bytes
    data_write_guid: bytes
    log_guid: bytes = ZERO_GUID
    log_version: int = 0
    version: int = 1
    log_length: int = LOG_LENGTH
    log_offset: int = LOG_OFFSET

    def pack(self) -> bytes:
        buf = bytearray(HEADER_SIZE)
        _HEADER.pack_into(buf, 0, SIG_HEADER, 0, self.sequence, self.file_write_guid, self.data_write_guid,
                          self.log_guid, self.log_version, self.version, self.log_length, self.log_offset)
        return bytes(with_checksum(buf))

    @classmethod
    def parse(cls, buf: bytes | memoryview) -> Header:
        (_sig, _crc, seq, fwg, dwg, lg, lver, ver, llen, loff) = _HEADER.unpack_from(buf, 0)
        return cls(seq, fwg, dwg, lg, lver, ver, llen, loff)


def header_signature_ok(buf: bytes | memoryview) -> bool:
    return bytes(buf[0:4]) == SIG_HEADER and checksum_ok(buf)


@dataclass
class RegionEntry:
    guid: uuid.UUID
    file_offset: int
    length: int
    required: bool


def pack_region_table(entries: list[RegionEntry]) -> bytes:
    buf = bytearray(REGION_SIZE)
    _REGION_HDR.pack_into(buf, 0, SIG_REGION, 0, len(entries), 0)
    for i, e in enumerate(entries):
        _REGION_ENTRY.pack_into(buf, 16 + 32 * i, e.guid.bytes_le, e.file_offset, e.length, int(e.required))
    return bytes(with_checksum(buf))


class TableTooLarge(ValueError):
    """A table whose signature and checksum are right claims more entries than the format allows."""


def parse_region_table(buf: bytes | memoryview) -> list[RegionEntry] | None:
    """Entries of a region table, or None when its signature or checksum is wrong; :class:`TableTooLarge` when
    both are right but it claims more than 2047 entries."""
    sig, _crc, count, _ = _REGION_HDR.unpack_from(buf, 0)
    if sig != SIG_REGION or not checksum_ok(buf):
        return None
    if count > 2047:
        raise TableTooLarge(f"the region table claims {count} entries (at most 2047)")
    out = []
    for i in range(count):
        g, off, length, req = _REGION_ENTRY.unpack_from(buf, 16 + 32 * i)
        out.append(RegionEntry(uuid.UUID(bytes_le=g), off, length, bool(req & 1)))
    return out


@dataclass
class MetadataItem:
    guid: uuid.UUID
    data: bytes
    flags: int


def pack_metadata_region(virtual_size: int, block_size: int, logical_sector: int, physical_sector: int,
                         page83: bytes, *, has_parent: bool = False, fixed: bool = False) -> bytes:
    """The 1 MiB metadata region: table at 0, items from 64 KiB on."""
    items = [
        MetadataItem(FILE_PARAMETERS_GUID, struct.pack(
            "<II", block_size, (FP_HAS_PARENT if has_parent else 0) | (FP_LEAVE_BLOCKS_ALLOCATED if fixed else 0)),
                     MD_IS_REQUIRED),
        MetadataItem(VIRTUAL_DISK_SIZE_GUID, struct.pack("<Q", virtual_size), MD_IS_VIRTUAL_DISK | MD_IS_REQUIRED),
        MetadataItem(PAGE83_GUID, page83, MD_IS_VIRTUAL_DISK | MD_IS_REQUIRED),
        MetadataItem(LOGICAL_SECTOR_GUID, struct.pack("<I", logical_sector), MD_IS_VIRTUAL_DISK | MD_IS_REQUIRED),
        MetadataItem(PHYSICAL_SECTOR_GUID, struct.pack("<I", physical_sector), MD_IS_VIRTUAL_DISK | MD_IS_REQUIRED),
    ]
    buf = bytearray(METADATA_LENGTH)
    _MD_HDR.pack_into(buf, 0, SIG_METADATA, 0, len(items))
    pos = METADATA_TABLE_SIZE
    for i, item in enumerate(items):
        _MD_ENTRY.pack_into(buf, 32 + 32 * i, item.guid.bytes_le, pos, len(item.data), item.flags, 0)
        buf[pos:pos + len(item.data)] = item.data
        pos += len(item.data)
    return bytes(buf)


def parse_metadata_table(buf: bytes | memoryview) -> list[tuple[uuid.UUID, int, int, int]] | None:
    """``(guid, offset, length, flags)`` per entry, or None when the signature is wrong; :class:`TableTooLarge`
    when it claims more than 2047 entries."""
    sig, _res, count = _MD_HDR.unpack_from(buf, 0)
    if sig != SIG_METADATA:
        return None
    if count > 2047:
        raise TableTooLarge(f"the metadata table claims {count} entries (at most 2047)")
    out = []
    for i in range(count):
        g, off, length, flags, _ = _MD_ENTRY.unpack_from(buf, 32 + 32 * i)
        out.append((uuid.UUID(bytes_le=g), off, length, flags))
    return out

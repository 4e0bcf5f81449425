"""VHDX reader: reads what qemu-img and our writer make; refuses damaged or unsupported files clearly."""

from __future__ import annotations

import os
import struct
import uuid
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_img
from wizard.core.errors import DiskFormatError, UnsupportedFormatError
from wizard.disks import vhdx_format as vf
from wizard.disks.bytesource import LocalFile
from wizard.disks.vhdx_read import open_vhdx
from wizard.disks.vhdx_write import VhdxWriter

MiB = 1024 * 1024


_CONTENT = bytearray(6 * MiB)
_CONTENT[MiB:MiB + 5000] = os.urandom(5000)
_CONTENT[-100:] = b"z" * 100


def content() -> bytes:
    return bytes(_CONTENT)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    out = tmp_path / "good.vhdx"
    w = VhdxWriter(out, 6 * MiB, block_size=MiB)
    w.write(0, content())
    w.finish()
    return out


def read_all(path: Path) -> bytes:
    with open_vhdx(LocalFile(path)) as img:
        buf = bytearray(img.virtual_size)
        img.readinto(0, memoryview(buf))
        return bytes(buf)


def patch(path: Path, offset: int, data: bytes) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(data)


def rewrite_header(path: Path, index: int, **changes) -> None:
    off = vf.HEADER_OFFSETS[index]
    with open(path, "rb") as fh:
        fh.seek(off)
        hdr = vf.Header.parse(fh.read(4096))
    for key, value in changes.items():
        setattr(hdr, key, value)
    patch(path, off, hdr.pack())


def open_error(path: Path) -> DiskFormatError:
    with pytest.raises(DiskFormatError) as err:
        open_vhdx(LocalFile(path))
    assert str(path) in err.value.message
    return err.value


@pytest.mark.parametrize("subformat", ["dynamic", "fixed"])
def test_reads_qemu_made_vhdx(tmp_path: Path, subformat: str) -> None:
    raw = tmp_path / "src.raw"
    raw.write_bytes(content())
    out = tmp_path / "q.vhdx"
    qemu_img("convert", "-f", "raw", "-O", "vhdx", "-o", f"subformat={subformat}", str(raw), str(out))
    assert read_all(out) == content()


def test_reads_own_output_and_reports_facts(good: Path) -> None:
    assert read_all(good) == content()
    with open_vhdx(LocalFile(good)) as img:
        info = img.info()
        assert (info.format, info.subformat, info.virtual_size) == ("vhdx", "dynamic", 6 * MiB)
        assert info.details["block_size"] == MiB
        assert info.allocated_bytes == 2 * MiB  # blocks 1 and 5
        assert list(img.allocated_ranges()) == [(MiB, MiB), (5 * MiB, MiB)]


def test_bad_signature(good: Path) -> None:
    patch(good, 0, b"notvhdx!")
    err = open_error(good)
    assert "offset 0" in err.message and "VHDX" in err.message


def test_bad_crc_in_both_headers(good: Path) -> None:
    for off in vf.HEADER_OFFSETS:
        patch(good, off + 100, b"\x01")
    assert "CRC-32C" in open_error(good).message


def test_one_damaged_header_is_survivable_and_the_newer_one_wins(good: Path) -> None:
    rewrite_header(good, 0, sequence=10)
    with open_vhdx(LocalFile(good)) as img:
        assert img.header.sequence == 10
    patch(good, vf.HEADER_OFFSETS[0] + 100, b"\x01")  # now header 1 is corrupt: header 2 is used
    with open_vhdx(LocalFile(good)) as img:
        assert img.header.sequence == 2
    assert read_all(good) == content()


def test_non_zero_log_guid_is_refused(good: Path) -> None:
    rewrite_header(good, 1, log_guid=os.urandom(16))
    with pytest.raises(UnsupportedFormatError) as err:
        open_vhdx(LocalFile(good))
    assert "log" in err.value.message and "Hyper-V" in err.value.fix


def test_bad_region_table_crc(good: Path) -> None:
    for off in vf.REGION_OFFSETS:
        patch(good, off + 40, b"\xee")
    assert "region table" in open_error(good).message


def test_bat_entry_past_end_of_file(good: Path) -> None:
    patch(good, vf.BAT_OFFSET + 8, struct.pack("<Q", (4096 << 20) | vf.PAYLOAD_FULLY_PRESENT))
    err = open_error(good)
    assert f"offset {vf.BAT_OFFSET + 8}" in err.message and "past the end of the file" in err.message


def test_partially_present_block_without_parent(good: Path) -> None:
    patch(good, vf.BAT_OFFSET, struct.pack("<Q", (4 << 20) | vf.PAYLOAD_PARTIALLY_PRESENT))
    assert "partially present" in open_error(good).message


def test_truncated_file(good: Path) -> None:
    size = good.stat().st_size
    os.truncate(good, size - MiB // 2)
    assert "past the end of the file" in open_error(good).message


def test_differencing_disk_is_refused(good: Path) -> None:
    fp = vf.METADATA_OFFSET + vf.METADATA_TABLE_SIZE  # the file parameters item comes first
    patch(good, fp + 4, struct.pack("<I", vf.FP_HAS_PARENT))
    with pytest.raises(UnsupportedFormatError, match="differencing"):
        open_vhdx(LocalFile(good))


@pytest.mark.parametrize(("item_offset", "value", "words"), [
    (0, struct.pack("<I", 3 * MiB), "block size"),
    (8, struct.pack("<Q", 1 << 60), "virtual size"),
    (32, struct.pack("<I", 1000), "logical sector"),
])
def test_hostile_metadata_values(good: Path, item_offset: int, value: bytes, words: str) -> None:
    patch(good, vf.METADATA_OFFSET + vf.METADATA_TABLE_SIZE + item_offset, value)
    assert words in open_error(good).message


def test_metadata_item_outside_its_region(good: Path) -> None:
    entry = vf.METADATA_OFFSET + 32  # first entry: offset field at +16
    patch(good, entry + 16, struct.pack("<I", vf.METADATA_LENGTH - 4))
    assert "outside the metadata region" in open_error(good).message


def test_file_too_short_for_headers(tmp_path: Path) -> None:
    short = tmp_path / "short.vhdx"
    short.write_bytes(b"vhdxfile" + bytes(1000))
    assert "truncated" in open_error(short).message


def test_a_block_placed_on_the_files_own_structures_is_refused(good: Path) -> None:
    """A BAT entry pointing at the log, the BAT or the metadata would hand those bytes out as the guest's disk
    (qemu-img refuses the same file)."""
    for at, name in ((MiB, "log"), (vf.BAT_OFFSET, "BAT"), (vf.METADATA_OFFSET, "metadata")):
        patch(good, vf.BAT_OFFSET, struct.pack("<Q", at | vf.PAYLOAD_FULLY_PRESENT))
        assert f"into the file's {name}" in open_error(good).message, name


def test_a_metadata_item_listed_twice_is_refused_not_the_last_one_taken(good: Path) -> None:
    """A second Virtual Disk Size item would silently shrink the disk (its data cut off) if the last one won."""
    with open(good, "rb") as fh:
        fh.seek(vf.METADATA_OFFSET)
        table = bytearray(fh.read(64 * 1024))
    count = struct.unpack_from("<H", table, 10)[0]
    table[32 + 32 * count:64 + 32 * count] = table[32 + 32:64 + 32]  # entry 1 again, as a new last entry
    struct.pack_into("<H", table, 10, count + 1)
    patch(good, vf.METADATA_OFFSET, bytes(table))
    assert "twice" in open_error(good).message


def test_headers_of_equal_sequence_that_differ_are_refused(good: Path) -> None:
    """Which header is current cannot be told: taking the first would ignore the other's pending log."""
    rewrite_header(good, 0, sequence=2, log_guid=uuid.uuid4().bytes_le)  # the writer's second header has 2
    assert "same sequence number" in open_error(good).message

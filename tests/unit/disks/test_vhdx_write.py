"""VHDX writer: images qemu-img accepts and reads back identically, with the layout Hyper-V expects."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures.disks import qemu_compare, qemu_img
from wizard.disks import vhdx_format as vf
from wizard.disks.bytesource import LocalFile
from wizard.disks.vhdx_read import open_vhdx
from wizard.disks.vhdx_write import VhdxWriter

MiB = 1024 * 1024


def read_all(path: Path) -> bytes:
    with open_vhdx(LocalFile(path)) as img:
        buf = bytearray(img.virtual_size)
        img.readinto(0, memoryview(buf))
        return bytes(buf)


def bat_entries(path: Path) -> list[int]:
    with open_vhdx(LocalFile(path)) as img:
        count = vf.bat_entry_count(img.virtual_size, img.block_size, img.logical_sector)
    with open(path, "rb") as fh:
        fh.seek(vf.BAT_OFFSET)
        return list(struct.unpack(f"<{count}Q", fh.read(8 * count)))


def write_image(path: Path, content: bytes, runs: list[tuple[int, int]], **kw) -> None:
    w = VhdxWriter(path, len(content), **kw)
    for off, n in runs:
        w.write(off, memoryview(content)[off:off + n])
    w.finish()


def test_dynamic_disk_is_valid_for_qemu_and_identical(tmp_path: Path) -> None:
    size = 10 * MiB + 512
    content = bytearray(size)
    content[3 * MiB - 7:3 * MiB + 9] = os.urandom(16)  # across a block boundary
    content[-512:] = b"\xab" * 512  # the very last sector
    raw = tmp_path / "src.raw"
    raw.write_bytes(content)
    out = tmp_path / "out.vhdx"
    # out of order, and a zero run that must not allocate
    write_image(out, bytes(content), [(5 * MiB, size - 5 * MiB), (0, 5 * MiB)], block_size=MiB)
    qemu_img("check", str(out))
    qemu_compare(raw, out, "raw", "vhdx")
    assert read_all(out) == bytes(content)
    info = qemu_img("info", "--output=json", str(out)).stdout
    assert f'"virtual-size": {size}' in info


def test_never_written_blocks_are_zero_state_with_offset_zero(tmp_path: Path) -> None:
    out = tmp_path / "out.vhdx"
    content = bytes(4 * MiB) + b"\1" * MiB + bytes(3 * MiB)
    write_image(out, content, [(0, len(content))], block_size=MiB)
    entries = bat_entries(out)
    assert [e & 7 for e in entries] == [2, 2, 2, 2, 6, 2, 2, 2]
    assert all(e == vf.PAYLOAD_ZERO for i, e in enumerate(entries) if i != 4)
    # the one block is appended right after the BAT: header area + metadata + BAT + 1 block
    assert out.stat().st_size == vf.BAT_OFFSET + MiB + MiB


def test_sector_bitmap_entries_interleave_and_stay_zero(tmp_path: Path) -> None:
    """256 MiB blocks with 512-byte sectors: a sector-bitmap entry follows every 16 payload entries."""
    block = 256 * MiB
    size = 17 * block + 4096  # 18 payload blocks → 18 + 1 entries
    out = tmp_path / "big.vhdx"
    w = VhdxWriter(out, size, block_size=block)
    w.write(16 * block, b"\x11" * 4096)  # payload block 16 sits at BAT index 17
    w.write(size - 512, b"\x22" * 512)  # last block, index 18
    w.finish()
    entries = bat_entries(out)
    assert len(entries) == 19 == vf.bat_entry_count(size, block, 512)
    assert entries[16] == 0  # the sector bitmap entry
    assert entries[17] & 7 == vf.PAYLOAD_FULLY_PRESENT and entries[18] & 7 == vf.PAYLOAD_FULLY_PRESENT
    qemu_img("check", str(out))
    with open_vhdx(LocalFile(out)) as img:
        buf = bytearray(4096)
        img.readinto(16 * block, memoryview(buf))
        assert bytes(buf) == b"\x11" * 4096
        tail = bytearray(512)
        img.readinto(size - 512, memoryview(tail))
        assert bytes(tail) == b"\x22" * 512
    # qemu-img reads the same bytes at both places (a whole-disk compare would read 4 GiB)
    for offset, expected in ((16 * block, b"\x11" * 4096), (size - 4096, bytes(3584) + b"\x22" * 512)):
        piece = tmp_path / f"piece{offset}"
        qemu_img("convert", "--image-opts", f"driver=raw,offset={offset},size=4096,file.driver=vhdx,"
                 f"file.file.filename={out}", "-O", "raw", str(piece))
        assert piece.read_bytes() == expected


def test_fixed_disk_is_exactly_headers_metadata_and_payload(tmp_path: Path) -> None:
    size = 8 * MiB
    content = os.urandom(MiB) + bytes(size - MiB)
    out = tmp_path / "fixed.vhdx"
    write_image(out, content, [(0, size)], block_size=MiB, fixed=True)
    assert out.stat().st_size == vf.BAT_OFFSET + MiB + size  # no double-size file as qemu-img makes
    assert all(e & 7 == vf.PAYLOAD_FULLY_PRESENT for e in bat_entries(out))
    qemu_img("check", str(out))
    raw = tmp_path / "src.raw"
    raw.write_bytes(content)
    qemu_compare(raw, out, "raw", "vhdx")
    with open_vhdx(LocalFile(out)) as img:
        assert img.info().subformat == "fixed"


def test_all_zero_data_never_allocates(tmp_path: Path) -> None:
    out = tmp_path / "zero.vhdx"
    w = VhdxWriter(out, 64 * MiB, block_size=MiB)
    w.write(0, bytes(64 * MiB))
    w.finish()
    assert out.stat().st_size == vf.BAT_OFFSET + MiB
    with open_vhdx(LocalFile(out)) as img:
        assert list(img.allocated_ranges()) == []


def test_rewriting_a_range_with_zeros_is_honoured(tmp_path: Path) -> None:
    out = tmp_path / "re.vhdx"
    w = VhdxWriter(out, 4 * MiB, block_size=MiB)
    w.write(0, b"\xff" * (2 * MiB))
    w.write(MiB // 2, bytes(MiB))
    w.finish()
    assert read_all(out) == b"\xff" * (MiB // 2) + bytes(MiB) + b"\xff" * (MiB // 2) + bytes(2 * MiB)


def test_headers_are_written_with_sequence_numbers_and_no_log(tmp_path: Path) -> None:
    out = tmp_path / "h.vhdx"
    write_image(out, bytes(MiB), [], block_size=MiB)
    data = out.read_bytes()
    assert data[:8] == b"vhdxfile"
    seqs = []
    for off in vf.HEADER_OFFSETS:
        hdr = vf.Header.parse(data[off:off + 4096])
        assert vf.header_signature_ok(data[off:off + 4096])
        assert hdr.log_guid == b"\0" * 16 and hdr.version == 1
        seqs.append(hdr.sequence)
    assert seqs[0] != seqs[1]


@pytest.mark.parametrize("bad", [{"block_size": 3 * MiB}, {"block_size": 512 * MiB}, {"logical_sector": 1024}])
def test_invalid_geometry_is_refused(tmp_path: Path, bad: dict) -> None:
    with pytest.raises(ValueError):
        VhdxWriter(tmp_path / "x.vhdx", 8 * MiB, **bad)


def test_size_is_rounded_up_to_the_logical_sector(tmp_path: Path) -> None:
    w = VhdxWriter(tmp_path / "r.vhdx", 10 * MiB + 100, block_size=MiB, logical_sector=4096)
    assert w.virtual_size == 10 * MiB + 4096
    w.abort()


layouts = st.lists(st.tuples(st.integers(0, 6 * MiB), st.integers(1, 300_000)), min_size=0, max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size_sectors=st.integers(1, 6 * 2048), runs=layouts, block=st.sampled_from([MiB, 2 * MiB, 4 * MiB]),
       sector=st.sampled_from([512, 4096]), fixed=st.booleans(), edge=st.booleans())
def test_random_sparse_layouts_round_trip(tmp_path: Path, size_sectors: int, runs, block: int, sector: int,
                                          fixed: bool, edge: bool) -> None:
    size = -(-size_sectors * 512 // sector) * sector
    content = bytearray(size)
    for off, n in runs:
        off %= size
        content[off:off + n] = os.urandom(min(n, size - off))
    if edge:  # data in the last sector and across each block boundary
        content[-1] = 0x5A
        for b in range(block, size, block):
            content[b - 3:b + 3] = b"\x01" * len(content[b - 3:b + 3])
    out = tmp_path / f"p{size}_{block}_{sector}_{fixed}.vhdx"
    w = VhdxWriter(out, size, block_size=block, logical_sector=sector, fixed=fixed, write_once=True)
    # feed in uneven pieces, last piece first
    cut = size // 3
    w.write(cut, memoryview(content)[cut:])
    w.write(0, memoryview(content)[:cut])
    w.finish()
    assert read_all(out) == bytes(content)
    if sector == 512:  # qemu reads only 512-byte logical sectors
        raw = out.with_suffix(".raw")
        raw.write_bytes(content)
        qemu_img("check", str(out))
        qemu_compare(raw, out, "raw", "vhdx")
        raw.unlink()
    out.unlink()

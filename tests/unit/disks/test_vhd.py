"""VHD writer and reader: exact sizes (no CHS rounding), qemu-img agrees, damaged files refused clearly."""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures.disks import qemu_compare, qemu_img
from wizard.core.errors import DiskFormatError, PlanError, UnsupportedFormatError
from wizard.disks import vhd_format as hf
from wizard.disks.bytesource import LocalFile
from wizard.disks.vhd_read import open_vhd
from wizard.disks.vhd_write import VhdWriter

MiB = 1024 * 1024
GiB = 1024 * MiB


def write_vhd(path: Path, data: bytes, fixed: bool, pieces: int = 3) -> None:
    w = VhdWriter(path, len(data), fixed=fixed, write_once=True)
    step = -(-len(data) // pieces)
    for off in reversed(range(0, len(data), step)):  # out of order
        w.write(off, memoryview(data)[off:off + step])
    w.finish()


def read_all(path: Path) -> bytes:
    with open_vhd(LocalFile(path)) as img:
        buf = bytearray(img.virtual_size)
        img.readinto(0, memoryview(buf))
        return bytes(buf)


_DATA = bytearray(5 * MiB + 3 * 512)  # not a whole number of blocks nor of CHS cylinders
_DATA[100:5000] = os.urandom(4900)
_DATA[2 * MiB - 10:2 * MiB + 10] = b"\x07" * 20
_DATA[-512:] = b"\xee" * 512  # data at the very end
DATA = bytes(_DATA)


@pytest.mark.parametrize("fixed", [False, True])
def test_size_is_exact_and_qemu_reads_the_same(tmp_path: Path, fixed: bool) -> None:
    raw = tmp_path / "src.raw"
    raw.write_bytes(DATA)
    out = tmp_path / "out.vhd"
    write_vhd(out, DATA, fixed)
    info = json.loads(qemu_img("info", "-f", "vpc", "--output=json", str(out)).stdout)
    assert info["virtual-size"] == len(DATA)
    qemu_compare(raw, out, "raw", "vpc")
    assert read_all(out) == DATA


def test_footer_says_hyper_v_and_exact_size(tmp_path: Path) -> None:
    out = tmp_path / "out.vhd"
    write_vhd(out, DATA, fixed=False)
    raw = out.read_bytes()
    footer = hf.Footer.parse(raw[-512:])
    assert footer is not None and footer.creator_app == b"win " and footer.current_size == len(DATA)
    assert raw[:512] == raw[-512:]  # the copy at the start of a dynamic disk
    assert hf.DynamicHeader.parse(raw[512:1536]) is not None


def test_fixed_vhd_is_data_plus_footer(tmp_path: Path) -> None:
    out = tmp_path / "f.vhd"
    write_vhd(out, DATA, fixed=True)
    assert out.stat().st_size == len(DATA) + 512


def test_zero_blocks_are_not_allocated(tmp_path: Path) -> None:
    out = tmp_path / "z.vhd"
    w = VhdWriter(out, 16 * MiB)
    w.write(0, bytes(16 * MiB))
    w.write(6 * MiB, b"\1" * 512)
    w.finish()
    with open_vhd(LocalFile(out)) as img:
        assert list(img.allocated_ranges()) == [(6 * MiB, 2 * MiB)]
    assert out.stat().st_size == 1536 + 512 + (512 + 2 * MiB) + 512


def test_over_2040_gib_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="2040 GiB") as err:
        VhdWriter(tmp_path / "big.vhd", 2041 * GiB)
    assert "VHDX" in err.value.fix
    assert not (tmp_path / "big.vhd").exists()


@pytest.mark.parametrize("opts", ["subformat=dynamic,force_size=on", "subformat=fixed,force_size=on"])
def test_reads_qemu_made_vhd(tmp_path: Path, opts: str) -> None:
    raw = tmp_path / "src.raw"
    raw.write_bytes(DATA)
    out = tmp_path / "q.vhd"
    qemu_img("convert", "-f", "raw", "-O", "vpc", "-o", opts, str(raw), str(out))
    assert read_all(out) == DATA


@pytest.fixture
def good(tmp_path: Path) -> Path:
    out = tmp_path / "good.vhd"
    write_vhd(out, DATA, fixed=False)
    return out


def patch(path: Path, offset: int, data: bytes) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(data)


def open_error(path: Path) -> DiskFormatError:
    with pytest.raises(DiskFormatError) as err:
        open_vhd(LocalFile(path))
    assert str(path) in err.value.message
    return err.value


def test_bad_footer_checksum_in_both_copies(good: Path) -> None:
    size = good.stat().st_size
    patch(good, size - 512 + 100, b"\x01")
    patch(good, 100, b"\x01")
    assert "conectix" in open_error(good).message


def test_damaged_trailing_footer_falls_back_to_the_copy(good: Path) -> None:
    patch(good, good.stat().st_size - 512 + 100, b"\x01")
    assert read_all(good) == DATA


def test_bat_entry_past_end_of_file(good: Path) -> None:
    patch(good, 1536 + 4, struct.pack(">I", 0x00FFFFFF))
    err = open_error(good)
    assert "block 1" in err.message and f"offset {1536 + 4}" in err.message


def test_bad_dynamic_header_checksum(good: Path) -> None:
    patch(good, 512 + 28, struct.pack(">I", 1))
    assert "cxsparse" in open_error(good).message


def test_differencing_vhd_is_refused(good: Path) -> None:
    raw = bytearray(good.read_bytes()[-512:])
    struct.pack_into(">I", raw, 60, hf.TYPE_DIFFERENCING)
    struct.pack_into(">I", raw, 64, hf.one_complement_checksum(raw, 64))
    patch(good, good.stat().st_size - 512, bytes(raw))
    with pytest.raises(UnsupportedFormatError, match="differencing"):
        open_vhd(LocalFile(good))


def test_truncated_fixed_vhd(tmp_path: Path) -> None:
    out = tmp_path / "f.vhd"
    write_vhd(out, DATA, fixed=True)
    footer = out.read_bytes()[-512:]
    with open(out, "r+b") as fh:
        fh.truncate(MiB)
        fh.seek(MiB)
        fh.write(footer)
    assert "truncated" in open_error(out).message


def test_chs_geometry_follows_the_specification() -> None:
    assert hf.chs_geometry(2040 * GiB) == (65535, 16, 255)  # capped at the largest geometry
    assert hf.chs_geometry(10 * MiB) == (301, 4, 17)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sectors=st.integers(1, 12 * 1024), fixed=st.booleans(),
       runs=st.lists(st.tuples(st.integers(0, 6 * MiB), st.integers(1, 200_000)), max_size=5))
def test_random_layouts_round_trip(tmp_path: Path, sectors: int, fixed: bool, runs) -> None:
    size = sectors * 512
    data = bytearray(size)
    for off, n in runs:
        off %= size
        data[off:off + n] = os.urandom(min(n, size - off))
    data[-1] = 1
    out = tmp_path / f"r{size}{fixed}.vhd"
    write_vhd(out, bytes(data), fixed)
    assert read_all(out) == bytes(data)
    raw = out.with_suffix(".raw")
    raw.write_bytes(data)
    qemu_compare(raw, out, "raw", "vpc")
    out.unlink()
    raw.unlink()

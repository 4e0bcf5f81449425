"""Corrupt, truncated and hostile VMDKs are refused with a DiskFormatError naming the file and where."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_img
from tests.unit.disks.test_vmdk_helpers import GRAIN, image_sha, make_vmware_stream
from wizard.core.errors import DiskFormatError, UnsupportedFormatError
from wizard.disks.detect import open_image, open_stream

MiB = 1024 * 1024


@pytest.fixture
def sparse(make_raw, tmp_path: Path) -> Path:
    raw = make_raw(8 * MiB, [(0, os.urandom(2 * MiB)), (6 * MiB, os.urandom(GRAIN))])
    out = tmp_path / "disk.vmdk"
    qemu_img("convert", "-O", "vmdk", str(raw), str(out))
    return out


def patch(path: Path, offset: int, data: bytes) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(data)


def header_field(path: Path, offset: int, fmt: str = "<Q") -> int:
    with open(path, "rb") as fh:
        fh.seek(offset)
        return struct.unpack(fmt, fh.read(struct.calcsize(fmt)))[0]


def patch_gte(path: Path, index: int, value: int) -> None:
    """Set grain table entry ``index`` of the first table, in both the primary and the redundant copy."""
    for gd_field in (48, 56):
        gt = header_field(path, header_field(path, gd_field) * 512, "<I")
        patch(path, gt * 512 + 4 * index, struct.pack("<I", value))


def test_truncated_sparse_file_is_refused_not_read_as_zeros(sparse: Path) -> None:
    os.truncate(sparse, sparse.stat().st_size - 3 * GRAIN)
    with pytest.raises(DiskFormatError) as err:
        open_image(sparse)
    assert str(sparse) in err.value.message and "truncated" in err.value.message
    assert err.value.offset is not None


def test_grain_entry_past_eof(sparse: Path) -> None:
    patch_gte(sparse, 2, 0x7FFFFFF0)
    with pytest.raises(DiskFormatError, match="grain 2 .*past the end"):
        open_image(sparse)


def test_grain_entry_one_without_zeroed_flag(sparse: Path) -> None:
    patch_gte(sparse, 0, 1)
    with pytest.raises(DiskFormatError, match="header"):
        open_image(sparse)


def test_primary_grain_directory_broken_falls_back_to_redundant(sparse: Path) -> None:
    with open_image(sparse) as img:
        want = image_sha(img)
    patch(sparse, 56, struct.pack("<Q", 0xFFFFFFF))
    with open_image(sparse) as img:
        assert image_sha(img) == want


def test_both_grain_directories_past_eof(sparse: Path) -> None:
    patch(sparse, 48, struct.pack("<QQ", 0xFFFFFFF, 0xFFFFFFF))
    with pytest.raises(DiskFormatError) as err:
        open_image(sparse)
    assert err.value.field == "gdOffset"


def test_grain_table_past_eof(sparse: Path) -> None:
    for gd_field in (48, 56):
        gd = header_field(sparse, gd_field)
        patch(sparse, gd * 512, struct.pack("<I", 0x7FFFFF))
    with pytest.raises(DiskFormatError, match="grain table 0 .*past the end"):
        open_image(sparse)


@pytest.mark.parametrize(("offset", "value", "field"), [
    (12, 1 << 50, "capacity"),
    (12, 0xFFFFFFFFFFFFFFFF, "capacity"),
    (20, 100, "grainSize"),
    (20, 0, "grainSize"),
    (20, 1 << 30, "grainSize"),
])
def test_absurd_header_values(sparse: Path, offset: int, value: int, field: str) -> None:
    patch(sparse, offset, struct.pack("<Q", value))
    with pytest.raises(DiskFormatError) as err:
        open_image(sparse)
    assert err.value.field == field


def test_bad_version(sparse: Path) -> None:
    patch(sparse, 4, struct.pack("<I", 9))
    with pytest.raises(DiskFormatError, match="version 9"):
        open_image(sparse)


def test_garbage_named_vmdk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.vmdk"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(UnsupportedFormatError):
        open_image(path)


def test_descriptor_naming_a_missing_extent(tmp_path: Path) -> None:
    qemu_img("create", "-q", "-f", "vmdk", "-o", "subformat=monolithicFlat", str(tmp_path / "d.vmdk"), "1M")
    (tmp_path / "d-flat.vmdk").unlink()
    with pytest.raises(DiskFormatError) as err:
        open_image(tmp_path / "d.vmdk")
    assert "d-flat.vmdk" in err.value.message and err.value.field == "extent line 8"


def test_flat_extent_shorter_than_descriptor_says(tmp_path: Path) -> None:
    qemu_img("create", "-q", "-f", "vmdk", "-o", "subformat=monolithicFlat", str(tmp_path / "d.vmdk"), "1M")
    os.truncate(tmp_path / "d-flat.vmdk", 1000)
    with pytest.raises(DiskFormatError, match="truncated"):
        open_image(tmp_path / "d.vmdk")


def test_sparse_extent_smaller_than_descriptor_says(tmp_path: Path) -> None:
    desc = tmp_path / "d.vmdk"
    qemu_img("create", "-q", "-f", "vmdk", "-o", "subformat=twoGbMaxExtentSparse", str(desc), "1M")
    desc.write_text(desc.read_text().replace("RW 2048 SPARSE", "RW 4096 SPARSE"))
    with pytest.raises(DiskFormatError, match="holds 2048 sectors"):
        open_image(desc)


def test_embedded_descriptor_disagreeing_with_capacity(sparse: Path) -> None:
    data = sparse.read_bytes()
    at = data.index(b"RW 16384 SPARSE")
    patch(sparse, at, b"RW 16385 SPARSE")
    with pytest.raises(DiskFormatError) as err:
        open_image(sparse)
    assert err.value.field == "capacity"


def test_descriptor_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "d.vmdk"
    path.write_bytes(b'# Disk DescriptorFile\ncreateType="vmfs"\nRW 8 VMFS "\xff\xfe.vmdk"\n')
    with pytest.raises(DiskFormatError, match="UTF-8"):
        open_image(path)


def test_huge_descriptor(tmp_path: Path) -> None:
    path = tmp_path / "d.vmdk"
    path.write_bytes(b'# Disk DescriptorFile\ncreateType="vmfs"\n' + b"# padding\n" * 200_000)
    with pytest.raises(DiskFormatError, match="too large"):
        open_image(path)


def content(size: int = 3 * MiB) -> bytes:
    data = bytearray(size)
    data[GRAIN:4 * GRAIN] = os.urandom(3 * GRAIN)
    data[2 * MiB:2 * MiB + 100] = b"q" * 100
    return bytes(data)


def test_truncated_vmware_stream(tmp_path: Path) -> None:
    data = make_vmware_stream(content())
    for cut in (len(data) - 512, len(data) // 2, 70_000):
        with pytest.raises(DiskFormatError, match="truncated"):
            img = open_stream(io.BytesIO(data[:cut]), "cut.vmdk")
            image_sha(img)


def test_corrupt_grain_in_stream(tmp_path: Path) -> None:
    data = bytearray(make_vmware_stream(content()))
    first = 128 * 512
    data[first + 12 + 5:first + 12 + 40] = b"\xaa" * 35
    with pytest.raises(DiskFormatError) as err:
        image_sha(open_stream(io.BytesIO(bytes(data)), "bad.vmdk"))
    assert err.value.offset == first
    path = tmp_path / "bad.vmdk"
    path.write_bytes(bytes(data))
    with open_image(path) as img, pytest.raises(DiskFormatError):
        image_sha(img)


def test_grain_that_inflates_beyond_a_grain(tmp_path: Path) -> None:
    data = bytearray(make_vmware_stream(content()))
    first = 128 * 512
    bomb = zlib.compress(bytes(4 * GRAIN))
    size = struct.unpack_from("<I", data, first + 8)[0]
    assert len(bomb) <= size
    data[first + 8:first + 12 + len(bomb)] = struct.pack("<I", len(bomb)) + bomb
    with pytest.raises(DiskFormatError, match="more than one grain"):
        image_sha(open_stream(io.BytesIO(bytes(data)), "bomb.vmdk"))


def test_out_of_order_stream_is_refused_in_a_pipe_but_read_from_a_file(tmp_path: Path) -> None:
    body = content()
    data = make_vmware_stream(body, order=[3, 1, 2, 32])
    with pytest.raises(DiskFormatError, match="out of order"):
        image_sha(open_stream(io.BytesIO(data), "ooo.vmdk"))
    path = tmp_path / "ooo.vmdk"
    path.write_bytes(data)
    import hashlib

    with open_image(path) as img:
        assert image_sha(img) == hashlib.sha256(body).hexdigest()

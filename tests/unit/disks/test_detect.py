"""open_image picks the reader from the bytes; formats we do not read are refused with a useful fix."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_img
from tests.unit.disks.test_vmdk_helpers import make_vmware_stream
from wizard.core.errors import DiskFormatError, UnsupportedFormatError
from wizard.disks.bytesource import LocalFile
from wizard.disks.detect import open_image, open_stream, sniff
from wizard.disks.raw import RawImage

MiB = 1024 * 1024


@pytest.fixture
def src(make_raw) -> Path:
    return make_raw(2 * MiB, [(4096, os.urandom(10_000))])


@pytest.mark.parametrize(("fmt", "opts", "expected"), [
    ("vmdk", [], "vmdk"),
    ("vmdk", ["-o", "subformat=monolithicFlat"], "vmdk"),
    ("vmdk", ["-o", "subformat=streamOptimized"], "vmdk"),
    ("vhdx", [], "vhdx"),
    ("vpc", [], "vhd"),
    ("vpc", ["-o", "subformat=fixed,force_size=on"], "vhd"),
    ("qcow2", [], "qcow2"),
    ("vdi", [], "vdi"),
])
def test_sniff_by_content(src: Path, tmp_path: Path, fmt: str, opts: list[str], expected: str) -> None:
    out = tmp_path / "disk.bin"  # a misleading name: only the content counts
    qemu_img("convert", "-O", fmt, *opts, str(src), str(out))
    with LocalFile(out) as fh:
        assert sniff(fh) == expected


@pytest.mark.parametrize("fmt", ["qcow2", "vdi"])
def test_formats_left_to_qemu_img_are_refused(src: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"disk.{fmt}"
    qemu_img("convert", "-O", fmt, str(src), str(out))
    with pytest.raises(UnsupportedFormatError) as err:
        open_image(out)
    assert "qemu-img" in err.value.fix and str(out) in err.value.message


def test_raw_needs_a_raw_name_or_an_explicit_format(src: Path, tmp_path: Path) -> None:
    odd = tmp_path / "disk.data"
    os.link(src, odd)
    with pytest.raises(UnsupportedFormatError, match="unrecognised"):
        open_image(odd)
    with open_image(odd, fmt="raw") as img:
        assert isinstance(img, RawImage) and img.virtual_size == 2 * MiB
    with open_image(src) as img:  # src.raw
        assert isinstance(img, RawImage)


def test_explicit_format_must_match_content(src: Path) -> None:
    with pytest.raises(DiskFormatError, match="not a vmdk"):
        open_image(src, fmt="vmdk")


def test_vmdk_opened_from_a_byte_source_with_an_opener(src: Path, tmp_path: Path) -> None:
    qemu_img("convert", "-O", "vmdk", "-o", "subformat=monolithicFlat", str(src), str(tmp_path / "d.vmdk"))
    opened: list[str] = []

    def opener(name: str) -> LocalFile:
        opened.append(name)
        return LocalFile(tmp_path / name)

    with open_image(LocalFile(tmp_path / "d.vmdk"), opener) as img:
        buf = bytearray(10_000)
        img.readinto(4096, memoryview(buf))
        assert bytes(buf) == src.read_bytes()[4096:14096]
    assert opened == ["d-flat.vmdk"]


def test_vhdx_and_vhd_go_to_their_readers(src: Path, tmp_path: Path) -> None:
    for fmt, opts in (("vhdx", []), ("vpc", ["-o", "force_size=on"])):
        out = tmp_path / f"d.{fmt}"
        qemu_img("convert", "-O", fmt, *opts, str(src), str(out))
        try:
            img = open_image(out)
        except UnsupportedFormatError as exc:  # the reader module is not in this build yet
            assert "not available" in exc.message
            continue
        with img:
            assert img.virtual_size >= 2 * MiB


def test_open_stream_reads_a_vmware_stream() -> None:
    body = bytes(MiB) + b"v" * MiB
    with open_stream(io.BytesIO(make_vmware_stream(body)), "x.vmdk") as img:
        got = {off: bytes(view) for off, view in img.chunks()}
    assert got == {MiB: b"v" * MiB}


def test_esxi_cowd_delta_is_refused_with_a_fix(tmp_path: Path) -> None:
    path = tmp_path / "vm-000001-delta.vmdk"
    path.write_bytes(b"COWD" + bytes(4092))
    with pytest.raises(UnsupportedFormatError) as err:
        open_image(path)
    assert "snapshot" in err.value.message and "snapshots" in err.value.fix


def test_stream_chunks_stop_when_cancelled() -> None:
    from wizard.core.progress import Cancelled, CancelToken

    body = b"a" * MiB + bytes(MiB) + b"b" * MiB
    token = CancelToken()
    with open_stream(io.BytesIO(make_vmware_stream(body)), "x.vmdk") as img:
        it = img.chunks(512 * 1024, token)
        next(it)
        token.cancel()
        with pytest.raises(Cancelled):
            next(it)

"""Every input subformat × every output format: qemu-img accepts the output and finds it identical."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures.disks import qemu_compare, qemu_img
from tests.unit.disks.test_vmdk_helpers import content_digest_of, content_digest_of_file
from wizard.disks.bytesource import LocalFile
from wizard.disks.convert import ConvertOptions, convert
from wizard.disks.detect import open_image
from wizard.disks.vhd_read import open_vhd
from wizard.disks.vhdx_read import open_vhdx

MiB = 1024 * 1024
GiB = 1024 * MiB
QEMU_IO = shutil.which("qemu-io")
OUTPUTS = [("vhdx", "dynamic"), ("vhdx", "fixed"), ("vhd", "dynamic"), ("vhd", "fixed")]


def layout(size: int) -> list[tuple[int, bytes]]:
    """Data across VMDK grain, VHD (2 MiB) and VHDX (1 MiB) block boundaries, and in the last sector."""
    return [
        (0, os.urandom(4096)),
        (MiB - 700, os.urandom(1400)),
        (2 * MiB - 65536 - 5, b"text " * 30_000),
        (5 * MiB + 12345, os.urandom(70_000)),
        (size - 512, b"\xee" * 512),
    ]


def qemu_io(image: Path, *commands: str) -> None:
    args = [QEMU_IO, "-f", "vmdk"]
    for c in commands:
        args += ["-c", c]
    proc = subprocess.run([*args, str(image)], capture_output=True, text=True)
    assert proc.returncode == 0 and "error" not in proc.stdout.lower(), proc.stdout + proc.stderr


def split_extents(kind: str, raw: Path, tmp: Path) -> Path:
    """A twoGbMaxExtent-style disk with small extents (three pieces), as VMware lays it out."""
    data = raw.read_bytes()
    cuts = [0, 3 * MiB, 7 * MiB + 65536, len(data)]
    lines = []
    for i in range(3):
        piece = data[cuts[i]:cuts[i + 1]]
        name = f"disk-{'s' if kind.endswith('Sparse') else 'f'}{i + 1:03d}.vmdk"
        if kind.endswith("Sparse"):
            part = tmp / f"part{i}.raw"
            part.write_bytes(piece)
            qemu_img("convert", "-f", "raw", "-O", "vmdk", str(part), str(tmp / name))
            part.unlink()
        else:
            (tmp / name).write_bytes(piece)
        lines.append(f'RW {len(piece) // 512} {"SPARSE" if kind.endswith("Sparse") else "FLAT"} "{name}"'
                     + ("" if kind.endswith("Sparse") else " 0"))
    desc = tmp / "disk.vmdk"
    desc.write_text("# Disk DescriptorFile\nversion=1\nCID=12345678\nparentCID=ffffffff\n"
                    f'createType="{kind}"\n\n# Extent description\n' + "\n".join(lines)
                    + '\n\n# The Disk Data Base\nddb.adapterType = "lsilogic"\n')
    return desc


def make_source(kind: str, tmp: Path, make_raw) -> tuple[Path, Path]:
    """(image to convert, a raw file with the same content for comparisons)."""
    size = 2 * GiB + 3 * MiB if kind.endswith("-qemu") else 9 * MiB + 4096
    raw = make_raw(size, layout(size))
    if kind == "raw":
        return raw, raw
    out = tmp / "disk.vmdk"
    if kind in ("twoGbMaxExtentSparse", "twoGbMaxExtentFlat"):
        return split_extents(kind, raw, tmp), raw
    if kind.endswith("-qemu"):
        qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", f"subformat={kind[:-5]}", str(raw), str(out))
        return out, raw
    if kind in ("monolithicSparse", "monolithicFlat", "streamOptimized"):
        qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", f"subformat={kind}", str(raw), str(out))
        return out, raw
    if kind == "vmfs":
        qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicFlat", str(raw), str(out))
        text = out.read_text().replace('createType="monolithicFlat"', 'createType="vmfs"')
        out.write_text(text.replace(" FLAT ", " VMFS ").replace(' 0\n', '\n'))
        assert 'VMFS "disk-flat.vmdk"' in out.read_text()
        return out, raw
    if kind == "chain3":
        base = tmp / "base.vmdk"
        qemu_img("convert", "-f", "raw", "-O", "vmdk", str(raw), str(base))
        mid = tmp / "mid.vmdk"
        qemu_img("create", "-f", "vmdk", "-b", "base.vmdk", "-F", "vmdk", str(mid))
        qemu_io(mid, "write -P 0x55 1M 64k", "write -P 0x66 8M 4k")
        top = tmp / "top.vmdk"
        qemu_img("create", "-f", "vmdk", "-b", "mid.vmdk", "-F", "vmdk", str(top))
        qemu_io(top, "write -P 0x77 1M 4k", "write -z 0 4k")
        flat = tmp / "flat.raw"
        qemu_img("convert", "-O", "raw", str(top), str(flat))
        return top, flat
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["monolithicSparse", "monolithicFlat", "twoGbMaxExtentSparse",
                                  "twoGbMaxExtentFlat", "streamOptimized", "vmfs", "raw", "chain3"])
def test_every_subformat_to_every_output(kind: str, tmp_path: Path, make_raw) -> None:
    if kind == "chain3" and QEMU_IO is None:
        pytest.fail("qemu-io is not installed (it ships in qemu-utils)")
    src, raw = make_source(kind, tmp_path, make_raw)
    want = content_digest_of_file(raw)
    for fmt, disk_type in OUTPUTS:
        dst = tmp_path / f"out-{disk_type}.{fmt}"
        with open_image(src) as img:
            result = convert(img, dst, ConvertOptions(format=fmt, type=disk_type, block_size=MiB))
        assert result.verified and result.content_digest == want, (fmt, disk_type)
        qemu_fmt = "vpc" if fmt == "vhd" else "vhdx"
        if fmt == "vhdx":
            qemu_img("check", str(dst))
        info = qemu_img("info", "-f", qemu_fmt, "--output=json", str(dst)).stdout
        assert f'"virtual-size": {raw.stat().st_size}' in info
        qemu_compare(raw, dst, "raw", qemu_fmt)
        opener = open_vhd if fmt == "vhd" else open_vhdx
        with opener(LocalFile(dst)) as out:
            assert out.info().subformat == disk_type
        dst.unlink()


@pytest.mark.parametrize("kind", ["twoGbMaxExtentSparse-qemu", "twoGbMaxExtentFlat-qemu"])
def test_real_two_gb_extents_from_qemu(kind: str, tmp_path: Path, make_raw) -> None:
    """qemu-img splits at 2 GiB: a 2 GiB + 3 MiB disk has two extents (converted once, checked by qemu)."""
    src, raw = make_source(kind, tmp_path, make_raw)
    assert len(list(tmp_path.glob("disk-*.vmdk"))) == 2
    dst = tmp_path / "out.vhdx"
    with open_image(src) as img:
        convert(img, dst, ConvertOptions(verify=False))
    qemu_img("check", str(dst))
    qemu_compare(raw, dst, "raw", "vhdx")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sectors=st.integers(1, 8 * 2048), sub=st.sampled_from(["monolithicSparse", "streamOptimized"]),
       runs=st.lists(st.tuples(st.integers(0, 8 * MiB), st.integers(1, 150_000)), max_size=5),
       out=st.sampled_from(OUTPUTS), block=st.sampled_from([MiB, 4 * MiB, 32 * MiB]), last=st.booleans())
def test_random_layouts_through_vmdk(tmp_path_factory, sectors: int, sub: str, runs, out, block: int,
                                     last: bool) -> None:
    tmp = tmp_path_factory.mktemp("prop")
    size = sectors * 512
    data = bytearray(size)
    for off, n in runs:
        off %= size
        data[off:off + n] = os.urandom(min(n, size - off))
    if last:
        data[-512:] = b"\x99" * 512
    raw = tmp / "src.raw"
    raw.write_bytes(data)
    src = tmp / "src.vmdk"
    qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", f"subformat={sub}", str(raw), str(src))
    fmt, disk_type = out
    dst = tmp / f"out.{fmt}"
    with open_image(src) as img:
        result = convert(img, dst, ConvertOptions(format=fmt, type=disk_type, block_size=block))
    assert result.content_digest == content_digest_of(data)
    qemu_compare(raw, dst, "raw", "vpc" if fmt == "vhd" else "vhdx")
    shutil.rmtree(tmp)

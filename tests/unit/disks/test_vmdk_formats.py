"""Every VMDK subformat qemu-img writes reads back byte-identical to the raw disk it was made from."""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures.disks import qemu_img
from tests.unit.disks.test_vmdk_helpers import GRAIN, file_sha, image_sha, readinto_sha
from wizard.core.progress import Cancelled, CancelToken
from wizard.disks.detect import open_image, open_stream

MiB = 1024 * 1024

SUBFORMATS = [
    "monolithicSparse",
    "monolithicSparse,zeroed_grain=on",
    "monolithicSparse,compat6,adapter_type=lsilogic",
    "monolithicFlat",
    "twoGbMaxExtentSparse",
    "twoGbMaxExtentFlat",
    "streamOptimized",
    "streamOptimized,adapter_type=lsilogic,hwversion=14",
]

runs_strategy = st.lists(
    st.tuples(st.integers(0, 4 * MiB - 1), st.integers(1, 200_000), st.sampled_from(["random", "text", "zero"])),
    max_size=6,
)


def write_raw(path: Path, size: int, runs: list[tuple[int, int, str]], seed: int = 1) -> None:
    rnd = random.Random(seed)
    with open(path, "wb") as fh:
        fh.truncate(size)
        for off, length, kind in runs:
            length = max(0, min(length, size - off))
            if kind == "random":
                data = rnd.randbytes(length)
            elif kind == "text":
                data = (b"hvmigrate reads vmdk " * (length // 21 + 1))[:length]
            else:
                data = bytes(length)
            fh.seek(off)
            fh.write(data)


@pytest.mark.parametrize("options", SUBFORMATS)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size_sectors=st.integers(1, 4 * MiB // 512), runs=runs_strategy)
def test_content_matches_raw_source(tmp_path: Path, options: str, size_sectors: int, runs) -> None:
    size = size_sectors * 512
    raw = tmp_path / "src.raw"
    out = tmp_path / "disk.vmdk"
    for f in tmp_path.glob("disk*"):
        f.unlink()
    write_raw(raw, size, [r for r in runs if r[0] < size])
    qemu_img("convert", "-O", "vmdk", "-o", f"subformat={options}", str(raw), str(out))
    want = file_sha(raw)
    with open_image(out) as img:
        assert img.virtual_size == size
        assert image_sha(img) == want
        assert readinto_sha(img) == want
        info = img.info()
        assert info.format == "vmdk" and info.subformat == options.split(",")[0]
        assert sum(e.length for e in info.extents) == size


def test_info_reports_what_inspect_shows(make_raw, tmp_path: Path) -> None:
    raw = make_raw(8 * MiB, [(MiB, os.urandom(3 * GRAIN)), (5 * MiB, b"x" * 10)])
    out = tmp_path / "d.vmdk"
    qemu_img("convert", "-O", "vmdk", "-o", "subformat=monolithicSparse,adapter_type=lsilogic", str(raw), str(out))
    with open_image(out) as img:
        info = img.info()
    assert info.virtual_size == 8 * MiB
    assert info.allocated_bytes == 4 * GRAIN
    assert info.file_size == out.stat().st_size
    assert info.details["adapter_type"] == "lsilogic"
    assert info.details["grain_size"] == GRAIN
    assert len(str(info.details["cid"])) == 8
    assert info.parent == ""


def test_sparse_chunks_skip_holes_and_merge_contiguous_grains(make_raw, tmp_path: Path) -> None:
    raw = make_raw(64 * MiB, [(2 * MiB, os.urandom(3 * MiB)), (40 * MiB, os.urandom(GRAIN))])
    out = tmp_path / "d.vmdk"
    qemu_img("convert", "-O", "vmdk", str(raw), str(out))
    with open_image(out) as img:
        chunks = [(off, len(view)) for off, view in img.chunks(32 * MiB)]
        assert list(img.allocated_ranges()) == [(2 * MiB, 3 * MiB), (40 * MiB, GRAIN)]
    assert chunks == [(2 * MiB, 3 * MiB), (40 * MiB, GRAIN)]


def test_twogb_split_extents_span_extent_boundaries(make_raw, tmp_path: Path) -> None:
    size = 4 * 1024 * MiB + MiB
    runs = [(2 * 1024 * MiB - 5000, os.urandom(10_000)), (size - 700, b"end!" * 175)]
    raw = make_raw(size, runs)
    for sub in ("twoGbMaxExtentSparse", "twoGbMaxExtentFlat"):
        out = tmp_path / f"{sub}.vmdk"
        qemu_img("convert", "-O", "vmdk", "-o", f"subformat={sub}", str(raw), str(out))
        with open_image(out) as img:
            info = img.info()
            assert len(info.extents) == 3
            got = {}
            for off, view in img.chunks():
                got[off] = bytes(view)
            buf = bytearray(10_000)
            img.readinto(runs[0][0], memoryview(buf))
            assert bytes(buf) == runs[0][1]
            tail = bytearray(700)
            img.readinto(size - 700, memoryview(tail))
            assert bytes(tail) == runs[1][1]
            assert sum(len(v) for v in got.values()) < 4 * MiB


def test_flat_extent_skips_holes_of_a_sparse_flat_file(make_raw, tmp_path: Path) -> None:
    raw = make_raw(256 * MiB, [(100 * MiB, b"data" * 1024)])
    out = tmp_path / "d.vmdk"
    qemu_img("convert", "-O", "vmdk", "-o", "subformat=monolithicFlat", str(raw), str(out))
    with open_image(out) as img:
        total = sum(len(v) for _o, v in img.chunks())
        assert total < 8 * MiB
        assert img.info().subformat == "monolithicFlat"
        assert image_sha(img, 4 * MiB) == file_sha(raw)


@pytest.mark.parametrize("create_type", ["vmfs", "vmfsThin"])
def test_esxi_vmfs_descriptor_with_flat_extent(make_raw, tmp_path: Path, create_type: str) -> None:
    raw = make_raw(4 * MiB, [(12345, os.urandom(50_000))])
    flat = tmp_path / "web01-flat.vmdk"
    os.link(raw, flat)
    (tmp_path / "web01.vmdk").write_bytes((
        "# Disk DescriptorFile\r\nversion=1\r\nencoding=\"UTF-8\"\r\nCID=fffffffe\r\nparentCID=ffffffff\r\n"
        f"createType=\"{create_type}\"\r\n\r\n# Extent description\r\nRW 8192 VMFS \"web01-flat.vmdk\"\r\n\r\n"
        "# The Disk Data Base\r\n#DDB\r\n\r\nddb.adapterType = \"lsilogic\"\r\nddb.thinProvisioned = \"1\"\r\n"
        "ddb.virtualHWVersion = \"19\"\r\nddb.uuid = \"60 00 C2 9a\"\r\n").encode())
    with open_image(tmp_path / "web01.vmdk") as img:
        assert image_sha(img) == file_sha(raw)
        info = img.info()
    assert info.subformat == create_type
    assert info.extents[0].kind == "VMFS"
    assert info.details["hw_version"] == "19"


def test_zero_extent_and_flat_offset(tmp_path: Path) -> None:
    body = os.urandom(2 * MiB)
    (tmp_path / "data.bin").write_bytes(b"\xee" * 4096 + body)
    (tmp_path / "mixed.vmdk").write_text(
        '# Disk DescriptorFile\nversion=1\nCID=1\nparentCID=ffffffff\ncreateType="custom"\n'
        'RW 2048 ZERO\nRW 4096 FLAT "data.bin" 8\n')
    with open_image(tmp_path / "mixed.vmdk") as img:
        assert img.virtual_size == 3 * MiB
        buf = bytearray(3 * MiB)
        img.readinto(0, memoryview(buf))
    assert buf == bytes(MiB) + body


def test_stream_from_a_pipe_matches_the_seekable_reader(make_raw, tmp_path: Path) -> None:
    raw = make_raw(6 * MiB, [(0, os.urandom(70_000)), (3 * MiB, b"text " * 50_000)])
    out = tmp_path / "s.vmdk"
    qemu_img("convert", "-O", "vmdk", "-o", "subformat=streamOptimized", str(raw), str(out))
    proc = subprocess.Popen(["cat", str(out)], stdout=subprocess.PIPE)
    try:
        img = open_stream(proc.stdout, "s.vmdk")
        assert img.info().details["layout"] == "qemu"
        assert image_sha(img, 512 * 1024) == file_sha(raw)
        img.close()
    finally:
        proc.wait()
    assert proc.returncode == 0


def test_chunks_stop_when_cancelled(make_raw, tmp_path: Path) -> None:
    raw = make_raw(8 * MiB, [(0, os.urandom(4 * MiB))])
    out = tmp_path / "d.vmdk"
    qemu_img("convert", "-O", "vmdk", str(raw), str(out))
    token = CancelToken()
    with open_image(out) as img:
        it = img.chunks(MiB, token)
        next(it)
        token.cancel()
        with pytest.raises(Cancelled):
            next(it)


class _Counting:
    """A datastore-like source (no file descriptor) counting the reads the VMDK reader issues."""

    def __init__(self, path: Path) -> None:
        from wizard.disks.bytesource import LocalFile

        self._f = LocalFile(path)
        self.name, self.size, self.reads = self._f.name, self._f.size, 0

    def pread_into(self, offset: int, buf: memoryview) -> int:
        self.reads += 1
        return self._f.pread_into(offset, buf)

    def close(self) -> None:
        self._f.close()


def test_remote_sparse_disk_is_read_with_few_large_requests(make_raw, tmp_path: Path) -> None:
    runs = [(i * 3 * MiB, os.urandom(MiB)) for i in range(16)]  # 16 MiB of data spread over 48 MiB
    raw = make_raw(48 * MiB, runs)
    out = tmp_path / "d.vmdk"
    qemu_img("convert", "-O", "vmdk", str(raw), str(out))
    src = _Counting(out)
    with open_image(src, lambda name: _Counting(tmp_path / name)) as img:
        opened_with = src.reads
        assert image_sha(img, 4 * MiB) == file_sha(raw)
    assert opened_with <= 6  # header, descriptor, grain directory, all grain tables in one go
    assert src.reads - opened_with <= 20  # one read per stored 1 MiB run

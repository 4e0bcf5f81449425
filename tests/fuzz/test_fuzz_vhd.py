"""Fuzzing the VHDX and VHD readers: any damaged file opens and reads, or fails with DiskFormatError.

Never another exception, never a hang, never a read outside the file. Checksummed structures are
re-checksummed after mutation so the fuzzer reaches the code behind the checksum too.
"""

from __future__ import annotations

import io
import os
import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.budget import EXAMPLES
from wizard.core.errors import DiskFormatError
from wizard.disks import vhd_format as hf
from wizard.disks import vhdx_format as vf
from wizard.disks.vhd_read import open_vhd
from wizard.disks.vhd_write import VhdWriter
from wizard.disks.vhdx_read import open_vhdx
from wizard.disks.vhdx_write import VhdxWriter

MiB = 1024 * 1024


class BytesSource:
    """An in-memory ByteSource."""

    def __init__(self, data: bytes, name: str) -> None:
        self.data, self.name, self.size = data, name, len(data)

    def pread_into(self, offset: int, buf: memoryview) -> int:
        assert offset >= 0
        piece = self.data[offset:offset + len(buf)]
        buf[:len(piece)] = piece
        return len(piece)

    def close(self) -> None:
        pass


def _build(writer_cls, path, size: int, **kw) -> bytes:
    w = writer_cls(path, size, **kw)
    w.write(0, os.urandom(5000))
    w.write(size - 4096, b"\x33" * 4096)
    w.finish()
    with open(path, "rb") as fh:
        return fh.read()


def _read_everything(img) -> None:
    for start, length in img.allocated_ranges():
        buf = bytearray(min(length, 2 * MiB))
        img.readinto(start, memoryview(buf))
    img.info()


_cache: dict[str, bytes] = {}


def vhdx_bytes(tmp_path_factory) -> bytes:
    if "vhdx" not in _cache:
        _cache["vhdx"] = _build(VhdxWriter, tmp_path_factory.mktemp("f") / "f.vhdx", 4 * MiB, block_size=MiB)
    return _cache["vhdx"]


def vhd_bytes(tmp_path_factory, fixed: bool) -> bytes:
    key = f"vhd{fixed}"
    if key not in _cache:
        _cache[key] = _build(VhdWriter, tmp_path_factory.mktemp("f") / "f.vhd", 3 * MiB, fixed=fixed)
    return _cache[key]


mutations = st.lists(st.tuples(st.integers(0, 4 * MiB + 65536), st.binary(min_size=1, max_size=8)),
                     min_size=1, max_size=6)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(muts=mutations, region=st.sampled_from(["any", "header", "region", "metadata", "bat"]),
       fix_crc=st.booleans())
def test_vhdx_reader_survives_mutations(tmp_path_factory, muts, region: str, fix_crc: bool) -> None:
    data = bytearray(vhdx_bytes(tmp_path_factory))
    bases = {"any": 0, "header": vf.HEADER_OFFSETS[0], "region": vf.REGION_OFFSETS[0],
             "metadata": vf.METADATA_OFFSET, "bat": vf.BAT_OFFSET}
    spans = {"any": len(data), "header": 80, "region": 16 + 64, "metadata": 65536 + 64, "bat": 64}
    for off, blob in muts:
        pos = bases[region] + off % spans[region]
        data[pos:pos + len(blob)] = blob
    if fix_crc:
        for off in vf.HEADER_OFFSETS:
            data[off:off + 4096] = vf.with_checksum(bytearray(data[off:off + 4096]))
        for off in vf.REGION_OFFSETS:
            data[off:off + 65536] = vf.with_checksum(bytearray(data[off:off + 65536]))
    try:
        with open_vhdx(BytesSource(bytes(data), "fuzz.vhdx")) as img:
            _read_everything(img)
    except DiskFormatError as exc:
        assert "fuzz.vhdx" in exc.message


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(muts=st.lists(st.tuples(st.integers(0, 4096), st.binary(min_size=1, max_size=8)), min_size=1, max_size=6),
       fixed=st.booleans(), at_end=st.booleans(), fix_sum=st.booleans(), cut=st.integers(0, 3))
def test_vhd_reader_survives_mutations(tmp_path_factory, muts, fixed: bool, at_end: bool, fix_sum: bool,
                                       cut: int) -> None:
    data = bytearray(vhd_bytes(tmp_path_factory, fixed))
    for off, blob in muts:
        pos = (len(data) - 512 + off % 512) if at_end else off % 2048
        data[pos:pos + len(blob)] = blob[:len(data) - pos]
    if fix_sum:
        foot = len(data) - 512
        struct.pack_into(">I", data, foot + 64, hf.one_complement_checksum(data[foot:foot + 512], 64))
        struct.pack_into(">I", data, 64, hf.one_complement_checksum(data[0:512], 64))
        struct.pack_into(">I", data, 512 + 36, hf.one_complement_checksum(data[512:1536], 36))
    if cut:
        data = data[:len(data) - cut * 700_000]
    try:
        with open_vhd(BytesSource(bytes(data), "fuzz.vhd")) as img:
            _read_everything(img)
    except DiskFormatError as exc:
        assert "fuzz.vhd" in exc.message


def test_random_garbage_is_refused() -> None:
    for size in (0, 10, 511, 512, 70_000, 400_000):
        blob = io.BytesIO(os.urandom(size)).getvalue()
        for opener, name in ((open_vhdx, "g.vhdx"), (open_vhd, "g.vhd")):
            try:
                opener(BytesSource(blob, name))
            except DiskFormatError as exc:
                assert name in exc.message
            else:
                raise AssertionError(f"{name} of {size} random bytes was accepted")

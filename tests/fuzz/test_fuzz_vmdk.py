"""Mutated VMDK headers, grain tables, streams and descriptors only ever raise DiskFormatError, and end.

Each example reads everything the image yields; a hostile file must never make the reader produce more
than a bounded amount of data, raise another exception type, or loop.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.budget import EXAMPLES
from tests.unit.disks.test_vmdk_helpers import GRAIN, make_vmware_stream
from wizard.core.errors import DiskFormatError
from wizard.disks.detect import open_image, open_stream

MiB = 1024 * 1024
LIMIT = 64 * MiB  # no fuzzed file here may yield more content than this
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class MemSource:
    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.size, self._data = name, len(data), data

    def pread_into(self, offset: int, buf: memoryview) -> int:
        piece = self._data[offset:offset + len(buf)]
        buf[:len(piece)] = piece
        return len(piece)

    def close(self) -> None:
        pass


def drain(img) -> None:
    total = 0
    for _off, view in img.chunks(4 * MiB):
        total += len(view)
        assert total <= LIMIT, "a small hostile file produced unbounded content"
    if img.virtual_size:
        buf = bytearray(min(img.virtual_size, 3 * GRAIN))
        for off in (0, img.virtual_size // 2, img.virtual_size - len(buf)):
            try:
                img.readinto(off, memoryview(buf))
            except NotImplementedError:
                return
    img.info()


def exercise(files: dict[str, bytes], top: str) -> None:
    def opener(name: str):
        if name not in files:
            raise DiskFormatError("file not found", path=name)
        return MemSource(name, files[name])

    try:
        with open_image(MemSource(top, files[top]), opener) as img:
            drain(img)
    except DiskFormatError:
        pass


def _mutations():
    interesting = st.sampled_from([0, 1, 2, 7, 0x80, 0x200, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF])
    value = st.one_of(interesting, st.integers(0, 2**64 - 1))
    return st.lists(st.tuples(st.integers(0, 2**31), st.sampled_from(["<B", "<I", "<Q"]), value), min_size=1,
                    max_size=6)


def apply(data: bytes, mutations, region: int) -> bytes:
    out = bytearray(data)
    for pos, fmt, val in mutations:
        size = struct.calcsize(fmt)
        at = pos % max(1, min(region, len(out)) - size)
        struct.pack_into(fmt, out, at, val & ((1 << (8 * size)) - 1))
    return bytes(out)


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, bytes]:
    d = tmp_path_factory.mktemp("fuzz")
    raw = d / "src.raw"
    with open(raw, "wb") as fh:
        fh.truncate(2 * MiB)
        fh.write(os.urandom(3 * GRAIN))
        fh.seek(MiB + 1000)
        fh.write(b"text " * 2000)
    out: dict[str, bytes] = {}
    for sub in ("monolithicSparse", "streamOptimized"):
        path = d / f"{sub}.vmdk"
        subprocess.run(["qemu-img", "convert", "-O", "vmdk", "-o", f"subformat={sub},zeroed_grain=on", str(raw),
                        str(path)], check=True, capture_output=True)
        out[sub] = path.read_bytes()
    out["vmware"] = make_vmware_stream(raw.read_bytes())
    return out


@FUZZ
@given(mutations=_mutations(), which=st.sampled_from(["monolithicSparse", "streamOptimized", "vmware"]),
       region=st.sampled_from([512, 16 * 1024, 64 * 1024, 1 << 30]))
def test_mutated_sparse_files(samples: dict[str, bytes], mutations, which: str, region: int) -> None:
    exercise({"d.vmdk": apply(samples[which], mutations, region)}, "d.vmdk")


@FUZZ
@given(mutations=_mutations(), which=st.sampled_from(["streamOptimized", "vmware"]),
       region=st.sampled_from([512, 64 * 1024, 1 << 30]), cut=st.integers(0, 2**20))
def test_mutated_streams(samples: dict[str, bytes], mutations, which: str, region: int, cut: int) -> None:
    data = apply(samples[which], mutations, region)
    data = data[:len(data) - cut % (len(data) // 4)]
    try:
        img = open_stream(io.BytesIO(data), "s.vmdk")
        with img:
            drain(img)
    except DiskFormatError:
        pass


DESCRIPTOR = (
    '# Disk DescriptorFile\r\nversion=1\r\nCID=12345678\r\nparentCID=ffffffff\r\ncreateType="twoGbMaxExtentFlat"\r\n'
    'RW 2048 FLAT "a-f001.vmdk" 0\r\nRW 1024 ZERO\r\nRW 2048 FLAT "a-f002.vmdk" 4\r\n'
    'ddb.adapterType = "lsilogic"\r\n'
)


@FUZZ
@given(text=st.one_of(
    st.text(max_size=600),
    st.binary(max_size=600),
    st.builds(lambda pos, junk: DESCRIPTOR[:pos] + junk + DESCRIPTOR[pos:], st.integers(0, len(DESCRIPTOR)),
              st.text(max_size=40)),
))
def test_mutated_descriptors(text) -> None:
    body = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    files = {"a.vmdk": b"# Disk DescriptorFile\n" + body, "a-f001.vmdk": bytes(MiB),
             "a-f002.vmdk": b"\x01" * (MiB + 2048), "a.vmdk.parent": b""}
    exercise(files, "a.vmdk")


def test_samples_are_valid(samples: dict[str, bytes], tmp_path: Path) -> None:
    for name, data in samples.items():
        exercise({"d.vmdk": data}, "d.vmdk")
        with open_image(MemSource("d.vmdk", data)) as img:
            assert img.info().allocated_bytes > 0, name

"""streamOptimized disks read in one pass from a non-seekable stream, in both layouts, byte-identical."""

from __future__ import annotations

import hashlib
import io
import os
import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures.disks import qemu_img
from tests.unit.disks.test_vmdk_helpers import GRAIN, file_sha, image_sha, make_vmware_stream
from wizard.disks.detect import open_image, open_stream

MiB = 1024 * 1024
layouts = st.lists(st.tuples(st.integers(0, 3 * MiB), st.integers(1, 150_000), st.booleans()), max_size=5)


def build(size: int, runs, seed: int = 7) -> bytes:
    rnd = random.Random(seed)
    data = bytearray(size)
    for off, length, noisy in runs:
        length = max(0, min(length, size - off))
        data[off:off + length] = rnd.randbytes(length) if noisy else b"stream " * (length // 7) + b"s" * (length % 7)
    return bytes(data)


class OneWay(io.RawIOBase):
    """A readable that refuses to seek and hands out data in small, uneven pieces (like a socket)."""

    def __init__(self, data: bytes) -> None:
        self._data, self._pos, self._rnd = data, 0, random.Random(3)

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        n = min(len(buf), self._rnd.randint(1, 300_000), len(self._data) - self._pos)
        buf[:n] = self._data[self._pos:self._pos + n]
        self._pos += n
        return n


@settings(max_examples=25, deadline=None)
@given(sectors=st.integers(1, 3 * MiB // 512), runs=layouts, max_chunk=st.sampled_from([4096, GRAIN, 300_000, MiB]))
def test_vmware_layout_stream(sectors: int, runs, max_chunk: int) -> None:
    body = build(sectors * 512, [r for r in runs if r[0] < sectors * 512])
    want = hashlib.sha256(body).hexdigest()
    with open_stream(OneWay(make_vmware_stream(body)), "vw.vmdk") as img:
        assert img.virtual_size == len(body)
        assert image_sha(img, max_chunk) == want
        assert img.info().details["layout"] == "vmware"


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sectors=st.integers(1, 3 * MiB // 512), runs=layouts)
def test_qemu_layout_stream(tmp_path: Path, sectors: int, runs) -> None:
    raw, out = tmp_path / "src.raw", tmp_path / "s.vmdk"
    raw.write_bytes(build(sectors * 512, [r for r in runs if r[0] < sectors * 512]))
    out.unlink(missing_ok=True)
    qemu_img("convert", "-O", "vmdk", "-o", "subformat=streamOptimized", str(raw), str(out))
    with open_stream(OneWay(out.read_bytes()), "s.vmdk") as img:
        assert img.ordered
        assert image_sha(img, GRAIN) == file_sha(raw)
        assert img.info().allocated_bytes == sum(n for _o, n in img.allocated_ranges())


def test_vmware_layout_read_from_a_file_uses_the_footer(tmp_path: Path) -> None:
    body = build(5 * MiB, [(0, 1000, True), (33 * MiB // 8, MiB, True), (5 * MiB - 512, 512, False)])
    path = tmp_path / "export.vmdk"
    path.write_bytes(make_vmware_stream(body))
    with open_image(path) as img:
        info = img.info()
        assert image_sha(img) == hashlib.sha256(body).hexdigest()
    assert info.subformat == "streamOptimized" and info.details["compressed"] is True
    assert info.details["adapter_type"] == "lsilogic"
    raw = tmp_path / "qemu.raw"
    qemu_img("convert", "-O", "raw", str(path), str(raw))  # qemu agrees about what the generator wrote
    assert file_sha(raw) == hashlib.sha256(body).hexdigest()


def test_stream_can_only_be_read_once() -> None:
    from wizard.core.errors import DiskFormatError

    img = open_stream(io.BytesIO(make_vmware_stream(os.urandom(GRAIN))), "x.vmdk")
    list(img.chunks())
    try:
        list(img.chunks())
    except DiskFormatError as exc:
        assert "already read" in exc.message
    else:
        raise AssertionError("a second pass over a stream must be refused")

"""Converting into a destination stream (the in-place write the Hyper-V share uses), with an in-memory stream:
same bytes as a local conversion, verify still catches damage, cancel aborts, and the runner falls back."""

from __future__ import annotations

import hashlib

import pytest

from wizard.core.errors import Cancelled, VerificationError
from wizard.core.progress import CancelToken
from wizard.disks.convert import ConvertOptions, convert, open_output
from wizard.disks.detect import open_image
from wizard.disks.output import StreamUnavailable
from wizard.migrate.item import _convert_disk
from wizard.targets.base import DiskDestination

MiB = 1024 * 1024


class MemoryFile:
    """A RandomWriter and ByteSource over one bytearray."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.synced = self.closed = False
        self.name = "mem"

    @property
    def size(self) -> int:
        return len(self.data)

    def pwritev(self, iov, offset):
        blob = b"".join(bytes(v) for v in iov)
        if len(self.data) < offset + len(blob):
            self.data.extend(bytes(offset + len(blob) - len(self.data)))
        self.data[offset:offset + len(blob)] = blob

    def truncate(self, size):
        del self.data[size:]
        self.data.extend(bytes(size - len(self.data)))

    def sync(self):
        self.synced = True

    def close(self):
        self.closed = True

    def pread_into(self, offset, buf):
        chunk = self.data[offset:offset + len(buf)]
        buf[:len(chunk)] = chunk
        return len(chunk)


class MemoryStream:
    def __init__(self, damage: bool = False, unavailable: bool = False) -> None:
        self.name = "\\\\host\\share\\vm\\disk.vhdx"
        self.file = MemoryFile()
        self.damage, self.unavailable = damage, unavailable
        self.committed = self.aborted = False
        self.stored = None
        self.verified = True  # the converter sets it (DiskStream protocol)

    def open(self, cancel=None):
        if self.unavailable:
            raise StreamUnavailable("no positional writes here")
        return self.file

    def reader(self):
        if self.damage:  # what the server stored differs from what was sent
            self.file.data[-1] ^= 0xFF
        return self.file

    def commit(self, cancel=None):
        self.committed = True
        self.stored = (len(self.file.data), hashlib.sha256(self.file.data).hexdigest())

    def abort(self):
        self.aborted = True


@pytest.fixture
def source(make_raw):
    runs = [(0, b"boot" * 5000), (2 * MiB + 512, b"\x01" * MiB), (6 * MiB - 4096, b"end!" * 1024)]
    return str(make_raw(6 * MiB, runs))


def _options(**kw):
    return ConvertOptions(format="vhdx", verify=True, overwrite=True, guest_family="linux", **kw)


def test_stream_gets_the_same_disk_as_a_local_conversion(source, tmp_path):
    stream = MemoryStream()
    with open_image(source) as img:
        streamed = convert(img, stream.name, _options(), output=stream)
    with open_image(source) as img:
        local = convert(img, tmp_path / "local.vhdx", _options())
    assert stream.committed and stream.file.synced and stream.file.closed and not stream.aborted
    assert streamed.verified and streamed.content_digest == local.content_digest and streamed.destination == stream.name
    copy = tmp_path / "streamed.vhdx"
    copy.write_bytes(stream.file.data)
    with open_output(str(copy), "vhdx") as a, open_output(str(tmp_path / "local.vhdx"), "vhdx") as b:
        size = a.virtual_size
        assert size == b.virtual_size
        ba, bb = memoryview(bytearray(size)), memoryview(bytearray(size))
        a.readinto(0, ba)
        b.readinto(0, bb)
        assert ba == bb


def test_damage_at_the_destination_is_caught_and_nothing_is_committed(source):
    stream = MemoryStream(damage=True)
    with open_image(source) as img, pytest.raises(VerificationError):
        convert(img, stream.name, _options(), output=stream)
    assert stream.aborted and not stream.committed


def test_cancel_aborts_the_stream(source):
    stream = MemoryStream()
    token = CancelToken()

    def sink(event):
        if event.stage == "convert" and event.done:
            token.cancel()

    with open_image(source) as img, pytest.raises(Cancelled):
        convert(img, stream.name, _options(max_chunk=MiB), sink, token, output=stream)
    assert stream.aborted and not stream.committed


def test_runner_falls_back_to_the_local_file_when_the_stream_is_unavailable(source, tmp_path):
    dest = DiskDestination(path=tmp_path / "disk.vhdx", final="\\\\host\\share\\disk.vhdx",
                           stream=MemoryStream(unavailable=True))
    with open_image(source) as img:
        result = _convert_disk(convert, True, img, dest, _options(), None, CancelToken())
    assert dest.stream is None and dest.path.exists() and result.destination == str(dest.path)


def test_runner_does_not_stream_through_a_custom_converter(source, tmp_path):
    stream = MemoryStream()
    dest = DiskDestination(path=tmp_path / "disk.vhdx", final="\\\\host\\share\\disk.vhdx", stream=stream)
    calls = []

    def custom(image, path, options, sink, cancel):
        calls.append(path)
        return convert(image, path, options, sink, cancel)

    with open_image(source) as img:
        _convert_disk(custom, False, img, dest, _options(), None, CancelToken())
    assert calls == [dest.path] and dest.stream is None and not stream.committed


def test_vhd_is_not_streamed(source):
    stream = MemoryStream()
    with open_image(source) as img, pytest.raises(StreamUnavailable):
        convert(img, stream.name, ConvertOptions(format="vhd"), output=stream)
    assert not stream.file.data

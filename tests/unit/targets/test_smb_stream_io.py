"""The SMB stream's writer and read-back against an in-memory stand-in for an smbprotocol open file: pipelined
writes land where they belong, the read-back hashes the whole file once whatever the read pattern."""

from __future__ import annotations

import hashlib
import os
from types import SimpleNamespace

import pytest

from wizard.core.errors import ConnectError, TargetError
from wizard.targets.hyperv.smb_io import SmbFileWriter, SmbReadBack

MiB = 1024 * 1024


class FakeConnection:
    def __init__(self, credits: int = 10_000) -> None:
        self.sequence_window = {"low": 0, "high": credits}
        self.max_read_size = self.max_write_size = 8 * MiB
        self.sent = []

    def send(self, msg, sid=None, tid=None, credit_request=None):
        self.sent.append(msg)
        return msg


class FakeOpen:
    """Positional reads and writes on a bytearray, in smbprotocol's send=False style."""

    def __init__(self, data: bytearray, short: bool = False, fail_after: int = -1, fail_reads_after: int = -1) -> None:
        self.data, self.short, self.fail_after, self.fail_reads_after = data, short, fail_after, fail_reads_after
        self.connection = FakeConnection()
        self.tree_connect = SimpleNamespace(session=SimpleNamespace(session_id=1), tree_connect_id=2)
        self.flushed = False

    def write(self, data, offset=0, send=True):
        def recv(req):
            if self.fail_after == 0:
                raise ConnectionResetError("peer went away")
            self.fail_after -= 1
            off, blob = req
            end = off + len(blob)
            if len(self.data) < end:
                self.data.extend(bytes(end - len(self.data)))
            self.data[off:end] = blob
            return len(blob) - (1 if self.short else 0)

        return (offset, bytes(data)), recv

    def read(self, offset, length, send=True):
        if send:
            return bytes(self.data[offset:offset + length])
        def recv(req):
            if self.fail_reads_after == 0:
                raise ConnectionResetError("peer went away")
            self.fail_reads_after -= 1
            return bytes(self.data[req[0]:req[0] + req[1]])

        return (offset, length), recv

    def flush(self):
        self.flushed = True


class FakeRaw:
    def __init__(self, fd: FakeOpen) -> None:
        self.fd, self.closed = fd, False

    def truncate(self, size):
        del self.fd.data[size:]
        self.fd.data.extend(bytes(size - len(self.fd.data)))

    def close(self):
        self.closed = True


def test_writer_puts_every_run_in_place_and_flushes():
    store = bytearray()
    writer = SmbFileWriter(FakeRaw(FakeOpen(store)), "f.partial", chunk=MiB, depth=2)
    a, b, c = os.urandom(3 * MiB + 5), os.urandom(100), os.urandom(2 * MiB)
    writer.pwritev([memoryview(a)[:MiB], memoryview(a)[MiB:]], 4096)  # one run in two pieces
    writer.pwritev([b], 4096 + len(a))  # contiguous: gathered with the next
    writer.pwritev([c], 10 * MiB)  # after a hole
    writer.truncate(13 * MiB)
    writer.pwritev([b"HEAD"], 0)  # metadata last, at the start
    writer.sync()
    writer.close()
    expect = bytearray(13 * MiB)
    expect[4096:4096 + len(a)] = a
    expect[4096 + len(a):4096 + len(a) + 100] = b
    expect[10 * MiB:12 * MiB] = c
    expect[0:4] = b"HEAD"
    assert store == expect and writer.size == 13 * MiB
    assert all(len(m[1]) <= MiB for m in writer._pipe.conn.sent), "no request above the chunk size"


def test_writer_reports_a_short_write():
    writer = SmbFileWriter(FakeRaw(FakeOpen(bytearray(), short=True)), "f.partial", chunk=MiB)
    writer.pwritev([os.urandom(2 * MiB)], 0)
    with pytest.raises(TargetError, match="stored"):
        writer.sync()


def test_writer_turns_a_dropped_connection_into_a_typed_error():
    writer = SmbFileWriter(FakeRaw(FakeOpen(bytearray(), fail_after=1)), "disk.vhdx.partial", chunk=MiB, depth=2)
    with pytest.raises(ConnectError, match="disk.vhdx.partial"):
        for i in range(8):
            writer.pwritev([os.urandom(MiB)], i * MiB)
        writer.sync()
    with pytest.raises(TargetError):
        writer.pwritev([b"x"], 0)  # nothing more goes out after a failure


def test_readback_hashes_the_whole_file_once_whatever_is_read():
    data = bytearray(os.urandom(40 * MiB + 123))
    rb = SmbReadBack(FakeRaw(FakeOpen(data)), "f", len(data), chunk=4 * MiB, depth=2, keep=8 * MiB)
    buf = memoryview(bytearray(MiB))
    for off in (0, 65536, 3 * MiB):  # metadata at the front
        assert rb.pread_into(off, buf[:4096]) == 4096 and bytes(buf[:4096]) == data[off:off + 4096]
    assert rb.pread_into(20 * MiB, buf) == MiB and bytes(buf) == data[20 * MiB:21 * MiB]
    assert rb.pread_into(12 * MiB, buf) == MiB and bytes(buf) == data[12 * MiB:13 * MiB]  # behind: read again
    assert rb.extra_reads == MiB
    assert rb.pread_into(len(data) - 100, buf) == 100 and bytes(buf[:100]) == data[-100:]
    assert rb.finish() == hashlib.sha256(data).hexdigest()


def test_writer_reconnects_and_sends_again_what_had_no_reply():
    store = bytearray()
    reopened = []

    def reopen():
        reopened.append(1)
        return FakeRaw(FakeOpen(store))  # the same file, over a new connection

    writer = SmbFileWriter(FakeRaw(FakeOpen(store, fail_after=2)), "disk.vhdx.partial", chunk=MiB, depth=3,
                           reopen=reopen, retries=2, backoff=0)
    data = [os.urandom(MiB) for _ in range(8)]
    for i, block in enumerate(data):
        writer.pwritev([block], i * 2 * MiB)  # holes between: one request each
    writer.sync()
    assert reopened == [1] and writer.reconnects == 1
    for i, block in enumerate(data):
        assert store[i * 2 * MiB:i * 2 * MiB + MiB] == block, f"block {i} is where it belongs"


def test_writer_gives_up_after_its_retries_with_a_typed_error():
    def reopen():
        return FakeRaw(FakeOpen(bytearray(), fail_after=0))  # every new connection drops at once too

    writer = SmbFileWriter(FakeRaw(FakeOpen(bytearray(), fail_after=0)), "disk.vhdx.partial", chunk=MiB,
                           reopen=reopen, retries=3, backoff=0)
    with pytest.raises(ConnectError, match="disk.vhdx.partial"):
        writer.pwritev([os.urandom(2 * MiB)], 0)
        writer.sync()
    assert writer.reconnects == 3


def test_readback_reconnects_and_still_hashes_every_byte_once():
    data = bytearray(os.urandom(30 * MiB + 7))
    rb = SmbReadBack(FakeRaw(FakeOpen(data, fail_reads_after=3)), "f", len(data), chunk=4 * MiB, depth=2,
                     keep=4 * MiB, reopen=lambda: FakeRaw(FakeOpen(data)), retries=2, backoff=0)
    buf = memoryview(bytearray(MiB))
    assert rb.pread_into(0, buf[:4096]) == 4096 and bytes(buf[:4096]) == data[:4096]
    assert rb.pread_into(25 * MiB, buf) == MiB and bytes(buf) == data[25 * MiB:26 * MiB]
    assert rb.finish() == hashlib.sha256(data).hexdigest() and rb.reconnects == 1


def test_a_connection_lost_while_closing_a_flushed_file_costs_nothing():
    store = bytearray()
    raw = FakeRaw(FakeOpen(store))

    def close():
        raise ConnectionResetError("peer went away")

    raw.close = close
    writer = SmbFileWriter(raw, "disk.vhdx.partial", chunk=MiB, reopen=lambda: FakeRaw(FakeOpen(store)), backoff=0)
    writer.pwritev([b"x" * MiB], 0)
    writer.sync()
    writer.close()  # every write was answered and flushed: nothing to redo
    assert store == b"x" * MiB


def test_requests_never_exceed_what_the_server_takes():
    store = bytearray()
    fd = FakeOpen(store)
    fd.connection.max_write_size = 65536  # e.g. Samba with "smb2 max write = 65536"
    writer = SmbFileWriter(FakeRaw(fd), "f.partial", chunk=4 * MiB)
    data = os.urandom(MiB)
    writer.pwritev([data], 0)
    writer.sync()
    assert store == data and max(len(m[1]) for m in fd.connection.sent) <= 65536


def test_a_rejected_password_on_reconnect_is_an_auth_error():
    from smbprotocol.exceptions import SMBAuthenticationError

    from wizard.core.errors import AuthError
    from wizard.targets.hyperv.smb_io import smb_error

    assert isinstance(smb_error("\\\\h\\s\\d.vhdx", "writing", SMBAuthenticationError("bad")), AuthError)

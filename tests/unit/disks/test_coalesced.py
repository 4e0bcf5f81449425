"""Coalesced reads: a sparse VMDK's grain runs cost one request per window, and every read returns the same bytes."""

from __future__ import annotations

import random

from wizard.disks.bytesource import Coalesced

MiB = 1024 * 1024


class CountingSource:
    """An in-memory ByteSource that counts the requests it serves (each would be one HTTPS Range request)."""

    def __init__(self, data: bytes) -> None:
        self.data, self.name, self.size = data, "[ds] vm/disk.vmdk", len(data)
        self.requests = 0
        self.closed = False

    def pread_into(self, offset: int, buf: memoryview) -> int:
        self.requests += 1
        chunk = self.data[offset:offset + len(buf)]
        buf[:len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self.closed = True


def test_back_to_back_runs_cost_one_request_per_window() -> None:
    data = random.Random(0).randbytes(40 * MiB)
    inner = CountingSource(data)
    src = Coalesced(inner, window=8 * MiB)
    pos, runs = 4096, 0
    while pos < len(data):
        n = min(len(data) - pos, random.Random(pos).choice([64 * 1024, 192 * 1024, MiB]))
        buf = memoryview(bytearray(n))
        assert src.pread_into(pos, buf) == n
        assert buf == data[pos:pos + n]
        pos += n
        runs += 1
    # the window grows from twice the first read to 8 MiB: a handful of small requests, then one per 8 MiB
    assert runs > 60 and inner.requests <= 14, (runs, inner.requests)


def test_runs_that_only_touch_in_pairs_fetch_little_more_than_they_use() -> None:
    inner = CountingSource(bytes(64 * MiB))
    fetched = []
    real = inner.pread_into
    inner.pread_into = lambda pos, buf: fetched.append(real(pos, buf)) or fetched[-1]
    src = Coalesced(inner, window=8 * MiB)
    used = 0
    for pos in range(0, 60 * MiB, MiB):  # two adjacent 64 KiB grains, then a jump
        for grain in (pos, pos + 65536):
            used += src.pread_into(grain, memoryview(bytearray(65536)))
    assert sum(fetched) <= 2 * used, (sum(fetched), used)


def test_any_read_pattern_returns_what_the_source_holds() -> None:
    rng = random.Random(1)
    data = rng.randbytes(6 * MiB + 333)
    src = Coalesced(CountingSource(data), window=MiB)
    pos = 0
    for _ in range(400):
        pos = rng.choice([pos, rng.randrange(0, len(data) + 10)])  # mostly sequential, sometimes a jump
        n = rng.choice([1, 512, 4096, 300_000, 2 * MiB])
        buf = memoryview(bytearray(n))
        got = src.pread_into(pos, buf)
        want = data[pos:pos + n]
        assert got == len(want) and buf[:got] == want, (pos, n)
        pos += got


def test_large_and_random_reads_go_straight_through_and_close_closes_the_source() -> None:
    inner = CountingSource(bytes(32 * MiB))
    with Coalesced(inner, window=8 * MiB) as src:
        for pos in (0, 8 * MiB, 16 * MiB):  # whole chunks: no window, no extra copy
            src.pread_into(pos, memoryview(bytearray(8 * MiB)))
        src.pread_into(3 * MiB, memoryview(bytearray(512)))  # a jump (grain table): only what was asked
        assert len(src._win) == 0, "no window buffer until sequential small reads need one"
    assert inner.requests == 4 and inner.closed

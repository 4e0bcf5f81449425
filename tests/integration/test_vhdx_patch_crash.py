"""A crash while patching a VHDX in place, at every step: the file stays one that qemu-img checks clean and our
reader opens, each interrupted write reads as old or new (a new block as a whole), and doing the writes again
gives the intended disk.

The crash is modelled on a disk cache: a file object that fails at its n-th operation and loses any part of
what was written since the last sync (each write whole, not at all, or torn at 512-byte sectors), as power
loss may; "killed" keeps everything written (kill -9: the page cache survives)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_compare, qemu_img, scattered_vmdk
from wizard.disks.convert import ConvertOptions, convert
from wizard.disks.detect import open_image
from wizard.disks.randomfile import LocalRandomFile
from wizard.disks.vhdx_patch import VhdxPatch

MiB = 1024 * 1024
KiB = 1024
SIZE = 16 * MiB
BLOCK = 2 * MiB
METADATA_END = 4 * MiB  # our writer's headers, log, metadata and BAT (one MiB for this small disk)


class Crash(Exception):
    pass


class VolatileFile:
    """A RandomAccessFile whose writes reach ``durable`` only at ``sync()``; it raises :class:`Crash` at its
    ``crash_at``-th write, truncate or sync. ``live`` is what the process sees meanwhile (the page cache)."""

    def __init__(self, live: Path, durable: Path, crash_at: int | None) -> None:
        self.live, self.durable = LocalRandomFile(live), LocalRandomFile(durable)
        self.name = str(live)
        self.crash_at = crash_at
        self.ops = 0
        self.pending: list[tuple] = []

    @property
    def size(self) -> int:
        return self.live.size

    def _op(self) -> None:
        if self.ops == self.crash_at:
            raise Crash
        self.ops += 1

    def pread_into(self, offset: int, buf: memoryview) -> int:
        return self.live.pread_into(offset, buf)

    def pwritev(self, iov: list, offset: int) -> None:
        self._op()
        data = b"".join(bytes(v) for v in iov)
        self.live.pwritev([data], offset)
        self.pending.append(("write", offset, data))

    def truncate(self, size: int) -> None:
        self._op()
        self.live.truncate(size)
        self.pending.append(("truncate", size))

    def sync(self) -> None:
        self._op()
        for op in self.pending:
            self._apply(op)
        self.pending.clear()

    def _apply(self, op: tuple) -> None:
        if op[0] == "write":
            self.durable.pwritev([op[2]], op[1])
        else:
            self.durable.truncate(op[1])

    def lose(self, mode: str, rng: random.Random) -> None:
        """The crash: what was not synced reaches the disk entirely ("killed"), only the writes to the file's
        first ``METADATA_END`` bytes ("metadata-only": headers and BAT in, data and size changes lost), or
        any part of it ("power-loss")."""
        for op in self.pending:
            if mode == "killed":
                self._apply(op)
            elif mode == "metadata-only":
                if op[0] == "write" and op[1] < METADATA_END:
                    self._apply(op)
            elif op[0] == "truncate" or rng.random() < 0.3:
                if rng.random() < 0.5:
                    self._apply(op)
            else:  # a write torn at sector granularity
                _, offset, data = op
                for s in range(0, len(data), 512):
                    if rng.random() < 0.5:
                        self.durable.pwritev([data[s:s + 512]], offset + s)
        self.pending.clear()

    def close(self) -> None:
        self.live.close()
        self.durable.close()


class UnsyncedFile(LocalRandomFile):
    """A local file whose sync() only counts (fsync would dominate the time of this test, not what it checks)."""

    syncs = 0

    def sync(self) -> None:
        self.syncs += 1


def read_virtual(path: Path) -> bytes:
    with open_image(path) as img:
        buf = bytearray(img.virtual_size)
        img.readinto(0, memoryview(buf))
        return bytes(buf)


def writes_for(old_allocated: list[bool]) -> list[tuple[int, bytes]]:
    """Non-overlapping writes: into allocated blocks, into empty ones (partly), one across a block boundary."""
    rng = random.Random(7)
    full = [b for b, a in enumerate(old_allocated) if a]
    empty = [b for b, a in enumerate(old_allocated) if not a]
    assert len(full) >= 2 and len(empty) >= 3
    return [
        (full[0] * BLOCK + 64 * KiB, rng.randbytes(128 * KiB)),
        (empty[0] * BLOCK + 4 * KiB, rng.randbytes(64 * KiB)),
        (full[1] * BLOCK + BLOCK - 8 * KiB, rng.randbytes(16 * KiB)),  # into the next block, whatever it is
        (empty[2] * BLOCK, rng.randbytes(BLOCK)),
        (empty[1] * BLOCK + 300 * KiB, rng.randbytes(4 * KiB)),
    ]


def session(file, writes) -> None:
    patch = VhdxPatch(file)
    for off, data in writes:
        patch.write(off, data)
    patch.flush()


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[Path, Path, list[bool]]:
    folder = tmp_path_factory.mktemp("crash")
    raw, vmdk = scattered_vmdk(folder, SIZE, seed=11, stride=5 * MiB)
    vhdx = folder / "base.vhdx"
    convert(open_image(vmdk), vhdx, ConvertOptions(block_size=BLOCK))
    with open(vhdx, "ab") as fh:  # an earlier crash left a tail no BAT entry points at; it is not zeros
        fh.write(b"\xee" * 3 * MiB)
    with VhdxPatch.open_local(vhdx) as patch:
        allocated = [bool(o) for o in patch._offsets]
    return raw, vhdx, allocated


def test_a_crash_at_any_step_leaves_a_consistent_disk_holding_old_or_new(base, tmp_path: Path) -> None:
    raw, vhdx, allocated = base
    writes = writes_for(allocated)
    old = raw.read_bytes()
    new = bytearray(old)
    for off, data in writes:
        new[off:off + len(data)] = data
    new = bytes(new)
    new_raw = tmp_path / "new.raw"
    new_raw.write_bytes(new)
    # a dry run: how many operations a session takes, and the size it leaves
    live, durable = tmp_path / "live.vhdx", tmp_path / "durable.vhdx"
    shutil.copyfile(vhdx, live)
    shutil.copyfile(vhdx, durable)
    f = VolatileFile(live, durable, None)
    session(f, writes)
    f.close()
    steps, final_size = f.ops, durable.stat().st_size
    assert read_virtual(durable) == new
    assert steps >= 8  # headers, data, file growth, the BAT and the syncs between them

    written = sorted((off, off + len(data)) for off, data in writes)
    modes = [("killed", 0), ("metadata-only", 0), ("power-loss", 1)]
    for crash_at in range(steps):
        for mode, seed in modes:
            shutil.copyfile(vhdx, live)
            shutil.copyfile(vhdx, durable)
            f = VolatileFile(live, durable, crash_at)
            with pytest.raises(Crash):
                session(f, writes)
            f.lose(mode, random.Random(seed * 1000 + crash_at))
            f.close()
            where = f"crash at step {crash_at} ({mode} {seed})"
            qemu_img("check", str(durable))
            got = read_virtual(durable)
            for b, was in enumerate(allocated):
                lo, hi = b * BLOCK, (b + 1) * BLOCK
                if not was:  # a new block appears whole or not at all
                    assert got[lo:hi] in (old[lo:hi], new[lo:hi]), f"{where}: block {b} is half there"
            pos = 0
            for a, e in written + [(SIZE, SIZE)]:
                assert got[pos:a] == old[pos:a], f"{where}: bytes {pos}..{a} were never written but changed"
                if got[a:e] not in (old[a:e], new[a:e]):  # torn: then sector by sector
                    for s in range(a, e, 512):
                        assert got[s:s + 512] in (old[s:s + 512], new[s:s + 512]), f"{where}: sector {s}"
                pos = e
            # the sync redoes the interrupted delta: the result is the intended disk, and no space is lost
            redo = UnsyncedFile(durable)
            with VhdxPatch(redo) as patch:
                for off, data in writes:
                    patch.write(off, data)
            redo.close()
            assert read_virtual(durable) == new, where
            assert durable.stat().st_size <= final_size, f"{where}: space a crash left behind was not reused"
    qemu_img("check", str(durable))
    qemu_compare(new_raw, durable, "raw", "vhdx")

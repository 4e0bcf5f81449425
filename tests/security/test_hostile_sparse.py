"""A tiny sparse VMDK cannot make hvmigrate allocate what its header claims.

The files are built here with ``struct`` (the header layout of :mod:`wizard.disks.vmdk_sparse_format`): a
grain directory whose entries all say "zeroed table", or all point at one grain table, used to cost a whole
table in memory each (a 2 MB file reached 1.1 GB RSS); an 8 MB file claiming 512 GiB used to need 5 GB.
``inspect`` and ``convert`` run in a child process limited to 1 GiB of address space and must end quickly
with success or one error line, never ``MemoryError`` or a traceback.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.core.errors import DiskFormatError
from wizard.disks.detect import open_image, open_stream
from wizard.disks.vmdk_sparse_format import FLAG_COMPRESSED, FLAG_NEWLINE_TEST, FLAG_ZEROED_GTE, HEADER, MAGIC, SECTOR

ROOT = Path(__file__).resolve().parents[2]
PRLIMIT = shutil.which("prlimit")
LIMIT = 1024 * 1024 * 1024  # address space of the child, bytes
DESC_SECTORS = 2
GD_SECTOR = 1 + DESC_SECTORS


def sparse_vmdk(path: Path, *, capacity: int, grain: int, gtes: int, gd: list[int], tables: bytes = b"",
                flags: int = FLAG_NEWLINE_TEST) -> Path:
    """A monolithicSparse file: header, embedded descriptor, the grain directory ``gd`` at sector 3, then
    ``tables`` (sector :func:`tables_sector`)."""
    desc = (f'# Disk DescriptorFile\nversion=1\nCID=12345678\nparentCID=ffffffff\ncreateType="monolithicSparse"\n'
            f'RW {capacity} SPARSE "{path.name}"\n').encode()
    header = HEADER.pack(MAGIC, 1, flags, capacity, grain, 1, DESC_SECTORS, gtes, 0, GD_SECTOR, 0, 0, b"\n \r\n", 0)
    directory = struct.pack(f"<{len(gd)}I", *gd)
    with open(path, "wb") as fh:
        fh.write(header.ljust(SECTOR, b"\0"))
        fh.write(desc.ljust(DESC_SECTORS * SECTOR, b"\0"))
        fh.write(directory.ljust(-(-len(directory) // SECTOR) * SECTOR, b"\0"))
        fh.write(tables)
    return path


def tables_sector(entries: int) -> int:
    return GD_SECTOR + -(-entries * 4 // SECTOR)


def zeroed_tables(path: Path) -> Path:
    """2 MB: 524288 directory entries, each "this table is zeroed" (16 TiB claimed)."""
    n = 512 * 1024
    return sparse_vmdk(path, capacity=n * 512 * 128, grain=128, gtes=512, gd=[1] * n,
                       flags=FLAG_NEWLINE_TEST | FLAG_ZEROED_GTE)


def one_table(path: Path) -> Path:
    """2 MB: 524288 directory entries all pointing at one all-zero table."""
    n = 512 * 1024
    return sparse_vmdk(path, capacity=n * 512 * 128, grain=128, gtes=512, gd=[tables_sector(n)] * n,
                       tables=bytes(2048))


def claims_512_gib(path: Path) -> Path:
    """8 MB claiming 512 GiB: 512-byte grains, 2 Mi directory entries, all pointing at one table."""
    n = 2 * 1024 * 1024
    return sparse_vmdk(path, capacity=n * 512, grain=1, gtes=512, gd=[tables_sector(n)] * n, tables=bytes(2048))


def tiny_tables(path: Path) -> Path:
    """4 MB: one-entry tables, 1 Mi directory entries aliasing one (few enough tables for the file to hold)."""
    n = 1024 * 1024
    return sparse_vmdk(path, capacity=n * 128, grain=128, gtes=1, gd=[tables_sector(n)] * n,
                       tables=bytes(SECTOR + 4 * n))


HOSTILE = [zeroed_tables, one_table, claims_512_gib, tiny_tables]


def run_limited(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [PRLIMIT or "prlimit", f"--as={LIMIT}", sys.executable, "-m", "wizard", *args]
    try:
        return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"hvmigrate {' '.join(args)} still ran after {timeout} s")


@pytest.mark.skipif(PRLIMIT is None or sys.platform != "linux", reason="needs prlimit (util-linux)")
@pytest.mark.parametrize("make", HOSTILE, ids=lambda f: f.__name__)
@pytest.mark.parametrize("command", ["inspect", "convert"])
def test_hostile_sparse_vmdk_stays_within_1_gib(tmp_path: Path, make, command: str) -> None:
    disk = make(tmp_path / "x.vmdk")
    args = [command, str(disk)] + (["out.vhdx"] if command == "convert" else [])
    proc = run_limited(*args, cwd=tmp_path)
    assert proc.returncode in (0, 2), proc.stderr
    assert "MemoryError" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


@pytest.mark.parametrize("make", [one_table, claims_512_gib], ids=lambda f: f.__name__)
def test_more_tables_than_the_file_holds_is_refused_naming_the_directory(tmp_path: Path, make) -> None:
    with pytest.raises(DiskFormatError, match="grain tables of 2048 bytes, more than") as err:
        open_image(make(tmp_path / "x.vmdk"))
    assert err.value.offset == GD_SECTOR * SECTOR


def test_zeroed_tables_read_as_zeros_without_a_table_each(tmp_path: Path) -> None:
    with open_image(zeroed_tables(tmp_path / "x.vmdk")) as img:
        assert list(img.allocated_ranges()) == []
        buf = bytearray(b"\xff" * 65536)
        img.readinto(img.virtual_size - 65536, memoryview(buf))
        assert buf == bytes(65536)


def test_tables_shared_by_several_entries_are_read_once_each_way(tmp_path: Path) -> None:
    """Aliased tables that the file can hold are legal-looking: one cached table serves every entry."""
    with open_image(tiny_tables(tmp_path / "x.vmdk")) as img:
        assert list(img.allocated_ranges()) == []
        ext = img._extents[0]
        assert len(ext._tables) == 1


def test_stream_whose_directory_names_one_table_over_and_over_is_refused(tmp_path: Path) -> None:
    """The one-pass reader (compressed disks of an OVF) keeps its tables in memory: an entry naming the same
    table again would be another copy of it, so more tables than the metadata area holds are refused."""
    n = 64 * 1024
    path = sparse_vmdk(tmp_path / "s.vmdk", capacity=n * 512 * 128, grain=128, gtes=512,
                       gd=[tables_sector(n)] * n, tables=bytes(2048) + bytes(SECTOR))
    data = bytearray(path.read_bytes())
    flags, overhead = FLAG_NEWLINE_TEST | FLAG_COMPRESSED, tables_sector(n) + 4
    data[8:12] = struct.pack("<I", flags)
    data[64:72] = struct.pack("<Q", overhead)
    data[77:79] = struct.pack("<H", 1)
    with pytest.raises(DiskFormatError, match="more than the .*metadata area holds"):
        open_stream(io.BytesIO(bytes(data)), "s.vmdk")

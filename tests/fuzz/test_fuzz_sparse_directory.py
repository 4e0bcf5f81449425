"""Fuzzed grain directories and grain tables of hosted sparse VMDKs (monolithicSparse): only DiskFormatError, a
bounded amount of content, and memory bounded by the file's size — whatever the directory claims.

The examples are built with the header layout of :mod:`wizard.disks.vmdk_sparse_format`: a directory whose
entries are drawn from the values that hurt (0, 1 = "zeroed table", the same table over and over, tables past
the end of the file, the directory itself, the header, 0xFFFFFFFF), tables whose entries do the same, and
header fields (capacity, grain size, entries per table, directory offset) that disagree with the file.
The budget is :data:`tests.fuzz.budget.EXAMPLES` (``HVM_FUZZ_EXAMPLES``; 150 in ``make test``, see the README).
"""

from __future__ import annotations

import struct
import tracemalloc

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.budget import EXAMPLES
from tests.fuzz.test_fuzz_vmdk import MemSource, drain
from wizard.core.errors import DiskFormatError
from wizard.disks.detect import open_image
from wizard.disks.vmdk_sparse_format import FLAG_NEWLINE_TEST, FLAG_ZEROED_GTE, HEADER, MAGIC, SECTOR

FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
MiB = 1024 * 1024
MEMORY = 24 * MiB  # Python allocations allowed while opening and reading one example (files here are < 1 MiB)
DESC_SECTORS = 2
GD_SECTOR = 1 + DESC_SECTORS


def _file(capacity: int, grain: int, gtes: int, gd_sector: int, directory: list[int], tables: list[int],
          flags: int) -> bytes:
    desc = (f'# Disk DescriptorFile\nversion=1\nCID=12345678\nparentCID=ffffffff\ncreateType="monolithicSparse"\n'
            f'RW {capacity & 0xFFFFFFFFFFFF} SPARSE "d.vmdk"\n').encode()
    header = HEADER.pack(MAGIC, 1, flags, capacity, grain, 1, DESC_SECTORS, gtes, 0, gd_sector, 0, 0,
                         b"\n \r\n", 0)
    gd = struct.pack(f"<{len(directory)}I", *directory)
    gt = struct.pack(f"<{len(tables)}I", *tables)
    body = header.ljust(SECTOR, b"\0") + desc.ljust(DESC_SECTORS * SECTOR, b"\0")
    body += gd.ljust(-(-len(gd) // SECTOR) * SECTOR, b"\0")
    body += gt.ljust(-(-len(gt) // SECTOR) * SECTOR, b"\0")
    return body + bytes(range(256)) * 8  # some grain data after the tables


@st.composite
def hostile_sparse(draw) -> bytes:
    entries = draw(st.one_of(st.integers(1, 512), st.integers(512, 65536)))
    gd_end = GD_SECTOR + -(-entries * 4 // SECTOR)
    table_len = draw(st.sampled_from([1, 2, 16, 128, 512, 4096]))
    table_entries = draw(st.integers(0, 2048))
    first_table = gd_end
    after = first_table + -(-table_entries * 4 // SECTOR) + 4
    pointer = st.one_of(
        st.sampled_from([0, 1, first_table, first_table + 1, GD_SECTOR, 0, after, after + 10**6, 0xFFFFFFFF]),
        st.integers(0, 0xFFFFFFFF))
    few = st.lists(pointer, min_size=1, max_size=8)  # a short pattern repeated over the whole directory
    directory = draw(st.one_of(
        st.lists(pointer, min_size=entries, max_size=entries) if entries <= 512 else st.nothing(),
        few.map(lambda ps: (ps * (entries // len(ps) + 1))[:entries]),
        pointer.map(lambda p: [p] * entries)))  # every entry the same: one table or "zeroed" over and over
    tables = draw(st.lists(pointer, min_size=table_entries, max_size=table_entries))
    grain = draw(st.sampled_from([1, 8, 128, 2048, 0, 3, 1 << 20]))
    capacity = draw(st.one_of(st.just(entries * table_len * max(grain, 1)),
                              st.sampled_from([0, 1, 1 << 30, 1 << 40, (1 << 63) - 1]),
                              st.integers(0, 1 << 50)))
    gd_sector = draw(st.sampled_from([GD_SECTOR, 0, 1, gd_end, 0xFFFFFFFF]))
    flags = draw(st.sampled_from([FLAG_NEWLINE_TEST, FLAG_NEWLINE_TEST | FLAG_ZEROED_GTE]))
    return _file(capacity, grain, table_len, gd_sector, directory, tables, flags)


@FUZZ
@given(data=hostile_sparse())
def test_hostile_grain_directories_raise_disk_format_errors_within_bounded_memory(data: bytes) -> None:
    tracemalloc.start()
    try:
        try:
            with open_image(MemSource("d.vmdk", data)) as img:
                drain(img)
        except DiskFormatError:
            pass
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak <= MEMORY + 16 * len(data), f"{peak} bytes for a {len(data)}-byte file"

"""Hosted sparse VMDK extents ("KDMV"): header, grain directory and tables, plain and compressed grains.

Contract:
- The header, footer and grain-map primitives it builds on are in :mod:`wizard.disks.vmdk_sparse_format`.
- :class:`SparseExtent` reads the grain directory at open and checks every grain table once, in a few large
  reads (4 bytes per grain), keeping only the directory and totals: it refuses a directory or table outside
  the file, more tables than the file can hold, entries pointing past the end of the file (qemu reads such
  grains as zeros, which silently loses data) and more stored grains than the file can hold (tables that
  alias each other). Tables are then loaded when a read needs them, through a cache of at most
  :data:`TABLE_CACHE_BYTES` shared by directory entries naming the same table; a directory entry of a
  zeroed table costs nothing. So memory is bounded by the file's real size (the directory, at most
  ``MAX_GD_BYTES``) plus that cache, whatever capacity the header claims.
- ``segments()`` yields ``(offset, length, kind)`` runs in extent-local bytes, ``kind`` one of ``"data"``
  (stored), ``"zero"`` (zeroed grain: reads as zeros, hides the parent) and ``"hole"`` (unallocated:
  read from the parent disk if there is one, else zeros).
- ``readinto(offset, view, fallback)`` reads extent-local bytes; physically contiguous grains become one
  read; ``fallback(offset, view)`` fills holes (a parent), zeros when None.
- Streams written by VMware (grain directory in the footer, header GD offset all ones) and by qemu-img
  (tables at the front) are both read here when the file is seekable.
"""

from __future__ import annotations

import re
import struct
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterator

from wizard.core.errors import DiskFormatError
from wizard.disks.bytesource import ByteSource
from wizard.disks.vmdk_sparse_format import (
    FLAG_REDUNDANT_GD,
    FLAG_ZEROED_GTE,
    GD_AT_END,
    GRAIN_HEAD,
    MAX_GD_BYTES,
    SECTOR,
    SparseHeader,
    as_u32,
    inflate_grain,
    parse_header,
    read_exact,
    read_footer_header,
    zero_fill,
)

HOLE, ZERO, DATA, COMPRESSED = 0, 1, 2, 3
_KIND = {HOLE: "hole", ZERO: "zero", DATA: "data", COMPRESSED: "data"}
_READ_WINDOW = 4 * 1024 * 1024
TABLE_CACHE_BYTES = 16 * 1024 * 1024
_SCAN_READ = 16 * 1024 * 1024  # grain tables checked at open are read in runs of at most this
_ZEROED_TABLE = array("I")  # stands for a table the directory marks zeroed (every grain reads as zeros)
# a run of equal entries ends where these stop matching (C speed: a table may hold 65536 entries)
_RUN_OF = {0: re.compile(rb"\x00*"), 1: re.compile(b"(?:" + re.escape(struct.pack("=I", 1)) + b")*")}

Fallback = Callable[[int, memoryview], None]


class SparseExtent:
    """One hosted sparse extent file. ``size`` is its capacity in bytes."""

    def __init__(self, source: ByteSource, header: SparseHeader | None = None) -> None:
        self.source = source
        self.name = source.name
        if header is None:
            header = parse_header(read_exact(source, 0, SECTOR, "sparse header"), self.name)
        if header.gd_offset == GD_AT_END:
            footer = read_footer_header(source)
            header = SparseHeader(header.version, header.flags, header.capacity, header.grain_sectors,
                                  header.desc_offset, header.desc_size, header.num_gtes, footer.rgd_offset,
                                  footer.gd_offset, header.overhead, header.compress)
        self.header = header
        self.size = header.capacity * SECTOR
        self.grain_bytes = header.grain_sectors * SECTOR
        self.grains = -(-header.capacity // header.grain_sectors)
        self._compressed = header.compressed
        self._zeroed = bool(header.flags & FLAG_ZEROED_GTE)
        self._win = bytearray()
        self._win_start = -1
        self._cached_grain = -1
        self._cached = b""
        self._tables: OrderedDict[tuple[int, int], array] = OrderedDict()
        self._cache_max = max(4, TABLE_CACHE_BYTES // (4 * header.num_gtes))
        self._stored = 0
        self._gd = self._load_directory()

    # ---- metadata -------------------------------------------------------------------------------------

    def _load_directory(self) -> array:
        """The grain directory (the redundant copy when the main one is unusable), its tables checked."""
        h, name, size = self.header, self.name, self.source.size
        gd_bytes = -(-self.grains // h.num_gtes) * 4
        errors: list[DiskFormatError] = []
        candidates = [h.gd_offset]
        if h.flags & FLAG_REDUNDANT_GD and h.rgd_offset not in (0, GD_AT_END, h.gd_offset):
            candidates.append(h.rgd_offset)
        for gd_sector in candidates:
            try:
                gd_off = gd_sector * SECTOR
                if gd_sector == 0 or (size >= 0 and gd_off + gd_bytes > size) or gd_bytes > MAX_GD_BYTES:
                    raise DiskFormatError(f"grain directory at sector {gd_sector} ({gd_bytes} bytes) lies outside "
                                          "the file", path=name, offset=gd_off, field="gdOffset")
                gd = as_u32(read_exact(self.source, gd_off, gd_bytes, "grain directory"))
                self._stored = self._check_tables(gd, gd_off)
                return gd
            except DiskFormatError as exc:
                errors.append(exc)
        raise errors[0]

    def _names_table(self, gde: int) -> bool:
        """Whether a directory entry points at a table in the file (0: none; 1 with the zeroed flag: zeroed)."""
        return gde > 1 or (gde == 1 and not self._zeroed)

    def _check_tables(self, gd: array, gd_off: int) -> int:
        """Check every table ``gd`` names (see the module contract); the number of stored grains."""
        h, name, size = self.header, self.name, self.source.size
        per_gt = h.num_gtes
        gt_bytes = per_gt * 4
        gt_sectors = -(-gt_bytes // SECTOR)
        tables = len(gd) - gd.count(0) - (gd.count(1) if self._zeroed else 0)
        if size >= 0 and tables * gt_bytes > size:
            raise DiskFormatError(f"the grain directory names {tables} grain tables of {gt_bytes} bytes, more than "
                                  f"the {size}-byte file can hold", path=name, offset=gd_off, field="grain directory")
        stored = 0
        seen: dict[tuple[int, int], int] = {}  # a table several entries name is read and checked once
        i = 0
        while i < len(gd):
            gde = gd[i]
            if not self._names_table(gde):
                i += 1
                continue
            key = (gde, min(per_gt, self.grains - i * per_gt))
            if key in seen:
                stored += seen[key]
                i += 1
                continue
            if size >= 0 and gde * SECTOR + gt_bytes > size:
                raise DiskFormatError(f"grain table {i} at sector {gde} lies past the end of the file",
                                      path=name, offset=gd_off + 4 * i, field="grain directory")
            j = i + 1  # tables laid out back to back (as every writer does) are read together
            while (j < len(gd) and gd[j] == gd[j - 1] + gt_sectors and (j + 1 - i) * gt_bytes <= _SCAN_READ
                   and (size < 0 or gd[j] * SECTOR + gt_bytes <= size)):
                j += 1
            raw = read_exact(self.source, gde * SECTOR, (gd[j - 1] - gde) * SECTOR + gt_bytes, "grain tables")
            if gt_sectors * SECTOR != gt_bytes:  # tables not a whole number of sectors: keep just the entries
                stride = gt_sectors * SECTOR
                raw = bytearray(b"".join(raw[k * stride:k * stride + gt_bytes] for k in range(j - i)))
            run = as_u32(raw)
            del run[max(0, self.grains - i * per_gt):]  # entries past the last grain mean nothing
            self._check_entries(run, i * per_gt, gde * SECTOR)
            count = len(run) - run.count(0) - (run.count(1) if self._zeroed else 0)
            if j == i + 1 and len(seen) < 65536:
                seen[key] = count
            stored += count
            i = j
        per_grain = SECTOR if self._compressed else self.grain_bytes
        if size >= 0 and stored > 1 and (stored - 1) * per_grain > size:
            raise DiskFormatError(f"grain tables list {stored} stored grains, more than the {size}-byte file can "
                                  "hold (entries point at the same data)", path=name, field="grain table")
        return stored

    def _check_entries(self, t: array, first_grain: int, gt_off: int) -> None:
        """Refuse entries of a table (or of tables laid out back to back from file offset ``gt_off``) pointing
        into the header or past the end of the file."""
        per_gt = self.header.num_gtes
        stride = -(-per_gt * 4 // SECTOR) * SECTOR

        def where(k: int) -> int:  # file offset of entry k
            return gt_off + (k // per_gt) * stride + 4 * (k % per_gt)

        if not self._zeroed and 1 in t:
            k = t.index(1)
            raise DiskFormatError(f"grain {first_grain + k} points into the file header (entry 1 without the "
                                  "zeroed-grain flag)", path=self.name, offset=where(k), field="grain table")
        size = self.source.size
        need = GRAIN_HEAD.size if self._compressed else self.grain_bytes
        if size < 0 or not t or max(t) * SECTOR + need <= size:
            return
        limit = (size - need) // SECTOR
        for k, e in enumerate(t):
            if e > limit and not (e == 1 and self._zeroed):
                g = first_grain + k
                tail = self.size - g * self.grain_bytes
                if self._compressed or e * SECTOR + min(tail, self.grain_bytes) > size:
                    raise DiskFormatError(
                        f"grain {g} (disk offset {g * self.grain_bytes}) points to sector {e}, past the end of the "
                        f"{size}-byte file: the file is truncated", path=self.name, offset=where(k),
                        field="grain table")

    def _table(self, index: int) -> array | None:
        """Entries of grain table ``index``: None when absent, :data:`_ZEROED_TABLE` when zeroed, else read
        through the cache (checked again: the file may have changed since it was opened)."""
        gde = self._gd[index]
        if not self._names_table(gde):
            return None if gde == 0 else _ZEROED_TABLE
        per_gt = self.header.num_gtes
        key = (gde, min(per_gt, self.grains - index * per_gt))
        t = self._tables.get(key)
        if t is not None:
            self._tables.move_to_end(key)
            return t
        t = as_u32(read_exact(self.source, gde * SECTOR, 4 * key[1], "grain table"))
        self._check_entries(t, index * per_gt, gde * SECTOR)
        self._tables[key] = t
        if len(self._tables) > self._cache_max:
            self._tables.popitem(last=False)
        return t

    @property
    def allocated_bytes(self) -> int:
        return min(self._stored * self.grain_bytes, self.size)

    # ---- mapping --------------------------------------------------------------------------------------

    def _table_runs(self, g0: int, g1: int) -> Iterator[tuple[int, int, int, int]]:
        """Yield ``(first_grain, count, state, sector)`` covering grains [g0, g1), split at table ends."""
        per_gt, gs = self.header.num_gtes, self.header.grain_sectors
        zeroed, compressed = self._zeroed, self._compressed
        i = g0
        while i < g1:
            ti = i // per_gt
            t = self._table(ti)
            base = ti * per_gt
            if t is None or t is _ZEROED_TABLE:
                j = min(base + per_gt, g1)
                yield i, j - i, HOLE if t is None else ZERO, 0
                i = j
                continue
            k, lim = i - base, min(per_gt, g1 - base)
            e = t[k]
            m = k + 1
            if e == 0 or (e == 1 and zeroed):
                m = max(m, _RUN_OF[e].match(t, 4 * k, 4 * lim).end() // 4)  # always matches (maybe empty)
                yield i, m - k, HOLE if e == 0 else ZERO, 0
            elif compressed:
                yield i, 1, COMPRESSED, e
            else:
                nxt = e + gs
                while m < lim and t[m] == nxt:
                    m += 1
                    nxt += gs
                yield i, m - k, DATA, e
            i = base + m

    def _runs(self, g0: int, g1: int) -> Iterator[tuple[int, int, int, int]]:
        """:meth:`_table_runs` with runs continuing across table boundaries merged."""
        gs = self.header.grain_sectors
        pg, pn, ps, psec = 0, 0, -1, 0
        for g, n, state, sector in self._table_runs(g0, g1):
            if state == ps and state != COMPRESSED and (state != DATA or sector == psec + pn * gs):
                pn += n
                continue
            if pn:
                yield pg, pn, ps, psec
            pg, pn, ps, psec = g, n, state, sector
        if pn:
            yield pg, pn, ps, psec

    def segments(self) -> Iterator[tuple[int, int, str]]:
        """Extent-local ``(offset, length, kind)`` runs, adjacent runs of the same kind merged."""
        gb = self.grain_bytes
        cur_start, cur_end, cur_kind = 0, 0, ""
        for g, n, state, _sector in self._runs(0, self.grains):
            kind = _KIND[state]
            start, end = g * gb, min((g + n) * gb, self.size)
            if kind == cur_kind and start == cur_end:
                cur_end = end
                continue
            if cur_kind:
                yield cur_start, cur_end - cur_start, cur_kind
            cur_start, cur_end, cur_kind = start, end, kind
        if cur_kind:
            yield cur_start, cur_end - cur_start, cur_kind

    # ---- data -----------------------------------------------------------------------------------------

    def readinto(self, offset: int, buf: memoryview, fallback: Fallback | None = None) -> None:
        end = offset + len(buf)
        if offset < 0 or end > self.size:
            raise DiskFormatError(f"read of {len(buf)} bytes at {offset} is outside the extent", path=self.name,
                                  offset=offset)
        gb = self.grain_bytes
        for g, n, state, sector in self._runs(offset // gb, -(-end // gb)):
            rs, re_ = max(g * gb, offset), min((g + n) * gb, end)
            view = buf[rs - offset:re_ - offset]
            if state == DATA:
                foff = sector * SECTOR + rs - g * gb
                if self.source.pread_into(foff, view) != len(view):
                    raise DiskFormatError(f"grain data for disk offset {rs} lies past the end of the file: the "
                                          "file is truncated", path=self.name, offset=foff)
            elif state == COMPRESSED:
                grain = self._grain(g, sector)
                view[:] = memoryview(grain)[rs - g * gb:re_ - g * gb]
            elif state == HOLE and fallback is not None:
                fallback(rs, view)
            else:
                zero_fill(view)

    def _window(self, off: int, need: int) -> memoryview:
        """File bytes [off, off+need) from a read-ahead window (compressed grains are read in file order)."""
        ws = self._win_start
        if not (ws >= 0 and ws <= off and off + need <= ws + len(self._win)):
            size = max(_READ_WINDOW, need)
            if len(self._win) != size:
                self._win = bytearray(size)
            got = self.source.pread_into(off, memoryview(self._win))
            if got < len(self._win):
                del self._win[got:]
            self._win_start = ws = off
            if got < need:
                raise DiskFormatError("compressed grain runs past the end of the file: the file is truncated",
                                      path=self.name, offset=off)
        return memoryview(self._win)[off - ws:off - ws + need]

    def _grain(self, g: int, sector: int) -> bytes:
        if g == self._cached_grain:
            return self._cached
        gb, off = self.grain_bytes, sector * SECTOR
        if self.header.markers:
            lba, csize = GRAIN_HEAD.unpack(self._window(off, GRAIN_HEAD.size))
            if lba != g * self.header.grain_sectors:
                raise DiskFormatError(f"compressed grain at sector {sector} says LBA {lba}, but grain table "
                                      f"places it at sector {g * self.header.grain_sectors}", path=self.name,
                                      offset=off)
            if csize == 0 or csize > 2 * gb + 4096:
                raise DiskFormatError(f"compressed grain size {csize} is invalid", path=self.name, offset=off + 8)
            payload = self._window(off + GRAIN_HEAD.size, csize)
        else:
            avail = self.source.size - off if self.source.size >= 0 else 2 * gb + 4096
            payload = self._window(off, max(1, min(2 * gb + 4096, avail)))
        data = inflate_grain(payload, gb, self.name, off)
        want = min(gb, self.size - g * gb)
        if len(data) < want:
            raise DiskFormatError(f"compressed grain inflates to {len(data)} bytes, expected {want}",
                                  path=self.name, offset=off)
        if len(data) < gb:
            data += bytes(gb - len(data))
        self._cached_grain, self._cached = g, data
        return data

    def close(self) -> None:
        self.source.close()

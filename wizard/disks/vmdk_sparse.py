"""Hosted sparse VMDK extents ("KDMV"): header, grain directory and tables, plain and compressed grains.

Contract:
- The header, footer and grain-map primitives it builds on are in :mod:`wizard.disks.vmdk_sparse_format`.
- :class:`SparseExtent` loads the whole grain directory and every grain table at open with a few large
  reads (4 bytes per grain), and refuses tables or grains that point past the end of the file: qemu
  reads such grains as zeros, which silently loses data.
- ``segments()`` yields ``(offset, length, kind)`` runs in extent-local bytes, ``kind`` one of ``"data"``
  (stored), ``"zero"`` (zeroed grain: reads as zeros, hides the parent) and ``"hole"`` (unallocated:
  read from the parent disk if there is one, else zeros).
- ``readinto(offset, view, fallback)`` reads extent-local bytes; physically contiguous grains become one
  read; ``fallback(offset, view)`` fills holes (a parent), zeros when None.
- Streams written by VMware (grain directory in the footer, header GD offset all ones) and by qemu-img
  (tables at the front) are both read here when the file is seekable.
"""

from __future__ import annotations

from array import array
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
    GrainMap,
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
        self._map = self._load_tables()

    # ---- metadata -------------------------------------------------------------------------------------

    def _load_tables(self) -> GrainMap:
        h, name, size = self.header, self.name, self.source.size
        num_gdes = -(-self.grains // h.num_gtes)
        gd_bytes = num_gdes * 4
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
                return self._load_gts(gd, gd_off)
            except DiskFormatError as exc:
                errors.append(exc)
        raise errors[0]

    def _load_gts(self, gd: array, gd_off: int) -> GrainMap:
        h, name, size = self.header, self.name, self.source.size
        per_gt = h.num_gtes
        gt_bytes = per_gt * 4
        gmap = GrainMap(self.grains, per_gt)
        wanted: list[tuple[int, int]] = []
        for i, gde in enumerate(gd):
            if gde == 0:
                continue
            if gde == 1 and self._zeroed:
                gmap.set_table(i, array("I", [1]) * per_gt)
                continue
            if size >= 0 and gde * SECTOR + gt_bytes > size:
                raise DiskFormatError(f"grain table {i} at sector {gde} lies past the end of the file",
                                      path=name, offset=gd_off + 4 * i, field="grain directory")
            wanted.append((gde, i))
        wanted.sort()
        gt_sectors = -(-gt_bytes // SECTOR)
        k = 0
        while k < len(wanted):
            j = k + 1
            while (j < len(wanted) and wanted[j][0] == wanted[j - 1][0] + gt_sectors
                   and (j - k) * gt_bytes < 16 * 1024 * 1024):
                j += 1
            run = read_exact(self.source, wanted[k][0] * SECTOR, (wanted[j - 1][0] - wanted[k][0]) * SECTOR + gt_bytes,
                             "grain tables")
            for gde, idx in wanted[k:j]:
                rel = (gde - wanted[k][0]) * SECTOR
                gmap.set_table(idx, as_u32(run[rel:rel + gt_bytes]))
            k = j
        self._validate(gmap, gd)
        return gmap

    def _validate(self, gmap: GrainMap, gd: array) -> None:
        if not self._zeroed and gmap.count(1):
            idx = next(g for g, e in gmap.entries() if e == 1)
            raise DiskFormatError(f"grain {idx} points into the file header (entry 1 without the zeroed-grain "
                                  "flag)", path=self.name, offset=self._gte_offset(gd, idx), field="grain table")
        size = self.source.size
        if size < 0:
            return
        need = GRAIN_HEAD.size if self._compressed else self.grain_bytes
        if gmap.max_entry() * SECTOR + need > size:
            limit = (size - need) // SECTOR
            for idx, e in gmap.entries():
                if e > limit and not (e == 1 and self._zeroed):
                    tail = self.size - idx * self.grain_bytes
                    if self._compressed or e * SECTOR + min(tail, self.grain_bytes) > size:
                        raise DiskFormatError(
                            f"grain {idx} (disk offset {idx * self.grain_bytes}) points to sector {e}, past the "
                            f"end of the {size}-byte file: the file is truncated", path=self.name,
                            offset=self._gte_offset(gd, idx), field="grain table")
        # Every stored grain takes its own space in the file; more than fits means tables alias each other.
        per_grain = SECTOR if self._compressed else self.grain_bytes
        stored = gmap.stored(self._zeroed)
        if stored > 1 and (stored - 1) * per_grain > size:
            raise DiskFormatError(f"grain tables list {stored} stored grains, more than the {size}-byte file can "
                                  "hold (entries point at the same data)", path=self.name, field="grain table")

    def _gte_offset(self, gd: array, idx: int) -> int:
        gde = gd[idx // self.header.num_gtes]
        return gde * SECTOR + 4 * (idx % self.header.num_gtes)

    @property
    def allocated_bytes(self) -> int:
        return min(self._map.stored(self._zeroed) * self.grain_bytes, self.size)

    # ---- mapping --------------------------------------------------------------------------------------

    def _table_runs(self, g0: int, g1: int) -> Iterator[tuple[int, int, int, int]]:
        """Yield ``(first_grain, count, state, sector)`` covering grains [g0, g1), split at table ends."""
        gts, per_gt, gs = self._map.gts, self.header.num_gtes, self.header.grain_sectors
        zeroed, compressed = self._zeroed, self._compressed
        i = g0
        while i < g1:
            ti = i // per_gt
            t = gts[ti]
            base = ti * per_gt
            if t is None:
                j = min(base + per_gt, g1)
                yield i, j - i, HOLE, 0
                i = j
                continue
            k, lim = i - base, min(per_gt, g1 - base)
            e = t[k]
            m = k + 1
            if e == 0 or (e == 1 and zeroed):
                while m < lim and t[m] == e:
                    m += 1
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

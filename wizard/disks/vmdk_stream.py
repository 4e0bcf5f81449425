"""streamOptimized VMDK read in ONE sequential pass from a non-seekable stream (an HTTP body, an OVA member).

Contract: :class:`StreamVmdkImage` reads the header and descriptor at construction. ``chunks()`` may be
called once: it reads the rest front to back in large blocks, inflates each grain ``{u64 LBA, u32 size,
zlib}`` and yields merged runs of consecutive grains from one reused buffer. Both layouts are accepted:
VMware's (header GD offset all ones, grain-table/grain-directory markers, footer, end-of-stream marker)
and qemu-img's (grain directory and tables at the front, no table markers). ``readinto`` raises
``NotImplementedError`` (a stream is not random access). ``ordered`` is True unless qemu-style tables
show grains stored out of LBA order; a VMware-style stream whose grains go backwards is refused (read it
from a seekable file instead, where any order works). Corruption raises :class:`DiskFormatError` naming the
stream and the byte offset; a stream that ends before its end-of-stream marker is truncated and refused.
The image owns ``readable`` and closes it in ``close()``. A readable that offers ``readinto`` (a
:class:`ReadsInto`, as every ``io`` stream does) fills the buffer in place; any other is read with ``read()``.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import IO, Protocol, runtime_checkable

from wizard.core.errors import DiskFormatError
from wizard.core.progress import CancelToken
from wizard.disks.image import DEFAULT_CHUNK, DiskImage, ImageInfo
from wizard.disks.raw import READ_CHUNK
from wizard.disks.vmdk_descriptor import Descriptor, parse_descriptor
from wizard.disks.vmdk_sparse_format import (
    GD_AT_END,
    GRAIN_HEAD,
    SECTOR,
    GrainMap,
    SparseHeader,
    as_u32,
    inflate_grain,
    parse_header,
)

READ_BLOCK = 8 * 1024 * 1024
MARKER_EOS, MARKER_GT, MARKER_GD, MARKER_FOOTER, MARKER_PROGRESS = 0, 1, 2, 3, 4
_U32 = struct.Struct("<I")


@runtime_checkable
class ReadsInto(Protocol):
    """A readable that can fill a buffer in place (``typing.IO`` promises only ``read``)."""

    def readinto(self, buffer: memoryview, /) -> int | None: ...


class StreamVmdkImage(DiskImage):
    def __init__(self, readable: IO[bytes], name: str, read_block: int = READ_BLOCK) -> None:
        self._r, self.path, self.name = readable, name, name
        self._readinto = readable.readinto if isinstance(readable, ReadsInto) else None
        self._buf = bytearray(read_block)
        self._mv = memoryview(self._buf)
        self._start = self._end = 0
        self._pos = 0  # stream offset of self._buf[self._start]
        self._eof = False
        self._used = False
        self._map: GrainMap | None = None
        self.header = parse_header(self._take(SECTOR, "header"), name)
        h = self.header
        if not h.compressed:
            raise DiskFormatError("only streamOptimized (compressed) VMDKs can be read from a stream", path=name,
                                  field="flags", fix="Read the disk from a seekable file or datastore instead.")
        self.grain_bytes = h.grain_sectors * SECTOR
        self.virtual_size = h.capacity * SECTOR
        self.descriptor = self._read_front()

    # ---- buffered sequential input --------------------------------------------------------------------

    def _fill(self, need: int) -> int:
        """Make at least ``need`` bytes available from ``_start`` (fewer only at end of stream)."""
        have = self._end - self._start
        if have >= need or self._eof:
            return have
        if need > len(self._buf):
            bigger = bytearray(max(need, 2 * len(self._buf)))
            bigger[:have] = self._mv[self._start:self._end]
            self._buf, self._mv = bigger, memoryview(bigger)
            self._start, self._end = 0, have
        if self._start + need > len(self._buf):
            self._mv[:have] = self._mv[self._start:self._end]
            self._start, self._end = 0, have
        reader = self._readinto
        while self._end - self._start < need:
            if reader is not None:
                n = reader(self._mv[self._end:])
            else:
                data = self._r.read(len(self._buf) - self._end)
                n = len(data)
                self._mv[self._end:self._end + n] = data
            if not n:
                self._eof = True
                break
            self._end += n
        return self._end - self._start

    def _take(self, n: int, what: str) -> memoryview:
        if self._fill(n) < n:
            raise DiskFormatError(f"stream ends inside the {what}: it is truncated", path=self.name,
                                  offset=self._pos + self._end - self._start)
        view = self._mv[self._start:self._start + n]
        self._start += n
        self._pos += n
        return view

    def _skip_to(self, offset: int, what: str) -> None:
        if offset < self._pos:
            raise DiskFormatError(f"{what} at offset {offset} lies behind data already read", path=self.name,
                                  offset=offset)
        while self._pos < offset:
            step = min(offset - self._pos, len(self._buf))
            self._take(step, what)

    # ---- front metadata -------------------------------------------------------------------------------

    def _read_front(self) -> Descriptor:
        h, name = self.header, self.name
        desc = Descriptor(create_type="streamOptimized")
        if h.desc_offset and h.desc_size:
            self._skip_to(h.desc_offset * SECTOR, "descriptor")
            desc = parse_descriptor(bytes(self._take(h.desc_size * SECTOR, "descriptor")), name)
            if desc.total_sectors != h.capacity:
                raise DiskFormatError(f"descriptor says {desc.total_sectors} sectors but the header capacity is "
                                      f"{h.capacity}", path=name, field="capacity")
        data_start = h.overhead * SECTOR
        if h.gd_offset != GD_AT_END and h.gd_offset * SECTOR < data_start:
            self._read_front_tables(h, data_start)
        self._skip_to(data_start, "first grain")
        return desc

    def _read_front_tables(self, h: SparseHeader, data_start: int) -> None:
        """qemu-img layout: the grain directory and tables sit before the first grain; load them."""
        name = self.name
        grains = -(-h.capacity // h.grain_sectors)
        num_gdes = -(-grains // h.num_gtes)
        gd_off = h.gd_offset * SECTOR
        area_start = self._pos
        if not area_start <= gd_off < data_start or gd_off + num_gdes * 4 > data_start:
            raise DiskFormatError(f"grain directory at sector {h.gd_offset} is outside the metadata area",
                                  path=name, offset=gd_off, field="gdOffset")
        area = self._take_bytes(data_start - area_start, "grain tables")
        gd = as_u32(area[gd_off - area_start:gd_off - area_start + num_gdes * 4])
        gmap = GrainMap(grains, h.num_gtes)
        gt_bytes = h.num_gtes * 4
        tables = len(gd) - gd.count(0)
        if tables * gt_bytes > len(area):  # entries naming one table over and over: each would be a copy
            raise DiskFormatError(f"the grain directory names {tables} grain tables of {gt_bytes} bytes, more than "
                                  f"the {len(area)}-byte metadata area holds", path=name, offset=gd_off,
                                  field="grain directory")
        for i, gde in enumerate(gd):
            if gde == 0:
                continue
            rel = gde * SECTOR - area_start
            if rel < 0 or rel + gt_bytes > len(area):
                raise DiskFormatError(f"grain table {i} at sector {gde} is outside the metadata area", path=name,
                                      offset=gd_off + 4 * i, field="grain directory")
            gmap.set_table(i, as_u32(area[rel:rel + gt_bytes]))
        last = -1
        for _g, e in gmap.entries():
            if e > 1:
                if e <= last:
                    self.ordered = False
                last = e
        self._map = gmap

    def _take_bytes(self, n: int, what: str) -> bytearray:
        """``n`` bytes as a new buffer, grown only as data arrives (a hostile length cannot exhaust memory)."""
        out = bytearray()
        while len(out) < n:
            out += self._take(min(n - len(out), len(self._buf)), what)
        return out

    # ---- DiskImage ------------------------------------------------------------------------------------

    def readinto(self, offset: int, buf: memoryview) -> None:
        raise NotImplementedError("a streamOptimized VMDK read from a stream is not random access")

    def allocated_ranges(self) -> Iterator[tuple[int, int]]:
        if self._map is None:
            if self.virtual_size:
                yield 0, self.virtual_size
            return
        gb, start, end = self.grain_bytes, -1, -1
        for g, e in self._map.entries():
            if e > 1:
                if g * gb != end:
                    if end > start >= 0:
                        yield start, end - start
                    start = g * gb
                end = min((g + 1) * gb, self.virtual_size)
        if end > start >= 0:
            yield start, end - start

    def info(self) -> ImageInfo:
        h, d = self.header, self.descriptor
        allocated = 0
        if self._map is not None:
            allocated = sum(n for _s, n in self.allocated_ranges())
        return ImageInfo(path=self.path, format="vmdk", subformat=d.create_type or "streamOptimized",
                         virtual_size=self.virtual_size, allocated_bytes=allocated, file_size=0,
                         details={"grain_size": self.grain_bytes, "cid": f"{d.cid:08x}",
                                  "adapter_type": d.ddb.get("adapterType", ""),
                                  "hw_version": d.ddb.get("virtualHWVersion", ""), "sparse_version": h.version,
                                  "compressed": True, "layout": "vmware" if self._map is None else "qemu",
                                  "streamed": True})

    def chunks(self, max_chunk: int = DEFAULT_CHUNK, cancel: CancelToken | None = None
               ) -> Iterator[tuple[int, memoryview]]:
        if self._used:
            raise DiskFormatError("the stream was already read once", path=self.name,
                                  fix="Open the stream again to read it a second time.")
        self._used = True
        max_chunk = max(SECTOR, min(max_chunk, READ_CHUNK))
        out = memoryview(bytearray(max_chunk))
        run_start, fill, seen = -1, 0, 0
        for voff, data, n in self._grains(cancel):
            seen += 1
            if fill and voff == run_start + fill and fill + n <= max_chunk:
                out[fill:fill + n] = data if n == len(data) else memoryview(data)[:n]
                fill += n
                continue
            src = memoryview(data)[:n]
            done = 0
            while done < n:
                if run_start >= 0 and (voff + done != run_start + fill or fill == max_chunk):
                    yield run_start, out[:fill]
                    run_start, fill = -1, 0
                if run_start < 0:
                    run_start = voff + done
                step = min(n - done, max_chunk - fill)
                out[fill:fill + step] = src[done:done + step]
                fill += step
                done += step
        if fill:
            yield run_start, out[:fill]
        if self._map is not None:
            expected = self._map.stored(zeroed=True)
            if seen != expected:
                raise DiskFormatError(f"stream held {seen} grains but its grain tables list {expected}: it is "
                                      "truncated", path=self.name, offset=self._pos)

    def _grains(self, cancel: CancelToken | None) -> Iterator[tuple[int, bytes, int]]:
        """``(virtual_offset, inflated_grain, valid_bytes)`` in stream order, up to the end-of-stream marker."""
        h, name, gb = self.header, self.name, self.grain_bytes
        gs, cap, table = h.grain_sectors, h.capacity, self._map
        last_end = 0
        while True:
            if cancel is not None:
                cancel.check()
            at = self._pos
            have = self._fill(SECTOR)
            if have == 0 and table is not None:
                return  # qemu-img layout may simply end after the last grain
            if have < GRAIN_HEAD.size + 4:
                raise DiskFormatError("stream ends without an end-of-stream marker: it is truncated", path=name,
                                      offset=at + have)
            val, size = GRAIN_HEAD.unpack_from(self._mv, self._start)
            if size == 0:
                mtype = _U32.unpack_from(self._mv, self._start + GRAIN_HEAD.size)[0]
                if mtype == MARKER_EOS:
                    return
                if mtype not in (MARKER_GT, MARKER_GD, MARKER_FOOTER, MARKER_PROGRESS) or val > 1 << 24:
                    raise DiskFormatError(f"unknown stream marker type {mtype} ({val} sectors)", path=name,
                                          offset=at)
                self._take(SECTOR, "marker")
                if mtype == MARKER_FOOTER:
                    footer = parse_header(self._take(SECTOR, "footer"), name, at + SECTOR)
                    if footer.capacity != cap or footer.grain_sectors != gs:
                        raise DiskFormatError("stream footer disagrees with the header", path=name, offset=at)
                    val -= 1
                self._skip_to(self._pos + val * SECTOR, "metadata")
                continue
            if val % gs or val >= cap:
                raise DiskFormatError(f"grain LBA {val} is not a grain boundary inside the disk", path=name,
                                      offset=at)
            if size > 2 * gb + 4096:
                raise DiskFormatError(f"compressed grain size {size} is invalid", path=name, offset=at + 8)
            total = -(-(GRAIN_HEAD.size + size) // SECTOR) * SECTOR
            if self._fill(total) >= total:  # the usual case: the padded record is buffered, parse it in place
                st = self._start
                data = inflate_grain(self._mv[st + GRAIN_HEAD.size:st + GRAIN_HEAD.size + size], gb, name, at)
                self._start += total
                self._pos += total
            else:  # only the last record of a stream may lack its padding
                record = self._take(GRAIN_HEAD.size + size, "compressed grain")
                data = inflate_grain(record[GRAIN_HEAD.size:], gb, name, at)
                pad = self._fill(total - GRAIN_HEAD.size - size)
                if pad:
                    self._take(pad, "grain padding")
            g, voff = val // gs, val * SECTOR
            n = min(gb, self.virtual_size - voff)
            if len(data) < n:
                raise DiskFormatError(f"grain at LBA {val} inflates to {len(data)} bytes, expected {n}", path=name,
                                      offset=at)
            if table is not None and table.get(g) != at // SECTOR:
                raise DiskFormatError(f"grain at LBA {val} is not where the grain table says", path=name, offset=at)
            if voff < last_end and self.ordered:
                raise DiskFormatError(f"grain at LBA {val} arrives out of order in the stream", path=name,
                                      offset=at, fix="Save the file locally and convert from the file.")
            last_end = voff + n
            yield voff, data, n

    def close(self) -> None:
        self._r.close()

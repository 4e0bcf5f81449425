"""A read-only :class:`DiskImage` over a VHD file (fixed or dynamic; differencing disks are refused).

Contract: ``open_vhd(source, opener=None)`` checks the footer (cookie and checksum; the copy at offset 0
is used when the trailing one is damaged in a dynamic disk), the dynamic header and every BAT entry.
The size is Current Size, as Hyper-V reads it. Corrupt or hostile values raise
:class:`DiskFormatError` naming the file and the offset. Sector bitmaps are not consulted: in a disk
without a parent an allocated block's data is its content (as Hyper-V and qemu read it).
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterator

from wizard.core.errors import DiskFormatError, UnsupportedFormatError
from wizard.disks import vhd_format as hf
from wizard.disks.bytesource import ByteSource, Opener
from wizard.disks.image import DiskImage, ExtentInfo, ImageInfo
from wizard.disks.writeio import advise_random, fill_zero, read_sparse

_MAX_BLOCK = 256 * 1024 * 1024


def open_vhd(source: ByteSource, opener: Opener | None = None) -> VhdImage:
    return VhdImage(source)


class VhdImage(DiskImage):
    def __init__(self, source: ByteSource) -> None:
        self.source = source
        self.path = source.name
        advise_random(source)
        self.file_size = size = source.size
        if size < hf.FOOTER_SIZE:
            raise DiskFormatError("file is too small to be a VHD", path=self.path, offset=0)
        footer = hf.Footer.parse(self._read(size - hf.FOOTER_SIZE, hf.FOOTER_SIZE, "footer"))
        if footer is None:
            copy = hf.Footer.parse(self._read(0, hf.FOOTER_SIZE, "footer copy"))
            if copy is None or copy.disk_type == hf.TYPE_FIXED:
                raise DiskFormatError("not a VHD file (no valid 'conectix' footer: bad cookie or checksum)",
                                      path=self.path, offset=size - hf.FOOTER_SIZE)
            footer = copy
        self.footer = footer
        self.virtual_size = footer.current_size
        if footer.current_size <= 0 or footer.current_size > hf.MAX_SIZE or footer.current_size % hf.SECTOR:
            raise DiskFormatError(f"VHD size {footer.current_size} is invalid (more than 0 and at most 2040 GiB, in "
                                  "whole sectors)",
                                  path=self.path, offset=size - hf.FOOTER_SIZE + 48)
        if footer.disk_type == hf.TYPE_DIFFERENCING:
            raise UnsupportedFormatError("differencing VHD disks (with a parent) are not supported",
                                         path=self.path, offset=size - hf.FOOTER_SIZE + 60,
                                         fix="Merge the differencing disk into its parent, then convert it.")
        self.block_size = 0
        self._offsets = array("Q")
        if footer.disk_type == hf.TYPE_FIXED:
            if size - hf.FOOTER_SIZE < footer.current_size:
                raise DiskFormatError("file is truncated: the fixed VHD is shorter than its size",
                                      path=self.path, offset=size)
        elif footer.disk_type == hf.TYPE_DYNAMIC:
            self._read_dynamic(footer)
        else:
            raise DiskFormatError(f"unknown VHD disk type {footer.disk_type}", path=self.path,
                                  offset=size - hf.FOOTER_SIZE + 60)

    def _read(self, offset: int, length: int, what: str) -> bytearray:
        buf = bytearray(length)
        if self.source.pread_into(offset, memoryview(buf)) != length:
            raise DiskFormatError(f"file is truncated: the {what} ends past the end of the file",
                                  path=self.path, offset=offset)
        return buf

    def _read_dynamic(self, footer: hf.Footer) -> None:
        dyn_off = footer.data_offset
        if dyn_off % hf.SECTOR:
            raise DiskFormatError(f"dynamic header offset {dyn_off} is not on a sector boundary", path=self.path,
                                  offset=self.file_size - hf.FOOTER_SIZE + 16)
        if dyn_off + hf.DYN_HEADER_SIZE > self.file_size - hf.FOOTER_SIZE:
            raise DiskFormatError(f"dynamic header offset {dyn_off} leaves no room for the header before the "
                                  "footer at the end of the file", path=self.path,
                                  offset=self.file_size - hf.FOOTER_SIZE + 16)
        dyn = hf.DynamicHeader.parse(self._read(dyn_off, hf.DYN_HEADER_SIZE, "dynamic header"))
        if dyn is None:
            raise DiskFormatError("bad dynamic header (no 'cxsparse' cookie or bad checksum)", path=self.path,
                                  offset=dyn_off)
        bs = dyn.block_size
        if bs < hf.SECTOR or bs > _MAX_BLOCK or bs & (bs - 1):
            raise DiskFormatError(f"invalid VHD block size {bs}", path=self.path, offset=dyn_off + 32)
        need = -(-self.virtual_size // bs)
        if dyn.max_table_entries < need:
            raise DiskFormatError(f"the BAT has {dyn.max_table_entries} entries, {need} are needed",
                                  path=self.path, offset=dyn_off + 28)
        if dyn.table_offset + 4 * need > self.file_size:
            raise DiskFormatError(f"the BAT at {dyn.table_offset} lies past the end of the file", path=self.path,
                                  offset=dyn_off + 16)
        entries = array("I")  # 4 bytes an entry (a tuple of ints would be ~50: 1.7 GB for 2 TiB of 64 KiB blocks)
        entries.frombytes(self._read(dyn.table_offset, 4 * need, "BAT"))
        if sys.byteorder == "little":
            entries.byteswap()  # the VHD format is big-endian
        self.block_size = bs
        bitmap = hf.bitmap_size(bs)
        self._offsets = offsets = array("Q", bytes(8 * need))
        for i, sector in enumerate(entries):
            if sector == hf.UNUSED:
                continue
            data = sector * hf.SECTOR + bitmap
            length = min(bs, self.virtual_size - i * bs)
            if sector == 0:
                raise DiskFormatError(f"BAT entry for block {i} points to sector 0, the file's own header",
                                      path=self.path, offset=dyn.table_offset + 4 * i)
            if data + length > self.file_size:
                raise DiskFormatError(f"BAT entry for block {i} points to sector {sector}, past the end of the file",
                                      path=self.path, offset=dyn.table_offset + 4 * i)
            offsets[i] = data

    @property
    def dynamic(self) -> bool:
        return self.footer.disk_type == hf.TYPE_DYNAMIC

    def info(self) -> ImageInfo:
        if self.dynamic:
            bs = self.block_size
            allocated = sum(min(bs, self.virtual_size - i * bs) for i, o in enumerate(self._offsets) if o)
        else:
            allocated = self.virtual_size
        return ImageInfo(
            path=self.path, format="vhd", subformat="dynamic" if self.dynamic else "fixed",
            virtual_size=self.virtual_size, allocated_bytes=allocated, file_size=self.file_size,
            extents=[ExtentInfo(self.path, "VHD", 0, self.virtual_size)],
            details={"block_size": self.block_size, "creator": self.footer.creator_app.decode("latin-1"),
                     "geometry": list(self.footer.geometry or ())})

    def allocated_ranges(self) -> Iterator[tuple[int, int]]:
        if not self.dynamic:
            yield 0, self.virtual_size
            return
        bs = self.block_size
        start = -1
        for i, off in enumerate(self._offsets):
            if off and start < 0:
                start = i * bs
            elif not off and start >= 0:
                yield start, i * bs - start
                start = -1
        if start >= 0:
            yield start, self.virtual_size - start

    def readinto(self, offset: int, buf: memoryview) -> None:
        end = offset + len(buf)
        if offset < 0 or end > self.virtual_size:
            raise DiskFormatError(f"read of {len(buf)} bytes beyond the virtual disk ({self.virtual_size} bytes)",
                                  path=self.path, offset=offset)
        if not self.dynamic:
            self._pread(offset, buf)
            return
        bs = self.block_size
        pos = offset
        while pos < end:
            blk = pos // bs
            blk_end = min(end, (blk + 1) * bs)
            view = buf[pos - offset:blk_end - offset]
            base = self._offsets[blk]
            if base:
                self._pread(base + pos - blk * bs, view)
            else:
                fill_zero(view)
            pos = blk_end

    def _pread(self, file_offset: int, view: memoryview) -> None:
        if len(view) and read_sparse(self.source, file_offset, view) != len(view):
            raise DiskFormatError("file is truncated: a data block ends past the end of the file",
                                  path=self.path, offset=file_offset)

    def close(self) -> None:
        self.source.close()

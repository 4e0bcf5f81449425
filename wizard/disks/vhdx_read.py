"""A read-only :class:`DiskImage` over a VHDX file (dynamic or fixed; differencing disks are refused).

Contract: ``open_vhdx(source, opener=None)`` validates the file identifier, both headers (CRC-32C; the
valid one with the higher sequence number is current), the region tables, the metadata table and items
and every BAT entry before returning. A non-zero LogGuid (a log that must be replayed first) and a parent
(differencing disk) are refused clearly. Hostile or corrupt values raise :class:`DiskFormatError` naming
the file and the byte offset.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Iterator

from wizard.core.errors import DiskFormatError, UnsupportedFormatError
from wizard.disks import vhdx_format as vf
from wizard.disks.bytesource import ByteSource, Opener
from wizard.disks.image import DiskImage, ExtentInfo, ImageInfo
from wizard.disks.writeio import advise_random, fill_zero, read_sparse

_KNOWN_ITEMS = {vf.FILE_PARAMETERS_GUID, vf.VIRTUAL_DISK_SIZE_GUID, vf.PAGE83_GUID, vf.LOGICAL_SECTOR_GUID,
                vf.PHYSICAL_SECTOR_GUID, vf.PARENT_LOCATOR_GUID}


def _read(src: ByteSource, offset: int, length: int, what: str) -> bytearray:
    buf = bytearray(length)
    if length and src.pread_into(offset, memoryview(buf)) != length:
        raise DiskFormatError(f"file is truncated: the {what} ({length} bytes) ends past the end of the file",
                              path=src.name, offset=offset)
    return buf


def open_vhdx(source: ByteSource, opener: Opener | None = None) -> VhdxImage:
    """Open and validate a VHDX; raises DiskFormatError / UnsupportedFormatError on anything wrong."""
    return VhdxImage(source)


class VhdxImage(DiskImage):
    def __init__(self, source: ByteSource) -> None:
        self.source = source
        self.path = source.name
        advise_random(source)
        self.file_size = source.size
        head = _read(source, 0, vf.REGION_OFFSETS[1] + vf.REGION_SIZE, "header section")
        if bytes(head[0:8]) != vf.SIG_FILE:
            raise DiskFormatError("not a VHDX file (no 'vhdxfile' signature)", path=self.path, offset=0)
        self.creator = bytes(head[8:520]).decode("utf-16-le", "replace").split("\0", 1)[0]
        self.header = self._pick_header(head)
        self._check_log(self.header)
        regions = self._regions(head)
        bat_region, md_region = regions[vf.BAT_GUID], regions[vf.METADATA_GUID]
        # what no payload block may overlap: the header section, the log, the BAT and the metadata
        self._reserved = [("header section", 0, vf.MiB), ("log", self.header.log_offset, self.header.log_length),
                          ("BAT", *bat_region), ("metadata", *md_region)]
        self._read_metadata(*md_region)
        self._read_bat(*bat_region)

    _sparse = True  # skip a local file's holes with SEEK_DATA/SEEK_HOLE (see read_sparse)

    @classmethod
    def live(cls, source: ByteSource, virtual_size: int, block_size: int, offsets: array, *,
             sparse: bool = True) -> VhdxImage:
        """A reader over a VHDX that is still being written, decoding with the writer's block table ``offsets``
        (shared, not copied: blocks the writer allocates later become readable). For the trailing verify pass
        (:class:`wizard.disks.verify.TrailingVerify`): the same ``readinto`` decodes it as the finished file,
        whose own BAT is then checked against ``offsets``. Nothing is validated: the file has no headers yet.
        ``sparse=False`` reads every range with ``pread_into`` alone: on a file that is being written, the
        ``SEEK_DATA``/``SEEK_HOLE`` calls contend with the writer and cost more than reading the holes (measured:
        1.9 s of lseek in the read-back of a 4 GiB bench disk)."""
        img = cls.__new__(cls)
        img.source, img.path = source, source.name
        advise_random(source)
        img.file_size = -1
        img.virtual_size, img.block_size, img._offsets = virtual_size, block_size, offsets
        img._sparse = sparse
        return img

    def block_offsets(self) -> array:
        """The file offset of every payload block as the BAT gives it (0: not stored, reads as zeros)."""
        return self._offsets

    # --- validation -------------------------------------------------------------------------------------

    def _pick_header(self, head: bytearray) -> vf.Header:
        best: vf.Header | None = None
        for off in vf.HEADER_OFFSETS:
            view = memoryview(head)[off:off + vf.HEADER_SIZE]
            if not vf.header_signature_ok(view):
                continue
            hdr = vf.Header.parse(view)
            if hdr.version != 1:
                continue
            if best is not None and hdr.sequence == best.sequence and hdr != best:
                # two valid headers that differ but claim the same age: which one is current cannot be told
                raise DiskFormatError("both VHDX headers are valid and have the same sequence number but differ",
                                      path=self.path, offset=off)
            if best is None or hdr.sequence > best.sequence:
                best = hdr
        if best is None:
            raise DiskFormatError("neither VHDX header is valid (bad signature, CRC-32C checksum or version)",
                                  path=self.path, offset=vf.HEADER_OFFSETS[0])
        return best

    def _check_log(self, hdr: vf.Header) -> None:
        if hdr.log_guid != vf.ZERO_GUID:
            raise UnsupportedFormatError(
                "the VHDX has a log that was never replayed (LogGuid is set): it was not closed cleanly",
                path=self.path, offset=vf.HEADER_OFFSETS[0] + 48,
                fix="Attach and detach the disk once in Hyper-V (Mount-VHD / Dismount-VHD) so Windows replays "
                    "the log, then try again.")

    def _regions(self, head: bytearray) -> dict:
        table, used, too_large = None, vf.REGION_OFFSETS[0], None
        for off in vf.REGION_OFFSETS:
            try:
                table = vf.parse_region_table(memoryview(head)[off:off + vf.REGION_SIZE])
            except vf.TableTooLarge as exc:
                too_large = too_large or DiskFormatError(str(exc), path=self.path, offset=off + 8)
                continue
            if table is not None:
                used = off
                break
        if table is None:
            raise too_large or DiskFormatError("neither VHDX region table is valid (bad signature or CRC-32C "
                                               "checksum)", path=self.path, offset=vf.REGION_OFFSETS[0])
        found: dict = {}
        for i, e in enumerate(table):
            where = used + 16 + 32 * i
            if e.guid not in (vf.BAT_GUID, vf.METADATA_GUID):
                if e.required:
                    raise UnsupportedFormatError(f"the VHDX needs an unknown region {e.guid}", path=self.path,
                                                 offset=where)
                continue
            if (e.file_offset < vf.MiB or e.file_offset % vf.MiB or e.length == 0 or e.length % vf.MiB
                    or e.file_offset + e.length > self.file_size):
                raise DiskFormatError(f"region {e.guid} has an invalid place ({e.file_offset}, {e.length} bytes)",
                                      path=self.path, offset=where)
            if e.guid in found:
                raise DiskFormatError(f"the region table lists region {e.guid} twice", path=self.path, offset=where)
            found[e.guid] = (e.file_offset, e.length)
        for guid, name in ((vf.BAT_GUID, "BAT"), (vf.METADATA_GUID, "metadata")):
            if guid not in found:
                raise DiskFormatError(f"the VHDX region table has no {name} region", path=self.path,
                                      offset=used)
        (bat_at, bat_len), (md_at, md_len) = found[vf.BAT_GUID], found[vf.METADATA_GUID]
        if bat_at < md_at + md_len and md_at < bat_at + bat_len:
            raise DiskFormatError("the BAT and metadata regions overlap", path=self.path, offset=used)
        return found

    def _read_metadata(self, md_offset: int, md_length: int) -> None:
        table_buf = _read(self.source, md_offset, vf.METADATA_TABLE_SIZE, "metadata table")
        try:
            entries = vf.parse_metadata_table(table_buf)
        except vf.TableTooLarge as exc:
            raise DiskFormatError(str(exc), path=self.path, offset=md_offset + 10) from None
        if entries is None:
            raise DiskFormatError("bad metadata table signature", path=self.path, offset=md_offset)
        items: dict = {}
        for i, (guid, off, length, flags) in enumerate(entries):
            where = md_offset + 32 + 32 * i
            if length and off < vf.METADATA_TABLE_SIZE:
                raise DiskFormatError(f"metadata item {guid} overlaps the metadata table", path=self.path,
                                      offset=where)
            if length and (off + length > md_length or length > vf.MiB):
                raise DiskFormatError(f"metadata item {guid} lies outside the metadata region", path=self.path,
                                      offset=where)
            if guid not in _KNOWN_ITEMS:
                if flags & vf.MD_IS_REQUIRED:
                    raise UnsupportedFormatError(f"the VHDX needs an unknown metadata item {guid}", path=self.path,
                                                 offset=where)
                continue  # never read: 2047 unknown items of 1 MiB would be 2 GiB of memory for nothing
            if guid in items:
                raise DiskFormatError(f"the metadata table lists item {guid} twice", path=self.path, offset=where)
            items[guid] = bytes(_read(self.source, md_offset + off, length, "metadata item"))

        def item(guid, size: int, name: str) -> bytes:
            data = items.get(guid)
            if data is None:
                raise DiskFormatError(f"the VHDX metadata lacks the {name} item", path=self.path, offset=md_offset)
            if len(data) < size:
                raise DiskFormatError(f"the VHDX metadata's {name} item is {len(data)} bytes, too short for its "
                                      f"{size}-byte value", path=self.path, offset=md_offset)
            return data

        block_size, fp_flags = struct.unpack_from("<II", item(vf.FILE_PARAMETERS_GUID, 8, "file parameters"))
        self.virtual_size = struct.unpack_from("<Q", item(vf.VIRTUAL_DISK_SIZE_GUID, 8, "virtual disk size"))[0]
        self.logical_sector = struct.unpack_from("<I", item(vf.LOGICAL_SECTOR_GUID, 4, "logical sector size"))[0]
        self.physical_sector = struct.unpack_from("<I", item(vf.PHYSICAL_SECTOR_GUID, 4, "physical sector size"))[0]
        self.block_size = block_size
        self.leave_blocks_allocated = bool(fp_flags & vf.FP_LEAVE_BLOCKS_ALLOCATED)
        if fp_flags & vf.FP_HAS_PARENT or vf.PARENT_LOCATOR_GUID in items:
            raise UnsupportedFormatError(
                "differencing VHDX disks (with a parent) are not supported", path=self.path, offset=md_offset,
                fix="Merge the differencing disk into its parent (Merge-VHD) and convert the merged disk.")
        try:
            vf.validate_geometry(self.virtual_size, block_size, self.logical_sector, self.physical_sector)
        except ValueError as exc:
            raise DiskFormatError(f"invalid VHDX metadata: {exc}", path=self.path, offset=md_offset) from None

    def _read_bat(self, bat_offset: int, bat_length: int) -> None:
        count = vf.bat_entry_count(self.virtual_size, self.block_size, self.logical_sector)
        if count * 8 > bat_length:
            raise DiskFormatError(f"the BAT region ({bat_length} bytes) is too small for {count} entries",
                                  path=self.path, offset=bat_offset)
        # read straight into the array that becomes the offsets (each entry is replaced in place by its block's
        # file offset, the sector-bitmap entries squeezed out): one copy of the BAT in memory, not three
        bat = array("Q", [0]) * count
        if count and self.source.pread_into(bat_offset, memoryview(bat).cast("B")) != count * 8:
            raise DiskFormatError(f"file is truncated: the BAT ({count * 8} bytes) ends past the end of the file",
                                  path=self.path, offset=bat_offset)
        if sys.byteorder != "little":  # pragma: no cover
            bat.byteswap()
        blocks = vf.payload_blocks(self.virtual_size, self.block_size)
        ratio = vf.chunk_ratio(self.block_size, self.logical_sector)
        offsets = bat  # offsets[i] is written after bat[i + i // ratio] (never behind i) was read
        bs, size = self.block_size, self.file_size
        reserved = [(name, at, length) for name, at, length in self._reserved if length]
        past = max(at + length for _name, at, length in reserved)  # blocks from here on clash with nothing
        for i in range(blocks):
            entry = bat[i + i // ratio]
            state = entry & 7
            if state in (vf.PAYLOAD_NOT_PRESENT, vf.PAYLOAD_UNDEFINED, vf.PAYLOAD_ZERO, vf.PAYLOAD_UNMAPPED):
                offsets[i] = 0
                continue
            where = bat_offset + 8 * (i + i // ratio)
            if state == 7:  # PAYLOAD_BLOCK_PARTIALLY_PRESENT
                raise DiskFormatError(f"BAT entry for block {i} says partially present, which only a differencing "
                                      "disk may say", path=self.path, offset=where)
            if state != vf.PAYLOAD_FULLY_PRESENT:
                raise DiskFormatError(f"BAT entry for block {i} has state {state}, which the VHDX format does not "
                                      "define", path=self.path, offset=where)
            off = (entry >> 20) << 20
            need = min(bs, self.virtual_size - i * bs)
            if off + need > size:
                raise DiskFormatError(f"BAT entry for block {i} points to {off}, past the end of the file ({size} "
                                      "bytes)", path=self.path, offset=where)
            clash = None if off >= past else next(
                (name for name, at, length in reserved if off < at + length and at < off + need), None)
            if clash is not None:
                raise DiskFormatError(f"BAT entry for block {i} points to {off}, into the file's {clash}",
                                      path=self.path, offset=where)
            offsets[i] = off
        del offsets[blocks:]  # the sector-bitmap entries and the BAT's unused tail
        self._offsets = offsets

    # --- DiskImage --------------------------------------------------------------------------------------

    def info(self) -> ImageInfo:
        allocated = sum(min(self.block_size, self.virtual_size - i * self.block_size)
                        for i, o in enumerate(self._offsets) if o)
        # Hyper-V and qemu mark fixed disks with LeaveBlocksAllocated; the BAT alone cannot tell them apart
        subformat = "fixed" if self.leave_blocks_allocated else "dynamic"
        return ImageInfo(
            path=self.path, format="vhdx", subformat=subformat, virtual_size=self.virtual_size,
            allocated_bytes=allocated, file_size=self.file_size,
            extents=[ExtentInfo(self.path, "VHDX", 0, self.virtual_size)],
            details={"block_size": self.block_size, "logical_sector_size": self.logical_sector,
                     "physical_sector_size": self.physical_sector, "header_sequence": self.header.sequence,
                     "creator": self.creator})

    def allocated_ranges(self) -> Iterator[tuple[int, int]]:
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
        bs = self.block_size
        pos = offset
        run_buf = run_file = run_len = 0  # a pending read of file-contiguous blocks
        while pos < end:
            blk = pos // bs
            blk_end = min(end, (blk + 1) * bs)
            n = blk_end - pos
            base = self._offsets[blk]
            if base:
                at = base + pos - blk * bs
                if run_len and run_file + run_len == at and run_buf + run_len == pos - offset:
                    run_len += n
                else:
                    self._pread(run_file, buf[run_buf:run_buf + run_len])
                    run_buf, run_file, run_len = pos - offset, at, n
            else:
                fill_zero(buf[pos - offset:blk_end - offset])
            pos = blk_end
        self._pread(run_file, buf[run_buf:run_buf + run_len])

    def _pread(self, file_offset: int, view: memoryview) -> None:
        if not len(view):
            return
        got = (read_sparse(self.source, file_offset, view) if self._sparse
               else self.source.pread_into(file_offset, view))
        if got != len(view):
            raise DiskFormatError("file is truncated: a data block ends past the end of the file",
                                  path=self.path, offset=file_offset)

    def close(self) -> None:
        self.source.close()

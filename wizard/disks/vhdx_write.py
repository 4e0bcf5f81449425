"""VHDX writer: dynamic (default) or fixed, written in one pass in any order, metadata last.

Contract:
- ``VhdxWriter(path, virtual_size, ...)`` creates (truncates) ``path``; ``virtual_size`` is rounded up to
  the logical sector size (``writer.virtual_size`` is the final value). With ``keep_blocks`` (a dynamic disk
  only) it continues an interrupted file instead: the payload holds those blocks, in that order, and the
  file is cut after them; ``durable()`` makes everything written so far durable (a checkpoint).
- ``write(offset, data)`` stores ``data`` at the virtual ``offset``, in any order. In a dynamic disk a
  block is allocated (appended at the end of the file) the first time non-zero data reaches it; zero data
  never allocates. Blocks that never receive data are recorded as PAYLOAD_BLOCK_ZERO with offset 0.
  With ``write_once=True`` the caller promises never to write the same byte twice; zero runs inside
  allocated blocks are then skipped (they are holes of the fresh file and read as zeros).
- ``finish()`` writes BAT, metadata region, region tables, file identifier and then both headers, fsyncs
  once and closes. Until then no reader accepts the file. ``abort()`` just closes it.
- A fixed disk is header area + metadata + BAT + payload, every block FULLY_PRESENT at its place.
- With ``output`` (a :class:`wizard.disks.output.RandomWriter`, e.g. a file on an SMB share) nothing is
  opened locally: every write, the final size and the flush go to ``output``, and ``path`` only names the
  file in messages. ``finish()`` then ends with ``output.sync()``; closing ``output`` stays with its owner.
"""

from __future__ import annotations

import os
import sys
import uuid
from array import array

from wizard.disks import vhdx_format as vf
from wizard.disks.writeio import WriteBatch, is_zero, nonzero_runs, open_direct, os_error, pwrite_all


class VhdxWriter:
    format = "vhdx"

    def __init__(self, path: str | os.PathLike[str], virtual_size: int, *, block_size: int = 32 * vf.MiB,
                 logical_sector: int = 512, physical_sector: int = 4096, fixed: bool = False,
                 write_once: bool = False, creator: str = "hvmigrate", output=None,
                 keep_blocks: list[int] | None = None) -> None:
        virtual_size = vf.round_up(virtual_size, logical_sector) if logical_sector in vf.SECTOR_SIZES else virtual_size
        vf.validate_geometry(virtual_size, block_size, logical_sector, physical_sector)
        self.path = os.fspath(path)
        self.virtual_size = virtual_size
        self.block_size = block_size
        self.logical_sector = logical_sector
        self.physical_sector = physical_sector
        self.fixed = fixed
        self.write_once = write_once
        self.creator = creator
        self._blocks = vf.payload_blocks(virtual_size, block_size)
        self._ratio = vf.chunk_ratio(block_size, logical_sector)
        self._bat_length = vf.bat_region_length(virtual_size, block_size, logical_sector)
        self._data_start = vf.BAT_OFFSET + self._bat_length
        self._offsets = array("Q", bytes(8 * self._blocks))  # file offset per payload block, 0 = none
        if fixed:
            for i in range(self._blocks):
                self._offsets[i] = self._data_start + i * block_size
            self._next_free = self._data_start + self._blocks * block_size
        else:
            self._next_free = self._data_start
        self._out = output
        if output is not None:
            self._fd = self._direct_fd = -1
            self._batch = WriteBatch(-1, self.path, out=output)
            if keep_blocks is not None:
                self._keep(keep_blocks)
            return
        flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | (0 if keep_blocks is not None else os.O_TRUNC)
        try:
            self._fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            raise os_error(self.path, exc) from None
        if keep_blocks is not None:
            try:
                self._keep(keep_blocks)
            except BaseException:
                os.close(self._fd)  # the caller removes the file next (Windows refuses while it is open)
                self._fd = -1
                raise
        self._direct_fd = open_direct(self.path)
        self._batch = WriteBatch(self._fd, self.path, self._direct_fd)

    def _keep(self, blocks: list[int]) -> None:
        """Continue an interrupted dynamic disk whose payload holds ``blocks`` (ascending), in that order."""
        if self.fixed:
            raise ValueError("only a dynamic VHDX can be continued")
        for i, blk in enumerate(blocks):
            self._offsets[blk] = self._data_start + i * self.block_size
        self._next_free = self._data_start + len(blocks) * self.block_size
        have = self._out.size if self._out is not None else os.fstat(self._fd).st_size
        if blocks and have < self._next_free:  # no block yet (a blank start): the file may still be empty
            raise ValueError(f"{self.path} is shorter than the {len(blocks)} blocks it should hold")
        # what came after the last checkpoint may be torn
        if self._out is not None:
            self._out.truncate(self._next_free)
        else:
            os.ftruncate(self._fd, self._next_free)

    def through_page_cache(self) -> None:
        """Write the payload buffered from now on, not with ``O_DIRECT``: for a read-back that trails the writer
        (:class:`wizard.disks.verify.TrailingVerify`), which then finds each piece in memory instead of reading
        it from the device a second time (on a disk that shares its bandwidth between reads and writes that
        doubled the verified conversion's time)."""
        self._batch.flush()
        if self._direct_fd >= 0:
            os.close(self._direct_fd)
            self._direct_fd = -1
        self._batch.direct_fd = -1

    def durable(self) -> None:
        """Everything written so far is on disk (fsync, or the output's sync): a checkpoint for a later resume."""
        self._batch.flush()
        if self._out is not None:
            self._out.sync()
        elif self._fd >= 0:
            try:
                os.fsync(self._fd)
            except OSError as exc:
                raise os_error(self.path, exc) from None

    @property
    def bytes_written(self) -> int:
        """Payload bytes written so far (zero runs that were skipped are not counted)."""
        return self._batch.written

    @property
    def file_size(self) -> int:
        return self._next_free

    def write(self, offset: int, data: bytes | bytearray | memoryview) -> None:
        view = memoryview(data).cast("B") if not isinstance(data, memoryview) or data.format != "B" else data
        end = offset + len(view)
        if offset < 0 or end > self.virtual_size:
            raise ValueError(f"write of {len(view)} bytes at {offset} is outside the disk ({self.virtual_size})")
        bs = self.block_size
        batch = self._batch
        pos = offset
        while pos < end:
            blk = pos // bs
            blk_end = min(end, (blk + 1) * bs)
            piece = view[pos - offset:blk_end - offset]
            base = self._offsets[blk]
            if base == 0:
                if is_zero(piece):
                    pos = blk_end
                    continue
                base = self._offsets[blk] = self._next_free
                self._next_free += bs
            at = base + pos - blk * bs
            if self.write_once:
                for a, b in nonzero_runs(piece):
                    batch.add(at + a, piece[a:b])
            else:
                batch.add(at, piece)
            pos = blk_end
        batch.flush()

    def _bat(self) -> bytes:
        count = vf.bat_entry_count(self.virtual_size, self.block_size, self.logical_sector)
        bat = array("Q", bytes(8 * count))
        ratio = self._ratio
        zero = vf.PAYLOAD_ZERO
        present = vf.PAYLOAD_FULLY_PRESENT
        for i, off in enumerate(self._offsets):
            bat[i + i // ratio] = ((off >> 20) << 20) | present if off else zero
        if sys.byteorder != "little":  # pragma: no cover - the format is little-endian
            bat.byteswap()
        return bat.tobytes()

    def _pwrite(self, data: bytes, offset: int) -> None:
        if self._out is not None:
            self._out.pwritev([data], offset)
        else:
            pwrite_all(self._fd, data, offset, self.path)

    def finish(self) -> None:
        """Write all metadata (headers last), fsync once, close."""
        fd, out = self._fd, self._out
        try:
            self._batch.flush()
            if out is not None:
                out.truncate(self._next_free)
            else:
                os.ftruncate(fd, self._next_free)
            self._pwrite(self._bat(), vf.BAT_OFFSET)
            page83 = uuid.uuid4().bytes_le
            self._pwrite(vf.pack_metadata_region(self.virtual_size, self.block_size, self.logical_sector,
                                                 self.physical_sector, page83, fixed=self.fixed), vf.METADATA_OFFSET)
            regions = vf.pack_region_table([
                vf.RegionEntry(vf.BAT_GUID, vf.BAT_OFFSET, self._bat_length, True),
                vf.RegionEntry(vf.METADATA_GUID, vf.METADATA_OFFSET, vf.METADATA_LENGTH, True),
            ])
            for off in vf.REGION_OFFSETS:
                self._pwrite(regions, off)
            self._pwrite(vf.pack_file_identifier(self.creator), vf.FILE_ID_OFFSET)
            file_guid, data_guid = uuid.uuid4().bytes_le, uuid.uuid4().bytes_le
            for seq, off in enumerate(vf.HEADER_OFFSETS, start=1):
                self._pwrite(vf.Header(seq, file_guid, data_guid).pack(), off)
            if out is not None:
                out.sync()
            else:
                os.fsync(fd)
        except OSError as exc:
            raise os_error(self.path, exc) from None
        finally:
            self.abort()

    def abort(self) -> None:
        """Close the file without completing it (the caller removes it)."""
        if self._direct_fd >= 0:
            os.close(self._direct_fd)
            self._direct_fd = -1
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> VhdxWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.abort()

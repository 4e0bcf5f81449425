"""VHD writer (fixed or dynamic with 2 MiB blocks), written in one pass in any order, metadata last.

Contract (same shape as :class:`wizard.disks.vhdx_write.VhdxWriter`):
- ``VhdWriter(path, virtual_size, fixed=...)`` creates ``path``; the size is rounded up to 512 bytes and
  must not exceed 2040 GiB (Hyper-V's VHD limit) — larger disks raise :class:`PlanError`.
- ``write(offset, data)`` in any order; zero data never allocates a dynamic block; ``write_once=True``
  lets zero runs inside allocated blocks be skipped.
- ``finish()`` writes the trailing footer, BAT, dynamic header and the footer copy, fsyncs once, closes.
"""

from __future__ import annotations

import os
import struct
from array import array

from wizard.core.errors import PlanError
from wizard.core.units import human_bytes
from wizard.disks import vhd_format as hf
from wizard.disks.writeio import WriteBatch, is_zero, nonzero_runs, open_direct, os_error, pwrite_all


class VhdWriter:
    format = "vhd"

    def __init__(self, path: str | os.PathLike[str], virtual_size: int, *, fixed: bool = False,
                 write_once: bool = False) -> None:
        virtual_size = -(-virtual_size // hf.SECTOR) * hf.SECTOR
        if virtual_size > hf.MAX_SIZE:
            raise PlanError(f"a VHD holds at most 2040 GiB; this disk is {human_bytes(virtual_size)}",
                            fix="Choose the VHDX format (up to 64 TiB).")
        if virtual_size <= 0:
            raise PlanError("cannot create a VHD of size 0")
        self.path = os.fspath(path)
        self.virtual_size = virtual_size
        self.fixed = fixed
        self.write_once = write_once
        self.block_size = hf.BLOCK_SIZE
        self._entries = -(-virtual_size // hf.BLOCK_SIZE)
        self._bitmap = b"\xff" * hf.bitmap_size(hf.BLOCK_SIZE)
        self._stride = len(self._bitmap) + hf.BLOCK_SIZE
        self._bat_offset = hf.FOOTER_SIZE + hf.DYN_HEADER_SIZE
        bat_bytes = -(-4 * self._entries // hf.SECTOR) * hf.SECTOR
        self._offsets = array("Q", bytes(8 * self._entries))  # file offset of each block's data, 0 = none
        self._next_free = 0 if fixed else self._bat_offset + bat_bytes
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            raise os_error(self.path, exc) from None
        self._direct_fd = open_direct(self.path) if fixed else -1  # dynamic blocks sit 512 bytes off pages
        self._batch = WriteBatch(self._fd, self.path, self._direct_fd)

    @property
    def bytes_written(self) -> int:
        return self._batch.written

    def write(self, offset: int, data: bytes | bytearray | memoryview) -> None:
        view = memoryview(data).cast("B") if not isinstance(data, memoryview) or data.format != "B" else data
        end = offset + len(view)
        if offset < 0 or end > self.virtual_size:
            raise ValueError(f"write of {len(view)} bytes at {offset} is outside the disk ({self.virtual_size})")
        batch = self._batch
        if self.fixed:
            if self.write_once:
                for a, b in nonzero_runs(view):
                    batch.add(offset + a, view[a:b])
            else:
                batch.add(offset, view)
            batch.flush()
            return
        bs = self.block_size
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
                batch.add(self._next_free, self._bitmap)
                base = self._offsets[blk] = self._next_free + len(self._bitmap)
                self._next_free += self._stride
            at = base + pos - blk * bs
            if self.write_once:
                for a, b in nonzero_runs(piece):
                    batch.add(at + a, piece[a:b])
            else:
                batch.add(at, piece)
            pos = blk_end
        batch.flush()

    def finish(self) -> None:
        fd, path = self._fd, self.path
        try:
            self._batch.flush()
            if self.fixed:
                footer = hf.Footer(self.virtual_size, hf.TYPE_FIXED)
                os.ftruncate(fd, self.virtual_size + hf.FOOTER_SIZE)
                pwrite_all(fd, footer.pack(), self.virtual_size, path)
            else:
                footer = hf.Footer(self.virtual_size, hf.TYPE_DYNAMIC, data_offset=hf.FOOTER_SIZE)
                packed = footer.pack()
                os.ftruncate(fd, self._next_free + hf.FOOTER_SIZE)
                pwrite_all(fd, packed, self._next_free, path)
                bitmap = len(self._bitmap)
                bat = struct.pack(f">{self._entries}I", *(
                    (off - bitmap) // hf.SECTOR if off else hf.UNUSED for off in self._offsets))
                pwrite_all(fd, bat, self._bat_offset, path)
                pwrite_all(fd, hf.DynamicHeader(self._bat_offset, self._entries).pack(), hf.FOOTER_SIZE, path)
                pwrite_all(fd, packed, 0, path)
            os.fsync(fd)
        except OSError as exc:
            raise os_error(path, exc) from None
        finally:
            self.abort()

    def abort(self) -> None:
        if self._direct_fd >= 0:
            os.close(self._direct_fd)
            self._direct_fd = -1
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> VhdWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.abort()

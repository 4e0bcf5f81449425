"""Writing guest bytes into an existing VHDX in place: the delta syncs of a running VM (changed block tracking).

Contract of :class:`VhdxPatch`:
- ``VhdxPatch(file)`` opens an existing dynamic or fixed VHDX through a
  :class:`~wizard.disks.randomfile.RandomAccessFile` (a local file, or the file on the Hyper-V host's share);
  ``VhdxPatch.open_local(path)`` opens a local file and owns it. The file is validated by our VHDX reader
  (headers, region table, metadata, every BAT entry), so files from our writer, qemu-img and Hyper-V are all
  taken; a differencing disk or a log that still needs replaying is refused with the reader's typed error.
  Nothing is written until the first ``write`` that changes something.
- ``write(offset, data)`` stores guest bytes at a virtual offset. An allocated block is overwritten in place.
  A block that is not allocated is appended at the end of the file (1 MiB aligned); the file is extended
  first, so what the write does not cover reads as zeros, and it is marked FULLY_PRESENT in the BAT only at
  the next :meth:`flush`. Data that is all zeros never allocates a block (an unallocated block already reads
  as zeros). ``zero(offset, length)`` makes a range read as zeros (zeros are written into allocated blocks;
  unallocated blocks stay so). Writes of any byte range are taken; each call costs one positional write per
  file-contiguous run, so give changed extents whole (coalesce them) rather than sector by sector.
- ``flush()`` makes everything durable in the order that keeps the file consistent at every instant:
  data (and the extended file) are synced before the BAT entries that point at the new blocks are written,
  and those are synced again. Only BAT sectors whose entries change are rewritten, and each changed entry is
  an aligned 8-byte word, so a torn sector write leaves each entry old or new. Before the first change, both
  headers are rewritten (the non-current one first, each with the next sequence number) with a new
  FileWriteGuid and DataWriteGuid, as [MS-VHDX] asks, and synced; the log is not used (LogGuid stays zero),
  so after a crash at any point every reader (qemu-img, Hyper-V, ours) opens the file without replaying
  anything. After a crash: a block allocated since the last ``flush`` reads as it did before (zeros) and
  its space is taken back when the file is next patched; bytes written in place into allocated blocks may
  be old or new, as after a power loss on a real disk. Redo the interrupted delta (writes are idempotent).
- ``close()`` flushes and closes the file if the patch owns it (``open_local``); without ``close`` nothing
  in the BAT changes. After any error the object refuses further use: open the file again (it is
  consistent) and redo the writes.
- The per-MiB content digest (see :class:`wizard.disks.digest.ContentDigest`) can be kept up to date: after
  ``set_piece_digests(digests)`` (32 bytes per MiB piece, e.g. from the initial copy's verify) every write
  updates the digests of the pieces it touches: a piece the write covers whole is hashed from ``data``; for
  a piece it covers in part the rest is read from the file *before* the write (the old content) and the new
  bytes laid over it in memory, so the result is what the piece must hold, computed without reading the
  file back. ``piece_digests()`` / ``content_digest()`` give the list and the disk's content digest (equal to
  what :class:`ContentDigest` computes over the disk's content). ``touched_pieces()`` lists the pieces
  written since the last ``verify``; ``target_piece_digests(pieces)`` reads those pieces back from the file
  and hashes them; ``verify()`` flushes and compares the read-back of every touched piece with the expected
  digest (raises :class:`~wizard.core.errors.VerificationError`), so after cut-over the target's digest can
  be compared with the source's without reading unchanged data again.
- Cost of the digest: a piece a write covers in part is read once (1 MiB) before the write, so isolated small
  writes read about 1 MiB each (changed extents of 1 MiB and more cost only their hashing). Hashing runs on
  one extra thread, overlapped with the reads and writes; ``piece_digests``, ``flush`` and ``verify`` wait
  for it. Without ``set_piece_digests`` nothing is read or hashed.
- One thread at a time: the object is not thread-safe.

Example (a delta sync)::

    patch = VhdxPatch.open_local("disk.vhdx")
    patch.set_piece_digests(previous_digests)
    for offset, data in changed_extents:
        patch.write(offset, data)
    patch.verify()                 # flushes, reads back the touched MiBs, compares
    new_digests = patch.piece_digests()
    patch.close()
"""

from __future__ import annotations

import os
import sys
import uuid
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from wizard.core.errors import DiskFormatError, TargetError, VerificationError
from wizard.disks import vhdx_format as vf
from wizard.disks.digest import PIECE, digest_of_pieces, piece_digest
from wizard.disks.randomfile import LocalRandomFile, RandomAccessFile
from wizard.disks.vhdx_read import VhdxImage
from wizard.disks.writeio import ZEROS, is_zero

_SECTOR = 4096  # BAT updates are written in whole 4 KiB pages (the largest logical sector)
_OPEN_PIECES = 64  # partly written MiB pieces kept in memory until they are hashed
_READ_RUN = 16 * vf.MiB  # read-back granularity for digests


class VhdxPatch:
    """An existing VHDX opened to write guest bytes in place; see the module docstring."""

    def __init__(self, file: RandomAccessFile, *, owns_file: bool = False) -> None:
        self.file = file
        self.name = file.name
        self._owns = owns_file
        self._failed = False
        self._img = VhdxImage(file)  # validates everything; refuses a pending log and differencing disks
        self._img._sparse = False  # the file changes under the reader: no SEEK_DATA on it
        self.virtual_size: int = self._img.virtual_size
        self.block_size: int = self._img.block_size
        self.logical_sector: int = self._img.logical_sector
        self._offsets: array = self._img.block_offsets()  # shared with the reader: it sees new blocks at once
        self._ratio = vf.chunk_ratio(self.block_size, self.logical_sector)
        head = bytearray(vf.REGION_OFFSETS[1] + vf.REGION_SIZE)
        file.pread_into(0, memoryview(head))
        self._header_slot, self._header = self._current_header(head)
        regions = self._region_table(head)
        bat = next(e for e in regions if e.guid == vf.BAT_GUID)
        self._bat_offset = bat.file_offset
        count = vf.bat_entry_count(self.virtual_size, self.block_size, self.logical_sector)
        self._bat = array("Q")
        raw = bytearray(count * 8)
        file.pread_into(self._bat_offset, memoryview(raw))
        self._bat.frombytes(raw)
        if sys.byteorder != "little":  # pragma: no cover - the format is little-endian
            self._bat.byteswap()
        self._used_end = self._used(regions)
        self._next_free = self._used_end
        self._dirty_pages: set[int] = set()  # BAT pages (4 KiB) holding entries not yet written
        self._tail_clean = False  # bytes past _used_end (if any) were cut off
        self._started = False  # headers rewritten with new write GUIDs
        self._synced = True
        self._file_size = file.size
        self._digests: bytearray | None = None
        self._pool: ThreadPoolExecutor | None = None  # hashes on another core while this one reads and writes
        self._hashing: dict[int, Future] = {}  # piece → its digest being computed (the latest one counts)
        self._open: OrderedDict[int, bytearray] = OrderedDict()  # piece → its expected content, partly written
        self._touched: set[int] = set()
        self.bytes_written = 0  # guest bytes written through this object
        self.blocks_allocated = 0

    @classmethod
    def open_local(cls, path: str | os.PathLike[str]) -> VhdxPatch:
        """A patch over the local file ``path``, which it closes on :meth:`close`."""
        f = LocalRandomFile(path)
        try:
            return cls(f, owns_file=True)
        except BaseException:
            f.close()
            raise

    # --- opening --------------------------------------------------------------------------------------

    def _current_header(self, head: bytearray) -> tuple[int, vf.Header]:
        best: tuple[int, vf.Header] | None = None
        for slot, off in enumerate(vf.HEADER_OFFSETS):
            view = memoryview(head)[off:off + vf.HEADER_SIZE]
            if vf.header_signature_ok(view):
                hdr = vf.Header.parse(view)
                if hdr.version == 1 and (best is None or hdr.sequence > best[1].sequence):
                    best = (slot, hdr)
        assert best is not None  # the reader has checked that one is valid
        return best

    def _region_table(self, head: bytearray) -> list[vf.RegionEntry]:
        for off in vf.REGION_OFFSETS:
            table = vf.parse_region_table(memoryview(head)[off:off + vf.REGION_SIZE])
            if table is not None:
                return table
        raise DiskFormatError("neither VHDX region table is valid", path=self.name, offset=vf.REGION_OFFSETS[0])

    def _used(self, regions: list[vf.RegionEntry]) -> int:
        """The end of everything the file's structures refer to, 1 MiB aligned: new blocks go there. Bytes
        after it belong to nothing (blocks a crash left unreferenced) and are cut off before allocating."""
        end = max(vf.MiB, self._header.log_offset + self._header.log_length)
        for e in regions:
            end = max(end, e.file_offset + e.length)
        bs = self.block_size
        for i, entry in enumerate(self._bat):
            off = (entry >> 20) << 20
            if off:  # whatever the state: space a block still owns is never handed out again
                end = max(end, off + (vf.MiB if (i + 1) % (self._ratio + 1) == 0 else bs))
        return vf.round_up(end, vf.MiB)

    # --- writing --------------------------------------------------------------------------------------

    def _check(self) -> None:
        if self._failed:
            raise TargetError(f"{self.name}: an earlier write to this disk failed",
                              fix="Open the disk again and repeat the writes since the last flush.")

    def _begin(self) -> None:
        """Before the first change: new FileWriteGuid and DataWriteGuid in both headers ([MS-VHDX] 2.2.2)."""
        if self._started:
            return
        hdr = self._header
        hdr.file_write_guid = uuid.uuid4().bytes_le
        hdr.data_write_guid = uuid.uuid4().bytes_le
        slot = self._header_slot
        for _ in range(2):  # the non-current header first; then the other, so both carry the new GUIDs
            slot ^= 1
            hdr.sequence += 1
            self.file.pwritev([hdr.pack()], vf.HEADER_OFFSETS[slot])
            self.file.sync()
        self._header_slot = slot
        self._started = True

    def write(self, offset: int, data: bytes | bytearray | memoryview) -> None:
        """Store ``data`` at the virtual ``offset`` (see the module docstring)."""
        self._check()
        view = memoryview(data).cast("B") if not isinstance(data, memoryview) or data.format != "B" else data
        end = offset + len(view)
        if offset < 0 or end > self.virtual_size:
            raise ValueError(f"write of {len(view)} bytes at {offset} is outside the disk ({self.virtual_size})")
        if not len(view):
            return
        try:
            self._write(offset, view, end)
        except BaseException:
            self._failed = True
            raise

    def _write(self, offset: int, view: memoryview, end: int) -> None:
        if self._digests is not None:
            self._update_digests(offset, view, end)
        bs = self.block_size
        runs: list[tuple[int, list[memoryview], int]] = []  # (file offset, pieces, length), file-contiguous
        grow = 0
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
                base = self._allocate(blk)
                grow = self._next_free
            at = base + pos - blk * bs
            if runs and runs[-1][0] + runs[-1][2] == at:
                start, pieces, n = runs[-1]
                pieces.append(piece)
                runs[-1] = (start, pieces, n + len(piece))
            else:
                runs.append((at, [piece], len(piece)))
            pos = blk_end
        if not runs:
            return
        self._begin()
        if grow:
            if not self._tail_clean and self._file_size > self._used_end:
                # bytes past our structures belong to nothing (blocks a crash left unreferenced): the new
                # blocks must start from clean space
                self.file.truncate(self._used_end)
                self._file_size = self._used_end
            self._tail_clean = True
            if grow > self._file_size:
                # the new blocks exist (and read as zeros) before any data lands in them
                self.file.truncate(grow)
                self._file_size = grow
        for at, pieces, n in runs:
            self.file.pwritev(pieces, at)
            self.bytes_written += n
        self._synced = False

    def _allocate(self, blk: int) -> int:
        base = self._next_free
        self._next_free += self.block_size
        self._offsets[blk] = base
        idx = vf.bat_index(blk, self._ratio)
        self._bat[idx] = vf.bat_entry(vf.PAYLOAD_FULLY_PRESENT, base)
        self._dirty_pages.add(idx * 8 // _SECTOR)
        self.blocks_allocated += 1
        return base

    def zero(self, offset: int, length: int) -> None:
        """Make ``[offset, offset + length)`` read as zeros (unallocated blocks stay unallocated)."""
        end = offset + length
        if offset < 0 or end > self.virtual_size:
            raise ValueError(f"zeroing {length} bytes at {offset} is outside the disk ({self.virtual_size})")
        pos = offset
        while pos < end:
            n = min(end - pos, len(ZEROS))
            self.write(pos, memoryview(ZEROS)[:n])
            pos += n

    def flush(self) -> None:
        """Make every write durable, then point the BAT at the new blocks and make that durable too."""
        self._check()
        try:
            self._close_pieces()
            if self._synced and not self._dirty_pages:
                return
            self.file.sync()  # data and the extended file first: no BAT entry may point at unwritten space
            if self._dirty_pages:
                self._write_bat()
                self.file.sync()
            self._used_end = self._next_free
            self._synced = True
        except BaseException:
            self._failed = True
            raise

    def _write_bat(self) -> None:
        per = _SECTOR // 8
        pages = sorted(self._dirty_pages)
        raw = self._bat if sys.byteorder == "little" else self._swapped()
        n = len(raw)
        i = 0
        while i < len(pages):
            j = i
            while j + 1 < len(pages) and pages[j + 1] == pages[j] + 1:
                j += 1
            first, last = pages[i] * per, min(n, (pages[j] + 1) * per)
            self.file.pwritev([memoryview(raw)[first:last].cast("B")], self._bat_offset + first * 8)
            i = j + 1
        self._dirty_pages.clear()

    def _swapped(self) -> array:  # pragma: no cover - big-endian hosts only
        copy = array("Q", self._bat)
        copy.byteswap()
        return copy

    def close(self) -> None:
        """Flush (unless an earlier error made that unsafe) and close the file if this object owns it."""
        try:
            if not self._failed:
                self.flush()
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None
            if self._owns:
                self.file.close()

    def __enter__(self) -> VhdxPatch:
        return self

    def __exit__(self, exc_type, *exc: object) -> None:
        if exc_type is not None:
            self._failed = True  # leave the BAT as the last flush left it
        self.close()

    # --- reading --------------------------------------------------------------------------------------

    def readinto(self, offset: int, buf: memoryview) -> None:
        """Guest bytes at ``offset`` as they are now (including writes not yet flushed)."""
        self._img.readinto(offset, buf)

    def read(self, offset: int, length: int) -> bytes:
        buf = bytearray(length)
        self.readinto(offset, memoryview(buf))
        return bytes(buf)

    # --- content digest -------------------------------------------------------------------------------

    @property
    def piece_count(self) -> int:
        return -(-self.virtual_size // PIECE)

    def set_piece_digests(self, digests: bytes | bytearray | None) -> None:
        """Keep these per-MiB digests (32 bytes per piece, in order) up to date from now on; None stops it."""
        if digests is not None and len(digests) != 32 * self.piece_count:
            raise ValueError(f"{len(digests)} bytes of piece digests for {self.piece_count} pieces")
        self._open.clear()
        for fut in self._hashing.values():
            fut.cancel()
        self._hashing.clear()
        self._digests = bytearray(digests) if digests is not None else None

    def piece_digests(self) -> bytes:
        """The per-MiB digests of the disk's content as the writes so far leave it."""
        if self._digests is None:
            raise ValueError("no piece digests were set (set_piece_digests)")
        self._close_pieces()
        return bytes(self._digests)

    def content_digest(self) -> str:
        """The disk's content digest (as :class:`wizard.disks.digest.ContentDigest` defines it)."""
        return digest_of_pieces(self.piece_digests())

    def touched_pieces(self) -> list[int]:
        """The MiB pieces written since this object was opened or last verified, ascending."""
        return sorted(self._touched)

    def _piece_len(self, p: int) -> int:
        return min(PIECE, self.virtual_size - p * PIECE)

    def _update_digests(self, offset: int, view: memoryview, end: int) -> None:
        digests = self._digests
        assert digests is not None
        for p in range(offset // PIECE, (end - 1) // PIECE + 1):
            self._touched.add(p)
            start, stop = p * PIECE, p * PIECE + self._piece_len(p)
            if offset <= start and stop <= end:
                self._open.pop(p, None)
                piece = view[start - offset:stop - offset]
                self._hash_later(p, bytes(piece))  # a copy: the caller may reuse its buffer
                continue
            buf = self._open.get(p)
            if buf is None:
                buf = bytearray(stop - start)
                self._img.readinto(start, memoryview(buf))  # the old content, before this write lands
                self._open[p] = buf
                if len(self._open) > _OPEN_PIECES:
                    self._close_piece(*self._open.popitem(last=False))
            else:
                self._open.move_to_end(p)
            lo, hi = max(offset, start), min(end, stop)
            buf[lo - start:hi - start] = view[lo - offset:hi - offset]

    def _close_piece(self, p: int, buf: bytearray) -> None:
        self._hash_later(p, buf)

    def _hash_later(self, p: int, data: bytes | bytearray) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="vhdx-patch-hash")
        self._hashing.pop(p, None)  # a newer content replaces the one being hashed
        self._hashing[p] = self._pool.submit(piece_digest, data)
        if len(self._hashing) > _OPEN_PIECES:
            self._settle()

    def _settle(self) -> None:
        """Wait for the digests being computed and store them."""
        digests = self._digests
        assert digests is not None
        for p, fut in self._hashing.items():
            digests[32 * p:32 * p + 32] = fut.result()
        self._hashing.clear()

    def _close_pieces(self) -> None:
        while self._open:
            self._close_piece(*self._open.popitem(last=False))
        if self._hashing:
            self._settle()

    def target_piece_digests(self, pieces: Iterable[int]) -> dict[int, bytes]:
        """Read these MiB pieces back from the file and hash them (contiguous pieces are read together, and
        hashed on another core while the next run is read)."""
        self._check()
        todo = sorted(set(pieces))
        if todo and (todo[0] < 0 or todo[-1] >= self.piece_count):
            raise ValueError(f"piece {todo[0] if todo[0] < 0 else todo[-1]} is outside the disk")
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="vhdx-patch-hash")
        out: dict[int, bytes] = {}
        inflight: list[Future] = []
        i = 0
        while i < len(todo):
            j = i
            while j + 1 < len(todo) and todo[j + 1] == todo[j] + 1 and (j + 2 - i) * PIECE <= _READ_RUN:
                j += 1
            first, last = todo[i], todo[j]
            start = first * PIECE
            buf = bytearray(min(self.virtual_size, (last + 1) * PIECE) - start)
            self._img.readinto(start, memoryview(buf))
            inflight.append(self._pool.submit(self._hash_run, first, last, buf))
            if len(inflight) > 1:
                out.update(inflight.pop(0).result())
            i = j + 1
        for fut in inflight:
            out.update(fut.result())
        return out

    def _hash_run(self, first: int, last: int, buf: bytearray) -> dict[int, bytes]:
        view = memoryview(buf)
        return {p: piece_digest(view[(p - first) * PIECE:(p - first) * PIECE + self._piece_len(p)])
                for p in range(first, last + 1)}

    def verify(self, pieces: Iterable[int] | None = None) -> None:
        """Flush, read back ``pieces`` (default: every piece touched since the last verify) and compare each
        with its expected digest; raises VerificationError naming the first piece that differs."""
        if self._digests is None:
            raise ValueError("no piece digests were set (set_piece_digests)")
        self.flush()
        want = self.touched_pieces() if pieces is None else sorted(set(pieces))
        got = self.target_piece_digests(want)
        for p in want:
            if got[p] != self._digests[32 * p:32 * p + 32]:
                raise VerificationError(
                    f"{self.name}: the MiB at virtual offset {p * PIECE} does not hold what was written to it",
                    fix="Run the synchronisation again; if it fails again, copy the disk in full.")
        if pieces is None:
            self._touched.clear()
        else:
            self._touched.difference_update(want)

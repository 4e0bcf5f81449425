"""The verify pass of a conversion: the written disk, read back with our own reader, against the source.

Contract of :func:`verify_output`: the output's virtual size must be the expected one; when the source was
digested in order (:class:`~wizard.disks.digest.ContentDigest`) the output's content digest must equal it; a
source that delivered chunks out of order (:class:`~wizard.disks.pipeline.ChunkDigests`) has every chunk
found, byte for byte, at its place in the output. Any difference raises :class:`VerificationError` naming
the output; the content digest is returned. Every hash here checks ``cancel`` every chunk read and every
4 GiB of holes chained, so Ctrl+C, SIGTERM and the wizard's Cancel stop a verify of any size at once.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import queue
import threading
from collections.abc import Callable

from wizard.core.errors import DiskFormatError, VerificationError
from wizard.core.progress import CancelToken, Meter, ProgressSink
from wizard.disks.bytesource import LocalFile
from wizard.disks.digest import ContentDigest
from wizard.disks.image import DiskImage
from wizard.disks.pipeline import ChunkDigests, HashThread
from wizard.disks.writeio import aligned_buffer, fill_zero, is_zero, nonzero_runs


def hash_image(img: DiskImage, size: int, meter: Meter, cancel: CancelToken | None, max_chunk: int) -> str:
    """The content digest of ``img`` up to ``size`` bytes: its allocated ranges are read, holes never are."""
    hasher = ContentDigest()
    worker = HashThread(hasher, max_chunk)
    try:
        last = 0
        for start, length in img.allocated_ranges():  # ascending by contract; never materialised
            pos, end = max(start, last), min(start + length, img.virtual_size)
            while pos < end:
                if cancel is not None:
                    cancel.check()
                n = min(max_chunk, end - pos)
                buf = worker.buffer()
                view = buf[:n]
                img.readinto(pos, view)
                worker.submit(pos, view, buf)
                pos += n
                meter.update(pos)
            last = max(last, pos)
    finally:
        worker.close()
    return hasher.hexdigest(size, cancel)


def check_chunks(out: DiskImage, digests: ChunkDigests, dst: str, cancel: CancelToken | None,
                  max_chunk: int) -> None:
    """Every chunk the source delivered must be found, byte for byte, at its place in the output."""
    buf = memoryview(bytearray(max_chunk))
    for offset, length, digest in sorted(digests.items):
        if cancel is not None:
            cancel.check()
        h = hashlib.sha256()
        for pos in range(offset, offset + length, max_chunk):
            view = buf[:min(max_chunk, offset + length - pos)]
            out.readinto(pos, view)
            h.update(view)
        if h.digest() != digest:
            raise VerificationError(f"{dst}: the written disk does not match the source at offset {offset}")


def _open_written(open_out: Callable[[], DiskImage], dst: str) -> DiskImage:
    """The written disk opened with our reader; a file our reader refuses (truncated, bad BAT) failed the check."""
    try:
        return open_out()
    except DiskFormatError as exc:
        raise VerificationError(f"{dst}: the written disk cannot be read back: {exc}") from None


def _rehash_source(src: DiskImage, reopen: Callable[[], DiskImage] | None, size: int, meter: Meter,
                   cancel: CancelToken | None, max_chunk: int) -> str:
    """``--verify=full``: the source's content digest from a second, independent read of it."""
    try:
        return hash_image(src, size, meter, cancel, max_chunk)
    except NotImplementedError:  # a one-pass stream: only a fresh image of it can be read again
        if reopen is None:
            raise VerificationError(f"{src.path}: the source cannot be read a second time for a full "
                                    "verification") from None
    hasher = ContentDigest()
    with reopen() as again:
        for offset, view in again.chunks(max_chunk, cancel):
            hasher.add(offset, view)
    if not hasher.in_order:
        raise VerificationError(f"{src.path}: the source cannot be read in order for a full verification")
    return hasher.hexdigest(size, cancel)


def _source_unchanged(expected: str, src: DiskImage, reopen: Callable[[], DiskImage] | None, size: int,
                      meter: Meter, cancel: CancelToken | None, max_chunk: int) -> None:
    if _rehash_source(src, reopen, size, meter, cancel, max_chunk) != expected:
        raise VerificationError(f"{src.path}: the source changed during the conversion: a second read of it "
                                "differs from what was converted")


def verify_output(src: DiskImage, open_out: Callable[[], DiskImage], hasher, out_size: int, dst: str,
                  max_chunk: int, progress: ProgressSink | None, cancel: CancelToken | None, *, full: bool = False,
                  reopen: Callable[[], DiskImage] | None = None) -> str:
    """The verify pass after the flush: re-read the written disk (``open_out()``) and check it against the
    source's hash or chunk digests; returns the content digest. With ``full`` the source is read a second
    time too and must still give that digest. Raises :class:`VerificationError` naming ``dst``."""
    vmeter = Meter(progress, "verify", total=out_size)
    source_sha = ""
    if isinstance(hasher, ContentDigest):  # re-read the source only if it broke its promise of order
        source_sha = (hasher.hexdigest(out_size, cancel) if hasher.in_order
                      else hash_image(src, out_size, vmeter, cancel, max_chunk))
    with _open_written(open_out, dst) as out:
        if out.virtual_size != out_size:
            raise VerificationError(f"{dst}: the written disk has size {out.virtual_size}, expected {out_size}")
        if isinstance(hasher, ChunkDigests):
            check_chunks(out, hasher, dst, cancel, max_chunk)
        got = hash_image(out, out_size, vmeter, cancel, max_chunk)
    sha = source_sha or got  # chunk digests were checked above when there is no source hash
    if got != sha:
        raise VerificationError(f"{dst}: the written disk does not match the source (content digest differs)")
    if full:
        _source_unchanged(sha, src, reopen, out_size, vmeter, cancel, max_chunk)
    vmeter.finish()
    return sha


def verify_trailed(trail: TrailingVerify, src: DiskImage, open_out: Callable[[], DiskImage], hasher: ContentDigest,
                   out_size: int, dst: str, max_chunk: int, progress: ProgressSink | None,
                   cancel: CancelToken | None, *, full: bool = False,
                   reopen: Callable[[], DiskImage] | None = None) -> str:
    """The verify pass after a trailing read-back (``trail``, finished): the flushed file, opened anew with our
    reader, must have the expected size and map every block where it was read back; returns the source's
    content digest (which the read-back proved the output has). With ``full`` the output is also hashed after
    the flush and the source read a second time: both must give that digest."""
    vmeter = Meter(progress, "verify", total=out_size)
    sha = hasher.hexdigest(out_size, cancel)
    with _open_written(open_out, dst) as out:
        trail.check_output(out, out_size)
        if full and hash_image(out, out_size, vmeter, cancel, max_chunk) != sha:
            raise VerificationError(f"{dst}: the written disk does not match the source (content digest differs)")
    if full:
        _source_unchanged(sha, src, reopen, out_size, vmeter, cancel, max_chunk)
    vmeter.finish()
    return sha


class _GrowingFile(LocalFile):
    """A :class:`LocalFile` still being written: bytes past its current end read as zeros (a fixed or sparse
    output gets its final length only at the writer's ``finish()``; until then the zero runs it skipped lie
    beyond the end). A write that did not land thus reads as zeros and differs from the source's data; the
    finished file's length is checked by the reader that opens it after the flush.

    The writer writes through the page cache while it is read back (:meth:`VhdxWriter.through_page_cache`), so
    each piece is read from memory just after it was written; :meth:`drop_behind` then lets the kernel write
    those pages out and free them, so converting a large disk does not push everything else out of memory."""

    _UNBOUNDED = 1 << 62
    _DROP_EVERY = 64 * 1024 * 1024

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self._dropped = 0  # file offsets below were handed to the kernel to write out and forget
        self._seek_data = hasattr(os, "SEEK_DATA")
        self.seek_unproven = self._seek_data  # until SEEK_DATA was seen to find data just written (see prove_seek)

    @property
    def size(self) -> int:
        return self._UNBOUNDED

    @size.setter
    def size(self, _value: int) -> None:  # LocalFile.__init__ records the size at open: ignored here
        pass

    def pread_into(self, offset: int, buf: memoryview) -> int:
        got = super().pread_into(offset, buf)
        if got < len(buf):
            fill_zero(buf[got:])
        return len(buf)

    def holds_data(self, start: int, end: int) -> bool:
        """False when the file has nothing stored in ``[start, end)``: a hole, or past its end (reads as zeros
        without being read). True where data may be, or where the file system cannot tell."""
        if not self._seek_data:
            return True
        try:
            return os.lseek(self.fileno(), start, os.SEEK_DATA) < end
        except OSError as exc:
            return exc.errno != errno.ENXIO  # ENXIO: no data from ``start`` to the end of the file

    def prove_seek(self, start: int, end: int) -> None:
        """``[start, end)`` was just written with data: a file system whose SEEK_DATA calls it a hole (data not yet
        on disk, as some versions of OpenZFS and FUSE file systems report) is not asked again, and every range
        the source left empty is then read."""
        if not self.holds_data(start, end):
            self._seek_data = False
        self.seek_unproven = False

    def drop_behind(self, upto: int) -> None:
        """The pages below file offset ``upto`` were read back: start writing them out and free the clean ones.
        Each call covers the previous window again, so pages that were still being written then go now."""
        if upto - self._dropped < self._DROP_EVERY or not hasattr(os, "posix_fadvise"):
            return
        low = max(0, self._dropped - self._DROP_EVERY)
        with contextlib.suppress(OSError):
            os.posix_fadvise(self.fileno(), low, upto - low, os.POSIX_FADV_DONTNEED)
        self._dropped = upto


class TrailingVerify:
    """The default (single-pass) verify of a local VHDX: reads back each piece just after it was written, on a
    thread of its own, and compares it byte for byte with the source's bytes still in the read buffer.

    Contract: ``submit(offset, view, token)`` after ``writer.write(offset, view)`` returned, in ascending
    order; ``release(token)`` is called once the piece was compared (the buffer may then be reused). The read-back
    goes through our VHDX reader's ``readinto`` over the writer's live block table (:meth:`VhdxImage.live`), so it
    decodes the file as any reader of the finished disk will; a range the source did not deliver (a hole) must
    read as zeros, checked once the writer is past its block. :meth:`finish` checks the rest of the disk, and
    :meth:`check_output` (after the writer's final flush) that the finished file, opened anew, has our size and
    a BAT that maps every block where its bytes were read back. Any difference raises
    :class:`VerificationError` naming the output. The source is read once; its content digest is computed in
    the same pass (see :func:`wizard.disks.convert._copy_content`).
    """

    def __init__(self, writer, release: Callable[[list], None], dst: str, max_chunk: int) -> None:
        from wizard.disks.vhdx_read import VhdxImage

        self._writer, self._release, self._dst = writer, release, dst
        self._file = _GrowingFile(writer.path)
        self._img = VhdxImage.live(self._file, writer.virtual_size, writer.block_size, writer._offsets,
                                   sparse=False)
        writer.through_page_cache()
        self._buf = aligned_buffer(max_chunk)  # over an mmap, whose find() is a memcmp (a bytearray's is 30x slower)
        self._end = 0  # everything below was compared or checked to be zero
        self._gaps: list[tuple[int, int]] = []  # source holes waiting until the writer is past their blocks
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._error: BaseException | None = None
        self.used = False
        self._thread = threading.Thread(target=self._run, name="hvm-verify", daemon=True)
        self._thread.start()

    @classmethod
    def for_writer(cls, writer, release: Callable[[list], None], dst: str, max_chunk: int) -> TrailingVerify | None:
        """A trailing verify for ``writer`` when it can have one: a local VHDX written from scratch."""
        from wizard.disks.vhdx_write import VhdxWriter

        if type(writer) is not VhdxWriter or writer._out is not None or writer._fd < 0:
            return None
        try:
            return cls(writer, release, dst, max_chunk)
        except Exception:  # noqa: BLE001 - the verify after the flush then does the work
            return None

    def submit(self, offset: int, view: memoryview, token: list) -> None:
        self.used = True
        if self._error is not None:
            self._release(token)
            raise self._error
        self._jobs.put((offset, view, token))

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            offset, view, token = job
            try:
                if self._error is None:
                    self._compare(offset, view)
            except BaseException as exc:  # noqa: BLE001 - raised on the converting thread
                self._error = exc
            finally:
                self._release(token)

    def _mismatch(self, offset: int) -> VerificationError:
        return VerificationError(f"{self._dst}: the written disk does not match the source at offset {offset}")

    def _compare(self, offset: int, view: memoryview) -> None:
        if offset < self._end:
            raise VerificationError(f"{self._dst}: the source delivered offset {offset} twice or out of order")
        if offset > self._end:
            self._gaps.append((self._end, offset))
        n = len(view)
        back, mem = self._buf, self._buf.obj
        for i in range(0, n, len(back)):
            m = min(len(back), n - i)
            self._img.readinto(offset + i, back[:m])
            # memcmp of the one place a match can start (~30 GB/s); a memoryview == compares item by item
            if mem.find(view[i:i + m], 0, m) != 0:
                raise self._mismatch(offset + i)
        self._end = offset + n
        bs = self._writer.block_size
        if self._file.seek_unproven:
            self._prove_seek(offset, view)
        base = self._writer._offsets[(self._end - 1) // bs]
        if base:  # blocks lie in the file in the order the writer reached them: all below was read back
            self._file.drop_behind(base)
        while self._gaps and -(-self._gaps[0][1] // bs) * bs <= offset:  # no later write can reach that block
            self._check_zero(*self._gaps.pop(0))

    def _prove_seek(self, offset: int, view: memoryview) -> None:
        """Check SEEK_DATA once on the first stretch of data written (the writer leaves zeros out)."""
        bs = self._writer.block_size
        part = view[:min(len(view), bs - offset % bs)]
        first = next(nonzero_runs(part), None)
        if first is not None:
            at = self._writer._offsets[offset // bs] + offset % bs
            self._file.prove_seek(at + first[0], at + first[1])

    def _check_zero(self, start: int, end: int) -> None:
        """The range the source left empty reads as zeros: unstored blocks and the file's holes (which the
        writer leaves where it skipped zeros) cost nothing; anything stored there is read and must be zeros."""
        bs, offsets, back = self._writer.block_size, self._img.block_offsets(), self._buf
        pos = start
        while pos < end:
            blk_end = min(end, (pos // bs + 1) * bs)
            base = offsets[pos // bs]
            if base and self._file.holds_data(base + pos % bs, base + pos % bs + blk_end - pos):
                for at in range(pos, blk_end, len(back)):
                    m = min(len(back), blk_end - at)
                    self._img.readinto(at, back[:m])
                    if not is_zero(back[:m]):
                        raise self._mismatch(at)
            pos = blk_end

    def finish(self) -> None:
        """Wait for the last piece; check the disk's tail. Raises the first difference found."""
        try:
            self._stop()
            if self._error is not None:
                raise self._error
            if self._end < self._writer.virtual_size:
                self._gaps.append((self._end, self._writer.virtual_size))
            for gap in self._gaps:
                self._check_zero(*gap)
            self._gaps = []
        finally:
            self._img.close()

    def abort(self) -> None:
        """Stop without raising (the conversion failed elsewhere); pieces still queued are released unchecked."""
        self._error = self._error or VerificationError("aborted")
        self._stop()
        self._img.close()

    def _stop(self) -> None:
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()

    def check_output(self, out: DiskImage, out_size: int) -> None:
        """The finished file (``out``, opened with our reader after the flush) is the disk that was read back."""
        if out.virtual_size != out_size:
            raise VerificationError(f"{self._dst}: the written disk has size {out.virtual_size}, expected {out_size}")
        got = out.block_offsets() if hasattr(out, "block_offsets") else None
        want = self._writer._offsets
        if got is None or out.block_size != self._writer.block_size or got != want:
            first = next((i for i, (a, b) in enumerate(zip(got or [], want, strict=False)) if a != b), 0)
            raise VerificationError(f"{self._dst}: the written disk's block table (BAT) does not map block {first} "
                                    "where its data was written")

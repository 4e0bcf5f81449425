"""Convert any readable :class:`DiskImage` to VHDX or VHD, safely: partial file, fsync, verify, rename.

Contract of :func:`convert`:
- Never overwrites an existing ``dst_path`` unless ``options.overwrite``; checks free space first
  (dynamic: the allocated estimate; fixed: the full size) and raises :class:`InsufficientSpaceError`.
- Writes ``dst_path + ".partial"`` (a stale one from a killed run is replaced, or continued from its last
  checkpoint with ``checkpoints``, see :mod:`wizard.disks.resume`), fsyncs it, and with
  ``options.verify`` re-reads it with our own reader: the content digest of its virtual content
  (:class:`~wizard.disks.digest.ContentDigest`: SHA-256 over the SHA-256 of every 1 MiB; holes cost
  nothing) must equal the source's (padded with zeros to the output's size when that was rounded up to
  whole sectors). Only then is it renamed to ``dst_path``; the result carries that ``content_digest``.
- The source digest is computed while converting when the source yields its chunks in order. A source
  that yields chunks out of order (a VMware stream) cannot be digested in order without a second read, so
  each chunk's SHA-256 is recorded instead and the verify pass checks every chunk at its place in the
  output; the reported digest is then the output's.
- On any error or :class:`Cancelled` the partial file (and its checkpoint digests) is removed and the exception
  propagates; only a crash leaves them, for a resume.
- Reports progress through ``progress`` (stages "convert" and "verify") and checks ``cancel`` throughout.
- With ``output=`` (a :class:`wizard.disks.output.DiskStream`, e.g. the Hyper-V share) the same steps run
  against that destination instead of a local file (:func:`convert_into`); the stream's side of that
  contract is in :mod:`wizard.disks.output`.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from wizard.core.errors import InsufficientSpaceError, PlanError, TargetError
from wizard.core.progress import CancelToken, Meter, ProgressSink
from wizard.core.units import human_bytes
from wizard.disks.digest import ContentDigest
from wizard.disks.image import DiskImage
from wizard.disks.output import DiskStream, StreamUnavailable
from wizard.disks.pipeline import (
    ChunkDigests,
    ReadAhead,
    ReleasingHasher,
    SequentialOnly,
    WritePipeline,
)
from wizard.disks.resume import Checkpoints
from wizard.disks.verify import TrailingVerify, verify_output, verify_trailed

MiB = 1024 * 1024
FORMATS = ("vhdx", "vhd")
TYPES = ("dynamic", "fixed")
_METADATA_ALLOWANCE = 8 * MiB


def default_block_size(guest_family: str) -> int:
    """VHDX block size by guest: 1 MiB for Linux (Microsoft's advice), 32 MiB for Windows and unknown."""
    return 1 * MiB if guest_family.lower() == "linux" else 32 * MiB


@dataclass
class ConvertOptions:
    format: str = "vhdx"  # vhdx | vhd
    type: str = "dynamic"  # dynamic | fixed
    block_size: int | None = None  # VHDX only; None = default_block_size(guest_family)
    logical_sector: int = 512  # VHDX only: 512 | 4096
    physical_sector: int = 4096
    verify: bool = True
    # with verify: also re-read the source after the conversion (``--verify=full``), so a source that changed
    # meanwhile is caught; the default reads the source once (see wizard.disks.verify)
    verify_full: bool = False
    overwrite: bool = False
    guest_family: str = "unknown"  # windows | linux | unknown
    max_chunk: int = 8 * MiB


@dataclass
class ConvertResult:
    source: str
    destination: str
    format: str
    type: str
    virtual_size: int
    bytes_written: int
    content_digest: str  # the content digest (see ContentDigest); "" when verify was off
    seconds: float
    verified: bool

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class _DirectWrite:
    """Writes on the reading thread: cheapest when reading costs only a kernel copy (raw, flat, sparse)."""

    def __init__(self, writer) -> None:
        self.put = writer.write

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


def _pipeline_for(src: DiskImage, writer, hasher: ContentDigest | ChunkDigests | None, options: ConvertOptions):
    """Threads pay for their extra copy only when the reader burns CPU (decompression) or we hash."""
    try:
        compressed = "stream" in src.info().subformat.lower()
    except Exception:  # noqa: BLE001 - only a tuning hint
        compressed = True
    if hasher is None and not compressed:
        return _DirectWrite(writer)
    return WritePipeline(writer, hasher, options.max_chunk)


def _make_writer(path: str, size: int, options: ConvertOptions, output=None, keep_blocks: list[int] | None = None):
    fixed = options.type == "fixed"
    if options.format == "vhd":
        from wizard.disks.vhd_write import VhdWriter

        return VhdWriter(path, size, fixed=fixed, write_once=True)
    from wizard.disks.vhdx_write import VhdxWriter

    block = options.block_size or default_block_size(options.guest_family)
    try:
        return VhdxWriter(path, size, block_size=block, logical_sector=options.logical_sector,
                          physical_sector=options.physical_sector, fixed=fixed, write_once=True, output=output,
                          keep_blocks=keep_blocks)
    except ValueError as exc:
        raise PlanError(f"cannot create the VHDX: {exc}",
                        fix="Use a block size that is a power of two from 1 MiB to 256 MiB and sectors of 512 or "
                            "4096 bytes.") from None


def open_output(path: str, fmt: str) -> DiskImage:
    """Open a file we wrote with our own reader (used for verification)."""
    from wizard.disks.bytesource import LocalFile

    return open_output_source(LocalFile(path), fmt)


def open_output_source(src, fmt: str) -> DiskImage:
    """Open a written disk from a :class:`~wizard.disks.bytesource.ByteSource` (closed with the image)."""
    try:
        if fmt == "vhd":
            from wizard.disks.vhd_read import open_vhd

            return open_vhd(src)
        from wizard.disks.vhdx_read import open_vhdx

        return open_vhdx(src)
    except BaseException:
        src.close()
        raise


def _estimate_allocated(src: DiskImage) -> int:
    try:
        info = src.info()
        allocated = info.allocated_bytes
        if not allocated and info.subformat != "streamOptimized":
            # 0 may mean "unknown" or "empty": the allocation map tells (an upper bound; a stream would have to
            # be read through to give one, so a stream still counts at its full size)
            allocated = sum(n for _o, n in src.allocated_ranges())
            return allocated
    except Exception:  # noqa: BLE001 - an estimate only; a broken source fails loudly later
        allocated = 0
    return allocated or src.virtual_size


def _check_space(dst_dir: str, need: int) -> None:
    try:
        st = os.statvfs(dst_dir)
    except OSError:
        return
    free = st.f_bavail * st.f_frsize
    if free < need:
        raise InsufficientSpaceError(
            f"{dst_dir}: not enough free space: the output needs about {human_bytes(need)}, "
            f"{human_bytes(free)} are free")


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _fsync_dir(path: str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class _Restart(Exception):  # noqa: N818 - a signal
    """A resumed conversion met a source that can only be read from its start."""


def _copy_content(src: DiskImage, writer, options: ConvertOptions, progress: ProgressSink | None,
                  cancel: CancelToken | None, estimate: int, extra: list[DiskImage],
                  resume: tuple[int, ContentDigest, Checkpoints] | None = None, dst: str = ""
                  ) -> tuple[ContentDigest | ChunkDigests | None, TrailingVerify | None]:
    """Copy every allocated byte of ``src`` into ``writer``; returns what the verify pass needs: the source's
    digest (or chunk digests) and, when the output was already read back piece by piece, the finished
    :class:`TrailingVerify` (else None: the verify pass reads the output after the flush).

    Random-access sources are read on a read-ahead thread straight into our buffers (no copy); one-pass
    streams fall back to their ``chunks()``. ``resume`` = (start offset, the digest so far, checkpoints):
    reading starts at that offset and checkpoints are taken on the way (random-access sources only).
    """
    meter = Meter(progress, "convert", total=estimate)
    start, digest, checkpoints = resume or (0, None, None)
    done = 0
    hasher: ContentDigest | ChunkDigests | None = (digest or ContentDigest()) if options.verify else None
    # the read-back trails the writer on its own thread and compares with the source's bytes while they are
    # still in the read buffer: a few more buffers let it lag behind without stalling the reader
    reader = ReadAhead([src, *extra], options.max_chunk, cancel, consumers=2 if hasher is not None else 1,
                       start=start, depth=6 if hasher is not None else 3)
    hash_worker = ReleasingHasher(hasher, reader.release) if isinstance(hasher, ContentDigest) else None
    trail = (TrailingVerify.for_writer(writer, reader.release, dst, options.max_chunk)
             if hash_worker is not None and not start else None)
    try:
        for offset, view, token in reader:
            if cancel is not None:
                cancel.check()
            if hash_worker is not None:
                hash_worker.submit(offset, view, token)
            try:
                writer.write(offset, view)
            except BaseException:
                reader.release(token)
                raise
            if trail is not None:
                trail.submit(offset, view, token)  # it releases the piece once compared
            else:
                reader.release(token)
            if checkpoints is not None:
                checkpoints.reached(offset + len(view), writer, hasher)
            done += len(view)
            meter.update(done)
    except SequentialOnly:
        if start:
            raise _Restart() from None
    else:
        if hash_worker is not None:
            hash_worker.close()
            hash_worker = None
        if trail is not None:
            finishing, trail = trail, None
            finishing.finish()
            if finishing.used:
                meter.finish()
                return hasher, finishing
        meter.finish()
        return hasher, None
    finally:
        if trail is not None:
            trail.abort()
        reader.close()
        if hash_worker is not None:
            with contextlib.suppress(BaseException):
                hash_worker.close()

    hasher = (ContentDigest() if src.ordered else ChunkDigests()) if options.verify else None
    pipeline = _pipeline_for(src, writer, hasher, options)
    try:
        for offset, view in src.chunks(options.max_chunk, cancel):
            if cancel is not None:
                cancel.check()
            pipeline.put(offset, view)
            done += len(view)
            meter.update(done)
        pipeline.close()
    except BaseException:
        pipeline.abort()
        raise
    meter.finish()
    return hasher, None


def _compressed(src: DiskImage) -> bool:
    try:
        return "stream" in src.info().subformat.lower()
    except Exception:  # noqa: BLE001 - only a tuning hint
        return False


def _second_reader(src: DiskImage, reopen: Callable[[], DiskImage] | None) -> list[DiskImage]:
    """A second image of the same disk, so a compressed source inflates on two cores (else none)."""
    if reopen is None or (os.cpu_count() or 1) < 2 or not _compressed(src):
        return []
    try:
        return [reopen()]
    except Exception:  # noqa: BLE001 - an optimisation only: one reader works too
        return []


def convert(src: DiskImage, dst_path: str | os.PathLike[str], options: ConvertOptions,
            progress: ProgressSink | None = None, cancel: CancelToken | None = None,
            reopen: Callable[[], DiskImage] | None = None, *, output=None,
            checkpoints: Checkpoints | None = None) -> ConvertResult:
    """Convert ``src`` into ``dst_path`` per ``options`` (see the module docstring for the guarantees).

    ``reopen``, when given, opens another independent image of the same source; a compressed source is
    then read by two threads (one image each) so decompression uses two cores. ``output``, when given, is
    a :class:`wizard.disks.output.DiskStream` (e.g. a file on an SMB share) written instead of a local
    file; ``dst_path`` then only names it (see :func:`convert_into`). ``checkpoints``
    (a local, dynamic, verified VHDX) makes the conversion resumable after a crash: see
    :mod:`wizard.disks.resume`.
    """
    if output is not None:
        return convert_into(src, output, options, progress, cancel, reopen, checkpoints)
    started = time.monotonic()
    if options.format not in FORMATS:
        raise PlanError(f"unknown output format {options.format!r} (choose vhdx or vhd)")
    if options.type not in TYPES:
        raise PlanError(f"unknown disk type {options.type!r} (choose dynamic or fixed)")
    dst = os.path.abspath(os.fspath(dst_path))
    if os.path.exists(dst):
        with contextlib.suppress(OSError):
            if os.path.samefile(src.path, dst):
                raise TargetError(f"{dst}: the output would replace its own source",
                                  fix="Choose another output file name.")
        if not options.overwrite:
            raise TargetError(f"{dst}: the output file already exists",
                              fix="Choose another name, delete the file, or pass --overwrite.")
    dst_dir = os.path.dirname(dst)
    if not os.path.isdir(dst_dir):
        raise TargetError(f"{dst_dir}: the output folder does not exist")
    estimate = _estimate_allocated(src)
    need = (src.virtual_size if options.type == "fixed" else estimate) + _METADATA_ALLOWANCE

    partial = dst + ".partial"
    if options.format != "vhdx" or options.type != "dynamic" or not options.verify:
        checkpoints = None
    elif checkpoints is not None:
        checkpoints.source_id = source_identity(src)

    def new_writer(keep_blocks: list[int] | None):
        if keep_blocks is None:
            _remove(partial)
        return _make_writer(partial, src.virtual_size, options, keep_blocks=keep_blocks)

    def open_writer():
        return open_resumable(checkpoints, partial, src, options, new_writer)

    if checkpoints is None:
        _check_space(dst_dir, need)  # before anything is written
    writer, resume = open_writer()
    if checkpoints is not None:
        try:  # what an interrupted run already wrote is kept, so only the rest needs room
            _check_space(dst_dir, need - (writer.file_size if resume[0] else 0))
        except BaseException:
            writer.abort()
            checkpoints.close()  # the .partial stays: free some space and resume
            raise
    try:
        writer, digest = write_resumably(src, (writer, resume), open_writer,
                                         lambda: open_output(partial, options.format), dst, options, progress,
                                         cancel, reopen, estimate, checkpoints)
        os.replace(partial, dst)
        _fsync_dir(dst_dir)
    except BaseException:
        _remove(partial)
        if checkpoints is not None:
            checkpoints.abort()
        raise
    if checkpoints is not None:
        checkpoints.finish()
    return ConvertResult(source=src.path, destination=dst, format=options.format, type=options.type,
                         virtual_size=writer.virtual_size, bytes_written=writer.bytes_written, content_digest=digest,
                         seconds=round(time.monotonic() - started, 3), verified=bool(options.verify))


def convert_into(src: DiskImage, stream: DiskStream, options: ConvertOptions, progress: ProgressSink | None = None,
                 cancel: CancelToken | None = None, reopen: Callable[[], DiskImage] | None = None,
                 checkpoints: Checkpoints | None = None) -> ConvertResult:
    """Convert ``src`` into ``stream`` per ``options`` (what :func:`convert` does with ``output=stream``); see
    :mod:`wizard.disks.output` for the contract."""
    started = time.monotonic()
    if options.format != "vhdx":
        raise StreamUnavailable(f"{options.format} cannot be written in place")
    if options.type not in TYPES:
        raise PlanError(f"unknown disk type {options.type!r} (choose dynamic or fixed)")
    if checkpoints is not None and (not checkpoints.sidecar or options.type != "dynamic" or not options.verify):
        checkpoints = None
    estimate = _estimate_allocated(src)
    stream.verified = bool(options.verify)  # no content check: no reconnecting either (see SmbDiskStream)
    name, outs = stream.name + ".partial", []

    def new_writer(keep_blocks: list[int] | None):
        for old in outs:  # a retry from the start: the previous handle goes first
            with contextlib.suppress(Exception):
                old.close()
        outs[:] = [stream.open(cancel, keep=True) if keep_blocks is not None else stream.open(cancel)]
        try:
            return _make_writer(name, src.virtual_size, options, output=outs[0], keep_blocks=keep_blocks)
        except BaseException:
            with contextlib.suppress(Exception):
                outs[0].close()
            raise

    def open_writer():
        return open_resumable(checkpoints, name, src, options, new_writer, remote=True)

    try:
        opened = open_writer()
    except StreamUnavailable:
        raise  # nothing was written: the caller converts to a local file instead
    except BaseException:
        stream.abort()
        raise
    try:
        writer, digest = write_resumably(
            src, opened, open_writer, lambda: open_output_source(stream.reader(), options.format),
            stream.name, options, progress, cancel, reopen, estimate, checkpoints, finished=lambda: outs[0].close())
        stream.commit(cancel)
    except BaseException:
        for out in outs:
            with contextlib.suppress(Exception):
                out.close()
        stream.abort()
        if checkpoints is not None:
            checkpoints.abort()
        raise
    if checkpoints is not None:
        checkpoints.finish()
    return ConvertResult(source=src.path, destination=stream.name, format=options.format, type=options.type,
                         virtual_size=writer.virtual_size, bytes_written=writer.bytes_written,
                         content_digest=digest, seconds=round(time.monotonic() - started, 3),
                         verified=bool(options.verify))


def source_identity(src: DiskImage) -> str:
    """What must not change between a crash and its resume: the size, and a local file's size and mtime."""
    try:
        st = os.stat(src.path)
    except (OSError, TypeError, ValueError):
        return f"{src.virtual_size}"
    return f"{src.virtual_size}:{st.st_size}:{st.st_mtime_ns}"


def open_resumable(checkpoints: Checkpoints | None, name: str, src: DiskImage, options: ConvertOptions,
                   new_writer: Callable[[list[int] | None], object], *, remote: bool = False):
    """The writer for ``name`` and where to resume: ``new_writer(keep_blocks)`` makes it (None: a new file).
    With ``checkpoints`` an interrupted file goes on from its resume point when it holds what the recorded
    digests say, else it starts over. Returns ``(writer, resume)`` for :func:`write_and_verify`."""
    if checkpoints is None:
        return new_writer(None), None
    block = options.block_size or default_block_size(options.guest_family)
    point = checkpoints.begin(name, src.virtual_size, block, remote=remote)
    if point is not None:
        try:
            writer = new_writer(point.blocks)
            return writer, (point.offset, ContentDigest.resume(point.digests, checkpoints.record), checkpoints)
        except (PlanError, TargetError, ValueError):  # the file does not hold what the digests say: start over
            checkpoints.resume_offset = 0
            checkpoints.begin(name, src.virtual_size, block, remote=remote)
    return new_writer(None), (0, ContentDigest(checkpoints.record), checkpoints)


def write_resumably(src: DiskImage, opened: tuple, open_writer: Callable[[], tuple],
                    open_out: Callable[[], DiskImage], dst: str, options: ConvertOptions,
                    progress: ProgressSink | None, cancel: CancelToken | None, reopen: Callable[[], DiskImage] | None,
                    estimate: int, checkpoints: Checkpoints | None,
                    finished: Callable[[], None] | None = None) -> tuple[object, str]:
    """:func:`write_and_verify` on ``opened`` (``(writer, resume)`` from :func:`open_resumable`); when a resumed
    read finds the source cannot be read on from the middle after all, once more from the start on what
    ``open_writer()`` gives. Returns ``(writer, digest)``; on any error the writer is aborted before the
    exception propagates (removing files is the caller's)."""
    writer, resume = opened
    try:
        while True:
            try:
                return writer, write_and_verify(src, writer, open_out, dst, options, progress, cancel, reopen,
                                                estimate, finished, resume)
            except _Restart:
                writer.abort()
                checkpoints.resume_offset = 0
                writer, resume = open_writer()
    except BaseException:
        writer.abort()
        raise


def write_and_verify(src: DiskImage, writer, open_out: Callable[[], DiskImage], dst: str, options: ConvertOptions,
                     progress: ProgressSink | None, cancel: CancelToken | None,
                     reopen: Callable[[], DiskImage] | None, estimate: int,
                     finished: Callable[[], None] | None = None,
                     resume: tuple[int, ContentDigest, Checkpoints] | None = None) -> str:
    """The body every conversion shares: copy ``src`` into ``writer``, finish it (then ``finished()``, e.g. to
    close a remote file), then (``options.verify``) check what ``open_out()`` reads back against the source.
    Returns the content digest ("" unverified); the caller renames the output only after this returns, and
    cleans up when it raises."""
    extra = _second_reader(src, reopen)
    try:
        hasher, trail = _copy_content(src, writer, options, progress, cancel, estimate, extra, resume, dst)
    finally:
        for img in extra:
            img.close()
    writer.finish()
    if finished is not None:
        finished()
    digest = ""
    if options.verify and trail is not None:  # the payload was read back while it was written
        digest = verify_trailed(trail, src, open_out, hasher, writer.virtual_size, dst, options.max_chunk, progress,
                                cancel, full=options.verify_full, reopen=reopen)
    elif options.verify:
        digest = verify_output(src, open_out, hasher, writer.virtual_size, dst, options.max_chunk, progress,
                               cancel, full=options.verify_full, reopen=reopen)
    if cancel is not None:
        cancel.check()
    return digest

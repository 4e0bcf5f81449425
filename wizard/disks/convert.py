"""Convert any readable :class:`DiskImage` to VHDX or VHD, safely: partial file, fsync, verify, rename.

Contract of :func:`convert`:
- Never overwrites an existing ``dst_path`` unless ``options.overwrite``; checks free space first
  (dynamic: the allocated estimate; fixed: the full size) and raises :class:`InsufficientSpaceError`.
- Writes ``dst_path + ".partial"`` (a stale one from a killed run is replaced), fsyncs it, and with
  ``options.verify`` re-reads it with our own reader: the SHA-256 of its virtual content must equal the
  SHA-256 of the source's content (zeros of holes included, in order; padded with zeros to the output's
  size when that was rounded up to whole sectors). Only then is it renamed to ``dst_path``.
- The source hash is computed while converting when the source yields its chunks in order; otherwise it
  is computed in the verify pass by reading the source again.
- On any error or :class:`Cancelled` the partial file is removed and the exception propagates.
- Reports progress through ``progress`` (stages "convert" and "verify") and checks ``cancel`` throughout.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import threading
import time
from dataclasses import asdict, dataclass

from wizard.core.errors import InsufficientSpaceError, PlanError, TargetError, VerificationError
from wizard.core.progress import CancelToken, Meter, ProgressSink
from wizard.core.units import human_bytes
from wizard.disks.image import DiskImage
from wizard.disks.writeio import ZEROS

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
    overwrite: bool = False
    guest_family: str = "unknown"  # windows | linux | unknown
    max_chunk: int = 32 * MiB


@dataclass
class ConvertResult:
    source: str
    destination: str
    format: str
    type: str
    virtual_size: int
    bytes_written: int
    sha256: str  # "" when verify was off and the source was not hashed
    seconds: float
    verified: bool

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class _Hasher:
    """SHA-256 of a virtual disk fed as (offset, data) pieces in ascending order; holes hash as zeros."""

    def __init__(self) -> None:
        self.sha = hashlib.sha256()
        self.pos = 0
        self.in_order = True

    def add(self, offset: int, data: memoryview) -> None:
        if offset < self.pos:
            self.in_order = False
            return
        self.zeros_to(offset)
        self.sha.update(data)
        self.pos = offset + len(data)

    def zeros_to(self, end: int) -> None:
        while self.pos < end:
            n = min(len(ZEROS), end - self.pos)
            self.sha.update(ZEROS[:n] if n < len(ZEROS) else ZEROS)
            self.pos += n

    def hexdigest(self, size: int) -> str:
        self.zeros_to(size)
        return self.sha.hexdigest()


class _HashThread:
    """Runs a :class:`_Hasher` on a second thread (hashlib releases the GIL) over two owned buffers.

    ``buffer()`` hands out a free buffer (waiting while both are being hashed); fill it and ``submit()`` it.
    ``close()`` waits for the last piece and re-raises any error of the thread.
    """

    def __init__(self, hasher: _Hasher, size: int, count: int = 2) -> None:
        self.hasher = hasher
        self._free: queue.SimpleQueue = queue.SimpleQueue()
        for _ in range(count):
            self._free.put(memoryview(bytearray(size)))
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="hvm-hash", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            offset, view, buf = job
            try:
                if self._error is None:
                    self.hasher.add(offset, view)
            except BaseException as exc:  # noqa: BLE001 - handed to the submitting thread
                self._error = exc
            self._free.put(buf)

    def buffer(self) -> memoryview:
        buf = self._free.get()
        if self._error is not None:
            raise self._error
        return buf

    def submit(self, offset: int, view: memoryview, buf: memoryview) -> None:
        self._jobs.put((offset, view, buf))

    def add_copy(self, offset: int, view: memoryview) -> None:
        """Hash a copy of ``view`` (so the caller may reuse ``view`` at once)."""
        step = None
        for i in range(0, len(view), step or len(view) or 1):
            buf = self.buffer()
            step = len(buf)
            piece = view[i:i + step]
            dst = buf[:len(piece)]
            dst[:] = piece
            self.submit(offset + i, dst, buf)

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error


def _make_writer(path: str, size: int, options: ConvertOptions):
    fixed = options.type == "fixed"
    if options.format == "vhd":
        from wizard.disks.vhd_write import VhdWriter

        return VhdWriter(path, size, fixed=fixed, write_once=True)
    from wizard.disks.vhdx_write import VhdxWriter

    block = options.block_size or default_block_size(options.guest_family)
    try:
        return VhdxWriter(path, size, block_size=block, logical_sector=options.logical_sector,
                          physical_sector=options.physical_sector, fixed=fixed, write_once=True)
    except ValueError as exc:
        raise PlanError(f"cannot create the VHDX: {exc}",
                        fix="Use a block size that is a power of two from 1 MiB to 256 MiB and sectors of 512 or "
                            "4096 bytes.") from None


def open_output(path: str, fmt: str) -> DiskImage:
    """Open a file we wrote with our own reader (used for verification)."""
    from wizard.disks.bytesource import LocalFile

    src = LocalFile(path)
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
        allocated = src.info().allocated_bytes
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


def _hash_image(img: DiskImage, size: int, meter: Meter, cancel: CancelToken | None, max_chunk: int) -> str:
    """SHA-256 of ``img``'s content (ascending allocated ranges, zeros elsewhere) up to ``size`` bytes."""
    hasher = _Hasher()
    worker = _HashThread(hasher, max_chunk)
    try:
        last = 0
        for start, length in sorted(img.allocated_ranges()):
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
    return hasher.hexdigest(size)


def convert(src: DiskImage, dst_path: str | os.PathLike[str], options: ConvertOptions,
            progress: ProgressSink | None = None, cancel: CancelToken | None = None) -> ConvertResult:
    """Convert ``src`` into ``dst_path`` per ``options`` (see the module docstring for the guarantees)."""
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
    _check_space(dst_dir, need)

    partial = dst + ".partial"
    _remove(partial)
    writer = _make_writer(partial, src.virtual_size, options)
    out_size = writer.virtual_size
    hasher = _Hasher() if options.verify else None
    hash_thread = _HashThread(hasher, options.max_chunk) if hasher is not None and src.ordered else None
    try:
        meter = Meter(progress, "convert", total=estimate)
        done = 0
        for offset, view in src.chunks(options.max_chunk, cancel):
            if cancel is not None:
                cancel.check()
            writer.write(offset, view)
            if hash_thread is not None:
                hash_thread.add_copy(offset, view)  # the reader reuses its buffer on the next iteration
            done += len(view)
            meter.update(done)
        if hash_thread is not None:
            hash_thread.close()
            hash_thread = None
        meter.finish()
        writer.finish()
        sha = ""
        verified = False
        if options.verify:
            vmeter = Meter(progress, "verify", total=out_size)
            if hasher is not None and hasher.in_order and src.ordered:
                sha = hasher.hexdigest(out_size)
            else:
                sha = _hash_image(src, out_size, vmeter, cancel, options.max_chunk)
                vmeter = Meter(progress, "verify", total=out_size)
            with open_output(partial, options.format) as out:
                if out.virtual_size != out_size:
                    raise VerificationError(f"{dst}: the written disk has size {out.virtual_size}, "
                                            f"expected {out_size}")
                got = _hash_image(out, out_size, vmeter, cancel, options.max_chunk)
            vmeter.finish()
            if got != sha:
                raise VerificationError(f"{dst}: the written disk does not match the source (SHA-256 differs)")
            verified = True
        if cancel is not None:
            cancel.check()
        os.replace(partial, dst)
        _fsync_dir(dst_dir)
    except BaseException:
        if hash_thread is not None:
            hash_thread.close()
        writer.abort()
        _remove(partial)
        raise
    return ConvertResult(source=src.path, destination=dst, format=options.format, type=options.type,
                         virtual_size=out_size, bytes_written=writer.bytes_written, sha256=sha,
                         seconds=round(time.monotonic() - started, 3), verified=verified)

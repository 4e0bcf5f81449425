"""The verify pass of a conversion: the written disk, read back with our own reader, against the source.

Contract of :func:`verify_output`: the output's virtual size must be the expected one; when the source was
digested in order (:class:`~wizard.disks.digest.ContentDigest`) the output's content digest must equal it; a
source that delivered chunks out of order (:class:`~wizard.disks.pipeline.ChunkDigests`) has every chunk
found, byte for byte, at its place in the output. Any difference raises :class:`VerificationError` naming
the output; the content digest is returned. Every hash here checks ``cancel`` every chunk read and every
4 GiB of holes chained, so Ctrl+C, SIGTERM and the wizard's Cancel stop a verify of any size at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from wizard.core.errors import VerificationError
from wizard.core.progress import CancelToken, Meter, ProgressSink
from wizard.disks.digest import ContentDigest
from wizard.disks.image import DiskImage
from wizard.disks.pipeline import ChunkDigests, HashThread


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


def verify_output(src: DiskImage, open_out: Callable[[], DiskImage], hasher, out_size: int, dst: str,
                  max_chunk: int, progress: ProgressSink | None, cancel: CancelToken | None) -> str:
    """The verify pass: re-read the written disk (``open_out()``) and check it against the source's hash or
    chunk digests; returns the content digest. Raises :class:`VerificationError` naming ``dst``."""
    vmeter = Meter(progress, "verify", total=out_size)
    source_sha = ""
    if isinstance(hasher, ContentDigest):  # re-read the source only if it broke its promise of order
        source_sha = (hasher.hexdigest(out_size, cancel) if hasher.in_order
                      else hash_image(src, out_size, vmeter, cancel, max_chunk))
    with open_out() as out:
        if out.virtual_size != out_size:
            raise VerificationError(f"{dst}: the written disk has size {out.virtual_size}, expected {out_size}")
        if isinstance(hasher, ChunkDigests):
            check_chunks(out, hasher, dst, cancel, max_chunk)
        got = hash_image(out, out_size, vmeter, cancel, max_chunk)
    sha = source_sha or got  # chunk digests were checked above when there is no source hash
    vmeter.finish()
    if got != sha:
        raise VerificationError(f"{dst}: the written disk does not match the source (content digest differs)")
    return sha

"""Converting into a file that is not local (a file on the Hyper-V host's SMB share), so reading the source,
converting and writing to the destination overlap instead of running one after another.

A :class:`DiskStream` is offered by a target (see ``DiskDestination.stream`` in :mod:`wizard.targets.base`).
Contract of :func:`convert_into` (the same guarantees as a local :func:`wizard.disks.convert.convert`):
- ``stream.open(cancel)`` creates ``<final>.partial`` at the destination (replacing a stale one) and returns a
  :class:`RandomWriter`; it raises :class:`StreamUnavailable` *before anything was written* when the
  destination cannot take positional writes, and the caller then converts to a local file instead.
- VHDX only (the VHD writer has no output hook): another format raises :class:`StreamUnavailable` at once.
- The writer gets every payload run and the metadata (headers last), then ``sync()`` (all writes acknowledged
  and flushed by the server), then ``close()``.
- With ``options.verify`` the written ``.partial`` is re-read through ``stream.reader()`` with our own VHDX
  reader and its content digest must equal the source's, exactly as for a local output.
- ``stream.commit(cancel)`` then completes the SHA-256 of the stored *file* (see the target's stream for how)
  and renames ``.partial`` to the final name; only then is the disk complete.
- With ``checkpoints`` that have a ``sidecar`` (see :mod:`wizard.disks.resume`) the ``.partial`` is made durable
  every so often and an interrupted one is continued (``stream.open(keep=True)``) from the last checkpoint.
- On any error or :class:`Cancelled` the writer is closed and ``stream.abort()`` removes the ``.partial``
  (best effort: with the connection gone it may stay, still named ``.partial``); the exception propagates.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Protocol

from wizard.core.progress import CancelToken, ProgressSink
from wizard.disks.image import DiskImage
from wizard.disks.resume import Checkpoints


class StreamUnavailable(Exception):  # noqa: N818 - a signal to fall back, not an error users see
    """The destination cannot be written in place; convert to a local file and copy it instead."""


class RandomWriter(Protocol):
    """Positional writes into one file at the destination."""

    def pwritev(self, iov: list, offset: int) -> None:
        """Write the pieces of ``iov`` back to back from ``offset`` (they may be reused after the call)."""

    def truncate(self, size: int) -> None: ...

    def sync(self) -> None:
        """Return once every write so far is acknowledged and flushed at the destination."""

    def close(self) -> None: ...


class DiskStream(Protocol):
    name: str  # the final file, for messages (e.g. \\host\share\hvmigrate\vm\disk.vhdx)

    def open(self, cancel: CancelToken | None = None, keep: bool = False) -> RandomWriter:
        """The ``.partial``, new and empty; with ``keep`` the one an interrupted run left (its ``size`` is
        how much it holds)."""

    def reader(self):
        """A :class:`~wizard.disks.bytesource.ByteSource` over the written ``.partial`` (for the verify pass)."""

    def commit(self, cancel: CancelToken | None = None) -> None: ...

    def abort(self) -> None: ...


def convert_into(src: DiskImage, stream: DiskStream, options, progress: ProgressSink | None = None,
                 cancel: CancelToken | None = None, reopen: Callable[[], DiskImage] | None = None,
                 checkpoints: Checkpoints | None = None):
    """Convert ``src`` into ``stream`` per ``options``; see the module docstring. Returns a ConvertResult."""
    from wizard.core.errors import PlanError
    from wizard.disks import convert as cv

    started = time.monotonic()
    if options.format != "vhdx":
        raise StreamUnavailable(f"{options.format} cannot be written in place")
    if options.type not in cv.TYPES:
        raise PlanError(f"unknown disk type {options.type!r} (choose dynamic or fixed)")
    if checkpoints is not None and (not checkpoints.sidecar or options.type != "dynamic" or not options.verify):
        checkpoints = None
    estimate = cv._estimate_allocated(src)
    if hasattr(stream, "verified"):
        stream.verified = bool(options.verify)  # no content check: no reconnecting either (see SmbDiskStream)
    name, outs = stream.name + ".partial", []

    def new_writer(keep_blocks: list[int] | None):
        for old in outs:  # a retry from the start: the previous handle goes first
            with contextlib.suppress(Exception):
                old.close()
        outs[:] = [stream.open(cancel, keep=True) if keep_blocks is not None else stream.open(cancel)]
        try:
            return cv._make_writer(name, src.virtual_size, options, output=outs[0], keep_blocks=keep_blocks)
        except BaseException:
            with contextlib.suppress(Exception):
                outs[0].close()
            raise

    def open_writer():
        return cv.open_resumable(checkpoints, name, src, options, new_writer, remote=True)

    try:
        opened = open_writer()
    except StreamUnavailable:
        raise  # nothing was written: the caller converts to a local file instead
    except BaseException:
        stream.abort()
        raise
    try:
        writer, digest = cv.write_resumably(
            src, opened, open_writer, lambda: cv.open_output_source(stream.reader(), options.format),
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
    return cv.ConvertResult(source=src.path, destination=stream.name, format=options.format, type=options.type,
                            virtual_size=writer.virtual_size, bytes_written=writer.bytes_written,
                            content_digest=digest, seconds=round(time.monotonic() - started, 3),
                            verified=bool(options.verify))


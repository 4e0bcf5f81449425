"""Converting into a file that is not local (a file on the Hyper-V host's SMB share), so reading the source,
converting and writing to the destination overlap instead of running one after another.

This module holds what such a destination offers: a :class:`DiskStream` (offered by a target, see
``DiskDestination.stream`` in :mod:`wizard.targets.base`), the :class:`RandomWriter` it opens, and
:class:`StreamUnavailable`. The conversion itself is :func:`wizard.disks.convert.convert` with ``output=stream``
(:func:`wizard.disks.convert.convert_into`). Contract (the same guarantees as a local conversion):
- Before anything is opened the converter sets ``stream.verified`` to whether it will read the file back and
  check its content (a stream may rely on that check, e.g. to reconnect after a dropped connection).
- ``stream.open(cancel)`` creates ``<final>.partial`` at the destination (replacing a stale one) and returns a
  :class:`RandomWriter`; it raises :class:`StreamUnavailable` *before anything was written* when the
  destination cannot take positional writes, and the caller then converts to a local file instead.
- VHDX only (the VHD writer has no output hook): another format raises :class:`StreamUnavailable` at once.
- The writer gets every payload run and the metadata (headers last), then ``sync()`` (all writes acknowledged
  and flushed by the server), then ``close()``.
- With ``options.verify`` the written ``.partial`` is re-read through ``stream.reader()`` with our own VHDX
  reader and its content digest must equal the source's, exactly as for a local output.
- ``stream.commit(cancel)`` then completes the SHA-256 of the stored *file* (see the target's stream for how),
  renames ``.partial`` to the final name and records ``stream.stored = (size, sha256)``; only then is the disk
  complete.
- With ``checkpoints`` that have a ``sidecar`` (see :mod:`wizard.disks.resume`) the ``.partial`` is made durable
  every so often and an interrupted one is continued (``stream.open(keep=True)``) from the last checkpoint.
- On any error or :class:`Cancelled` the writer is closed and ``stream.abort()`` removes the ``.partial``
  (best effort: with the connection gone it may stay, still named ``.partial``); the exception propagates.
"""

from __future__ import annotations

from typing import Protocol

from wizard.core.progress import CancelToken


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
    verified: bool  # set by the converter before open(): the written file will be read back and checked
    stored: tuple[int, str] | None  # (size, sha256) of the stored file once commit() returned, else None

    def open(self, cancel: CancelToken | None = None, keep: bool = False) -> RandomWriter:
        """The ``.partial``, new and empty; with ``keep`` the one an interrupted run left (its ``size`` is
        how much it holds)."""

    def reader(self):
        """A :class:`~wizard.disks.bytesource.ByteSource` over the written ``.partial`` (for the verify pass)."""

    def commit(self, cancel: CancelToken | None = None) -> None:
        """Complete the stored file's SHA-256, rename ``.partial`` to the final name and set ``stored``."""

    def abort(self) -> None: ...

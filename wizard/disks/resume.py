"""Block-range resume of a local dynamic VHDX conversion: checkpoints while converting, continuing after a crash.

Contract:
- The pipeline gives :func:`wizard.disks.convert.convert` one :class:`Checkpoints` per disk. Every ``every``
  bytes of the source the conversion makes its work durable — the ``.partial`` VHDX (fsynced locally, SMB2
  FLUSH on the Hyper-V share) and the content digest's 1 MiB piece digests so far (appended, fsynced; beside a
  local ``.partial``, in ``sidecar`` for a remote one) — and then calls ``on_checkpoint(offset)``, which
  journals that offset and the source's identity (size, and a local file's size and mtime). A checkpoint
  costs two flushes; a resume reads again at most the few read-ahead buffers the digest thread trailed by.
- After a crash, a :class:`Checkpoints` with the last journalled ``resume_offset`` lets the conversion go on:
  :meth:`begin` picks the smaller of that offset and what the digests file holds, rounded down to a whole
  VHDX block and kept below the disk's end. The payload blocks before it are exactly those whose pieces are
  not all zeros (the writer allocates a block, in ascending order, the first time non-zero data reaches it),
  so the file is cut after them and the source is read on from there. Missing or short files, another source
  identity, or a source whose ranges turn out not to ascend mean starting over, never guessing.
- The verify pass still reads the whole output back and checks it against the digest, recorded pieces
  included, so a resumed disk is checked end to end. :meth:`finish` / :meth:`abort` remove the digests file.
- The source must not change between the crash and the resume: a local source whose size or mtime changed
  starts over; a running vSphere VM is read from the same snapshot again.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from wizard.disks.digest import PIECE, ZERO_PIECE

DEFAULT_EVERY = 1024 * 1024 * 1024


def default_every() -> int:
    """Bytes between checkpoints: ``HVMIGRATE_CHECKPOINT_MIB`` (MiB) when set, else 1 GiB."""
    try:
        mib = int(os.environ.get("HVMIGRATE_CHECKPOINT_MIB", "") or 0)
    except ValueError:
        mib = 0
    return mib * 1024 * 1024 if mib > 0 else DEFAULT_EVERY


@dataclass
class ResumePoint:
    offset: int  # read the source on from here (a whole block)
    blocks: list[int]  # the payload blocks already in the file, in file order
    digests: bytes  # the piece digests of [0, offset)


class Checkpoints:
    """Checkpoints of one disk's conversion; see the module docstring."""

    def __init__(self, on_checkpoint: Callable[[int, str], None], resume_offset: int = 0, every: int | None = None,
                 sidecar: str | os.PathLike[str] | None = None, resume_source: str = "") -> None:
        self.on_checkpoint = on_checkpoint  # (offset, source_id): journal both
        self.resume_offset = resume_offset
        self.resume_source = resume_source  # the source_id the interrupted run journalled ("" = not known)
        self.source_id = ""  # set by the conversion (see convert.source_identity)
        self.every = every or default_every()
        self.sidecar = os.fspath(sidecar) if sidecar else ""  # the digests of a remote output: a local file
        self.path = ""
        self.record: BinaryIO | None = None
        self._last = 0

    def begin(self, partial: str, virtual_size: int, block_size: int, *, remote: bool = False) -> ResumePoint | None:
        """Where to continue ``partial`` (None: from the start, a stale local ``partial`` removed); opens the
        digests file (beside a local ``partial``; ``sidecar`` for a ``remote`` one, whose writer checks it)."""
        self._close()
        self.path = self.sidecar if remote else partial + ".digests"
        same_source = not self.resume_source or not self.source_id or self.resume_source == self.source_id
        point = (self._point(None if remote else partial, virtual_size, block_size)
                 if self.resume_offset > 0 and same_source else None)
        if point is None and not remote:
            with contextlib.suppress(FileNotFoundError):
                os.remove(partial)
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        self.record = open(self.path, "r+b" if point else "wb")  # noqa: SIM115 - closed by finish/abort
        self.record.truncate(len(point.digests) if point else 0)
        self.record.seek(0, os.SEEK_END)
        self._last = point.offset if point else 0
        return point

    def _point(self, partial: str | None, virtual_size: int, block_size: int) -> ResumePoint | None:
        try:
            with open(self.path, "rb") as fh:
                data = fh.read()
            if partial is not None:
                os.stat(partial)
        except OSError:
            return None
        offset = min(self.resume_offset, len(data) // 32 * PIECE, virtual_size - 1)
        offset -= offset % block_size
        if offset <= 0 or block_size % PIECE:
            return None
        digests = data[:offset // PIECE * 32]
        per = block_size // PIECE * 32
        zero_block = ZERO_PIECE * (block_size // PIECE)
        blocks = [b for b in range(offset // block_size) if digests[b * per:(b + 1) * per] != zero_block]
        return ResumePoint(offset, blocks, digests)

    def reached(self, offset: int, writer, digest) -> None:
        """The conversion has written (and handed to the digest) everything below ``offset``."""
        if offset - self._last < self.every or not digest.in_order:
            return
        writer.durable()
        digest.sync()
        self.on_checkpoint(offset, self.source_id)
        self._last = offset

    def close(self) -> None:
        """Close the digests file and keep it (the conversion stopped on purpose and may resume later)."""
        self._close()

    def _close(self) -> None:
        if self.record is not None:
            self.record.close()
            self.record = None

    def finish(self) -> None:
        """The disk is complete: the digests are not needed any more."""
        self.abort()

    def abort(self) -> None:
        """Close and remove the digests file, and the sidecar too (a stream that fell back to a local file
        leaves one behind). The sidecar's folder is the run's to remove (other disks may be using it)."""
        self._close()
        for path in {self.path, self.sidecar} - {""}:
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)

"""Block-range resume of a local dynamic VHDX conversion: checkpoints while converting, continuing after a crash.

Contract:
- The pipeline gives :func:`wizard.disks.convert.convert` one :class:`Checkpoints` per disk. Every ``every``
  bytes of the source the conversion makes its work durable — the ``.partial`` VHDX (fsynced locally, SMB2
  FLUSH on the Hyper-V share) and the content digest's 1 MiB piece digests so far (appended, fsynced; beside a
  local ``.partial``, in ``sidecar`` for a remote one) — and then calls ``on_checkpoint(offset)``, which
  journals that offset. A checkpoint costs two flushes, nothing is re-read.
- After a crash, a :class:`Checkpoints` with the last journalled ``resume_offset`` lets the conversion go on:
  :meth:`begin` picks the smaller of that offset and what the digests file holds, rounded down to a whole
  VHDX block and kept below the disk's end. The payload blocks before it are exactly those whose pieces are
  not all zeros (the writer allocates a block, in ascending order, the first time non-zero data reaches it),
  so the file is cut after them and the source is read on from there. Missing or short files mean starting
  over, never guessing.
- The verify pass still reads the whole output back and checks it against the digest, recorded pieces
  included, so a resumed disk is checked end to end. :meth:`finish` / :meth:`abort` remove the digests file.
- The source must not change between the crash and the resume (a running vSphere VM is read from the same
  snapshot again).
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

    def __init__(self, on_checkpoint: Callable[[int], None], resume_offset: int = 0, every: int | None = None,
                 sidecar: str | os.PathLike[str] | None = None) -> None:
        self.on_checkpoint = on_checkpoint
        self.resume_offset = resume_offset
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
        point = self._point(None if remote else partial, virtual_size, block_size) if self.resume_offset > 0 else None
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
        if offset - self._last < self.every:
            return
        writer.durable()
        digest.sync()
        self.on_checkpoint(offset)
        self._last = offset

    def _close(self) -> None:
        if self.record is not None:
            self.record.close()
            self.record = None

    def finish(self) -> None:
        """The disk is complete: the digests are not needed any more."""
        self.abort()

    def abort(self) -> None:
        self._close()
        if self.path:
            with contextlib.suppress(FileNotFoundError):
                os.remove(self.path)
        if self.sidecar and self.path == self.sidecar:
            with contextlib.suppress(OSError):  # the folder beside the journal, once no disk needs it
                os.rmdir(os.path.dirname(self.sidecar))

"""The content digest of a virtual disk: what a conversion reports and its verify pass compares."""

from __future__ import annotations

import hashlib
import os
import threading
from typing import BinaryIO

from wizard.core.progress import CancelToken
from wizard.disks.writeio import ZEROS

PIECE = 1024 * 1024
ZERO_PIECE = hashlib.sha256(bytes(PIECE)).digest()  # the digest of a piece of zeros


def piece_digest(piece) -> bytes:
    """The digest of one piece's bytes (a whole piece of zeros is not hashed: it is ``ZERO_PIECE``)."""
    if len(piece) == PIECE and ZEROS.startswith(piece):
        return ZERO_PIECE
    return hashlib.sha256(piece).digest()


def digest_of_pieces(pieces: bytes | bytearray) -> str:
    """The content digest (see :class:`ContentDigest`) of content whose pieces have these digests, in order."""
    return hashlib.sha256(pieces).hexdigest()


class ContentDigest:
    """The content digest of a virtual disk, fed as ``(offset, data)`` pieces in ascending order (holes are zeros).

    Definition: SHA-256 over the concatenated SHA-256 digests of the content's consecutive 1 MiB pieces, the
    last piece possibly shorter. Equal content gives equal digests, and changing any byte changes it (SHA-256
    collision resistance, piece by piece and of the list). Unlike one SHA-256 over the whole content, a piece
    of zeros costs nothing: its digest is a constant, so holes are never hashed and checking a mostly empty
    disk costs what its data costs. Reproducible from a raw image with coreutils:
    ``split -b 1M --filter=sha256sum disk.raw | cut -c1-64 | xxd -r -p | sha256sum``.

    A piece that goes backwards clears ``in_order`` and is ignored (the caller hashes another way).

    Holes cost little, but not nothing: the digests of a 64 TiB hole take about a second to chain. ``cancel``
    (here or per :meth:`hexdigest`) is checked every 4 GiB of holes, so that a cancelled run stops there too.
    """

    def __init__(self, record: BinaryIO | None = None, cancel: CancelToken | None = None) -> None:
        self.cancel = cancel
        self._outer = hashlib.sha256()
        self._piece = None  # the running SHA-256 of the piece at ``pos``; None exactly when pos is aligned
        self.pos = 0
        self.in_order = True
        self._record = record  # every finished piece's digest is appended here (block-range resume)
        self._pending: list[bytes] = []
        self._lock = threading.Lock()

    @classmethod
    def resume(cls, digests: bytes, record: BinaryIO | None = None) -> ContentDigest:
        """The state after the pieces whose digests (32 bytes each, in order) an interrupted run recorded."""
        if len(digests) % 32:
            raise ValueError("piece digests are 32 bytes each")
        d = cls(record)
        d._outer.update(digests)
        d.pos = len(digests) // 32 * PIECE
        return d

    def _done(self, digest: bytes) -> None:
        self._outer.update(digest)
        if self._record is not None:
            with self._lock:
                self._pending.append(digest)

    def sync(self) -> None:
        """Make the recorded piece digests durable (``record`` flushed and fsynced)."""
        if self._record is None:
            return
        with self._lock:
            pending, self._pending = self._pending, []
            self._record.write(b"".join(pending))
            self._record.flush()
            os.fsync(self._record.fileno())

    def add(self, offset: int, data) -> None:
        if offset < self.pos:
            self.in_order = False
            self._record = None  # no checkpoint may vouch for a digest that is not the content's
            return
        self._zeros_to(offset)
        view = memoryview(data).cast("B")
        n, i = len(view), 0
        if self._piece is not None:
            i = min(n, PIECE - self.pos % PIECE)
            self._piece.update(view[:i])
            self._advance(i)
        done, zeros = self._done, ZEROS
        while n - i >= PIECE:
            piece = view[i:i + PIECE]
            done(ZERO_PIECE if zeros.startswith(piece) else hashlib.sha256(piece).digest())
            i += PIECE
            self.pos += PIECE
        if i < n:
            self._piece = hashlib.sha256(view[i:])
            self.pos += n - i

    def _advance(self, n: int) -> None:
        self.pos += n
        if self.pos % PIECE == 0:
            self._done(self._piece.digest())
            self._piece = None

    def _zeros_to(self, end: int, cancel: CancelToken | None = None) -> None:
        cancel = cancel or self.cancel
        if self.pos >= end:
            return
        if self._piece is not None:
            take = min(end - self.pos, PIECE - self.pos % PIECE)
            self._piece.update(ZEROS[:take])
            self._advance(take)
        whole = max(0, end - self.pos) // PIECE
        while whole:
            if cancel is not None:
                cancel.check()
            k = min(whole, 4096)
            self._outer.update(ZERO_PIECE * k)
            if self._record is not None:
                with self._lock:
                    self._pending.append(ZERO_PIECE * k)
            self.pos += k * PIECE
            whole -= k
        if self.pos < end:
            self._piece = hashlib.sha256(ZEROS[:end - self.pos])
            self.pos = end

    def hexdigest(self, size: int, cancel: CancelToken | None = None) -> str:
        """The digest of content ``size`` bytes long (zeros after the last piece). Raises
        :class:`~wizard.core.errors.Cancelled` when ``cancel`` (or the digest's own token) fires meanwhile."""
        self._zeros_to(size, cancel)
        outer = self._outer.copy()
        if self._piece is not None:
            outer.update(self._piece.digest())
        return outer.hexdigest()

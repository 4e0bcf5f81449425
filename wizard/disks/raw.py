"""Raw disk images, and the hole-aware range finder flat VMDK extents share.

Contract: :class:`RawImage` presents a byte source as a disk of exactly its size. ``allocated_ranges``
uses ``SEEK_DATA``/``SEEK_HOLE`` when the source is a local file (holes of a sparse file are skipped);
otherwise the whole disk is reported. A read that comes up short (the file shrank) raises
:class:`DiskFormatError`.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator

from wizard.core.errors import DiskFormatError
from wizard.core.progress import CancelToken
from wizard.disks.bytesource import ByteSource, FileBacked
from wizard.disks.image import DEFAULT_CHUNK, DiskImage, ExtentInfo, ImageInfo

_HAS_SEEK_DATA = hasattr(os, "SEEK_DATA") and hasattr(os, "SEEK_HOLE")

# Reads land in one reused buffer: at 4 MiB it stays in the CPU cache, and page-cache reads ran 2.5x faster
# than into a 32 MiB buffer on the 2-core CI machine. chunks() may yield less than max_chunk, so cap it.
READ_CHUNK = 4 * 1024 * 1024


def data_ranges(source: ByteSource, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``(file_offset, length)`` runs in [start, end) that may hold data; the whole span if unknown."""
    if end <= start:
        return
    if not _HAS_SEEK_DATA or not isinstance(source, FileBacked):
        yield start, end - start
        return
    fd = source.fileno()
    pos = start
    while pos < end:
        try:
            data = os.lseek(fd, pos, os.SEEK_DATA)
        except OSError as exc:
            if exc.errno == errno.ENXIO:  # no data after pos
                return
            yield pos, end - pos  # the file system cannot tell: assume data
            return
        if data >= end:
            return
        try:
            hole = os.lseek(fd, data, os.SEEK_HOLE)
        except OSError:
            hole = end
        hole = min(hole, end)
        yield data, hole - data
        pos = hole


class RawImage(DiskImage):
    """A raw image: virtual content is the file's bytes."""

    def __init__(self, source: ByteSource, path: str | None = None) -> None:
        self.source = source
        self.path = path or source.name
        if source.size < 0:
            raise DiskFormatError("the size of a raw image must be known", path=self.path,
                                  fix="Raw images can only be read from files or servers that report a size.")
        self.virtual_size = source.size

    def allocated_ranges(self) -> Iterator[tuple[int, int]]:
        return data_ranges(self.source, 0, self.virtual_size)

    def chunks(self, max_chunk: int = DEFAULT_CHUNK, cancel: CancelToken | None = None
               ) -> Iterator[tuple[int, memoryview]]:
        return super().chunks(min(max_chunk, READ_CHUNK), cancel)

    def readinto(self, offset: int, buf: memoryview) -> None:
        if offset < 0 or offset + len(buf) > self.virtual_size:
            raise DiskFormatError(f"read of {len(buf)} bytes is outside the {self.virtual_size}-byte disk",
                                  path=self.path, offset=offset)
        got = self.source.pread_into(offset, buf)
        if got != len(buf):
            raise DiskFormatError("raw image ended early (was it truncated while reading?)", path=self.path,
                                  offset=offset + got)

    def info(self) -> ImageInfo:
        allocated = sum(n for _o, n in self.allocated_ranges())
        return ImageInfo(path=self.path, format="raw", subformat="raw", virtual_size=self.virtual_size,
                         allocated_bytes=allocated, file_size=self.virtual_size,
                         extents=[ExtentInfo(self.path, "RAW", 0, self.virtual_size)])

    def close(self) -> None:
        self.source.close()

"""The reader interface every disk format implements, and the facts ``inspect`` shows.

Contract:
- ``open_image(path)`` (in ``wizard.disks.detect``) returns a :class:`DiskImage` opened read-only.
- ``virtual_size`` is the guest-visible size in bytes.
- ``allocated_ranges()`` yields ``(offset, length)`` in ascending, non-overlapping order, covering every
  byte that may be non-zero (it may over-approximate; bytes outside are guaranteed zero).
- ``readinto(offset, buf)`` fills ``buf`` with the virtual content at ``offset`` (zeros for holes); it is
  random access and raises :class:`DiskFormatError` naming file and offset on corrupt metadata.
  Images that are only streamable (a non-seekable streamOptimized source) raise ``NotImplementedError``.
- ``chunks()`` yields ``(offset, memoryview)`` pieces of the content that may be non-zero, at most
  ``max_chunk`` bytes each, in ascending offset order unless ``ordered`` is False for this image (a
  stream whose grains arrive out of order). The memoryview is valid only until the next iteration: the
  image reuses its buffers, so consumers copy or write it out before asking for more.
- Every long loop checks ``cancel`` and reports bytes through ``meter`` when given.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field

from wizard.core.progress import CancelToken

MiB = 1024 * 1024
DEFAULT_CHUNK = 32 * MiB


@dataclass
class ExtentInfo:
    path: str
    kind: str  # SPARSE | FLAT | ZERO | VMFS | VMFSSPARSE | RAW | ...
    offset: int  # virtual offset in bytes
    length: int  # bytes
    file_offset: int = 0


@dataclass
class ImageInfo:
    """What ``hvmigrate inspect`` prints (``--json`` dumps it as is)."""

    path: str
    format: str  # vmdk | raw | vhd | vhdx | qcow2 | vdi
    subformat: str  # monolithicSparse, streamOptimized, dynamic, fixed, ...
    virtual_size: int
    allocated_bytes: int  # bytes of virtual content that are stored (0 if unknown)
    file_size: int  # bytes on disk of all files
    extents: list[ExtentInfo] = field(default_factory=list)
    parent: str = ""  # parent image path for delta/differencing disks
    details: dict[str, object] = field(default_factory=dict)  # e.g. block_size, grain_size, cid, adapter


class DiskImage(ABC):
    """A readable virtual disk. Use as a context manager; ``close()`` releases every file handle."""

    path: str
    virtual_size: int
    ordered: bool = True

    @abstractmethod
    def info(self) -> ImageInfo: ...

    @abstractmethod
    def allocated_ranges(self) -> Iterator[tuple[int, int]]: ...

    @abstractmethod
    def readinto(self, offset: int, buf: memoryview) -> None: ...

    def chunks(self, max_chunk: int = DEFAULT_CHUNK, cancel: CancelToken | None = None
               ) -> Iterator[tuple[int, memoryview]]:
        """Default: merged allocated ranges read with ``readinto`` into one reused buffer."""
        buf = memoryview(bytearray(max_chunk))
        for start, length in self.allocated_ranges():
            pos, end = start, start + length
            while pos < end:
                if cancel is not None:
                    cancel.check()
                n = min(max_chunk, end - pos)
                view = buf[:n]
                self.readinto(pos, view)
                yield pos, view
                pos += n

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release file handles."""

    def __enter__(self) -> DiskImage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

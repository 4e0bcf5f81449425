"""OVF disk files stored compressed (``File/@ovf:compression="gzip"``, as ``ovftool --compress`` writes them).

The OVF specification defines only gzip, applied to the whole file. A gzip file cannot be read at random,
so such a disk is opened as a one-pass stream (:func:`wizard.disks.detect.open_stream`): that works for
the streamOptimized VMDKs every exporter writes, and anything else is refused by the stream reader with a
:class:`DiskFormatError`. Nothing is unpacked to disk. Decompression failures (corrupt or truncated gzip)
surface as :class:`DiskFormatError` naming the file and the compressed offset, never as a raw
``zlib``/``gzip`` exception.
"""

from __future__ import annotations

import gzip
import io
import zlib

from wizard.core.errors import DiskFormatError, UnsupportedFormatError
from wizard.disks.bytesource import ByteSource
from wizard.disks.image import DiskImage

READ_BUFFER = 1024 * 1024


class _SourceReader(io.RawIOBase):
    """Sequential reads over a :class:`ByteSource` (owned: closed with the reader)."""

    def __init__(self, source: ByteSource) -> None:
        self._src, self.pos = source, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:  # noqa: ANN001 - io protocol
        n = self._src.pread_into(self.pos, memoryview(buf).cast("B"))
        self.pos += n
        return n

    def close(self) -> None:
        if not self.closed:
            self._src.close()
        super().close()


class _GunzipReader(io.RawIOBase):
    """The decompressed bytes of a gzip :class:`ByteSource`; errors become :class:`DiskFormatError`."""

    def __init__(self, source: ByteSource, name: str) -> None:
        self.name = name
        self._raw = _SourceReader(source)
        self._gz = gzip.GzipFile(fileobj=io.BufferedReader(self._raw, READ_BUFFER), mode="rb")

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:  # noqa: ANN001 - io protocol
        try:
            return self._gz.readinto(buf)
        except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
            raise DiskFormatError(f"the gzip-compressed disk file is corrupt or truncated ({exc})", path=self.name,
                                  offset=self._raw.pos,
                                  fix="Copy or export the package again; its manifest check would show the damage.") \
                from None

    def close(self) -> None:
        if not self.closed:
            self._gz.close()
            self._raw.close()
        super().close()


def open_compressed_disk(source: ByteSource, compression: str, name: str) -> DiskImage:
    """A one-pass :class:`DiskImage` over the ``compression``-compressed disk file in ``source`` (taken over)."""
    if compression.strip().lower() != "gzip":
        source.close()
        raise UnsupportedFormatError(f"disk file is compressed with {compression!r}; OVF defines only gzip",
                                     path=name, fix="Export the VM again without compression (or with gzip).")
    from wizard.disks.detect import open_stream

    reader = _GunzipReader(source, name)
    try:
        return open_stream(reader, name)
    except BaseException:
        reader.close()
        raise

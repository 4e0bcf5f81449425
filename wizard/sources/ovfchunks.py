"""OVF files split into chunks (``File/@ovf:chunkSize``, as ``ovftool --chunkSize`` writes them).

The OVF specification stores such a file as ``HREF.000000000``, ``HREF.000000001``, ... : every chunk but the
last is exactly ``chunkSize`` bytes and ``ovf:size`` (when given) is the total. :func:`open_chunks` checks
that and returns one read-only :class:`ByteSource` over the whole file, reading the chunks in place (no
joined copy is written). A missing first chunk, a chunk of the wrong size or a total that disagrees with
``ovf:size`` raises :class:`InputError` naming the chunk.
"""

from __future__ import annotations

import bisect

from wizard.core.errors import InputError
from wizard.disks.bytesource import ByteSource
from wizard.sources.ovfcontainer import Container

MAX_CHUNKS = 100_000


def chunk_name(href: str, index: int) -> str:
    return f"{href}.{index:09d}"


class ConcatSource:
    """Several sources read as one, in order (owned: ``close()`` closes them all)."""

    def __init__(self, name: str, parts: list[ByteSource]) -> None:
        self.name, self._parts = name, parts
        self._starts: list[int] = []
        pos = 0
        for p in parts:
            self._starts.append(pos)
            pos += p.size
        self.size = pos

    def pread_into(self, offset: int, buf: memoryview) -> int:
        total, want = 0, len(buf)
        i = bisect.bisect_right(self._starts, offset) - 1
        while total < want and 0 <= i < len(self._parts):
            local = offset + total - self._starts[i]
            n = self._parts[i].pread_into(local, buf[total:]) if local < self._parts[i].size else 0
            total += n
            if n == 0 or offset + total >= self._starts[i] + self._parts[i].size:
                i += 1
        return total

    def close(self) -> None:
        for p in self._parts:
            p.close()
        self._parts = []


def chunk_names(container: Container, href: str, chunk_size: int, total: int, where: str) -> list[str]:
    """The chunk member names of ``href``, checked against ``chunk_size`` and ``total`` (-1: not given)."""
    names: list[str] = []
    while len(names) < MAX_CHUNKS and container.exists(chunk_name(href, len(names))):
        names.append(chunk_name(href, len(names)))
    after = chunk_name(href, len(names))
    if after in container.refused:  # there, but not to be read: said, not taken for the end of the chunks
        raise InputError(f"chunk {after!r} cannot be used: {container.refused[after]}", path=where, field=after)
    if not names:
        raise InputError(f"the first chunk {chunk_name(href, 0)!r} of the split file {href!r} is missing",
                         path=where, field=href, fix="Copy every chunk file (NAME.000000000, NAME.000000001, ...).")
    sizes = [container.size(n) for n in names]
    for n, size in zip(names[:-1], sizes[:-1], strict=True):
        if size != chunk_size:
            raise InputError(f"chunk {n!r} is {size} bytes; every chunk but the last must be {chunk_size}",
                             path=where, field=n, fix="Copy the chunk again; it is truncated or damaged.")
    if sizes[-1] > chunk_size or (total >= 0 and sum(sizes) != total):
        raise InputError(f"the chunks of {href!r} add up to {sum(sizes)} bytes, but the OVF says {total}",
                         path=where, field=names[-1], fix="A chunk is missing or truncated; copy all of them again.")
    return names


def check_chunks(container: Container, href: str, chunk_size_text: str, total: int, where: str) -> list[str]:
    """The chunk member names of ``href`` once ``ovf:chunkSize`` and every chunk's size check out (nothing is
    opened: discovery needs only this)."""
    text = chunk_size_text.strip()
    if not text.isdigit() or int(text) <= 0:
        raise InputError(f"chunk size {chunk_size_text!r} is not a positive number", path=where,
                         field=f"{href}/@ovf:chunkSize")
    return chunk_names(container, href, int(text), total, where)


def open_chunks(container: Container, href: str, chunk_size_text: str, total: int, where: str) -> ConcatSource:
    """One :class:`ByteSource` over the chunks of ``href`` (see the module contract)."""
    names = check_chunks(container, href, chunk_size_text, total, where)
    parts: list[ByteSource] = []
    try:
        for n in names:
            parts.append(container.open(n))
    except BaseException:
        for p in parts:
            p.close()
        raise
    return ConcatSource(container.display(href), parts)

"""A whole VMDK disk: descriptor + extents (+ parent chain) presented as one :class:`DiskImage`.

Contract: :func:`open_vmdk` takes a :class:`ByteSource` holding either a sparse extent with an embedded
descriptor or a descriptor text file, and an :data:`Opener` for the files it names (extents, parents;
relative names resolve against the image's own location). It reads monolithicSparse, monolithicFlat,
twoGbMaxExtentSparse/Flat, vmfs / vmfsThin (flat extents), streamOptimized (seekable) and ZERO extents,
and follows ``parentFileNameHint`` for delta disks: grains a child stores (or marks zero) win, unallocated
ones come from the parent. A chain that loops, is longer than :data:`MAX_CHAIN`, names a missing parent
or whose parent's CID differs from the child's parentCID is refused with :class:`DiskFormatError`. ESXi
vmfsSparse/seSparse deltas, raw device mappings and host devices raise :class:`UnsupportedFormatError`
(extents are opened in :mod:`wizard.disks.vmdk_extents`).
Local files are opened through a :class:`~wizard.disks.bytesource.LocalOpener`: a parent named by a path
that leaves the disk's folder (absolute, ``../../``) is looked for only by its trailing components beside
it or one folder up, and every file must be a regular file inside the folder of the disk that names it (a
parent may be one folder up); a refused parent is a :class:`DiskFormatError` saying why.
The image owns the source it was given and every file it opened: ``close()`` closes them all.
"""

from __future__ import annotations

import bisect
import os
import posixpath
from collections.abc import Iterator

from wizard.core.errors import DiskFormatError, InputError, UnsafeFileError
from wizard.core.progress import CancelToken
from wizard.disks.bytesource import ByteSource, FileBacked, LocalOpener, Opener, local_opener
from wizard.disks.image import DEFAULT_CHUNK, DiskImage, ExtentInfo, ImageInfo
from wizard.disks.raw import READ_CHUNK
from wizard.disks.vmdk_descriptor import MAX_DESCRIPTOR_BYTES, Descriptor, ExtentLine, parse_descriptor
from wizard.disks.vmdk_extents import Extent, ensure_open_files, name_candidates, open_extent
from wizard.disks.vmdk_sparse import SparseExtent
from wizard.disks.vmdk_sparse_format import MAGIC, MAX_CAPACITY, SECTOR, parse_header, read_exact, zero_fill

MAX_CHAIN = 64




class VmdkImage(DiskImage):
    def __init__(self, path: str, desc: Descriptor, extents: list[tuple[ExtentLine, Extent]],
                 sources: list[ByteSource], parent: VmdkImage | None, embedded: bool) -> None:
        self.path, self.descriptor, self.parent, self._embedded = path, desc, parent, embedded
        self._lines = [line for line, _e in extents]
        self._extents = [e for _l, e in extents]
        self._starts: list[int] = []
        pos = 0
        for line in self._lines:
            self._starts.append(pos)
            pos += line.sectors * SECTOR
        self.virtual_size = pos
        self._sources = sources
        self._parent_ranges: list[tuple[int, int]] | None = None

    # ---- reading --------------------------------------------------------------------------------------

    def readinto(self, offset: int, buf: memoryview) -> None:
        end = offset + len(buf)
        if offset < 0 or end > self.virtual_size:
            raise DiskFormatError(f"read of {len(buf)} bytes is outside the {self.virtual_size}-byte disk",
                                  path=self.path, offset=offset)
        i = max(0, bisect.bisect_right(self._starts, offset) - 1)
        pos = offset
        while pos < end:
            start, ext = self._starts[i], self._extents[i]
            stop = min(end, start + self._lines[i].sectors * SECTOR)
            if stop > pos:
                view = buf[pos - offset:stop - offset]
                fallback = self._fallback(start) if self.parent is not None else None
                ext.readinto(pos - start, view, fallback)
                pos = stop
            i += 1

    def chunks(self, max_chunk: int = DEFAULT_CHUNK, cancel: CancelToken | None = None
               ) -> Iterator[tuple[int, memoryview]]:
        return super().chunks(min(max_chunk, READ_CHUNK), cancel)

    def _fallback(self, base: int):
        parent = self.parent
        assert parent is not None

        def read_parent(local: int, view: memoryview) -> None:
            off = base + local
            n = max(0, min(len(view), parent.virtual_size - off))
            if n:
                parent.readinto(off, view[:n])
            if n < len(view):
                zero_fill(view[n:])

        return read_parent

    def allocated_ranges(self) -> Iterator[tuple[int, int]]:
        cur_start, cur_end = -1, -1
        for start, n in self._raw_ranges():
            if start == cur_end:
                cur_end += n
                continue
            if cur_end > cur_start >= 0:
                yield cur_start, cur_end - cur_start
            cur_start, cur_end = start, start + n
        if cur_end > cur_start >= 0:
            yield cur_start, cur_end - cur_start

    def _raw_ranges(self) -> Iterator[tuple[int, int]]:
        for base, line, ext in zip(self._starts, self._lines, self._extents, strict=True):
            limit = line.sectors * SECTOR
            for lo, n, kind in ext.segments():
                if lo >= limit:
                    break
                n = min(n, limit - lo)
                if kind == "data":
                    yield base + lo, n
                elif kind == "hole" and self.parent is not None:
                    yield from self._parent_within(base + lo, base + lo + n)

    def _parent_within(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        assert self.parent is not None
        if self._parent_ranges is None:
            self._parent_ranges = list(self.parent.allocated_ranges())
        pr = self._parent_ranges
        k = bisect.bisect_right(pr, (start, 1 << 62)) - 1
        k = max(k, 0)
        while k < len(pr) and pr[k][0] < end:
            s, e = max(pr[k][0], start), min(pr[k][0] + pr[k][1], end)
            if e > s:
                yield s, e - s
            k += 1

    # ---- facts ----------------------------------------------------------------------------------------

    def info(self) -> ImageInfo:
        d = self.descriptor
        if self.parent is None:
            allocated = sum(e.allocated_bytes for e in self._extents)
        else:
            allocated = sum(n for _s, n in self.allocated_ranges())
        extents = [ExtentInfo(ext.name, line.kind, start, line.sectors * SECTOR, line.offset * SECTOR)
                   for start, line, ext in zip(self._starts, self._lines, self._extents, strict=True)]
        details: dict[str, object] = {
            "cid": f"{d.cid:08x}",
            "parent_cid": f"{d.parent_cid:08x}",
            "adapter_type": d.ddb.get("adapterType", ""),
            "hw_version": d.ddb.get("virtualHWVersion", ""),
            "geometry": "/".join(d.ddb.get(k, "?") for k in ("geometry.cylinders", "geometry.heads",
                                                               "geometry.sectors")),
            "tools_version": d.ddb.get("toolsVersion", ""),
            "descriptor_embedded": self._embedded,
            "chain_depth": self.chain_depth,
        }
        sparse = [e for e in self._extents if isinstance(e, SparseExtent)]
        if sparse:
            h = sparse[0].header
            details.update(grain_size=sparse[0].grain_bytes, sparse_version=h.version, compressed=h.compressed,
                           zeroed_grains=bool(h.flags & 4))
        file_size = sum(s.size for s in self._sources if s.size > 0)
        return ImageInfo(path=self.path, format="vmdk", subformat=d.create_type, virtual_size=self.virtual_size,
                         allocated_bytes=allocated, file_size=file_size, extents=extents,
                         parent=self.parent.path if self.parent is not None else "", details=details)

    @property
    def chain_depth(self) -> int:
        return 0 if self.parent is None else 1 + self.parent.chain_depth

    def close(self) -> None:
        seen: set[int] = set()
        for src in self._sources:
            if id(src) not in seen:
                seen.add(id(src))
                src.close()
        self._sources = []
        if self.parent is not None:
            self.parent.close()


def default_opener(source: ByteSource) -> Opener | None:
    """Local files resolve their siblings next to themselves; other sources need an explicit opener."""
    if isinstance(source, FileBacked):
        return local_opener(os.path.dirname(os.path.abspath(source.name)))
    return None


def _relative_opener(opener: Opener, name: str) -> Opener:
    """An opener for files named by ``name`` (itself opened through ``opener``) resolving next to it."""
    folder = posixpath.dirname(name.replace("\\", "/"))
    if not folder or posixpath.isabs(folder):
        return opener

    def _open(child: str) -> ByteSource:
        return opener(child if posixpath.isabs(child) else posixpath.join(folder, child))

    return _open


def open_vmdk(source: ByteSource, opener: Opener | None = None, *, _chain: tuple[str, ...] = ()) -> VmdkImage:
    """Open the VMDK in ``source`` (taking ownership of it); see the module contract."""
    opener = opener or default_opener(source)
    opened: list[ByteSource] = [source]
    extents: list[tuple[ExtentLine, Extent]] = []
    try:
        desc, embedded = _read_descriptor(source, extents)
        if not embedded:
            ensure_open_files(len(desc.extents))
            for line in desc.extents:
                extents.append((line, open_extent(line, source.name, opener, opened)))
        total = desc.total_sectors * SECTOR
        if total > MAX_CAPACITY:
            raise DiskFormatError(f"extents add up to {total} bytes, more than 64 TiB", path=source.name)
        parent = _open_parent(desc, source.name, opener, _chain) if desc.has_parent else None
        return VmdkImage(source.name, desc, extents, opened, parent, embedded)
    except BaseException:
        for src in opened:
            src.close()
        raise


def _read_descriptor(source: ByteSource, extents: list[tuple[ExtentLine, Extent]]) -> tuple[Descriptor, bool]:
    name = source.name
    head = bytearray(SECTOR)
    got = source.pread_into(0, memoryview(head))
    if head[:4] == MAGIC:
        header = parse_header(head[:got], name)
        if header.desc_offset == 0 or header.desc_size == 0:
            raise DiskFormatError("this sparse file has no embedded descriptor: it is one extent of a split disk",
                                  path=name, field="descriptorOffset",
                                  fix="Open the small descriptor .vmdk that names this extent instead.")
        desc = parse_descriptor(bytes(read_exact(source, header.desc_offset * SECTOR, header.desc_size * SECTOR,
                                                 "embedded descriptor")), name)
        if len(desc.extents) != 1 or desc.extents[0].kind != "SPARSE":
            raise DiskFormatError("an embedded descriptor must name exactly one SPARSE extent (the file itself)",
                                  path=name, offset=header.desc_offset * SECTOR)
        line = desc.extents[0]
        if line.sectors != header.capacity:
            raise DiskFormatError(f"descriptor says {line.sectors} sectors but the header capacity is "
                                  f"{header.capacity}", path=name, field="capacity")
        extents.append((line, SparseExtent(source, header)))
        return desc, True
    if source.size > MAX_DESCRIPTOR_BYTES:
        raise DiskFormatError("file is neither a sparse VMDK nor a descriptor (too large for descriptor text)",
                              path=name, offset=0)
    size = source.size if source.size >= 0 else MAX_DESCRIPTOR_BYTES
    buf = bytearray(size)
    n = source.pread_into(0, memoryview(buf))
    return parse_descriptor(bytes(buf[:n]), name), False


def _open_parent(desc: Descriptor, name: str, opener: Opener | None, chain: tuple[str, ...]) -> VmdkImage:
    hint = desc.parent_hint
    if not hint:
        raise DiskFormatError("delta disk names no parent", path=name, field="parentFileNameHint")
    if len(chain) >= MAX_CHAIN:
        raise DiskFormatError(f"snapshot chain is longer than {MAX_CHAIN} disks", path=name,
                              field="parentFileNameHint")
    if opener is None:
        raise DiskFormatError(f"cannot open parent {hint!r}: no way to reach files beside this disk", path=name,
                              field="parentFileNameHint")
    src, refused = None, None
    for cand in name_candidates(hint, beside_folder=True):
        try:
            src = opener(cand)
            used = cand
            break
        except UnsafeFileError as exc:  # a link out of the folder, a FIFO...: said if nothing else is found
            refused = refused or exc
        except InputError:  # not found, or a name the transport refuses (".." inside an OVA)
            continue
    if src is None:
        if refused is not None:
            raise DiskFormatError(f"parent disk {hint!r} cannot be used: {refused.message}", path=name,
                                  field="parentFileNameHint", fix=refused.fix)
        raise DiskFormatError(f"parent disk {hint!r} was not found", path=name, field="parentFileNameHint",
                              fix="Copy the whole snapshot chain (every -00000N.vmdk and the base disk) together.")
    key = os.path.normpath(os.path.abspath(src.name)) if isinstance(src, FileBacked) else src.name
    me = os.path.normpath(os.path.abspath(name)) if os.path.exists(name) else name
    if key in chain or key == me:
        src.close()
        raise DiskFormatError(f"snapshot chain loops back to {src.name!r}", path=name, field="parentFileNameHint")
    # a local parent's own files are kept inside its own folder (not the one that named it)
    parent_opener = (LocalOpener(os.path.dirname(src.name)) if isinstance(opener, LocalOpener)
                     else _relative_opener(opener, used))
    parent = open_vmdk(src, parent_opener, _chain=(*chain, me))
    if parent.descriptor.cid != desc.parent_cid:
        parent.close()
        raise DiskFormatError(
            f"parent {hint!r} has content ID {parent.descriptor.cid:08x} but this delta expects "
            f"{desc.parent_cid:08x}: the parent changed after the snapshot was taken", path=name, field="parentCID",
            fix="Use the parent disk that belongs to this snapshot (restore it from backup), or consolidate the "
                "snapshots in VMware before migrating.")
    return parent

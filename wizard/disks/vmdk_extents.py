"""The extents a VMDK descriptor names, opened: flat (preallocated), zero and sparse; and where to look for a
file a descriptor names with another host's path.

Contract:
- :func:`open_extent` opens one descriptor extent line through an :data:`Opener` and returns an object with
  ``size``, ``name``, ``segments()``, ``allocated_bytes``, ``readinto(offset, view, fallback)`` and
  ``close()``. ESXi snapshot deltas (VMFSSPARSE, SESPARSE), raw device mappings and extents that are host
  devices (``/dev/sdb``, ``\\\\.\\PhysicalDrive1``: a Workstation "physical disk" VM) raise
  :class:`UnsupportedFormatError`; a missing or unopenable file raises :class:`DiskFormatError` naming the
  descriptor line. A file named with an absolute path that does not exist here (the VM folder was copied
  from another host) is looked for beside the descriptor by its trailing path components; an extent is
  only ever taken from the descriptor's folder (a local opener also refuses links out of it, named pipes
  and devices: :mod:`wizard.core.files`).
- :func:`name_candidates` lists those names, best first.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from wizard.core.errors import DiskFormatError, InputError, UnsafeFileError, UnsupportedFormatError
from wizard.disks.bytesource import ByteSource, Opener
from wizard.disks.raw import data_ranges
from wizard.disks.vmdk_descriptor import ExtentLine
from wizard.disks.vmdk_sparse import SparseExtent
from wizard.disks.vmdk_sparse_format import SECTOR, zero_fill

_DEVICE_RE = re.compile(r"^(/dev/|\\\\[.?]\\|//[.?]/)", re.IGNORECASE)
_DRIVE_RE = re.compile(r"^[A-Za-z]:")


class FlatExtent:
    """A preallocated extent: bytes [base, base+size) of a file, holes of a local sparse file skipped."""

    def __init__(self, source: ByteSource, base: int, size: int) -> None:
        self.source, self.name, self.base, self.size = source, source.name, base, size
        if source.size >= 0 and source.size < base + size:
            raise DiskFormatError(f"flat extent needs {base + size} bytes but the file has {source.size}: it is "
                                  "truncated", path=self.name, offset=source.size)

    def segments(self) -> Iterator[tuple[int, int, str]]:
        for off, n in data_ranges(self.source, self.base, self.base + self.size):
            yield off - self.base, n, "data"

    @property
    def allocated_bytes(self) -> int:
        return sum(n for _o, n, _k in self.segments())

    def readinto(self, offset: int, buf: memoryview, fallback: object = None) -> None:
        got = self.source.pread_into(self.base + offset, buf)
        if got != len(buf):
            raise DiskFormatError("flat extent ended early (truncated while reading?)", path=self.name,
                                  offset=self.base + offset + got)

    def close(self) -> None:
        self.source.close()


class ZeroExtent:
    name = ""

    def __init__(self, size: int) -> None:
        self.size = size
        self.allocated_bytes = 0

    def segments(self) -> Iterator[tuple[int, int, str]]:
        return iter(())

    def readinto(self, offset: int, buf: memoryview, fallback: object = None) -> None:
        zero_fill(buf)

    def close(self) -> None:
        pass


Extent = SparseExtent | FlatExtent | ZeroExtent


def ensure_open_files(extents: int) -> None:
    """Make room for one open file per extent: a split disk of Workstation (2 GB per file) holds 1024 files
    per 2 TB, past the usual soft limit of 1024 descriptors on Linux. The soft limit is raised towards the
    hard one (room for a second reader of the same disk too); Windows' C runtime already allows 8192."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    want = 2 * extents + 256
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= want:
        return
    new = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if new > soft:
        # when not permitted, opening fails later with a clear "Too many open files" naming the extent
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))


def name_candidates(name: str, *, beside_folder: bool = False) -> list[str]:
    """Names to try for a file a descriptor names, best first: the name itself, then — for a name carrying
    another host's path (``C:\\VMs\\a\\b.vmdk``, ``/vmfs/volumes/ds/a/b.vmdk``) — its trailing components
    resolved beside the descriptor (``a/b.vmdk``... ``b.vmdk``), and with ``beside_folder`` also
    ``../a/b.vmdk`` (a linked clone's base disk copied into a folder next to the clone's) and ``../b.vmdk``
    (a delta in a ``Snapshots/`` subfolder whose base is one folder up). The caller checks the content ID,
    so a wrong guess is refused, never used."""
    parts = [p for p in name.replace("\\", "/").split("/") if p and p != "."]
    out = [name]
    if parts and ".." not in parts:
        out += ["/".join(parts[i:]) for i in range(1, len(parts))]
        if beside_folder:
            if len(parts) > 1:
                out.append("../" + "/".join(parts[-2:]))
            out.append("../" + parts[-1])  # a snapshot delta kept in a Snapshots/ subfolder, its base one up
    return list(dict.fromkeys(out))


def _inside(name: str) -> bool:
    """True for a name that stays in the descriptor's folder: relative, without ``..``."""
    path = name.replace("\\", "/")
    return not (path.startswith("/") or _DRIVE_RE.match(path) or ".." in path.split("/"))


def _open_named(line: ExtentLine, desc_name: str, opener: Opener) -> ByteSource:
    # An extent is data read into the output: it is only ever taken from the descriptor's own folder, so a
    # hostile descriptor cannot pull another file of this machine (a key, /etc/shadow) into a VHDX. A name
    # with another host's path is still found there by its trailing components.
    candidates = [c for c in name_candidates(line.filename) if _inside(c)]
    if not candidates:
        raise DiskFormatError(f"extent file {line.filename!r} named on line {line.line} is outside the "
                              "descriptor's folder", path=desc_name, field=f"extent line {line.line}",
                              fix="Copy every extent file of the disk into the same folder as its descriptor "
                                  "and name it there.")
    first: InputError | None = None
    for cand in candidates:
        try:
            return opener(cand)
        except InputError as exc:  # not found, or a name the transport refuses (an absolute one in an OVA)
            first = first or exc
    assert first is not None
    fix = first.fix if isinstance(first, UnsafeFileError) else ""
    raise DiskFormatError(f"extent file {line.filename!r} named on line {line.line} cannot be opened "
                          f"({first.message})", path=desc_name, field=f"extent line {line.line}",
                          fix=fix or "Copy every extent file of the disk into the same folder as its descriptor.")


def open_extent(line: ExtentLine, desc_name: str, opener: Opener | None, opened: list[ByteSource]) -> Extent:
    """Open ``line`` of the descriptor ``desc_name``; the source it opens is appended to ``opened``."""
    size = line.sectors * SECTOR
    where = f"extent line {line.line}"
    if line.kind == "ZERO":
        return ZeroExtent(size)
    if line.kind in ("VMFSSPARSE", "SESPARSE"):
        raise UnsupportedFormatError(f"extent {line.filename!r} is an ESXi snapshot delta ({line.kind})",
                                     path=desc_name, field=where,
                                     fix="Delete or consolidate the VM's snapshots on ESXi (or export it as OVF), "
                                         "then migrate again.")
    if line.kind in ("VMFSRDM", "VMFSRAW"):
        raise UnsupportedFormatError(f"extent {line.filename!r} is a raw device mapping ({line.kind})",
                                     path=desc_name, field=where,
                                     fix="Copy the mapped LUN to a virtual disk (Storage vMotion to thick) first.")
    if _DEVICE_RE.match(line.filename):
        raise UnsupportedFormatError(f"extent {line.filename!r} is a physical disk of the VMware host, not a file",
                                     path=desc_name, field=where,
                                     fix="Image the physical disk into a virtual disk first (e.g. VMware vCenter "
                                         "Converter), then migrate the VM that uses the image.")
    if opener is None:
        raise DiskFormatError(f"cannot open extent {line.filename!r}: no way to reach files beside the descriptor",
                              path=desc_name, field=where)
    src = _open_named(line, desc_name, opener)
    opened.append(src)
    if line.kind == "SPARSE":
        ext = SparseExtent(src)
        if ext.header.capacity < line.sectors:
            raise DiskFormatError(f"extent {line.filename!r} holds {ext.header.capacity} sectors but the descriptor "
                                  f"gives it {line.sectors}", path=desc_name, field=where)
        return ext
    return FlatExtent(src, line.offset * SECTOR, size)

"""Cheap facts about local disk files for discovery: capacity, kind and delta chain, from headers only.

Discovery must not depend on the full disk engine (and must stay fast on folders of many VMs), so this
module reads just the first bytes of a file: the VMDK text descriptor or sparse header ("KDMV"), the
VDI pre-header and header, and the VHD footer. It never reads grain tables or data. Anything it cannot
understand gives ``DiskMeta(known=False)`` plus a warning string, never an exception other than
:class:`InputError`. Files are opened by the rule of :mod:`wizard.core.files`: regular files only, inside the
folder given as ``root`` (a delta's parent inside its child's folder or the one above);
:class:`~wizard.core.errors.UnsafeFileError` otherwise.
"""

from __future__ import annotations

import os
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from wizard.core.errors import InputError
from wizard.core.files import open_regular, root_for
from wizard.core.inventory import Backing, Provisioning, SourceVM
from wizard.disks.image import DiskImage
from wizard.disks.vmdk_descriptor import EXTENT_RE, descriptor_encoding
from wizard.disks.vmdk_sparse_format import parse_header

SECTOR = 512
MAX_DESCRIPTOR = 1024 * 1024  # a text descriptor larger than this is not a descriptor
MAX_CHAIN = 64

_CREATE_TYPE_BACKING = {
    "monolithicsparse": Backing.SPARSE, "twogbmaxextentsparse": Backing.SPARSE, "vmfssparse": Backing.VMFS_SPARSE,
    "monolithicflat": Backing.FLAT, "twogbmaxextentflat": Backing.FLAT, "vmfs": Backing.FLAT,
    "vmfsthin": Backing.FLAT, "vmfspreallocated": Backing.FLAT, "vmfseagerzeroedthick": Backing.FLAT,
    "fullDevice".lower(): Backing.RAW, "partitioneddevice": Backing.RAW,
    "vmfsrawdevicemap": Backing.RDM_VIRTUAL, "vmfspassthroughrawdevicemap": Backing.RDM_PHYSICAL,
    "sesparse": Backing.SESPARSE, "streamoptimized": Backing.STREAM,
}


@dataclass
class DiskMeta:
    """What the header says. ``capacity_bytes`` 0 when unknown; ``parent`` is the parent file name as
    written (relative to this file's folder) for delta disks."""

    path: str
    known: bool = False
    file_format: str = ""  # vmdk | vdi | vhd | vhdx | raw
    create_type: str = ""
    capacity_bytes: int = 0
    backing: Backing = Backing.UNKNOWN
    provisioning: Provisioning = Provisioning.UNKNOWN
    parent: str = ""
    extents: list[tuple[str, int, str]] = field(default_factory=list)  # (kind, sectors, file)
    ddb: dict[str, str] = field(default_factory=dict)
    encrypted: bool = False
    warning: str = ""


def _open(path: str, root: str | None) -> BinaryIO:
    try:
        return open(open_regular(path, root), "rb")
    except FileNotFoundError:
        raise InputError("disk file not found", path=path,
                         fix="Copy the whole VM folder, including every .vmdk/.vdi file it names.") from None
    except OSError as exc:
        raise InputError(f"cannot read disk file: {exc.strerror}", path=path) from None


def parse_vmdk_descriptor(text: str, meta: DiskMeta) -> DiskMeta:
    """Fill ``meta`` from a VMDK text descriptor (embedded or separate)."""
    for raw in text.splitlines():
        line = raw.strip().strip("\x00")
        if not line or line.startswith("#"):
            continue
        m = EXTENT_RE.match(line)
        if m:
            meta.extents.append((m["kind"].upper(), int(m["sectors"]), m["file"] or ""))
            continue
        key, sep, value = line.partition("=")
        if not sep:
            continue
        key, value = key.strip(), value.strip().strip('"')
        low = key.lower()
        if low == "createtype":
            meta.create_type = value
        elif low == "parentfilenamehint":
            meta.parent = value
        elif low.startswith("ddb."):
            meta.ddb[key] = value
        elif low in ("encryption.keysafe", "encryption.data"):
            meta.ddb[key] = "(present)"  # encrypted (Workstation/Fusion): the extents are inside encryption.data
    meta.backing = _CREATE_TYPE_BACKING.get(meta.create_type.lower(), Backing.OTHER if meta.create_type
                                            else Backing.UNKNOWN)
    if meta.extents:
        meta.capacity_bytes = sum(sectors for _, sectors, _ in meta.extents) * SECTOR
    if meta.ddb.get("ddb.thinProvisioned") == "1" or meta.create_type.lower() in ("vmfsthin", "monolithicsparse",
                                                                                 "twogbmaxextentsparse",
                                                                                 "streamoptimized"):
        meta.provisioning = Provisioning.THIN
    elif meta.create_type.lower() == "vmfseagerzeroedthick":
        meta.provisioning = Provisioning.THICK_EAGER
    elif meta.create_type.lower() in ("vmfs", "monolithicflat", "twogbmaxextentflat", "vmfspreallocated"):
        meta.provisioning = Provisioning.THICK_LAZY
    meta.encrypted = any(k.lower().startswith(("ddb.encryption", "encryption.")) or k.lower() == "ddb.keysafe"
                         for k in meta.ddb)
    meta.known = bool(meta.create_type or meta.extents or meta.encrypted)
    return meta


def _vmdk_sparse(path: str, head: bytes, file_size: int, fh: BinaryIO) -> DiskMeta:
    meta = DiskMeta(path=path, file_format="vmdk")
    if len(head) < SECTOR:
        raise InputError("VMDK sparse header is truncated", path=path, offset=len(head))
    header = parse_header(head, path)  # the engine's checks: a damaged header is an error here, not a 6 EB disk
    flags, capacity, desc_off, desc_size = header.flags, header.capacity, header.desc_offset, header.desc_size
    if desc_off and 0 < desc_size <= MAX_DESCRIPTOR // SECTOR and (desc_off + desc_size) * SECTOR <= file_size:
        fh.seek(desc_off * SECTOR)
        raw = fh.read(desc_size * SECTOR).split(b"\x00", 1)[0]
        text = raw.decode(descriptor_encoding(raw), "replace")
        parse_vmdk_descriptor(text, meta)
    meta.capacity_bytes = capacity * SECTOR
    if not meta.create_type:
        meta.create_type = "streamOptimized" if flags & (1 << 16) else "monolithicSparse"
        meta.backing = Backing.STREAM if flags & (1 << 16) else Backing.SPARSE
    meta.provisioning = Provisioning.THIN
    meta.known = True
    return meta


def _vdi(path: str, head: bytes) -> DiskMeta:
    meta = DiskMeta(path=path, file_format="vdi", backing=Backing.VDI, create_type="vdi")
    if len(head) < 376:
        raise InputError("VDI header is truncated", path=path, offset=len(head))
    version = struct.unpack_from("<I", head, 68)[0]
    if version >> 16 != 1:
        meta.warning = f"VDI header version {version >> 16}.{version & 0xFFFF} is not understood"
        return meta
    img_type = struct.unpack_from("<I", head, 76)[0]
    meta.capacity_bytes = struct.unpack_from("<Q", head, 368)[0]
    meta.provisioning = Provisioning.THIN if img_type in (1, 4) else Provisioning.THICK_LAZY
    meta.known = True
    return meta


def _vhd(path: str, file_size: int, fh: BinaryIO) -> DiskMeta:
    meta = DiskMeta(path=path, file_format="vhd", backing=Backing.VHD, create_type="vhd")
    fh.seek(max(0, file_size - SECTOR))
    footer = fh.read(SECTOR)
    if not footer.startswith(b"conectix"):
        meta.warning = "VHD footer not found (truncated file?)"
        return meta
    meta.capacity_bytes = struct.unpack_from(">Q", footer, 48)[0]
    disk_type = struct.unpack_from(">I", footer, 60)[0]
    meta.provisioning = Provisioning.THICK_LAZY if disk_type == 2 else Provisioning.THIN
    meta.create_type = {2: "fixed", 3: "dynamic", 4: "differencing"}.get(disk_type, "vhd")
    meta.known = True
    return meta


def _from_engine(meta: DiskMeta, root: str | None) -> DiskMeta:
    """Capacity from the disk engine, for formats whose header is too involved to read here (VHDX)."""
    try:
        from wizard.disks.bytesource import LocalFile
        from wizard.disks.detect import open_image

        with open_image(LocalFile(meta.path, root=root)) as image:
            meta.capacity_bytes = image.virtual_size
            meta.known = True
    except InputError as exc:
        meta.warning = exc.message
    except ImportError:  # pragma: no cover - the engine ships with the app
        meta.warning = "the disk engine is not available to read this format"
    return meta


def read_disk_meta(path: str, root: str | None = None) -> DiskMeta:
    """Identify ``path`` by its first bytes and return what its header says. With ``root``, the file must lie
    inside that folder after links (see the module contract)."""
    with _open(path, root) as fh:
        size = os.fstat(fh.fileno()).st_size
        return _identify(path, root, fh, fh.read(4096), size)


def _identify(path: str, root: str | None, fh: BinaryIO, head: bytes, size: int) -> DiskMeta:
    if head[:4] == b"KDMV":
        return _vmdk_sparse(path, head, size, fh)
    if head[:4] == b"COWD":
        return DiskMeta(path=path, file_format="vmdk", create_type="vmfsSparse", backing=Backing.SPARSE,
                        known=True, capacity_bytes=struct.unpack_from("<I", head, 12)[0] * SECTOR)
    if len(head) >= 72 and head[64:68] == struct.pack("<I", 0xBEDA107F):
        return _vdi(path, head)
    if head[:8] == b"vhdxfile":
        return _from_engine(DiskMeta(path=path, file_format="vhdx", backing=Backing.VHDX, create_type="vhdx"), root)
    if head[:8] == b"conectix" or path.lower().endswith(".vhd"):
        return _vhd(path, size, fh)
    if b"# Disk DescriptorFile" in head[:200] or b"createType" in head[:1024]:
        if size > MAX_DESCRIPTOR:
            raise InputError("VMDK descriptor is implausibly large", path=path)
        fh.seek(0)
        raw = fh.read(MAX_DESCRIPTOR)
        text = raw.decode(descriptor_encoding(raw), "replace")
        meta = parse_vmdk_descriptor(text, DiskMeta(path=path, file_format="vmdk"))
        return meta
    return DiskMeta(path=path, file_format="raw", backing=Backing.RAW, capacity_bytes=size, known=True,
                    create_type="raw")


def resolve_sibling(base_dir: str, name: str) -> str:
    """A file named by a config, found next to it: relative names join ``base_dir``; absolute ones that do
    not exist here (an ESXi ``/vmfs/volumes/ds/vm/...`` or ``C:\\VMs\\vm\\...`` path of a copied folder) are
    looked for under ``base_dir`` by their trailing components, longest first (``disks/a.vmdk`` before
    ``a.vmdk``), then as ``FOLDER/FILE`` in a folder beside ``base_dir`` (the base disk of a linked clone,
    ``C:\\VMs\\Template\\t.vmdk``, copied next to the clone's folder), and only then as written; when none
    exists the basename beside ``base_dir`` is returned. Whether the file may be read is the caller's
    check (:func:`wizard.core.files.root_for`): a path as written usually lies outside the VM's folder."""
    if os.path.isabs(name) or re.match(r"^[A-Za-z]:[\\/]", name):
        parts = [p for p in re.split(r"[\\/]", name) if p and p not in (".", "..")]
        if not parts:
            return base_dir
        candidates = [os.path.join(base_dir, *parts[i:]) for i in range(1, len(parts))]
        if len(parts) >= 2:
            candidates.append(os.path.join(os.path.dirname(os.path.abspath(base_dir)), *parts[-2:]))
        candidates.append(name)
        return next((c for c in candidates if os.path.exists(c)), os.path.join(base_dir, parts[-1]))
    return os.path.join(base_dir, name.replace("\\", "/"))


def disk_chain(path: str, root: str | None = None) -> tuple[DiskMeta, list[str]]:
    """Metadata of the top file and the chain of files from the base to ``path`` (``[path]`` alone for a
    disk without parents). ``path`` must lie inside ``root`` (when given), each parent inside the folder of
    the disk naming it or the folder above. A missing parent raises :class:`InputError` naming it, a refused
    one :class:`~wizard.core.errors.UnsafeFileError`."""
    top = read_disk_meta(path, root)
    chain = [path]
    meta = top
    seen = {os.path.realpath(path)}
    while meta.parent:
        parent = resolve_sibling(os.path.dirname(meta.path), meta.parent)
        if not os.path.exists(parent):  # a delta in a Snapshots/ subfolder, its base one folder up
            up = os.path.join(os.path.dirname(os.path.dirname(meta.path)), re.split(r"[\\/]", meta.parent)[-1])
            parent = up if os.path.exists(up) else parent
        if not os.path.exists(parent):
            raise InputError(f"parent disk {meta.parent!r} of this delta disk is missing", path=meta.path,
                             field="parentFileNameHint",
                             fix="Copy every disk file of the VM (base and all snapshot deltas) together.")
        real = os.path.realpath(parent)
        if real in seen or len(chain) >= MAX_CHAIN:
            raise InputError("delta disk chain loops or is too long", path=meta.path, field="parentFileNameHint")
        seen.add(real)
        chain.insert(0, parent)
        folder = os.path.dirname(meta.path)
        meta = read_disk_meta(parent, root_for(folder, parent, parent_ok=True, label="the delta disk's folder"))
    if not top.capacity_bytes and meta is not top:
        top.capacity_bytes = meta.capacity_bytes
    return top, chain


def read_contents(vm: SourceVM, open_disk: Callable[[int], DiskImage]) -> None:
    """Fill each disk's ``content`` (what its first sectors hold: :func:`wizard.disks.partitions.boot_content`)
    and ``allocated_bytes`` by opening it with ``open_disk(index)``, as a migration would. A disk that cannot
    be opened (missing, a raw device mapping, a format read only through qemu-img, a chain the engine cannot
    follow) keeps ``""``/None: discovery reports what it can, the rules say what that means."""
    from wizard.core.errors import DiskFormatError, HvmError, UnsafeFileError, UnsupportedFormatError
    from wizard.disks.partitions import boot_content

    for index, disk in enumerate(vm.disks):
        if disk.no_file or not disk.path or disk.backing in (Backing.RDM_PHYSICAL, Backing.RDM_VIRTUAL):
            continue
        if disk.file_format in ("vdi", "qcow2", "qed") and len(disk.chain) > 1:
            continue  # read only through qemu-img, which reads single files
        try:
            with open_disk(index) as image:
                disk.content = boot_content(image)
                if disk.allocated_bytes is None and disk.backing is not Backing.STREAM and disk.file_format != "vdi":
                    # an upper bound by contract (allocated_ranges may over-approximate, never under): grain
                    # tables of a sparse VMDK, SEEK_DATA of a flat file; a stream would have to be read through
                    disk.allocated_bytes = sum(n for _o, n in image.allocated_ranges())
        except UnsupportedFormatError:
            disk.content = ""  # read through qemu-img by the copy, when it is installed (DISK-FORMAT says more)
        except (UnsafeFileError, DiskFormatError) as exc:  # the copy opens it the same way, and would fail the same
            disk.content = ""
            _unreadable(vm, disk.path, f"{disk.label}: {exc.one_line()}")
        except (HvmError, OSError, ValueError, NotImplementedError, EOFError):
            disk.content = ""


def _unreadable(vm: SourceVM, path: str, why: str) -> None:
    """Record ``path`` as a disk file of ``vm`` that cannot be read, with why (DISK-UNREADABLE says it)."""
    missing = [m for m in vm.extra.get("missing_files", "").splitlines() if m]
    named = path.replace("\\", "/")
    if not any(named == m.replace("\\", "/") or named.endswith("/" + m.replace("\\", "/")) for m in missing):
        vm.extra["missing_files"] = "\n".join([*missing, path])  # once: the source may have listed it already
    vm.extra["warnings"] = "\n".join([w for w in vm.extra.get("warnings", "").splitlines() if w] + [why])

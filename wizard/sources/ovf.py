"""OVF 1.x/2.x descriptors (VMware, VirtualBox exports) as a source; files come from a *container*.

A container (:class:`~wizard.sources.ovfcontainer.Container`) resolves the descriptor's
``References/File/@href`` names: :class:`FolderContainer` reads files beside the ``.ovf``; the OVA source
(:mod:`wizard.sources.ova`) reads tar members in place. Both are read-only. ``discover`` checks every
referenced file exists (an :class:`InputError` names the file and the OVF field otherwise) and, when a ``.mf``
manifest is present, checks each listed file's SHA-1/256/512.
Disk files split into chunks (:mod:`wizard.sources.ovfchunks`) and/or gzip-compressed
(:mod:`wizard.sources.ovfcompress`) are read in place too.
Mapping from CIM ``ResourceType`` values is in :mod:`wizard.sources.ovfmap`.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import unquote

from wizard.core.errors import DiskFormatError, InputError, SourceError, UnsafeFileError
from wizard.core.files import open_regular
from wizard.core.inventory import Inventory, SourceVM
from wizard.core.progress import CancelToken, Meter, ProgressSink
from wizard.disks.bytesource import ByteSource, LocalFile
from wizard.disks.image import DiskImage, ImageInfo
from wizard.sources.base import Source
from wizard.sources.diskmeta import read_contents
from wizard.sources.ovfcontainer import Container
from wizard.sources.ovfmap import OvfDisk, OvfFile, deployment_options, property_name, vm_from_system
from wizard.sources.ovfxml import attr, children, descendants, local, parse_int, safe_xml, unit_multiplier

MAX_REFERENCES = 1000
HASH_CHUNK = 4 * 1024 * 1024
_MF_RE = re.compile(r"^\s*(SHA1|SHA256|SHA512)\s*\((.+)\)\s*=\s*([0-9A-Fa-f]+)\s*$")


def check_href(href: str, where: str, field: str) -> str:
    """A referenced file name that stays inside its folder/archive, or :class:`InputError`."""
    name = href.strip()
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://", name):
        raise InputError(f"file {name!r} is a URL; only files shipped with the OVF are read", path=where,
                         field=field, fix="Download the files next to the .ovf and edit the href to the file name.")
    parts = re.split(r"[\\/]", name)
    if not name or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts or "\x00" in name:
        raise InputError(f"file name {name!r} points outside the OVF's folder", path=where, field=field)
    kept = "/".join(p for p in parts if p not in ("", "."))
    if not kept:  # "." or "./": the folder itself
        raise InputError(f"file name {name!r} names no file", path=where, field=field)
    return kept


class FolderContainer:
    """Files beside the ``.ovf``: regular files whose real path lies inside the folder (:mod:`wizard.core.files`);
    a link out of it, a named pipe or a device is refused with :class:`~wizard.core.errors.UnsafeFileError`."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.refused: dict[str, str] = {}

    def _path(self, name: str) -> str:
        return os.path.join(self.folder, *name.split("/"))

    def exists(self, name: str) -> bool:
        if not os.path.lexists(self._path(name)):
            return False
        try:
            self.open(name).close()  # the checks a read makes: assess must not pass what the copy refuses
        except UnsafeFileError as exc:
            self.refused[name] = exc.message
            return False
        except DiskFormatError as exc:  # there but not readable (permissions...): not "missing"
            if not exc.message.endswith("file not found"):
                self.refused[name] = exc.message
            return False
        except OSError as exc:
            self.refused[name] = f"cannot be read: {exc.strerror or exc}"
            return False
        return True

    def size(self, name: str) -> int:
        return os.path.getsize(self._path(name))

    def open(self, name: str) -> ByteSource:
        # like a link inside an OVA: an unpacked package must not make us read a host file (or device)
        return LocalFile(self._path(name), root=self.folder, label="the OVF's folder")

    def display(self, name: str) -> str:
        return self._path(name)


def read_all(container: Container, name: str, limit: int) -> bytes:
    src = container.open(name)
    try:
        if src.size > limit:
            raise InputError(f"file is {src.size} bytes; more than {limit} is not plausible here",
                             path=container.display(name))
        buf = bytearray(src.size)
        n = src.pread_into(0, memoryview(buf))
        return bytes(buf[:n])
    finally:
        src.close()


def _property_defaults(root) -> dict[str, str]:  # noqa: ANN001 - an ElementTree element
    """Every ``ProductSection/Property``'s default value by the names a ``${...}`` reference uses: its key, and
    ``class.instance.key`` / ``class.key`` when the section has a class (DSP0243 9.5)."""
    out: dict[str, str] = {}
    for product in descendants(root, "ProductSection"):
        for prop in children(product, "Property"):
            key, value = attr(prop, "key"), attr(prop, "value")
            if key:
                out.setdefault(key, value)
                out.setdefault(property_name(product, key), value)
    return out


def parse_envelope(data: bytes, where: str) -> tuple[dict[str, OvfFile], dict[str, OvfDisk], list, list[str]]:
    """``(files by id, disks by id, VirtualSystem elements, NetworkSection names)`` from descriptor bytes."""
    root = safe_xml(data, where)
    if local(root.tag) != "Envelope":
        raise InputError(f"not an OVF descriptor (root element is {local(root.tag)!r}, expected Envelope)",
                         path=where)
    files: dict[str, OvfFile] = {}
    # Only References/File and DiskSection/Disk count: a vendor section (VirtualBox's vbox:Machine copy of the
    # settings, vmw extensions) may hold elements of the same local name that are not package files.
    refs = [f for section in children(root, "References") for f in children(section, "File")]
    for i, f in enumerate(refs):
        if i >= MAX_REFERENCES:
            raise InputError("too many References/File entries", path=where, field="References")
        fid = attr(f, "id") or f"#{i}"
        field = f"References/File[@ovf:id='{fid}']/@ovf:href"
        size = attr(f, "size")
        files[fid] = OvfFile(fid, check_href(attr(f, "href"), where, field),
                             parse_int(size, where, field[:-4] + "size") if size else -1,
                             attr(f, "compression"), attr(f, "chunkSize"))
    disks: dict[str, OvfDisk] = {}
    defaults = _property_defaults(root)
    disk_sections = [*descendants(root, "DiskSection"),  # OVF 0.9 wrote <Section xsi:type="ovf:DiskSection_Type">
                     *(s for s in descendants(root, "Section") if attr(s, "type").endswith("DiskSection_Type"))]
    for d in (d for section in disk_sections for d in children(section, "Disk")):
        did = attr(d, "diskId")
        field = f"DiskSection/Disk[@ovf:diskId='{did}']"
        cap_text = attr(d, "capacity")
        capacity = 0
        ref = re.fullmatch(r"\s*\$\{([^}]{1,200})\}\s*", cap_text)
        value = defaults.get(ref.group(1), "") if ref else cap_text  # "${disksize}": the property's default (9.1)
        if re.fullmatch(r"\s*\d{1,20}\s*", value):
            units = unit_multiplier(attr(d, "capacityAllocationUnits"), where, field + "/@ovf:capacityAllocationUnits")
            capacity = int(value) * units
        file_ref = attr(d, "fileRef")
        if file_ref and file_ref not in files:
            raise InputError(f"disk {did!r} names file id {file_ref!r}, which References does not list",
                             path=where, field=field + "/@ovf:fileRef")
        disks[did] = OvfDisk(did, capacity, file_ref, attr(d, "format"), cap_text if not capacity else "")
    # OVF 0.9 (VMware's first exports) wrote <Content xsi:type="ovf:VirtualSystem_Type">
    systems = [*descendants(root, "VirtualSystem"),
               *(c for c in descendants(root, "Content") if attr(c, "type").endswith("VirtualSystem_Type"))]
    if not systems:
        raise InputError("the OVF describes no VirtualSystem", path=where, field="VirtualSystem")
    networks = [attr(n, "name") for n in descendants(root, "Network") if attr(n, "name")]
    return files, disks, systems, networks


def resolve_hrefs(files: dict[str, OvfFile], container: Container, where: str) -> None:
    """An href written as a URI reference (``My%20Disk.vmdk``) names ``My Disk.vmdk`` when only that exists;
    the decoded name is checked again (``%2e%2e%2f`` must not escape the folder)."""
    for f in files.values():
        plain = unquote(f.href)
        probe = (lambda n: container.exists(f"{n}.000000000")) if f.chunk_size else container.exists
        if plain != f.href and not probe(f.href):
            checked = check_href(plain, where, f"References/File[@ovf:id='{f.id}']/@ovf:href")  # before any probe
            if probe(checked):
                f.href = checked


def parse_manifest(text: str, where: str) -> list[tuple[str, str, str]]:
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = _MF_RE.match(line)
        if not m:
            raise InputError(f"manifest line {number} is not 'SHA256(file)= hex'", path=where)
        entries.append((m.group(1).lower(), check_href(m.group(2), where, f"line {number}"), m.group(3).lower()))
    return entries


def verify_manifest(container: Container, entries: list[tuple[str, str, str]], where: str,
                    progress: ProgressSink | None, cancel: CancelToken | None) -> None:
    """Hash every listed file once, whatever the manifest repeats (each file is read in one pass that feeds
    every algorithm the manifest names for it); :class:`InputError` naming the first missing or mismatching
    one."""
    wanted: dict[str, dict[str, set[str]]] = {}  # file -> algorithm -> the digests listed for it
    for algo, name, digest in entries:
        wanted.setdefault(name, {}).setdefault(algo, set()).add(digest)
    for name in wanted:
        if not container.exists(name):
            raise InputError(f"the manifest lists {name!r}, which is missing", path=where, field=name)
    meter = Meter(progress, "verify manifest", total=sum(container.size(n) for n in wanted))
    buf = memoryview(bytearray(HASH_CHUNK))
    for name, algos in wanted.items():
        hashes = {algo: hashlib.new(algo) for algo in algos}
        src = container.open(name)
        try:
            pos = 0
            while True:
                if cancel is not None:
                    cancel.check()
                n = src.pread_into(pos, buf)
                if n <= 0:
                    break
                for h in hashes.values():
                    h.update(buf[:n])
                pos += n
                meter.advance(n, name)
        finally:
            src.close()
        for algo, digests in algos.items():
            if digests != {hashes[algo].hexdigest()}:  # two different digests listed can never both match
                raise InputError(f"{algo.upper()} checksum of {name!r} does not match the manifest", path=where,
                                 field=name,
                                 fix="The file was damaged or changed after export; copy or export it again.")
    meter.finish()


def _absent_files(vm: SourceVM, absent: list[OvfFile], disk_files: set[str], disks: dict[str, OvfDisk],
                  refused: dict[str, str]) -> None:
    """Record the files the package names but does not hold: a disk's file makes the disk unreadable (a
    blocker), any other file (an ISO for a CD drive, a vendor's extra file) is only reported; the CD drive that
    used it is left out anyway."""
    missing = [m for m in vm.extra.get("missing_files", "").splitlines() if m]
    notes = [w for w in vm.extra.get("warnings", "").splitlines() if w]
    optional = []
    for f in absent:
        if f.id in disk_files:
            used = any(d.path.endswith("/" + f.href) or d.path.endswith(os.sep + f.href) or d.path == f.href
                       for d in vm.disks)
            if used:
                missing.append(f.href)
                why = refused.get(f.href)
                notes.append(f"disk file {f.href!r} named by the OVF cannot be used: {why}" if why
                             else f"disk file {f.href!r} named by the OVF is missing")
        else:
            optional.append(f.href)
    if missing:
        vm.extra["missing_files"] = "\n".join(missing)
    if optional:
        vm.extra["missing_optional"] = "\n".join(optional)
    if notes:
        vm.extra["warnings"] = "\n".join(notes)


class EmptyDisk(DiskImage):
    """The content of an OVF disk that has no file ("created empty on deployment"): zeros of its capacity."""

    def __init__(self, path: str, size: int) -> None:
        self.path, self.virtual_size = path, size

    def info(self) -> ImageInfo:
        return ImageInfo(path=self.path, format="raw", subformat="empty", virtual_size=self.virtual_size,
                         allocated_bytes=0, file_size=0)

    def allocated_ranges(self) -> Iterator[tuple[int, int]]:
        return iter(())

    def readinto(self, offset: int, buf: memoryview) -> None:
        buf[:] = bytes(len(buf))


class OvfSource(Source):
    """VMs of an ``.ovf`` descriptor. ``verify`` checks the ``.mf`` manifest during ``discover``."""

    kind = "ovf"

    def __init__(self, path: str | os.PathLike[str], verify: bool = True) -> None:
        self.path = os.fspath(path)
        self.verify = verify
        self._files: dict[str, OvfFile] = {}

    # -- hooks the OVA source overrides -------------------------------------------------------------
    def _container(self) -> Container:
        return FolderContainer(os.path.dirname(os.path.abspath(self.path)))

    def _descriptor(self) -> tuple[bytes, str, str | None]:
        """``(descriptor bytes, its name for messages, manifest name or None)``."""
        try:
            with open(open_regular(self.path), "rb") as fh:
                data = fh.read(16 * 1024 * 1024 + 1)
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror}", path=self.path) from None
        mf = os.path.splitext(os.path.basename(self.path))[0] + ".mf"
        return data, self.path, mf if os.path.isfile(os.path.join(os.path.dirname(self.path), mf)) else None

    def _disk_path(self, name: str) -> str:
        return self._container().display(name)

    # -- Source ------------------------------------------------------------------------------------
    def describe(self) -> str:
        return self.path

    def discover(self, progress: ProgressSink | None = None, cancel: CancelToken | None = None) -> Inventory:
        data, where, manifest = self._descriptor()
        files, disks, systems, networks = parse_envelope(data, where)
        container = self._container()
        resolve_hrefs(files, container, where)
        disk_files = {d.file_ref for d in disks.values() if d.file_ref}
        absent: list[OvfFile] = []  # files the package names but does not hold: findings, not a failed discovery
        for f in files.values():
            if f.chunk_size:
                from wizard.sources.ovfchunks import check_chunks

                check_chunks(container, f.href, f.chunk_size, f.size, where)  # NAME.000000000, ... all there
                continue
            if not container.exists(f.href):
                absent.append(f)
        if manifest and self.verify:
            shown = container.display(manifest)
            text = read_all(container, manifest, 1024 * 1024).decode("utf-8-sig", "replace")  # BOM: PowerShell-made
            listed = parse_manifest(text, shown)
            gone = {f.href for f in absent}
            # a file the manifest lists that the package does not hold is reported with the VM (below), unless
            # it is none of the package's files at all: then the package is not the one the manifest describes
            for _, name, _ in listed:
                if name not in gone and not container.exists(name):
                    raise InputError(f"the manifest lists {name!r}, which is missing", path=shown, field=name,
                                     fix="Copy every file of the export (.ovf, .mf, .vmdk…) into the same folder.")
            verify_manifest(container, [e for e in listed if e[1] not in gone], shown, progress, cancel)
        self._files = files
        inv = Inventory(source=self.path, source_kind=self.kind,
                        collected_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        options = deployment_options(safe_xml(data, where))
        for system in systems:
            if cancel is not None:
                cancel.check()
            vm = vm_from_system(system, files, disks, where, self.kind, self._disk_path, options)
            if networks:
                vm.extra["networks"] = "\n".join(networks)  # NetworkSection: what the package expects
            _absent_files(vm, absent, disk_files, disks, container.refused)
            read_contents(vm, lambda index, vm=vm: self.open_disk(vm, index))
            inv.vms.append(vm)
        return inv

    def _href_of(self, path: str) -> str:
        folder = os.path.dirname(os.path.abspath(self.path))
        return os.path.relpath(path, folder).replace(os.sep, "/")

    def open_disk(self, vm: SourceVM, index: int, cancel: CancelToken | None = None) -> DiskImage:
        if not 0 <= index < len(vm.disks):
            raise SourceError(f"VM {vm.name!r} has no disk {index + 1}")
        disk = vm.disks[index]
        if disk.no_file:
            if disk.capacity_bytes <= 0:
                raise InputError("the disk has no file and no size in this OVF", path=self.path,
                                 field=f"disk {index + 1}")
            return EmptyDisk(f"{self.path}#{disk.label or index}", disk.capacity_bytes)
        if not self._files:
            data, where, _ = self._descriptor()
            self._files = parse_envelope(data, where)[0]
            resolve_hrefs(self._files, self._container(), where)
        container = self._container()
        href = check_href(self._href_of(disk.path), self.path, f"disk {index + 1}") if disk.path else ""
        ref = next((f for f in self._files.values() if f.href == href), None)
        if ref is not None and not ref.chunk_size and not container.exists(href) and href in container.refused:
            container.open(href).close()  # raises the refusal itself (a link out of the folder, a named pipe)
        if ref is None or not (ref.chunk_size or container.exists(href)):
            raise InputError("the disk has no file in this OVF", path=disk.path or self.path,
                             field=f"disk {index + 1}")
        if ref.chunk_size:
            from wizard.sources.ovfchunks import open_chunks

            source: ByteSource = open_chunks(container, href, ref.chunk_size, ref.size, self.path)
        else:
            source = container.open(href)
        if ref.compression:  # the OVF spec compresses first, then splits into chunks
            from wizard.sources.ovfcompress import open_compressed_disk

            return open_compressed_disk(source, ref.compression, disk.path)
        from wizard.disks.detect import open_image

        def opener(name: str) -> ByteSource:
            return container.open(check_href(name, disk.path, "extent"))

        return open_image(source, opener=opener)

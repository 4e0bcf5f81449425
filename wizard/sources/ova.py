"""OVA packages (a tar of .ovf, .mf and disks), read in place: nothing is ever extracted or written.

The archive is checked before anything in it is used. Refused, with an :class:`InputError` naming the
member: absolute names, names with ``..``, links (symbolic or hard), devices, FIFOs, GNU sparse members,
duplicate names, sizes beyond the end of the archive (a truncated download) or absurd (> 64 TiB), more
than :data:`MAX_MEMBERS` members, and compressed archives (an OVA is a plain tar). Disk members are opened
as a :class:`MemberSource` — a ``ByteSource`` over ``(offset, size)`` of the archive file — so the disk
engine reads them directly, streamOptimized VMDKs included.
"""

from __future__ import annotations

import os
import re
import tarfile

from wizard.core.errors import InputError
from wizard.disks.bytesource import ByteSource, LocalFile
from wizard.sources.ovf import OvfSource, read_all
from wizard.sources.ovfcontainer import Container

MAX_MEMBERS = 1000
MAX_MEMBER_SIZE = 64 * 1024**4
MAX_DESCRIPTOR = 16 * 1024 * 1024


class MemberSource:
    """A read-only ByteSource over one member's bytes inside the archive file."""

    def __init__(self, archive: str, member: str, offset: int, size: int) -> None:
        self.name = f"{archive}/{member}"
        self.size = size
        self._offset = offset
        self._file = LocalFile(archive)

    def pread_into(self, offset: int, buf: memoryview) -> int:
        if offset >= self.size or offset < 0:
            return 0
        want = min(len(buf), self.size - offset)
        return self._file.pread_into(self._offset + offset, buf[:want])

    def close(self) -> None:
        self._file.close()


def _check_name(name: str, archive: str) -> str:
    parts = re.split(r"[\\/]", name)
    if (name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts or "\x00" in name
            or not name.strip()):
        raise InputError(f"refused: member {name!r} has an unsafe path (absolute or with '..')", path=archive,
                         field=name, fix="Do not use this file; get the OVA again from a source you trust.")
    return "/".join(p for p in parts if p not in ("", "."))


def scan_archive(path: str) -> dict[str, tuple[int, int]]:
    """Member name → ``(data offset, size)`` for every regular file; hostile archives are refused."""
    try:
        archive_size = os.path.getsize(path)
        fh = open(path, "rb")  # noqa: SIM115 - closed below; tarfile needs a file object
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    members: dict[str, tuple[int, int]] = {}
    with fh:
        head = fh.read(4)
        if head[:2] == b"\x1f\x8b" or head[:3] == b"BZh" or head[:4] == b"\xfd7zX":
            raise InputError("this OVA is compressed; an OVA must be a plain tar archive", path=path,
                             fix="Decompress it first (e.g. gunzip) or export the VM again.")
        fh.seek(0)
        try:
            tf = tarfile.open(fileobj=fh, mode="r:")  # noqa: SIM115 - the underlying file is closed above
            count = 0
            while True:
                member = tf.next()
                if member is None:
                    break
                count += 1
                if count > MAX_MEMBERS:
                    raise InputError(f"refused: more than {MAX_MEMBERS} members; an OVA holds a handful", path=path)
                _check_member(member, path, archive_size, members)
        except tarfile.TarError as exc:
            raise InputError(f"not a readable OVA (tar) archive, or it is truncated: {exc}", path=path,
                             fix="Download or copy the OVA again; its size should match the source.") from None
        except (EOFError, OSError) as exc:
            raise InputError(f"OVA is truncated or unreadable: {exc}", path=path) from None
    if not members:
        raise InputError("the archive contains no files", path=path)
    return members


def _check_member(member: tarfile.TarInfo, path: str, archive_size: int,
                  members: dict[str, tuple[int, int]]) -> None:
    name = _check_name(member.name, path)
    if member.issym() or member.islnk():
        raise InputError(f"refused: member {member.name!r} is a link to {member.linkname!r}", path=path,
                         field=member.name, fix="Do not use this file; an OVA never contains links.")
    if member.isdir():
        return
    if not member.isreg() or member.issparse():
        raise InputError(f"refused: member {member.name!r} is not a regular file (device, FIFO or sparse)",
                         path=path, field=member.name)
    if member.size > MAX_MEMBER_SIZE:
        raise InputError(f"refused: member {member.name!r} claims {member.size} bytes (more than 64 TiB)",
                         path=path, field=member.name)
    if member.offset_data + member.size > archive_size:
        raise InputError(f"the OVA is truncated: member {member.name!r} needs {member.size} bytes at offset "
                         f"{member.offset_data}, but the file ends at {archive_size}", path=path, field=member.name,
                         fix="Download or copy the OVA again; its size should match the source.")
    if name in members:
        raise InputError(f"refused: member name {name!r} appears twice", path=path, field=name)
    members[name] = (member.offset_data, member.size)


class TarContainer:
    """Container over scanned OVA members (see :mod:`wizard.sources.ovfcontainer`)."""

    def __init__(self, archive: str, members: dict[str, tuple[int, int]]) -> None:
        self.archive = archive
        self.members = members
        self.refused: dict[str, str] = {}  # members were checked when the archive was scanned

    def exists(self, name: str) -> bool:
        return name in self.members

    def size(self, name: str) -> int:
        return self.members[name][1]

    def open(self, name: str) -> ByteSource:
        if name not in self.members:
            raise InputError(f"member {name!r} is not in the archive", path=self.archive, field=name)
        offset, size = self.members[name]
        return MemberSource(self.archive, name, offset, size)

    def display(self, name: str) -> str:
        return f"{self.archive}/{name}"


class OvaSource(OvfSource):
    """VMs of an OVA file; disks are read straight from the archive."""

    kind = "ova"

    def __init__(self, path: str | os.PathLike[str], verify: bool = True) -> None:
        super().__init__(path, verify)
        self._tar: TarContainer | None = None

    def _container(self) -> Container:
        if self._tar is None:
            self._tar = TarContainer(os.path.abspath(self.path), scan_archive(self.path))
        return self._tar

    def _descriptor(self) -> tuple[bytes, str, str | None]:
        tar = self._container()
        assert isinstance(tar, TarContainer)
        ovfs = [n for n in tar.members if n.lower().endswith(".ovf")]
        if not ovfs:
            raise InputError("the OVA contains no .ovf descriptor", path=self.path)
        name = ovfs[0]
        manifests = [n for n in tar.members if n.lower() == name[:-4].lower() + ".mf"]
        manifests = manifests or [n for n in tar.members if n.lower().endswith(".mf")]
        return read_all(tar, name, MAX_DESCRIPTOR), tar.display(name), (manifests[0] if manifests else None)

    def _disk_path(self, name: str) -> str:
        return self._container().display(name)

    def _href_of(self, path: str) -> str:
        prefix = os.path.abspath(self.path) + "/"
        return path[len(prefix):] if path.startswith(prefix) else path

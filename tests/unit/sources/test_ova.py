"""OVA archives: read in place, never extracted; hostile and broken archives refused clearly."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest

from wizard.compat.engine import assess
from wizard.core.errors import InputError
from wizard.core.inventory import Backing, Controller
from wizard.sources.ova import OvaSource, scan_archive
from wizard.sources.registry import open_source

DATA = Path(__file__).resolve().parents[2] / "data" / "sources" / "ova" / "appliance.ova"


def listing(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def make_tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes | None]], fmt: int = tarfile.GNU_FORMAT) -> Path:
    with tarfile.open(path, "w", format=fmt) as tf:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tf.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info


def test_virtualbox_appliance():
    (vm,) = OvaSource(DATA).discover().vms
    assert (vm.name, vm.source_kind, vm.guest.family, vm.memory_mb) == ("tiny-appliance", "ova", "linux", 1024)
    (disk,) = vm.disks
    assert (disk.controller, disk.backing, disk.capacity_bytes) == (Controller.SATA, Backing.STREAM, 8 * 2**20)
    assert disk.path == f"{DATA}/tiny-appliance-disk001.vmdk"
    assert vm.nics[0].model == "e1000" and vm.nics[0].network == "NAT"


def test_disk_is_read_from_inside_the_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    pytest.importorskip("wizard.disks.detect")
    monkeypatch.chdir(tmp_path)
    before = listing(tmp_path)
    src = open_source(str(DATA))
    vm = src.discover().vms[0]
    with src.open_disk(vm, 0) as image:
        assert image.virtual_size == 8 * 2**20
        buf = bytearray(20)
        image.readinto(3 << 20, memoryview(buf))
        assert bytes(buf) == b"tiny appliance data\n"
    assert listing(tmp_path) == before


@pytest.mark.parametrize(("name", "kind", "link", "match"), [
    ("../../evil.ovf", tarfile.REGTYPE, "", "unsafe path"),
    ("/etc/evil.ovf", tarfile.REGTYPE, "", "unsafe path"),
    ("C:\\evil.ovf", tarfile.REGTYPE, "", "unsafe path"),
    ("sub/../../x.vmdk", tarfile.REGTYPE, "", "unsafe path"),
    ("link.vmdk", tarfile.SYMTYPE, "/etc/shadow", "is a link"),
    ("hard.vmdk", tarfile.LNKTYPE, "a.ovf", "is a link"),
    ("dev.vmdk", tarfile.BLKTYPE, "", "not a regular file"),
    ("fifo.vmdk", tarfile.FIFOTYPE, "", "not a regular file"),
])
def test_hostile_members_are_refused_and_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            name: str, kind: bytes, link: str, match: str):
    work = tmp_path / "work"
    work.mkdir()
    ova = make_tar(tmp_path / "evil.ova", [(member("a.ovf"), b"<Envelope/>"),
                                           (member(name, kind, link), b"" if kind == tarfile.REGTYPE else None)])
    monkeypatch.chdir(work)
    before, before_parent = listing(tmp_path), set(os.listdir(tmp_path.parent))
    with pytest.raises(InputError, match=match) as info:
        open_source(str(ova)).discover()
    assert str(ova) in info.value.message
    assert listing(tmp_path) == before and set(os.listdir(tmp_path.parent)) == before_parent


def test_duplicate_names_refused(tmp_path: Path):
    ova = make_tar(tmp_path / "dup.ova", [(member("a.ovf"), b"<a/>"), (member("./a.ovf"), b"<b/>")])
    with pytest.raises(InputError, match="appears twice"):
        scan_archive(str(ova))


def test_truncated_ova_is_refused(tmp_path: Path):
    data = DATA.read_bytes()
    cut = tmp_path / "cut.ova"
    cut.write_bytes(data[: len(data) - 40_000])
    with pytest.raises(InputError, match="truncated"):
        OvaSource(cut).discover()
    cut.write_bytes(data[:700])  # inside the first member
    with pytest.raises(InputError, match="truncated"):
        OvaSource(cut).discover()


def test_absurd_member_size_refused(tmp_path: Path):
    info = member("huge.vmdk")
    info.size = 65 * 1024**4
    path = tmp_path / "huge.ova"
    with open(path, "wb") as fh:
        fh.write(info.tobuf(tarfile.PAX_FORMAT))
        fh.write(b"\0" * 1024)
    with pytest.raises(InputError, match="more than 64 TiB"):
        scan_archive(str(path))


def test_too_many_members_refused(tmp_path: Path):
    ova = make_tar(tmp_path / "many.ova", [(member(f"f{i}"), b"") for i in range(1001)])
    with pytest.raises(InputError, match="more than 1000 members"):
        scan_archive(str(ova))


def test_compressed_or_not_a_tar(tmp_path: Path):
    gz = tmp_path / "x.ova"
    with tarfile.open(gz, "w:gz") as tf:
        tf.addfile(member("a.ovf"), io.BytesIO(b""))
    with pytest.raises(InputError, match="compressed"):
        scan_archive(str(gz))
    junk = tmp_path / "junk.ova"
    junk.write_bytes(b"this is not a tar file at all" * 40)
    with pytest.raises(InputError):
        scan_archive(str(junk))


def test_ova_without_descriptor_or_with_missing_disk(tmp_path: Path):
    ova = make_tar(tmp_path / "nodesc.ova", [(member("disk.vmdk"), b"x")])
    with pytest.raises(InputError, match="no .ovf descriptor"):
        OvaSource(ova).discover()
    # a missing disk file is a finding on the VM (DISK-UNREADABLE blocks it), not a failed discovery
    ovf = (b'<Envelope xmlns:ovf="o"><References><File ovf:id="f1" ovf:href="disk1.vmdk"/></References>'
           b'<DiskSection><Disk ovf:diskId="d1" ovf:fileRef="f1" ovf:capacity="1048576"/></DiskSection>'
           b'<VirtualSystem ovf:id="vm"><VirtualHardwareSection><Item><ResourceType>17</ResourceType>'
           b"<HostResource>ovf:/disk/d1</HostResource><InstanceID>1</InstanceID></Item>"
           b"</VirtualHardwareSection></VirtualSystem></Envelope>")
    ova = make_tar(tmp_path / "nodisk.ova", [(member("a.ovf"), ovf)])
    vm = OvaSource(ova).discover().vms[0]
    assert vm.extra["missing_files"] == "disk1.vmdk"
    assert "DISK-UNREADABLE" in {f.code for f in assess([vm])[0].findings}


def test_manifest_inside_ova_is_checked(tmp_path: Path):
    with tarfile.open(DATA) as tf:
        parts = [(m, tf.extractfile(m).read()) for m in tf.getmembers()]
    damaged = [(m, d[:-100] + bytes(100 * [0x5A]) if m.name.endswith(".vmdk") else d) for m, d in parts]
    ova = make_tar(tmp_path / "bad.ova", damaged, tarfile.USTAR_FORMAT)
    with pytest.raises(InputError, match="checksum of 'tiny-appliance-disk001.vmdk' does not match"):
        OvaSource(ova).discover()

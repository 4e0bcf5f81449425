"""VMDK files as VMware products write them in the field (not as qemu-img does), read byte-exact."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_img
from tests.unit.disks.test_vmdk_helpers import QEMU_IO, qemu_io
from wizard.core.errors import DiskFormatError, UnsupportedFormatError
from wizard.disks.detect import open_image
from wizard.sources.diskmeta import disk_chain, read_disk_meta

MiB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[3]


def _desc(extents: str, *, encoding: str = "UTF-8", create_type: str = "vmfs", extra: str = "") -> str:
    return (f'# Disk DescriptorFile\r\nversion=1\r\nencoding="{encoding}"\r\nCID=fffffffe\r\nparentCID=ffffffff\r\n'
            f'{extra}createType="{create_type}"\r\n\r\n# Extent description\r\n{extents}\r\n\r\n'
            '# The Disk Data Base\r\n#DDB\r\n\r\nddb.adapterType = "lsilogic"\r\nddb.thinProvisioned = "1"\r\n'
            'ddb.uuid = "60 00 C2 9a 4b 1c 55 6d-0e 8b 2c 45 1a 3f 9e 01"\r\nddb.virtualHWVersion = "21"\r\n')


@pytest.mark.parametrize(("encoding", "file_name"), [("windows-1252", "Café Server-flat.vmdk"),
                                                      ("Shift_JIS", "サーバー-flat.vmdk"),
                                                      ("UTF-8", "Ünïcødé-flat.vmdk")])
def test_descriptor_in_the_declared_encoding_names_its_extent(tmp_path: Path, encoding: str, file_name: str) -> None:
    """Workstation on a Windows host writes the descriptor (and so extent names) in the host code page."""
    content = os.urandom(MiB)
    (tmp_path / file_name).write_bytes(content)
    desc = tmp_path / "disk.vmdk"
    desc.write_bytes(_desc(f'RW {MiB // 512} VMFS "{file_name}"', encoding=encoding).encode(encoding))
    with open_image(desc) as img:
        buf = bytearray(MiB)
        img.readinto(0, memoryview(buf))
        assert bytes(buf) == content
    assert read_disk_meta(str(desc)).extents == [("VMFS", MiB // 512, file_name)]


def test_descriptor_not_valid_in_its_declared_encoding_is_refused(tmp_path: Path) -> None:
    desc = tmp_path / "disk.vmdk"
    desc.write_bytes(_desc('RW 8 VMFS "\x81\x20.vmdk"', encoding="Shift_JIS").encode("latin-1"))
    with pytest.raises(DiskFormatError, match="(?i)shift_jis text"):
        open_image(desc)


def _set_parent_hint(path: Path, hint: str) -> None:
    """Rewrite the parentFileNameHint inside a monolithicSparse file's embedded descriptor, in place."""
    data = bytearray(path.read_bytes())
    start = 512 * int.from_bytes(data[28:36], "little")
    size = 512 * int.from_bytes(data[36:44], "little")
    text = bytes(data[start:start + size]).split(b"\0", 1)[0].decode()
    lines = [f'parentFileNameHint="{hint}"' if ln.startswith("parentFileNameHint") else ln for ln in text.split("\n")]
    data[start:start + size] = "\n".join(lines).encode().ljust(size, b"\0")
    path.write_bytes(bytes(data))


@pytest.mark.skipif(QEMU_IO is None, reason="qemu-io is needed to write test data")
@pytest.mark.parametrize("hint", ["C:\\Users\\ann\\Documents\\Virtual Machines\\Template\\Template-cl1.vmdk",
                                  "/vmfs/volumes/datastore1/Template/Template-cl1.vmdk"])
def test_linked_clone_finds_its_base_disk_copied_beside_its_folder(tmp_path: Path, hint: str) -> None:
    """A Workstation linked clone names its base with the original host's absolute path; after copying both
    VM folders side by side the base is ``../Template/...``, in discovery and when reading."""
    (tmp_path / "Template").mkdir()
    (tmp_path / "Clone").mkdir()
    base = tmp_path / "Template" / "Template-cl1.vmdk"
    child = tmp_path / "Clone" / "Clone.vmdk"
    qemu_img("create", "-f", "vmdk", str(base), "4M")
    qemu_io(base, "write -P 0x5a 0 64k")
    qemu_img("create", "-f", "vmdk", "-b", str(base), "-F", "vmdk", str(child))
    qemu_io(child, "write -P 0xa5 1M 64k")
    _set_parent_hint(child, hint)
    with open_image(child) as img:
        buf = bytearray(2 * MiB)
        img.readinto(0, memoryview(buf))
        assert img.info().parent.endswith("Template-cl1.vmdk")
    assert buf[:65536] == b"\x5a" * 65536 and buf[MiB:MiB + 65536] == b"\xa5" * 65536
    meta, chain = disk_chain(str(child))
    assert [os.path.realpath(p) for p in chain] == [os.path.realpath(base), os.path.realpath(child)]
    assert meta.capacity_bytes == 4 * MiB


def test_extent_named_with_the_datastore_path_is_found_beside_the_descriptor(tmp_path: Path) -> None:
    """An ESXi descriptor may name its extent by absolute /vmfs/volumes path; the folder was copied here."""
    content = os.urandom(64 * 1024)
    (tmp_path / "web01-flat.vmdk").write_bytes(content)
    desc = tmp_path / "web01.vmdk"
    desc.write_text(_desc('RW 128 VMFS "/vmfs/volumes/5f1e2d3c-aa/web01/web01-flat.vmdk"'))
    with open_image(desc) as img:
        buf = bytearray(len(content))
        img.readinto(0, memoryview(buf))
    assert bytes(buf) == content


@pytest.mark.parametrize("device", ["/dev/sdb", "\\\\.\\PhysicalDrive1"])
def test_physical_disk_vmdk_is_refused_without_touching_the_device(tmp_path: Path, device: str) -> None:
    """Workstation's "use a physical disk" VMDK maps a host device; it must never be read as the VM's disk."""
    desc = tmp_path / "physical.vmdk"
    desc.write_text(_desc(f'RW 2048 FLAT "{device}" 0', create_type="fullDevice"))
    with pytest.raises(UnsupportedFormatError, match="physical disk of the VMware host"):
        open_image(desc)


def test_zero_length_extents_take_no_room(tmp_path: Path) -> None:
    content = os.urandom(MiB)
    (tmp_path / "a-flat.vmdk").write_bytes(content)
    (tmp_path / "empty-flat.vmdk").write_bytes(b"")
    desc = tmp_path / "d.vmdk"
    desc.write_text(_desc('RW 0 FLAT "empty-flat.vmdk" 0\r\nRW 2048 VMFS "a-flat.vmdk"\r\nRW 0 ZERO'))
    with open_image(desc) as img:
        assert img.virtual_size == MiB and list(img.allocated_ranges()) == [(0, MiB)]
        buf = bytearray(4096)
        img.readinto(MiB - 4096, memoryview(buf))
        assert bytes(buf) == content[-4096:]


def test_vsphere_encrypted_disk_is_refused_not_read_as_ciphertext(tmp_path: Path) -> None:
    """vSphere VM Encryption leaves the extents readable; copying them would produce a garbage disk."""
    (tmp_path / "sec-flat.vmdk").write_bytes(os.urandom(64 * 1024))
    desc = tmp_path / "sec.vmdk"
    desc.write_text(_desc('RW 128 VMFS "sec-flat.vmdk"', extra='encryption.keySafe = "vmware:key/list/(pair/'
                          '(fqid/<VMWARE-NULL>/KMIP/kms1/abc,HMAC-SHA-256,def))"\r\nencryption.data = "QUJD"\r\n'))
    with pytest.raises(UnsupportedFormatError, match="encrypted"):
        open_image(desc)
    assert read_disk_meta(str(desc)).encrypted


@pytest.mark.skipif(QEMU_IO is None, reason="qemu-io is needed to write test data")
@pytest.mark.parametrize("hint", ["/home/ann/VirtualBox VMs/web/web.vmdk", "web.vmdk"])
def test_delta_in_a_snapshots_subfolder_finds_its_base_one_folder_up(tmp_path: Path, hint: str) -> None:
    """VirtualBox keeps differencing images in Snapshots/ while the base stays in the VM folder."""
    (tmp_path / "Snapshots").mkdir()
    base, child = tmp_path / "web.vmdk", tmp_path / "Snapshots" / "{6f1c2a3b}.vmdk"
    qemu_img("create", "-f", "vmdk", str(base), "4M")
    qemu_io(base, "write -P 0x42 0 64k")
    qemu_img("create", "-f", "vmdk", "-b", str(base), "-F", "vmdk", str(child))
    _set_parent_hint(child, hint)
    with open_image(child) as img:
        buf = bytearray(65536)
        img.readinto(0, memoryview(buf))
    assert bytes(buf) == b"\x42" * 65536
    _meta, chain = disk_chain(str(child))
    assert [os.path.realpath(p) for p in chain] == [os.path.realpath(base), os.path.realpath(child)]


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_NOFILE is POSIX")
def test_split_disk_with_more_extents_than_the_open_file_limit(tmp_path: Path) -> None:
    """A 2 TB Workstation split disk has ~1000 extent files; a process limited to 256 files must still open it
    (run in a child process so the lowered limit does not leak into the test run)."""
    n = 400
    lines = []
    for i in range(n):
        (tmp_path / f"big-f{i + 1:03d}.vmdk").write_bytes(bytes([i % 251]) * 512)
        lines.append(f'RW 1 FLAT "big-f{i + 1:03d}.vmdk" 0')
    (tmp_path / "big.vmdk").write_text(_desc("\r\n".join(lines), create_type="twoGbMaxExtentFlat"))
    code = ("import resource, sys\n"
            "soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)\n"
            "resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))\n"
            "from wizard.disks.detect import open_image\n"
            f"img = open_image({str(tmp_path / 'big.vmdk')!r})\n"
            "buf = bytearray(img.virtual_size); img.readinto(0, memoryview(buf)); img.close()\n"
            f"assert all(buf[i * 512] == i % 251 for i in range({n})), 'content'\n"
            "print('ok', img.virtual_size)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip() == f"ok {n * 512}", proc.stderr[-2000:]


def test_extent_name_with_quotes_as_vmware_writes_it(tmp_path: Path):
    """A VM named say "hi" gets disk files with '"' in their names; the descriptor does not escape them."""
    flat = tmp_path / 'say "hi"-flat.vmdk'
    flat.write_bytes(b"\x5a" * MiB)
    desc = tmp_path / 'say "hi".vmdk'
    desc.write_text(_desc(f'RW 2048 VMFS "{flat.name}"'), encoding="utf-8", newline="")
    with open_image(str(desc)) as image:
        buf = bytearray(MiB)
        image.readinto(0, memoryview(buf))
        assert bytes(buf) == b"\x5a" * MiB
    assert read_disk_meta(str(desc)).extents == [("VMFS", 2048, flat.name)]

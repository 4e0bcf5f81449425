"""A disk image from someone else cannot pull local files into the converted disk through its backing-file
reference (qcow2/qed/vdi go through qemu-img, which follows backing files wherever they point)."""

from __future__ import annotations

import shutil

import pytest

from tests.fixtures.disks import qemu_img
from wizard.core.errors import HvmError
from wizard.disks.qemu_backend import open_with_qemu

pytestmark = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")
SECRET = b"TOPSECRET-KEY-MATERIAL"


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "elsewhere" / "id_rsa"
    path.parent.mkdir()
    path.write_bytes(SECRET * 100)
    with open(path, "r+b") as fh:
        fh.truncate(1 << 20)
    return path


def _qcow2(folder, name, backing: str, backing_fmt: str = "raw"):
    folder.mkdir(exist_ok=True)
    out = folder / name
    qemu_img("create", "-q", "-f", "qcow2", "-u", "-F", backing_fmt, "-b", backing, str(out), "1M")
    return out


@pytest.mark.parametrize("how", ["absolute", "relative ..", "symlink"])
def test_backing_file_outside_the_folder_is_refused(tmp_path, secret_file, how):
    folder = tmp_path / "vm"
    folder.mkdir()
    if how == "absolute":
        backing = str(secret_file)
    elif how == "relative ..":
        backing = "../elsewhere/id_rsa"
    else:
        (folder / "base.raw").symlink_to(secret_file)
        backing = "base.raw"
    image = _qcow2(folder, "disk.qcow2", backing)
    with pytest.raises(HvmError) as info:
        open_with_qemu(str(image), "qcow2")
    assert "backing file" in info.value.message


def test_protocol_backing_is_refused(tmp_path):
    spec = 'json:{"driver":"raw","file":{"driver":"file","filename":"/etc/hostname"}}'
    image = _qcow2(tmp_path / "vm", "disk.qcow2", spec)
    with pytest.raises(HvmError):
        open_with_qemu(str(image), "qcow2")


def test_backing_chain_inside_the_folder_still_reads(tmp_path):
    folder = tmp_path / "vm"
    folder.mkdir()
    base = folder / "base.raw"
    base.write_bytes(b"base data" * 100)
    with open(base, "r+b") as fh:
        fh.truncate(1 << 20)
    _qcow2(folder, "mid.qcow2", "base.raw")
    top = _qcow2(folder, "top.qcow2", "mid.qcow2", backing_fmt="qcow2")
    image = open_with_qemu(str(top), "qcow2")
    buf = bytearray(1024)
    image.readinto(0, memoryview(buf))
    assert bytes(buf[:900]) == b"base data" * 100


@pytest.mark.parametrize("name", ["{abs}", "../elsewhere/id_rsa", "..\\elsewhere\\id_rsa"])
def test_vmdk_flat_extent_outside_the_folder_is_refused(tmp_path, secret_file, name):
    """A hand-made descriptor naming another file of this machine as its data gives an error, not a disk
    holding that file's bytes."""
    from wizard.disks.bytesource import LocalFile, local_opener
    from wizard.disks.detect import open_image

    folder = tmp_path / "vm"
    folder.mkdir()
    extent = name.replace("{abs}", str(secret_file))
    desc = folder / "disk.vmdk"
    desc.write_text('# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\n'
                    'createType="monolithicFlat"\n\n'
                    f'RW 2048 FLAT "{extent}" 0\n\nddb.adapterType = "lsilogic"\n', encoding="utf-8")
    with pytest.raises(HvmError) as err:
        image = open_image(LocalFile(str(desc)), opener=local_opener(folder))
        buf = bytearray(1 << 20)
        image.readinto(0, memoryview(buf))
        assert SECRET not in buf
    assert "outside the descriptor's folder" in err.value.message or "cannot be opened" in err.value.message

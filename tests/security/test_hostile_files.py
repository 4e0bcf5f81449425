"""Hostile VM folders: what a VM's files name is read only when it is a regular file inside the VM's folder.

A link to a host file, a named pipe or a folder where a disk, extent or delta parent should be gives one
typed error line (never a traceback, never a hang) and no byte of the host file in the output or in any
message; a codec name that is not a text encoding is a clear error or is ignored, and never stops the
discovery of the rest of a folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_img
from wizard.core.errors import HvmError, InputError, UnsafeFileError
from wizard.disks.detect import open_image
from wizard.sources.diskmeta import read_disk_meta
from wizard.sources.ovf import OvfSource
from wizard.sources.registry import FolderSource
from wizard.sources.vbox import VBoxSource
from wizard.sources.vmx import VmxSource

ROOT = Path(__file__).resolve().parents[2]
MiB = 1024 * 1024
SECRET = b"root:x:0:0:root:/root:/bin/bash\n"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A host file outside every VM folder (1 MiB, so that it fits a 2048-sector flat extent)."""
    path = tmp_path / "elsewhere" / "passwd"
    path.parent.mkdir()
    path.write_bytes((SECRET * (MiB // len(SECRET) + 1))[:MiB])
    return path


def flat_descriptor(folder: Path, extent: str = "disk-flat.vmdk", *, encoding: str = "UTF-8",
                    sectors: int = 2048) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    desc = folder / "disk.vmdk"
    desc.write_text(f'# Disk DescriptorFile\nversion=1\nencoding="{encoding}"\nCID=fffffffe\nparentCID=ffffffff\n'
                    f'createType="monolithicFlat"\n\nRW {sectors} FLAT "{extent}" 0\n\nddb.adapterType = "lsilogic"\n',
                    encoding="utf-8")
    return desc


def hvm(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m wizard ARGS``; a run that does not end within ``timeout`` seconds fails the test (a hang)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        return subprocess.run([sys.executable, "-m", "wizard", *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"hvmigrate {' '.join(args)} still ran after {timeout} s (blocked on a file?)")


def assert_one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hvmigrate: error:"), proc.stderr
    return lines[0]


def write_vmx(folder: Path, file_name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    vmx = folder / "vm.vmx"
    vmx.write_text(f'.encoding = "UTF-8"\nconfig.version = "8"\nvirtualHW.version = "21"\ndisplayName = "vm"\n'
                   f'guestOS = "ubuntu-64"\nmemsize = "512"\nscsi0.present = "TRUE"\nscsi0.virtualDev = "pvscsi"\n'
                   f'scsi0:0.present = "TRUE"\nscsi0:0.fileName = "{file_name}"\n', encoding="utf-8")
    return vmx


VBOX = """<?xml version="1.0"?>
<VirtualBox xmlns="http://www.virtualbox.org/" version="1.19-linux">
  <Machine uuid="{{11111111-2222-4333-8444-555555555555}}" name="vm" OSType="Ubuntu_64">
    <MediaRegistry><HardDisks>
      <HardDisk uuid="{{aaaaaaaa-0000-4000-8000-000000000001}}" location="{location}" format="VMDK" type="Normal"/>
    </HardDisks></MediaRegistry>
    <Hardware><CPU count="1"/><Memory RAMSize="512"/></Hardware>
    <StorageControllers><StorageController name="SATA" type="AHCI" PortCount="1">
      <AttachedDevice type="HardDisk" port="0" device="0"><Image uuid="{{aaaaaaaa-0000-4000-8000-000000000001}}"/>
      </AttachedDevice>
    </StorageController></StorageControllers>
  </Machine>
</VirtualBox>
"""


# ---- 1. links out of the folder ------------------------------------------------------------------------

def test_convert_refuses_an_extent_that_links_to_a_host_file(tmp_path: Path, secret: Path) -> None:
    desc = flat_descriptor(tmp_path / "vm")
    (tmp_path / "vm" / "disk-flat.vmdk").symlink_to(secret)
    proc = hvm("convert", str(desc), "out.vhdx", cwd=tmp_path)
    line = assert_one_line_error(proc)
    assert "disk-flat.vmdk" in line and "outside" in line and "root:x" not in line
    assert not (tmp_path / "out.vhdx").exists()
    with pytest.raises(HvmError, match="outside"):
        open_image(desc)


def test_an_extent_linked_inside_its_folder_is_still_read(tmp_path: Path) -> None:
    desc = flat_descriptor(tmp_path / "vm")
    (tmp_path / "vm" / "data.bin").write_bytes(b"\x5a" * MiB)
    (tmp_path / "vm" / "disk-flat.vmdk").symlink_to("data.bin")
    with open_image(desc) as img:
        buf = bytearray(MiB)
        img.readinto(0, memoryview(buf))
    assert bytes(buf) == b"\x5a" * MiB


@pytest.mark.parametrize("how", ["link", "absolute name"])
def test_vmx_disk_outside_the_vm_folder_is_never_read(tmp_path: Path, secret: Path, how: str) -> None:
    folder = tmp_path / "vm"
    if how == "link":
        vmx = write_vmx(folder, "disk.img")
        (folder / "disk.img").symlink_to(secret)
    else:
        vmx = write_vmx(folder, str(secret))
    source = VmxSource(vmx)
    (vm,) = source.discover().vms
    assert "outside" in vm.extra["warnings"] and vm.extra["missing_files"]
    with pytest.raises(UnsafeFileError, match="outside"):
        source.open_disk(vm, 0)


def test_vmx_disk_whose_extent_links_out_is_refused(tmp_path: Path, secret: Path) -> None:
    folder = tmp_path / "vm"
    flat_descriptor(folder)
    (folder / "disk-flat.vmdk").symlink_to(secret)
    source = VmxSource(write_vmx(folder, "disk.vmdk"))
    (vm,) = source.discover().vms
    with pytest.raises(HvmError, match="outside") as err:
        source.open_disk(vm, 0)
    assert "root:x" not in err.value.one_line()


def test_vbox_disk_that_links_out_of_its_folder_is_refused(tmp_path: Path, secret: Path) -> None:
    folder = tmp_path / "vm"
    folder.mkdir()
    (folder / "disk.vmdk").symlink_to(secret)
    vbox = folder / "vm.vbox"
    vbox.write_text(VBOX.format(location="disk.vmdk"), encoding="utf-8")
    source = VBoxSource(vbox)
    (vm,) = source.discover().vms
    assert "outside" in vm.extra["warnings"] and vm.extra["missing_files"] == str(folder / "disk.vmdk")
    with pytest.raises(UnsafeFileError, match="outside"):
        source.open_disk(vm, 0)


# ---- 2. named pipes and folders ------------------------------------------------------------------------

@needs_fifo
@pytest.mark.parametrize("command", ["inspect", "convert"])
def test_fifo_extent_is_refused_without_blocking(tmp_path: Path, command: str) -> None:
    desc = flat_descriptor(tmp_path / "vm")
    os.mkfifo(tmp_path / "vm" / "disk-flat.vmdk")
    args = [command, str(desc)] + (["out.vhdx"] if command == "convert" else [])
    line = assert_one_line_error(hvm(*args, cwd=tmp_path, timeout=30))
    assert "named pipe" in line


@needs_fifo
def test_fifo_named_on_the_command_line_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "disk.vmdk")
    assert "named pipe" in assert_one_line_error(hvm("inspect", "disk.vmdk", cwd=tmp_path, timeout=30))


@needs_fifo
def test_fifo_delta_parent_is_refused_in_inspect_and_discovery(tmp_path: Path) -> None:
    folder = tmp_path / "vm"
    folder.mkdir()
    qemu_img("create", "-q", "-f", "vmdk", str(folder / "base.vmdk"), "1M")
    qemu_img("create", "-q", "-f", "vmdk", "-b", "base.vmdk", "-F", "vmdk", str(folder / "child.vmdk"))
    (folder / "base.vmdk").unlink()
    os.mkfifo(folder / "base.vmdk")
    line = assert_one_line_error(hvm("inspect", str(folder / "child.vmdk"), cwd=tmp_path, timeout=30))
    assert "named pipe" in line
    write_vmx(folder, "child.vmdk")
    proc = hvm("discover", str(folder / "vm.vmx"), "--json", cwd=tmp_path, timeout=30)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "named pipe" in proc.stdout


def test_folder_named_as_an_extent_is_refused(tmp_path: Path) -> None:
    desc = flat_descriptor(tmp_path / "vm", sectors=8)  # no bigger than a folder's st_size: it used to be read
    (tmp_path / "vm" / "disk-flat.vmdk").mkdir()
    with pytest.raises(HvmError, match="a folder, not a regular file"), open_image(desc) as img:
        img.readinto(0, memoryview(bytearray(4096)))  # was IsADirectoryError


# ---- 3. delta parents naming host files; no file content in messages ------------------------------------

def _child_with_hint(folder: Path, hint: str) -> Path:
    """A monolithicSparse delta whose embedded descriptor names ``hint`` as its parent."""
    folder.mkdir(parents=True, exist_ok=True)
    qemu_img("create", "-q", "-f", "vmdk", str(folder / "base.vmdk"), "1M")
    child = folder / "child.vmdk"
    qemu_img("create", "-q", "-f", "vmdk", "-b", "base.vmdk", "-F", "vmdk", str(child))
    (folder / "base.vmdk").unlink()
    data = bytearray(child.read_bytes())
    start, size = 512 * int.from_bytes(data[28:36], "little"), 512 * int.from_bytes(data[36:44], "little")
    text = bytes(data[start:start + size]).split(b"\0", 1)[0].decode()
    text = text.replace('parentFileNameHint="base.vmdk"', f'parentFileNameHint="{hint}"')
    data[start:start + size] = text.encode().ljust(size, b"\0")
    child.write_bytes(bytes(data))
    return child


@pytest.mark.parametrize("how", ["absolute", "relative ..", "link", "text file in the folder"])
def test_delta_parent_never_reads_or_quotes_a_host_file(tmp_path: Path, secret: Path, how: str) -> None:
    folder = tmp_path / "a" / "vm"
    if how == "absolute":
        child = _child_with_hint(folder, str(secret))
    elif how == "relative ..":
        child = _child_with_hint(folder, "../../elsewhere/passwd")
    elif how == "link":
        child = _child_with_hint(folder, "base.vmdk")
        (folder / "base.vmdk").symlink_to(secret)
    else:
        child = _child_with_hint(folder, "notes.txt")
        (folder / "notes.txt").write_bytes(SECRET * 3)
    with pytest.raises(HvmError) as err:
        open_image(child)
    assert "root:x" not in err.value.one_line() + err.value.details
    proc = hvm("inspect", str(child), cwd=tmp_path)
    assert "root:x" not in assert_one_line_error(proc) and "root:x" not in proc.stdout


# ---- 5. codec names that are not text encodings --------------------------------------------------------

def test_vmx_with_a_non_text_encoding_is_still_discovered_with_its_folder(tmp_path: Path) -> None:
    write_vmx(tmp_path / "good", "missing.vmdk")
    evil = write_vmx(tmp_path / "evil", "missing.vmdk")
    evil.write_text(evil.read_text().replace('.encoding = "UTF-8"', '.encoding = "rot13"'), encoding="utf-8")
    source = FolderSource(str(tmp_path))
    assert sorted(vm.config_path for vm in source.discover().vms) == [str(evil), str(tmp_path / "good" / "vm.vmx")]


@pytest.mark.parametrize("codec", ["hex", "rot13", "uu_codec", "zlib"])
def test_vmdk_descriptor_with_a_non_text_encoding_is_no_traceback(tmp_path: Path, codec: str) -> None:
    desc = flat_descriptor(tmp_path / "vm", encoding=codec)
    (tmp_path / "vm" / "disk-flat.vmdk").write_bytes(b"\x11" * MiB)
    assert read_disk_meta(str(desc)).create_type == "monolithicFlat"
    with open_image(desc) as img:  # read as UTF-8, as a descriptor naming an unknown encoding is
        assert img.virtual_size == MiB


def test_ovf_with_a_non_text_encoding_is_a_skipped_file_not_an_aborted_folder(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    ovf = tmp_path / "bad" / "vm.ovf"
    ovf.write_text('<?xml version="1.0" encoding="uu_codec"?>\n<Envelope xmlns="http://schemas.dmtf.org/ovf/'
                   'envelope/1"><VirtualSystem ovf:id="x"/></Envelope>\n', encoding="utf-8")
    with pytest.raises(InputError, match="not a text encoding"):
        OvfSource(ovf).discover()
    write_vmx(tmp_path / "good", "missing.vmdk")
    source = FolderSource(str(tmp_path))
    assert [vm.name for vm in source.discover().vms] == ["vm"]
    assert [path for path, _reason in source.skipped] == [str(ovf)]

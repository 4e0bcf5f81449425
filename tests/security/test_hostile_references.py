"""Files that name other files: what a hostile VM folder found in a fuzzing sweep could still do, and now cannot.

A header offset far past any file's end is a typed error, not a crash; a delta's parent is never looked for in
the whole file system (a VM folder right under ``/``); a hard link to another user's file is not read as a
disk; what the copy would refuse, assess refuses first (a descriptor naming ``/etc/passwd`` as its extent, an
OVF disk that is a link out of its folder or names the folder itself); and every refusal says what is true
(a named pipe is not "missing", a plainly absolute name is not "a link").
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_img
from wizard.app.planning import PlanRequest, build_plan
from wizard.app.sources import discover, open_source
from wizard.core.errors import UnsafeFileError
from wizard.core.files import open_regular, root_for

ROOT = Path(__file__).resolve().parents[2]
VMX = """.encoding = "UTF-8"
config.version = "8"
virtualHW.version = "14"
displayName = "hostile"
guestOS = "ubuntu-64"
memsize = "512"
scsi0.present = "TRUE"
scsi0.virtualDev = "lsilogic"
scsi0:0.present = "TRUE"
scsi0:0.fileName = "{disk}"
"""


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wizard", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"})


def _assess(path: Path):
    with open_source(str(path)) as source:
        built = build_plan(discover(source), PlanRequest(), source.ref)
    return built.results[0].assessment


def test_a_descriptor_offset_past_any_file_is_a_one_line_error(tmp_path: Path) -> None:
    raw = tmp_path / "raw.img"
    raw.write_bytes(bytes(8 << 20))
    disk = tmp_path / "s.vmdk"
    qemu_img("convert", "-q", "-O", "vmdk", str(raw), str(disk))
    data = bytearray(disk.read_bytes())
    struct.pack_into("<Q", data, 28, 1 << 60)  # descriptorOffset, in sectors: 2^69 bytes
    disk.write_bytes(data)
    for command in (("inspect", "s.vmdk"), ("convert", "s.vmdk", "out.vhdx")):
        run = _cli(*command, cwd=tmp_path)
        assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1 and "past the end of the file" in run.stderr
    assert not list(tmp_path.glob("out.vhdx*"))


def test_a_parent_is_never_looked_for_in_the_whole_file_system(tmp_path: Path) -> None:
    assert root_for(tmp_path / "vm", "../base/base.vmdk", parent_ok=True) == str(tmp_path)
    with pytest.raises(UnsafeFileError):  # a VM folder right under / would make / the parents' folder
        root_for("/data", "/etc/shadow", parent_ok=True)


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to own a file as another user")
def test_a_hard_link_to_another_users_file_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere" / "secret.img"
    secret.parent.mkdir()
    secret.write_bytes(b"SECRET" * 1000)
    os.chown(secret, 4242, 4242)
    secret.chmod(0o600)  # only its owner reads it
    folder = tmp_path / "vm"
    folder.mkdir()
    os.chown(folder, 4343, 4343)  # the folder of another user, who could not read the secret
    os.link(secret, folder / "x.img")
    with pytest.raises(UnsafeFileError, match="hard links"):
        open_regular(folder / "x.img", folder)
    secret.chmod(0o644)  # readable by anyone: a link shows the folder's owner nothing new (a backup's hard links)
    os.close(open_regular(folder / "x.img", folder))
    secret.chmod(0o600)
    os.chown(folder, 0, 0)  # root's folder: root reads anything anyway
    os.close(open_regular(folder / "x.img", folder))


def test_assess_blocks_an_extent_the_copy_would_refuse(tmp_path: Path) -> None:
    (tmp_path / "d.vmdk").write_text('# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\n'
                                     'createType="monolithicFlat"\nRW 16 FLAT "/etc/passwd" 0\n')
    (tmp_path / "a.vmx").write_text(VMX.format(disk="d.vmdk"))
    a = _assess(tmp_path / "a.vmx")
    [f] = [f for f in a.findings if f.code == "DISK-UNREADABLE"]
    assert a.blocked and "extent" in f.message


def test_refusals_say_what_is_there(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.vmdk")
    (tmp_path / "a.vmx").write_text(VMX.format(disk="pipe.vmdk"))
    a = _assess(tmp_path / "a.vmx")
    [f] = [f for f in a.findings if f.code == "DISK-UNREADABLE"]
    assert "named pipe" in f.message and "is missing" not in f.message
    with pytest.raises(UnsafeFileError) as refused:
        open_regular("/etc/passwd", tmp_path)
    assert "lies outside" in refused.value.message and "link" not in refused.value.message


def test_an_ovf_disk_that_names_its_folder_is_refused(tmp_path: Path) -> None:
    ovf = (ROOT / "tests" / "data" / "corpus" / "ovf" / "govmomi-deployment-configs.ovf").read_text()
    (tmp_path / "m.ovf").write_text(ovf.replace('ovf:href="system-large.vmdk"', 'ovf:href="."'))
    run = _cli("assess", "m.ovf", cwd=tmp_path)
    assert run.returncode == 2 and "names no file" in run.stderr, run.stdout + run.stderr

"""A VHDX on the Hyper-V host's share is patched in place over SMB (a real Samba), exactly like a local one: the
delta syncs write into the disk where it already lies."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import smbclient

from tests.fixtures.disks import qemu_compare, qemu_img, scattered_vmdk
from wizard.disks.convert import ConvertOptions, convert
from wizard.disks.detect import open_image
from wizard.disks.digest import PIECE, piece_digest
from wizard.disks.randomfile import FileObjectRandomFile
from wizard.disks.vhdx_patch import VhdxPatch

pytestmark = [pytest.mark.samba]
MiB = 1024 * 1024


def test_a_vhdx_on_the_share_is_patched_in_place(samba, tmp_path: Path) -> None:
    raw, vmdk = scattered_vmdk(tmp_path, 24 * MiB, seed=21, stride=6 * MiB)
    folder = samba.share_dir / "patch"
    folder.mkdir(exist_ok=True)
    stored = folder / "disk.vhdx"
    convert(open_image(vmdk), stored, ConvertOptions(block_size=MiB, overwrite=True))
    pieces = b"".join(piece_digest(raw.read_bytes()[i:i + PIECE]) for i in range(0, 24 * MiB, PIECE))
    rng = random.Random(4)
    writes = [(rng.randrange(0, 24 * MiB - 300_000) // 512 * 512, rng.randbytes(rng.choice([4096, 65536, 300_000])))
              for _ in range(30)]
    cache: dict = {}  # a connection of its own, closed at the end
    fobj = smbclient.open_file(samba.unc + "\\patch\\disk.vhdx", mode="r+b", buffering=0, username=samba.user,
                               password=samba.password, port=samba.port, connection_cache=cache)
    f = FileObjectRandomFile(fobj, "\\\\127.0.0.1\\vms\\patch\\disk.vhdx")
    try:
        patch = VhdxPatch(f)
        patch.set_piece_digests(pieces)
        with open(raw, "r+b") as fh:
            for off, data in writes:
                patch.write(off, data)
                fh.seek(off)
                fh.write(data)
        patch.verify()  # read back over SMB
        assert patch.blocks_allocated > 0
        patch.close()
    finally:
        f.close()
        smbclient.reset_connection_cache(fail_on_error=False, connection_cache=cache)
    qemu_img("check", str(stored))
    qemu_compare(raw, stored, "raw", "vhdx")

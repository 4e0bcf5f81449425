"""A disk streamed to a real Samba share, killed half-way: the next run goes on from its last checkpoint."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_compare, qemu_img
from tests.unit.disks.test_vmdk_helpers import content_digest_of_file
from wizard.disks.convert import ConvertOptions, convert
from wizard.disks.detect import open_image
from wizard.disks.resume import Checkpoints
from wizard.targets.hyperv.smb_stream import SmbDiskStream
from wizard.targets.hyperv.smb_upload import SmbUploader

pytestmark = pytest.mark.samba
MiB = 1024 * 1024
SIZE = 96 * MiB

# Streams with a checkpoint every 8 MiB, journals each offset and dies without any clean-up (like kill -9)
# right after the third checkpoint.
CRASH = """
import os, sys
from wizard.disks.convert import ConvertOptions, convert
from wizard.disks.detect import open_image
from wizard.disks.resume import Checkpoints
from wizard.targets.hyperv.smb_stream import SmbDiskStream
from wizard.targets.hyperv.smb_upload import SmbUploader
src, unc, sidecar, journal, port, user = sys.argv[1:7]
up = SmbUploader("127.0.0.1", username=user, password=os.environ["SMB_PASSWORD"], port=int(port))
seen = []
def journalled(offset):
    with open(journal, "a") as fh:
        fh.write(f"{offset}\\n")
        fh.flush()
        os.fsync(fh.fileno())
    seen.append(offset)
    if len(seen) == 3:
        os._exit(9)
with open_image(src) as img:
    convert(img, unc, ConvertOptions(block_size=1024 * 1024, guest_family="linux"), output=SmbDiskStream(up, unc),
            checkpoints=Checkpoints(journalled, every=8 * 1024 * 1024, sidecar=sidecar))
"""


@pytest.fixture
def source(tmp_path: Path, make_raw) -> tuple[Path, Path]:
    rng = random.Random(11)
    runs = [(off, rng.randbytes(rng.choice([4096, 65536, MiB, 3 * MiB])))
            for off in range(0, SIZE - 4 * MiB, 4 * MiB + 8192)]
    raw = make_raw(SIZE, runs)
    vmdk = tmp_path / "src.vmdk"
    qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse", str(raw), str(vmdk))
    return raw, vmdk


def test_a_killed_stream_goes_on_from_its_last_checkpoint(samba, source, tmp_path: Path) -> None:
    raw, vmdk = source
    unc = samba.unc + "\\resumed\\disk.vhdx"
    sidecar, journal = tmp_path / "state" / "disk.digests", tmp_path / "journal"
    proc = subprocess.run([sys.executable, "-c", CRASH, str(vmdk), unc, str(sidecar), str(journal),
                           str(samba.port), samba.user], capture_output=True, text=True,
                          env={**os.environ, "SMB_PASSWORD": samba.password}, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 9, proc.stderr
    folder = samba.share_dir / "resumed"
    assert sorted(p.name for p in folder.iterdir()) == ["disk.vhdx.partial"], "the crash left only the .partial"
    last = int(journal.read_text().split()[-1])

    up = SmbUploader("127.0.0.1", username=samba.user, password=samba.password, port=samba.port)
    stream = SmbDiskStream(up, unc)
    lowest = []
    with open_image(vmdk) as img:
        real = img.readinto
        img.readinto = lambda pos, view: (lowest.append(pos), real(pos, view))[1]
        result = convert(img, unc, ConvertOptions(block_size=MiB, guest_family="linux"), output=stream,
                         checkpoints=Checkpoints(lambda offset: None, resume_offset=last, every=8 * MiB,
                                                 sidecar=sidecar))
    up.close()
    assert last - 24 * MiB <= min(lowest) < last, "the part before the checkpoint was not sent again"
    stored = folder / "disk.vhdx"
    assert sorted(p.name for p in folder.iterdir()) == ["disk.vhdx"] and not sidecar.exists()
    assert result.verified and result.content_digest == content_digest_of_file(raw)
    qemu_img("check", str(stored))
    qemu_compare(raw, stored, "raw", "vhdx")

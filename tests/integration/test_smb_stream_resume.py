"""A disk streamed to a real Samba share, killed half-way: the next run goes on from its last checkpoint."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fixtures.crash import crash_at_third_checkpoint
from tests.fixtures.disks import qemu_compare, qemu_img, scattered_vmdk
from tests.unit.disks.test_vmdk_helpers import content_digest_of_file
from wizard.disks.convert import ConvertOptions, convert
from wizard.disks.detect import open_image
from wizard.disks.resume import Checkpoints
from wizard.targets.hyperv.smb_stream import SmbDiskStream
from wizard.targets.hyperv.smb_upload import SmbUploader

pytestmark = pytest.mark.samba
MiB = 1024 * 1024
SIZE = 96 * MiB

# Streams with a checkpoint every 8 MiB (the child dies after the third).
STREAM = """
from wizard.disks.convert import ConvertOptions, convert
from wizard.disks.detect import open_image
from wizard.disks.resume import Checkpoints
from wizard.targets.hyperv.smb_stream import SmbDiskStream
from wizard.targets.hyperv.smb_upload import SmbUploader
src, unc, sidecar, port, user = sys.argv[2:7]
up = SmbUploader("127.0.0.1", username=user, password=os.environ["SMB_PASSWORD"], port=int(port))
with open_image(src) as img:
    convert(img, unc, ConvertOptions(block_size=1024 * 1024, guest_family="linux"), output=SmbDiskStream(up, unc),
            checkpoints=Checkpoints(journalled, every=8 * 1024 * 1024, sidecar=sidecar))
"""


@pytest.fixture
def source(tmp_path: Path) -> tuple[Path, Path]:
    return scattered_vmdk(tmp_path, SIZE, seed=11, stride=4 * MiB + 8192)


def test_a_killed_stream_goes_on_from_its_last_checkpoint(samba, source, tmp_path: Path) -> None:
    raw, vmdk = source
    unc = samba.unc + "\\resumed\\disk.vhdx"
    sidecar, journal = tmp_path / "state" / "disk.digests", tmp_path / "journal"
    last = crash_at_third_checkpoint(STREAM, journal, str(vmdk), unc, str(sidecar), str(samba.port), samba.user,
                                     env={**os.environ, "SMB_PASSWORD": samba.password})
    folder = samba.share_dir / "resumed"
    assert sorted(p.name for p in folder.iterdir()) == ["disk.vhdx.partial"], "the crash left only the .partial"

    up = SmbUploader("127.0.0.1", username=samba.user, password=samba.password, port=samba.port)
    stream = SmbDiskStream(up, unc)
    lowest = []
    with open_image(vmdk) as img:
        real = img.readinto
        img.readinto = lambda pos, view: (lowest.append(pos), real(pos, view))[1]
        result = convert(img, unc, ConvertOptions(block_size=MiB, guest_family="linux"), output=stream,
                         checkpoints=Checkpoints(lambda offset, source: None, resume_offset=last, every=8 * MiB,
                                                 sidecar=sidecar))
    up.close()
    assert last - 24 * MiB <= min(lowest) < last, "the part before the checkpoint was not sent again"
    stored = folder / "disk.vhdx"
    assert sorted(p.name for p in folder.iterdir()) == ["disk.vhdx"] and not sidecar.exists()
    assert result.verified and result.content_digest == content_digest_of_file(raw)
    qemu_img("check", str(stored))
    qemu_compare(raw, stored, "raw", "vhdx")

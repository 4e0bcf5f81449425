"""Streaming a disk from the vCenter simulator straight into a file on a real Samba share (no staging copy):
the result equals the staged conversion, a dropped connection is survived, cancel and a lost share leave
nothing that looks complete, and a share that cannot be opened falls back to staging."""

from __future__ import annotations

import hashlib
import random
import shutil
import threading

import pytest

from tests.fixtures.disks import qemu_img
from tests.integration.targets_support import plan_item
from wizard.core.errors import Cancelled, ConnectError
from wizard.core.progress import CancelToken
from wizard.disks.convert import ConvertOptions, convert
from wizard.migrate.item import _convert_disk, migrate_item
from wizard.sources.vsphere import VSphereSource
from wizard.targets.base import DiskDestination
from wizard.targets.bundle import sanitize_name
from wizard.targets.hyperv.smb_io import SmbFileWriter
from wizard.targets.hyperv.smb_stream import SmbDiskStream
from wizard.targets.hyperv.smb_upload import SmbUploader
from wizard.targets.hyperv.target import UPLOAD_FOLDER, HyperVTarget

pytestmark = [pytest.mark.samba, pytest.mark.vcsim]
MiB = 1024 * 1024
SIZE = 24 * MiB
VM = "stream-src"


@pytest.fixture(scope="module")
def src_disk(vcsim, vcsim_si, tmp_path_factory):
    """A VM of the simulator whose disk is a qemu-img monolithicSparse VMDK with data in most MiBs."""
    from pyVmomi import vim

    from tests.fixtures.vcsim_vms import Builder

    b = Builder(vcsim_si)
    scsi = b.controller(vim.vm.device.ParaVirtualSCSIController)
    b.create(VM, "debian11_64Guest", [scsi, b.disk(scsi, 0, SIZE)], numCPUs=1, memoryMB=256)
    work = tmp_path_factory.mktemp("stream")
    raw = work / "src.raw"
    rng = random.Random(11)
    with open(raw, "wb") as fh:
        fh.truncate(SIZE)
        for mib in range(SIZE // MiB):
            if mib % 4 != 3:  # a zero MiB now and then: holes inside the output
                fh.seek(mib * MiB + rng.randrange(0, 4096))
                fh.write(rng.randbytes(MiB - 8192))
    vmdk = work / "src.vmdk"
    qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse", str(raw), str(vmdk))
    dest = vcsim.datastore_dir() / VM / f"{VM}.vmdk"
    dest.unlink(missing_ok=True)
    shutil.copyfile(vmdk, dest)
    return vmdk


@pytest.fixture
def source(vcsim, src_disk):
    src = VSphereSource(vcsim.host, vcsim.port, vcsim.user, vcsim.password, insecure=True)
    yield src
    src.close()


@pytest.fixture
def vm(source):
    return source.discover().find(VM)


def _options(**kw) -> ConvertOptions:
    return ConvertOptions(**{"format": "vhdx", "type": "dynamic", "verify": True, "overwrite": True,
                             "guest_family": "linux", **kw})


def _uploader(samba, port=None) -> SmbUploader:
    return SmbUploader("127.0.0.1", username=samba.user, password=samba.password, port=port or samba.port,
                       backoff=0.05, retries=2)


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _at_4_mib(stage: str, action) -> tuple[list[int], object]:
    """A progress sink that calls ``action()`` once, when ``stage`` has passed 4 MiB; the list notes when."""
    done: list[int] = []

    def sink(event) -> None:
        if event.stage == stage and event.done >= 4 * MiB and not done:
            done.append(event.done)
            action()

    return done, sink


def _names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_streamed_disk_equals_the_staged_conversion(source, vm, samba, src_disk, tmp_path):
    up = _uploader(samba)
    stream = SmbDiskStream(up, samba.unc + "\\same\\disk.vhdx", chunk=MiB, depth=2)
    dest = DiskDestination(path=tmp_path / "staged-unused.vhdx", final=stream.name, stream=stream)
    events = []
    with source.open_disk(vm, 0) as image:
        streamed = _convert_disk(convert, True, image, dest, _options(), events.append, None)
    staged_path = tmp_path / "staged.vhdx"
    with source.open_disk(vm, 0) as image:
        staged = convert(image, staged_path, _options())
    up.close()
    stored = samba.share_dir / "same" / "disk.vhdx"
    assert _names(stored.parent) == ["disk.vhdx"], "renamed from .partial once complete"
    assert not dest.path.exists(), "nothing was staged locally"
    qemu_img("compare", "-f", "vmdk", "-F", "vhdx", str(src_disk), str(stored))
    assert streamed.verified and streamed.content_digest == staged.content_digest
    assert stream.stored == (stored.stat().st_size, _sha(stored)), "the reported hash is the stored file's"
    stages = {e.stage for e in events}
    assert "convert" in stages and "verify" in stages and "upload" not in stages


def test_hyperv_target_streams_instead_of_staging(source, vm, samba, winrm_host, tmp_path):
    winrm_host.host.shares = [{"name": "vms", "path": "D:\\Hyper-V"}]
    winrm_host.host.share_root = samba.share_dir
    target = HyperVTarget(winrm_host.session(), _uploader(samba), samba.unc, staging_dir=tmp_path / "staging")
    item = plan_item(vm, name="streamed-vm", generation=2)
    events = []
    try:
        outcome = migrate_item(source, target, item, events.append)
    finally:
        target.close()
    assert outcome.ok, outcome.error and outcome.error.one_line()
    result = outcome.disks[0]
    stored = samba.share_dir / UPLOAD_FOLDER / sanitize_name("streamed-vm") / result.file_name
    assert result.sha256 == _sha(stored) and result.size_bytes == stored.stat().st_size
    assert result.content_digest, "the converter's content hash is kept"
    assert not any(e.stage == "upload" for e in events), "written in place, not uploaded afterwards"
    assert not list((tmp_path / "staging").rglob("*.vhdx*")), "no staging copy was made"


def test_cancel_mid_stream_leaves_no_file_named_like_the_output(source, vm, samba, monkeypatch):
    up = _uploader(samba)
    stream = SmbDiskStream(up, samba.unc + "\\cancel-stream\\disk.vhdx", chunk=MiB, depth=2)
    token = CancelToken()
    written = []
    real = SmbFileWriter.pwritev

    def pwritev(self, iov, offset):  # cancel once 4 MiB went to the share, however fast the stream runs
        real(self, iov, offset)
        written.append(sum(len(p) for p in iov))
        if sum(written) >= 4 * MiB:
            token.cancel()

    monkeypatch.setattr(SmbFileWriter, "pwritev", pwritev)
    with source.open_disk(vm, 0) as image, pytest.raises(Cancelled):
        convert(image, stream.name, _options(max_chunk=MiB), None, token, output=stream)
    up.close()
    assert 4 * MiB <= sum(written) < SIZE, "cancelled part-way"
    assert stream.stored is None
    assert _names(samba.share_dir / "cancel-stream") == [], "the .partial was removed and no disk.vhdx exists"


@pytest.mark.parametrize("stage", ["convert", "verify"])
def test_a_dropped_connection_is_survived_and_the_disk_is_whole(source, vm, samba, smb_proxy, src_disk, stage):
    up = _uploader(samba, port=smb_proxy.port)
    stream = SmbDiskStream(up, samba.unc + f"\\cut-{stage}\\disk.vhdx", chunk=MiB, depth=2)
    cut, sink = _at_4_mib(stage, smb_proxy.cut)

    with source.open_disk(vm, 0) as image:
        result = convert(image, stream.name, _options(max_chunk=MiB), sink, None, output=stream)
    up.close()
    assert cut, f"the connection was cut during {stage}"
    stored = samba.share_dir / f"cut-{stage}" / "disk.vhdx"
    assert _names(stored.parent) == ["disk.vhdx"]
    assert result.verified and stream.stored == (stored.stat().st_size, _sha(stored))
    qemu_img("compare", "-f", "vmdk", "-F", "vhdx", str(src_disk), str(stored))


def test_a_share_gone_for_good_gives_a_typed_error_and_nothing_complete(source, vm, samba, smb_proxy):
    up = _uploader(samba, port=smb_proxy.port)
    stream = SmbDiskStream(up, samba.unc + "\\gone\\disk.vhdx", chunk=MiB, depth=2)
    cut, sink = _at_4_mib("convert", smb_proxy.close)  # cut, and no new connection gets through either

    with source.open_disk(vm, 0) as image, pytest.raises(ConnectError) as err:
        convert(image, stream.name, _options(max_chunk=MiB), sink, None, output=stream)
    up.close()
    assert cut, "the connection was cut while writing"
    assert "connection" in err.value.message.lower() and "disk.vhdx" in err.value.message
    assert stream.stored is None
    assert "disk.vhdx" not in _names(samba.share_dir / "gone"), "nothing looks complete"


def test_cancel_ends_a_stream_waiting_on_a_silent_server(samba, smb_proxy):
    up = _uploader(samba, port=smb_proxy.port)
    stream = SmbDiskStream(up, samba.unc + "\\silent\\disk.vhdx", chunk=MiB, depth=2)
    token = CancelToken()
    writer = stream.open(token)
    writer.pwritev([random.randbytes(MiB)], 0)
    writer.sync()
    smb_proxy.freeze()  # no reply, no reset: without help the client would wait for its keep-alive (minutes)
    outcome = []

    def write_more() -> None:
        try:
            writer.pwritev([random.randbytes(4 * MiB)], MiB)
            writer.sync()
            outcome.append("returned")
        except BaseException as exc:  # noqa: BLE001 - what ended it is the result
            outcome.append(exc)

    worker = threading.Thread(target=write_more, daemon=True)
    worker.start()
    token.cancel()
    worker.join(60)  # a bound for a hang, not a timing
    smb_proxy.thaw()
    stream.abort()
    up.close()
    assert outcome and isinstance(outcome[0], Cancelled), outcome or "still waiting on the silent server"


def test_without_verification_a_dropped_connection_is_not_papered_over(source, vm, samba, smb_proxy):
    up = _uploader(samba, port=smb_proxy.port)
    stream = SmbDiskStream(up, samba.unc + "\\unverified\\disk.vhdx", chunk=MiB, depth=2)
    cut, sink = _at_4_mib("convert", smb_proxy.cut)

    # nothing would read the file back to notice writes a restarted server lost: fail instead of reconnecting
    with source.open_disk(vm, 0) as image, pytest.raises(ConnectError):
        convert(image, stream.name, _options(max_chunk=MiB, verify=False), sink, None, output=stream)
    up.close()
    assert cut and "disk.vhdx" not in _names(samba.share_dir / "unverified")


def test_share_that_cannot_be_opened_falls_back_to_staging(source, vm, samba, tmp_path):
    (samba.share_dir / "a-file").write_bytes(b"not a folder")  # the stream cannot create its folder here
    up = _uploader(samba)
    stream = SmbDiskStream(up, samba.unc + "\\a-file\\disk.vhdx")
    dest = DiskDestination(path=tmp_path / "disk.vhdx", final=stream.name, stream=stream)
    with source.open_disk(vm, 0) as image:
        result = _convert_disk(convert, True, image, dest, _options(), None, None)
    up.close()
    assert dest.stream is None, "finish_disk will upload the staged file"
    assert result.destination == str(dest.path) and dest.path.exists() and result.verified

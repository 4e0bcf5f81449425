"""Reading VM disks from the simulator's datastore over HTTPS: content, resume after a cut, cancel, errors."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_img
from wizard.core.errors import Cancelled, ConnectError, SourceError
from wizard.core.inventory import Backing, Disk, SourceVM
from wizard.core.progress import CancelToken
from wizard.sources.vsphere import VSphereSource, fetch_thumbprint
from wizard.sources.vsphere_http import HttpByteSource

pytestmark = pytest.mark.vcsim

MiB = 1024 * 1024
SIZE = 8 * MiB


class CuttingProxy:
    """A loopback TCP proxy that, once armed, cuts the connection after ``n`` bytes from the server."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cut_after: int | None = None
        self.cuts = 0
        self.refuse = False
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self, n: int) -> None:
        with self._lock:
            self.cut_after = n

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.refuse:
                client.close()
                continue
            server = socket.create_connection(self.upstream)
            self._socks += [client, server]
            threading.Thread(target=self._pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, True), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, downstream: bool) -> None:
        try:
            while data := src.recv(65536):
                if downstream:
                    with self._lock:
                        if self.cut_after is not None:
                            if len(data) >= self.cut_after:
                                dst.sendall(data[:self.cut_after])
                                self.cut_after, self.cuts = None, self.cuts + 1
                                raise OSError("cut")
                            self.cut_after -= len(data)
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def drop_all(self) -> None:
        for s in self._socks:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.listener.close()
        self.drop_all()


@pytest.fixture(scope="module")
def disk_content(vcsim, vcsim_vms, tmp_path_factory):
    """Fill the "data" VM's two disks with qemu-img VMDKs (monolithicSparse, monolithicFlat) of one raw image."""
    work = tmp_path_factory.mktemp("vsdisks")
    raw = work / "src.raw"
    rng = __import__("random").Random(7)
    with open(raw, "wb") as fh:
        fh.truncate(SIZE)
        for offset in (0, 65536 * 3, 3 * MiB + 4096, SIZE - 70000):
            fh.seek(offset)
            fh.write(rng.randbytes(50000))
    folder = vcsim.datastore_dir() / "data"
    qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse", str(raw),
             str(folder / "data.vmdk"))
    qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicFlat", str(raw),
             str(work / "data_1.vmdk"))
    for name in ("data_1.vmdk", "data_1-flat.vmdk"):
        shutil.copy(work / name, folder / name)
    return raw.read_bytes()


@pytest.fixture
def source(vcsim):
    src = VSphereSource(vcsim.host, vcsim.port, vcsim.user, vcsim.password, insecure=True)
    yield src
    src.close()


def _read_all(image) -> bytes:
    out = bytearray(image.virtual_size)
    view = memoryview(out)
    for pos in range(0, image.virtual_size, MiB):
        image.readinto(pos, view[pos:pos + MiB])
    return bytes(out)


@pytest.mark.parametrize("index", [0, 1], ids=["monolithicSparse", "monolithicFlat"])
def test_open_disk_reads_the_same_bytes_as_the_source(source, disk_content, index):
    vm = source.discover().find("data")
    with source.open_disk(vm, index) as image:
        assert image.virtual_size == SIZE
        assert _read_all(image) == disk_content


def test_download_resumes_after_the_connection_is_cut(vcsim, disk_content):
    proxy = CuttingProxy((vcsim.host, vcsim.port))
    pin = fetch_thumbprint("127.0.0.1", proxy.port)
    src = VSphereSource("127.0.0.1", proxy.port, vcsim.user, vcsim.password, thumbprint=pin)
    try:
        vm = src.discover().find("data")
        src.http_backoff = 0.01
        with src.open_disk(vm, 1) as image:  # flat: the reads are large ranged GETs
            proxy.arm(3 * MiB + 123)
            assert _read_all(image) == disk_content
        assert proxy.cuts == 1
    finally:
        src.close()
        proxy.close()


def test_byte_source_reports_progress_and_counts_the_resume(vcsim, source, disk_content):
    proxy = CuttingProxy((vcsim.host, vcsim.port))
    try:
        source.connect()
        flat = vcsim.datastore_dir() / "data" / "data_1-flat.vmdk"
        url, name = source.datastore_url("DC0", "[LocalDS_0] data/data_1-flat.vmdk")
        events = []
        policy = type(source.policy)("127.0.0.1", proxy.port, insecure=True)
        with HttpByteSource(policy, url, name=name, cookie=source.session_cookie, progress=events.append,
                            backoff=0.01) as bs:
            assert bs.size == os.path.getsize(flat)
            buf = bytearray(bs.size)
            proxy.arm(MiB + 1)
            assert bs.pread_into(0, memoryview(buf)) == bs.size
            assert bytes(buf) == flat.read_bytes() and bs.reconnects >= 1
        assert events and events[-1].done == bs.size and events[-1].stage == "download"
    finally:
        proxy.close()


def test_gives_up_with_connect_error_when_the_server_stays_away(vcsim, source, disk_content):
    proxy = CuttingProxy((vcsim.host, vcsim.port))
    try:
        source.connect()
        url, name = source.datastore_url("DC0", "[LocalDS_0] data/data_1-flat.vmdk")
        policy = type(source.policy)("127.0.0.1", proxy.port, insecure=True)
        bs = HttpByteSource(policy, url, name=name, cookie=source.session_cookie, backoff=0.001, retries=3)
        proxy.refuse = True
        proxy.drop_all()
        with pytest.raises(ConnectError) as err:
            bs.pread_into(0, memoryview(bytearray(MiB)))
        assert "data_1-flat.vmdk" in str(err.value)
        bs.close()
    finally:
        proxy.close()


def test_cancel_stops_a_read(source, disk_content):
    token = CancelToken()
    bs = source.open_bytes("DC0", "[LocalDS_0] data/data_1-flat.vmdk", cancel=token)
    token.cancel()
    with pytest.raises(Cancelled):
        bs.pread_into(0, memoryview(bytearray(MiB)))
    bs.close()


def test_missing_file_names_it(source):
    with pytest.raises(SourceError, match=r"\[LocalDS_0\] data/gone\.vmdk"):
        source.open_bytes("DC0", "[LocalDS_0] data/gone.vmdk")


def test_rdm_disk_is_refused_with_a_fix(source):
    vm = SourceVM(name="cluster-node", disks=[Disk(backing=Backing.RDM_PHYSICAL, device_name="naa.6000")])
    with pytest.raises(SourceError, match="raw device mapping") as err:
        source.open_disk(vm, 0)
    assert err.value.fix


def test_datastore_dir_is_real(vcsim):
    assert Path(vcsim.datastore_dir()).is_dir()


def test_vmfs_volume_paths_resolve_without_a_prior_discovery(vcsim):
    with VSphereSource(vcsim.host, vcsim.port, vcsim.user, vcsim.password, insecure=True) as src:
        ds_dir = str(vcsim.datastore_dir())
        # the simulator's datastore URL is its local directory: a descriptor naming it absolutely resolves
        name = "/vmfs/volumes/" + ds_dir.rstrip("/").rsplit("/", 1)[1] + "/data/data.vmdk"
        assert src._resolve("[LocalDS_0] data/data_1.vmdk", name) == "[LocalDS_0] data/data.vmdk"


def test_datastore_reads_enforce_the_pin_too(vcsim, source):
    from wizard.core.errors import CertificateError
    from wizard.sources.vsphere_tls import TlsPolicy

    source.connect()
    url, name = source.datastore_url("DC0", "[LocalDS_0] data/data.vmdk")
    wrong = TlsPolicy(vcsim.host, vcsim.port, pin=":".join(["00"] * 32))
    with pytest.raises(CertificateError) as err:
        HttpByteSource(wrong, url, name=name, cookie=source.session_cookie, backoff=0.001)
    assert err.value.thumbprint == fetch_thumbprint(vcsim.host, vcsim.port)

"""A standalone ESXi host (no vCenter): discovery and a disk read through ha-datacenter."""

from __future__ import annotations

import pytest

from tests.fixtures.disks import qemu_img
from tests.fixtures.vcsim import start_vcsim
from wizard.sources.vsphere import VSphereSource, fetch_thumbprint

pytestmark = pytest.mark.vcsim


@pytest.fixture(scope="module")
def esxi():
    sim = start_vcsim("-esx")
    yield sim
    sim.stop()


def test_esxi_host_discovery_and_disk_read(esxi, tmp_path, monkeypatch):
    monkeypatch.setenv("HVMIGRATE_CONFIG_DIR", str(tmp_path / "cfg"))
    raw = tmp_path / "src.raw"
    with open(raw, "wb") as fh:
        fh.truncate(4 * 1024 * 1024)
        fh.seek(12345)
        fh.write(b"ESXi standalone" * 1000)
    pin = fetch_thumbprint(esxi.host, esxi.port)
    with VSphereSource(esxi.host, esxi.port, esxi.user, esxi.password, thumbprint=pin) as src:
        inv = src.discover()
        assert "ESXi" in inv.source and len(inv.vms) == 2
        vm = inv.vms[0]
        assert (vm.datacenter, vm.cluster, vm.folder) == ("ha-datacenter", "", "") and vm.host
        (disk,) = vm.disks
        local = esxi.datastore_dir() / disk.path.split("] ", 1)[1]
        qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse", str(raw), str(local))
        with src.open_disk(vm, 0) as image:
            buf = bytearray(image.virtual_size)
            image.readinto(0, memoryview(buf))
    assert bytes(buf) == raw.read_bytes()

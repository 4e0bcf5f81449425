"""The built-in demo: six varied VMs with small real disks whose content is fixed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_img
from wizard.core.errors import SourceError
from wizard.core.inventory import Backing, Controller, Firmware
from wizard.sources.demo import DemoSource, cache_dir
from wizard.sources.demo_disks import DemoDiskSpec, raw_bytes, write_flat, write_sparse
from wizard.sources.registry import open_source


@pytest.fixture
def demo(tmp_path: Path) -> DemoSource:
    return DemoSource(cache=tmp_path / "cache")


def test_six_varied_vms(demo: DemoSource):
    inv = demo.discover()
    assert len(inv.vms) == 6
    by = {vm.name: vm for vm in inv.vms}
    web = by["web01"]
    assert (web.firmware, web.secure_boot, web.guest.id) == (Firmware.EFI, True, "windows2019srv_64Guest")
    assert web.disks[0].controller is Controller.PVSCSI and web.nics[0].model == "vmxnet3"
    assert web.guest_ips[0].origin == "manual"
    legacy = by["legacy-app01"]
    assert (legacy.firmware, legacy.disks[0].controller, legacy.nics[0].model) == (
        Firmware.BIOS, Controller.LSILOGIC, "e1000")
    assert len(legacy.snapshots) == 2
    ubuntu = by["ubuntu-web"]
    assert ubuntu.guest.family == "linux" and ubuntu.firmware is Firmware.EFI and ubuntu.secure_boot
    centos = by["centos7-db"]
    assert centos.firmware is Firmware.BIOS and centos.guest.bits == 64
    assert by["win11-desk"].vtpm
    blocked = [vm for vm in inv.vms if any(d.backing is Backing.RDM_PHYSICAL for d in vm.disks)]
    assert [vm.name for vm in blocked] == ["sql-node2"]


def test_inventory_is_reproducible(demo: DemoSource):
    assert json.dumps(demo.discover().to_json()) == json.dumps(DemoSource().discover().to_json())


def test_demo_disks_have_the_intended_content(demo: DemoSource, tmp_path: Path):
    inv = demo.discover()
    checked = 0
    for vm in inv.vms:
        for i, disk in enumerate(vm.disks):
            if disk.backing is Backing.RDM_PHYSICAL:
                continue
            path = demo.disk_file(vm, i)
            info = json.loads(qemu_img("info", "--output=json", str(path)).stdout)
            assert info["virtual-size"] == disk.capacity_bytes
            assert info["format-specific"]["data"]["create-type"] == (
                "monolithicFlat" if disk.backing is Backing.FLAT else "monolithicSparse")
            raw = tmp_path / "expected.raw"
            raw.write_bytes(raw_bytes(demo._specs[(vm.id, i)][0]))
            qemu_img("compare", str(path), str(raw))
            qemu_img("check", str(path))
            checked += 1
    assert checked == 7
    # a few hundred KiB on disk per sparse disk, not the virtual size
    assert (demo.cache / "web01" / "web01.vmdk").stat().st_size < 2 * 1024 * 1024


def test_sparse_writer_matches_qemu_for_odd_layouts(tmp_path: Path):
    spec = DemoDiskSpec("odd", 33 * 1024 * 1024 + 64 * 1024, table="gpt", fs_type=0x83)  # 2 grain tables
    write_sparse(spec, str(tmp_path / "odd.vmdk"))
    write_flat(spec, str(tmp_path / "oddf.vmdk"))
    raw = tmp_path / "odd.raw"
    raw.write_bytes(raw_bytes(spec))
    qemu_img("compare", str(tmp_path / "odd.vmdk"), str(raw))
    qemu_img("compare", str(tmp_path / "oddf.vmdk"), str(raw))
    assert not list(tmp_path.glob("*.partial"))


def test_rdm_disk_cannot_be_opened(demo: DemoSource):
    sql = demo.discover().find("sql-node2")
    with pytest.raises(SourceError, match="raw device mapping"):
        demo.open_disk(sql, 0)


def test_open_disk_reads_the_intended_content(demo: DemoSource):
    pytest.importorskip("wizard.disks.detect")
    inv = demo.discover()
    for vm in inv.vms:
        for i, disk in enumerate(vm.disks):
            if disk.backing is Backing.RDM_PHYSICAL:
                continue
            expected = raw_bytes(demo._specs[(vm.id, i)][0])
            with demo.open_disk(vm, i) as image:
                assert image.virtual_size == disk.capacity_bytes
                buf = bytearray(len(expected))
                image.readinto(0, memoryview(buf))
            assert buf == expected


def test_cache_dir_follows_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HVMIGRATE_CACHE_DIR", str(tmp_path / "hv"))
    assert cache_dir().parent == tmp_path / "hv" / "demo"
    monkeypatch.delenv("HVMIGRATE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir().parent == tmp_path / "xdg" / "hvmigrate" / "demo"
    src = open_source("demo")
    vm = src.discover().find("legacy-app01")
    assert src.disk_file(vm, 0).is_file()
    assert str(src.disk_file(vm, 0)).startswith(str(tmp_path / "xdg"))

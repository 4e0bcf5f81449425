"""The built-in demo source: six VMs of varied kinds with small real disks, for trying the wizard safely.

The inventory is fixed (same JSON on every run and machine, including ``collected_at``). Disks are real
VMDK files (monolithicSparse or monolithicFlat, a few hundred KiB on disk) written on first use into the
cache folder — ``$HVMIGRATE_CACHE_DIR/demo`` or ``$XDG_CACHE_HOME/hvmigrate/demo`` (default
``~/.cache/hvmigrate/demo``) — by :mod:`wizard.sources.demo_disks`; their content is deterministic, so a
migration of the demo always produces the same disk hashes. One VM (``sql-node2``) carries a physical-mode
RDM disk, which compatibility rules block; it has no disk that can be read.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from wizard.core import paths
from wizard.core.errors import SourceError
from wizard.core.i18n import user_text
from wizard.core.inventory import (
    Backing,
    Controller,
    Device,
    DeviceKind,
    Disk,
    DiskMode,
    Firmware,
    GuestIP,
    Inventory,
    Nic,
    PowerState,
    Provisioning,
    Sharing,
    Snapshot,
    SourceVM,
)
from wizard.core.progress import CancelToken, Meter, ProgressSink
from wizard.disks.image import DiskImage
from wizard.sources.base import Source
from wizard.sources.demo_disks import DemoDiskSpec, write_flat, write_sparse
from wizard.sources.guestids import guest_from_id

MiB = 1024 * 1024
GiB = 1024 * MiB
CONTENT_VERSION = "v1"  # bump when the demo disk content changes, so old caches are not reused
COLLECTED_AT = "2026-01-15T09:00:00Z"
DATASTORE = "datastore1"

_lock = threading.Lock()


def cache_dir() -> Path:
    """Where demo disks live (created on demand)."""
    return paths.cache_dir() / "demo" / CONTENT_VERSION


def _disk(vm: str, idx: int, size: int, controller: Controller, model: str, *, bus: int = 0, unit: int = 0,
          flat: bool = False, table: str = "mbr", fs: int = 0x07) -> tuple[Disk, DemoDiskSpec, bool]:
    name = f"{vm}.vmdk" if idx == 0 else f"{vm}_{idx}.vmdk"
    disk = Disk(
        label=f"Hard disk {idx + 1}", key=str(2000 + idx), controller=controller, controller_model=model,
        bus=bus, unit=unit, capacity_bytes=size, backing=Backing.FLAT if flat else Backing.SPARSE,
        provisioning=Provisioning.THICK_LAZY if flat else Provisioning.THIN, mode=DiskMode.PERSISTENT,
        datastore=DATASTORE, path=f"[{DATASTORE}] {vm}/{name}", file_format="vmdk",
    )
    return disk, DemoDiskSpec(label=f"{vm}/{name}", size=size, table=table, fs_type=fs), flat


def _nic(idx: int, model: str, mac: str, network: str, vlan: int | None = None) -> Nic:
    return Nic(label=f"Network adapter {idx + 1}", model=model, mac=mac, mac_type="assigned", network=network,
               network_kind="standard", vlan=vlan)


def _build() -> tuple[list[SourceVM], dict[tuple[str, int], tuple[DemoDiskSpec, bool]]]:
    vms: list[SourceVM] = []
    specs: dict[tuple[str, int], tuple[DemoDiskSpec, bool]] = {}

    def add(vm: SourceVM, disks: list[tuple[Disk, DemoDiskSpec, bool]]) -> None:
        vm.source_kind = "demo"
        vm.datacenter, vm.cluster = vm.datacenter or "DC-Demo", vm.cluster or "Cluster-A"
        vm.config_path = f"[{DATASTORE}] {vm.name}/{vm.name}.vmx"
        for i, (disk, spec, flat) in enumerate(disks):
            vm.disks.append(disk)
            if disk.backing not in (Backing.RDM_PHYSICAL, Backing.RDM_VIRTUAL):
                specs[(vm.id, i)] = (spec, flat)
        vms.append(vm)

    web = SourceVM(
        id="vm-101", name="web01", instance_uuid="5001a1b2-0000-4000-8000-000000000101",
        bios_uuid="4201a1b2-0000-4000-8000-000000000101", folder="Production/Web", host="esx01.demo.local",
        guest=guest_from_id("windows2019srv_64Guest", "Microsoft Windows Server 2019 (64-bit)"),
        firmware=Firmware.EFI, secure_boot=True, cpus=4, cores_per_socket=2, memory_mb=8192,
        hardware_version="vmx-15", power_state=PowerState.ON, tools_status="ok", tools_version="12352",
        hostname="web01.demo.local", annotation="IIS front end (demo)",
        guest_ips=[GuestIP(address="10.0.10.21", prefix_length=24, origin="manual", mac="00:50:56:9a:01:01",
                           gateways=["10.0.10.1"], dns_servers=["10.0.10.5", "10.0.10.6"])],
    )
    web.guest.running_id, web.guest.running_full_name = web.guest.id, web.guest.full_name
    web.nics = [_nic(0, "vmxnet3", "00:50:56:9a:01:01", "VM Network", 10)]
    web.devices = [Device(DeviceKind.CDROM, "CD/DVD drive 1", "", False, "client device")]
    add(web, [_disk("web01", 0, 48 * MiB, Controller.PVSCSI, "ParaVirtualSCSIController", table="gpt"),
              _disk("web01", 1, 16 * MiB, Controller.PVSCSI, "ParaVirtualSCSIController", unit=1, flat=True)])

    legacy = SourceVM(
        id="vm-102", name="legacy-app01", instance_uuid="5001a1b2-0000-4000-8000-000000000102",
        bios_uuid="4201a1b2-0000-4000-8000-000000000102", folder="Production/Apps", host="esx02.demo.local",
        guest=guest_from_id("windows8Server64Guest", "Microsoft Windows Server 2012 R2 (64-bit)"),
        firmware=Firmware.BIOS, cpus=2, cores_per_socket=1, memory_mb=4096, hardware_version="vmx-11",
        power_state=PowerState.OFF, tools_status="old", tools_version="10346", hostname="legacy-app01",
        snapshots=[Snapshot("snapshot-1", "before patch", "", "2025-11-02T20:15:00Z", "monthly patching",
                            PowerState.OFF),
                   Snapshot("snapshot-2", "after patch", "snapshot-1", "2025-11-03T07:40:00Z", "",
                            PowerState.OFF)],
        current_snapshot="snapshot-2",
    )
    legacy.nics = [_nic(0, "e1000", "00:50:56:9a:01:02", "VM Network")]
    add(legacy, [_disk("legacy-app01", 0, 32 * MiB, Controller.LSILOGIC, "VirtualLsiLogicController")])

    ubuntu = SourceVM(
        id="vm-103", name="ubuntu-web", instance_uuid="5001a1b2-0000-4000-8000-000000000103",
        bios_uuid="4201a1b2-0000-4000-8000-000000000103", folder="Production/Web", host="esx01.demo.local",
        guest=guest_from_id("ubuntu64Guest", "Ubuntu Linux (64-bit)"), firmware=Firmware.EFI, secure_boot=True,
        cpus=2, cores_per_socket=2, memory_mb=4096, hardware_version="vmx-19", power_state=PowerState.ON,
        tools_status="ok", tools_version="12389", hostname="ubuntu-web",
        guest_ips=[GuestIP(address="10.0.10.31", prefix_length=24, origin="dhcp", mac="00:50:56:9a:01:03")],
    )
    ubuntu.guest.running_full_name = "Ubuntu 22.04.4 LTS"
    ubuntu.nics = [_nic(0, "vmxnet3", "00:50:56:9a:01:03", "VM Network", 10)]
    add(ubuntu, [_disk("ubuntu-web", 0, 40 * MiB, Controller.PVSCSI, "ParaVirtualSCSIController", table="gpt",
                       fs=0x83)])

    centos = SourceVM(
        id="vm-104", name="centos7-db", instance_uuid="5001a1b2-0000-4000-8000-000000000104",
        bios_uuid="4201a1b2-0000-4000-8000-000000000104", folder="Production/DB", host="esx02.demo.local",
        guest=guest_from_id("centos7_64Guest", "CentOS 7 (64-bit)"), firmware=Firmware.BIOS, cpus=4,
        cores_per_socket=4, memory_mb=16384, hardware_version="vmx-13", power_state=PowerState.ON,
        tools_status="ok", tools_version="11333", hostname="centos7-db",
        guest_ips=[GuestIP(address="10.0.20.11", prefix_length=24, origin="manual", mac="00:50:56:9a:01:04",
                           gateways=["10.0.20.1"])],
    )
    centos.nics = [_nic(0, "vmxnet3", "00:50:56:9a:01:04", "DB Network", 20)]
    add(centos, [_disk("centos7-db", 0, 32 * MiB, Controller.LSILOGIC, "VirtualLsiLogicController", fs=0x83),
                 _disk("centos7-db", 1, 24 * MiB, Controller.LSILOGIC, "VirtualLsiLogicController", unit=1,
                       flat=True, fs=0x83)])

    win11 = SourceVM(
        id="vm-105", name="win11-desk", instance_uuid="5001a1b2-0000-4000-8000-000000000105",
        bios_uuid="4201a1b2-0000-4000-8000-000000000105", folder="Desktops", host="esx01.demo.local",
        guest=guest_from_id("windows11_64Guest", "Microsoft Windows 11 (64-bit)"), firmware=Firmware.EFI,
        secure_boot=True, vtpm=True, cpus=2, cores_per_socket=2, memory_mb=8192, hardware_version="vmx-19",
        power_state=PowerState.OFF, tools_status="ok", tools_version="12352", hostname="WIN11-DESK",
    )
    win11.nics = [_nic(0, "e1000e", "00:50:56:9a:01:05", "Desktop Network", 30)]
    win11.devices = [Device(DeviceKind.USB_CONTROLLER, "USB xHCI controller", "xhci", True, "")]
    add(win11, [_disk("win11-desk", 0, 40 * MiB, Controller.NVME, "VirtualNVMEController", table="gpt")])

    sql = SourceVM(
        id="vm-106", name="sql-node2", instance_uuid="5001a1b2-0000-4000-8000-000000000106",
        bios_uuid="4201a1b2-0000-4000-8000-000000000106", folder="Production/DB", host="esx02.demo.local",
        guest=guest_from_id("windows9Server64Guest", "Microsoft Windows Server 2016 (64-bit)"),
        firmware=Firmware.BIOS, cpus=8, cores_per_socket=4, memory_mb=32768, hardware_version="vmx-14",
        power_state=PowerState.ON, tools_status="ok", tools_version="11365", hostname="sql-node2",
        annotation="SQL Server failover cluster node; quorum and data on a physical-mode RDM LUN",
    )
    sql.nics = [_nic(0, "vmxnet3", "00:50:56:9a:01:06", "DB Network", 20),
                _nic(1, "vmxnet3", "00:50:56:9a:01:16", "Cluster Heartbeat", 21)]
    rdm = Disk(label="Hard disk 1", key="2000", controller=Controller.LSILOGIC_SAS,
               controller_model="VirtualLsiLogicSASController", bus=1, unit=0, capacity_bytes=200 * GiB,
               backing=Backing.RDM_PHYSICAL, provisioning=Provisioning.UNKNOWN,
               mode=DiskMode.INDEPENDENT_PERSISTENT, sharing=Sharing.SCSI_BUS_SHARED, datastore=DATASTORE,
               path=f"[{DATASTORE}] sql-node2/sql-node2_rdmp.vmdk", file_format="vmdk",
               device_name="vml.0200000000600508b1001c3a8e5f2b7d1c9e4a6b3f4c4f4749434")
    add(sql, [(rdm, DemoDiskSpec("unused", GiB), False)])
    for vm in vms:
        vm.extra["demo"] = "true"
    return vms, specs


class DemoSource(Source):
    """The built-in demo. ``cache`` overrides the cache folder (tests)."""

    kind = "demo"

    def __init__(self, cache: str | os.PathLike[str] | None = None) -> None:
        self._cache = Path(cache) if cache is not None else None
        self._vms, self._specs = _build()

    @property
    def cache(self) -> Path:
        return self._cache if self._cache is not None else cache_dir()

    def describe(self) -> str:
        return user_text("built-in demo (6 VMs)")

    def discover(self, progress: ProgressSink | None = None, cancel: CancelToken | None = None) -> Inventory:
        meter = Meter(progress, "discover", total=len(self._vms))
        vms = []
        for i, vm in enumerate(_build()[0]):  # fresh copies: callers may modify what they get
            if cancel is not None:
                cancel.check()
            vms.append(vm)
            meter.update(i + 1, vm.name)
        meter.finish()
        return Inventory(source="demo", source_kind="demo", collected_at=COLLECTED_AT, vms=vms)

    def disk_file(self, vm: SourceVM, index: int) -> Path:
        """The local VMDK for ``vm.disks[index]``, written now if it is not cached yet."""
        spec_flat = self._specs.get((vm.id, index))
        if spec_flat is None:
            if 0 <= index < len(vm.disks) and vm.disks[index].backing is Backing.RDM_PHYSICAL:
                raise SourceError(f"{vm.name}: disk {index + 1} is a physical-mode raw device mapping (a SAN LUN); "
                                  "the demo has no data for it",
                                  fix="Migrate the LUN's data separately (it is blocked for conversion).")
            raise SourceError(f"the demo has no disk {index + 1} for VM {vm.name!r}")
        spec, flat = spec_flat
        folder = self.cache / vm.name
        path = folder / os.path.basename(vm.disks[index].path.split("] ", 1)[-1])
        with _lock:
            if not path.exists() or (flat and not path.with_name(path.name[:-5] + "-flat.vmdk").exists()):
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                    (write_flat if flat else write_sparse)(spec, str(path))
                except OSError as exc:
                    raise SourceError(f"cannot write the demo disks into {folder}: {exc.strerror}",
                                      fix="Set HVMIGRATE_CACHE_DIR to a writable folder.") from None
        return path

    def open_disk(self, vm: SourceVM, index: int, cancel: CancelToken | None = None) -> DiskImage:
        path = self.disk_file(vm, index)
        from wizard.disks.detect import open_image  # the engine is imported only when disks are read

        return open_image(str(path))

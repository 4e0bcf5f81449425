"""Helpers for the target tests: a local Source over qemu-img-made disks and hand-built plan items."""

from __future__ import annotations

from pathlib import Path

from wizard.core.inventory import Controller, Disk, Firmware, GuestIP, GuestOS, Nic, SourceVM
from wizard.core.plan import (
    DeviceAction,
    DeviceChoice,
    DiskSpec,
    MemorySpec,
    NicSpec,
    Plan,
    PlanItem,
    SourceRef,
    TargetController,
    VMSpec,
)
from wizard.disks.detect import open_image
from wizard.disks.image import DiskImage
from wizard.sources.base import Source

HOSTILE_NAMES = [
    "plain-vm",
    "it's \"quoted\", yes",
    "$(Remove-Item C:\\ -Recurse)",
    "back`tick`$env:PATH",
    "semi; Stop-Computer -Force;",
    "line1\nline2\r\nline3",
    "Ünïcødé 服务器 ✓",
    "<# comment #> start",
    "@'\nhere\n'@",
    "'@ close",
    "CON",
    "..",
]


class LocalDisksSource(Source):
    """A source whose VMs' disks are local image files (``Disk.path``), opened read-only."""

    kind = "test"

    def __init__(self, vms: list[SourceVM]):
        self.vms = vms

    def describe(self) -> str:
        return "local test disks"

    def discover(self, progress=None, cancel=None):  # pragma: no cover - not used
        raise NotImplementedError

    def open_disk(self, vm: SourceVM, index: int, cancel=None) -> DiskImage:
        return open_image(vm.disks[index].path)


def source_vm(name: str, disks: list[tuple[Path, int]], *, generation: int = 2, vm_id: str | None = None) -> SourceVM:
    return SourceVM(
        id=vm_id or f"vm-{abs(hash(name)) % 10**8}", name=name, source_kind="vmx",
        bios_uuid="42 1a 2b 3c 4d 5e 6f 70-81 92 a3 b4 c5 d6 e7 f8",
        guest=GuestOS(id="windows2019srv_64Guest", full_name="Microsoft Windows Server 2019", family="windows",
                      bits=64),
        firmware=Firmware.EFI if generation == 2 else Firmware.BIOS, cpus=2, memory_mb=2048,
        disks=[Disk(label=f"Hard disk {i + 1}", controller=Controller.LSILOGIC_SAS, unit=i,
                    capacity_bytes=size, path=str(p), file_format="vmdk")
               for i, (p, size) in enumerate(disks)],
        nics=[Nic(label="Network adapter 1", model="vmxnet3", mac="00:50:56:aa:bb:cc", network="VM Network")],
        guest_ips=[GuestIP(address="192.0.2.10", prefix_length=24, origin="manual", mac="00:50:56:aa:bb:cc",
                           gateways=["192.0.2.1"], dns_servers=["192.0.2.53"])],
    )


def plan_item(vm: SourceVM, *, name: str | None = None, generation: int = 2, switch: str = "LAN",
              dynamic: bool = True) -> PlanItem:
    base = (name or vm.name)
    disks = []
    for i, _d in enumerate(vm.disks):
        ide = generation == 1 and i < 2
        disks.append(DiskSpec(
            source_index=i, file_name=f"{base}-disk{i}.vhdx", capacity_bytes=vm.disks[i].capacity_bytes,
            block_size_bytes=1024 * 1024, controller=TargetController.IDE if ide else TargetController.SCSI,
            controller_number=0, location=i if ide else (i - 2 if generation == 1 else i), boot=i == 0))
    spec = VMSpec(
        name=name or vm.name, generation=generation, version="9.0", cpus=2,
        memory=MemorySpec(startup_mb=2048, dynamic=dynamic, minimum_mb=512, maximum_mb=4096, buffer_percent=20),
        secure_boot=generation == 2, secure_boot_template="MicrosoftWindows", tpm=generation == 2,
        disks=disks,
        nics=[NicSpec(source_index=0, name="Network Adapter", switch=switch, vlan_id=42,
                      static_mac="00:50:56:aa:bb:cc")],
        devices=[DeviceChoice(device_label="CD/DVD drive 1", kind="cdrom", action=DeviceAction.CONVERT)],
        checkpoint_type="Production", automatic_start_action="StartIfRunning", automatic_stop_action="ShutDown",
        automatic_start_delay=30, integration_services={"Guest Service Interface": True, "Time Synchronization": False},
        notes="", path="",
    )
    return PlanItem(vm=vm, target=spec, template="test")


def make_plan(items: list[PlanItem]) -> Plan:
    return Plan(source=SourceRef(kind="vmx", address="/tmp/source"), target_version="2019",
                created_by="hvmigrate test", items=items)

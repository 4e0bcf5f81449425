"""The migration plan: for each chosen VM, the Hyper-V VM to build and how to get there.

A plan is plain data. The UI fills it page by page; ``hvmigrate plan`` builds it from templates; the
pipeline executes it. It never holds a secret: connection fields name a user and a pinned thumbprint;
passwords are looked up in the OS keyring (``wizard.core.secrets``) at run time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from wizard.core.inventory import SourceVM
from wizard.core.serial import dump_document, parse_document, read_json, write_json_atomic

PLAN_KIND = "plan"
PLAN_VERSION = 1

MiB = 1024 * 1024
ASSUMED_RATE = 150 * MiB  # bytes/s for time estimates: a typical single-disk conversion


class DiskFormat(StrEnum):
    VHDX = "vhdx"
    VHD = "vhd"


class DiskType(StrEnum):
    DYNAMIC = "dynamic"
    FIXED = "fixed"


class TargetController(StrEnum):
    SCSI = "scsi"
    IDE = "ide"


class DeviceAction(StrEnum):
    DROP = "drop"  # leave it out of the Hyper-V VM
    CONVERT = "convert"  # carry over with the nearest Hyper-V equivalent (e.g. DVD drive, COM port)
    BLOCK = "block"  # the user says: do not migrate this VM while the device exists


@dataclass
class SourceRef:
    """Where the plan's VMs come from: ``kind`` vsphere|vmx|ovf|ova|vbox|demo|inventory; no secrets."""

    kind: str = ""
    address: str = ""  # host[:port] or a path
    user: str = ""
    thumbprint: str = ""  # pinned SHA-256 thumbprint of the server certificate
    insecure: bool = False


@dataclass
class MemorySpec:
    startup_mb: int = 1024
    dynamic: bool = False
    minimum_mb: int = 512
    maximum_mb: int = 1048576
    buffer_percent: int = 20


@dataclass
class DiskSpec:
    """One disk of the target VM. ``source_index`` points into the source VM's ``disks``."""

    source_index: int = 0
    file_name: str = ""  # e.g. "web01-disk0.vhdx"; no directories
    capacity_bytes: int = 0
    format: DiskFormat = DiskFormat.VHDX
    type: DiskType = DiskType.DYNAMIC
    block_size_bytes: int = 32 * MiB
    logical_sector_bytes: int = 512
    physical_sector_bytes: int = 4096
    controller: TargetController = TargetController.SCSI
    controller_number: int = 0
    location: int = 0
    boot: bool = False
    include: bool = True


@dataclass
class NicSpec:
    source_index: int = 0
    name: str = "Network Adapter"
    switch: str = ""  # "" = not connected
    vlan_id: int | None = None
    static_mac: str = ""  # "" = dynamic MAC; else the MAC to keep, 12 hex digits or colon form
    legacy: bool = False  # Generation 1 legacy adapter (for PXE on Gen 1 only)


@dataclass
class DeviceChoice:
    """What to do with one unsupported source device (``device_label`` from the inventory)."""

    device_label: str = ""
    kind: str = ""
    action: DeviceAction = DeviceAction.DROP


@dataclass
class GuestFixups:
    remove_vmware_tools: bool = True
    reapply_static_ips: bool = True
    bring_disks_online: bool = True
    linux_initramfs_drivers: bool = True
    # Prepare a Linux guest's disks offline for Hyper-V (wizard.guests, libguestfs) after converting them; the
    # setting ``guest.prepare_linux``. It runs only where libguestfs works; elsewhere the manual steps stay.
    prepare_linux: bool = True


@dataclass
class VMSpec:
    """The Hyper-V VM to build. Values use Hyper-V's own vocabulary (cmdlet parameter values)."""

    name: str = ""
    generation: int = 2
    version: str = ""  # configuration version, "" = host default
    cpus: int = 1
    memory: MemorySpec = field(default_factory=MemorySpec)
    secure_boot: bool = True
    secure_boot_template: str = "MicrosoftWindows"  # or MicrosoftUEFICertificateAuthority
    tpm: bool = False
    expose_virtualization_extensions: bool = False
    disks: list[DiskSpec] = field(default_factory=list)
    nics: list[NicSpec] = field(default_factory=list)
    devices: list[DeviceChoice] = field(default_factory=list)
    checkpoint_type: str = "Production"  # Disabled | Production | ProductionOnly | Standard
    automatic_start_action: str = "Nothing"  # Nothing | StartIfRunning | Start
    automatic_stop_action: str = "ShutDown"  # TurnOff | Save | ShutDown
    automatic_start_delay: int = 0
    integration_services: dict[str, bool] = field(default_factory=dict)  # e.g. {"Guest Service Interface": True}
    fixups: GuestFixups = field(default_factory=GuestFixups)
    keep_bios_uuid: bool = True
    notes: str = ""
    path: str = ""  # VM configuration folder on the host, "" = host default


@dataclass
class NetworkMapping:
    source_network: str = ""
    switch: str = ""
    vlan_id: int | None = None


SOURCE_POLICIES = ("as-is", "snapshot", "shutdown", "sync")


# How much room a planned VM's disks take at the target (the free-space checks and the estimates use it): a
# fixed VHD/VHDX takes its capacity; a dynamic one the data its source disk actually holds
# (``Disk.allocated_bytes``, an upper bound read by discovery from grain tables or SEEK_DATA) plus the format's
# metadata (block allocation table, headers, and the partial blocks the data lands in), never more than the
# capacity plus that metadata; a disk whose allocation is unknown counts at its capacity. SPACE_MARGIN is added
# on top: file systems round up, and a VM running while it is copied keeps writing.
SPACE_MARGIN = 0.10
_VHDX_METADATA = 8 * MiB  # VHDX headers, region table, metadata region and log


def disk_bytes(capacity: int, allocated: int | None, dynamic: bool, block_size: int) -> int:
    """Bytes one converted disk takes (see above)."""
    bat = (capacity // max(block_size, 1) + 1) * 8
    if not dynamic or allocated is None:
        return capacity + _VHDX_METADATA + bat
    # data lands in whole blocks: allow one partly used block per 64 allocated ones (runs are rarely aligned)
    slack = min(capacity, (allocated // (64 * max(block_size, 1)) + 1) * block_size)
    return min(capacity, allocated + slack) + _VHDX_METADATA + bat


@dataclass
class PlanItem:
    """One VM to migrate: the source facts as assessed, the target spec and what was decided."""

    vm: SourceVM = field(default_factory=SourceVM)
    target: VMSpec = field(default_factory=VMSpec)
    template: str = ""
    applied: list[str] = field(default_factory=list)  # rule codes whose adjustment shaped ``target``
    # What may be done to the source VM so its disks can be read consistently: "as-is" (read them as they
    # are; right for powered-off VMs), "snapshot" (read a snapshot taken for the copy, then remove it) or
    # "shutdown" (shut the guest down first) or "sync" (copy it while it runs, keep the copy current with
    # changed block tracking, shut it down only for the cut-over; wizard.migrate.sync). See wizard.sources.base.
    source_policy: str = "as-is"

    def space_needed(self) -> int:
        """Bytes the included disks take at the target, with the margin (see :func:`disk_bytes`)."""
        total = 0
        for d in self.target.disks:
            if not d.include:
                continue
            source = self.vm.disks[d.source_index] if 0 <= d.source_index < len(self.vm.disks) else None
            allocated = 0 if source is not None and source.no_file else (source.allocated_bytes if source else None)
            total += disk_bytes(max(0, d.capacity_bytes), allocated, d.type is DiskType.DYNAMIC, d.block_size_bytes)
        return int(total * (1 + SPACE_MARGIN))


@dataclass
class Plan:
    source: SourceRef = field(default_factory=SourceRef)
    target_version: str = "unknown"  # 2016 | 2019 | 2022 | 2025 | unknown
    created_at: str = ""
    created_by: str = ""  # "hvmigrate <version>"
    network_map: list[NetworkMapping] = field(default_factory=list)
    items: list[PlanItem] = field(default_factory=list)

    def to_json(self) -> dict:
        return dump_document(self, PLAN_KIND, PLAN_VERSION)

    @classmethod
    def from_json(cls, data: object, source: str = "<plan>") -> Plan:
        return parse_document(cls, data, PLAN_KIND, PLAN_VERSION, source)

    def save(self, path: str | Path) -> None:
        write_json_atomic(path, self.to_json())

    @classmethod
    def load(cls, path: str | Path) -> Plan:
        return cls.from_json(read_json(path), str(path))

    def estimate(self, rate: float = ASSUMED_RATE) -> tuple[int, float]:
        """(bytes needed on the target, the same the free-space checks use: :meth:`PlanItem.space_needed`;
        seconds at ``rate`` bytes/s for the data to copy)."""
        space = sum(item.space_needed() for item in self.items)
        return space, (space / (1 + SPACE_MARGIN)) / rate if space else 0.0

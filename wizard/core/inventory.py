"""The source-side inventory: what discovery found about each VM, independent of where it came from.

Providers (``wizard.sources``) fill these dataclasses; rules (``wizard.compat``) and the plan read them.
Field values use the vocabulary of the enums below so that rules never parse provider-specific strings.
Facts a provider cannot know stay at their "unknown" default (``None``, ``""`` or ``UNKNOWN``): rules treat
unknown as "cannot tell", never as "fine".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from wizard.core.serial import dump_document, parse_document, read_json, write_json_atomic

INVENTORY_KIND = "inventory"
INVENTORY_VERSION = 1


class Firmware(StrEnum):
    BIOS = "bios"
    EFI = "efi"


class PowerState(StrEnum):
    ON = "poweredOn"
    OFF = "poweredOff"
    SUSPENDED = "suspended"
    UNKNOWN = "unknown"


class Controller(StrEnum):
    """Disk controller kinds as the guest sees them."""

    IDE = "ide"
    SATA = "sata"
    NVME = "nvme"
    PVSCSI = "pvscsi"
    LSILOGIC = "lsilogic"
    LSILOGIC_SAS = "lsilogicsas"
    BUSLOGIC = "buslogic"
    VIRTIO = "virtio"  # VirtualBox virtio-scsi
    SCSI = "scsi"  # SCSI of unknown model
    UNKNOWN = "unknown"


class Backing(StrEnum):
    FLAT = "flat"  # monolithicFlat, vmfs, -flat.vmdk, thick
    SPARSE = "sparse"  # monolithicSparse, vmfsThin seen through a datastore, VMware hosted sparse
    SESPARSE = "sesparse"
    VMFS_SPARSE = "vmfs_sparse"  # an ESXi snapshot delta (-delta.vmdk, createType vmfsSparse)
    STREAM = "stream"  # streamOptimized (OVF/OVA)
    RDM_VIRTUAL = "rdm_virtual"
    RDM_PHYSICAL = "rdm_physical"
    VDI = "vdi"
    VHD = "vhd"
    VHDX = "vhdx"
    RAW = "raw"
    OTHER = "other"
    UNKNOWN = "unknown"


class DiskMode(StrEnum):
    PERSISTENT = "persistent"
    INDEPENDENT_PERSISTENT = "independent_persistent"
    INDEPENDENT_NONPERSISTENT = "independent_nonpersistent"
    NONPERSISTENT = "nonpersistent"
    UNDOABLE = "undoable"
    APPEND = "append"
    UNKNOWN = "unknown"


class Sharing(StrEnum):
    NONE = "none"
    MULTI_WRITER = "multi_writer"
    SCSI_BUS_SHARED = "scsi_bus_shared"  # physical/virtual SCSI bus sharing (clusters)


class Provisioning(StrEnum):
    THIN = "thin"
    THICK_LAZY = "thick_lazy"
    THICK_EAGER = "thick_eager"
    UNKNOWN = "unknown"


class DeviceKind(StrEnum):
    CDROM = "cdrom"
    FLOPPY = "floppy"
    USB_CONTROLLER = "usb_controller"
    USB = "usb"
    SERIAL = "serial"
    PARALLEL = "parallel"
    PCI_PASSTHROUGH = "pci_passthrough"
    VGPU = "vgpu"
    SOUND = "sound"
    SMART_CARD = "smart_card"
    NVDIMM = "nvdimm"  # persistent memory; its contents live in a file of their own that is never copied
    GPU_3D = "gpu_3d"  # the VMware SVGA adapter with 3D acceleration on
    OTHER = "other"


@dataclass
class GuestOS:
    """Guest OS as configured (``id``/``full_name``) and as reported by tools (``running_*``).

    ``id`` is the VMware guest id (e.g. ``windows2019srv_64Guest``) or the local format's equivalent
    mapped to it; ``family`` is ``windows`` | ``linux`` | ``freebsd`` | ``other`` | ``""`` (unknown);
    ``bits`` 32/64 or ``None`` when unknown.
    """

    id: str = ""
    full_name: str = ""
    running_id: str = ""
    running_full_name: str = ""
    family: str = ""
    bits: int | None = None


@dataclass
class Disk:
    """One virtual disk. ``path`` locates the top (newest) file; ``chain`` lists every file from the
    base to the top for delta disks (empty when there is no snapshot chain)."""

    label: str = ""
    key: str = ""
    controller: Controller = Controller.UNKNOWN
    controller_model: str = ""  # provider's own name, e.g. "ParaVirtualSCSIController"
    bus: int = 0
    unit: int = 0
    capacity_bytes: int = 0
    backing: Backing = Backing.UNKNOWN
    provisioning: Provisioning = Provisioning.UNKNOWN
    mode: DiskMode = DiskMode.PERSISTENT
    sharing: Sharing = Sharing.NONE
    datastore: str = ""
    path: str = ""
    chain: list[str] = field(default_factory=list)
    file_format: str = ""  # vmdk | vdi | vhd | vhdx | raw | qcow2
    encrypted: bool = False
    vsan: bool = False
    device_name: str = ""  # RDM LUN / device path when relevant
    # What the disk holds, read from its first sectors (wizard.disks.partitions): "gpt-esp" (GPT with an EFI
    # system partition), "gpt-bios" (GPT with a BIOS boot partition), "gpt", "mbr-boot" (boot code and an
    # active partition), "mbr", "blank" (no partition table), "" (not read)
    content: str = ""
    allocated_bytes: int | None = None  # bytes of data the disk file actually holds; None = unknown
    configurations: list[str] = field(default_factory=list)  # OVF deployment options it belongs to; [] = all
    no_file: bool = False  # an OVF disk without a file: created empty (of capacity_bytes) on deployment


@dataclass
class Nic:
    label: str = ""
    model: str = ""  # vmxnet3 | vmxnet2 | vmxnet | e1000 | e1000e | vlance | sriov | virtio | pcnet | ...
    mac: str = ""  # lower-case, colon separated
    mac_type: str = ""  # assigned | manual | generated | static
    network: str = ""  # network or port group name
    network_kind: str = ""  # standard | distributed | opaque | nat | bridged | hostonly | internal | ...
    vlan: int | None = None
    connected: bool = True
    start_connected: bool = True
    configurations: list[str] = field(default_factory=list)  # OVF deployment options it belongs to; [] = all


@dataclass
class GuestIP:
    """An address the guest had, as reported by tools. ``origin``: dhcp | manual | linklayer | ... | ""."""

    address: str = ""
    prefix_length: int | None = None
    origin: str = ""
    mac: str = ""
    gateways: list[str] = field(default_factory=list)
    dns_servers: list[str] = field(default_factory=list)


@dataclass
class Device:
    kind: DeviceKind = DeviceKind.OTHER
    label: str = ""
    backing: str = ""  # e.g. host device path, ISO file, "network", "pipe"
    connected: bool = False
    details: str = ""


COPY_SNAPSHOT_NAME = "hvmigrate copy"  # the snapshot a migration of a running vSphere VM reads from


@dataclass
class Snapshot:
    """A snapshot in the tree; ``parent`` is the parent's ``id`` ("" for a root)."""

    id: str = ""
    name: str = ""
    parent: str = ""
    created: str = ""  # ISO 8601
    description: str = ""
    power_state: PowerState = PowerState.UNKNOWN
    quiesced: bool = False


@dataclass
class DeploymentOption:
    """One OVF ``DeploymentOptionSection/Configuration``: its hardware (0 = as the VM's defaults)."""

    id: str = ""
    label: str = ""
    description: str = ""
    cpus: int = 0
    memory_mb: int = 0


@dataclass
class SourceVM:
    """Everything discovery knows about one VM. ``id`` is stable within its source (moref, file path)."""

    id: str = ""
    name: str = ""
    source_kind: str = ""  # vsphere | vmx | ovf | ova | vbox | demo
    instance_uuid: str = ""
    bios_uuid: str = ""
    datacenter: str = ""
    folder: str = ""
    cluster: str = ""
    host: str = ""
    config_path: str = ""  # datastore path of the .vmx, local path of the .vmx/.ovf/.vbox
    guest: GuestOS = field(default_factory=GuestOS)
    firmware: Firmware = Firmware.BIOS
    secure_boot: bool = False
    vtpm: bool = False
    cpus: int = 1
    cores_per_socket: int = 1
    memory_mb: int = 0
    cpu_hot_add: bool = False
    memory_hot_add: bool = False
    hardware_version: str = ""  # vmx-19, "" when unknown
    disks: list[Disk] = field(default_factory=list)
    nics: list[Nic] = field(default_factory=list)
    devices: list[Device] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)
    current_snapshot: str = ""
    power_state: PowerState = PowerState.UNKNOWN
    tools_status: str = ""  # ok | old | notRunning | notInstalled | ""
    tools_version: str = ""
    hostname: str = ""
    guest_ips: list[GuestIP] = field(default_factory=list)
    encrypted: bool = False
    annotation: str = ""
    hibernated: bool | None = None  # True when the guest is known hibernated / Fast Startup left it dirty
    template: bool = False
    # The VM's own boot settings: disk keys (``Disk.key``) in the order its firmware tries them (.vmx
    # bios.hddOrder / bios.bootOrder, a .vbox Boot order, an OVF BootOrderSection); [] = not set
    boot_order: list[str] = field(default_factory=list)
    nested_virtualization: bool = False  # VMware nestedHVEnabled / vhv.enable
    clean_shutdown: bool | None = None  # .vmx cleanShutdown: False = copied while running, or after a crash
    properties: dict[str, str] = field(default_factory=dict)  # OVF ProductSection (vApp) properties: key → value
    deployment_options: list[DeploymentOption] = field(default_factory=list)  # OVF DeploymentOptionSection
    deployment_option: str = ""  # the option the package marks default (else its first)
    extra: dict[str, str] = field(default_factory=dict)  # provider facts without a field yet

    @property
    def disks_as_discovered(self) -> list[Disk]:
        """The disks the VM has as discovered: for an OVF with deployment options, the default option's (the
        others' stay in ``disks`` for a plan that chooses another option)."""
        return [d for d in self.disks if in_configuration(d.configurations, self.deployment_option)]

    @property
    def total_disk_bytes(self) -> int:
        """Capacity of the disks the VM has as discovered (for an OVF with deployment options: the default's)."""
        return sum(d.capacity_bytes for d in self.disks_as_discovered)


def in_configuration(configurations: list[str], option: str) -> bool:
    """True when an OVF item tagged ``configurations`` ([] = every one) belongs to deployment ``option``."""
    return not configurations or not option or option in configurations


@dataclass
class Inventory:
    """A discovery result. ``source`` describes where it came from without any secret."""

    source: str = ""
    source_kind: str = ""
    collected_at: str = ""
    vms: list[SourceVM] = field(default_factory=list)

    def to_json(self) -> dict:
        return dump_document(self, INVENTORY_KIND, INVENTORY_VERSION)

    @classmethod
    def from_json(cls, data: object, source: str = "<inventory>") -> Inventory:
        return parse_document(cls, data, INVENTORY_KIND, INVENTORY_VERSION, source)

    def save(self, path: str | Path) -> None:
        write_json_atomic(path, self.to_json())

    @classmethod
    def load(cls, path: str | Path) -> Inventory:
        return cls.from_json(read_json(path), str(path))

    def find(self, name_or_id: str) -> SourceVM | None:
        for vm in self.vms:
            if vm.id == name_or_id or vm.name == name_or_id:
                return vm
        return None

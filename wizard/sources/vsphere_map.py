"""pyVmomi data objects → :mod:`wizard.core.inventory` dataclasses.

Contract: :func:`map_vm` takes one VM's properties as a ``{property path: value}`` mapping (what the
PropertyCollector returned; any path may be absent) and a :class:`MapContext` with the names of the
surrounding inventory. It never raises for a missing or unset property: the fact keeps the inventory's
"unknown" default and the gap is recorded in ``vm.extra["vsphere.missing"]``. Nothing here talks to
the server: device and backing objects are plain pyVmomi data objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyVmomi import vim

from wizard.core.inventory import (
    Backing,
    Controller,
    Device,
    DeviceKind,
    Disk,
    DiskMode,
    Firmware,
    GuestOS,
    Nic,
    PowerState,
    Provisioning,
    Sharing,
    SourceVM,
)
from wizard.sources.vsphere_guest import TOOLS_STATUS, guest_bits, guest_family, map_guest_ips, map_snapshots, moid
from wizard.sources.vsphere_paths import (
    Entity,
    MapContext,
    datastore_dc_path,
    display_name,
    place,
    split_datastore_path,
)

_dev = vim.vm.device


# ---- small helpers -----------------------------------------------------------------------------------

def _get(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if obj is None:
            return default
        obj = getattr(obj, name, None)
    return default if obj is None else obj


def _wsdl(obj: Any) -> str:
    return getattr(type(obj), "_wsdlName", type(obj).__name__)


# ---- devices -----------------------------------------------------------------------------------------

_CONTROLLERS: list[tuple[type, Controller]] = [
    (_dev.ParaVirtualSCSIController, Controller.PVSCSI),
    (_dev.VirtualLsiLogicSASController, Controller.LSILOGIC_SAS),
    (_dev.VirtualLsiLogicController, Controller.LSILOGIC),
    (_dev.VirtualBusLogicController, Controller.BUSLOGIC),
    (_dev.VirtualNVMEController, Controller.NVME),
    (_dev.VirtualSATAController, Controller.SATA),  # includes VirtualAHCIController
    (_dev.VirtualIDEController, Controller.IDE),
    (_dev.VirtualSCSIController, Controller.SCSI),
]

_MODES = {m.value: m for m in DiskMode}


def controller_kind(ctrl: Any) -> Controller:
    for cls, kind in _CONTROLLERS:
        if isinstance(ctrl, cls):
            return kind
    return Controller.UNKNOWN


def _backing_kind(b: Any) -> Backing:
    if isinstance(b, _dev.VirtualDisk.RawDiskMappingVer1BackingInfo):
        return Backing.RDM_PHYSICAL if b.compatibilityMode == "physicalMode" else Backing.RDM_VIRTUAL
    if isinstance(b, _dev.VirtualDisk.SeSparseBackingInfo):
        return Backing.SESPARSE
    if isinstance(b, (_dev.VirtualDisk.SparseVer2BackingInfo, _dev.VirtualDisk.SparseVer1BackingInfo)):
        return Backing.SPARSE
    if isinstance(b, (_dev.VirtualDisk.FlatVer2BackingInfo, _dev.VirtualDisk.FlatVer1BackingInfo)):
        return Backing.FLAT
    return Backing.OTHER if b is not None else Backing.UNKNOWN


def map_disk(d: Any, controllers: Mapping[int, Any], ctx: MapContext) -> Disk:
    b = d.backing
    ctrl = controllers.get(d.controllerKey)
    disk = Disk(
        label=_get(d, "deviceInfo", "label", default=""),
        key=str(d.key),
        controller=controller_kind(ctrl) if ctrl is not None else Controller.UNKNOWN,
        controller_model=_wsdl(ctrl) if ctrl is not None else "",
        bus=int(_get(ctrl, "busNumber", default=0)),
        unit=int(d.unitNumber or 0),
        capacity_bytes=int(d.capacityInBytes or 0) or int(d.capacityInKB or 0) * 1024,
        backing=_backing_kind(b),
        file_format="vmdk",
    )
    if b is None:
        return disk
    mode = str(getattr(b, "diskMode", "") or "")
    disk.mode = _MODES.get(mode, DiskMode.UNKNOWN if mode else DiskMode.PERSISTENT)
    if isinstance(b, _dev.VirtualDisk.FlatVer2BackingInfo):
        if b.thinProvisioned:
            disk.provisioning = Provisioning.THIN
        else:
            disk.provisioning = Provisioning.THICK_EAGER if b.eagerlyScrub else Provisioning.THICK_LAZY
    elif disk.backing in (Backing.SPARSE, Backing.SESPARSE):
        disk.provisioning = Provisioning.THIN
    if getattr(b, "sharing", None) == "sharingMultiWriter":
        disk.sharing = Sharing.MULTI_WRITER
    elif getattr(ctrl, "sharedBus", "noSharing") in ("physicalSharing", "virtualSharing"):
        disk.sharing = Sharing.SCSI_BUS_SHARED
    ds_id = moid(getattr(b, "datastore", None))
    ds_name, ds_type = ctx.datastores.get(ds_id, ("", ""))
    disk.path = str(getattr(b, "fileName", "") or "")
    disk.datastore = ds_name or split_datastore_path(disk.path)[0]
    disk.vsan = ds_type.lower() == "vsan"
    disk.encrypted = getattr(b, "keyId", None) is not None
    if disk.backing in (Backing.RDM_PHYSICAL, Backing.RDM_VIRTUAL):
        disk.device_name = str(b.deviceName or b.lunUuid or "")
    chain: list[str] = []
    cur = getattr(b, "parent", None)
    while cur is not None and len(chain) < 256:
        chain.append(str(getattr(cur, "fileName", "") or ""))
        cur = getattr(cur, "parent", None)
    if chain:
        disk.chain = [*reversed(chain), disk.path]
    return disk


_NIC_MODELS: list[tuple[type, str]] = [
    (_dev.VirtualVmxnet3, "vmxnet3"),
    (_dev.VirtualVmxnet2, "vmxnet2"),
    (_dev.VirtualVmxnet, "vmxnet"),
    (_dev.VirtualE1000e, "e1000e"),
    (_dev.VirtualE1000, "e1000"),
    (_dev.VirtualPCNet32, "vlance"),
    (_dev.VirtualSriovEthernetCard, "sriov"),
]


def map_nic(n: Any, host_id: str, ctx: MapContext) -> Nic:
    nic = Nic(
        label=_get(n, "deviceInfo", "label", default=""),
        model=next((name for cls, name in _NIC_MODELS if isinstance(n, cls)), _wsdl(n)),
        mac=str(n.macAddress or "").lower(),
        mac_type=str(n.addressType or ""),
        connected=bool(_get(n, "connectable", "connected", default=False)),
        start_connected=bool(_get(n, "connectable", "startConnected", default=False)),
    )
    b = n.backing
    if isinstance(b, _dev.VirtualEthernetCard.DistributedVirtualPortBackingInfo):
        key = str(_get(b, "port", "portgroupKey", default=""))
        nic.network_kind = "distributed"
        name, nic.vlan = ctx.dvpg_by_key.get(key, (key, None))
        nic.network = display_name(name)
    elif isinstance(b, _dev.VirtualEthernetCard.OpaqueNetworkBackingInfo):
        nic.network_kind = "opaque"
        nic.network = str(b.opaqueNetworkId or "")
    elif isinstance(b, _dev.VirtualEthernetCard.NetworkBackingInfo):
        nic.network_kind = "standard"
        nic.network = str(b.deviceName or "") or display_name(ctx.entities.get(moid(b.network), Entity("", "")).name)
        vlan = ctx.host_vlans.get(host_id, {}).get(nic.network)
        nic.vlan = vlan if vlan is not None and 0 <= vlan < 4095 else None
    return nic


def _backing_text(b: Any) -> str:
    if b is None:
        return ""
    if isinstance(b, _dev.VirtualSerialPort.PipeBackingInfo):
        return f"pipe {b.pipeName} ({b.endpoint})"
    if isinstance(b, _dev.VirtualSerialPort.URIBackingInfo):
        return f"network {b.serviceURI} ({b.direction})"
    if isinstance(b, _dev.VirtualSerialPort.ThinPrintBackingInfo):
        return "thinprint"
    if isinstance(b, _dev.VirtualDevice.FileBackingInfo):
        return f"file {b.fileName}"
    if isinstance(b, _dev.VirtualDevice.DeviceBackingInfo):
        return f"host device {b.deviceName}"
    if isinstance(b, _dev.VirtualDevice.RemoteDeviceBackingInfo):
        return f"client device {b.deviceName}"
    return _wsdl(b)


def map_device(d: Any) -> Device | None:
    """Devices migration cares about; None for the ones every VM has (keyboard, video, PCI bus, ...)."""
    kind: DeviceKind | None = None
    details = ""
    if isinstance(d, _dev.VirtualCdrom):
        kind = DeviceKind.CDROM
    elif isinstance(d, _dev.VirtualFloppy):
        kind = DeviceKind.FLOPPY
    elif isinstance(d, _dev.VirtualUSBXHCIController):
        kind, details = DeviceKind.USB_CONTROLLER, "usb3 (xHCI)"
    elif isinstance(d, _dev.VirtualUSBController):
        kind, details = DeviceKind.USB_CONTROLLER, "usb2 (EHCI+UHCI)" if d.ehciEnabled else "usb1 (UHCI)"
    elif isinstance(d, _dev.VirtualUSB):
        kind, details = DeviceKind.USB, ", ".join(d.family or [])
    elif isinstance(d, _dev.VirtualSerialPort):
        kind = DeviceKind.SERIAL
    elif isinstance(d, _dev.VirtualParallelPort):
        kind = DeviceKind.PARALLEL
    elif isinstance(d, _dev.VirtualPCIPassthrough):
        b = d.backing
        if isinstance(b, _dev.VirtualPCIPassthrough.VmiopBackingInfo):
            return Device(DeviceKind.VGPU, _get(d, "deviceInfo", "label", default=""), f"vGPU {b.vgpu}",
                          True, f"profile {b.vgpu}")
        kind = DeviceKind.PCI_PASSTHROUGH
        details = str(getattr(b, "id", "") or getattr(b, "deviceName", "") or "")
    elif isinstance(d, _dev.VirtualSoundCard):
        kind, details = DeviceKind.SOUND, _wsdl(d)
    if kind is None:
        return None
    return Device(kind=kind, label=_get(d, "deviceInfo", "label", default=""), backing=_backing_text(d.backing),
                  connected=bool(_get(d, "connectable", "connected", default=False)), details=details)


# Devices every VM has, which Hyper-V provides by itself: dropped without a word.
_IGNORED_DEVICES = (_dev.VirtualController, _dev.VirtualKeyboard, _dev.VirtualPointingDevice,
                    _dev.VirtualVideoCard, _dev.VirtualVMCIDevice, _dev.VirtualVMIROM)


# ---- the VM ------------------------------------------------------------------------------------------

def map_vm(vm_id: str, props: Mapping[str, Any], ctx: MapContext, missing: list[str] | None = None) -> SourceVM:
    """One VM from its property set. ``missing`` lists paths the server reported as missing."""
    p = props.get
    raw_name = str(p("name") or vm_id)
    vm = SourceVM(id=vm_id, name=display_name(raw_name), source_kind="vsphere")
    if vm.name != raw_name:
        vm.extra["vsphere.name"] = raw_name  # as the API knows it
    gaps = list(missing or [])
    warnings: list[str] = []
    if p("config.hardware.device") is None and p("config.uuid") is None:
        gaps.append("config")
        warnings.append("vCenter reports no configuration for this VM (inaccessible, orphaned or being "
                        "created); its hardware is unknown and it cannot be migrated as it is.")
    vm.instance_uuid = str(p("config.instanceUuid") or "")
    vm.bios_uuid = str(p("config.uuid") or "")
    host_id = moid(p("runtime.host"))
    where = place(ctx, moid(p("parent")) or moid(p("parentVApp")), host_id)  # a vApp's VMs have no folder
    vm.datacenter, vm.folder, vm.cluster, vm.host = (where[k] for k in ("datacenter", "folder", "cluster", "host"))
    if where["dc_path"]:
        vm.extra["vsphere.dcPath"] = where["dc_path"]
    vm.config_path = str(p("config.files.vmPathName") or "")
    gid = str(p("config.guestId") or "")
    vm.guest = GuestOS(id=gid, full_name=str(p("config.guestFullName") or ""),
                       running_id=str(p("guest.guestId") or ""), running_full_name=str(p("guest.guestFullName") or ""),
                       family=guest_family(gid or str(p("guest.guestId") or "")),
                       bits=guest_bits(gid or str(p("guest.guestId") or "")))
    vm.firmware = Firmware.EFI if p("config.firmware") == "efi" else Firmware.BIOS
    vm.secure_boot = bool(_get(p("config.bootOptions"), "efiSecureBootEnabled", default=False))
    vm.cpus = int(p("config.hardware.numCPU") or 1)
    vm.cores_per_socket = int(p("config.hardware.numCoresPerSocket") or 1)
    vm.memory_mb = int(p("config.hardware.memoryMB") or 0)
    vm.cpu_hot_add = bool(p("config.cpuHotAddEnabled"))
    vm.memory_hot_add = bool(p("config.memoryHotAddEnabled"))
    vm.hardware_version = str(p("config.version") or "")
    vm.template = bool(p("config.template"))
    vm.annotation = str(p("config.annotation") or "")
    vm.encrypted = p("config.keyId") is not None
    state = str(p("runtime.powerState") or "")
    vm.power_state = PowerState(state) if state in PowerState._value2member_map_ else PowerState.UNKNOWN
    vm.tools_status = TOOLS_STATUS.get(str(p("guest.toolsStatus") or ""), "")
    vm.tools_version = str(p("guest.toolsVersion") or "")
    if p("guest.toolsVersionStatus2"):
        vm.extra["vsphere.toolsVersionStatus2"] = str(p("guest.toolsVersionStatus2"))
    if p("runtime.connectionState") not in (None, "connected"):
        state = str(p("runtime.connectionState"))
        vm.extra["vsphere.connectionState"] = state
        warnings.append(f"vCenter marks this VM {state}: its files or host cannot be reached; fix that in "
                        "vCenter before migrating it.")
    if vm.template:
        warnings.append("This is a template, not a VM: migrating it creates a normal Hyper-V VM.")
    vm.hostname = str(p("guest.hostName") or "")
    vm.guest_ips = map_guest_ips(p("guest.net"), p("guest.ipStack"))
    vm.snapshots, vm.current_snapshot = map_snapshots(p("snapshot"))

    devices = list(p("config.hardware.device") or [])
    controllers = {d.key: d for d in devices if isinstance(d, _dev.VirtualController)}
    for d in devices:
        if isinstance(d, _dev.VirtualDisk):
            disk = map_disk(d, controllers, ctx)
            vm.disks.append(disk)
            ds_dc = datastore_dc_path(ctx, moid(getattr(d.backing, "datastore", None)))
            if ds_dc and ds_dc != where["dc_path"]:
                vm.extra[f"vsphere.dcPath.{disk.key}"] = ds_dc  # the URL needs the datastore's datacenter
        elif isinstance(d, _dev.VirtualEthernetCard):
            vm.nics.append(map_nic(d, host_id, ctx))
        elif isinstance(d, _dev.VirtualTPM):
            vm.vtpm = True
        else:
            dev = map_device(d)
            if dev is not None:
                vm.devices.append(dev)
            elif not isinstance(d, _IGNORED_DEVICES) or type(d) is _dev.VirtualDevice:
                label = _get(d, "deviceInfo", "label", default="") or _wsdl(d)
                warnings.append(f"Device {label!r} ({_wsdl(d)}) is not known to this tool and is not migrated.")
    vm.encrypted = vm.encrypted or any(d.encrypted for d in vm.disks)
    if gaps:
        vm.extra["vsphere.missing"] = ", ".join(sorted(set(gaps)))
    if warnings:
        vm.extra["warnings"] = "\n".join(warnings)
    return vm

"""One OVF ``VirtualSystem`` → :class:`SourceVM`, by CIM ``ResourceType`` (DSP0004 / DSP8023 values).

Handled: 3 processor, 4 memory, 5 IDE, 6 parallel SCSI (``ResourceSubType`` lsilogic, VirtualSCSI,
buslogic, lsilogicsas), 20 other storage (VMware: ``vmware.sata.ahci``, ``vmware.nvme.controller``),
10 Ethernet (``ResourceSubType`` VmxNet3, E1000, E1000e, PCNet32…), 17 disk (``HostResource``
``ovf:/disk/ID``), 14 floppy, 15/16 CD/DVD, 21 serial, 22 parallel, 23 USB, 35 sound; VMware's
``vmw:Config``/``vmw:ExtraConfig`` keys for firmware, Secure Boot, hot add and vTPM.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from wizard.core.errors import InputError
from wizard.core.inventory import (
    Backing,
    Controller,
    DeploymentOption,
    Device,
    DeviceKind,
    Disk,
    Firmware,
    Nic,
    PowerState,
    Provisioning,
    SourceVM,
    in_configuration,
)
from wizard.sources.guestids import ARM_WARNING, cim_guest, friendly_name, guest_from_id, is_arm, vbox_to_vsphere
from wizard.sources.ovfxml import attr, child, children, descendants, local, text_of, unit_multiplier
from wizard.sources.vmxparse import as_int, mac_from_vmx


@dataclass
class OvfFile:
    id: str
    href: str
    size: int
    compression: str = ""
    chunk_size: str = ""


@dataclass
class OvfDisk:
    id: str
    capacity_bytes: int
    file_ref: str
    format: str
    unresolved_capacity: str = ""  # e.g. "${disk.size}" — a property we cannot evaluate


_SCSI_SUBTYPES = {"lsilogic": Controller.LSILOGIC, "virtualscsi": Controller.PVSCSI, "pvscsi": Controller.PVSCSI,
                  "buslogic": Controller.BUSLOGIC, "lsilogicsas": Controller.LSILOGIC_SAS}
_NIC_MODELS = {"vmxnet3": "vmxnet3", "vmxnet2": "vmxnet2", "vmxnet": "vmxnet", "e1000": "e1000", "e1000e": "e1000e",
               "pcnet32": "vlance", "pcnet": "pcnet", "virtio": "virtio", "am79c973": "pcnet", "am79c970a": "pcnet",
               "82540em": "e1000", "82543gc": "e1000", "82545em": "e1000", "sriovethernetcard": "sriov"}
_SIMPLE_DEVICES = {14: (DeviceKind.FLOPPY, "Floppy drive"), 15: (DeviceKind.CDROM, "CD/DVD drive"),
                   16: (DeviceKind.CDROM, "CD/DVD drive"), 21: (DeviceKind.SERIAL, "Serial port"),
                   22: (DeviceKind.PARALLEL, "Parallel port"), 35: (DeviceKind.SOUND, "Sound card")}
_TRUE = ("true", "1", "yes")


def _rasd(item: ET.Element) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for c in item:
        values.setdefault(local(c.tag), []).append((c.text or "").strip())
    if "InstanceId" in values and "InstanceID" not in values:  # OVF 0.9 (rasd of CIM 2.x) spelled it so
        values["InstanceID"] = values["InstanceId"]
    return values


def section(el: ET.Element, name: str) -> ET.Element | None:
    """``el``'s child section ``name``: an element of that name, or OVF 0.9's ``Section xsi:type="ovf:NAME_Type"``."""
    found = child(el, name)
    if found is not None:
        return found
    return next((c for c in el if local(c.tag) == "Section" and attr(c, "type").endswith(f"{name}_Type")), None)


def _configurations(item: ET.Element) -> list[str]:
    """The deployment options an OVF item belongs to (``ovf:configuration="a b"``); [] = every option."""
    return attr(item, "configuration").split()


def deployment_options(root: ET.Element) -> tuple[list[DeploymentOption], str]:
    """The package's ``DeploymentOptionSection`` configurations and the default one (``ovf:default="true"``,
    else the first): ``([], "")`` when there is none."""
    options: list[DeploymentOption] = []
    default = ""
    for sec in descendants(root, "DeploymentOptionSection"):
        for conf in children(sec, "Configuration"):
            cid = attr(conf, "id")
            if not cid or any(o.id == cid for o in options):
                continue
            options.append(DeploymentOption(id=cid, label=text_of(conf, "Label"),
                                            description=text_of(conf, "Description")))
            if not default and attr(conf, "default").lower() in _TRUE:
                default = cid
    return options, default or (options[0].id if options else "")


def _one(values: dict[str, list[str]], key: str) -> str:
    return values.get(key, [""])[0]


def _backing_of(disk_format: str) -> tuple[Backing, str]:
    fmt = disk_format.lower()
    if "vmdk" in fmt:
        if "streamoptimized" in fmt:
            return Backing.STREAM, "vmdk"
        return (Backing.SPARSE if "sparse" in fmt else Backing.FLAT if "flat" in fmt else Backing.UNKNOWN), "vmdk"
    for name, backing in (("vhdx", Backing.VHDX), ("vhd", Backing.VHD), ("vdi", Backing.VDI), ("qcow", Backing.OTHER)):
        if name in fmt:
            return backing, name.replace("qcow", "qcow2")
    return Backing.UNKNOWN, ""


def _config(system: ET.Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for tag in ("Config", "ExtraConfig"):
        for el in descendants(system, tag):
            key = attr(el, "key")
            if key:
                out[key.lower()] = attr(el, "value")
    return out


def vm_from_system(system: ET.Element, files: dict[str, OvfFile], disks: dict[str, OvfDisk], where: str,
                   kind: str, disk_path: Callable[[str], str],
                   options: tuple[list[DeploymentOption], str] = ([], "")) -> SourceVM:
    sys_id = attr(system, "id")
    vm = SourceVM(id=f"{where}#{sys_id}", source_kind=kind, config_path=where, power_state=PowerState.OFF)
    vm.name = text_of(system, "Name") or sys_id or "unnamed"
    warnings: list[str] = []
    os_section = section(system, "OperatingSystemSection")
    if os_section is not None:
        os_type = attr(os_section, "osType") or text_of(os_section, "OSType")  # vmw:osType / vbox:OSType
        guest_id = os_type if os_type.endswith(("Guest", "Guest64")) else (vbox_to_vsphere(os_type) if os_type else "")
        description = text_of(os_section, "Description")
        if guest_id:
            vm.guest = guest_from_id(guest_id, description if description and description != os_type
                                     else friendly_name(guest_id) or description)
        else:
            vm.guest = cim_guest(as_int(attr(os_section, "id"), -1, 5), description)
        if is_arm(os_type):
            vm.extra["guest_arch"] = "arm64"
            warnings.append(f"guest type {os_type!r} {ARM_WARNING}")
    annotation = section(system, "AnnotationSection")
    vm.annotation = text_of(annotation, "Annotation")
    vm.deployment_options = [DeploymentOption(o.id, o.label, o.description) for o in options[0]]
    vm.deployment_option = options[1]
    _properties(vm, system)
    hw = section(system, "VirtualHardwareSection")
    if hw is None:
        raise InputError(f"VirtualSystem {sys_id!r} has no VirtualHardwareSection", path=where,
                         field=f"VirtualSystem[@ovf:id='{sys_id}']/VirtualHardwareSection")
    system_el = child(hw, "System")
    types = text_of(system_el, "VirtualSystemType").split()
    vm.hardware_version = next((t for t in types if re.fullmatch(r"vmx-\d+", t)), "")
    cfg = _config(hw)
    vm.firmware = Firmware.EFI if cfg.get("firmware", "").lower() == "efi" else Firmware.BIOS
    vm.secure_boot = (cfg.get("bootoptions.efisecurebootenabled", cfg.get("uefi.secureboot.enabled", "")).lower()
                      in _TRUE)
    vm.cpu_hot_add = cfg.get("cpuhotaddenabled", cfg.get("vcpu.hotadd", "")).lower() in _TRUE
    vm.memory_hot_add = cfg.get("memoryhotaddenabled", cfg.get("mem.hotadd", "")).lower() in _TRUE
    vm.vtpm = cfg.get("vtpm.present", "").lower() in _TRUE
    vm.nested_virtualization = cfg.get("nestedhvenabled", cfg.get("vhv.enable", "")).lower() in _TRUE
    if cfg.get("enable3dsupport", cfg.get("mks.enable3d", "")).lower() in _TRUE:
        vm.devices.append(Device(DeviceKind.GPU_3D, "3D acceleration", "svga", True, "enable3DSupport"))

    items = [el for el in hw if local(el.tag) in ("Item", "StorageItem", "EthernetPortItem")]
    option = vm.deployment_option
    by_option = {o.id: o for o in vm.deployment_options}
    chosen: dict[str, dict[str, int]] = {}  # "cpus"/"memory_mb" → option id ("" = untagged) → value
    own: set[tuple[str, str]] = set()  # (fact, option) set by an item tagged for the default option
    controllers: dict[str, tuple[Controller, str, int]] = {}
    counters: dict[Controller, int] = {}
    for item in items:
        v = _rasd(item)
        rtype = _one(v, "ResourceType")
        sub = _one(v, "ResourceSubType")
        iid = _one(v, "InstanceID")
        if rtype in ("5", "6", "20"):
            if rtype == "5":
                ctrl = Controller.IDE
            elif rtype == "6":
                ctrl = _SCSI_SUBTYPES.get(sub.lower(), Controller.SCSI)
            elif "nvme" in sub.lower():
                ctrl = Controller.NVME
            elif "sata" in sub.lower() or "ahci" in sub.lower():
                ctrl = Controller.SATA
            else:
                continue
            addr = _one(v, "Address")
            bus = as_int(addr, counters.get(ctrl, 0), 3)
            counters[ctrl] = counters.get(ctrl, 0) + 1
            controllers[iid] = (ctrl, sub or ctrl.value, bus)
    for item in items:
        v = _rasd(item)
        rtype = _one(v, "ResourceType")
        label = _one(v, "ElementName") or _one(v, "Caption")
        connected = _one(v, "AutomaticAllocation").lower() not in ("false", "0")
        configurations = _configurations(item)
        if rtype in ("3", "4"):
            # An item for some options only sets their value; untagged items set every option's default.
            # The VM as discovered is the default option's; the others are kept for the plan to choose from.
            if rtype == "3":
                value = max(1, as_int(_one(v, "VirtualQuantity"), 1, 5))
                cores = next((c.text or "" for c in item if local(c.tag) == "CoresPerSocket"), "").strip()
            else:
                units = unit_multiplier(_one(v, "AllocationUnits") or "byte * 2^20", where,
                                        "VirtualHardwareSection/Item[memory]/AllocationUnits")
                value = as_int(_one(v, "VirtualQuantity"), 0, 19) * units // 2**20
            name = "cpus" if rtype == "3" else "memory_mb"
            for oid in configurations or [""]:
                if oid == "" or oid in by_option:
                    chosen.setdefault(name, {})[oid] = value
            if configurations and option not in configurations or (not configurations and (name, option) in own):
                continue
            if configurations:
                own.add((name, option))
            if rtype == "3":
                vm.cpus, vm.cores_per_socket = value, max(1, as_int(cores, 1, 5))
            else:
                vm.memory_mb = value
        elif rtype == "10":
            model = _one(v, "ResourceSubType").lower().split()  # "VMXNET3 virtio": the first one VMware uses
            model_name = model[0] if model else ""
            vm.nics.append(Nic(label=label or f"Network adapter {len(vm.nics) + 1}",
                               model=_NIC_MODELS.get(model_name, model_name),
                               mac=mac_from_vmx(_one(v, "Address")), mac_type="manual" if _one(v, "Address") else "",
                               network=_one(v, "Connection"), connected=connected, start_connected=connected,
                               configurations=configurations))
        elif rtype == "17":
            disk = _disk(v, len(vm.disks), controllers, files, disks, where, disk_path, warnings)
            disk.configurations = configurations
            vm.disks.append(disk)
        elif rtype == "23":
            sub = _one(v, "ResourceSubType").lower()
            vm.devices.append(Device(DeviceKind.USB_CONTROLLER, label or "USB controller",
                                     sub.rsplit(".", 1)[-1] if sub else "usb", True, sub))
        elif rtype in ("1", "35") and "sound" in _one(v, "ResourceSubType").lower():
            vm.devices.append(Device(DeviceKind.SOUND, label or "Sound card", _one(v, "ResourceSubType"), True, ""))
        elif rtype == "1" and "vtpm" in _one(v, "ResourceSubType").lower():
            vm.vtpm = True
        elif as_int(rtype, -1, 3) in _SIMPLE_DEVICES:
            dk, name = _SIMPLE_DEVICES[as_int(rtype, -1, 3)]
            vm.devices.append(Device(dk, label or name, ",".join(v.get("HostResource", [])), connected,
                                     _one(v, "ResourceSubType")))
    for oid, o in by_option.items():  # an option no item names runs with the untagged (default) values
        cpus, memory = chosen.get("cpus", {}), chosen.get("memory_mb", {})
        o.cpus = cpus.get(oid, cpus.get("", vm.cpus))
        o.memory_mb = memory.get(oid, memory.get("", vm.memory_mb))
    machine = child(system, "Machine")
    if machine is not None:
        _vbox_machine(vm, machine)
    vm.boot_order = _boot_order(system, vm)
    if warnings:
        vm.extra["warnings"] = "\n".join(warnings)
    return vm


def property_name(product: ET.Element, key: str) -> str:
    """A ``ProductSection`` property's full name (DSP0243 9.5): ``class.instance.key``, ``class.key`` when the
    section has no instance, ``key`` when it has no class."""
    cls, instance = attr(product, "class"), attr(product, "instance")
    return f"{cls}.{instance}.{key}" if cls and instance else (f"{cls}.{key}" if cls else key)


def _properties(vm: SourceVM, system: ET.Element) -> None:
    """vApp properties (``ProductSection/Property``): what an appliance is configured with at deployment. Values
    of password properties are never kept."""
    for product in descendants(system, "ProductSection"):
        for prop in children(product, "Property"):
            key = attr(prop, "key")
            if key and in_configuration(_configurations(prop), vm.deployment_option):  # the default option's
                secret = attr(prop, "password").lower() in _TRUE
                vm.properties[property_name(product, key)] = "(password)" if secret else attr(prop, "value")


def _boot_order(system: ET.Element, vm: SourceVM) -> list[str]:
    """Disk keys from VMware's ``vmw:BootOrderSection`` (``vmw:type="disk"`` entries name item InstanceIDs)."""
    keys = {d.key for d in vm.disks}
    order: list[str] = []
    for sec in descendants(system, "BootOrderSection"):
        for entry in sec:
            iid = attr(entry, "instanceId") or attr(entry, "instanceID")
            if attr(entry, "type").lower() == "disk" and iid in keys and iid not in order:
                order.append(iid)
    return order


def _vbox_machine(vm: SourceVM, machine: ET.Element) -> None:
    """Facts a VirtualBox export keeps only in its ``vbox:Machine`` copy of the settings (the CIM items have no
    firmware, TPM or MAC addresses): without them an EFI guest would be planned as BIOS and not boot."""
    hw = child(machine, "Hardware")
    if hw is None:
        return
    fw = next(descendants(hw, "Firmware"), None)
    if fw is not None and attr(fw, "type").upper().startswith("EFI"):
        vm.firmware = Firmware.EFI
    tpm = next(descendants(hw, "TrustedPlatformModule"), None)
    if tpm is not None and attr(tpm, "type", "None").lower() not in ("none", ""):
        vm.vtpm = True
    adapters = sorted((as_int(attr(a, "slot"), 0, 3), attr(a, "MACAddress")) for a in descendants(hw, "Adapter")
                      if attr(a, "enabled").lower() in _TRUE)
    if len(adapters) == len(vm.nics):
        for nic, (_slot, mac) in zip(vm.nics, adapters, strict=True):
            if not nic.mac and mac_from_vmx(mac):
                nic.mac, nic.mac_type = mac_from_vmx(mac), "manual"


def _disk(v: dict[str, list[str]], index: int, controllers: dict[str, tuple[Controller, str, int]],
          files: dict[str, OvfFile], disks: dict[str, OvfDisk], where: str, disk_path: Callable[[str], str],
          warnings: list[str]) -> Disk:
    host = _one(v, "HostResource")
    field = f"VirtualHardwareSection/Item[{_one(v, 'InstanceID')}]/HostResource"
    m = re.fullmatch(r"(?:ovf:)?/(disk|file)/(.+)", host)
    if not m:
        raise InputError(f"disk item refers to {host!r}, not ovf:/disk/ID", path=where, field=field)
    ctrl, model, bus = controllers.get(_one(v, "Parent"), (Controller.UNKNOWN, "", 0))
    unit_text = _one(v, "AddressOnParent")
    disk = Disk(label=_one(v, "ElementName") or f"Hard disk {index + 1}", key=_one(v, "InstanceID"), controller=ctrl,
                controller_model=model, bus=bus, unit=as_int(unit_text, 0, 3), provisioning=Provisioning.THIN)
    if m.group(1) == "disk":
        d = disks.get(m.group(2))
        if d is None:
            raise InputError(f"disk item refers to {host!r}, which DiskSection does not define", path=where,
                             field=field)
        disk.capacity_bytes = d.capacity_bytes
        disk.backing, disk.file_format = _backing_of(d.format)
        if d.unresolved_capacity:
            warnings.append(f"disk {d.id}: capacity {d.unresolved_capacity!r} is a property; size unknown")
        f = files.get(d.file_ref) if d.file_ref else None
        if d.file_ref == "":
            warnings.append(f"disk {d.id} has no file: it is created empty on deployment")
            disk.no_file = True
            disk.backing, disk.file_format = Backing.UNKNOWN, "vhdx"
    else:
        f = files.get(m.group(2))
        if f is None:
            raise InputError(f"disk item refers to {host!r}, which References does not list", path=where, field=field)
    if f is not None:
        disk.path = disk_path(f.href)
        if f.compression:
            warnings.append(f"{f.href}: stored {f.compression}-compressed; it is read in one pass while copying")
        if f.chunk_size:
            warnings.append(f"{f.href}: stored in chunks of {f.chunk_size} bytes ({f.href}.000000000, ...)")
        if not disk.file_format:
            disk.file_format = f.href.rsplit(".", 1)[-1].lower() if "." in f.href else ""
    return disk

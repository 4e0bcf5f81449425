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
    Device,
    DeviceKind,
    Disk,
    Firmware,
    Nic,
    PowerState,
    Provisioning,
    SourceVM,
)
from wizard.sources.guestids import ARM_WARNING, cim_to_vsphere, guest_from_id, is_arm, vbox_to_vsphere
from wizard.sources.ovfxml import attr, child, descendants, local, text_of, unit_multiplier
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
    return values


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
                   kind: str, disk_path: Callable[[str], str]) -> SourceVM:
    sys_id = attr(system, "id")
    vm = SourceVM(id=f"{where}#{sys_id}", source_kind=kind, config_path=where, power_state=PowerState.OFF)
    vm.name = text_of(system, "Name") or sys_id or "unnamed"
    warnings: list[str] = []
    os_section = child(system, "OperatingSystemSection")
    if os_section is not None:
        os_type = attr(os_section, "osType") or text_of(os_section, "OSType")  # vmw:osType / vbox:OSType
        guest_id = os_type if os_type.endswith(("Guest", "Guest64")) else (vbox_to_vsphere(os_type) if os_type else "")
        if not guest_id:
            guest_id = cim_to_vsphere(as_int(attr(os_section, "id"), -1, 5))
        vm.guest = guest_from_id(guest_id, text_of(os_section, "Description"))
        if is_arm(os_type):
            vm.extra["guest_arch"] = "arm64"
            warnings.append(f"guest type {os_type!r} {ARM_WARNING}")
    annotation = next(descendants(system, "AnnotationSection"), None)
    vm.annotation = text_of(annotation, "Annotation")
    hw = child(system, "VirtualHardwareSection")
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

    items = [el for el in hw if local(el.tag) in ("Item", "StorageItem", "EthernetPortItem")]
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
        if rtype == "3":
            qty = _one(v, "VirtualQuantity")
            vm.cpus = max(1, as_int(qty, 1, 5))
            cores = next((c.text or "" for c in item if local(c.tag) == "CoresPerSocket"), "").strip()
            vm.cores_per_socket = max(1, as_int(cores, 1, 5))
        elif rtype == "4":
            qty = _one(v, "VirtualQuantity")
            units = unit_multiplier(_one(v, "AllocationUnits") or "byte * 2^20", where,
                                    "VirtualHardwareSection/Item[memory]/AllocationUnits")
            vm.memory_mb = as_int(qty, 0, 19) * units // 2**20
        elif rtype == "10":
            model = _one(v, "ResourceSubType").lower()
            vm.nics.append(Nic(label=label or f"Network adapter {len(vm.nics) + 1}",
                               model=_NIC_MODELS.get(model, model),
                               mac=mac_from_vmx(_one(v, "Address")), mac_type="manual" if _one(v, "Address") else "",
                               network=_one(v, "Connection"), connected=connected, start_connected=connected))
        elif rtype == "17":
            vm.disks.append(_disk(v, len(vm.disks), controllers, files, disks, where, disk_path, warnings))
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
    machine = child(system, "Machine")
    if machine is not None:
        _vbox_machine(vm, machine)
    if warnings:
        vm.extra["warnings"] = "\n".join(warnings)
    return vm


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

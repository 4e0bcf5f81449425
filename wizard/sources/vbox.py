"""VirtualBox VMs from their ``.vbox`` settings file (VirtualBox 5.x-7.x XML, parsed safely).

Storage: each ``StorageController`` (IDE/SATA/SCSI/SAS/NVMe/VirtioSCSI) with its ``AttachedDevice``
entries; a hard disk attachment names a medium uuid, looked up in the machine's ``MediaRegistry``, where
differencing images nest under their parents — the chain runs from the root image to the attached leaf.
A medium that is not in the registry (an old VM using the global registry) or whose file is missing
keeps a disk entry with capacity 0 and is listed in ``vm.extra["missing_files"]`` and ``warnings``.
VDI disks report ``file_format == "vdi"``; ``open_disk`` reads a single-file VDI through the qemu-img backend
(when installed) and refuses a differencing (snapshot) chain with a way out. Disk files are read only when
they are regular files inside the VM's folder (see :mod:`wizard.core.files`); others are warnings.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from wizard.core.errors import InputError, UnsafeFileError
from wizard.core.files import open_regular, what_is_there
from wizard.core.inventory import (
    Backing,
    Controller,
    Device,
    DeviceKind,
    Disk,
    Firmware,
    Inventory,
    Nic,
    PowerState,
    Snapshot,
    SourceVM,
)
from wizard.core.progress import CancelToken, Meter, ProgressSink
from wizard.disks.image import DiskImage
from wizard.sources.base import Source
from wizard.sources.diskmeta import read_contents, read_disk_meta, resolve_sibling
from wizard.sources.guestids import ARM_WARNING, guest_from_id, is_arm, vbox_to_vsphere
from wizard.sources.ovfxml import attr, child, children, descendants, local, safe_xml
from wizard.sources.vmx import open_local_disk
from wizard.sources.vmxparse import as_int, mac_from_vmx

_CONTROLLERS = {"piix3": Controller.IDE, "piix4": Controller.IDE, "ich6": Controller.IDE, "ahci": Controller.SATA,
                "lsilogic": Controller.LSILOGIC, "buslogic": Controller.BUSLOGIC,
                "lsilogicsas": Controller.LSILOGIC_SAS, "nvme": Controller.NVME, "virtioscsi": Controller.VIRTIO}
_NIC_MODELS = {"am79c970a": "pcnet", "am79c973": "pcnet", "am79c960": "pcnet", "82540em": "e1000",
               "82543gc": "e1000", "82545em": "e1000", "virtio": "virtio"}
_ATTACHMENTS = {"NAT": "nat", "NATNetwork": "natnetwork", "BridgedInterface": "bridged",
                "InternalNetwork": "internal", "HostOnlyInterface": "hostonly", "HostOnlyNetwork": "hostonly",
                "GenericInterface": "generic", "CloudNetwork": "cloud"}
MAX_SNAPSHOTS = 1000
MAX_MEDIA = 10000
MAX_CHAIN = 64


def _uuid(text: str) -> str:
    return text.strip().strip("{}").lower()


def _true(el: ET.Element, name: str, default: bool = False) -> bool:
    value = attr(el, name)
    return default if not value else value.lower() in ("true", "1", "yes")


def _media(machine: ET.Element) -> tuple[dict[str, tuple[ET.Element, str]], dict[str, str]]:
    """Hard disks by uuid → (element, parent uuid); DVD/floppy images by uuid → location."""
    disks: dict[str, tuple[ET.Element, str]] = {}
    images: dict[str, str] = {}
    registry = child(machine, "MediaRegistry")
    if registry is None:
        return disks, images

    # iterative: a hostile file may nest differencing images far deeper than Python's recursion limit
    stack: list[tuple[ET.Element, str]] = [(section, "") for section in children(registry, "HardDisks")]
    while stack and len(disks) < MAX_MEDIA:
        el, parent = stack.pop()
        for hd in children(el, "HardDisk"):
            uid = _uuid(attr(hd, "uuid"))
            if uid and uid not in disks:
                disks[uid] = (hd, parent)
                stack.append((hd, uid))
    for section in ("DVDImages", "FloppyImages"):
        for holder in children(registry, section):
            for img in children(holder, "Image"):
                images[_uuid(attr(img, "uuid"))] = attr(img, "location")
    return disks, images


def _disk(vm: SourceVM, base: str, uid: str, media: dict[str, tuple[ET.Element, str]], ctrl: Controller,
          model: str, bus: int, att: ET.Element, warnings: list[str], missing: list[str]) -> Disk:
    port, device = attr(att, "port", "0"), attr(att, "device", "0")
    disk = Disk(label=f"{model} port {port} device {device}", key=uid, controller=ctrl, controller_model=model,
                bus=bus, unit=as_int(port, 0, 3) * 2 + as_int(device, 0, 1) if ctrl is Controller.IDE
                else as_int(port, 0, 3))
    if uid not in media:
        warnings.append(f"{disk.label}: medium {{{uid}}} is not in this VM's media registry "
                        "(it may be in VirtualBox's global registry)")
        missing.append(f"{{{uid}}}")
        return disk
    chain: list[str] = []
    cursor = uid
    while cursor and len(chain) < MAX_CHAIN:
        el, parent = media[cursor]
        chain.insert(0, resolve_sibling(base, attr(el, "location")))
        cursor = parent
    if cursor:  # the base was cut off: reading the leaf alone would silently lose the base's data
        warnings.append(f"{disk.label}: differencing chain is longer than {MAX_CHAIN} images; not read")
        missing.append(f"{{{cursor}}}")
    leaf = media[uid][0]
    disk.path = chain[-1]
    disk.chain = chain if len(chain) > 1 else []
    fmt = attr(leaf, "format", "VDI").lower()
    disk.file_format = fmt
    disk.backing = {"vdi": Backing.VDI, "vhd": Backing.VHD, "vhdx": Backing.VHDX}.get(fmt, Backing.UNKNOWN)
    disk.encrypted = any(attr(p, "name") == "CRYPT/KeyId" for p in leaf.iter() if local(p.tag) == "Property")
    absent = [p for p in chain if not os.path.isfile(p)]
    if absent:
        for p in absent:
            kind = what_is_there(p)
            warnings.append(f"{disk.label}: disk file {p!r} is {kind}, not a regular file" if kind
                            else f"{disk.label}: disk file {p!r} is missing")
            missing.append(p)
        return disk
    for path in reversed(chain):  # the leaf knows the size; a differencing VMDK may not
        try:
            meta = read_disk_meta(path, root=base)
        except InputError as exc:
            warnings.append(f"{disk.label}: {exc.message}")
            if isinstance(exc, UnsafeFileError):  # never read: as good as missing
                missing.append(path)
            return disk
        if meta.warning:
            warnings.append(f"{disk.label}: {meta.warning}")
        if fmt == "vmdk" and path == chain[-1]:
            disk.backing, disk.provisioning = meta.backing, meta.provisioning
        if meta.capacity_bytes:
            disk.capacity_bytes = meta.capacity_bytes
            break
    return disk


def _storage(vm: SourceVM, machine: ET.Element, hw: ET.Element | None, base: str, warnings: list[str],
             missing: list[str]) -> None:
    media, images = _media(machine)
    holders = [h for h in (hw, machine) if h is not None]
    counters: dict[Controller, int] = {}
    for holder in holders:
        for section in children(holder, "StorageControllers"):
            for sc in children(section, "StorageController"):
                kind = attr(sc, "type")
                ctrl = _CONTROLLERS.get(kind.lower(), Controller.UNKNOWN)
                bus = counters.get(ctrl, 0)
                counters[ctrl] = bus + 1
                for att in children(sc, "AttachedDevice"):
                    atype = attr(att, "type")
                    image = child(att, "Image")
                    uid = _uuid(attr(image, "uuid")) if image is not None else ""
                    if atype == "HardDisk":
                        vm.disks.append(_disk(vm, base, uid, media, ctrl, kind, bus, att, warnings, missing))
                    elif atype in ("DVD", "Floppy"):
                        host = child(att, "HostDrive")
                        backing = images.get(uid, "") or (attr(host, "src") if host is not None else "")
                        vm.devices.append(Device(DeviceKind.CDROM if atype == "DVD" else DeviceKind.FLOPPY,
                                                 f"{atype} ({attr(sc, 'name')} port {attr(att, 'port', '0')})",
                                                 backing, bool(backing), kind))


def _nics(vm: SourceVM, hw: ET.Element) -> None:
    for net in children(hw, "Network"):
        for ad in children(net, "Adapter"):
            if not _true(ad, "enabled"):
                continue
            modes = [c for c in ad if local(c.tag) in _ATTACHMENTS]
            mode = modes[0] if modes else None
            kind = _ATTACHMENTS[local(mode.tag)] if mode is not None else "none"
            name = attr(mode, "name") if mode is not None else ""
            vm.nics.append(Nic(label=f"Adapter {as_int(attr(ad, 'slot')) + 1}",
                               model=_NIC_MODELS.get(attr(ad, "type", "Am79C973").lower(), attr(ad, "type").lower()),
                               mac=mac_from_vmx(attr(ad, "MACAddress")), mac_type="manual",
                               network=name or kind, network_kind=kind,
                               connected=_true(ad, "cable", True), start_connected=_true(ad, "cable", True)))


def _devices(vm: SourceVM, hw: ET.Element) -> None:
    for usb in children(hw, "USB"):
        for holder in children(usb, "Controllers"):
            for c in children(holder, "Controller"):
                vm.devices.append(Device(DeviceKind.USB_CONTROLLER, f"USB {attr(c, 'name')}",
                                         attr(c, "type").lower(), True, ""))
    for tag, dk in (("UART", DeviceKind.SERIAL), ("LPT", DeviceKind.PARALLEL)):
        for holder in children(hw, tag):
            for port in children(holder, "Port"):
                if _true(port, "enabled"):
                    vm.devices.append(Device(dk, f"{tag} port {as_int(attr(port, 'slot')) + 1}",
                                             attr(port, "hostMode", "Disconnected"), True, attr(port, "path")))
    audio = child(hw, "AudioAdapter")
    if audio is not None and _true(audio, "enabled"):
        vm.devices.append(Device(DeviceKind.SOUND, "Audio", attr(audio, "controller", "AC97"), True,
                                 attr(audio, "driver")))


def _snapshots(machine: ET.Element) -> list[Snapshot]:
    """Snapshots parents first (depth-first, in file order), walked without recursion (see ``_media``)."""
    out: list[Snapshot] = []
    stack: list[tuple[ET.Element, str]] = [(machine, "")]
    while stack and len(out) < MAX_SNAPSHOTS:
        el, parent = stack.pop()
        found = []
        for snap in children(el, "Snapshot"):
            sid = _uuid(attr(snap, "uuid"))
            desc = child(snap, "Description")
            out.append(Snapshot(id=sid, name=attr(snap, "name"), parent=parent, created=attr(snap, "timeStamp"),
                                description=(desc.text or "").strip() if desc is not None else "",
                                power_state=PowerState.ON if attr(snap, "stateFile") else PowerState.OFF))
            found.extend((holder, sid) for holder in children(snap, "Snapshots"))
            if len(out) >= MAX_SNAPSHOTS:
                break
        stack.extend(reversed(found))
    return out


def vm_from_vbox(path: str) -> SourceVM:
    try:
        with open(open_regular(path), "rb") as fh:
            data = fh.read(16 * 1024 * 1024 + 1)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    root = safe_xml(data, path)
    if local(root.tag) != "VirtualBox":
        raise InputError(f"not a VirtualBox settings file (root element {local(root.tag)!r})", path=path)
    base = os.path.dirname(os.path.abspath(path))
    vm = SourceVM(id=os.path.abspath(path), source_kind="vbox", config_path=os.path.abspath(path),
                  power_state=PowerState.OFF)
    vm.extra["vbox_settings_version"] = attr(root, "version")
    machine = child(root, "Machine")
    if machine is None:
        if child(root, "MachineEncrypted") is not None:
            vm.name, vm.encrypted = os.path.splitext(os.path.basename(path))[0], True
            vm.extra["warnings"] = "the VM's settings are encrypted; unlock it in VirtualBox to see its hardware"
            return vm
        raise InputError("the file has no Machine element", path=path, field="VirtualBox/Machine")
    vm.name = attr(machine, "name") or os.path.splitext(os.path.basename(path))[0]
    vm.instance_uuid = vm.bios_uuid = _uuid(attr(machine, "uuid"))
    vm.guest = guest_from_id(vbox_to_vsphere(attr(machine, "OSType")), attr(machine, "OSType"))
    warnings: list[str] = []
    if is_arm(attr(machine, "OSType")):
        vm.extra["guest_arch"] = "arm64"
        warnings.append(f"OSType {attr(machine, 'OSType')!r} {ARM_WARNING}")
    desc = child(machine, "Description")
    vm.annotation = (desc.text or "").strip() if desc is not None else ""
    if attr(machine, "stateFile"):
        vm.power_state = PowerState.SUSPENDED
        vm.extra["suspend_file"] = attr(machine, "stateFile")
    missing: list[str] = []
    hw = child(machine, "Hardware")
    if hw is not None:
        cpu = child(hw, "CPU")
        if cpu is not None:
            count = attr(cpu, "count", "1")
            vm.cpus = max(1, as_int(count, 1, 4))
            vm.cpu_hot_add = _true(cpu, "hotplug")
        mem = child(hw, "Memory")
        size = attr(mem, "RAMSize") if mem is not None else ""
        vm.memory_mb = as_int(size, 0, 8)
        # settings 1.20 (VirtualBox 7.1) may nest platform pieces deeper than Hardware's direct children
        fw = next(descendants(hw, "Firmware"), None)
        vm.firmware = Firmware.EFI if fw is not None and attr(fw, "type").upper().startswith("EFI") else Firmware.BIOS
        tpm = next(descendants(hw, "TrustedPlatformModule"), None)
        vm.vtpm = tpm is not None and attr(tpm, "type", "None").lower() not in ("none", "")
        _nics(vm, hw)
        _devices(vm, hw)
    _storage(vm, machine, hw, base, warnings, missing)
    vm.snapshots = _snapshots(machine)
    vm.current_snapshot = _uuid(attr(machine, "currentSnapshot"))
    vm.encrypted = any(d.encrypted for d in vm.disks)
    if not vm.encrypted:
        read_contents(vm, lambda index: open_local_disk(vm, index))
    if missing:
        vm.extra["missing_files"] = "\n".join(missing)
    if warnings:
        vm.extra["warnings"] = "\n".join(warnings)
    return vm


class VBoxSource(Source):
    """One VirtualBox VM from its ``.vbox`` file."""

    kind = "vbox"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)

    def describe(self) -> str:
        return self.path

    def discover(self, progress: ProgressSink | None = None, cancel: CancelToken | None = None) -> Inventory:
        if cancel is not None:
            cancel.check()
        meter = Meter(progress, "discover", total=1)
        vm = vm_from_vbox(self.path)
        meter.update(1, vm.name)
        meter.finish()
        return Inventory(source=self.path, source_kind="vbox",
                         collected_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), vms=[vm])

    def open_disk(self, vm: SourceVM, index: int, cancel: CancelToken | None = None) -> DiskImage:
        return open_local_disk(vm, index)

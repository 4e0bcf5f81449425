"""VMware Workstation / Fusion / ESXi VMs on local disk: a ``.vmx`` file or the folder holding it.

Reads the ``.vmx`` (see :mod:`wizard.sources.vmxparse`), the ``.vmsd`` beside it for snapshots, and each
disk's header (see :mod:`wizard.sources.diskmeta`) for capacity, kind and delta chain — which covers an
ESXi VM folder copied off a datastore (text descriptors + ``-flat``/``-delta``/``-sesparse`` extents) as
well as hosted sparse disks. Damaged lines, unreadable or missing disk files become warnings in
``vm.extra["warnings"]`` (and ``vm.extra["missing_files"]``) instead of failures: discovery shows what it
can. Files are only ever read, and only regular files inside the VM's folder (a delta disk's parent may
also be one folder up): see :mod:`wizard.core.files`; a link out of the folder, a named pipe or a device is
a warning here and an :class:`~wizard.core.errors.UnsafeFileError` when the disk is opened.
"""

from __future__ import annotations

import glob
import os
import re
from datetime import UTC, datetime

from wizard.core.errors import InputError, SourceError, UnsupportedFormatError
from wizard.core.files import what_is_there
from wizard.core.inventory import (
    Backing,
    Controller,
    Device,
    DeviceKind,
    Disk,
    DiskMode,
    Firmware,
    Inventory,
    Nic,
    PowerState,
    Sharing,
    SourceVM,
)
from wizard.core.progress import CancelToken, Meter, ProgressSink
from wizard.disks.image import DiskImage
from wizard.sources.base import Source
from wizard.sources.diskmeta import disk_chain, read_contents, resolve_sibling
from wizard.sources.guestids import (
    ARM_WARNING,
    friendly_name,
    guest_from_id,
    is_arm,
    running_guest_id,
    vmx_to_vsphere,
)
from wizard.sources.vmsd import snapshots_from_vmsd
from wizard.sources.vmxparse import VmxDict, as_int, mac_from_vmx, read_dictionary_file, uuid_from_vmx

_SCSI_MODELS = {"pvscsi": Controller.PVSCSI, "lsilogic": Controller.LSILOGIC, "lsisas1068": Controller.LSILOGIC_SAS,
                "buslogic": Controller.BUSLOGIC}
_BUS_CONTROLLER = {"ide": Controller.IDE, "sata": Controller.SATA, "nvme": Controller.NVME}
_MODES = {"persistent": DiskMode.PERSISTENT, "independent-persistent": DiskMode.INDEPENDENT_PERSISTENT,
          "independent-nonpersistent": DiskMode.INDEPENDENT_NONPERSISTENT, "nonpersistent": DiskMode.NONPERSISTENT,
          "undoable": DiskMode.UNDOABLE, "append": DiskMode.APPEND}
_NODE_RE = re.compile(r"^(scsi|sata|nvme|ide)(\d{1,3}):(\d{1,3})\.")
_MAC_TYPES = {"generated": "generated", "static": "manual", "vpx": "assigned"}
_SNAPSHOT_MEMORY_RE = re.compile(r"-Snapshot\d+\.vmem$", re.IGNORECASE)
_SERIAL_BACKINGS = {"file": "file", "device": "device", "pipe": "pipe", "network": "network",
                    "thinprint": "thinprint", "autodetect": "device"}


def find_vmx(path: str) -> str:
    """The ``.vmx`` for ``path`` (the file itself, or the single one in a folder)."""
    if os.path.isdir(path):
        found = sorted(glob.glob(os.path.join(glob.escape(path), "*.vmx")))
        found = found or sorted(glob.glob(os.path.join(glob.escape(path), "*.vmtx")))  # an ESXi template
        if not found:
            raise InputError("no .vmx file in this folder", path=path)
        if len(found) > 1:
            raise InputError(f"{len(found)} .vmx files in this folder; choose one", path=path,
                             fix="Open the folder above to list every VM, or give the .vmx file itself.")
        return found[0]
    return path


def _detailed(cfg: VmxDict) -> dict[str, str]:
    """The running guest's identity as VMware Tools last reported it (``guestInfo.detailed.data``, newer than
    the ``guestOS.detailed.data`` a host may keep from an older report): ``{"prettyName": ..., ...}``."""
    text = cfg.get("guestInfo.detailed.data") or cfg.get("guestOS.detailed.data")
    return dict(re.findall(r"(\w+)='([^']*)'", text))


def _mapped_guest(cfg: VmxDict) -> tuple[str, str]:
    return vmx_to_vsphere(cfg.get("guestOS")), _detailed(cfg).get("prettyName", "")


def _controllers(cfg: VmxDict) -> dict[str, tuple[Controller, str, Sharing]]:
    out: dict[str, tuple[Controller, str, Sharing]] = {}
    for key in cfg.values:
        m = re.match(r"^(scsi|sata|nvme)(\d{1,3})\.present$", key)
        if not m or not cfg.flag(key):
            continue
        name = f"{m.group(1)}{m.group(2)}"
        if m.group(1) == "scsi":
            dev = cfg.get(f"{name}.virtualDev", "lsilogic").lower()
            shared = cfg.get(f"{name}.sharedBus", "none").lower()
            sharing = Sharing.SCSI_BUS_SHARED if shared in ("virtual", "physical") else Sharing.NONE
            out[name] = (_SCSI_MODELS.get(dev, Controller.SCSI), dev, sharing)
        else:
            out[name] = (_BUS_CONTROLLER[m.group(1)], m.group(1), Sharing.NONE)
    return out


def _disk_for(vm: SourceVM, cfg: VmxDict, node: str, base: str, ctrl: tuple[Controller, str, Sharing],
              missing: list[str]) -> Disk:
    kind, bus, unit = _NODE_RE.match(node + ".").groups()
    file_name = cfg.get(f"{node}.fileName")
    mode = _MODES.get(cfg.get(f"{node}.mode", "persistent").lower(), DiskMode.UNKNOWN)
    sharing = ctrl[2]
    if cfg.get(f"{node}.sharing").lower() == "multi-writer":
        sharing = Sharing.MULTI_WRITER
    path = resolve_sibling(base, file_name)
    disk = Disk(label=node, key=node, controller=ctrl[0], controller_model=ctrl[1], bus=int(bus), unit=int(unit),
                mode=mode, sharing=sharing, path=path, file_format="vmdk", encrypted=vm.encrypted)
    if cfg.get(f"{node}.deviceType").lower() == "rawdisk":
        disk.backing = Backing.RDM_PHYSICAL
        disk.device_name = file_name
        return disk
    if not os.path.isfile(path):
        missing.append(file_name)
        kind = what_is_there(path)
        cfg.warn(f"{node}: disk file {file_name!r} is {kind}, not a regular file" if kind
                 else f"{node}: disk file {file_name!r} is missing")
        return disk
    try:
        meta, chain = disk_chain(path, root=base)
    except InputError as exc:
        cfg.warn(f"{node}: {exc.message}")
        missing.append(file_name)
        return disk
    disk.capacity_bytes, disk.backing, disk.provisioning = meta.capacity_bytes, meta.backing, meta.provisioning
    disk.file_format = meta.file_format or "vmdk"
    disk.chain = chain if len(chain) > 1 else []
    disk.encrypted = vm.encrypted or meta.encrypted
    if meta.backing in (Backing.RDM_PHYSICAL, Backing.RDM_VIRTUAL):
        disk.device_name = next((f for _, _, f in meta.extents if f), "")
    if meta.warning:
        cfg.warn(f"{node}: {meta.warning}")
    return disk


def _storage(vm: SourceVM, cfg: VmxDict, base: str, missing: list[str]) -> None:
    controllers = _controllers(cfg)
    nodes = sorted({m.group(0)[:-1] for k in cfg.values if (m := _NODE_RE.match(k))},
                   key=lambda n: (n.rstrip("0123456789:"), [int(x) for x in re.findall(r"\d+", n)]))
    for node in nodes:
        kind = node.rstrip("0123456789:")
        file_name = cfg.get(f"{node}.fileName")
        if not cfg.flag(f"{node}.present", default=bool(file_name)):
            continue
        ctrl_name = node.split(":")[0]
        ctrl = controllers.get(ctrl_name)
        if ctrl is None:
            if kind != "ide":
                cfg.warn(f"{node}: its controller {ctrl_name} is not present; device ignored")
                continue
            ctrl = (Controller.IDE, "ide", Sharing.NONE)
        dtype = cfg.get(f"{node}.deviceType").lower()
        if "cdrom" in dtype or file_name.lower().endswith(".iso"):
            vm.devices.append(Device(DeviceKind.CDROM, f"CD/DVD ({node})", file_name or dtype,
                                     cfg.flag(f"{node}.startConnected", True), dtype))
        elif dtype in ("", "disk", "scsi-harddisk", "ata-harddisk", "rawdisk", "nvme-harddisk") and file_name:
            vm.disks.append(_disk_for(vm, cfg, node, base, ctrl, missing))
        elif dtype in ("scsi-passthru", "generic"):
            vm.devices.append(Device(DeviceKind.OTHER, f"SCSI passthrough ({node})", file_name, True, dtype))
        else:
            cfg.warn(f"{node}: device type {dtype!r} not understood; ignored")


def _boot_order(vm: SourceVM, cfg: VmxDict) -> list[str]:
    """Disk keys in the order the VM's BIOS/EFI tries them: ``bios.hddOrder`` names disks (``scsi0:1,ide0:0``);
    ``bios.bootOrder`` may name one too (``hdd`` alone says nothing about which)."""
    keys = {d.key.lower(): d.key for d in vm.disks}
    order: list[str] = []
    for setting in ("bios.hddOrder", "bios.bootOrder"):
        for token in re.split(r"[,\s]+", cfg.get(setting).strip().lower()):
            key = keys.get(token)
            if key and key not in order:
                order.append(key)
    return order


def _nics(vm: SourceVM, cfg: VmxDict) -> None:
    idx = sorted({int(m.group(1)) for k in cfg.values if (m := re.match(r"ethernet(\d{1,3})\.present$", k))})
    for i in idx:
        p = f"ethernet{i}"
        if not cfg.flag(f"{p}.present"):
            continue
        addr_type = cfg.get(f"{p}.addressType", "generated").lower()
        raw_mac = cfg.get(f"{p}.address") if addr_type == "static" else cfg.get(f"{p}.generatedAddress")
        raw_mac = raw_mac or cfg.get(f"{p}.address") or cfg.get(f"{p}.generatedAddress")
        mac = mac_from_vmx(raw_mac)
        if raw_mac and not mac:
            cfg.warn(f"{p}: MAC address {raw_mac!r} is malformed")
        conn = cfg.get(f"{p}.connectionType").lower()
        if not conn and not cfg.get(f"{p}.networkName"):
            conn = "bridged"  # no line: Workstation bridges the adapter (as libvirt's vmx reader takes it too)
        network = cfg.get(f"{p}.networkName") or (cfg.get(f"{p}.vnet") if conn == "custom" else "") or conn
        vm.nics.append(Nic(label=f"Network adapter {i + 1}", model=cfg.get(f"{p}.virtualDev", "vlance").lower(),
                           mac=mac, mac_type=_MAC_TYPES.get(addr_type, addr_type), network=network,
                           network_kind=conn or ("standard" if cfg.get(f"{p}.networkName") else ""),
                           connected=cfg.flag(f"{p}.startConnected", True),
                           start_connected=cfg.flag(f"{p}.startConnected", True)))


def _devices(vm: SourceVM, cfg: VmxDict) -> None:
    for key, label, backing in (("usb", "USB controller (UHCI)", "uhci"), ("ehci", "USB 2.0 controller", "ehci"),
                                ("usb_xhci", "USB 3 controller", "xhci")):
        if cfg.flag(f"{key}.present"):
            vm.devices.append(Device(DeviceKind.USB_CONTROLLER, label, backing, True, ""))
    for kind, dk in (("serial", DeviceKind.SERIAL), ("parallel", DeviceKind.PARALLEL)):
        for i in sorted({int(m.group(1)) for k in cfg.values if (m := re.match(rf"{kind}(\d{{1,2}})\.present$", k))}):
            p = f"{kind}{i}"
            if cfg.flag(f"{p}.present"):
                ftype = cfg.get(f"{p}.fileType", "device").lower()
                vm.devices.append(Device(dk, f"{kind.capitalize()} port {i + 1}", _SERIAL_BACKINGS.get(ftype, ftype),
                                         cfg.flag(f"{p}.startConnected", True), cfg.get(f"{p}.fileName")))
    for i in (0, 1):  # a VM has at most two floppy drives; both are read, though Hyper-V offers one
        if cfg.flag(f"floppy{i}.present", default=False):
            vm.devices.append(Device(DeviceKind.FLOPPY, f"Floppy drive {i + 1}",
                                     cfg.get(f"floppy{i}.fileType", "device"),
                                     cfg.flag(f"floppy{i}.startConnected", True), cfg.get(f"floppy{i}.fileName")))
    if cfg.flag("mks.enable3d"):
        vm.devices.append(Device(DeviceKind.GPU_3D, "3D acceleration", "svga", True, "mks.enable3d"))
    for node in sorted({m.group(1) for k in cfg.values if (m := re.match(r"(nvdimm\d{1,2}:\d{1,2})\.present$", k))}):
        if cfg.flag(f"{node}.present"):
            vm.devices.append(Device(DeviceKind.NVDIMM, f"NVDIMM ({node})", cfg.get(f"{node}.fileName"), True,
                                     f"{cfg.number(f'{node}.size', 0)} MB"))
    if cfg.flag("sound.present"):
        vm.devices.append(Device(DeviceKind.SOUND, "Sound card", cfg.get("sound.virtualDev", "es1371"), True, ""))
    for i in sorted({int(m.group(1)) for k in cfg.values if (m := re.match(r"pcipassthru(\d{1,2})\.present$", k))}):
        p = f"pciPassthru{i}"
        if cfg.flag(f"{p}.present"):
            vgpu = cfg.get(f"{p}.vgpu")
            vm.devices.append(Device(DeviceKind.VGPU if vgpu else DeviceKind.PCI_PASSTHROUGH,
                                     f"PCI device {i}", vgpu or cfg.get(f"{p}.id"), True,
                                     f"vendor {cfg.get(f'{p}.vendorId')} device {cfg.get(f'{p}.deviceId')}"))


def _power(vm: SourceVM, cfg: VmxDict, vmx: str) -> None:
    base = os.path.dirname(vmx)
    state_file = cfg.get("checkpoint.vmState")
    if state_file and os.path.exists(resolve_sibling(base, state_file)):
        vm.power_state = PowerState.SUSPENDED
        vm.extra["suspend_file"] = state_file
    elif os.path.isdir(vmx + ".lck") or any(not _SNAPSHOT_MEMORY_RE.search(f)
                                            for f in glob.glob(os.path.join(glob.escape(base), "*.vmem"))):
        # a running hosted VM holds a lock folder and a memory file; a snapshot taken with memory keeps its
        # own NAME-SnapshotN.vmem for good, which says nothing about the VM running now
        vm.power_state = PowerState.ON
    else:
        vm.power_state = PowerState.OFF


def vm_from_vmx(vmx: str) -> SourceVM:
    """Everything the ``.vmx`` at ``vmx`` (and its neighbours) says about the VM."""
    cfg = read_dictionary_file(vmx)
    base = os.path.dirname(os.path.abspath(vmx))
    vm = SourceVM(id=os.path.abspath(vmx), source_kind="vmx", config_path=os.path.abspath(vmx))
    vm.name = cfg.get("displayName") or os.path.splitext(os.path.basename(vmx))[0]
    guest_id, pretty = _mapped_guest(cfg)
    vm.guest = guest_from_id(guest_id, cfg.get("guestOSAltName") or friendly_name(guest_id) or pretty)
    vm.guest.running_full_name = pretty
    vm.guest.running_id = running_guest_id(_detailed(cfg))
    if is_arm(cfg.get("guestOS")):
        vm.extra["guest_arch"] = "arm64"
        cfg.warn(f"guestOS {cfg.get('guestOS')!r} {ARM_WARNING}")
    vm.encrypted = cfg.has("encryption.keySafe") or cfg.has("encryption.data")
    vm.firmware = Firmware.EFI if cfg.get("firmware").lower() == "efi" else Firmware.BIOS
    vm.secure_boot = cfg.flag("uefi.secureBoot.enabled")
    vm.vtpm = cfg.flag("vtpm.present")
    vm.cpus = max(1, cfg.number("numvcpus", 1))
    vm.cores_per_socket = max(1, cfg.number("cpuid.coresPerSocket", 1))
    vm.memory_mb = max(0, cfg.number("memsize", 0))
    vm.cpu_hot_add, vm.memory_hot_add = cfg.flag("vcpu.hotadd"), cfg.flag("mem.hotadd")
    vm.nested_virtualization = cfg.flag("vhv.enable") or cfg.flag("nestedHVEnabled")
    if cfg.has("cleanShutdown"):
        vm.clean_shutdown = cfg.flag("cleanShutdown", True)
    hw = cfg.get("virtualHW.version")
    vm.hardware_version = f"vmx-{as_int(hw):02d}" if as_int(hw, -1, 4) >= 0 else ""
    vm.bios_uuid = uuid_from_vmx(cfg.get("uuid.bios"))
    vm.instance_uuid = uuid_from_vmx(cfg.get("vc.uuid"))
    vm.annotation = cfg.get("annotation")
    vm.template = cfg.flag("templateVM")
    if vm.encrypted:
        vm.extra["encryption"] = "vm"
    missing: list[str] = []
    _storage(vm, cfg, base, missing)
    vm.boot_order = _boot_order(vm, cfg)
    _nics(vm, cfg)
    _devices(vm, cfg)
    _power(vm, cfg, vmx)
    vmsd = os.path.splitext(vmx)[0] + ".vmsd"
    if os.path.isfile(vmsd):
        try:
            snap_cfg = read_dictionary_file(vmsd, root=base)
        except InputError as exc:  # a damaged snapshot list must not hide the VM and its disks
            cfg.warn(f".vmsd: {exc.message}")
        else:
            vm.snapshots, vm.current_snapshot = snapshots_from_vmsd(snap_cfg)
            cfg.warnings.extend(f".vmsd {w}" for w in snap_cfg.warnings)
    if missing:
        vm.extra["missing_files"] = "\n".join(missing)
    read_contents(vm, lambda index: open_local_disk(vm, index))
    if cfg.warnings:
        vm.extra["warnings"] = "\n".join(cfg.warnings)
    return vm


class VmxSource(Source):
    """One VMware VM from a ``.vmx`` file or its folder."""

    kind = "vmx"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)

    def describe(self) -> str:
        return self.path

    def discover(self, progress: ProgressSink | None = None, cancel: CancelToken | None = None) -> Inventory:
        if cancel is not None:
            cancel.check()
        meter = Meter(progress, "discover", total=1)
        vm = vm_from_vmx(find_vmx(self.path))
        meter.update(1, vm.name)
        meter.finish()
        return Inventory(source=self.path, source_kind="vmx",
                         collected_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), vms=[vm])

    def open_disk(self, vm: SourceVM, index: int, cancel: CancelToken | None = None) -> DiskImage:
        return open_local_disk(vm, index)


def open_local_disk(vm: SourceVM, index: int) -> DiskImage:
    """Open ``vm.disks[index]`` from its local path through the disk engine (siblings resolve beside it).
    The disk file must be a regular file inside the folder of the VM's configuration file (when known)."""
    if not 0 <= index < len(vm.disks):
        raise SourceError(f"VM {vm.name!r} has no disk {index + 1}")
    disk = vm.disks[index]
    if disk.backing in (Backing.RDM_PHYSICAL, Backing.RDM_VIRTUAL):
        raise SourceError(f"{vm.name}: disk {disk.label} is a raw device mapping; its data is on a SAN LUN, "
                          "not in a file", fix="Copy the LUN's data separately.")
    for path in [*disk.chain, disk.path]:
        if not path or not os.path.isfile(path):
            raise InputError("disk file is missing", path=path or disk.label,
                             fix="Copy the whole VM folder, including every disk file (base and snapshot deltas).")
    from wizard.disks.bytesource import LocalFile, local_opener
    from wizard.disks.detect import open_image, sniff

    root = os.path.dirname(os.path.abspath(vm.config_path)) if vm.config_path else None
    try:
        return open_image(LocalFile(disk.path, root=root), opener=local_opener(os.path.dirname(disk.path)))
    except UnsupportedFormatError:
        # VDI (VirtualBox's own format), qcow2 and QED are read through qemu-img when it is installed
        from wizard.disks.qemu_backend import FORMATS, open_with_qemu

        with LocalFile(disk.path, root=root) as fh:
            fmt = sniff(fh)
        if fmt not in FORMATS:
            raise
        if disk.chain:
            raise UnsupportedFormatError(
                f"the disk is a chain of {len(disk.chain)} {fmt.upper()} files (a snapshot or differencing image); "
                "only a single-file image can be read", path=disk.path,
                fix="Delete the VM's snapshots, or clone it to a new full VM (VirtualBox: Clone, 'Current machine "
                    "state', or VBoxManage clonemedium), then migrate the clone.") from None
        return open_with_qemu(disk.path, fmt)

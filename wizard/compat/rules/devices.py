"""Source devices Hyper-V has no equivalent for: each gets a DeviceChoice (drop / convert / block) in the spec.

Default actions: drop, except a connected CD/DVD drive, which is converted to an empty DVD drive (on
Generation 1 at IDE 1:0, which the disk placement leaves free as long as it can; on Generation 2 on SCSI).
A user choice ``device:<label>=block`` turns the finding into a blocker.
"""

from __future__ import annotations

from wizard.compat.rules.refs import A, G, M, S, V, W, join
from wizard.compat.rules.registry import RuleContext, rule
from wizard.core.findings import Choice, Severity
from wizard.core.inventory import Device, DeviceKind
from wizard.core.plan import DeviceAction, DeviceChoice, TargetController


def _choice(ctx: RuleContext, dev: Device, options: list[str], default: str) -> tuple[DeviceChoice, Choice]:
    """The spec's DeviceChoice for ``dev`` (created with ``default`` unless the user already chose)."""
    label = dev.label or dev.kind.value
    current = next((c for c in ctx.spec.devices if c.device_label == label), None)
    if current is None:
        current = DeviceChoice(device_label=label, kind=dev.kind.value, action=DeviceAction(default))
        ctx.spec.devices.append(current)
    else:
        current.kind = current.kind or dev.kind.value
    return current, Choice(key=f"device:{label}", label=f"What to do with {label}", options=options,
                           default=default, selected=current.action.value)


def _devices(ctx: RuleContext, *kinds: DeviceKind) -> list[Device]:
    return [d for d in ctx.vm.devices if d.kind in kinds]


def _report(ctx: RuleContext, dev: Device, message: str, fix: str, options: list[str], default: str) -> None:
    chosen, choice = _choice(ctx, dev, options, default)
    label = chosen.device_label
    if chosen.action is DeviceAction.BLOCK:
        ctx.flag(message + " You chose not to migrate this VM while the device exists.",
                 "Remove the device on the source, or choose drop.", subject=label, choices=[choice],
                 severity=Severity.BLOCKER)
    else:
        done = "left out" if chosen.action is DeviceAction.DROP else "replaced by the nearest Hyper-V equivalent"
        ctx.flag(f"{message} The plan: {done}.", fix, subject=label, choices=[choice], adjusted=True)


@rule("DEV-USB", Severity.INFO, "USB devices are not carried over", join(W, A), order=60)
def usb(ctx: RuleContext) -> None:
    for dev in _devices(ctx, DeviceKind.USB_CONTROLLER, DeviceKind.USB):
        if dev.kind is DeviceKind.USB:
            _report(ctx, dev, f"USB device {dev.label or ''} is passed through from the ESXi host or client; Hyper-V "
                    "VMs have no USB controller.", "Use a USB-over-network server or Enhanced Session redirection "
                    "if the guest needs it.", ["drop", "block"], "drop")
        else:
            _report(ctx, dev, "Hyper-V VMs have no USB controller.", "Nothing to do.", ["drop", "block"], "drop")


@rule("DEV-SERIAL", Severity.WARNING, "Serial port", join(S, W), order=61)
def serial(ctx: RuleContext) -> None:
    ports = _devices(ctx, DeviceKind.SERIAL)
    for n, dev in enumerate(ports):
        options = ["drop", "convert", "block"] if n < ctx.limits.com_ports else ["drop", "block"]
        if dev.backing == "network" and dev.connected:
            where = f" ({dev.details})" if dev.details and "://" in dev.details else ""
            _report(ctx, dev, f"Serial port {dev.label} is a network console{where}: people or tools reach the "
                    "guest's console over the network through it. Hyper-V COM ports connect only to a named pipe on "
                    "the host, so that console is gone after the move.",
                    "Convert it to a COM port with a named pipe and relay the pipe to the network on the host (or "
                    "use the guest's own remote access), or leave it out if nothing uses the console.",
                    options, "drop")
            continue
        _report(ctx, dev, f"Serial port {dev.label} ({dev.backing or 'unknown backing'}): Hyper-V COM ports connect "
                "only to a named pipe on the host; host devices, files and network backings are not carried over.",
                "Convert it to a COM port with a named pipe, or leave it out.", options, "drop")


@rule("DEV-PARALLEL", Severity.WARNING, "Parallel port", W, order=62)
def parallel(ctx: RuleContext) -> None:
    for dev in _devices(ctx, DeviceKind.PARALLEL):
        _report(ctx, dev, f"Parallel port {dev.label}: Hyper-V has no parallel ports.",
                "Use a network printer or USB-over-network device instead.", ["drop", "block"], "drop")


@rule("DEV-FLOPPY", Severity.INFO, "Floppy drive", G, order=63)
def floppy(ctx: RuleContext) -> None:
    for n, dev in enumerate(_devices(ctx, DeviceKind.FLOPPY)):
        if ctx.spec.generation == 1 and n >= ctx.limits.floppy_gen1:
            _report(ctx, dev, f"Floppy drive {dev.label}: Generation 1 VMs have {ctx.limits.floppy_gen1} floppy "
                    "drive, which the first one takes; this one is left out, with whatever image it holds.",
                    "Copy what the guest needs from that floppy image onto a disk before the move.",
                    ["drop", "block"], "drop")
        elif ctx.spec.generation == 1:
            _report(ctx, dev, f"Floppy drive {dev.label}: Generation 1 has one virtual floppy drive (.vfd images "
                    "only); the image is not copied.", "Nothing to do.", ["drop", "convert"], "drop")
        else:
            _report(ctx, dev, f"Floppy drive {dev.label}: Generation 2 VMs have no floppy drive.",
                    "Nothing to do.", ["drop"], "drop")


@rule("DEV-CDROM", Severity.INFO, "CD/DVD drive with media", G, order=64)
def cdrom(ctx: RuleContext) -> None:
    ide_used = {(d.controller_number, d.location) for d in ctx.spec.disks
                if d.include and d.controller is TargetController.IDE}
    for dev in _devices(ctx, DeviceKind.CDROM):
        if not dev.connected:
            continue
        if ctx.spec.generation == 1 and len(ide_used) >= 4:
            _report(ctx, dev, f"CD/DVD drive {dev.label} has media connected; Generation 1 keeps DVD drives on IDE "
                    "and all four IDE places hold disks, so it is left out.", "If the VM needs a DVD drive, move a "
                    "data disk to SCSI on Hyper-V and add the drive there.", ["drop", "block"], "drop")
            continue
        _report(ctx, dev, f"CD/DVD drive {dev.label} has media connected ({dev.backing or 'unknown'}); ISO files and "
                "host drives are not copied. The new VM gets an empty DVD drive.",
                "Attach the ISO again on Hyper-V if it is still needed.", ["drop", "convert"], "convert")


@rule("DEV-PCI-PASSTHROUGH", Severity.WARNING, "PCI passthrough device", join(W, A, M), order=65)
def pci(ctx: RuleContext) -> None:
    for dev in _devices(ctx, DeviceKind.PCI_PASSTHROUGH):
        _report(ctx, dev, f"PCI device {dev.label} is passed through from the ESXi host; it belongs to that host's "
                "hardware.", "On Hyper-V, assign an equivalent device with Discrete Device Assignment after the "
                "move, or check that the guest works without it.", ["drop", "block"], "drop")


@rule("DEV-VGPU", Severity.WARNING, "Virtual GPU", join(W, A, V), order=66)
def vgpu(ctx: RuleContext) -> None:
    for dev in _devices(ctx, DeviceKind.VGPU):
        _report(ctx, dev, f"Virtual GPU {dev.label} (NVIDIA GRID/vGPU profile) cannot be carried over.",
                "After the move, use GPU partitioning (Windows Server 2025, configuration version 12.0) or DDA.",
                ["drop", "block"], "drop")


@rule("DEV-OTHER", Severity.INFO, "Device not carried over", W, order=67)
def other(ctx: RuleContext) -> None:
    for dev in _devices(ctx, DeviceKind.SOUND, DeviceKind.SMART_CARD, DeviceKind.OTHER):
        _report(ctx, dev, f"{dev.label or dev.kind.value} ({dev.kind.value.replace('_', ' ')}) has no Hyper-V "
                "equivalent.", "Nothing to do unless the guest relies on it.", ["drop", "block"], "drop")


@rule("DEV-NVDIMM", Severity.WARNING, "NVDIMM (persistent memory)", join(W, A), order=66)
def nvdimm(ctx: RuleContext) -> None:
    for dev in _devices(ctx, DeviceKind.NVDIMM):
        _report(ctx, dev, f"{dev.label} is a virtual NVDIMM ({dev.details or 'persistent memory'}) whose contents live "
                f"in their own file ({dev.backing or 'on the datastore'}); that file is not a disk and is not copied, "
                "so whatever the guest keeps on it is lost, and Hyper-V VMs have no NVDIMM device.",
                "Copy the data the guest keeps on the persistent-memory device onto a virtual disk before the move.",
                ["drop", "block"], "drop")


@rule("DEV-3D", Severity.INFO, "3D graphics acceleration", join(W, V), order=66)
def accel_3d(ctx: RuleContext) -> None:
    for dev in _devices(ctx, DeviceKind.GPU_3D):
        _report(ctx, dev, "3D acceleration is on for the VMware display adapter. Hyper-V VMs get a basic display "
                "adapter without 3D (RemoteFX is gone); applications that need 3D run in software or not at all.",
                "Use GPU partitioning or Discrete Device Assignment on Hyper-V if the guest needs 3D.",
                ["drop", "block"], "drop")


@rule("NESTED-VIRT", Severity.INFO, "Nested virtualization", join(S, V), order=68)
def nested(ctx: RuleContext) -> None:
    if not ctx.vm.nested_virtualization:
        return
    s = ctx.spec
    if not s.expose_virtualization_extensions and ctx.locked("nested"):
        ctx.flag("The source VM exposes hardware virtualization to its guest (nested virtualization, e.g. a "
                 "hypervisor or WSL2/Hyper-V inside), and you turned it off: hypervisors in the guest will not "
                 "start.", "Turn it on (--set nested=true) if the guest runs VMs or containers with isolation.",
                 severity=Severity.WARNING)
        return
    s.expose_virtualization_extensions = True
    ctx.flag("The source VM exposes hardware virtualization to its guest (nested virtualization); the plan turns on "
             "ExposeVirtualizationExtensions for the Hyper-V VM. Hyper-V then needs the VM's memory to be static "
             "while it runs, and the host must have an Intel or (from Windows Server 2022) AMD processor with "
             "virtualization extensions.", "Nothing to do; turn it off (--set nested=false) if the guest no longer "
             "needs it.", adjusted=True)

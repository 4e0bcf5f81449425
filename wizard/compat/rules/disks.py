"""Disks: what can be copied (RDM, shared, independent, encrypted, sizes) and where each disk goes.

Placement (``place_disks``): Generation 1 boots only from IDE, so the boot disk goes to IDE 0:0; other disks
that were on IDE at the source stay on IDE while the four IDE slots last (old guests may lack SCSI drivers;
IDE 1:0 is used last, as the DVD drive's place),
the rest go to SCSI controller 0, 1, ... 64 disks each. Generation 2 has no IDE: every disk goes to SCSI, boot
disk first. The boot disk is the spec disk marked ``boot`` (the engine marks the one
:func:`wizard.compat.boot.choose_boot_disk` picks; ``disk.N.boot=true`` overrides it). Guests without Hyper-V
storage drivers (Windows XP, 2003, Vista) keep every disk on IDE in Generation 1 and are blocked past four.
"""

from __future__ import annotations

from wizard.compat.rules.refs import WG, A, G, M, S, W, join
from wizard.compat.rules.registry import RuleContext, define, rule
from wizard.core.findings import Choice, Severity
from wizard.core.inventory import Backing, Controller, DiskMode, Sharing
from wizard.core.plan import DiskFormat, DiskSpec, TargetController

GiB = 1024**3
# Guests without Hyper-V integration (storage/network) drivers, by catalog version (also NIC-LEGACY's list)
NO_STORAGE_DRIVERS = frozenset({"2003", "xp", "vista", "legacy", "linux2.4"})
# Data disks take IDE 1:0 last: it is where a converted DVD drive goes on Generation 1 (see devices.py).
_IDE_SLOTS = ((0, 0), (0, 1), (1, 1), (1, 0))
_CTRL_NAMES = {Controller.PVSCSI: "VMware Paravirtual SCSI", Controller.LSILOGIC: "LSI Logic",
               Controller.LSILOGIC_SAS: "LSI Logic SAS", Controller.BUSLOGIC: "BusLogic", Controller.SATA: "SATA",
               Controller.NVME: "NVMe", Controller.VIRTIO: "virtio-scsi", Controller.SCSI: "SCSI"}


def _label(ctx: RuleContext, index: int) -> str:
    d = ctx.vm.disks[index] if index < len(ctx.vm.disks) else None
    return (d.label if d and d.label else f"disk {index}")


def _include_choice(index: int, default: str = "true") -> Choice:
    return Choice(key=f"disk.{index}.include", label="Copy this disk", options=["true", "false"], default=default,
                  selected=default)


def _spec_disks(ctx: RuleContext) -> list[tuple[DiskSpec, int]]:
    """(spec disk, source index) pairs of included disks that exist in the source."""
    n = len(ctx.vm.disks)
    return [(d, d.source_index) for d in ctx.spec.disks if d.include and 0 <= d.source_index < n]


@rule("DISK-NONE", Severity.WARNING, "VM has no disks", M, order=50)
def no_disks(ctx: RuleContext) -> None:
    if ctx.vm.disks:
        return
    ctx.flag("The source VM has no virtual disks, so there is nothing to copy; only an empty VM would be created.",
             "Check the VM on the source; leave it out if it is not needed.")


def _names_file(path: str, name: str) -> bool:
    """True when the disk file ``path`` is the file ``name`` a source listed (a path, or a name in the package)."""
    return bool(path) and (path == name or path.replace("\\", "/").endswith("/" + name.replace("\\", "/")))


@rule("DISK-UNREADABLE", Severity.BLOCKER, "Disk file missing or damaged", M, order=50)
def disk_unreadable(ctx: RuleContext) -> None:
    files = [f for f in str(ctx.vm.extra.get("missing_files", "")).splitlines() if f.strip()]
    # a file only disks left out of the plan use (another OVF deployment option's, a disk the user left out)
    # does not stop the VM; a file no disk can be told to use does
    planned = [ctx.vm.disks[i].path for _d, i in _spec_disks(ctx)]
    others = [d.path for i, d in enumerate(ctx.vm.disks) if i not in {j for _d, j in _spec_disks(ctx)}]
    files = [f for f in files if any(_names_file(p, f) for p in planned) or not any(_names_file(p, f) for p in others)]
    if not files:
        return
    notes = [w for w in str(ctx.vm.extra.get("warnings", "")).splitlines() if any(f in w for f in files)]
    ctx.flag(f"These disk files of the VM are missing or cannot be read: {', '.join(files)}."
             + (f" ({'; '.join(notes)})" if notes else ""),
             "Copy the whole VM folder again (every .vmdk/.vdi file it names, and the -flat/-sNNN extents), "
             "or repair the disk on the source, then discover again.")


_QEMU_FORMATS = ("vdi", "qcow2", "qed")


@rule("DISK-FORMAT", Severity.BLOCKER, "Disk format the copy cannot read", join(M, A), order=50)
def disk_format(ctx: RuleContext) -> None:
    """Disks the disk engine refuses when the migration opens them: assess says so first (the same reasons)."""
    for _d, i in _spec_disks(ctx):
        disk = ctx.vm.disks[i]
        label = _label(ctx, i)
        if disk.backing in (Backing.SESPARSE, Backing.VMFS_SPARSE):
            kind = "seSparse" if disk.backing is Backing.SESPARSE else "vmfsSparse (-delta.vmdk)"
            ctx.flag(f"{label} is an ESXi snapshot delta ({kind}): its data is spread over the snapshot files of "
                     "the datastore, in a format hvmigrate does not read.",
                     "Delete or consolidate the VM's snapshots on ESXi (Snapshots > Delete All or Consolidate), or "
                     "export the VM as OVF, then discover again.", subject=label, choices=[_include_choice(i)])
        elif disk.file_format in _QEMU_FORMATS and len(disk.chain) > 1:
            ctx.flag(f"{label} is a chain of {len(disk.chain)} {disk.file_format.upper()} files (a snapshot or "
                     "differencing image); only a single-file image of this format can be read.",
                     "Delete the VM's snapshots, or clone it to a new full VM (VirtualBox: Clone, 'Current machine "
                     "state'), then migrate the clone.", subject=label, choices=[_include_choice(i)])


@rule("RDM-PHYSICAL", Severity.BLOCKER, "Physical-mode raw device mapping", join(A, M, W), order=51)
def rdm_physical(ctx: RuleContext) -> None:
    for d, i in ((d, d.source_index) for d in ctx.spec.disks if d.source_index < len(ctx.vm.disks)):
        if ctx.vm.disks[i].backing is not Backing.RDM_PHYSICAL:
            continue
        if not d.include:
            ctx.flag(f"{_label(ctx, i)} is a physical-mode RDM LUN; you chose to leave it out of the migration.",
                     "Present the LUN to the Hyper-V host (pass-through disk or in-guest iSCSI) if the VM needs it.",
                     subject=_label(ctx, i), severity=Severity.INFO, choices=[_include_choice(i, "false")])
            continue
        ctx.flag(f"{_label(ctx, i)} is a physical-mode raw device mapping: the guest talks to a SAN LUN directly "
                 "and converters cannot copy it into a virtual disk.",
                 f"Leave the disk out (--set disk.{i}.include=false) and give the LUN to the new VM another way, "
                 "or switch it to virtual mode on the source (storage vMotion to a VMDK) first.",
                 subject=_label(ctx, i), choices=[_include_choice(i)])


@rule("RDM-VIRTUAL", Severity.WARNING, "Virtual-mode raw device mapping", join(A, M), order=52)
def rdm_virtual(ctx: RuleContext) -> None:
    for _d, i in _spec_disks(ctx):
        if ctx.vm.disks[i].backing is Backing.RDM_VIRTUAL:
            ctx.flag(f"{_label(ctx, i)} is a virtual-mode RDM. Its LUN's content is copied into a VHDX; the new VM "
                     "will not use the LUN any more.",
                     "Keep it (copy) or leave it out and re-attach the LUN on Hyper-V.", subject=_label(ctx, i),
                     choices=[_include_choice(i)])


@rule("DISK-SHARED", Severity.WARNING, "Shared or clustered disk", join(A, W), order=53)
def disk_shared(ctx: RuleContext) -> None:
    for _d, i in _spec_disks(ctx):
        sharing = ctx.vm.disks[i].sharing
        if sharing is Sharing.NONE:
            continue
        kind = "multi-writer" if sharing is Sharing.MULTI_WRITER else "SCSI-bus-shared (cluster)"
        ctx.flag(f"{_label(ctx, i)} is a {kind} disk used by several VMs. A copy becomes a private disk of this VM "
                 "only; the other nodes will not see it.",
                 "On Hyper-V use a shared VHDX or a VHD Set for the cluster disk; migrate it once and attach it "
                 "to each node, or leave it out here.", subject=_label(ctx, i), choices=[_include_choice(i)])


@rule("DISK-INDEPENDENT", Severity.WARNING, "Independent or non-persistent disk", join(A, W), order=54)
def disk_independent(ctx: RuleContext) -> None:
    for _d, i in _spec_disks(ctx):
        mode = ctx.vm.disks[i].mode
        if mode in (DiskMode.PERSISTENT, DiskMode.UNKNOWN):
            continue
        extra = (" Changes made since the VM was powered on are discarded by VMware, so the copy holds the "
                 "saved base content." if mode in (DiskMode.INDEPENDENT_NONPERSISTENT, DiskMode.NONPERSISTENT)
                 else "")
        ctx.flag(f"{_label(ctx, i)} is in {mode.value.replace('_', ' ')} mode: snapshots do not cover it, so it "
                 "cannot be copied consistently while the VM runs." + extra,
                 "Power the VM off before its migration, or leave the disk out.", subject=_label(ctx, i),
                 choices=[_include_choice(i)])


@rule("VSAN", Severity.INFO, "Disk on vSAN", join(W, A), order=55)
def disk_vsan(ctx: RuleContext) -> None:
    names = [_label(ctx, i) for d, i in _spec_disks(ctx) if ctx.vm.disks[i].vsan]
    if names:
        ctx.flag("Disks on a vSAN datastore (" + ", ".join(names) + ") are objects, not plain files; they are "
                 "read through the vCenter export, which can be slower.", "Nothing to do.")


@rule("VHD-2040GB", Severity.WARNING, "Disk too large for the VHD format", S, order=56)
def vhd_max(ctx: RuleContext) -> None:
    most = ctx.limits.vhd_max_bytes
    for d, i in _spec_disks(ctx):
        if d.format is not DiskFormat.VHD or d.capacity_bytes <= most:
            continue
        if ctx.locked("disk.format", f"disk.{i}.format"):
            ctx.flag(f"{_label(ctx, i)} is {d.capacity_bytes / GiB:.0f} GiB; VHD files hold at most 2040 GB.",
                     "Use VHDX (--set disk.format=vhdx).", subject=_label(ctx, i), severity=Severity.BLOCKER)
            continue
        d.format = DiskFormat.VHDX
        d.file_name = d.file_name.rsplit(".", 1)[0] + ".vhdx"
        ctx.flag(f"{_label(ctx, i)} is {d.capacity_bytes / GiB:.0f} GiB; VHD files hold at most 2040 GB, so it is "
                 "written as VHDX.", "Nothing to do.", subject=_label(ctx, i), adjusted=True)


@rule("DISK-MAX", Severity.BLOCKER, "Disk larger than 64 TB", S, order=56)
def vhdx_max(ctx: RuleContext) -> None:
    for d, i in _spec_disks(ctx):
        if d.capacity_bytes > ctx.limits.vhdx_max_bytes:
            ctx.flag(f"{_label(ctx, i)} is {d.capacity_bytes / GiB / 1024:.1f} TiB; a VHDX holds at most 64 TB.",
                     "Shrink the disk or split its data before migrating, or leave it out.",
                     subject=_label(ctx, i), choices=[_include_choice(i)])


@rule("DISK-SIZE-UNKNOWN", Severity.WARNING, "Disk size unknown", M, order=56)
def disk_size_unknown(ctx: RuleContext) -> None:
    for d, i in _spec_disks(ctx):
        if d.capacity_bytes <= 0 and not ctx.vm.disks[i].no_file:  # an empty disk of no size: DISK-NO-SIZE
            ctx.flag(f"The source does not say how large {_label(ctx, i)} is; space estimates leave it out.",
                     "The size is read from the disk file when the migration starts.", subject=_label(ctx, i))


@rule("DISK-NO-SIZE", Severity.BLOCKER, "Empty disk of unknown size", M, order=56)
def disk_no_size(ctx: RuleContext) -> None:
    """An OVF disk with no file is created empty at deployment; with no size either, there is nothing to create."""
    for d, i in _spec_disks(ctx):
        disk = ctx.vm.disks[i]
        if disk.no_file and d.capacity_bytes <= 0:
            label = _label(ctx, i)
            ctx.flag(f"{label} has no file in the package and the package does not give its size (its capacity is a "
                     "property without a value), so there is no disk to create.",
                     "Leave the disk out and add a disk of the size the appliance needs on Hyper-V after the move, "
                     "or give the property a default value in the OVF and discover again.", subject=label,
                     choices=[_include_choice(i)])


@rule("DISK-EXCLUDED", Severity.WARNING, "Disk left out", M, order=57)
def disk_excluded(ctx: RuleContext) -> None:
    for d in ctx.spec.disks:
        if d.include or d.source_index >= len(ctx.vm.disks):
            continue
        backing = ctx.vm.disks[d.source_index].backing
        if backing is Backing.RDM_PHYSICAL and not d.boot:
            continue  # RDM-PHYSICAL already explains it
        label = _label(ctx, d.source_index)
        if d.boot:
            ctx.flag(f"{label} is the boot disk, and it is left out: the new VM would have nothing to start from.",
                     f"Include it (--set disk.{d.source_index}.include=true).", subject=label,
                     severity=Severity.BLOCKER)
        else:
            ctx.flag(f"{label} is left out of the migration; its data stays on the source only.",
                     f"Include it with --set disk.{d.source_index}.include=true if the VM needs it.", subject=label)


define("IDE-OLD-GUEST", Severity.INFO, "Old guest keeps its disks on IDE", join(G, WG), order=58, topic="disks")
define("GEN1-BOOT-IDE", Severity.INFO, "Generation 1 boot disk moves to IDE", G, order=58, topic="disks")
define("IDE-MAX4", Severity.WARNING, "More IDE disks than Generation 1 has slots", join(S, M), order=58, topic="disks")
define("IDE-TO-SCSI-GEN2", Severity.INFO, "IDE disks move to SCSI on Generation 2", G, order=58, topic="disks")
define("SCSI-MAX", Severity.BLOCKER, "More disks than Hyper-V can attach", S, order=58, topic="disks")
define("CTRL-REMAP", Severity.INFO, "Disk controllers change", join(G, M), order=58, topic="disks")
define("DISK-LAYOUT", Severity.BLOCKER, "Disk placement not valid", join(S, G), order=58, topic="disks")


@rule("DISK-PLACEMENT", Severity.INFO, "Disk placement", join(S, G), order=58)
def place_disks(ctx: RuleContext) -> None:
    if ctx.validate:
        _check_layout(ctx)
        return
    disks = [d for d, _ in _spec_disks(ctx)]
    if not disks:
        return
    gen = ctx.spec.generation
    boot = next((d for d in disks if d.boot), disks[0])
    others = [d for d in disks if d is not boot]
    src = ctx.vm.disks
    ide_free = list(_IDE_SLOTS)
    scsi: list[DiskSpec] = []
    moved_from_ide: list[str] = []
    ide_only = gen == 1 and ctx.guest.version in NO_STORAGE_DRIVERS
    if ide_only and len(disks) > len(_IDE_SLOTS):
        ctx.flag(f"{ctx.guest.name} has no Hyper-V storage drivers, so it sees disks only on the IDE controller, "
                 f"and Generation 1 has {len(_IDE_SLOTS)} IDE places; this VM has {len(disks)} disks.",
                 "Leave disks out (--set disk.N.include=false) until four remain, or merge their data on the source.",
                 code="IDE-MAX4", severity=Severity.BLOCKER)
    if gen == 1:
        boot.controller, (boot.controller_number, boot.location) = TargetController.IDE, ide_free.pop(0)
        if src[boot.source_index].controller is not Controller.IDE:
            ctx.flag(f"Generation 1 VMs start only from an IDE disk, so {_label(ctx, boot.source_index)} "
                     f"(on {_CTRL_NAMES.get(src[boot.source_index].controller, 'another controller')} at the source) "
                     "is attached to IDE 0:0. Windows and Linux find it with their built-in IDE drivers.",
                     "Nothing to do.", code="GEN1-BOOT-IDE", adjusted=True)
        for d in others:
            if src[d.source_index].controller is Controller.IDE or ide_only:
                if ide_free:
                    d.controller, (d.controller_number, d.location) = TargetController.IDE, ide_free.pop(0)
                    continue
                moved_from_ide.append(_label(ctx, d.source_index))
            scsi.append(d)
        if ide_only and not moved_from_ide and others:
            ctx.flag(f"{ctx.guest.name} has no Hyper-V storage drivers, so every disk stays on the IDE controller "
                     "(its built-in driver), where the guest finds them.", "Nothing to do.", code="IDE-OLD-GUEST",
                     adjusted=True)
        if moved_from_ide and not ide_only:
            verb = "moves" if len(moved_from_ide) == 1 else "move"
            ctx.flag("Generation 1 has 4 IDE slots; " + ", ".join(moved_from_ide) + f" {verb} to the SCSI "
                     "controller, which needs the guest's Hyper-V (integration services) drivers.",
                     "Supported guests have them; for older guests check the disks are online after the move.",
                     code="IDE-MAX4", adjusted=True)
    else:
        scsi = [boot, *others]
        ide = [_label(ctx, d.source_index) for d in scsi if src[d.source_index].controller is Controller.IDE]
        if ide:
            verb = "moves" if len(ide) == 1 else "move"
            ctx.flag("Generation 2 has no IDE controller; " + ", ".join(ide) + f" {verb} to SCSI. Windows and "
                     "current Linux include the Hyper-V SCSI driver.", "Nothing to do.", code="IDE-TO-SCSI-GEN2",
                     adjusted=True)
    per, ctrls = ctx.limits.disks_per_scsi_controller, ctx.limits.scsi_controllers
    if len(scsi) > per * ctrls:
        ctx.flag(f"This VM has {len(scsi)} disks for SCSI; Hyper-V attaches at most {ctrls} × {per}.",
                 "Leave some disks out, or merge their data.", code="SCSI-MAX")
    for n, d in enumerate(scsi):
        d.controller, d.controller_number, d.location = TargetController.SCSI, min(n // per, ctrls - 1), n % per
    remapped = sorted({_CTRL_NAMES[src[d.source_index].controller] for d in disks
                       if src[d.source_index].controller in _CTRL_NAMES})
    if remapped:
        pv = " The VMware Paravirtual SCSI driver has no use on Hyper-V." if "VMware Paravirtual SCSI" in remapped \
            else ""
        where = " (the boot disk to IDE, as Generation 1 requires)" if gen == 1 else ""
        ctx.flag("Disks on " + ", ".join(remapped) + " controllers are attached to Hyper-V's synthetic SCSI "
                 f"controller{where}." + pv,
                 "Nothing to do for supported guests.", code="CTRL-REMAP", adjusted=True)


def _check_layout(ctx: RuleContext) -> None:
    seen: dict[tuple[str, int, int], str] = {}
    gen = ctx.spec.generation
    for d, i in _spec_disks(ctx):
        label = _label(ctx, i)
        slot = (d.controller.value, d.controller_number, d.location)
        problem = ""
        if d.controller is TargetController.IDE and gen == 2:
            problem = "Generation 2 VMs have no IDE controller"
        elif d.controller is TargetController.IDE and (d.controller_number, d.location) not in _IDE_SLOTS:
            problem = "IDE positions are 0:0, 0:1, 1:0 and 1:1"
        elif d.controller is TargetController.SCSI and not (
                0 <= d.controller_number < ctx.limits.scsi_controllers
                and 0 <= d.location < ctx.limits.disks_per_scsi_controller):
            problem = "SCSI positions are controller 0-3, location 0-63"
        elif d.boot and gen == 1 and d.controller is not TargetController.IDE:
            problem = "Generation 1 VMs start only from an IDE disk"
        elif slot in seen:
            problem = f"it uses the same position as {seen[slot]}"
        seen.setdefault(slot, label)
        if problem:
            ctx.flag(f"{label}: {problem} ({d.controller.value} {d.controller_number}:{d.location}).",
                     "Plan the VM again with hvmigrate plan, or fix the disk's controller in the plan file.",
                     subject=label, code="DISK-LAYOUT")


@rule("GEN1-BOOT-2TB", Severity.WARNING, "Generation 1 boot disk larger than 2 TB", G, order=59)
def gen1_boot_2tb(ctx: RuleContext) -> None:
    if ctx.spec.generation != 1:
        return
    most = ctx.limits.boot_disk_max_bytes(1)
    for d, i in _spec_disks(ctx):
        if d.boot and d.capacity_bytes > most:
            ctx.flag(f"{_label(ctx, i)} is {d.capacity_bytes / GiB:.0f} GiB; a Generation 1 VM boots from a disk "
                     "of at most 2 TB. A BIOS (MBR) system cannot use space beyond 2 TB anyway.",
                     "Keep the boot volume within the first 2 TB; move large data to a second disk.",
                     subject=_label(ctx, i))

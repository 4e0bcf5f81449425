"""Prepare one Linux guest's converted disks for Hyper-V, offline: the entry point of ``wizard.guests``.

Contract of :func:`prepare_linux_guest`: the disks are opened together in one libguestfs appliance; the guest
is inspected and every change is worked out with its file systems mounted *read-only*, so a guest that cannot
be prepared — no operating system, an encrypted root, not Linux, an unknown distribution, a kernel without
Hyper-V drivers, no initramfs tool — comes back ``refused`` with nothing written. Otherwise the file systems
are mounted read-write and the changes applied (network, fstab, VMware Tools, then the initramfs of every
kernel, rebuilt inside the guest), and the appliance is shut down in order (:meth:`Fish.shutdown`): ``prepared``
is returned only once the changes are in the disk files. Each change is a
:class:`~wizard.guests.report.Change`; every original is kept (see :mod:`wizard.guests.edits`).

Errors: an appliance that cannot start, or an error before anything was written, raises
:class:`~wizard.core.errors.GuestPrepError` with ``written`` False in its details ("nothing was changed");
an error after writing began raises it too, and the caller must not deliver those disks as prepared (the
migration treats it as the VM's failure). :class:`~wizard.core.errors.Cancelled` passes through.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field

from wizard.core.errors import GuestPrepError
from wizard.core.i18n import user_text
from wizard.core.progress import CancelToken
from wizard.guests import initramfs as ird
from wizard.guests.edits import FileEdit, apply_edits, network_edits
from wizard.guests.fish import Fish, GuestCommandError
from wizard.guests.fixes import (
    TOOLS_DB,
    bootloader_notes,
    fstab_edit,
    open_vm_tools,
    tarball_tools,
)
from wizard.guests.inspect import Refusal, inspect_and_mount, modules_dir, mount
from wizard.guests.network import Nic
from wizard.guests.report import PREPARED, REFUSED, UNCHANGED, Change, PrepReport

REBUILD_TIMEOUT = 1800.0  # one initramfs under TCG: about a minute; a slow disk, many kernels: more
INITRAMFS_WHY = user_text("the guest needs the Hyper-V drivers to find its disk and network at boot")


@dataclass
class PrepOptions:
    """What the plan says about the guest: its generation, its adapters (:class:`~wizard.guests.network.Nic`,
    in Hyper-V order), whether VMware Tools go, and how many disks it has."""

    generation: int = 2
    nics: list[Nic] = field(default_factory=list)
    remove_vmware_tools: bool = True
    disk_count: int = 1


class PrepFailed(GuestPrepError):
    """Preparation stopped with an error; ``written`` says whether anything inside the guest was changed."""

    def __init__(self, message: str, *, written: bool, details: str = "", fix: str | None = None,
                 transient: bool = False) -> None:
        super().__init__(message, details=details, fix=fix)
        self.written = written
        self.transient = transient  # the appliance stalled, died or did not start: another try may succeed


@dataclass
class _Kernel:
    version: str
    modules: list[str]
    image: str


def prepare_linux_guest(disks: list[str | os.PathLike[str]], options: PrepOptions,
                        cancel: CancelToken | None = None) -> PrepReport:
    """See the module docstring."""
    started = time.monotonic()
    report = PrepReport()
    written = False
    try:
        with Fish(disks, cancel=cancel) as fish:
            try:
                report.facts = inspect_and_mount(fish)
                kernels, notes = _kernels(fish, report.facts.kernels, options.generation)
                report.notes += notes
                tool = report.facts.initramfs_tool
                if kernels and not tool:
                    raise Refusal("no initramfs tool (dracut, initramfs-tools or mkinitrd) was found in the guest, "
                                  "so its boot image cannot be rebuilt with the Hyper-V drivers")
                edits, services = _plan_edits(fish, options, report)
            except Refusal as refusal:
                report.status, report.reason = REFUSED, refusal.reason
                return report
            if not edits and not kernels and not services:
                report.status = UNCHANGED
                return report
            mount(fish, report.facts.root_device, readonly=False)
            written = True
            report.changes += apply_edits(fish, edits)
            report.changes += _remove_tools(fish, services)
            report.changes += _rebuild(fish, tool, kernels, options.generation)
            try:
                fish.shutdown()  # the changes are in the disk files only once this succeeded
            except GuestPrepError as exc:
                raise PrepFailed(f"the changes made inside the guest could not be written out to its disk files: "
                                 f"{exc.message}", written=True, details=report.changes_text(),
                                 fix="Its disks were not delivered. Check the free space and health of this "
                                     "workstation's disk, then migrate it again.") from None
            report.status = PREPARED
            return report
    except GuestCommandError as exc:
        raise PrepFailed(f"preparing the guest failed: {exc.message}", written=written,
                         details=report.changes_text(),
                         fix=("Its disks were not delivered. Migrate it again with 'Prepare Linux guests for "
                              "Hyper-V' off, and follow the report's steps inside the guest." if written else None)
                         ) from None
    except GuestPrepError as exc:
        if isinstance(exc, PrepFailed):
            raise
        # not a command's answer: the appliance did not start, stalled or died
        raise PrepFailed(exc.message, written=written, details=exc.details, fix=exc.fix, transient=True) from None
    finally:
        report.seconds = time.monotonic() - started


def _kernels(fish: Fish, versions: list[str], generation: int) -> tuple[list[_Kernel], list[str]]:
    """The kernels to rebuild; refuses when the newest (the one that boots) has no Hyper-V drivers."""
    if not versions:
        raise Refusal("no installed kernel was found in /lib/modules and /boot")
    out, notes, lacking = [], [], []
    for kver in versions:
        base = modules_dir(fish, kver)
        dep = (fish.read(f"{base}/modules.dep", limit=16 * 1024 * 1024) or b"").decode("utf-8", "replace")
        builtin = (fish.read(f"{base}/modules.builtin", limit=16 * 1024 * 1024) or b"").decode("utf-8", "replace")
        loadable, built = ird.kernel_modules(dep, builtin)
        if not ird.bootable(loadable, built):
            lacking.append(kver)
            continue
        modules, missing = ird.wanted(loadable, built, generation)
        if missing:
            notes.append(f"Kernel {kver} has no {', '.join(missing)} driver: "
                         + ("the network adapter will not work on Hyper-V with it." if "hv_netvsc" in missing
                            else "some Hyper-V services will not work with it."))
        image = next((p for p in ird.image_candidates(kver) if fish.ok("is-file", p)), "")
        out.append(_Kernel(kver, modules, image))
    if versions[-1] in lacking:
        raise Refusal(f"the kernel {versions[-1]} has no Hyper-V storage drivers (hv_vmbus, hv_storvsc), so the "
                      "guest cannot find its disk on Hyper-V whatever its initramfs holds; update the kernel (or "
                      "install Microsoft's Linux Integration Services) before migrating. Nothing was changed")
    if lacking:
        notes.append("Kernel(s) " + ", ".join(lacking) + " have no Hyper-V storage drivers: choose a newer kernel "
                     "in the boot menu if one of them is ever the default.")
    return [k for k in out if k.modules], notes


def _plan_edits(fish: Fish, options: PrepOptions, report: PrepReport) -> tuple[list[FileEdit], list[str]]:
    edits, _nics = network_edits(fish, options.nics)
    fstab, notes = fstab_edit(fish, options.disk_count)
    if fstab is not None:
        edits.append(fstab)
    report.notes += notes + bootloader_notes(fish)
    services: list[str] = []
    files, folders, service_files = tarball_tools(fish)
    if files or service_files or fish.ok("is-file", TOOLS_DB):
        if options.remove_vmware_tools:
            services = [*files, *service_files, "", *folders]  # "" separates files from folders
        else:
            report.notes.append("VMware Tools (installed from VMware's tarball) were left in the guest: the plan "
                                "keeps them (fixups.remove_vmware_tools=false).")
    elif open_vm_tools(fish):
        report.notes.append("open-vm-tools was left installed: it is harmless on Hyper-V (it does nothing there); "
                            "remove it with the package manager when convenient, and install hyperv-daemons.")
    return edits, services


def _remove_tools(fish: Fish, plan: list[str]) -> list[Change]:
    if not plan:
        return []
    cut = plan.index("")
    files, folders = plan[:cut], plan[cut + 1:]
    for path in files:
        fish.call("rm-f", path)
    for folder in sorted(folders, key=len, reverse=True):
        with contextlib.suppress(GuestCommandError):  # not empty (files of the user's): it stays
            fish.call("rmdir", folder)
    changes = []
    if fish.ok("is-file", TOOLS_DB):
        fish.call("mv", TOOLS_DB, TOOLS_DB + ".hvmigrate-orig")
        changes.append(Change(TOOLS_DB, user_text("moved aside (the VMware installer's list of the files it "
                                                  "installed)"),
                              user_text("VMware Tools were removed"), TOOLS_DB + ".hvmigrate-orig"))
    shown = ", ".join(files[:8])
    what = (user_text(f"removed {len(files)} file(s) and their services: {shown} and {len(files) - 8} more")
            if len(files) > 8 else user_text(f"removed {len(files)} file(s) and their services: {shown}"))
    changes.insert(0, Change(user_text("VMware Tools (tarball install)"), what,
                             user_text("they do nothing on Hyper-V, and their services fail at every start")))
    return changes


def _rebuild(fish: Fish, tool: str, kernels: list[_Kernel], generation: int) -> list[Change]:
    if not kernels:
        return []
    changes: list[Change] = []
    common = [m for m in kernels[-1].modules if all(m in k.modules for k in kernels)]
    if tool == "dracut":
        conf = ird.DRACUT_CONF
        existed = fish.ok("exists", conf)
        if existed and not fish.ok("exists", conf + ".hvmigrate-orig"):
            fish.call("cp-a", conf, conf + ".hvmigrate-orig")
        fish.call("mkdir-p", "/etc/dracut.conf.d")
        fish.write(conf, ird.dracut_conf(common).encode())
        mods = " ".join(common)
        changes.append(Change(conf, user_text(f'added add_drivers+=" {mods} "'), INITRAMFS_WHY,
                              conf + ".hvmigrate-orig" if existed else ""))
        for k in kernels:
            if _already_holds(fish, tool, k):
                changes.append(_kept(k, conf))
                continue
            _sh(fish, ird.dracut_command(k.version, k.image, k.modules))
            changes.append(_rebuilt(k, tool))
    elif tool == "initramfs-tools":
        existing = (fish.read(ird.TOOLS_MODULES) or b"").decode("utf-8", "surrogateescape")
        new = ird.tools_modules(existing, common)
        if new is not None:
            original = ""
            if fish.ok("exists", ird.TOOLS_MODULES):
                original = ird.TOOLS_MODULES + ".hvmigrate-orig"
                if not fish.ok("exists", original):
                    fish.call("cp-a", ird.TOOLS_MODULES, original)
            fish.write(ird.TOOLS_MODULES, new.encode("utf-8", "surrogateescape"))
            mods = " ".join(common)
            changes.append(Change(ird.TOOLS_MODULES, user_text(f"added {mods}"), INITRAMFS_WHY, original))
        stale = [k for k in kernels if not _already_holds(fish, tool, k)]
        changes += [_kept(k, ird.TOOLS_MODULES) for k in kernels if k not in stale]
        if len(stale) == len(kernels):
            _sh(fish, ird.TOOLS_COMMAND)
        for k in stale:
            if len(stale) != len(kernels):
                _sh(fish, ird.tools_command(k.version))
            changes.append(_rebuilt(k, tool))
    else:  # mkinitrd
        if fish.ok("is-file", ird.SUSE_KERNEL):
            existing = (fish.read(ird.SUSE_KERNEL) or b"").decode("utf-8", "surrogateescape")
            new = ird.suse_kernel_config(existing, common)
            if new is not None:
                original = ird.SUSE_KERNEL + ".hvmigrate-orig"
                if not fish.ok("exists", original):
                    fish.call("cp-a", ird.SUSE_KERNEL, original)
                fish.write(ird.SUSE_KERNEL, new.encode("utf-8", "surrogateescape"))
                changes.append(Change(ird.SUSE_KERNEL, "INITRD_MODULES += " + " ".join(common), INITRAMFS_WHY,
                                      original))
            _sh(fish, "mkinitrd")
            changes += [_rebuilt(k, tool) for k in kernels]
        else:
            for k in kernels:
                _sh(fish, ird.redhat_mkinitrd_command(k.version, k.image or f"/boot/initrd-{k.version}.img",
                                                      k.modules))
                changes.append(_rebuilt(k, tool))
    return changes


def _already_holds(fish: Fish, tool: str, k: _Kernel) -> bool:
    """True when kernel ``k``'s current initramfs already holds every module it should get (listed inside the
    guest by its own tool, a few seconds; rebuilding takes minutes). When the listing cannot be had, False:
    the initramfs is rebuilt."""
    command = ird.list_command(tool, k.image)
    if command is None:
        return False
    try:
        listing = fish.call("sh", command, timeout=REBUILD_TIMEOUT)
    except GuestCommandError:
        return False
    return not ird.lacking(listing, k.modules)


def _kept(k: _Kernel, config: str) -> Change:
    mods = " ".join(k.modules)
    return Change(k.image, user_text(f"not rebuilt: it already holds {mods} ({config} now names them, so the "
                                     "initramfs of every kernel installed later holds them too)"), INITRAMFS_WHY, "")


def _rebuilt(k: _Kernel, tool: str) -> Change:
    image = k.image or user_text(f"the initramfs of {k.version}")
    mods = " ".join(k.modules)
    return Change(image, user_text(f"rebuilt by {tool} with {mods}"), INITRAMFS_WHY, "")


def _sh(fish: Fish, command: str) -> None:
    """Run ``command`` inside the guest (libguestfs binds /dev, /proc and /sys into it, as virt-v2v relies on)."""
    fish.call("sh", command, timeout=REBUILD_TIMEOUT)

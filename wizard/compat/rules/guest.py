"""Is the guest OS a supported Hyper-V guest, on this host, with drivers that find the disks?"""

from __future__ import annotations

from wizard.compat.catalog import GuestInfo
from wizard.compat.rules.refs import LX, WG, L, S, join
from wizard.compat.rules.registry import RuleContext, rule
from wizard.core.findings import Severity
from wizard.core.i18n import user_text
from wizard.core.libguestfs import availability
from wizard.core.plan import GuestFixups


@rule("GUEST-ARM", Severity.BLOCKER, "ARM guest on an x64 Hyper-V host", S, order=19)
def guest_arm(ctx: RuleContext) -> None:
    if str(ctx.vm.extra.get("guest_arch", "")).lower() not in ("arm64", "aarch64", "arm"):
        return
    ctx.flag("The guest is built for ARM processors (e.g. a VM from VMware Fusion or VirtualBox on Apple silicon). "
             "Hyper-V on x64 servers runs only x86/x64 guests, and a disk copy cannot change the architecture.",
             "Reinstall the guest's OS for x64 on Hyper-V and move its data and applications.")


@rule("GUEST-UNSUPPORTED", Severity.WARNING, "Guest OS not supported on Hyper-V", join(WG, LX), order=20)
def guest_unsupported(ctx: RuleContext) -> None:
    g = ctx.guest
    if g.support != "unsupported":
        return
    ctx.flag(
        f"{g.name} is not a supported guest on current Hyper-V hosts. {g.notes}".strip(),
        "Upgrade the guest OS before migrating, or accept that it runs without Microsoft support "
        "(test it carefully after the move).")


@rule("GUEST-EOS", Severity.INFO, "Guest OS is out of vendor support", join(WG, LX), order=21)
def guest_end_of_support(ctx: RuleContext) -> None:
    g = ctx.guest
    if g.support != "end-of-support":
        return
    ctx.flag(f"{g.name} runs on Hyper-V, but it is out of (or near the end of) its vendor's support. "
             f"{g.notes}".strip(),
             "Install all updates before migrating; plan an upgrade of the guest OS.")


@rule("GUEST-UNKNOWN", Severity.INFO, "Guest OS not recognised", join(WG, LX), order=22)
def guest_unknown(ctx: RuleContext) -> None:
    g = ctx.guest
    if g.known and g.support != "unknown":
        return
    shown = g.name or "The guest OS"
    ctx.flag(f"{shown}: hvmigrate cannot tell whether Hyper-V supports this guest OS"
             + (f" (guest id {g.id!r})." if g.id else " (the source does not say)."),
             "Check the OS vendor's statement for Hyper-V, and test the VM after the move.")


@rule("GUEST-HOST-VERSION", Severity.WARNING, "Guest needs a newer Hyper-V host", WG, order=23)
def guest_needs_newer_host(ctx: RuleContext) -> None:
    need = ctx.guest.min_host
    if not need:
        return
    target = ctx.limits.version
    if target == "unknown":
        ctx.flag(f"{ctx.guest.name} is supported on Hyper-V hosts from Windows Server {need}.",
                 f"Migrate it to a Windows Server {need} or later host (pass --target-version to check).",
                 severity=Severity.INFO)
    elif int(target) < int(need):
        ctx.flag(f"{ctx.guest.name} is supported on Hyper-V hosts from Windows Server {need}; the target is "
                 f"Windows Server {target}.", f"Use a Windows Server {need} or later host.")


@rule("CPU-GUEST-MAX", Severity.WARNING, "More virtual processors than the guest supports", WG, order=24)
def guest_vcpu_limit(ctx: RuleContext) -> None:
    most = ctx.guest.max_vcpus
    if not most or ctx.spec.cpus <= most:
        return
    if ctx.locked("cpus"):
        ctx.flag(f"{ctx.guest.name} supports at most {most} virtual processors on Hyper-V; you chose "
                 f"{ctx.spec.cpus}.", f"Use at most {most} (--set cpus={most}).")
        return
    before = ctx.spec.cpus
    ctx.spec.cpus = most
    ctx.flag(f"{ctx.guest.name} supports at most {most} virtual processors on Hyper-V; the source has {before}.",
             f"The plan uses {most}.", adjusted=True)


def linux_prep_blocker(fixups: GuestFixups, guest: GuestInfo) -> str:
    """Why the plan or the guest's release rules out preparing this Linux guest offline ("" when neither does).
    The one test for assess (:func:`linux_prep`) and the migration (:func:`wizard.migrate.guestprep.decide`)."""
    if not fixups.prepare_linux:
        return user_text("automatic preparation is turned off in the plan (guest.prepare_linux=false)")
    if not fixups.linux_initramfs_drivers:
        return user_text("the initramfs fix-up is turned off in the plan (fixups.linux_initramfs_drivers=false)")
    if guest.needs_lis:
        return user_text("this release needs Microsoft's Linux Integration Services, which hvmigrate does not "
                         "install")
    return ""


def linux_prep(ctx: RuleContext) -> tuple[bool, str, bool]:
    """(will hvmigrate prepare this Linux guest offline, why not, was libguestfs's appliance seen starting):
    :func:`linux_prep_blocker`, then this workstation's libguestfs (:mod:`wizard.core.libguestfs`, never
    started here: the migration starts it)."""
    blocker = linux_prep_blocker(ctx.spec.fixups, ctx.guest)
    if blocker:
        return False, blocker, True
    answer = availability()
    return answer.ok, answer.reason, answer.checked


@rule("LINUX-INITRAMFS", Severity.WARNING, "Linux needs Hyper-V drivers in its boot image", join(L, LX), order=26)
def linux_initramfs(ctx: RuleContext) -> None:
    g = ctx.guest
    if g.family != "linux":
        return
    lis = (" This release also needs Microsoft's Linux Integration Services (LIS) package installed before the "
           "move." if g.needs_lis else "")
    msg = ("On Hyper-V the root disk and network are reached through the hv_vmbus, hv_storvsc and hv_netvsc "
           "drivers. If the boot image (initramfs) lacks them, the VM stops at boot with 'cannot find root device'."
           + lis)
    will, why_not, checked = linux_prep(ctx)
    if will:
        ctx.flag(msg, "Done automatically: after converting the disks, hvmigrate prepares the guest offline "
                      "(libguestfs on this workstation): it adds the Hyper-V drivers to the initramfs of every "
                      "installed kernel, binds the network configuration to the new adapter and removes VMware "
                      "Tools installed from VMware's tarball, keeping each original file as *.hvmigrate-orig; the "
                      "migration report lists every change. A guest it cannot prepare (encrypted root, a kernel "
                      "without Hyper-V drivers, an unknown distribution) is left unchanged and the report says why."
                 + ("" if checked else " (libguestfs is installed; its appliance starts here for the first time "
                                       "during the migration, and if it cannot, the report lists the steps to do "
                                       "by hand.)"),
                 severity=Severity.INFO, adjusted=True)
        return
    ctx.flag(msg, f"Not automated here: {why_not}. Before migrating, add hv_vmbus, hv_storvsc and hv_netvsc to "
                  "the initramfs (RHEL: dracut --add-drivers; Debian/Ubuntu: /etc/initramfs-tools/modules + "
                  "update-initramfs -u)" + (" and install LIS" if g.needs_lis else "")
                  + ", and remove HWADDR / mac-address bindings to the old network adapter.")

"""VMware Tools and guest information."""

from __future__ import annotations

from wizard.compat.rules.guest import linux_prep
from wizard.compat.rules.refs import M, W, join
from wizard.compat.rules.registry import RuleContext, rule
from wizard.core.findings import Severity
from wizard.core.inventory import PowerState


@rule("TOOLS-REMOVE", Severity.INFO, "VMware Tools to remove", join(W, M), order=95)
def tools_remove(ctx: RuleContext) -> None:
    status = ctx.vm.tools_status
    if status in ("", "notInstalled") and not ctx.vm.tools_version:
        return
    windows = ctx.guest.family == "windows"
    what = ("VMware Tools is installed. On Hyper-V its services and drivers fail at every start and it cannot be "
            "uninstalled normally once the VMware hardware is gone." if windows else
            "VMware Tools (or open-vm-tools) is installed; it has no use on Hyper-V.")
    if not windows:
        # Linux: the guest fix-ups only print instructions; the offline preparation is what removes anything,
        # and it removes only VMware's tarball install (open-vm-tools is harmless on Hyper-V).
        will, why_not, _checked = linux_prep(ctx)
        if will and ctx.spec.fixups.remove_vmware_tools:
            ctx.flag(what, "The offline preparation removes VMware Tools installed from VMware's tarball (files and "
                           "services; the report lists them). open-vm-tools is left installed: it is harmless on "
                           "Hyper-V; remove it with the package manager after the move if you like.", adjusted=True)
        else:
            ctx.flag(what, "Uninstall VMware Tools installed from VMware's tarball on the source before the "
                           "migration (vmware-uninstall-tools.pl); open-vm-tools can stay, it is harmless on "
                           "Hyper-V." + ("" if will else f" Not automated here: {why_not}."))
        return
    if ctx.spec.fixups.remove_vmware_tools:
        ctx.flag(what, "The guest fix-ups remove it after the move (or uninstall it on the source before).",
                 adjusted=True)
    else:
        ctx.flag(what, "Uninstall VMware Tools on the source before the migration.", severity=Severity.WARNING)


@rule("TOOLS-NOT-RUNNING", Severity.INFO, "Guest information not available", W, order=96)
def tools_not_running(ctx: RuleContext) -> None:
    if ctx.vm.power_state is not PowerState.ON or ctx.vm.tools_status not in ("notRunning", "notInstalled"):
        return
    ctx.flag("VMware Tools is not running in this VM, so its IP addresses and host name are unknown: static "
             "addresses cannot be captured and re-applied.", "Start VMware Tools on the source and discover again, "
             "or note the network settings by hand.")

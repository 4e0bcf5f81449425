"""What an OVF package (or a copied VM folder) carries besides the VM: deployment options, vApp properties,
files it names but does not hold, disks without a file, and the state the source was copied in."""

from __future__ import annotations

from wizard.compat.rules.refs import A, W, join
from wizard.compat.rules.registry import RuleContext, rule
from wizard.core.findings import Choice, Severity
from wizard.core.inventory import PowerState

OVF = "[OVF] DMTF DSP0243 Open Virtualization Format Specification (DeploymentOptionSection, ProductSection)"
GiB = 1024**3


@rule("OVF-DEPLOYMENT", Severity.INFO, "OVF deployment option", OVF, order=16)
def deployment(ctx: RuleContext) -> None:
    vm = ctx.vm
    chosen = str(ctx.batch.get("deployment", ""))  # the engine built the spec for this option
    option = next((o for o in vm.deployment_options if o.id == chosen), None)
    if option is None or ctx.validate:
        return
    others = ", ".join(f"{o.id} ({o.label})" if o.label else o.id for o in vm.deployment_options if o is not option)
    default = " (the package's default)" if option.id == vm.deployment_option else ""
    ctx.flag(f"The package offers {len(vm.deployment_options)} configurations; the plan uses "
             f"{option.id}{default}" + (f": {option.description}" if option.description else "")
             + f". That is {len(ctx.spec.disks)} disk(s), {len(ctx.spec.nics)} network adapter(s), "
             f"{ctx.spec.cpus} processor(s) and {ctx.spec.memory.startup_mb} MB of memory."
             + (f" Others: {others}." if others else ""),
             "To use another configuration, choose it (--set deployment=ID).",
             choices=[Choice(key="deployment", label="Configuration", options=[o.id for o in vm.deployment_options],
                             default=vm.deployment_option, selected=option.id)])


@rule("VAPP-PROPERTIES", Severity.WARNING, "vApp properties are not carried over", join(OVF, W), order=17)
def vapp_properties(ctx: RuleContext) -> None:
    props = ctx.vm.properties
    if not props:
        return
    keys = sorted(props)
    shown = ", ".join(keys[:8]) + (f" and {len(keys) - 8} more" if len(keys) > 8 else "")
    ctx.flag(f"The appliance has {len(props)} vApp properties ({shown}). vSphere hands them to the guest at "
             "start (OVF environment); Hyper-V has no such mechanism, so an appliance that reads them at every "
             "start loses its settings. Their values are written into the VM's notes (passwords are not).",
             "Check the appliance's documentation for how to set these values inside the guest, and keep the notes.")


@rule("OVF-FILE-MISSING", Severity.INFO, "File named by the package is missing", OVF, order=18)
def optional_file_missing(ctx: RuleContext) -> None:
    files = [f for f in str(ctx.vm.extra.get("missing_optional", "")).splitlines() if f]
    if not files:
        return
    ctx.flag("The package names files it does not hold: " + ", ".join(files) + ". They are not disks (for "
             "example an ISO for a CD/DVD drive); the new VM is built without them (a DVD drive stays empty).",
             "Nothing to do, unless the guest needs that media: attach it on Hyper-V after the move.")


@rule("DISK-EMPTY", Severity.INFO, "Disk created empty", OVF, order=55)
def empty_disk(ctx: RuleContext) -> None:
    for d in ctx.spec.disks:
        if (not d.include or d.source_index >= len(ctx.vm.disks) or not ctx.vm.disks[d.source_index].no_file
                or d.capacity_bytes <= 0):  # no size: DISK-NO-SIZE
            continue
        disk = ctx.vm.disks[d.source_index]
        ctx.flag(f"{disk.label or 'A disk'} has no file in the package: the appliance creates it empty when it is "
                 f"deployed. The plan creates an empty VHDX of {disk.capacity_bytes / GiB:g} GiB for it.",
                 "Nothing to do.", subject=disk.label, adjusted=True)


@rule("VM-UNCLEAN", Severity.WARNING, "VM was not shut down cleanly", join(W, A), order=83)
def unclean(ctx: RuleContext) -> None:
    vm = ctx.vm
    if vm.clean_shutdown is not False or vm.power_state in (PowerState.ON, PowerState.SUSPENDED):
        return
    ctx.flag("The VM's configuration says it was not shut down cleanly (cleanShutdown = FALSE): its files were "
             "copied while it ran, or it crashed or lost power. The disks may hold a file system that needs "
             "repair, or data the guest had not finished writing.",
             "Start the VM on the source and shut it down from inside the guest, then copy its folder again. If "
             "that is not possible, expect a disk check at the first start.")

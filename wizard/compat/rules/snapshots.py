"""Source state: snapshots, hibernation/suspend, power state, templates, hot-add."""

from __future__ import annotations

from wizard.compat.rules.refs import A, S, V, W, join
from wizard.compat.rules.registry import RuleContext, rule
from wizard.core.findings import Severity
from wizard.core.inventory import COPY_SNAPSHOT_NAME, PowerState


@rule("SNAPSHOT-CHAIN", Severity.WARNING, "VM has snapshots", join(W, A), order=80)
def snapshots(ctx: RuleContext) -> None:
    chained = [d.label or f"disk {i}" for i, d in enumerate(ctx.vm.disks) if d.chain]
    n = len(ctx.vm.snapshots)
    if not n and not chained:
        return
    if n:
        msg = (f"The VM has {n} snapshot{'s' if n != 1 else ''}. The migration copies the current state (reading "
               "through the snapshot chain); the snapshots themselves are not carried over.")
        fix = "Nothing to do. Deleting old snapshots on the source first makes the copy faster."
        if any(s.name == COPY_SNAPSHOT_NAME for s in ctx.vm.snapshots):
            msg += (f' One of them, "{COPY_SNAPSHOT_NAME}", was taken by an hvmigrate migration that did not '
                    "finish (the program was closed or crashed); nothing needs it any more.")
            fix = (f'Delete the snapshot "{COPY_SNAPSHOT_NAME}" in vSphere (Snapshots > Manage Snapshots), or '
                   "finish that run with hvmigrate migrate PLAN --resume, which removes it.")
    else:
        msg = ("The VM lists no snapshots, but these disks are delta (snapshot) files: " + ", ".join(chained)
               + ". They are orphaned snapshot files; the current state is copied through the chain.")
        fix = "Consolidate the VM's disks on the source (Snapshots > Consolidate) before migrating."
    ctx.flag(msg, fix)


@rule("HIBERNATED", Severity.BLOCKER, "Guest is hibernated or not cleanly shut down", join(W, V), order=82)
def hibernated(ctx: RuleContext) -> None:
    if not ctx.vm.hibernated:
        return
    ctx.flag("The guest was hibernated (or Windows Fast Startup left its disk in a hibernated state). On the new "
             "hardware it would try to resume and fail, and the file system is not in a clean state.",
             "Start the VM on the source and shut it down fully (Windows: shutdown /s /t 0, and turn Fast Startup "
             "off), then assess again.")


@rule("VM-INACCESSIBLE", Severity.BLOCKER, "VM is inaccessible or orphaned in vCenter", W, order=81)
def inaccessible(ctx: RuleContext) -> None:
    state = str(ctx.vm.extra.get("vsphere.connectionState", ""))
    missing = str(ctx.vm.extra.get("vsphere.missing", ""))
    no_config = "config" in [m.strip() for m in missing.split(",")]
    if state in ("", "connected") and not no_config:
        return
    what = f"vCenter marks it {state}" if state not in ("", "connected") else "vCenter sends no configuration for it"
    ctx.flag(f"The VM cannot be read: {what}, so its disks and settings are unknown or unreachable.",
             "Fix the VM in vCenter first (reconnect its host, re-register it from its .vmx, or remove the orphan), "
             "then discover again.")


@rule("VM-SUSPENDED", Severity.WARNING, "VM is suspended", W, order=83)
def suspended(ctx: RuleContext) -> None:
    if ctx.vm.power_state is not PowerState.SUSPENDED:
        return
    ctx.flag("The VM is suspended: its memory state cannot be carried over, so the new VM starts as after a power "
             "cut.", "Resume the VM on the source and shut it down properly before migrating.")


@rule("VM-POWERED-ON", Severity.INFO, "VM is running", W, order=84)
def powered_on(ctx: RuleContext) -> None:
    if ctx.vm.power_state is not PowerState.ON:
        return
    if ctx.vm.source_kind == "vsphere":
        ctx.flag("The VM is running. The plan copies its disks from a snapshot taken for the copy (quiesced when "
                 "VMware Tools run) and removes the snapshot afterwards; changes made after the snapshot are not "
                 "carried over.", "For the final cut-over, plan it with --source-policy shutdown (the guest is "
                 "shut down first and stays off once migrated), in a maintenance window.")
    else:
        ctx.flag("The VM is running. Its disk files change while they are copied, so the copy may not be "
                 "consistent.", "Shut the VM down in its console before migrating.")


@rule("VM-TEMPLATE", Severity.INFO, "Source is a template", W, order=85)
def template(ctx: RuleContext) -> None:
    if ctx.vm.template:
        ctx.flag("This is a vSphere template, not a VM. It can be converted, and becomes a normal Hyper-V VM.",
                 "Nothing to do; on Hyper-V consider keeping it as a VHDX library image instead.")


@rule("HOTADD", Severity.INFO, "CPU/memory hot-add", join(S, V), order=86)
def hot_add(ctx: RuleContext) -> None:
    vm = ctx.vm
    if not vm.cpu_hot_add and not vm.memory_hot_add:
        return
    parts = []
    if vm.memory_hot_add:
        parts.append("Memory can be changed while running on Hyper-V (configuration version 6.2+), or use "
                     "dynamic memory.")
    if vm.cpu_hot_add:
        parts.append("Hyper-V cannot add virtual processors to a running VM; change the count while it is off.")
    ctx.flag("Hot-add is enabled on the source. " + " ".join(parts), "Nothing to do.")

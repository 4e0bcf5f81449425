"""Network adapters: switch mapping, VLANs, legacy adapters, drivers, static IPs and MAC addresses."""

from __future__ import annotations

from wizard.compat.rules.guest import linux_prep
from wizard.compat.rules.refs import WG, A, G, S, W, join
from wizard.compat.rules.registry import RuleContext, rule
from wizard.core.findings import Severity

_NO_INTEGRATION = {"2003", "xp", "vista", "legacy", "linux2.4"}
_VMWARE_NICS = {"vmxnet3": "VMXNET3", "vmxnet2": "VMXNET 2", "vmxnet": "VMXNET"}


def _src_nic(ctx: RuleContext, index: int):
    return ctx.vm.nics[index] if 0 <= index < len(ctx.vm.nics) else None


@rule("NIC-LEGACY", Severity.INFO, "Legacy network adapter for an old guest", join(G, S, WG), order=70)
def nic_legacy(ctx: RuleContext) -> None:
    s = ctx.spec
    legacy = [n for n in s.nics if n.legacy]
    if s.generation == 2 and legacy:
        ctx.flag("Generation 2 VMs have no legacy network adapter: " + ", ".join(n.name for n in legacy) + ".",
                 "Turn legacy off for these adapters.", severity=Severity.BLOCKER)
        return
    if s.generation != 1 or ctx.guest.version not in _NO_INTEGRATION or not s.nics or ctx.validate:
        return
    changed = []
    for n in s.nics[: ctx.limits.legacy_nics_gen1]:
        if not n.legacy and not ctx.locked(f"nic.{n.source_index}.legacy"):
            n.legacy = True
            changed.append(n.name)
    if changed:
        ctx.flag(f"{ctx.guest.name} has no Hyper-V integration drivers, so it cannot use the synthetic network "
                 "adapter; " + ", ".join(changed) + " become legacy (emulated, slower) adapters.",
                 "Nothing to do.", adjusted=True)


@rule("NIC-UNMAPPED", Severity.INFO, "Network adapter not connected", W, order=71)
def nic_unmapped(ctx: RuleContext) -> None:
    loose = []
    for n in ctx.spec.nics:
        src = _src_nic(ctx, n.source_index)
        if not n.switch:
            loose.append(f"{n.name} ({src.network})" if src and src.network else n.name)
    if loose:
        ctx.flag("No Hyper-V switch is chosen for " + ", ".join(loose) + "; these adapters are created "
                 "unconnected.", "Map the source network to a switch (--map-network NETWORK=SWITCH[:VLAN]).")


@rule("NIC-VLAN", Severity.INFO, "Source VLAN not carried over", W, order=72)
def nic_vlan(ctx: RuleContext) -> None:
    for n in ctx.spec.nics:
        src = _src_nic(ctx, n.source_index)
        if not src or not src.vlan or n.vlan_id or not n.switch:
            continue
        ctx.flag(f"{n.name}: the source port group {src.network!r} tags VLAN {src.vlan}; the Hyper-V adapter is "
                 "untagged, which is right only if the switch's uplink is already in that VLAN.",
                 f"If the switch carries several VLANs, map it with a VLAN: --map-network "
                 f"'{src.network}={n.switch}:{src.vlan}'.", subject=n.name)


@rule("NIC-DRIVER", Severity.INFO, "VMware paravirtual drivers are replaced", join(W, A), order=73)
def nic_driver(ctx: RuleContext) -> None:
    models = sorted({_VMWARE_NICS[n.model.lower()] for n in ctx.vm.nics if n.model.lower() in _VMWARE_NICS})
    pvscsi = any(d.controller.value == "pvscsi" for d in ctx.vm.disks)
    if not models and not pvscsi:
        return
    parts = [*(f"{m} network" for m in models), *(["PVSCSI storage"] if pvscsi else [])]
    linux = ctx.guest.family == "linux"
    ctx.flag("The guest uses VMware paravirtual drivers (" + ", ".join(parts) + "), which do nothing on Hyper-V. "
             "It gets Hyper-V synthetic devices instead: Windows sees a new network adapter (a new name, no old "
             "settings)" + ("; Linux needs hv_netvsc/hv_storvsc and may rename the interface." if linux else "."),
             ("Done automatically when hvmigrate prepares the guest (see 'Linux needs Hyper-V drivers in its boot "
              "image'): the network configuration is bound to the new adapter (eth0) and its initramfs gets the "
              "Hyper-V drivers. Settings that force vmw_pvscsi or vmxnet3 (e.g. in /etc/modprobe.d) are left as "
              "they are: they do no harm on Hyper-V." if linux and linux_prep(ctx)[0] else
              "Remove hard dependencies on vmw_pvscsi/vmxnet3 (e.g. in /etc/modprobe.d or the initramfs)."
              if linux else "Nothing to do; settings bound to the old adapter are re-applied as listed below."))


@rule("STATIC-IP-LOST", Severity.WARNING, "Static IP addresses belong to the old adapter", join(W, A), order=74)
def static_ips(ctx: RuleContext) -> None:
    manual = [ip for ip in ctx.vm.guest_ips if ip.origin == "manual" and ip.address]
    if not manual:
        return
    shown = ", ".join(f"{ip.address}/{ip.prefix_length}" if ip.prefix_length is not None else ip.address
                      for ip in manual[:6]) + (" …" if len(manual) > 6 else "")
    msg = (f"The guest has static addresses ({shown}). They are stored with the old network adapter, so the new "
           "Hyper-V adapter starts without them (DHCP or none).")
    # never "done automatically": the fix-ups run only on a Hyper-V host, when the run asks for them and the
    # guest's credentials are in the keyring; the Done page lists the addresses to set by hand per VM
    if ctx.spec.fixups.reapply_static_ips:
        ctx.flag(msg, "Set these addresses, gateways and DNS servers again on the new adapter after the first "
                      "start. When the guest fix-ups run on a Hyper-V host (with the guest's password in the "
                      "keyring), they re-apply them for you.")
    else:
        ctx.flag(msg, "Note the addresses, gateways and DNS servers and set them again on the new adapter.")


def mac_problem(mac: str) -> str:
    """Why ``mac`` cannot be a Hyper-V static MAC address ("" when it can): all zeros, or multicast."""
    digits = mac.replace(":", "").replace("-", "").lower()
    if len(digits) != 12 or any(c not in "0123456789abcdef" for c in digits):
        return "is not a MAC address"
    if int(digits, 16) == 0:
        return "is all zeros (VMware writes this when no address was ever assigned)"
    if int(digits[:2], 16) & 1:
        return "is a multicast address, which no network adapter may use as its own"
    return ""


@rule("NIC-MAC-INVALID", Severity.WARNING, "Source MAC address cannot be kept", join(W, A), order=75)
def invalid_mac(ctx: RuleContext) -> None:
    for n in ctx.spec.nics:
        why = mac_problem(n.static_mac) if n.static_mac else ""
        if not why:
            continue
        if ctx.locked("nic.static_mac", f"nic.{n.source_index}.static_mac"):
            ctx.flag(f"{n.name}: the MAC address {n.static_mac} {why}; Hyper-V will not start the VM with it.",
                     "Let Hyper-V assign the address (--set nic.static_mac=false) or give a valid one.",
                     subject=n.name, severity=Severity.BLOCKER)
            continue
        mac, n.static_mac = n.static_mac, ""
        ctx.flag(f"{n.name}: the source's static MAC address {mac} {why}, so the adapter gets a dynamic address "
                 "from Hyper-V.", "If a DHCP reservation or a licence needs a fixed address, set one after the move.",
                 subject=n.name, adjusted=True)


@rule("NIC-MAC-STATIC", Severity.INFO, "Static MAC address kept", join(W, A), order=76)
def static_mac(ctx: RuleContext) -> None:
    kept = [n for n in ctx.spec.nics if n.static_mac]
    if kept:
        ctx.flag("The source's MAC addresses are kept on the Hyper-V adapters (" + ", ".join(
                 f"{n.name}: {n.static_mac}" for n in kept) + "), e.g. for licences or DHCP reservations.",
                 "Make sure the source VM never runs at the same time as the new one.", adjusted=True)

"""Guest facts: family and word size of a guest OS id, addresses and snapshots as pyVmomi reports them.

``guest_family``/``guest_bits``: ``windows2019srv_64Guest`` → windows, 64.

Contract: unknown or empty ids give family ``""`` and bits ``None`` (rules treat that as "cannot tell").
Bits come from the id itself: ids containing ``64`` are 64-bit, a few 64-bit-only ids lack it, and every
other id of the vSphere vocabulary names the 32-bit edition.
"""

from __future__ import annotations

from typing import Any

from wizard.core.inventory import GuestIP, PowerState, Snapshot

_LINUX = ("linux", "ubuntu", "centos", "rhel", "redhat", "debian", "sles", "suse", "fedora", "mandr", "asianux",
          "coreos", "photon", "almalinux", "rockylinux", "oracle", "opensuse", "nld9", "oes", "sjds", "turbo",
          "amazonlinux", "flatcar", "miraclelinux", "pardus", "kylinlinux", "fusionos", "prolinux")
_64_WITHOUT_64 = {"windowsHyperVGuest", "crxPod1Guest", "crxSys1Guest"}


def guest_family(guest_id: str) -> str:
    gid = guest_id.lower()
    if not gid:
        return ""
    if gid.startswith("win") or gid == "windowshypervguest":
        return "windows"
    if gid.startswith("freebsd"):
        return "freebsd"
    if any(h in gid for h in _LINUX):
        return "linux"
    return "other"


def guest_bits(guest_id: str) -> int | None:
    if not guest_id or not guest_id.endswith(("Guest", "Guest64")):
        return None
    if "64" in guest_id or guest_id in _64_WITHOUT_64 or guest_id.startswith("vmkernel"):
        return 64
    return 32


# ---- guest facts reported by VMware Tools --------------------------------------------------

def map_guest_ips(net: list[Any] | None, ip_stack: list[Any] | None) -> list[GuestIP]:
    gateways: dict[int, list[str]] = {}
    dns: list[str] = []
    for stack in ip_stack or []:
        dns.extend(str(a) for a in (_attr(stack, "dnsConfig", "ipAddress", default=[]) or []))
        for route in _attr(stack, "ipRouteConfig", "ipRoute", default=[]) or []:
            gw = _attr(route, "gateway", "ipAddress", default="")
            if gw and route.prefixLength == 0:
                try:
                    device = int(_attr(route, "gateway", "device", default="0"))
                except ValueError:
                    device = 0
                gateways.setdefault(device, []).append(str(gw))
    out: list[GuestIP] = []
    for index, nic in enumerate(net or []):
        mac = str(nic.macAddress or "").lower()
        configured = _attr(nic, "ipConfig", "ipAddress", default=[]) or []
        if configured:
            for ip in configured:
                out.append(GuestIP(address=str(ip.ipAddress), prefix_length=ip.prefixLength,
                                   origin=str(ip.origin or ""), mac=mac,
                                   gateways=list(gateways.get(index, [])), dns_servers=list(dns)))
        else:
            for addr in nic.ipAddress or []:
                out.append(GuestIP(address=str(addr), mac=mac, gateways=list(gateways.get(index, [])),
                                   dns_servers=list(dns)))
    return out


TOOLS_STATUS = {"toolsOk": "ok", "toolsOld": "old", "toolsNotRunning": "notRunning",
                "toolsNotInstalled": "notInstalled"}


def map_snapshots(info: Any) -> tuple[list[Snapshot], str]:
    out: list[Snapshot] = []

    def walk(nodes: list[Any], parent: str) -> None:
        for node in nodes or []:
            sid = moid(node.snapshot) or str(node.id)
            created = node.createTime.isoformat() if getattr(node, "createTime", None) else ""
            state = str(node.state or "")
            out.append(Snapshot(id=sid, name=str(node.name or ""), parent=parent, created=created,
                                description=str(node.description or ""),
                                power_state=PowerState(state) if state in PowerState._value2member_map_
                                else PowerState.UNKNOWN,
                                quiesced=bool(node.quiesced)))
            walk(node.childSnapshotList, sid)

    if info is None:
        return [], ""
    walk(info.rootSnapshotList, "")
    return out, moid(info.currentSnapshot)




def _attr(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if obj is None:
            return default
        obj = getattr(obj, name, None)
    return default if obj is None else obj


def moid(ref: Any) -> str:
    """The moref id of a managed object reference, "" for None."""
    return str(getattr(ref, "_moId", "") or "") if ref is not None else ""

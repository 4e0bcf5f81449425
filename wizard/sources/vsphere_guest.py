"""Family and word size of a vSphere guest OS identifier (``windows2019srv_64Guest`` → windows, 64).

Contract: unknown or empty ids give family ``""`` and bits ``None`` (rules treat that as "cannot tell").
Bits come from the id itself: ids containing ``64`` are 64-bit, a few 64-bit-only ids lack it, and every
other id of the vSphere vocabulary names the 32-bit edition.
"""

from __future__ import annotations

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

"""Inspect a guest in a running appliance: its OS, and its root mounted with the other file systems.

Contract: :func:`inspect_and_mount` returns the :class:`~wizard.guests.report.GuestFacts` with the guest's file
systems mounted *read-only* at ``/`` in the appliance (as its ``/etc/fstab`` says; nothing is written while the
preparation only looks), or raises
:class:`Refusal` — the guest cannot be prepared, and nothing was changed — for: no operating system found, an
encrypted root (LUKS; hvmigrate has no key), a guest that is not Linux, or a Linux distribution libguestfs
does not recognise. The facts are read before anything is written.
"""

from __future__ import annotations

import re

from wizard.guests.fish import Fish, GuestCommandError
from wizard.guests.report import GuestFacts


class Refusal(Exception):  # noqa: N818 - an outcome the report states, never shown as an error
    """The guest cannot be prepared (``reason`` in words); nothing was changed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


NETWORK_PLACES = (
    ("ifcfg", "/etc/sysconfig/network-scripts"),
    ("wicked", "/etc/sysconfig/network"),
    ("keyfile", "/etc/NetworkManager/system-connections"),
    ("netplan", "/etc/netplan"),
    ("networkd", "/etc/systemd/network"),
)


def inspect_and_mount(fish: Fish) -> GuestFacts:
    roots = fish.lines("inspect-os", timeout=600)
    if not roots:
        if _encrypted(fish):
            raise Refusal("the guest's root file system is encrypted (LUKS); hvmigrate cannot open it without "
                          "the key, so it did not change anything")
        raise Refusal("no operating system was found on the guest's disks")
    root = roots[0]
    facts = GuestFacts(root_device=root)
    facts.os_type = fish.call("inspect-get-type", root).strip()
    facts.distro = fish.call("inspect-get-distro", root).strip()
    major = fish.call("inspect-get-major-version", root).strip()
    minor = fish.call("inspect-get-minor-version", root).strip()
    if facts.distro == "ubuntu" and minor.isdigit():  # Ubuntu's releases are YY.MM: 22.04, not 22.4
        facts.version = f"{major}.{int(minor):02d}"
    else:
        facts.version = major + (f".{minor}" if minor and minor != "0" else "")
    facts.product = fish.call("inspect-get-product-name", root).strip()
    if facts.product == "unknown" or not any(c.isalpha() for c in facts.product):
        facts.product = ""  # Debian's is only its version number ("12.15"): the distribution and version say more
    if facts.os_type != "linux":
        raise Refusal(f"the guest is not Linux (libguestfs found {facts.os_type or 'an unknown system'}); "
                      "only Linux guests are prepared offline")
    if facts.distro in ("", "unknown"):
        raise Refusal("the Linux distribution was not recognised, so hvmigrate does not know how to rebuild its "
                      "initramfs; nothing was changed")
    mount(fish, root, readonly=True)
    facts.kernels = kernels(fish)
    facts.initramfs_tool = initramfs_tool(fish)
    facts.network_styles = network_styles(fish)
    facts.bootloader = bootloader(fish)
    fstab = fish.read("/etc/fstab") or b""
    facts.fstab_devices = [line.split()[0] for line in fstab.decode("utf-8", "replace").splitlines()
                           if line.split() and not line.lstrip().startswith("#")]
    return facts


def _encrypted(fish: Fish) -> bool:
    """True when a disk or partition holds a LUKS container (list-filesystems leaves them out)."""
    for dev in [*fish.lines("list-devices"), *fish.lines("list-partitions")]:
        try:
            if fish.call("vfs-type", dev).strip() == "crypto_LUKS":
                return True
        except GuestCommandError:
            continue
    return False


def mount(fish: Fish, root: str, *, readonly: bool) -> None:
    """Mount the guest's file systems at ``/`` (after unmounting whatever is mounted)."""
    fish.call("umount-all")
    points = []
    for line in fish.lines("inspect-get-mountpoints", root):
        where, _, dev = line.partition(":")
        points.append((where.strip(), dev.strip()))
    # parents first: "/" before "/boot" before "/boot/efi"
    points = [(w, root if w == "/" else d) for w, d in points] or [("/", root)]
    if ("/", root) not in points:
        points.append(("/", root))
    for where, dev in sorted(points, key=lambda p: len(p[0])):
        try:
            fish.call("mount-ro" if readonly else "mount", dev, where)
        except GuestCommandError:
            if where == "/":
                raise
            # a swap partition, an unreadable or encrypted /home: not needed to prepare the guest


def kernels(fish: Fish) -> list[str]:
    """Kernel versions with both a modules folder and a kernel image in /boot (newest last, by version)."""
    found = []
    for base in ("/lib/modules", "/usr/lib/modules"):
        if fish.ok("is-dir", base, "followsymlinks:true"):
            found = [k for k in fish.lines("ls", base) if fish.ok("is-dir", f"{base}/{k}", "followsymlinks:true")]
            break
    images = set(fish.lines("ls", "/boot")) if fish.ok("is-dir", "/boot") else set()
    with_image = [k for k in found if {f"vmlinuz-{k}", f"vmlinux-{k}", f"bzImage-{k}", f"kernel-{k}"} & images]
    return sorted(with_image or found, key=_version_key)


def _version_key(kver: str) -> list[tuple[int, str]]:
    return [(int(p), "") if p.isascii() and p.isdigit() else (-1, p) for p in re.split(r"[.\-_+~]", kver)]


def modules_dir(fish: Fish, kver: str) -> str:
    for base in ("/lib/modules", "/usr/lib/modules"):
        if fish.ok("is-dir", f"{base}/{kver}", "followsymlinks:true"):
            return f"{base}/{kver}"
    return f"/lib/modules/{kver}"


def initramfs_tool(fish: Fish) -> str:
    def any_file(*paths: str) -> bool:
        return any(fish.ok("is-file", p, "followsymlinks:true") for p in paths)

    if any_file("/usr/sbin/mkinitramfs", "/sbin/mkinitramfs", "/usr/bin/mkinitramfs") and any_file(
            "/etc/initramfs-tools/initramfs.conf"):
        return "initramfs-tools"
    if any_file("/usr/bin/dracut", "/usr/sbin/dracut", "/sbin/dracut"):
        return "dracut"
    if any_file("/sbin/mkinitrd", "/usr/sbin/mkinitrd", "/usr/bin/mkinitrd"):
        return "mkinitrd"
    return ""


def network_styles(fish: Fish) -> list[str]:
    styles = []
    for style, folder in NETWORK_PLACES:
        if not fish.ok("is-dir", folder):
            continue
        names = fish.lines("ls", folder)
        wanted = {"ifcfg": lambda n: n.startswith("ifcfg-") and n != "ifcfg-lo",
                  "wicked": lambda n: n.startswith("ifcfg-") and n != "ifcfg-lo",
                  "keyfile": lambda n: not n.startswith("."), "netplan": lambda n: n.endswith(".yaml"),
                  "networkd": lambda n: n.endswith(".network")}[style]
        if any(wanted(n) for n in names):
            styles.append(style)
    if fish.ok("is-file", "/etc/network/interfaces"):
        styles.append("interfaces")
    return styles


def bootloader(fish: Fish) -> str:
    checks = (("/boot/grub2/grub.cfg", "grub2"), ("/boot/grub/grub.cfg", "grub2"), ("/boot/grub/menu.lst",
              "grub-legacy"), ("/boot/grub/grub.conf", "grub-legacy"), ("/boot/extlinux/extlinux.conf", "extlinux"),
              ("/boot/efi/loader/loader.conf", "systemd-boot"), ("/boot/loader/loader.conf", "systemd-boot"))
    for path, name in checks:
        if fish.ok("is-file", path, "followsymlinks:true"):
            return name
    return ""

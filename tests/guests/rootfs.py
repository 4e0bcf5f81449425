"""One Debian root file system per initramfs tool, built by mmdebstrap from the machine's own apt sources.

Minimal on purpose: the minbase variant without recommends, the kernel, the initramfs tool, GRUB's BIOS and
EFI files, and nothing of the kernel's module tree that no virtual machine needs (dpkg leaves out sound, GPUs,
wireless, USB, InfiniBand, ...: the initramfs is then built once, from what is left). The guest does not run
a service manager: the kernel starts ``INIT_PATH`` from the root file system the initramfs mounted, which
prints ``MARKER`` on the serial console and powers off.

The dracut guest behaves like RHEL's: ``hostonly="yes"``, and the Hyper-V drivers are explicitly omitted so
that its initramfs lacks them even when the build machine itself runs on Hyper-V.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.guests.specs import INIT_PATH, KERNEL_CMDLINE, MARKER, RootSpec

# Module trees no guest of the boot proof loads (paths below /usr/lib/modules/<version>/kernel).
PRUNED_MODULES = (
    "sound", "drivers/gpu", "drivers/media", "drivers/infiniband", "drivers/usb", "drivers/iio",
    "drivers/staging", "drivers/hwmon", "drivers/mtd", "drivers/isdn", "drivers/bluetooth", "drivers/comedi",
    "drivers/net/wireless", "drivers/net/ethernet", "drivers/net/can", "drivers/net/usb", "drivers/nfc",
    "drivers/thunderbolt", "drivers/mmc", "drivers/target", "net/wireless", "net/mac80211", "net/bluetooth",
    "net/netfilter", "net/sunrpc",
)
DPKG_EXCLUDES = ("/usr/share/doc/*", "/usr/share/man/*", "/usr/share/locale/*", "/usr/share/info/*")


def packages(spec: RootSpec) -> list[str]:
    """What mmdebstrap installs on top of minbase (the cache key resolves their versions)."""
    # systemd-sysv: a guest as installed (and dracut's initramfs wants poweroff/reboot/halt)
    # lz4: both guests compress their initramfs with it (fast to write under TCG, where the preparation rebuilds it)
    return ["linux-image-amd64", spec.tool, "grub-pc-bin", "grub-efi-amd64-bin", "grub2-common", "kmod", "udev",
            "systemd-sysv", "lz4"]


def apt_source_files() -> list[str]:
    """The machine's apt source files (one-line and deb822), passed to mmdebstrap as they are: no mirror name
    is ever written here."""
    files = [Path("/etc/apt/sources.list")] + sorted(Path("/etc/apt/sources.list.d").glob("*"))
    chosen = []
    for f in files:
        if f.suffix not in (".list", ".sources") or not f.is_file():
            continue
        text = f.read_text(errors="replace")
        if any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
            chosen.append(str(f))
    return chosen


def suite() -> str:
    """The machine's release code name (the guests are built from the same release as the machine)."""
    for line in Path("/etc/os-release").read_text().splitlines():
        if line.startswith("VERSION_CODENAME="):
            return line.split("=", 1)[1].strip().strip('"')
    raise RuntimeError("/etc/os-release names no VERSION_CODENAME: cannot choose the guests' release")


def _init_script() -> str:
    return f"""#!/bin/sh
# hvmigrate boot proof: the kernel runs this from the root file system the initramfs mounted from the disk.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc 2>/dev/null
mount -t sysfs sysfs /sys 2>/dev/null
echo "hvmigrate-boot-proof: root $(awk '$2 == "/" && $1 != "rootfs" {{print $1, $3}}' /proc/mounts)"
echo "hvmigrate-boot-proof: modules $(cut -d' ' -f1 /proc/modules | sort | tr '\\n' ' ')"
echo "{MARKER}"
echo o > /proc/sysrq-trigger
exec sleep 60
"""


def _overlay(spec: RootSpec) -> dict[str, tuple[str, int]]:
    """Files written into the root file system: path → (text, mode)."""
    mac = spec.mac
    return {
        INIT_PATH: (_init_script(), 0o755),
        "/etc/hostname": (f"bp-{spec.short}\n", 0o644),
        "/etc/fstab": (f"UUID={spec.root_uuid} / ext4 errors=remount-ro 0 1\n", 0o644),
        # GRUB as Debian's installer leaves it (the boot proof's grub.cfg is written from the same values)
        "/etc/default/grub": ('GRUB_DEFAULT=0\nGRUB_TIMEOUT=0\nGRUB_DISTRIBUTOR="Debian"\n'
                              'GRUB_CMDLINE_LINUX_DEFAULT=""\n'
                              f'GRUB_CMDLINE_LINUX="{KERNEL_CMDLINE}"\nGRUB_TERMINAL="console serial"\n', 0o644),
        # The network as a VMware VM has it: a name from its PCI slot (ens192) and bindings to the VMware MAC
        "/etc/network/interfaces": ("auto lo\niface lo inet loopback\n\n"
                                    "allow-hotplug ens192\niface ens192 inet static\n"
                                    "    address 192.0.2.10/24\n    gateway 192.0.2.1\n", 0o644),
        "/etc/udev/rules.d/70-persistent-net.rules": (
            'SUBSYSTEM=="net", ACTION=="add", DRIVERS=="?*", '
            f'ATTR{{address}}=="{mac}", ATTR{{type}}=="1", KERNEL=="eth*", NAME="ens192"\n', 0o644),
        "/etc/NetworkManager/system-connections/ens192.nmconnection": (
            "[connection]\nid=ens192\ntype=ethernet\ninterface-name=ens192\n\n"
            f"[ethernet]\nmac-address={mac.upper()}\n\n"
            "[ipv4]\nmethod=manual\naddress1=192.0.2.10/24,192.0.2.1\n\n[ipv6]\nmethod=ignore\n", 0o600),
    }


def _dracut_conf() -> str:
    return ('# RHEL behaviour: an initramfs for this machine only\nhostonly="yes"\n'
            '# never the Hyper-V drivers, even when the build machine runs on Hyper-V\n'
            'omit_drivers+=" hv_vmbus hv_storvsc hv_netvsc hv_utils hv_balloon hyperv_keyboard hid_hyperv "\n'
            'compress="lz4"\n')


# The initramfs a RHEL-like VM on VMware has: host-only, so it holds the drivers of VMware's hardware (the
# paravirtual and LSI Logic SCSI controllers, the disk and ext4) and nothing else. dracut would detect them
# from the build machine (whatever that is, and it reads /proc/modules, which containers may lack): they are
# named instead (--drivers), the same on every machine.
VMWARE_HOST_DRIVERS = "vmw_pvscsi mptspi sd_mod ext4"
# dracut turns host-only mode off in a plain chroot (it wants /run, /dev, ... to be mount points there), and the
# kernel's postinst would build a generic initramfs of every driver first. So: the kernel hook is diverted
# while the packages are installed; then, in a private mount namespace where the chroot is a mount point with
# its own /run, dracut builds the host-only initramfs; the hook is put back. (dracut's postinst calls the hook
# itself: a stub stands in for it meanwhile.)
_DRACUT_ESSENTIAL = """set -e
mkdir -p "$1/etc/dracut.conf.d"
cat > "$1/etc/dracut.conf.d/50-hostonly.conf" <<'CONF'
@CONF@CONF
chroot "$1" dpkg-divert --quiet --local --rename --divert /etc/kernel/postinst.d/dracut.hvmigrate-build \\
  --add /etc/kernel/postinst.d/dracut
mkdir -p "$1/etc/kernel/postinst.d"
printf '#!/bin/sh\\nexit 0\\n' > "$1/etc/kernel/postinst.d/dracut"
chmod 755 "$1/etc/kernel/postinst.d/dracut"
"""
_DRACUT_CUSTOMIZE = """set -e
kver=$(ls "$1/lib/modules")
unshare --mount --propagation private sh -ec '
  mount --rbind "$1" "$1"
  mount -t tmpfs tmpfs "$1/run"
  chroot "$1" dracut --quiet --force --hostonly --drivers "@DRIVERS@" "/boot/initrd.img-$2" "$2"
' sh "$1" "$kver"
rm "$1/etc/kernel/postinst.d/dracut"
chroot "$1" dpkg-divert --quiet --local --rename --remove /etc/kernel/postinst.d/dracut
"""


# The initramfs-tools guest is set up as many sysadmins set it: MODULES=dep (only the drivers this machine uses),
# COMPRESS=lz4. MODULES=dep cannot work in a chroot (it looks for the block device under "/"), so while the
# packages are installed MODULES=list applies (a small initramfs, soon replaced); then the initramfs that
# MODULES=dep writes on a VMware VM is built from a copy of the configuration listing VMware's drivers (the same on
# every build machine), and the guest's own initramfs.conf is left saying MODULES=dep and COMPRESS=lz4.
_TOOLS_BUILD_CONF = "/etc/initramfs-tools/conf.d/zz-hvmigrate-build.conf"
_TOOLS_ESSENTIAL = f"""set -e
mkdir -p "$1/etc/initramfs-tools/conf.d"
printf 'MODULES=list\\nCOMPRESS=lz4\\n' > "$1{_TOOLS_BUILD_CONF}"
"""
_TOOLS_CUSTOMIZE = f"""set -e
kver=$(ls "$1/lib/modules")
conf=/tmp/hvmigrate-initramfs-conf
rm -rf "$1$conf"
cp -a "$1/etc/initramfs-tools" "$1$conf"
printf '%s\\n' @DRIVERS@ >> "$1$conf/modules"
chroot "$1" mkinitramfs -d "$conf" -o "/boot/initrd.img-$kver" "$kver"
rm -rf "$1$conf" "$1{_TOOLS_BUILD_CONF}"
sed -i 's/^MODULES=.*/MODULES=dep/; s/^COMPRESS=.*/COMPRESS=lz4/' "$1/etc/initramfs-tools/initramfs.conf"
grep -qx MODULES=dep "$1/etc/initramfs-tools/initramfs.conf"
grep -qx COMPRESS=lz4 "$1/etc/initramfs-tools/initramfs.conf"
"""


def build_rootfs(spec: RootSpec, target: Path, log: Path) -> Path:
    """Build ``spec``'s root file system into the (new) directory ``target``; mmdebstrap's output goes to
    ``log``. Needs root (mmdebstrap's root mode; the directory must keep every file's owner)."""
    if target.exists():
        shutil.rmtree(target)
    staging = target.with_name(target.name + ".overlay")
    if staging.exists():
        shutil.rmtree(staging)
    for path, (text, mode) in _overlay(spec).items():
        f = staging / path.lstrip("/")
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text)
        f.chmod(mode)
    hooks = []
    if spec.tool == "dracut":
        essential = staging.with_name(staging.name + ".essential.sh")
        essential.write_text(_DRACUT_ESSENTIAL.replace("@CONF@", _dracut_conf()))
        customize = staging.with_name(staging.name + ".customize.sh")
        customize.write_text(_DRACUT_CUSTOMIZE.replace("@DRIVERS@", VMWARE_HOST_DRIVERS))
        hooks = [f"--essential-hook=sh {essential} \"$1\"", f"--customize-hook=sh {customize} \"$1\""]
    else:
        essential = staging.with_name(staging.name + ".essential.sh")
        essential.write_text(_TOOLS_ESSENTIAL)
        customize = staging.with_name(staging.name + ".customize.sh")
        customize.write_text(_TOOLS_CUSTOMIZE.replace("@DRIVERS@", VMWARE_HOST_DRIVERS))
        hooks = [f"--essential-hook=sh {essential} \"$1\"", f"--customize-hook=sh {customize} \"$1\""]
    excludes = [f"--dpkgopt=path-exclude={p}" for p in DPKG_EXCLUDES]
    # the kernel package ships its modules below /lib (dpkg matches the path the package names)
    excludes += [f"--dpkgopt=path-exclude={top}/modules/*/kernel/{p}/*" for p in PRUNED_MODULES
                 for top in ("/lib", "/usr/lib")]
    cmd = ["mmdebstrap", "--variant=minbase", "--mode=root", "--aptopt=APT::Install-Recommends \"false\"",
           f"--include={','.join(packages(spec))}", *excludes, f"--customize-hook=sync-in {staging} /", *hooks,
           suite(), str(target), *apt_source_files()]
    with log.open("w") as out:
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        raise RuntimeError(f"mmdebstrap failed for the {spec.tool} guest (exit {proc.returncode}); see {log}")
    shutil.rmtree(staging)
    for hook in staging.parent.glob(staging.name + ".*.sh"):
        hook.unlink()
    return target


def kernel_version(root: Path) -> str:
    versions = sorted(p.name for p in (root / "usr/lib/modules").iterdir())
    if len(versions) != 1:
        raise RuntimeError(f"expected one kernel in {root}, found {versions}")
    return versions[0]

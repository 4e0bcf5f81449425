"""Linux guests prepared offline for Hyper-V during a migration into import bundles (real libguestfs, TCG).

Six small guests are built once for the module in one libguestfs launch (file systems holding only the files the
preparation reads: os-release, a kernel's modules.dep, ifcfg/keyfile/netplan files, fake dracut and
update-initramfs scripts that log their arguments — the real initramfs rebuild is the boot proof's job), made
VMware VMDKs behind .vmx files, migrated with preparation on (the default) in one run, and read back from the
bundles' VHDX files in one read-only launch:

- ``rhel``: RHEL 9, ifcfg-ens192 with HWADDR of the VMware MAC, a NetworkManager keyfile bound to the second
  adapter's MAC, fstab naming the root by a VMware by-path, VMware Tools from the tarball;
- ``rhel-keep``: the same guest with the MAC addresses kept (``nic.static_mac=true``);
- ``ubuntu``: netplan ``match: macaddress``, initramfs-tools with an initramfs that already holds the Hyper-V
  drivers (not rebuilt), a udev persistent-net rule, open-vm-tools;
- ``oldkernel`` (no Hyper-V drivers in its kernel), ``mystery`` (an unknown distribution), ``luks`` (an
  encrypted root): refused, migrated unchanged (content digest equal to the source's).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import subprocess
import tarfile
import uuid
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_img
from wizard.app.migration import RunSettings, prepare_migration
from wizard.app.planning import PlanRequest, build_plan
from wizard.app.sources import discover, open_source
from wizard.app.targets import TargetSpec
from wizard.core.libguestfs import availability, guestfs_env
from wizard.targets.bundle import Manifest

MAC0, MAC1 = "00:50:56:9a:10:01", "00:50:56:9a:10:02"
KVER_EL = "5.14.0-362.8.1.el9_3.x86_64"
KVER_UB = "5.15.0-91-generic"
HV_DEP = ("kernel/drivers/hv/hv_vmbus.ko.xz:\nkernel/drivers/scsi/hv_storvsc.ko.xz: kernel/drivers/hv/hv_vmbus.ko.xz\n"
          "kernel/drivers/net/hyperv/hv_netvsc.ko.xz: kernel/drivers/hv/hv_vmbus.ko.xz\n"
          "kernel/drivers/hv/hv_utils.ko.xz: kernel/drivers/hv/hv_vmbus.ko.xz\n"
          "kernel/drivers/input/serio/hyperv-keyboard.ko.xz:\nkernel/drivers/ata/ata_piix.ko.xz:\n"
          "kernel/drivers/scsi/vmw_pvscsi.ko.xz:\n")
LOG_ARGS = '#!/bin/sh\necho "$0 $*" >> /root/initramfs.log\n'

pytestmark = pytest.mark.skipif(not availability(launch=True).ok, reason="libguestfs cannot run here")


def _base(distro_release: dict[str, str]) -> dict[str, tuple[str | bytes, int]]:
    files: dict[str, tuple[str | bytes, int]] = {path: (text, 0o644) for path, text in distro_release.items()}
    files["/bin/sh"] = (Path("/bin/dash").read_bytes(), 0o755)
    for lib in ("/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"):
        files[lib] = (Path(lib).read_bytes(), 0o755)
    return files


def _rhel() -> dict[str, tuple[str | bytes, int]]:
    files = _base({
        "/etc/os-release": 'NAME="Red Hat Enterprise Linux"\nID="rhel"\nVERSION_ID="9.3"\n'
                           'PRETTY_NAME="Red Hat Enterprise Linux 9.3 (Plow)"\n',
        "/etc/redhat-release": "Red Hat Enterprise Linux release 9.3 (Plow)\n",
        "/etc/fstab": "/dev/disk/by-path/pci-0000:03:00.0-scsi-0:0:0:0-part1 / ext4 defaults 1 1\n",
    })
    files.update({
        "/usr/bin/dracut": (LOG_ARGS, 0o755),
        f"/lib/modules/{KVER_EL}/modules.dep": (HV_DEP, 0o644),
        f"/lib/modules/{KVER_EL}/modules.builtin": ("kernel/drivers/scsi/sd_mod.ko\n", 0o644),
        f"/boot/vmlinuz-{KVER_EL}": ("kernel", 0o755),
        f"/boot/initramfs-{KVER_EL}.img": ("old initramfs", 0o600),
        "/etc/sysconfig/network-scripts/ifcfg-ens192": (
            f"TYPE=Ethernet\nBOOTPROTO=none\nNAME=ens192\nDEVICE=ens192\nHWADDR={MAC0.upper()}\nONBOOT=yes\n"
            "IPADDR=192.0.2.10\nPREFIX=24\nGATEWAY=192.0.2.1\n", 0o644),
        "/etc/NetworkManager/system-connections/ens224.nmconnection": (
            "[connection]\nid=ens224\ntype=ethernet\ninterface-name=ens224\n\n"
            f"[ethernet]\nmac-address={MAC1}\n\n[ipv4]\naddress1=198.51.100.7/24\nmethod=manual\n", 0o600),
        "/etc/vmware-tools/locations": ("answer BINDIR /usr/bin\nfile /usr/bin/vmware-toolbox-cmd\n"
                                        "file /usr/bin/vmware-uninstall-tools.pl\nfile /etc/vmware-tools/tools.conf\n"
                                        "directory /etc/vmware-tools\n", 0o644),
        "/usr/bin/vmware-toolbox-cmd": ("binary", 0o755),
        "/usr/bin/vmware-uninstall-tools.pl": ("#!/usr/bin/perl\n", 0o755),
        "/etc/vmware-tools/tools.conf": ("", 0o644),
        "/etc/init.d/vmware-tools": ("#!/bin/sh\n", 0o755),
    })
    return files


def _ubuntu() -> dict[str, tuple[str | bytes, int]]:
    files = _base({
        "/etc/os-release": 'NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="22.04"\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n',
        "/etc/lsb-release": "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_DESCRIPTION=\"Ubuntu 22.04.4 LTS\"\n",
        "/etc/fstab": "/dev/sda1 / ext4 defaults 0 1\n",
    })
    files.update({
        "/usr/sbin/update-initramfs": (LOG_ARGS, 0o755),
        "/usr/sbin/mkinitramfs": (LOG_ARGS, 0o755),
        # its initramfs already holds the Hyper-V drivers (as "MODULES=most" builds it): nothing to rebuild
        "/usr/bin/lsinitramfs": (LOG_ARGS + "printf '%s\\n' " + " ".join(
            f"usr/lib/modules/{KVER_UB}/{line.split(':')[0].removesuffix('.xz')}" for line in HV_DEP.splitlines())
            + "\n", 0o755),
        "/etc/initramfs-tools/initramfs.conf": ("MODULES=dep\n", 0o644),
        "/etc/initramfs-tools/modules": ("# List of modules that you want to include in your initramfs.\n", 0o644),
        f"/lib/modules/{KVER_UB}/modules.dep": (HV_DEP, 0o644),
        f"/lib/modules/{KVER_UB}/modules.builtin": ("", 0o644),
        f"/boot/vmlinuz-{KVER_UB}": ("kernel", 0o600),
        f"/boot/initrd.img-{KVER_UB}": ("old initrd", 0o644),
        "/etc/netplan/00-installer-config.yaml": (
            f"network:\n  version: 2\n  ethernets:\n    ens192:\n      match:\n        macaddress: {MAC0}\n"
            "      set-name: ens192\n      addresses: [192.0.2.20/24]\n", 0o600),
        "/etc/udev/rules.d/70-persistent-net.rules": (
            f'SUBSYSTEM=="net", ACTION=="add", ATTR{{address}}=="{MAC0}", NAME="ens192"\n', 0o644),
        "/usr/bin/vmtoolsd": ("binary", 0o755),
    })
    return files


def _refused(os_release: str, dep: str) -> dict[str, tuple[str | bytes, int]]:
    files = _base({"/etc/os-release": os_release, "/etc/fstab": "/dev/sda1 / ext4 defaults 0 1\n"})
    files.update({"/usr/bin/dracut": (LOG_ARGS, 0o755), "/lib/modules/2.6.32-754.el6.x86_64/modules.dep": (dep, 0o644),
                  "/boot/vmlinuz-2.6.32-754.el6.x86_64": ("kernel", 0o755),
                  "/etc/sysconfig/network-scripts/ifcfg-eth0": (f"DEVICE=eth0\nHWADDR={MAC0}\n", 0o644)})
    return files


GUESTS = {
    "rhel": ("rhel9-64", _rhel),
    "ubuntu": ("ubuntu-64", _ubuntu),
    "oldkernel": ("centos-64", lambda: _refused('ID="centos"\nVERSION_ID="6"\nNAME="CentOS Linux"\n',
                                               "kernel/drivers/scsi/vmw_pvscsi.ko:\n")),
    "mystery": ("other5xlinux-64", lambda: _refused('ID=hvmfoo\nNAME="Nobody knows"\n', HV_DEP)),
}


def _tarball(files: dict[str, tuple[str | bytes, int]], path: Path) -> None:
    with tarfile.open(path, "w") as tar:
        dirs = {"/bin", "/usr/bin", "/usr/sbin", "/etc", "/root", "/tmp", "/dev", "/proc", "/sys", "/lib", "/lib64"}
        for name in files:
            parent = os.path.dirname(name)
            while parent not in ("/", ""):
                dirs.add(parent)
                parent = os.path.dirname(parent)
        for d in sorted(dirs):
            info = tarfile.TarInfo(d.lstrip("/"))
            info.type, info.mode = tarfile.DIRTYPE, 0o755
            tar.addfile(info)
        for name, (content, mode) in files.items():
            data = content.encode() if isinstance(content, str) else content
            info = tarfile.TarInfo(name.lstrip("/"))
            info.size, info.mode = len(data), mode
            tar.addfile(info, io.BytesIO(data))


def _luks_disk(path: Path) -> None:
    """An MBR disk whose one partition starts with a LUKS1 header (what blkid recognises as crypto_LUKS)."""
    size = 32 * 1024 * 1024
    with open(path, "wb") as fh:
        fh.truncate(size)
        mbr = bytearray(512)
        mbr[446:462] = struct.pack("<B3sB3sII", 0, b"\0\0\0", 0x83, b"\0\0\0", 2048, size // 512 - 2048)
        mbr[510:512] = b"\x55\xaa"
        fh.write(mbr)
        header = bytearray(592)
        header[0:6] = b"LUKS\xba\xbe"
        header[6:8] = struct.pack(">H", 1)
        header[8:8 + 3] = b"aes"
        header[40:40 + 12] = b"xts-plain64"
        header[72:78] = b"sha256"
        header[104:108] = struct.pack(">I", 4096)
        header[108:112] = struct.pack(">I", 64)
        header[168:168 + 36] = str(uuid.uuid4()).encode()
        fh.seek(2048 * 512)
        fh.write(header)


VMX = """.encoding = "UTF-8"
config.version = "8"
virtualHW.version = "19"
displayName = "{name}"
guestOS = "{guest}"
numvcpus = "1"
memsize = "1024"
scsi0.present = "TRUE"
scsi0.virtualDev = "pvscsi"
scsi0:0.present = "TRUE"
scsi0:0.fileName = "{name}.vmdk"
ethernet0.present = "TRUE"
ethernet0.virtualDev = "vmxnet3"
ethernet0.addressType = "vpx"
ethernet0.generatedAddress = "{mac0}"
ethernet1.present = "TRUE"
ethernet1.virtualDev = "vmxnet3"
ethernet1.addressType = "vpx"
ethernet1.generatedAddress = "{mac1}"
"""


def _fish(*args: str, script: str = "", timeout: float = 600) -> str:
    done = subprocess.run(["guestfish", *args], input=script.encode(), capture_output=True, env=guestfs_env(),
                          timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("linuxprep")
    work = root / "build"
    work.mkdir()
    names = list(GUESTS)
    args, script = [], []
    for n, name in enumerate(names):
        _tarball(GUESTS[name][1](), work / f"{name}.tar")
        args += ["-N", f"{work / name}.raw=fs:ext4:48M"]
        script += [f"mount /dev/sd{'abcdefgh'[n]}1 /", f"tar-in {work / name}.tar /", "umount-all"]
    _fish(*args, script="\n".join(script) + "\n")
    _luks_disk(work / "luks.raw")
    source = root / "vms"
    for name in [*names, "rhel-keep", "luks"]:
        guest = {"rhel-keep": "rhel9-64", "luks": "other5xlinux-64"}.get(name) or GUESTS[name][0]
        raw = work / ("rhel" if name == "rhel-keep" else name)
        folder = source / name
        folder.mkdir(parents=True)
        qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse", f"{raw}.raw",
                 str(folder / f"{name}.vmdk"))
        (folder / f"{name}.vmx").write_text(VMX.format(name=name, guest=guest, mac0=MAC0, mac1=MAC1), encoding="utf-8")
    src = open_source(str(source))
    inventory = discover(src)
    request = PlanRequest(per_vm={"rhel-keep": {"nic.static_mac": "true"}})
    plan = build_plan(inventory, request, src.ref).plan
    out = root / "bundles"
    migration = prepare_migration(plan, src, TargetSpec(kind="bundle", folder=str(out)),
                                  RunSettings(parallel=2, per_source=2, journal=str(root / "journal.jsonl")))
    try:
        migration.start()
        outcomes = {o.name: o for o in migration.run.wait(timeout=1800)}
        report = migration.write_report(root / "report.html")
    finally:
        migration.close()
    # read every prepared disk back in one read-only launch
    disks = {name: next((out / name / "Virtual Hard Disks").glob("*.vhdx")) for name in outcomes if outcomes[name].ok}
    order = list(disks)
    wanted = ["/etc/sysconfig/network-scripts/ifcfg-eth0", "/etc/sysconfig/network-scripts/ifcfg-ens192",
              "/etc/NetworkManager/system-connections/ens224.nmconnection", "/etc/fstab",
              "/etc/dracut.conf.d/90-hvmigrate-hyperv.conf", "/root/initramfs.log",
              "/etc/netplan/00-installer-config.yaml", "/etc/udev/rules.d/70-persistent-net.rules",
              "/etc/initramfs-tools/modules", "/usr/bin/vmware-toolbox-cmd", "/etc/vmware-tools/locations",
              "/etc/sysconfig/network-scripts/.hvmigrate-orig/ifcfg-ens192", "/etc/fstab.hvmigrate-orig"]
    fish_args = ["--ro"]
    lines = []
    for n, name in enumerate(order):
        fish_args += ["--format=vhdx", "-a", str(disks[name])]
        if name == "luks":
            continue
        lines.append(f"mount-ro /dev/sd{'abcdefghij'[n]}1 /")
        for path in wanted:
            lines.append(f"-echo ==={name}:{path}===")
            lines.append(f"-cat {path}")
        lines.append("umount-all")
    text = _fish(*fish_args, script="run\n" + "\n".join(lines) + "\n")
    files: dict[str, dict[str, str]] = {}
    current: tuple[str, str] | None = None
    for line in text.splitlines(keepends=True):
        if line.startswith("===") and line.rstrip().endswith("==="):
            current = tuple(line.strip("=\n").split(":", 1))  # type: ignore[assignment]
            files.setdefault(current[0], {})[current[1]] = ""
        elif current is not None:
            files[current[0]][current[1]] += line
    shutil.rmtree(work)
    return {"outcomes": outcomes, "files": files, "report": Path(report).read_text(encoding="utf-8"), "out": out,
            "plan": plan, "digests": {name: _digest(path) for name, path in disks.items()},
            "sources": {name: _digest(source / name / f"{name}.vmdk") for name in outcomes}}


def _digest(path: Path) -> str:
    """The content digest of a disk file as it is now (the converter's definition)."""
    from wizard.core.progress import Meter
    from wizard.disks.detect import open_image
    from wizard.disks.verify import hash_image

    with open_image(str(path)) as image:
        return hash_image(image, image.virtual_size, Meter(None, "hash", total=image.virtual_size), None, 1 << 22)


def test_every_guest_migrates(migrated):
    failed = {n: o.error.one_line() if o.error else o.status for n, o in migrated["outcomes"].items() if not o.ok}
    assert not failed
    assert set(migrated["outcomes"]) == {"rhel", "rhel-keep", "ubuntu", "oldkernel", "mystery", "luks"}


def test_ifcfg_and_keyfile_bound_to_the_vmware_macs_are_bound_to_the_new_adapters(migrated):
    rhel = migrated["files"]["rhel"]
    ifcfg = rhel["/etc/sysconfig/network-scripts/ifcfg-eth0"]
    assert "DEVICE=eth0" in ifcfg and "HWADDR" not in ifcfg and "IPADDR=192.0.2.10" in ifcfg
    assert rhel["/etc/sysconfig/network-scripts/ifcfg-ens192"] == ""  # renamed away
    assert "HWADDR=" in rhel["/etc/sysconfig/network-scripts/.hvmigrate-orig/ifcfg-ens192"]  # the original
    keyfile = rhel["/etc/NetworkManager/system-connections/ens224.nmconnection"]
    assert "mac-address" not in keyfile and "interface-name=eth1" in keyfile and "198.51.100.7/24" in keyfile


def test_with_the_mac_kept_the_mac_bindings_stay(migrated):
    keep = migrated["files"]["rhel-keep"]
    assert f"HWADDR={MAC0.upper()}" in keep["/etc/sysconfig/network-scripts/ifcfg-ens192"]
    assert keep["/etc/sysconfig/network-scripts/ifcfg-eth0"] == ""
    assert f"mac-address={MAC1}" in keep["/etc/NetworkManager/system-connections/ens224.nmconnection"]
    item = next(i for i in migrated["plan"].items if i.vm.name == "rhel-keep")
    assert item.target.nics[0].static_mac  # the plan really keeps it (what the preparation followed)


def test_initramfs_rebuilt_inside_the_guest_with_the_hyperv_drivers(migrated):
    rhel = migrated["files"]["rhel"]
    conf = rhel["/etc/dracut.conf.d/90-hvmigrate-hyperv.conf"]
    assert all(m in conf for m in ("hv_vmbus", "hv_storvsc", "hv_netvsc", "hv_utils", "hyperv_keyboard"))
    log = rhel["/root/initramfs.log"]
    assert f"/boot/initramfs-{KVER_EL}.img {KVER_EL}" in log and "--add-drivers" in log and "hv_storvsc" in log


def test_an_initramfs_that_already_holds_the_drivers_is_not_rebuilt(migrated):
    """The Ubuntu guest's initramfs already holds every Hyper-V driver (its own lsinitramfs says so): it is not
    rebuilt (minutes under TCG), but initramfs-tools' modules list names them for later kernels, and the
    report says exactly that."""
    ubuntu = migrated["files"]["ubuntu"]
    modules = ubuntu["/etc/initramfs-tools/modules"]
    assert all(f"\n{m}\n" in modules for m in ("hv_vmbus", "hv_storvsc", "hv_netvsc", "hv_utils"))
    log = ubuntu["/root/initramfs.log"]
    assert f"lsinitramfs /boot/initrd.img-{KVER_UB}" in log and "update-initramfs" not in log
    said = [c.text() for c in migrated["outcomes"]["ubuntu"].guest_prep.changes
            if c.file == f"/boot/initrd.img-{KVER_UB}"]
    assert len(said) == 1 and "not rebuilt: it already holds hv_vmbus hv_storvsc" in said[0], said
    assert "/etc/initramfs-tools/modules now names them" in said[0]


def test_netplan_udev_fstab_and_vmware_tools(migrated):
    ubuntu = migrated["files"]["ubuntu"]
    rhel = migrated["files"]["rhel"]
    netplan = ubuntu["/etc/netplan/00-installer-config.yaml"]
    assert "macaddress" not in netplan and "name: eth0" in netplan and "192.0.2.20/24" in netplan
    assert MAC0 not in ubuntu["/etc/udev/rules.d/70-persistent-net.rules"]
    assert rhel["/etc/fstab"].startswith("UUID=") and "by-path" in rhel["/etc/fstab.hvmigrate-orig"]
    assert rhel["/usr/bin/vmware-toolbox-cmd"] == "" and rhel["/etc/vmware-tools/locations"] == ""
    prep = migrated["outcomes"]["ubuntu"].guest_prep
    assert any("open-vm-tools" in n for n in prep.notes)


def test_guests_that_cannot_be_prepared_are_left_unchanged(migrated):
    outcomes = migrated["outcomes"]
    reasons = {n: outcomes[n].guest_prep.reason for n in ("oldkernel", "mystery", "luks")}
    assert all(outcomes[n].guest_prep.status == "refused" for n in reasons), reasons
    assert "no Hyper-V storage drivers" in reasons["oldkernel"]
    assert "not recognised" in reasons["mystery"]
    assert "encrypted" in reasons["luks"]
    for name in reasons:
        manifest = Manifest.load(migrated["out"] / name / "manifest.json")
        # nothing was written: the delivered disk holds exactly the source's content
        assert migrated["digests"][name] == migrated["sources"][name] == manifest.disks[0].content_digest
    readme = (migrated["out"] / "oldkernel" / "README.txt").read_text(encoding="utf-8-sig")
    assert "Not done: Not prepared for Hyper-V" in readme and "dracut" in readme  # the manual steps stay


def test_prepared_disks_get_a_new_digest_and_every_change_is_reported(migrated):
    outcome = migrated["outcomes"]["rhel"]
    prep = outcome.guest_prep
    assert prep.status == "prepared" and prep.facts.distro == "rhel" and prep.facts.initramfs_tool == "dracut"
    assert prep.facts.kernels == [KVER_EL] and "ifcfg" in prep.facts.network_styles
    changed = {c.file.split(" → ")[0] for c in prep.changes}
    assert {"/etc/sysconfig/network-scripts/ifcfg-ens192", "/etc/NetworkManager/system-connections/ens224.nmconnection",
            "/etc/fstab", "/etc/dracut.conf.d/90-hvmigrate-hyperv.conf"} <= changed
    report, readme = migrated["report"], (migrated["out"] / "rhel" / "README.txt").read_text(encoding="utf-8-sig")
    for change in prep.changes:
        assert change.file in report and change.file in readme
    guest_changes = json.loads((migrated["out"] / "rhel" / "guest-changes.json").read_text(encoding="utf-8"))
    assert guest_changes["status"] == "prepared" and len(guest_changes["changes"]) == len(prep.changes)
    # the delivered disk is not the source any more: its recorded digest is the prepared content's
    recorded = Manifest.load(migrated["out"] / "rhel" / "manifest.json").disks[0].content_digest
    assert recorded == migrated["digests"]["rhel"] != migrated["sources"]["rhel"]

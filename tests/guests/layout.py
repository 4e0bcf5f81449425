"""Lay a root file system onto a VMware VM's disk and write the VM's ``.vmx`` beside it.

No loop device and no appliance: the partition table is written by sfdisk into an image file, the file
systems by ``mke2fs -d`` and ``mkfs.vfat --offset`` at their partition's offset, the ESP's files by mtools;
GRUB's images are made by ``grub-mkimage`` from the guest's own GRUB modules. BIOS/MBR: boot.img in the MBR,
core.img in the gap after it, an active partition. UEFI/GPT: an ESP holding the removable-media loader
(``\\EFI\\BOOT\\BOOTX64.EFI``, all a fresh NVRAM finds) and Debian's ``\\EFI\\debian\\grubx64.efi``. Both load
``/boot/grub/grub.cfg`` from the root file system, which boots the kernel with ``KERNEL_CMDLINE``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.guests.rootfs import kernel_version
from tests.guests.specs import ESP_VOLUME_ID, KERNEL_CMDLINE, GuestSpec

MiB = 1024 * 1024
DISK_BYTES = 1536 * MiB
ESP_BYTES = 64 * MiB
FIRST = 1 * MiB  # the first partition starts here (sector 2048); BIOS GRUB's core.img lives before it
ESP_TYPE = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
LINUX_TYPE = "0FC63DAF-8483-4772-8E79-3D69D8477DE4"
_GRUB_MODULES = ["part_msdos", "part_gpt", "ext2", "fat", "search", "search_fs_uuid", "normal", "configfile",
                 "linux", "echo", "serial", "terminal", "gzio", "test"]


def _run(*cmd: str, env: dict[str, str] | None = None) -> None:
    proc = subprocess.run(list(cmd), capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed (exit {proc.returncode}): {' '.join(cmd)}\n{proc.stderr.strip()}")


def _grub_cfg(spec: GuestSpec, kver: str) -> str:
    table = "part_msdos" if spec.firmware == "bios" else "part_gpt"
    uuid = spec.root.root_uuid
    return f"""set default=0
set timeout=0
serial --unit=0 --speed=115200
terminal_input console serial
terminal_output console serial
insmod {table}
insmod ext2
search --no-floppy --fs-uuid --set=root {uuid}
menuentry 'Debian GNU/Linux' {{
    echo 'Loading Linux {kver} ...'
    linux /boot/vmlinuz-{kver} root=UUID={uuid} ro {KERNEL_CMDLINE}
    echo 'Loading initial ramdisk ...'
    initrd /boot/initrd.img-{kver}
}}
"""


def _grub_image(root: Path, platform: str, out: Path, uuid: str, work: Path) -> None:
    early = work / f"early-{platform}.cfg"
    early.write_text(f"search --no-floppy --fs-uuid --set=root {uuid}\nset prefix=($root)/boot/grub\n")
    fmt = "i386-pc" if platform == "i386-pc" else "x86_64-efi"
    modules = _GRUB_MODULES + (["biosdisk"] if platform == "i386-pc" else ["efi_gop"])
    _run("grub-mkimage", "-O", fmt, "-d", str(root / "usr/lib/grub" / platform), "-c", str(early), "-p",
         "/boot/grub", "-o", str(out), *modules)


def _write_at(disk: Path, offset: int, data: bytes) -> None:
    with disk.open("r+b") as f:
        f.seek(offset)
        f.write(data)


def make_raw_disk(spec: GuestSpec, root: Path, disk: Path, work: Path) -> None:
    """Write ``spec``'s bootable disk as a raw image ``disk`` from the root file system directory ``root``
    (its /etc/fstab and /boot/grub are set for this layout)."""
    kver = kernel_version(root)
    uuid = spec.root.root_uuid
    disk.unlink(missing_ok=True)
    with disk.open("wb") as f:
        f.truncate(DISK_BYTES)
    efi = spec.firmware == "efi"
    if efi:
        esp_uuid = f"{ESP_VOLUME_ID[:4]}-{ESP_VOLUME_ID[4:]}"
        table = (f"label: gpt\nstart=2048, size={ESP_BYTES // 512}, type={ESP_TYPE}, name=\"EFI System\"\n"
                 f"start={(FIRST + ESP_BYTES) // 512}, type={LINUX_TYPE}\n")
        root_offset = FIRST + ESP_BYTES
        fstab = (f"UUID={uuid} / ext4 errors=remount-ro 0 1\n"
                 f"UUID={esp_uuid} /boot/efi vfat umask=0077 0 1\n")
    else:
        table = "label: dos\nlabel-id: 0x4876626f\nstart=2048, type=83, bootable\n"
        root_offset = FIRST
        fstab = f"UUID={uuid} / ext4 errors=remount-ro 0 1\n"
    proc = subprocess.run(["sfdisk", "--no-reread", "--no-tell-kernel", "-q", str(disk)], input=table, text=True,
                          capture_output=True)
    if proc.returncode != 0:
        raise RuntimeError(f"sfdisk failed on {disk}: {proc.stderr.strip()}")
    (root / "etc/fstab").write_text(fstab)
    grub = root / "boot/grub"
    grub.mkdir(parents=True, exist_ok=True)
    (grub / "grub.cfg").write_text(_grub_cfg(spec, kver))
    platform = "x86_64-efi" if efi else "i386-pc"
    for other in ("i386-pc", "x86_64-efi"):  # the module folder grub-install leaves, for this layout only
        shutil.rmtree(grub / other, ignore_errors=True)
    shutil.copytree(root / "usr/lib/grub" / platform, grub / platform)
    (root / "boot/efi").mkdir(exist_ok=True)
    root_kib = (DISK_BYTES - root_offset - MiB) // 1024  # leave the GPT's backup header alone
    _run("mke2fs", "-q", "-F", "-t", "ext4", "-U", uuid, "-L", "root", "-E", f"offset={root_offset}",
         "-d", str(root), str(disk), f"{root_kib}k")
    loader = work / f"{spec.name}-{platform}.img"
    _grub_image(root, platform, loader, uuid, work)
    if efi:
        _run("mkfs.vfat", "-F", "16", "-i", ESP_VOLUME_ID, "-n", "ESP", f"--offset={FIRST // 512}", str(disk),
             str(ESP_BYTES // 1024))
        env = {**os.environ, "MTOOLS_SKIP_CHECK": "1"}
        image = f"{disk}@@{FIRST}"
        _run("mmd", "-i", image, "::/EFI", "::/EFI/BOOT", "::/EFI/debian", env=env)
        _run("mcopy", "-i", image, str(loader), "::/EFI/BOOT/BOOTX64.EFI", env=env)
        _run("mcopy", "-i", image, str(loader), "::/EFI/debian/grubx64.efi", env=env)
    else:
        core = loader.read_bytes()
        if len(core) > FIRST - 512:
            raise RuntimeError(f"GRUB's core.img ({len(core)} bytes) does not fit before the first partition")
        boot = (root / "usr/lib/grub/i386-pc/boot.img").read_bytes()
        # boot.img loads core.img from sector 1 (its default); the partition table after byte 440 stays
        _write_at(disk, 0, boot[:440])
        _write_at(disk, 512, core)
    loader.unlink()


def to_vmdk(spec: GuestSpec, raw: Path, vmdk: Path) -> None:
    adapter = "lsilogic"  # the descriptor's ddb.adapterType; pvscsi VMs carry "lsilogic" there too
    options = f"subformat={spec.vmdk_subformat},adapter_type={adapter}"
    _run("qemu-img", "convert", "-f", "raw", "-O", "vmdk", "-o", options, str(raw), str(vmdk))


def vmx_text(spec: GuestSpec, vmdk_name: str) -> str:
    """The .vmx VMware Workstation 17 writes for such a VM (Debian 12 64-bit, one SCSI disk, one vmxnet3)."""
    lines = [
        ".encoding = \"UTF-8\"",
        "config.version = \"8\"",
        "virtualHW.version = \"20\"",
        f"displayName = \"{spec.name}\"",
        "guestOS = \"debian12-64\"",
        *(["firmware = \"efi\""] if spec.firmware == "efi" else []),
        "numvcpus = \"1\"",
        "memSize = \"1024\"",
        "pciBridge0.present = \"TRUE\"",
        "pciBridge4.present = \"TRUE\"",
        "pciBridge4.virtualDev = \"pcieRootPort\"",
        "pciBridge4.functions = \"8\"",
        "scsi0.present = \"TRUE\"",
        f"scsi0.virtualDev = \"{spec.scsi_controller}\"",
        "scsi0:0.present = \"TRUE\"",
        f"scsi0:0.fileName = \"{vmdk_name}\"",
        "ethernet0.present = \"TRUE\"",
        "ethernet0.connectionType = \"nat\"",
        "ethernet0.virtualDev = \"vmxnet3\"",
        "ethernet0.addressType = \"generated\"",
        f"ethernet0.generatedAddress = \"{spec.root.mac}\"",
        "ethernet0.generatedAddressOffset = \"0\"",
        "ethernet0.pciSlotNumber = \"192\"",
        "serial0.present = \"FALSE\"",
        "tools.syncTime = \"FALSE\"",
    ]
    return "\n".join(lines) + "\n"


def make_vm(spec: GuestSpec, root: Path, folder: Path, work: Path) -> Path:
    """Write the VM folder ``folder`` (``<name>.vmx`` + ``<name>.vmdk``) and return the .vmx's path."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = work / f"{spec.name}.raw"
    make_raw_disk(spec, root, raw, work)
    vmdk = folder / f"{spec.name}.vmdk"
    to_vmdk(spec, raw, vmdk)
    raw.unlink()
    vmx = folder / f"{spec.name}.vmx"
    vmx.write_text(vmx_text(spec, vmdk.name))
    return vmx

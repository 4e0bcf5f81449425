"""Builds folders of VMware Workstation VMs with real VMDK disks (made by qemu-img) for pipeline tests."""

from __future__ import annotations

import os
import random
from pathlib import Path

from tests.fixtures.disks import qemu_img

MiB = 1024 * 1024

VMX = """.encoding = "UTF-8"
config.version = "8"
virtualHW.version = "19"
displayName = "{name}"
guestOS = "windows2019srv-64"
firmware = "efi"
numvcpus = "2"
memsize = "2048"
scsi0.present = "TRUE"
scsi0.virtualDev = "lsisas1068"
{disks}ethernet0.present = "TRUE"
ethernet0.virtualDev = "e1000e"
ethernet0.connectionType = "nat"
ethernet0.addressType = "generated"
ethernet0.generatedAddress = "00:0c:29:{mac}"
"""


def make_vm(root: Path, name: str, disk_sizes_mib: list[int], seed: int, data_fraction: float = 0.6) -> Path:
    """A VM folder ``root/name`` with one monolithicSparse VMDK per size, ``data_fraction`` of it random."""
    folder = root / name
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    lines = []
    for unit, size in enumerate(disk_sizes_mib):
        raw = folder / f"disk{unit}.raw"
        with open(raw, "wb") as fh:
            fh.truncate(size * MiB)
            for mib in range(size):
                if rng.random() < data_fraction:
                    fh.seek(mib * MiB)
                    fh.write(rng.randbytes(MiB))
        vmdk = folder / f"{name}-{unit}.vmdk"
        qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse", str(raw), str(vmdk))
        os.unlink(raw)
        lines.append(f'scsi0:{unit}.present = "TRUE"\nscsi0:{unit}.fileName = "{vmdk.name}"\n')
    mac = ":".join(f"{rng.randrange(256):02x}" for _ in range(3))
    (folder / f"{name}.vmx").write_text(VMX.format(name=name, disks="".join(lines), mac=mac), encoding="utf-8")
    return folder

"""Read files inside a disk image without changing it: libguestfs (guestfish, read-only) copies /boot and /etc
out, and the host's ``lsinitramfs`` lists each initramfs (it reads the compressions initramfs-tools and dracut
use)."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

ORIGINAL_SUFFIX = ".hvmigrate-orig"  # where preparation keeps the files it changed


def guestfs_env() -> dict[str, str]:
    """libguestfs's appliance under TCG unless the caller chose otherwise (KVM's default CPU model aborts on some
    nested machines)."""
    env = dict(os.environ)
    env.setdefault("LIBGUESTFS_BACKEND", "direct")
    env.setdefault("LIBGUESTFS_BACKEND_SETTINGS", "force_tcg")
    return env


def copy_out(disk: Path, fmt: str, dest: Path, paths: tuple[str, ...] = ("/boot", "/etc")) -> Path:
    """Copy ``paths`` of the guest's operating system (found by inspection) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    script = "".join(f"copy-out {p} {dest}\n" for p in paths)
    proc = subprocess.run(["guestfish", "--ro", f"--format={fmt}", "-a", str(disk), "-i"], input=script,
                          capture_output=True, text=True, env=guestfs_env())
    if proc.returncode != 0:
        raise RuntimeError(f"guestfish could not read {disk}: {proc.stderr.strip()[-2000:]}")
    return dest


def copy_out_many(disks: list[tuple[Path, str, int]], dests: list[Path],
                  paths: tuple[str, ...] = ("/boot", "/etc")) -> list[Path]:
    """Copy ``paths`` of several disks' root file systems — ``(disk, format, root partition number)`` — into
    ``dests`` (one each), all in one appliance: the disks are added read-only, each root is mounted read-only in
    turn (by partition: the test guests share root UUIDs)."""
    script = "".join(f"add \"{disk}\" readonly:true format:{fmt}\n" for disk, fmt, _ in disks) + "run\n"
    for number, ((_, _, part), dest) in enumerate(zip(disks, dests, strict=True)):
        dest.mkdir(parents=True, exist_ok=True)
        script += f"mount-ro /dev/sd{chr(ord('a') + number)}{part} /\n"
        script += "".join(f"copy-out {p} \"{dest}\"\n" for p in paths) + "umount /\n"
    proc = subprocess.run(["guestfish"], input=script, capture_output=True, text=True, env=guestfs_env())
    if proc.returncode != 0:
        raise RuntimeError(f"guestfish could not read {[str(d) for d, _, _ in disks]}: {proc.stderr.strip()[-2000:]}")
    return dests


@dataclass
class Initramfs:
    path: Path
    modules: frozenset[str]  # module names (hv_vmbus, not hv_vmbus.ko), "-" and "_" as the kernel spells them


def list_initramfs(path: Path) -> Initramfs:
    proc = subprocess.run(["lsinitramfs", str(path)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"lsinitramfs {path} failed: {proc.stderr.strip()}")
    names = set()
    for line in proc.stdout.splitlines():
        m = re.search(r"/([^/]+)\.ko(?:\.(?:xz|zst|gz))?$", line)
        if m:
            names.add(m.group(1).replace("-", "_"))
    return Initramfs(path, frozenset(names))


def initramfs_images(boot: Path) -> list[Path]:
    """Every kernel's initramfs in a copied-out /boot (Debian names them initrd.img-<version>)."""
    return sorted(p for p in boot.glob("initrd.img-*") if not p.name.endswith(ORIGINAL_SUFFIX))


def files_naming(etc: Path, needle: str) -> list[str]:
    """Files below the copied-out /etc whose text names ``needle`` (case-insensitive), except the originals
    preparation keeps beside the files it changed (``name.hvmigrate-orig``, or in a ``.hvmigrate-orig`` folder
    where the program reading the folder would load any file, as NetworkManager does)."""
    hits = []
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    for f in sorted(etc.rglob("*")):
        if not f.is_file() or f.is_symlink() or any(ORIGINAL_SUFFIX in part for part in f.relative_to(etc).parts):
            continue
        try:
            text = f.read_text(errors="replace")
        except OSError:
            continue
        if pattern.search(text):
            hits.append(str(f.relative_to(etc.parent)))
    return hits

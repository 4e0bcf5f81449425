"""Build the guests once and keep them across runs, keyed by what they are made of.

The key hashes the release, the candidate version of every package the guests install (``apt-cache policy``,
so a kernel or dracut update builds them anew) and the builder's own source. The folder is
``$HVMIGRATE_TEST_CACHE`` or ``~/.cache/hvmigrate-test-guests`` (outside the repository); only the newest key is
kept. A lock serialises concurrent test runs; a build that did not finish leaves no ``COMPLETE`` stamp and is
redone.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.guests import layout, rootfs
from tests.guests.specs import GUESTS, GuestSpec

_SOURCES = ("specs.py", "rootfs.py", "layout.py", "cache.py")
INITRD_FOLDER = "source-initrd"  # beside the VM folders: each root file system's /boot/initrd.img-* as built


def cache_root() -> Path:
    # not XDG_CACHE_HOME: the test session points that at a per-run folder
    return Path(os.environ.get("HVMIGRATE_TEST_CACHE") or Path.home() / ".cache" / "hvmigrate-test-guests")


def _candidates(names: list[str]) -> list[str]:
    out = subprocess.run(["apt-cache", "policy", *names], capture_output=True, text=True, check=True).stdout
    versions, current = [], ""
    for line in out.splitlines():
        if line and not line.startswith(" "):
            current = line.rstrip(":")
        elif line.strip().startswith("Candidate:"):
            versions.append(f"{current}={line.split(':', 1)[1].strip()}")
    return versions


def cache_key() -> str:
    h = hashlib.sha256()
    h.update(rootfs.suite().encode())
    names = sorted({p for g in GUESTS for p in rootfs.packages(g.root)})
    for v in _candidates(names):
        h.update(v.encode() + b"\n")
    here = Path(__file__).parent
    for name in _SOURCES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


@dataclass
class BuiltGuests:
    folder: Path
    timings: dict[str, float]  # step → seconds, as measured when this cache entry was built
    built_now: bool

    def vmx(self, spec: GuestSpec) -> Path:
        return self.folder / spec.name / f"{spec.name}.vmx"

    def source_initrds(self, spec: GuestSpec) -> list[Path]:
        """Copies of the initramfs files ``spec``'s disk holds in /boot, kept when the disk was written from the
        same root file system (read on the host: no appliance is needed to see what the source guest had)."""
        return sorted((self.folder / INITRD_FOLDER / spec.root.short).glob("initrd.img-*"))


def ensure_guests() -> BuiltGuests:
    """The four guests' VM folders, built now if the cache holds none for the current key."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    key = cache_key()
    with (root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        folder = root / key
        if (folder / "COMPLETE").exists():
            return BuiltGuests(folder, json.loads((folder / "timings.json").read_text()), False)
        shutil.rmtree(folder, ignore_errors=True)
        work = root / f"{key}.work"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        timings = _build(folder, work)
        shutil.rmtree(work)
        (folder / "timings.json").write_text(json.dumps(timings, indent=1))
        (folder / "COMPLETE").write_text(key + "\n")
        for other in root.iterdir():  # only the newest build is kept
            if other.is_dir() and other.name != key:
                shutil.rmtree(other, ignore_errors=True)
        return BuiltGuests(folder, timings, True)


def _build(folder: Path, work: Path) -> dict[str, float]:
    timings: dict[str, float] = {}
    for spec in dict.fromkeys(g.root for g in GUESTS):
        started = time.monotonic()
        tree = rootfs.build_rootfs(spec, work / f"root-{spec.short}", work / f"mmdebstrap-{spec.short}.log")
        timings[f"rootfs {spec.tool}"] = round(time.monotonic() - started, 1)
        for guest in (g for g in GUESTS if g.root == spec):
            started = time.monotonic()
            layout.make_vm(guest, tree, folder / guest.name, work)
            timings[f"disk {guest.name}"] = round(time.monotonic() - started, 1)
        kept = folder / INITRD_FOLDER / spec.short
        kept.mkdir(parents=True, exist_ok=True)
        for image in (tree / "boot").glob("initrd.img-*"):
            shutil.copy2(image, kept / image.name)
        shutil.rmtree(tree)
    return timings

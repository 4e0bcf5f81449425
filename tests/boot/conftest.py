"""The boot proof's fixtures: the four guests (built once, cached across runs) and one run of the real command
line over all of them, as a sysadmin migrating a folder of VMs runs it (``hvmigrate plan FOLDER`` then
``hvmigrate migrate --parallel 2 --target bundle:``: two libguestfs appliances, one per core)."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from tests.boot.runs import Migrated, hvmigrate, record_time
from tests.guests import cache
from tests.guests.specs import GUESTS, GuestSpec

# Every tool the boot proof runs; `make test` installs the Debian packages named here (Makefile APT_PACKAGES).
TOOLS = {
    "mmdebstrap": "mmdebstrap", "qemu-system-x86_64": "qemu-system-x86", "qemu-img": "qemu-utils",
    "guestfish": "libguestfs-tools", "grub-mkimage": "grub-common", "mke2fs": "e2fsprogs",
    "mkfs.vfat": "dosfstools", "mcopy": "mtools", "sfdisk": "fdisk", "lsinitramfs": "initramfs-tools-core",
    "lz4": "lz4", "unshare": "util-linux", "apt-cache": "apt",
}
PARALLEL = 2  # VMs at once: each appliance runs single-threaded under TCG, so two use both cores


def _require_machine() -> None:
    if not Path("/etc/debian_version").exists():
        pytest.skip("the boot proof builds Debian guests from the machine's apt sources: this is not Debian")
    if os.geteuid() != 0:
        pytest.skip("the boot proof builds its guests with mmdebstrap's root mode and mke2fs -d, which keep "
                    "every file's owner only when run as root")
    missing = [f"{tool} ({pkg})" for tool, pkg in TOOLS.items() if shutil.which(tool) is None]
    if not any(Path(p).exists() for p in ("/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_CODE.fd")):
        missing.append("OVMF firmware (ovmf)")
    if missing:
        pytest.fail("the boot proof needs " + ", ".join(missing) + ": `make test` installs them")


@pytest.fixture(scope="session")
def built_guests() -> cache.BuiltGuests:
    _require_machine()
    return cache.ensure_guests()


@pytest.fixture(scope="session")
def migration(built_guests: cache.BuiltGuests, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Migrated]:
    """Every guest, planned from the cache's folder of VMs and migrated in one run: name → its result."""
    work = tmp_path_factory.mktemp("boot-proof")
    started = time.monotonic()
    planned = hvmigrate("plan", str(built_guests.folder), "-o", "plan.json", cwd=work)
    assert planned.returncode == 0, f"hvmigrate plan failed:\n{planned.stdout}\n{planned.stderr}"
    plan = json.loads((work / "plan.json").read_text())
    items = {item["vm"]["name"]: item for item in plan["items"]}
    assert sorted(items) == sorted(g.name for g in GUESTS), f"the plan holds {sorted(items)}"
    bundle = work / "bundle"
    run = hvmigrate("migrate", "plan.json", "--parallel", str(PARALLEL), "--target", f"bundle:{bundle}", "--json",
                    cwd=work)
    assert run.returncode == 0, f"hvmigrate migrate failed:\n{run.stdout}\n{run.stderr}"
    seconds = time.monotonic() - started
    summary = json.loads(run.stdout or "{}")
    out = {}
    for spec in GUESTS:
        record_time(spec, f"migrate+prepare (all {len(GUESTS)}, {PARALLEL} at once)", seconds)
        disks = sorted(p for p in bundle.rglob("*.vhdx") if spec.name in str(p.relative_to(bundle)))
        assert len(disks) == 1, f"expected one VHDX of {spec.name} in the bundle, found {disks}"
        out[spec.name] = Migrated(spec, built_guests.vmx(spec), items[spec.name], bundle, disks[0], summary,
                                  run.stderr)
    return out


@pytest.fixture(scope="module", params=GUESTS, ids=[g.name for g in GUESTS])
def migrated(request: pytest.FixtureRequest, migration: dict[str, Migrated]) -> Migrated:
    spec: GuestSpec = request.param
    return migration[spec.name]

"""The ``sync`` source policy: how long a delta sync takes next to the initial sync, and the cut-over's downtime.

A VM of the vCenter simulator (tests/vcsim, with changed block tracking) has one 2 GiB flat disk, half of it
written with random data. The bench synchronises it into an import bundle (the initial sync reads the whole
disk), plays the guest writing 1 % of the disk (scattered writes of 4 KiB to 4 MiB), runs a delta sync, writes
another 1 %, and cuts over (shutdown through VMware Tools, final delta, checks, bundle written). It prints the
initial and delta sync times with their ratio (the issue's target: a delta takes at most 5 % of the initial
sync), the bytes each read at the simulator's HTTP layer, and the downtime (shutdown requested → bundle
written), and checks the bundle's disk against the source with ``qemu-img compare``.

    .venv/bin/python bench/sync.py [--size-gib 2] [--changed 0.01] [--runs 1]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pyVmomi import vim  # noqa: E402

from tests.fixtures.vcsim import connect_si, start_vcsim  # noqa: E402
from tests.fixtures.vcsim_vms import Builder, create_flat_vm  # noqa: E402
from wizard.app.sync import SyncSettings, prepare_sync  # noqa: E402
from wizard.app.targets import TargetSpec  # noqa: E402
from wizard.compat.engine import build_plan  # noqa: E402
from wizard.core.plan import SourceRef  # noqa: E402
from wizard.sources.vsphere import VSphereSource  # noqa: E402
from wizard.targets.bundle import DISK_DIR, BundleTarget, bundle_folder_name  # noqa: E402

KiB, MiB, GiB = 1024, 1024 * 1024, 1024 * 1024 * 1024


def guest_writes(disk, rng: random.Random, amount: int) -> int:
    """Scattered writes of 4 KiB to 4 MiB until ``amount`` bytes; the bytes written."""
    written = 0
    while written < amount:
        size = min(amount - written, rng.choice((4 * KiB, 64 * KiB, 256 * KiB, MiB, 4 * MiB)))
        disk.write(rng.randrange(0, disk.capacity - size) // 4096 * 4096, rng.randbytes(size))
        written += size
    return written


def wait_round(sync, number: int, timeout: float = 900.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for st in sync.status():
            if st.rounds >= number and st.state == "synchronised":
                return st
            if st.state == "failed":
                raise SystemExit(f"sync failed: {st.error.one_line() if st.error else ''}")
        time.sleep(0.02)
    raise SystemExit(f"sync {number} did not finish within {timeout:.0f} s")


def one_run(sim, si, size: int, changed: float, work: Path, run: int) -> dict[str, float]:
    name = f"bench-sync-{run}"
    vm = create_flat_vm(sim, si, name, (size,), power_on=True)
    Builder(si).reconfig(vm.vm, extraConfig=[vim.option.OptionValue(key="SET.guest.toolsRunningStatus",
                                                                    value="guestToolsRunning")])
    disk = vm.disks[0]
    rng = random.Random(run)
    for offset in range(0, size, 128 * MiB):  # half the disk holds data, spread over all of it
        disk.write(offset, rng.randbytes(64 * MiB))
    source = VSphereSource(sim.host, sim.port, sim.user, sim.password, insecure=True)
    plan = build_plan(source.discover(), [name], source_ref=SourceRef(kind="vsphere"), source_policy="sync")
    out = work / f"bundle-{run}"
    sync = prepare_sync(plan, source, TargetSpec.parse(f"bundle:{out}"), SyncSettings(interval_minutes=600))
    flat = disk.flat_path
    try:
        served = sim.bytes_served(flat)
        sync.start()
        initial = wait_round(sync, 1)
        initial_read = sim.bytes_served(flat) - served
        written = guest_writes(disk, rng, int(size * changed))
        served = sim.bytes_served(flat)
        sync.sync_now()
        delta = wait_round(sync, 2)
        delta_read = sim.bytes_served(flat) - served
        final_written = guest_writes(disk, rng, int(size * changed))
        sync.cut_over()
        done = sync.wait(900)[0]
    finally:
        sync.close()
        source.close()
    if done.state != "done":
        raise SystemExit(f"cut-over failed: {done.error.one_line() if done.error else done.state}")
    item = plan.items[0]
    vhdx = out / bundle_folder_name(item) / DISK_DIR / BundleTarget.disk_file_name(item.target.disks[0])
    cmp = subprocess.run(["qemu-img", "compare", "-f", "raw", "-F", "vhdx", str(disk.flat), str(vhdx)],
                         capture_output=True, text=True)
    if cmp.returncode != 0:
        raise SystemExit(f"the bundle's disk differs from the source: {cmp.stdout}{cmp.stderr}")
    return {"initial": initial.last_seconds, "initial_read": initial_read, "delta": delta.last_seconds,
            "delta_read": delta_read, "written": written, "final_written": final_written,
            "downtime": done.downtime or 0.0}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-gib", type=float, default=2.0)
    ap.add_argument("--changed", type=float, default=0.01, help="share of the disk the guest writes per round")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    size = int(args.size_gib * GiB) // MiB * MiB
    work = Path(tempfile.mkdtemp(prefix="hvmigrate-bench-sync-"))
    sim = start_vcsim()
    try:
        si = connect_si(sim)
        results = [one_run(sim, si, size, args.changed, work, run) for run in range(args.runs)]
    finally:
        sim.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"sync bench: {size / GiB:g} GiB disk (half of it data), {args.changed:.0%} of it written per round")
    for n, r in enumerate(results, 1):
        ratio = r["delta"] / r["initial"]
        print(f"run {n}: initial sync {r['initial']:.2f} s ({r['initial_read'] / MiB:.0f} MiB read); "
              f"delta sync {r['delta']:.2f} s ({r['delta_read'] / MiB:.1f} MiB read for {r['written'] / MiB:.1f} "
              f"MiB written); delta/initial = {ratio:.1%} ({'meets' if ratio <= 0.05 else 'misses'} ≤ 5 %); "
              f"cut-over downtime {r['downtime']:.2f} s (final delta of {r['final_written'] / MiB:.1f} MiB "
              "written, bundle hashed and written; a bundle starts no VM: the downtime ends with the complete "
              "bundle, and importing and starting it on the host come on top)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

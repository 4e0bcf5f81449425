"""Benchmark: 2,000 varied synthetic VMs through every compatibility rule (target: ≤ 1 s).

Run: ``.venv/bin/python bench/assess.py [--vms N] [--repeat R]``. Prints the median wall time of ``assess()``
over R runs and the per-VM cost; exits 1 when the median is over the target (``--target`` seconds).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wizard.compat.catalog import guest_catalog  # noqa: E402
from wizard.compat.engine import assess  # noqa: E402
from wizard.core.inventory import (  # noqa: E402
    Backing,
    Controller,
    Device,
    DeviceKind,
    Disk,
    DiskMode,
    Firmware,
    GuestIP,
    GuestOS,
    Inventory,
    Nic,
    PowerState,
    Sharing,
    Snapshot,
    SourceVM,
)

GiB = 1024**3


def synthetic_inventory(n: int, seed: int = 7) -> Inventory:
    """``n`` VMs covering every guest id, firmware, controller, device kind and odd case the rules look at."""
    rnd = random.Random(seed)
    guests = sorted(guest_catalog())
    ctrls = list(Controller)
    vms = []
    for i in range(n):
        efi = rnd.random() < 0.6
        vm = SourceVM(id=f"vm-{i}", name=rnd.choice([f"app{i:04d}", f"db<{i}>", f"web {i}.", f"CON{i % 3}", f"x{i}"]),
                      source_kind="bench", guest=GuestOS(id=rnd.choice(guests)),
                      firmware=Firmware.EFI if efi else Firmware.BIOS, secure_boot=efi and rnd.random() < 0.7,
                      vtpm=efi and rnd.random() < 0.1, cpus=rnd.choice([1, 2, 4, 8, 16, 96, 300]),
                      memory_mb=rnd.choice([0, 1023, 2048, 8192, 65536, 2 * 1024 * 1024]),
                      power_state=rnd.choice(list(PowerState)), tools_status=rnd.choice(["ok", "notRunning", ""]),
                      cpu_hot_add=rnd.random() < 0.2, encrypted=rnd.random() < 0.02,
                      hibernated=rnd.random() < 0.02, template=rnd.random() < 0.02)
        for d in range(rnd.choice([0, 1, 1, 2, 3, 6])):
            vm.disks.append(Disk(label=f"Hard disk {d + 1}", controller=rnd.choice(ctrls), unit=d,
                                 capacity_bytes=rnd.choice([0, 40 * GiB, 500 * GiB, 3 * 1024 * GiB]),
                                 backing=rnd.choice([Backing.FLAT, Backing.SPARSE, Backing.SPARSE, Backing.RDM_VIRTUAL,
                                                     Backing.RDM_PHYSICAL]),
                                 mode=rnd.choice([DiskMode.PERSISTENT] * 5 + [DiskMode.INDEPENDENT_NONPERSISTENT]),
                                 sharing=rnd.choice([Sharing.NONE] * 9 + [Sharing.MULTI_WRITER]),
                                 vsan=rnd.random() < 0.1,
                                 chain=["a.vmdk", "a-000001.vmdk"] if rnd.random() < 0.1 else []))
        for k in range(rnd.choice([0, 1, 2, 10])):
            vm.nics.append(Nic(label=f"Network adapter {k + 1}", model=rnd.choice(["vmxnet3", "e1000e", "e1000"]),
                               mac=f"00:50:56:{i % 256:02x}:{k:02x}:01", mac_type=rnd.choice(["assigned", "manual"]),
                               network=rnd.choice(["VM Network", "DMZ", "Backup"]), vlan=rnd.choice([None, 12])))
        vm.devices = [Device(kind=rnd.choice(list(DeviceKind)), label=f"dev {j}", connected=rnd.random() < 0.5)
                      for j in range(rnd.choice([0, 0, 1, 3]))]
        vm.snapshots = [Snapshot(id=str(s)) for s in range(rnd.choice([0, 0, 0, 2]))]
        if rnd.random() < 0.3:
            vm.guest_ips = [GuestIP(address=f"10.0.{i % 250}.{k}", prefix_length=24, origin="manual") for k in (1, 2)]
        vms.append(vm)
    return Inventory(source="bench", source_kind="bench", vms=vms)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--vms", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--target", type=float, default=1.0, help="seconds allowed for --vms VMs")
    args = ap.parse_args(argv)
    inv = synthetic_inventory(args.vms)
    assess(inv.vms[:1])  # load catalogs and rules outside the timing
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        results = assess(inv, target_version="2019", network_map={"VM Network": ("LAN", None)})
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    findings = sum(len(a.findings) for a in results)
    blocked = sum(a.blocked for a in results)
    print(f"assess: {args.vms} VMs, {findings} findings, {blocked} blocked: median {med:.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f}) = {med / args.vms * 1e6:.0f} µs/VM; target ≤ {args.target} s "
          f"→ {'OK' if med <= args.target else 'TOO SLOW'}")
    return 0 if med <= args.target else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

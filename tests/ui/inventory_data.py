"""Synthetic inventories for model tests and benchmarks."""

from __future__ import annotations

from wizard.core.inventory import Disk, GuestOS, Inventory, Nic, PowerState, SourceVM

GUESTS = (("windows2019srv_64Guest", "Microsoft Windows Server 2019 (64-bit)", "windows"),
          ("ubuntu64Guest", "Ubuntu Linux (64-bit)", "linux"),
          ("centos7_64Guest", "CentOS 7 (64-bit)", "linux"),
          ("freebsd12_64Guest", "FreeBSD 12 (64-bit)", "freebsd"))
POWER = (PowerState.ON, PowerState.OFF, PowerState.SUSPENDED)


def many_vms(n: int) -> Inventory:
    vms = []
    for i in range(n):
        gid, full, family = GUESTS[i % len(GUESTS)]
        vms.append(SourceVM(
            id=f"vm-{i}", name=f"vm{(i * 7919) % n:05d}", source_kind="demo", cluster=f"Cluster-{i % 5}",
            folder=f"Dept{i % 13}/Apps", host=f"esx{i % 17:02d}.lab", guest=GuestOS(gid, full, family=family, bits=64),
            cpus=1 + i % 16, memory_mb=1024 * (1 + i % 64), power_state=POWER[i % 3],
            disks=[Disk(label="Hard disk 1", capacity_bytes=(20 + i % 500) * 2**30)],
            nics=[Nic(label="Network adapter 1", network=f"VLAN{i % 9}")]))
    return Inventory(source="synthetic", source_kind="demo", vms=vms)

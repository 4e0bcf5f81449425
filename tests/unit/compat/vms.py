"""Source VMs for rule tests: a healthy baseline and small variations of it."""

from __future__ import annotations

from wizard.compat.engine import assess
from wizard.core.findings import Assessment, Finding
from wizard.core.inventory import (
    Controller,
    Disk,
    Firmware,
    GuestOS,
    Nic,
    PowerState,
    SourceVM,
)

GiB = 1024**3


def make_vm(name: str = "web01", guest: str = "windows2019srv_64Guest", *, firmware: Firmware = Firmware.EFI,
            disks: int = 1, nics: int = 1, **kw) -> SourceVM:
    vm = SourceVM(id=f"vm-{name}", name=name, source_kind="test", guest=GuestOS(id=guest),
                  firmware=firmware, secure_boot=firmware is Firmware.EFI, cpus=2, memory_mb=4096,
                  power_state=PowerState.OFF, tools_status="")
    vm.disks = [Disk(label=f"Hard disk {i + 1}", controller=Controller.SCSI, unit=i, capacity_bytes=40 * GiB)
                for i in range(disks)]
    vm.nics = [Nic(label=f"Network adapter {i + 1}", model="e1000e", mac=f"00:50:56:00:00:{i:02x}",
                   mac_type="assigned", network="VM Network") for i in range(nics)]
    for k, v in kw.items():
        setattr(vm, k, v)
    return vm


def one(vm: SourceVM, **kw) -> Assessment:
    return assess([vm], **kw)[0]


def codes(vm: SourceVM, **kw) -> set[str]:
    return {f.code for f in one(vm, **kw).findings}


def finding(a: Assessment, code: str) -> Finding:
    found = [f for f in a.findings if f.code == code]
    assert found, f"{code} not in {[f.code for f in a.findings]}"
    return found[0]

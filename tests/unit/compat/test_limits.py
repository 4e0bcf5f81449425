"""Host maximums: processors, memory, network adapters."""

from __future__ import annotations

from tests.unit.compat.vms import codes, finding, make_vm, one
from wizard.core.findings import Severity
from wizard.core.inventory import Firmware, Nic


def test_gen1_vcpus_capped_at_64():
    a = one(make_vm(firmware=Firmware.BIOS, cpus=96))
    assert a.spec.cpus == 64 and finding(a, "CPU-MAX").adjusted
    assert "CPU-MAX" not in codes(make_vm(cpus=96))  # Gen 2 allows 240 even on 2016


def test_gen2_vcpu_limit_depends_on_host_version():
    assert one(make_vm(cpus=300), target_version="2016").spec.cpus == 240
    assert one(make_vm(cpus=300), target_version="2025").spec.cpus == 300


def test_user_vcpus_above_limit_block():
    assert finding(one(make_vm(firmware=Firmware.BIOS), overrides=["cpus=100"]), "CPU-MAX").severity \
        is Severity.BLOCKER


def test_unknown_memory_becomes_1gib_with_a_warning():
    a = one(make_vm(memory_mb=0))
    assert a.spec.memory.startup_mb == 1024 and finding(a, "MEM-UNKNOWN").severity is Severity.WARNING
    assert "MEM-UNKNOWN" not in codes(make_vm())


def test_gen1_memory_capped_at_1tib():
    a = one(make_vm(firmware=Firmware.BIOS, memory_mb=2 * 1024 * 1024))
    assert a.spec.memory.startup_mb == 1024 * 1024 and finding(a, "MEM-MAX").adjusted
    assert "MEM-MAX" not in codes(make_vm(memory_mb=2 * 1024 * 1024))


def test_odd_memory_rounded_to_2mib():
    a = one(make_vm(memory_mb=4097))
    assert a.spec.memory.startup_mb == 4098 and finding(a, "MEM-ALIGN").adjusted
    assert "MEM-ALIGN" not in codes(make_vm(memory_mb=4096))


def test_dynamic_memory_bounds_follow_startup():
    a = one(make_vm(memory_mb=8192), overrides=["memory.dynamic=true"])
    assert "MEM-DYNAMIC" not in {f.code for f in a.findings}  # default 512 MiB .. 1 TiB already brackets it
    a = one(make_vm(memory_mb=8192), overrides=["memory.dynamic=true", "memory.maximum=4G"])
    assert finding(a, "MEM-DYNAMIC").severity is Severity.BLOCKER


def test_nic_count_on_2016_is_8():
    vm = make_vm(nics=10)
    a = one(vm, target_version="2016")
    assert len(a.spec.nics) == 8 and finding(a, "NIC-COUNT").adjusted
    assert "Network adapter 10" in finding(a, "NIC-COUNT").message
    assert "NIC-COUNT" not in codes(vm, target_version="2019")
    vm.nics = [Nic(label="a")]
    assert "NIC-COUNT" not in codes(vm, target_version="2016")


def test_memory_below_what_the_guest_release_needs_is_a_warning_never_a_silent_change():
    """Cutting memory on all ticked VMs must not let a Windows 11 VM fall below what it starts with."""
    a = one(make_vm(guest="windows11_64Guest"), overrides={"memory": "2048"})
    f = finding(a, "MEM-GUEST-MIN")
    assert f.severity is Severity.WARNING and "4096 MB" in f.message and a.spec.memory.startup_mb == 2048
    core = finding(one(make_vm(), overrides={"memory": "1024"}), "MEM-GUEST-MIN")
    assert "Server Core" in core.message
    assert "MEM-GUEST-MIN" not in codes(make_vm())  # 4 GiB for Windows Server: nothing to say
    assert "MEM-GUEST-MIN" not in codes(make_vm(guest="ubuntu64Guest", memory_mb=512))

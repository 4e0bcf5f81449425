"""Issue 18's boot proof: real Debian guests made on VMware-style disks are migrated by the command line
(``hvmigrate plan`` over their folder then ``hvmigrate migrate --target bundle:``, which prepares Linux guests
offline by default), and each converted VHDX is booted under QEMU with the firmware and disk controller of the
generation the plan chose, until the guest prints its marker from the root file system the initramfs
mounted. Inside each prepared disk, every initramfs must hold the Hyper-V drivers and the network
configuration must no longer be bound to the VMware NIC's MAC; before preparation, no source initramfs held
them (so the preparation is what makes the guests boot on Hyper-V).

The four guests: {initramfs-tools with MODULES=dep, dracut host-only (RHEL's behaviour)} × {BIOS/MBR, UEFI/GPT}
(tests/guests). A cold run builds them (mmdebstrap, a few minutes); later runs take them from the cache.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.boot.conftest import PARALLEL
from tests.boot.runs import Migrated, record_time
from tests.guests import inspect, qemu
from tests.guests.cache import BuiltGuests
from tests.guests.specs import GUESTS, HYPERV_MODULES, MARKER

pytestmark = [pytest.mark.slow, pytest.mark.boot]


def test_plan_chooses_the_generation_of_the_firmware(migrated: Migrated) -> None:
    """BIOS guests become Generation 1 VMs, UEFI guests Generation 2."""
    assert migrated.item["target"]["generation"] == migrated.spec.generation


def test_migration_says_the_guest_was_prepared(migrated: Migrated) -> None:
    """The migration's summary (``--json``) tells a sysadmin the Linux guest was prepared, or why not: every
    guest of the boot proof must be prepared (the tests below look inside at what that changed)."""
    vm = next(v for v in migrated.summary["vms"] if v["name"] == migrated.item["target"]["name"])
    prep = vm["guest_prep"] or {}
    said = [ln for ln in migrated.log.splitlines() if migrated.item["target"]["name"] in ln]
    assert prep.get("status") == "prepared", (f"{migrated.spec.name}: guest preparation {prep}; the migration said:\n"
                                              + "\n".join(said[-30:]))


@pytest.fixture(scope="session")
def booted(migration: dict[str, Migrated], tmp_path_factory: pytest.TempPathFactory
           ) -> dict[str, tuple[qemu.BootResult, Path]]:
    """Every converted disk booted, two at a time (QEMU under TCG uses one core each): name → (result, console
    log)."""
    folder = tmp_path_factory.mktemp("consoles")

    def one(m: Migrated) -> tuple[qemu.BootResult, Path]:
        console = folder / f"{m.spec.name}.log"
        result = qemu.boot(m.vhdx, m.item["target"]["generation"], console_log=console)
        record_time(m.spec, f"boot ({result.accel})", result.seconds)
        return result, console

    with ThreadPoolExecutor(PARALLEL) as pool:
        return dict(zip(migration, pool.map(one, migration.values()), strict=True))


def test_converted_disk_boots_to_its_root_file_system(migrated: Migrated, booted, prepared_files) -> None:
    """The VHDX in the bundle boots (SeaBIOS + IDE for Generation 1, OVMF + SCSI for Generation 2): the
    initramfs finds the root disk, mounts it, and the guest's own init prints the marker."""
    generation = migrated.item["target"]["generation"]
    result, console = booted[migrated.spec.name]
    if not result.reached_marker:
        pytest.fail(f"{migrated.spec.name} (Generation {generation}) did not reach {MARKER} (QEMU {result.accel}, "
                    f"exit {result.exit_code}){_missing_controller_modules(prepared_files, generation)}; "
                    f"console {console}:\n{result.why_not()}")
    root_line = next(ln for ln in result.console.splitlines() if "hvmigrate-boot-proof: root" in ln)
    assert "ext4" in root_line and "/dev/" in root_line, root_line


def _missing_controller_modules(files: Path, generation: int) -> str:
    """Why a prepared guest may not find its disk under QEMU: the controller modules its initramfs lacks."""
    lacking = []
    for image in inspect.initramfs_images(files / "boot"):
        modules = inspect.list_initramfs(image).modules
        absent = [mod for mod in qemu.CONTROLLER_MODULES[generation] if mod not in modules]
        if absent:
            lacking.append(f"{image.name} lacks {', '.join(absent)}")
    if not lacking:
        return ""
    return f"; the disk controller QEMU gives Generation {generation} needs modules the initramfs lacks: " + \
        "; ".join(lacking)


def _root_partition(m: Migrated) -> int:
    """The root file system's partition number (tests/guests/layout: the ESP comes first on UEFI disks)."""
    return 1 if m.spec.firmware == "bios" else 2


@pytest.fixture(scope="session")
def all_prepared_files(migration: dict[str, Migrated], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """/boot and /etc of every prepared disk, copied out in one appliance: name → folder."""
    started = time.monotonic()
    root = tmp_path_factory.mktemp("prepared-files")
    ms = list(migration.values())
    dests = inspect.copy_out_many([(m.vhdx, "vhdx", _root_partition(m)) for m in ms],
                                  [root / m.spec.name for m in ms])
    for m in ms:
        record_time(m.spec, f"inspect (all {len(ms)} in one appliance)", time.monotonic() - started)
    return {m.spec.name: d for m, d in zip(ms, dests, strict=True)}


@pytest.fixture
def prepared_files(migrated: Migrated, all_prepared_files: dict[str, Path]) -> Path:
    return all_prepared_files[migrated.spec.name]


def test_every_initramfs_holds_the_hyperv_drivers(migrated: Migrated, prepared_files: Path) -> None:
    images = inspect.initramfs_images(prepared_files / "boot")
    assert images, f"no initramfs in /boot of {migrated.vhdx}"
    for image in images:
        listed = inspect.list_initramfs(image)
        missing = [m for m in HYPERV_MODULES if m not in listed.modules]
        assert not missing, f"{migrated.spec.name}: {image.name} lacks {', '.join(missing)} after preparation"


def test_network_configuration_is_no_longer_bound_to_the_vmware_mac(migrated: Migrated,
                                                                    prepared_files: Path) -> None:
    """The VM gets a new MAC on Hyper-V (the plan does not keep it): nothing may still bind to the old one
    (the udev rule naming it ens192, the NetworkManager profile's mac-address)."""
    assert migrated.item["target"]["nics"][0]["static_mac"] in ("", None)
    mac = migrated.spec.root.mac
    assert (prepared_files / "etc/network/interfaces").is_file(), "the guest's /etc was not copied out"
    bound = inspect.files_naming(prepared_files / "etc", mac)
    assert not bound, f"{migrated.spec.name}: still bound to the VMware MAC {mac}: {bound}"


@pytest.mark.parametrize("spec", GUESTS, ids=lambda g: g.name)
def test_source_guest_lacked_the_hyperv_drivers_before(spec, built_guests: BuiltGuests) -> None:
    """Each source disk is what a VM on VMware has: an initramfs with VMware's drivers and not hv_storvsc
    (dracut host-only as RHEL builds it; initramfs-tools with MODULES=dep), so what makes the prepared one boot
    on Hyper-V is the preparation, not the guest as it came. Read from the initramfs files the cache kept when
    it wrote these disks (no appliance needed)."""
    images = built_guests.source_initrds(spec)
    assert images, f"the guest cache kept no initramfs of {spec.name}"
    for image in images:
        modules = inspect.list_initramfs(image).modules
        present = sorted(set(HYPERV_MODULES) & modules)
        assert not present, f"the source {image.name} already holds {present}: the test guest is not as on VMware"
        assert "ext4" in modules, f"the source {image.name} lacks ext4: it could not even boot on VMware"

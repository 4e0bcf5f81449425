"""What makes a plan item impossible to build on Hyper-V as written: one set of checks for assess and migrate.

The targets (``wizard.targets.vmdata.plan_problems``) refuse an item for these problems before they create
anything; the rule PLAN-UNBUILDABLE (``wizard.compat.rules.buildable``) reports the same problems in assess and
in the re-check of a saved plan, so a VM that assess does not block is one the targets build.

Contract: :func:`build_problems` returns human-readable problems, [] when the item can be built. Pure; no I/O.
"""

from __future__ import annotations

import re

from wizard.compat.settings import CHECKPOINT_TYPES, SECURE_BOOT_TEMPLATES, START_ACTIONS, STOP_ACTIONS
from wizard.core.plan import DeviceAction, PlanItem, TargetController

MIN_MEMORY_MB = 32  # Hyper-V refuses a VM with less startup memory (New-VM / Set-VMMemory)
_HEX12 = re.compile(r"[0-9A-F]{12}")
_VERSION = re.compile(r"\d{1,2}\.\d{1,2}")
_FOLDER_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED_NAMES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                   *(f"{p}{d}" for p in ("COM", "LPT") for d in (*"123456789", "\u00b9", "\u00b2", "\u00b3"))}


def build_problems(item: PlanItem) -> list[str]:
    """Everything that stops ``item`` from being built as written, in words a person understands ([] = none)."""
    spec = item.target
    problems: list[str] = []
    name = spec.name
    if not name.strip():
        problems.append("The VM has no name.")
    elif len(name) > 100:
        problems.append(f"The VM name is {len(name)} characters long; Hyper-V allows at most 100.")
    if spec.path and name.strip() and _unsafe_folder_name(name):
        problems.append(f"The VM name {name!r} cannot be a folder name, and Hyper-V keeps a VM given a VM path in "
                        "the folder <path>\\<name>; rename the VM or leave the VM path empty (the host's default).")
    if spec.generation not in (1, 2):
        problems.append(f"Generation must be 1 or 2, not {spec.generation}.")
    if spec.version and not _VERSION.fullmatch(spec.version):
        problems.append(f"Configuration version {spec.version!r} is not of the form N.N (e.g. 9.0).")
    if spec.cpus < 1:
        problems.append("The VM needs at least one virtual processor.")
    mem = spec.memory
    if mem.startup_mb < MIN_MEMORY_MB:
        problems.append(f"Startup memory {mem.startup_mb} MB is below Hyper-V's minimum of 32 MB.")
    if mem.dynamic:
        if not mem.minimum_mb <= mem.startup_mb <= mem.maximum_mb:
            problems.append("Dynamic memory needs minimum ≤ startup ≤ maximum "
                            f"({mem.minimum_mb} / {mem.startup_mb} / {mem.maximum_mb} MB).")
        if not 5 <= mem.buffer_percent <= 2000:
            problems.append(f"Memory buffer {mem.buffer_percent}% is outside 5–2000%.")
    if spec.checkpoint_type not in CHECKPOINT_TYPES:
        problems.append(f"Checkpoint type {spec.checkpoint_type!r} is not one of {', '.join(CHECKPOINT_TYPES)}.")
    if spec.automatic_start_action not in START_ACTIONS:
        problems.append(f"Automatic start action {spec.automatic_start_action!r} is not one of "
                        f"{', '.join(START_ACTIONS)}.")
    if spec.automatic_stop_action not in STOP_ACTIONS:
        problems.append(f"Automatic stop action {spec.automatic_stop_action!r} is not one of "
                        f"{', '.join(STOP_ACTIONS)}.")
    if spec.automatic_start_delay < 0:
        problems.append("Automatic start delay cannot be negative.")
    if spec.generation == 2 and spec.secure_boot and spec.secure_boot_template not in SECURE_BOOT_TEMPLATES:
        problems.append(f"Secure Boot template {spec.secure_boot_template!r} is not one of "
                        f"{', '.join(SECURE_BOOT_TEMPLATES)}.")
    if spec.generation == 1 and spec.tpm:
        problems.append("A virtual TPM needs a generation 2 VM.")
    problems += _disk_problems(item)
    for nic in spec.nics:
        if nic.static_mac and not _HEX12.fullmatch(re.sub(r"[:\-.]", "", nic.static_mac.strip()).upper()):
            problems.append(f"Adapter {nic.name!r}: {nic.static_mac!r} is not a MAC address.")
        if nic.vlan_id is not None and not 1 <= nic.vlan_id <= 4094:
            problems.append(f"Adapter {nic.name!r}: VLAN {nic.vlan_id} is outside 1–4094.")
        if nic.legacy and spec.generation == 2:
            problems.append(f"Adapter {nic.name!r}: legacy network adapters exist only on generation 1.")
    for device in spec.devices:
        if device.action == DeviceAction.BLOCK:
            problems.append(f"Device {device.device_label!r} is marked to block this VM's migration.")
    return problems


def _disk_problems(item: PlanItem) -> list[str]:
    spec = item.target
    problems: list[str] = []
    seen: dict[tuple[str, int, int], str] = {}
    disks = [d for d in spec.disks if d.include]
    for disk in disks:
        label = disk.file_name or f"disk {disk.source_index}"
        if disk.controller == TargetController.IDE:
            if spec.generation == 2:
                problems.append(f"{label}: generation 2 VMs have no IDE controller; use SCSI.")
            elif disk.controller_number not in (0, 1) or disk.location not in (0, 1):
                problems.append(f"{label}: IDE slot {disk.controller_number}:{disk.location} does not exist "
                                "(controllers 0–1, locations 0–1).")
        elif not (0 <= disk.controller_number <= 3 and 0 <= disk.location <= 63):
            problems.append(f"{label}: SCSI slot {disk.controller_number}:{disk.location} does not exist "
                            "(controllers 0–3, locations 0–63).")
        slot = (disk.controller.value, disk.controller_number, disk.location)
        if slot in seen:
            problems.append(f"{label} and {seen[slot]} use the same controller slot.")
        seen[slot] = label
    names = [d.file_name for d in disks]
    if len({n.lower() for n in names}) != len(names):
        problems.append("Two disks have the same file name.")
    boot = [d for d in disks if d.boot]
    if len(boot) > 1:
        problems.append("More than one disk is marked as the boot disk.")
    if spec.generation == 1 and boot and boot[0].controller != TargetController.IDE:
        problems.append("A generation 1 VM boots only from an IDE disk; put the boot disk on IDE 0:0.")
    return problems


def _unsafe_folder_name(name: str) -> bool:
    """True when ``name`` cannot be one Windows folder name: separators or ``..`` would put the VM's files
    somewhere else on the host (``D:\\VMs`` + ``..\\..\\Windows``)."""
    stem = name.split(".")[0].rstrip(" ").upper()
    return (bool(_FOLDER_UNSAFE.search(name)) or name.strip(" .") == "" or name != name.rstrip(" .")
            or stem in _RESERVED_NAMES)

"""The settings document Create-VM.ps1 applies (``"create"``, schema ``hvmigrate.create-vm/1``).

Python decides everything that can be decided without the host (device placement, MAC format, BIOS
GUID byte order, boot order, the tag); the script only applies values. The same document goes into a
bundle's ``manifest.json`` and, base64-encoded, into the WinRM invocation.

Contract: :func:`plan_problems` lists what makes an item impossible to build as written (empty = fine);
:func:`build_create_data` raises :class:`~wizard.core.errors.PlanError` for the same problems.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import Any

from wizard import __version__
from wizard.core.errors import PlanError
from wizard.core.plan import DeviceAction, PlanItem, TargetController
from wizard.targets.base import DiskResult

CREATE_SCHEMA = "hvmigrate.create-vm/1"
MiB = 1024 * 1024

CHECKPOINT_TYPES = ("Disabled", "Production", "ProductionOnly", "Standard")
START_ACTIONS = ("Nothing", "StartIfRunning", "Start")
STOP_ACTIONS = ("TurnOff", "Save", "ShutDown")
SECURE_BOOT_TEMPLATES = ("MicrosoftWindows", "MicrosoftUEFICertificateAuthority", "OpenSourceShieldedVM")
GEN1_STARTUP_ORDER = ["IDE", "CD", "LegacyNetworkAdapter", "Floppy"]
_HEX12 = re.compile(r"[0-9A-F]{12}")
# The markers Create-VM.ps1 / Remove-VM.ps1 / Get-HostInventory.ps1 look for in a VM's Notes. Text from the
# source (annotation, VM name) must never carry them, or a finished VM would look unfinished (and be removed
# and rebuilt by the next run) or look like another plan item's VM.
_MARKERS = re.compile(r"\[\s*hvmigrate\s*(?:-\s*id\s*:[^\]]*|:\s*incomplete\s*)\]", re.IGNORECASE)
_VERSION = re.compile(r"\d{1,2}\.\d{1,2}")
_FOLDER_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED_NAMES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                   *(f"{p}{d}" for p in ("COM", "LPT") for d in (*"123456789", "\u00b9", "\u00b2", "\u00b3"))}


def vm_tag(item: PlanItem) -> str:
    """The marker put in the VM's Notes so a later run recognises the VM as this item's own."""
    raw = f"{item.vm.source_kind}\0{item.vm.id or item.vm.name}\0{item.target.name}"
    return "[hvmigrate-id:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20] + "]"


def normalize_mac(mac: str) -> str:
    """``00:50:56:aa:bb:cc`` / ``00-50-56-AA-BB-CC`` / ``005056aabbcc`` → ``005056AABBCC``; "" stays ""."""
    if not mac:
        return ""
    text = re.sub(r"[:\-.]", "", mac.strip()).upper()
    if not _HEX12.fullmatch(text):
        raise ValueError(f"not a MAC address: {mac!r}")
    return text


def hyperv_bios_guid(bios_uuid: str) -> str:
    """The Hyper-V BIOSGUID that makes the guest read the same SMBIOS UUID bytes as on VMware.

    VMware's ``uuid.bios`` lists the 16 SMBIOS bytes in order; Hyper-V takes a GUID whose first three
    fields are stored little-endian (Windows GUID layout), so those fields are byte-swapped here. Hence
    the guest (which reads the raw SMBIOS bytes) sees an unchanged system UUID. "" when not parseable.
    """
    text = re.sub(r"[\s\-{}]", "", bios_uuid or "")
    if not re.fullmatch(r"[0-9a-fA-F]{32}", text):
        return ""
    raw = bytes.fromhex(text)
    return "{" + str(uuid.UUID(bytes_le=raw)).upper() + "}"


def dvd_slots(item: PlanItem) -> list[tuple[int, int]]:
    """Free controller slots for DVD drives the plan converts (``cdrom`` devices with action convert)."""
    spec = item.target
    wanted = sum(1 for d in spec.devices if d.action == DeviceAction.CONVERT and d.kind == "cdrom")
    if not wanted:
        return []
    used = {(d.controller, d.controller_number, d.location) for d in spec.disks if d.include}
    if spec.generation == 1:
        candidates = [(TargetController.IDE, c, loc) for c in (1, 0) for loc in (0, 1)]
    else:
        candidates = [(TargetController.SCSI, 0, loc) for loc in range(64)]
    free = [(c, loc) for kind, c, loc in candidates if (kind, c, loc) not in used]
    return free[:wanted]


def plan_problems(item: PlanItem) -> list[str]:
    """Everything that stops ``item`` from being built as written, in words a person understands."""
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
    if mem.startup_mb < 32:
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
        try:
            normalize_mac(nic.static_mac)
        except ValueError:
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


def strip_markers(text: str) -> str:
    """``text`` without anything that looks like hvmigrate's own Notes markers (repeated until none is left)."""
    while True:
        clean = _MARKERS.sub("", text)
        if clean == text:
            return clean
        text = clean


def _default_notes(item: PlanItem) -> str:
    vm = item.vm
    origin = f"{vm.source_kind or 'source'} VM {vm.name!r}"
    if vm.id and vm.id != vm.name:
        origin += f" (id {vm.id})"
    return f"Migrated by hvmigrate {__version__} from {origin}."


def build_create_data(item: PlanItem, disks: list[DiskResult], *, verify_hashes: bool,
                      mode: str = "create") -> dict[str, Any]:
    """The ``create`` document for ``item`` with its stored ``disks`` (in the plan's disk order)."""
    problems = plan_problems(item)
    if problems:
        raise PlanError(f"VM {item.target.name!r} cannot be created as planned: {problems[0]}",
                        details="\n".join(problems), fix="Adjust the plan (template & adjustments page).")
    spec = item.target
    tag = vm_tag(item)
    notes = strip_markers(spec.notes.strip() or _default_notes(item)).strip() + "\r\n" + tag
    by_index = {d.spec.source_index: d for d in disks}
    disk_entries = []
    for disk in spec.disks:
        if not disk.include:
            continue
        stored = by_index.get(disk.source_index)
        if stored is None:
            raise PlanError(f"VM {spec.name!r}: disk {disk.file_name!r} was not converted.")
        disk_entries.append({
            "file": stored.file_name, "path": stored.location, "relative": stored.relative,
            "sha256": stored.sha256.upper(), "size_bytes": stored.size_bytes,
            "controller_type": "IDE" if disk.controller == TargetController.IDE else "SCSI",
            "controller_number": disk.controller_number, "controller_location": disk.location,
            "boot": disk.boot,
        })
    if disk_entries and not any(d["boot"] for d in disk_entries):
        disk_entries[0]["boot"] = True  # the plan named no boot disk: the first one is what the source booted
    scsi_needed = max((d["controller_number"] + 1 for d in disk_entries if d["controller_type"] == "SCSI"),
                      default=0)
    dvds = [{"controller_number": c, "controller_location": loc} for c, loc in dvd_slots(item)]
    if spec.generation == 2 and dvds:
        scsi_needed = max(scsi_needed, 1)
    mem = spec.memory
    memory = {"startup_bytes": mem.startup_mb * MiB, "dynamic": mem.dynamic,
              "minimum_bytes": mem.minimum_mb * MiB, "maximum_bytes": mem.maximum_mb * MiB,
              "buffer_percent": mem.buffer_percent}
    required = 256 * MiB + (memory["startup_bytes"] if spec.automatic_stop_action == "Save" else 0)
    return {
        "schema": CREATE_SCHEMA,
        "mode": mode,
        "tag": tag,
        "vm": {
            "name": spec.name, "generation": spec.generation, "version": spec.version, "path": spec.path,
            "cpus": spec.cpus, "expose_virtualization_extensions": spec.expose_virtualization_extensions,
            "memory": memory,
            "secure_boot": spec.secure_boot if spec.generation == 2 else False,
            "secure_boot_template": spec.secure_boot_template,
            "tpm": spec.tpm,
            "checkpoint_type": spec.checkpoint_type,
            "automatic_start_action": spec.automatic_start_action,
            "automatic_stop_action": spec.automatic_stop_action,
            "automatic_start_delay": spec.automatic_start_delay,
            "integration_services": [{"name": k, "enabled": v} for k, v in sorted(spec.integration_services.items())],
            "notes": notes,
            "bios_guid": hyperv_bios_guid(item.vm.bios_uuid) if spec.keep_bios_uuid else "",
            "scsi_controllers": max(scsi_needed, 1 if spec.generation == 2 else 0),
            "bios_startup_order": GEN1_STARTUP_ORDER if spec.generation == 1 else [],
        },
        "disks": disk_entries,
        "dvd_drives": dvds,
        "nics": [{"name": n.name or "Network Adapter", "switch": n.switch, "vlan_id": n.vlan_id or 0,
                  "static_mac": normalize_mac(n.static_mac), "legacy": n.legacy} for n in spec.nics],
        "checks": {"verify_hashes": verify_hashes, "required_free_bytes": required},
    }

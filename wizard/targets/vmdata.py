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
from wizard.compat.buildable import build_problems
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
    """Everything that stops ``item`` from being built as written, in words a person understands. The checks
    live in :mod:`wizard.compat.buildable`, so that assess runs the very same ones (rule PLAN-UNBUILDABLE)."""
    return build_problems(item)


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

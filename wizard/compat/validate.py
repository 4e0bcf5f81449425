"""Value checks for a saved plan item (a plan file may be edited by hand or written by another version).

Contract: :func:`plan_value_problems` returns ``(findings, fatal)``; every finding has code ``PLAN-INVALID``
and severity blocker, names the field and the allowed values. ``fatal`` is True when the values are so far
off (generation 3, no CPUs, no memory) that the compatibility rules cannot reason about the item.

These checks, with the rules in validation mode, are the one check of a plan (``wizard.compat.engine.
validate_plan``): ``hvmigrate plan --check``, the re-check before ``migrate`` and the plan builder (which
leaves out what they block) all use it, and the scheduler refuses exactly the duplicate names
:func:`duplicate_names` finds. So what ``plan`` lists as planned, ``plan --check`` passes and ``migrate``
runs.
"""

from __future__ import annotations

import re

from wizard.compat.names import MAX_DISK_STEM, name_key, safe_file_stem
from wizard.compat.settings import CHECKPOINT_TYPES, SECURE_BOOT_TEMPLATES, START_ACTIONS, STOP_ACTIONS
from wizard.core.findings import Finding, Severity
from wizard.core.plan import SOURCE_POLICIES, MiB, PlanItem

_MAC = re.compile(r"^(?:[0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$|^[0-9a-fA-F]{12}$")
_VERSION = re.compile(r"^\d{1,2}\.\d{1,2}$")
REF = "hvmigrate plan format (wizard/core/plan.py)"


def duplicate_names(items: list[PlanItem]) -> dict[int, int]:
    """The items that repeat an earlier item's target name, as {index: index of the first one}. Names are
    compared as Hyper-V and Windows folders compare them (ignoring case and surrounding spaces); empty names
    are reported on their own (\"the VM has no name\")."""
    first: dict[str, int] = {}
    out: dict[int, int] = {}
    for index, item in enumerate(items):
        key = name_key(item.target.name)
        if not key:
            continue
        if key in first:
            out[index] = first[key]
        else:
            first[key] = index
    return out


def plan_value_problems(item: PlanItem, items: list[PlanItem] | None = None) -> tuple[list[Finding], bool]:
    """The invalid values of ``item`` (see the module contract). Two items of the same name are reported by the
    NAME-DUPLICATE rule (see :func:`duplicate_names`); ``items`` is accepted for older callers."""
    t = item.target
    out: list[Finding] = []
    fatal = False

    def bad(field: str, message: str, fix: str, *, is_fatal: bool = False, subject: str = "") -> None:
        nonlocal fatal
        fatal = fatal or is_fatal
        out.append(Finding(vm_id=item.vm.id, vm_name=t.name or item.vm.name, code="PLAN-INVALID",
                           severity=Severity.BLOCKER, title="Invalid value in the plan",
                           message=f"{field}: {message}", fix=fix, reference=REF, subject=subject or field))

    if not t.name.strip():
        bad("name", "the VM has no name", "Give the target VM a name.")
    if item.source_policy not in SOURCE_POLICIES:
        bad("source_policy", f"{item.source_policy!r} is not a source policy",
            "Use " + ", ".join(SOURCE_POLICIES) + ".")
    elif item.source_policy != "as-is" and item.vm.source_kind != "vsphere":
        bad("source_policy", f"{item.source_policy!r} needs a vCenter/ESXi source; this VM is read from files",
            "Shut the VM down in its own console, then use as-is.")
    if t.generation not in (1, 2):
        bad("generation", f"{t.generation} is not a Hyper-V generation", "Use 1 or 2.", is_fatal=True)
    if t.version and not _VERSION.match(t.version):
        bad("version", f"{t.version!r} is not a configuration version", "Use a value such as 9.0, or empty.")
    if not 1 <= t.cpus <= 2048:
        bad("cpus", f"{t.cpus} virtual processors", "Use 1 to the host's maximum.", is_fatal=t.cpus < 1)
    m = t.memory
    if m.startup_mb <= 0:
        bad("memory.startup_mb", f"{m.startup_mb} MiB", "Give the VM memory (e.g. 4096).", is_fatal=True)
    if m.dynamic and (m.minimum_mb <= 0 or m.maximum_mb <= 0):
        bad("memory", "dynamic memory needs positive minimum and maximum", "Fix memory.minimum_mb/maximum_mb.")
    if not 5 <= m.buffer_percent <= 2000:
        bad("memory.buffer_percent", f"{m.buffer_percent}", "Use 5 to 2000.")
    for field, value, allowed in (("secure_boot_template", t.secure_boot_template, SECURE_BOOT_TEMPLATES),
                                  ("checkpoint_type", t.checkpoint_type, CHECKPOINT_TYPES),
                                  ("automatic_start_action", t.automatic_start_action, START_ACTIONS),
                                  ("automatic_stop_action", t.automatic_stop_action, STOP_ACTIONS)):
        if value not in allowed:
            bad(field, f"{value!r} is not allowed", "Use one of: " + ", ".join(allowed) + ".")
    if t.automatic_start_delay < 0:
        bad("automatic_start_delay", f"{t.automatic_start_delay}", "Use 0 or more seconds.")
    n_src = len(item.vm.disks)
    seen_src: set[int] = set()
    names: set[str] = set()
    for k, d in enumerate(t.disks):
        where = f"disks[{k}]"
        if not 0 <= d.source_index < n_src:
            bad(f"{where}.source_index", f"{d.source_index}: the source VM has {n_src} disks",
                "Plan the VM again.", is_fatal=True)
        elif d.source_index in seen_src:
            bad(f"{where}.source_index", f"disk {d.source_index} appears twice", "Plan the VM again.")
        seen_src.add(d.source_index)
        stem, dot, ext = d.file_name.rpartition(".")
        # the plan builder's stems: a safe stem of the VM's name plus "-N" (same names) and "-diskN"
        if not dot or not stem or safe_file_stem(stem, limit=MAX_DISK_STEM) != stem or ext.lower() != d.format.value:
            bad(f"{where}.file_name", f"{d.file_name!r} is not a safe file name ending in .{d.format.value}",
                "Use a plain file name (no folders or special characters).")
        elif d.file_name.lower() in names:
            bad(f"{where}.file_name", f"{d.file_name!r} is used twice", "Give each disk its own file name.")
        names.add(d.file_name.lower())
        bs = d.block_size_bytes
        if bs < MiB or bs > 256 * MiB or bs & (bs - 1):
            bad(f"{where}.block_size_bytes", f"{bs}", "Use a power of two from 1 MiB to 256 MiB.")
        if d.logical_sector_bytes not in (512, 4096) or d.physical_sector_bytes not in (512, 4096):
            bad(f"{where}.sector size", f"{d.logical_sector_bytes}/{d.physical_sector_bytes}", "Use 512 or 4096.")
    for k, n in enumerate(t.nics):
        if n.vlan_id is not None and not 1 <= n.vlan_id <= 4094:
            bad(f"nics[{k}].vlan_id", f"{n.vlan_id}", "Use 1-4094, or null for untagged.")
        if n.static_mac and not _MAC.match(n.static_mac):
            bad(f"nics[{k}].static_mac", f"{n.static_mac!r} is not a MAC address", "Use 00:15:5d:01:02:03 or empty.")
    return out, fatal

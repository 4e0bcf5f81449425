"""The compatibility preview: run every rule over the VMs and propose the Hyper-V VM for each.

Contracts:
- :func:`assess` → one :class:`Assessment` per VM, in input order; each assessment's findings are sorted
  blockers first (then warnings, then info; rule order within a severity). ``Assessment.spec`` is the proposed
  target: base facts from the source, then the template's preferences, then the user's overrides, then the
  rules' adjustments (which never change a setting the user gave; they report the conflict instead).
- :func:`build_plan` → a :class:`Plan` of the chosen VMs. Without ``vm_names`` it takes every VM that is not
  blocked; a named VM that is blocked or missing raises :class:`PlanError` listing why.
- :func:`validate_plan` re-checks a saved (possibly hand-edited) plan: invalid values (``PLAN-INVALID``) and
  every rule in validation mode (nothing is adjusted; conflicts are reported).
Pure computation on plain data: no I/O, fast enough for thousands of VMs (bench/assess.py).
"""

from __future__ import annotations

import copy
import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wizard import __version__
from wizard.compat.catalog import GuestInfo, HostLimits, guest_info, limits
from wizard.compat.names import disk_file_name, safe_file_stem
from wizard.compat.rules import RuleContext, define, run_rules
from wizard.compat.settings import apply_settings, parse_sets, printable
from wizard.compat.templates import AUTO, Template, auto_template_for, get_template
from wizard.compat.validate import plan_value_problems
from wizard.core.errors import PlanError
from wizard.core.findings import Assessment, Finding, Severity
from wizard.core.inventory import Firmware, Inventory, PowerState, SourceVM
from wizard.core.plan import (
    SOURCE_POLICIES,
    DiskSpec,
    GuestFixups,
    MemorySpec,
    MiB,
    NetworkMapping,
    NicSpec,
    Plan,
    PlanItem,
    SourceRef,
    VMSpec,
)

define("PLAN-INVALID", Severity.BLOCKER, "Invalid value in the plan", "hvmigrate plan format", order=0,
       topic="plan")

NetworkMap = Mapping[str, tuple[str, int | None]]
_RANK = {Severity.BLOCKER: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _by_severity(f: Finding) -> int:
    return _RANK[f.severity]


@dataclass
class VMResult:
    """An assessment plus how it was reached (the template used and the codes whose adjustments applied)."""

    assessment: Assessment
    template: Template
    applied: list[str] = field(default_factory=list)


def normalize_network_map(network_map: Any) -> dict[str, tuple[str, int | None]]:
    """Accepts ``[NetworkMapping]``, ``{"src": "switch" | (switch, vlan) | NetworkMapping}`` or None.

    The key ``"*"`` maps every network without its own entry.
    """
    out: dict[str, tuple[str, int | None]] = {}
    if not network_map:
        return out
    items = network_map.items() if isinstance(network_map, Mapping) else (
        (m.source_network, m) for m in network_map)
    for src, target in items:
        if isinstance(target, NetworkMapping):
            out[str(src)] = (target.switch, target.vlan_id)
        elif isinstance(target, tuple):
            out[str(src)] = (str(target[0]), target[1])
        else:
            out[str(src)] = (str(target), None)
    return out


def _vms_of(inventory_or_vms: Inventory | Iterable[SourceVM]) -> list[SourceVM]:
    if isinstance(inventory_or_vms, Inventory):
        return list(inventory_or_vms.vms)
    return list(inventory_or_vms)


def _stems(vms: list[SourceVM]) -> tuple[list[str], set[int]]:
    """File stems per VM, made unique (case-insensitively, as on Windows), and the indexes that collided."""
    base = [safe_file_stem(vm.name or vm.id or "vm") for vm in vms]
    counts: dict[str, int] = {}
    for s in base:
        counts[s.lower()] = counts.get(s.lower(), 0) + 1
    used: set[str] = set()
    out, dupes = [], set()
    for i, s in enumerate(base):
        stem, n = s, 1
        while stem.lower() in used:
            n += 1
            stem = f"{s}-{n}"
        if counts[s.lower()] > 1 or stem != s:
            dupes.add(i)
        used.add(stem.lower())
        out.append(stem)
    return out, dupes


def base_spec(vm: SourceVM, guest: GuestInfo, lim: HostLimits, stem: str,
              network_map: NetworkMap | None = None) -> VMSpec:
    """The target as the source describes it, before templates, overrides and rules."""
    gen = 2 if vm.firmware is Firmware.EFI else 1
    linux = guest.family == "linux"
    disks = [DiskSpec(source_index=i, file_name=disk_file_name(stem, i), capacity_bytes=max(0, d.capacity_bytes),
                      block_size_bytes=(1 if linux else 32) * MiB, boot=(i == 0))
             for i, d in enumerate(vm.disks)]
    nmap = network_map or {}
    nics = []
    labels = [n.label for n in vm.nics]
    for i, n in enumerate(vm.nics):
        switch, vlan = nmap.get(n.network) or nmap.get("*") or ("", None)
        # adapter names must tell adapters apart (some sources give several the same label)
        name = n.label if n.label and labels.count(n.label) == 1 else f"Network Adapter {i + 1}"
        nics.append(NicSpec(source_index=i, name=name, switch=switch, vlan_id=vlan,
                            static_mac=n.mac if n.mac_type in ("manual", "static") and n.mac else ""))
    startup = vm.memory_mb if vm.memory_mb > 0 else 0
    tools = vm.tools_status not in ("", "notInstalled") or bool(vm.tools_version)
    return VMSpec(
        name=vm.name or vm.id or "vm", generation=gen, version=lim.config_version, cpus=max(1, vm.cpus),
        memory=MemorySpec(startup_mb=startup, dynamic=False, minimum_mb=min(512, startup) if startup else 512),
        secure_boot=gen == 2 and vm.secure_boot, secure_boot_template="MicrosoftWindows", tpm=vm.vtpm and gen == 2,
        disks=disks, nics=nics,
        fixups=GuestFixups(remove_vmware_tools=tools,
                           reapply_static_ips=any(ip.origin == "manual" for ip in vm.guest_ips),
                           bring_disks_online=guest.family == "windows" and len(vm.disks) > 1,
                           linux_initramfs_drivers=linux),
    )


def _evaluate(vm: SourceVM, lim: HostLimits, template: Template, global_sets: Mapping[str, str],
              vm_sets: Mapping[str, str], stem: str, network_map: NetworkMap, duplicate: bool) -> VMResult:
    guest = guest_info(vm)
    tpl = auto_template_for(vm, guest) if template.id == AUTO else template
    spec = base_spec(vm, guest, lim, stem, network_map)
    macs = [n.mac for n in vm.nics]
    labels = {d.label or d.kind.value for d in vm.devices}
    template_keys = (apply_settings(spec, tpl.settings, macs, strict=False, device_labels=labels)
                     if tpl.settings else set())
    user_keys = (apply_settings(spec, global_sets, macs, strict=False, device_labels=labels)
                 if global_sets else set())
    if vm_sets:
        user_keys |= apply_settings(spec, vm_sets, macs, strict=True, device_labels=labels)
    ctx = RuleContext(vm, guest, lim, spec, user_keys=user_keys, template_keys=template_keys - user_keys,
                      network_map=dict(network_map))
    if duplicate:
        ctx.batch["duplicate_name"] = True
    findings = run_rules(ctx)
    findings.sort(key=_by_severity)
    return VMResult(Assessment(vm=vm, findings=findings, spec=spec), tpl, ctx.applied)


def evaluate(inventory_or_vms: Inventory | Iterable[SourceVM], target_version: str = "unknown",
             template: str | None = None, overrides: Mapping[str, Any] | Iterable[str] | None = None, *,
             per_vm: Mapping[str, Mapping[str, Any]] | None = None, network_map: Any = None) -> list[VMResult]:
    """:func:`assess` with the template used and the applied codes per VM (for the plan builder and the UI)."""
    vms = _vms_of(inventory_or_vms)
    lim = limits(target_version)
    tpl = get_template(template)
    per_vm = dict(per_vm or {})
    if isinstance(overrides, Mapping) and any(isinstance(v, Mapping) for v in overrides.values()):
        # {"web01": {"cpus": 4}, "memory.dynamic": "true"}: nested mappings are per-VM overrides
        for key, value in overrides.items():
            if isinstance(value, Mapping):
                per_vm[str(key)] = {**per_vm.get(str(key), {}), **value}
        overrides = {k: v for k, v in overrides.items() if not isinstance(v, Mapping)}
    global_sets = parse_sets(overrides)
    per = {str(k): parse_sets(v) for k, v in per_vm.items()}
    nmap = normalize_network_map(network_map)
    stems, dupes = _stems(vms)
    out = []
    for i, vm in enumerate(vms):
        vm_sets = per.get(vm.id) or per.get(vm.name) or {}
        out.append(_evaluate(vm, lim, tpl, global_sets, vm_sets, stems[i], nmap, i in dupes))
    return out


def assess(inventory_or_vms: Inventory | Iterable[SourceVM], target_version: str = "unknown",
           template: str | None = None, overrides: Mapping[str, Any] | Iterable[str] | None = None, *,
           per_vm: Mapping[str, Mapping[str, Any]] | None = None, network_map: Any = None) -> list[Assessment]:
    """Assess every VM (see the module contract). ``overrides`` are ``--set`` pairs for all VMs; ``per_vm``
    maps a VM id or name to its own overrides (the UI's per-VM adjustments and device choices). A mapping
    value inside ``overrides`` (``{"web01": {"device:USB 1": "block"}}``) is taken as a per-VM entry too."""
    return [r.assessment for r in evaluate(inventory_or_vms, target_version, template, overrides,
                                           per_vm=per_vm, network_map=network_map)]


def _blocker_text(a: Assessment) -> str:
    return "; ".join(f"{f.code}: {f.title}" + (f" ({printable(f.subject)})" if f.subject else "")
                     for f in a.findings if f.severity is Severity.BLOCKER)


def plan_with_report(inventory: Inventory, vm_names: Iterable[str] | None = None, template: str | None = None,
                     sets: Mapping[str, Any] | Iterable[str] | None = None, target_version: str = "unknown",
                     network_map: Any = None, source_ref: SourceRef | None = None, *,
                     per_vm: Mapping[str, Mapping[str, Any]] | None = None,
                     source_policy: str = "auto") -> tuple[Plan, list[VMResult]]:
    """:func:`build_plan` that also returns the results of every VM considered (planned or left out).

    ``source_policy``: ``auto`` snapshots running vSphere VMs (a consistent copy while they keep serving,
    the snapshot removed afterwards) and reads everything else as it is; or one of ``SOURCE_POLICIES``
    for every VM that can have it (files-based VMs are always read as they are).
    """
    if source_policy != "auto" and source_policy not in SOURCE_POLICIES:
        raise PlanError(f"unknown source policy {source_policy!r}", field="--source-policy",
                        fix="Use auto, " + ", ".join(SOURCE_POLICIES) + ".")
    names = list(vm_names or [])
    if names:
        chosen, missing = [], []
        for name in names:
            by_id = [v for v in inventory.vms if v.id == name]
            matches = by_id or [v for v in inventory.vms if v.name == name]
            if len(matches) > 1:  # e.g. the same name in two datacenters: never guess which one is meant
                raise PlanError(f"{len(matches)} VMs are called {name!r}; name the one you mean by its id: "
                                + ", ".join(v.id for v in matches),
                                fix="Use the id shown by `hvmigrate discover` instead of the name.")
            if not matches:
                missing.append(name)
            elif matches[0] not in chosen:
                chosen.append(matches[0])
        if missing:
            raise PlanError("no VM called " + ", ".join(repr(n) for n in missing) + " in the source",
                            fix="Check the names with `hvmigrate discover` or `hvmigrate assess`.")
    else:
        chosen = list(inventory.vms)
    results = evaluate(chosen, target_version, template, sets, per_vm=per_vm, network_map=network_map)
    if names:
        blocked = [r.assessment for r in results if r.assessment.blocked]
        if blocked:
            raise PlanError("cannot plan blocked VMs: " + " | ".join(
                f"{printable(a.vm.name)}: {_blocker_text(a)}" for a in blocked),
                fix="Resolve the blockers (see `hvmigrate assess`) or leave these VMs out.")
    nmap = normalize_network_map(network_map)
    plan = Plan(
        source=source_ref or SourceRef(kind=inventory.source_kind or "inventory", address=inventory.source),
        target_version=limits(target_version).version,
        created_at=_dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        created_by=f"hvmigrate {__version__}",
        network_map=[NetworkMapping(source_network=k, switch=s, vlan_id=v) for k, (s, v) in nmap.items()],
        items=[PlanItem(vm=r.assessment.vm, target=r.assessment.spec, template=r.template.name,
                        applied=list(r.applied), source_policy=_policy_for(r.assessment.vm, source_policy))
               for r in results if not r.assessment.blocked],
    )
    return plan, results


def _policy_for(vm: Any, policy: str) -> str:
    if vm.source_kind != "vsphere":
        return "as-is"
    if policy == "auto":
        return "snapshot" if vm.power_state is PowerState.ON else "as-is"
    return policy


def build_plan(inventory: Inventory, vm_names: Iterable[str] | None = None, template: str | None = None,
               sets: Mapping[str, Any] | Iterable[str] | None = None, target_version: str = "unknown",
               network_map: Any = None, source_ref: SourceRef | None = None, *,
               per_vm: Mapping[str, Mapping[str, Any]] | None = None, source_policy: str = "auto") -> Plan:
    """The plan for the chosen VMs (see the module contract)."""
    return plan_with_report(inventory, vm_names, template, sets, target_version, network_map, source_ref,
                            per_vm=per_vm, source_policy=source_policy)[0]


def validate_plan(plan: Plan) -> list[Finding]:
    """Findings for a saved plan: invalid values, and what the rules still report (nothing is adjusted)."""
    findings: list[Finding] = []
    try:
        lim = limits(plan.target_version)
    except PlanError as exc:
        findings.append(Finding(code="PLAN-INVALID", severity=Severity.BLOCKER, title="Invalid value in the plan",
                                message=f"target_version: {exc.message}", fix=exc.fix,
                                reference="hvmigrate plan format"))
        lim = limits("unknown")
    for item in plan.items:
        problems, fatal = plan_value_problems(item, plan.items)
        findings.extend(problems)
        if fatal:
            continue  # values the rules cannot reason about (e.g. generation 3)
        spec = copy.deepcopy(item.target)
        ctx = RuleContext(item.vm, guest_info(item.vm), lim, spec, validate=True)
        item_findings = run_rules(ctx)
        item_findings.sort(key=_by_severity)
        findings.extend(item_findings)
    return findings

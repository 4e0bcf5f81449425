"""The compatibility preview: run every rule over the VMs and propose the Hyper-V VM for each.

Contracts:
- :func:`assess` → one :class:`Assessment` per VM, in input order; each assessment's findings are sorted
  blockers first (then warnings, then info; rule order within a severity). ``Assessment.spec`` is the proposed
  target: base facts from the source, then the template's preferences, then the user's overrides, then the
  rules' adjustments (which never change a setting the user gave; they report the conflict instead).
- :func:`build_plan` → a :class:`Plan` of the chosen VMs. Without ``vm_names`` it takes every VM that is not
  blocked; a named VM that is blocked or missing raises :class:`PlanError` listing why.
- :func:`validate_plan` re-checks a saved (possibly hand-edited) plan: invalid values (``PLAN-INVALID``) and
  every rule in validation mode (nothing is adjusted; conflicts are reported). It is the one check of a plan:
  ``plan --check`` and the re-check before ``migrate`` use it, and the plan builder runs it over the plan it
  built and leaves out (with those blockers added to their assessment) the VMs it blocks — so a plan never
  lists a VM as planned that its check or ``migrate`` then refuses.
- Hyper-V names: every planned VM gets a name Hyper-V takes (at most 100 characters) that no other VM of
  the plan has (ignoring case); the NAME-* rules say what was changed.
Pure computation on plain data: no I/O, fast enough for thousands of VMs (bench/assess.py).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wizard import __version__
from wizard.compat.boot import choose_boot_disk
from wizard.compat.catalog import GuestInfo, HostLimits, guest_info, limits
from wizard.compat.names import MAX_VM_NAME, disk_file_name, name_key, safe_file_stem, short_vm_name
from wizard.compat.rules import RuleContext, define, run_rules
from wizard.compat.settings import apply_settings, parse_sets, printable
from wizard.compat.templates import AUTO, Template, auto_template_for, get_template
from wizard.compat.validate import duplicate_names, plan_value_problems
from wizard.core.errors import PlanError
from wizard.core.findings import Assessment, Finding, Severity
from wizard.core.inventory import DeploymentOption, Firmware, Inventory, PowerState, SourceVM, in_configuration
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


def _target_names(vms: list[SourceVM]) -> tuple[list[str], set[int]]:
    """The Hyper-V name of each VM, and the indexes of VMs whose name another VM shares: the VM's name (its id
    when it has none) cut to what Hyper-V takes, and made unique as :func:`name_key` compares (the first keeps
    it; later ones get ``-2``, ``-3``...)."""
    base = [short_vm_name(vm.name or vm.id or "vm") for vm in vms]
    counts: dict[str, int] = {}
    for name in base:
        counts[name_key(name)] = counts.get(name_key(name), 0) + 1
    used: set[str] = set()
    out, shared = [], set()
    for i, name in enumerate(base):
        unique, n = name, 1
        while name_key(unique) in used:
            n += 1
            suffix = f"-{n}"
            unique = name[:MAX_VM_NAME - len(suffix)].rstrip() + suffix
        if counts[name_key(name)] > 1 or unique != name:
            shared.add(i)
        used.add(name_key(unique))
        out.append(unique)
    return out, shared


def deployment_of(vm: SourceVM, chosen: str = "") -> DeploymentOption | None:
    """The OVF deployment option the plan uses: ``chosen`` (a ``deployment`` setting) when given, else the one
    the package marks default; None for a VM without options. Raises :class:`PlanError` for an unknown id."""
    if not vm.deployment_options:
        if chosen:
            raise PlanError(f"setting deployment={printable(chosen)!r}: VM {printable(vm.name)!r} has no "
                            "deployment options (only OVF packages with a DeploymentOptionSection have them)")
        return None
    wanted = chosen or vm.deployment_option
    for option in vm.deployment_options:
        if option.id == wanted:
            return option
    raise PlanError(f"setting deployment={printable(chosen)!r}: VM {printable(vm.name)!r} has no such deployment "
                    "option", fix="Use one of: " + ", ".join(printable(o.id) for o in vm.deployment_options) + ".")


def base_spec(vm: SourceVM, guest: GuestInfo, lim: HostLimits, stem: str,
              network_map: NetworkMap | None = None, deployment: DeploymentOption | None = None) -> VMSpec:
    """The target as the source describes it, before templates, overrides and rules: for an OVF with deployment
    options, ``deployment``'s disks, adapters, processors and memory; the boot disk as
    :func:`wizard.compat.boot.choose_boot_disk` decides."""
    gen = 2 if vm.firmware is Firmware.EFI else 1
    linux = guest.family == "linux"
    option = deployment.id if deployment else ""
    members = [i for i, d in enumerate(vm.disks) if in_configuration(d.configurations, option)]
    boot = choose_boot_disk(vm, members).index
    disks = [DiskSpec(source_index=i, file_name=disk_file_name(stem, i),
                      capacity_bytes=max(0, vm.disks[i].capacity_bytes),
                      block_size_bytes=(1 if linux else 32) * MiB, boot=(i == boot))
             for i in members]
    nmap = network_map or {}
    nics = []
    labels = [n.label for n in vm.nics]
    for i, n in enumerate(vm.nics):
        if not in_configuration(n.configurations, option):
            continue
        switch, vlan = nmap.get(n.network) or nmap.get("*") or ("", None)
        # adapter names must tell adapters apart (some sources give several the same label)
        name = n.label if n.label and labels.count(n.label) == 1 else f"Network Adapter {i + 1}"
        nics.append(NicSpec(source_index=i, name=name, switch=switch, vlan_id=vlan,
                            static_mac=n.mac if n.mac_type in ("manual", "static") and n.mac else ""))
    memory = deployment.memory_mb if deployment and deployment.memory_mb else vm.memory_mb
    startup = memory if memory > 0 else 0
    cpus = deployment.cpus if deployment and deployment.cpus else vm.cpus
    tools = vm.tools_status not in ("", "notInstalled") or bool(vm.tools_version)
    return VMSpec(
        name=vm.name or vm.id or "vm", generation=gen, version=lim.config_version, cpus=max(1, cpus),
        memory=MemorySpec(startup_mb=startup, dynamic=False, minimum_mb=min(512, startup) if startup else 512),
        secure_boot=gen == 2 and vm.secure_boot, secure_boot_template="MicrosoftWindows", tpm=vm.vtpm and gen == 2,
        disks=disks, nics=nics,
        fixups=GuestFixups(remove_vmware_tools=tools,
                           reapply_static_ips=any(ip.origin == "manual" for ip in vm.guest_ips),
                           bring_disks_online=guest.family == "windows" and len(vm.disks) > 1,
                           linux_initramfs_drivers=linux),
        notes=_properties_note(vm),
    )


def _properties_note(vm: SourceVM) -> str:
    """The VM's Notes on Hyper-V for an appliance with vApp properties: Hyper-V has no place for them, and the
    appliance read them at first start; written down they are not lost (passwords never are written)."""
    if not vm.properties:
        return ""
    lines = [f"{k} = {v}" for k, v in sorted(vm.properties.items())]
    return ("vApp properties of the source appliance (OVF ProductSection), which Hyper-V does not keep:\n"
            + "\n".join(lines))


def _evaluate(vm: SourceVM, lim: HostLimits, template: Template, global_sets: Mapping[str, str],
              vm_sets: Mapping[str, str], stem: str, network_map: NetworkMap, duplicate: bool,
              target_name: str = "") -> VMResult:
    guest = guest_info(vm)
    tpl = auto_template_for(vm, guest) if template.id == AUTO else template
    chosen = vm_sets.get("deployment", "")
    if not chosen and vm.deployment_options:  # a setting for many VMs applies to those that have options
        chosen = global_sets.get("deployment", "") or tpl.settings.get("deployment", "")
    deployment = deployment_of(vm, chosen.strip())
    spec = base_spec(vm, guest, lim, stem, network_map, deployment)
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
    if deployment is not None:
        ctx.batch["deployment"] = deployment.id
    if target_name:
        ctx.batch["target_name"] = target_name  # the name the NAME-* rules give it (see _target_names)
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
    names, shared = _target_names(vms)
    out = []
    for i, vm in enumerate(vms):
        vm_sets = per.get(vm.id) or per.get(vm.name) or {}
        out.append(_evaluate(vm, lim, tpl, global_sets, vm_sets, stems[i], nmap, i in dupes or i in shared,
                             names[i]))
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
    nmap = normalize_network_map(network_map)
    plan = Plan(
        source=source_ref or SourceRef(kind=inventory.source_kind or "inventory", address=inventory.source),
        target_version=limits(target_version).version,
        created_at=_dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        created_by=f"hvmigrate {__version__}",
        network_map=[NetworkMapping(source_network=k, switch=s, vlan_id=v) for k, (s, v) in nmap.items()],
        items=[],
    )
    planned = [(r, PlanItem(vm=r.assessment.vm, target=r.assessment.spec, template=r.template.name,
                            applied=list(r.applied), source_policy=_policy_for(r.assessment.vm, source_policy)))
               for r in results if not r.assessment.blocked]
    # the plan's own check (validate_plan), so that what is planned is what plan --check and migrate accept
    draft = dataclasses.replace(plan, items=[item for _r, item in planned])
    for (r, item), found in zip(planned, validate_items(draft)[1], strict=True):
        blockers = [f for f in found if f.severity is Severity.BLOCKER]
        if blockers:
            r.assessment.findings = sorted(r.assessment.findings + blockers, key=_by_severity)
        else:
            plan.items.append(item)
    if names:
        blocked = [r.assessment for r in results if r.assessment.blocked]
        if blocked:
            raise PlanError("cannot plan blocked VMs: " + " | ".join(
                f"{printable(a.vm.name)}: {_blocker_text(a)}" for a in blocked),
                fix="Resolve the blockers (see `hvmigrate assess`) or leave these VMs out.")
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
    general, per_item = validate_items(plan)
    return general + [f for found in per_item for f in found]


def validate_items(plan: Plan) -> tuple[list[Finding], list[list[Finding]]]:
    """:func:`validate_plan`, sorted out: the findings about the plan as a whole, and each item's findings
    (in plan order) — so a caller never has to match findings to items by a VM id or name two items share."""
    general: list[Finding] = []
    try:
        lim = limits(plan.target_version)
    except PlanError as exc:
        general.append(Finding(code="PLAN-INVALID", severity=Severity.BLOCKER, title="Invalid value in the plan",
                               message=f"target_version: {exc.message}", fix=exc.fix,
                               reference="hvmigrate plan format"))
        lim = limits("unknown")
    twice = duplicate_names(plan.items)
    per_item: list[list[Finding]] = []
    for index, item in enumerate(plan.items):
        problems, fatal = plan_value_problems(item, plan.items)
        found = list(problems)
        if not fatal:  # else values the rules cannot reason about (e.g. generation 3)
            spec = copy.deepcopy(item.target)
            ctx = RuleContext(item.vm, guest_info(item.vm), lim, spec, validate=True)
            if index in twice:
                ctx.batch["duplicate_of"] = plan.items[twice[index]].target.name
            item_findings = run_rules(ctx)
            item_findings.sort(key=_by_severity)
            found.extend(item_findings)
        per_item.append(found)
    return general, per_item

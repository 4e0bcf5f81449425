"""Use cases from answers to a plan: assess, build the plan, re-check it, templates.

The user's answers — from the wizard's pages or the command line's flags — are one plain
:class:`PlanRequest`; :func:`build_plan` is the only way a plan is made from them, so the wizard and
``hvmigrate plan`` give the same plan for the same answers. :func:`check_plan` is the one check a plan
passes before it runs (the same rules as assess, in validation mode).

Network answers are settings of the ``--set`` vocabulary (see :func:`network_settings`), so each has its
switch on the command line: ``--map-network SRC=SWITCH[:VLAN]``, ``--set nic.static_mac=true|false``,
``--set fixups.reapply_static_ips=false``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wizard.compat.engine import VMResult, assess, evaluate, plan_with_report, validate_plan
from wizard.compat.rules import RuleInfo, codes
from wizard.compat.settings import parse_sets as parse_settings
from wizard.compat.templates import get_template, list_templates, save_template
from wizard.core.errors import PlanError
from wizard.core.findings import Assessment, Finding, Severity
from wizard.core.inventory import Inventory, SourceVM
from wizard.core.plan import NetworkMapping, Plan, PlanItem, SourceRef

__all__ = ["MAC_CHOICES", "PlanCheck", "PlanRequest", "PlanResult", "RuleInfo", "VMResult", "assess_request",
           "assess_vms", "build_plan", "check_plan", "network_settings", "parse_settings", "preview_plan",
           "rule_catalogue", "save_user_template", "template_names", "validate_plan"]

MAC_CHOICES = ("manual", "all", "none")
"""Which source MAC addresses the new adapters keep: ``manual`` only those set by hand on the source (the
default: VMware-assigned ones belong to VMware's range and are replaced by Hyper-V's), ``all``, or ``none``."""


def network_settings(keep_macs: str = "manual", reapply_ips: bool = True) -> dict[str, str]:
    """The ``--set`` pairs for the Networks answers; the defaults add none (the engine's own choice: keep
    manually set MACs, re-apply static IPs inside guests that have them)."""
    if keep_macs not in MAC_CHOICES:
        raise PlanError(f"unknown MAC choice {keep_macs!r}", fix="Use " + ", ".join(MAC_CHOICES) + ".")
    out = {"all": {"nic.static_mac": "true"}, "none": {"nic.static_mac": "false"}}.get(keep_macs, {})
    if not reapply_ips:
        out["fixups.reapply_static_ips"] = "false"
    return out


@dataclass
class PlanRequest:
    """Everything a user answers before a plan exists (plain data; no secret).

    ``vms``: ids or names; empty = every VM that is not blocked. ``sets`` apply to every VM, ``per_vm[vm]``
    (id or name) to one VM on top. ``source_policy``: how running vSphere VMs are read (auto, as-is,
    snapshot, shutdown, sync — see :mod:`wizard.app.sync`).
    """

    vms: list[str] = field(default_factory=list)
    template: str | None = None
    sets: dict[str, str] = field(default_factory=dict)
    per_vm: dict[str, dict[str, str]] = field(default_factory=dict)
    target_version: str = "unknown"
    network_map: list[NetworkMapping] = field(default_factory=list)
    source_policy: str = "auto"


@dataclass
class PlanResult:
    """The plan, and every VM considered (planned or left out) with its assessment."""

    plan: Plan
    results: list[VMResult]

    @property
    def left_out(self) -> list[Assessment]:
        return [r.assessment for r in self.results if r.assessment.blocked]


def build_plan(inventory: Inventory, request: PlanRequest, source: SourceRef) -> PlanResult:
    """The plan for ``request`` (see ``wizard.compat.engine`` for the contract: a named VM that is blocked or
    missing raises :class:`PlanError` listing why)."""
    plan, results = plan_with_report(
        inventory, request.vms or None, request.template or None, dict(request.sets), request.target_version,
        list(request.network_map), source, per_vm={k: v for k, v in request.per_vm.items() if v},
        source_policy=request.source_policy)
    return PlanResult(plan, results)


def preview_plan(inventory: Inventory, request: PlanRequest, source: SourceRef) -> PlanResult:
    """What :func:`build_plan` gives for ``request``, without refusing blocked VMs: every VM of ``request.vms``
    (all of ``inventory`` when empty) is assessed with the answers, ``results`` holds each one's assessment
    (the ``blocked`` ones included) and the plan holds the others — the same items, in the same order, that
    :func:`build_plan` plans when none is blocked. For a front end that shows the user what each answer does
    before it refuses anything."""
    wanted = set(request.vms)
    vms = [vm for vm in inventory.vms if vm.id in wanted or vm.name in wanted] if wanted else list(inventory.vms)
    chosen = Inventory(source=inventory.source, source_kind=inventory.source_kind,
                       collected_at=inventory.collected_at, vms=vms)
    plan, results = plan_with_report(
        chosen, None, request.template or None, dict(request.sets), request.target_version,
        list(request.network_map), source, per_vm={k: v for k, v in request.per_vm.items() if v},
        source_policy=request.source_policy)
    return PlanResult(plan, results)


def assess_vms(vms: list[SourceVM], target_version: str = "unknown", template: str | None = None,
               per_vm: dict[str, dict[str, str]] | None = None) -> list[Assessment]:
    """Every finding for ``vms`` (the compatibility preview)."""
    return assess(vms, target_version=target_version, template=template, per_vm=per_vm or None)


def assess_request(inventory: Inventory, request: PlanRequest) -> list[VMResult]:
    """Every VM of ``inventory`` assessed with the answers of ``request`` (``hvmigrate assess``)."""
    return evaluate(inventory, request.target_version, request.template or None, dict(request.sets),
                    per_vm={k: v for k, v in request.per_vm.items() if v}, network_map=list(request.network_map))


def rule_catalogue() -> list[RuleInfo]:
    """Every finding code hvmigrate reports, in run order."""
    return sorted(codes().values(), key=lambda r: (r.order, r.code))


@dataclass
class PlanCheck:
    """A plan re-checked before it runs: the items that may run, and the blocked ones with their first blocker."""

    runnable: list[PlanItem]
    blocked: list[tuple[PlanItem, Finding]]


def check_plan(plan: Plan) -> PlanCheck:
    """Re-check ``plan`` with the rules (a VM whose planned settings are no longer valid is left out).
    Raises :class:`PlanError` when something blocks the whole plan."""
    blockers = [f for f in validate_plan(plan) if f.severity is Severity.BLOCKER]
    general = next((f for f in blockers if not (f.vm_id or f.vm_name)), None)
    if general is not None:
        raise PlanError(f"The plan cannot be carried out: {general.message}", fix=general.fix)
    first: dict[str, Finding] = {}
    for f in blockers:
        first.setdefault(f.vm_id or f.vm_name, f)
    check = PlanCheck([], [])
    for item in plan.items:
        why = (first.get(item.vm.id) if item.vm.id else None) or first.get(item.vm.name)
        if why is None:
            check.runnable.append(item)
        else:
            check.blocked.append((item, why))
    return check


def template_names() -> list[tuple[str, str]]:
    """(id, display name) of the built-in and saved templates."""
    return [(t.id, t.name) for t in list_templates()]


def save_user_template(name: str, base_template: str, sets: dict[str, str]) -> str:
    """Save ``base_template``'s settings with ``sets`` on top as a user template; returns its id."""
    base = get_template(base_template or None)
    save_template(name, {**base.settings, **sets}, description=f"{base.name} + {len(sets)} change(s)")
    return get_template(name).id

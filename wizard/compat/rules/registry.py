"""The rule registry itself: :func:`rule`, :func:`define`, :class:`RuleContext` and the run order.

Topic modules register their checks here; the package (``wizard.compat.rules``) imports every topic
module, so importing it is what fills the registry. See the package docstring for the rule contract.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from wizard.compat.catalog import GuestInfo, HostLimits
from wizard.core.findings import Choice, Finding, Severity
from wizard.core.inventory import Firmware, SourceVM
from wizard.core.plan import VMSpec


@dataclass(frozen=True)
class RuleInfo:
    code: str
    severity: Severity
    title: str
    reference: str
    order: int
    topic: str
    check: Callable[[RuleContext], None] | None = field(compare=False, repr=False)


_REGISTRY: dict[str, RuleInfo] = {}
_ORDERED: list[RuleInfo] = []


def rule(code: str, severity: Severity, title: str, reference: str, order: int) -> Callable:
    """Register ``check`` under ``code`` (codes are unique and stable: reports and tests name them)."""

    def deco(check: Callable[[RuleContext], None]) -> Callable[[RuleContext], None]:
        if code in _REGISTRY:
            raise ValueError(f"duplicate rule code {code}")
        topic = check.__module__.rsplit(".", 1)[-1]
        _REGISTRY[code] = RuleInfo(code, severity, title, reference, order, topic, check)
        _ORDERED.clear()
        return check

    return deco


def define(code: str, severity: Severity, title: str, reference: str, order: int, topic: str = "") -> None:
    """Declare a code that another rule's check reports (``ctx.flag(..., code=...)``), e.g. disk placement."""
    if code in _REGISTRY:
        raise ValueError(f"duplicate rule code {code}")
    _REGISTRY[code] = RuleInfo(code, severity, title, reference, order, topic, None)


def codes() -> dict[str, RuleInfo]:
    """Every known code (checks and declared codes)."""
    all_rules()
    return dict(_REGISTRY)


def all_rules() -> list[RuleInfo]:
    """Every rule, in run order (the package imports every topic module, so all are registered)."""
    if not _ORDERED:
        _ORDERED.extend(sorted((r for r in _REGISTRY.values() if r.check is not None), key=lambda r: (r.order, r.code)))
    return list(_ORDERED)


def get_rule(code: str) -> RuleInfo:
    all_rules()
    return _REGISTRY[code]


class RuleContext:
    """What a rule sees about one VM, and where it reports. ``template_keys`` are soft preferences."""

    __slots__ = ("vm", "guest", "limits", "spec", "user_keys", "template_keys", "validate", "findings",
                 "applied", "network_map", "current", "firmware_generation", "batch")

    def __init__(self, vm: SourceVM, guest: GuestInfo, limits: HostLimits, spec: VMSpec, *,
                 user_keys: set[str] | None = None, template_keys: set[str] | None = None,
                 validate: bool = False, network_map: dict[str, tuple[str, int | None]] | None = None) -> None:
        self.vm = vm
        self.guest = guest
        self.limits = limits
        self.spec = spec
        self.user_keys = user_keys or set()
        self.template_keys = template_keys or set()
        self.validate = validate
        self.findings: list[Finding] = []
        self.applied: list[str] = []
        self.network_map = network_map or {}
        self.current: RuleInfo | None = None
        self.firmware_generation = 2 if vm.firmware is Firmware.EFI else 1
        self.batch: dict[str, object] = {}  # facts about the whole run (e.g. name collisions), set by the engine

    def locked(self, *keys: str) -> bool:
        """True when the user fixed any of ``keys`` (or we are validating a saved plan)."""
        return self.validate or any(k in self.user_keys for k in keys)

    def from_template(self, key: str) -> bool:
        return key in self.template_keys

    @property
    def family(self) -> str:
        return self.guest.family

    def flag(self, message: str, fix: str = "", *, subject: str = "", adjusted: bool = False,
             choices: list[Choice] | None = None, severity: Severity | None = None, title: str = "",
             code: str = "") -> Finding:
        """Report the current rule (or the declared ``code``) for this VM.

        ``adjusted=True`` says the spec was changed to fix it; ``severity`` overrides the rule's default
        (e.g. a warning that becomes a blocker because the user locked the setting).
        """
        info = _REGISTRY[code] if code else self.current
        assert info is not None, "flag() called outside a rule"
        finding = Finding(vm_id=self.vm.id, vm_name=self.vm.name, code=info.code,
                          severity=severity or info.severity, title=title or info.title, message=message, fix=fix,
                          reference=info.reference, subject=subject, adjusted=adjusted, choices=choices or [])
        self.findings.append(finding)
        if adjusted and info.code not in self.applied:
            self.applied.append(info.code)
        return finding


def run_rules(ctx: RuleContext) -> list[Finding]:
    for info in all_rules():
        ctx.current = info
        info.check(ctx)
    ctx.current = None
    return ctx.findings

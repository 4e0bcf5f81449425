"""Compatibility findings and per-VM assessments: what the compatibility page and reports show.

Produced by ``wizard.compat`` rules; consumed by the UI, reports and the plan builder. Plain data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from wizard.core.i18n import translate
from wizard.core.inventory import SourceVM
from wizard.core.plan import VMSpec


class Severity(StrEnum):
    BLOCKER = "blocker"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"blocker": 0, "warning": 1, "info": 2}[self.value]


@dataclass
class Choice:
    """An adjustable decision a finding offers (e.g. what to do with a USB controller)."""

    key: str = ""  # plan setting it controls, e.g. "generation", "device:USB controller"
    label: str = ""
    options: list[str] = field(default_factory=list)
    default: str = ""
    selected: str = ""
    labels: list[str] = field(default_factory=list)  # what each option means to a person (empty: the option)


@dataclass
class Finding:
    vm_id: str = ""
    vm_name: str = ""
    code: str = ""  # stable, e.g. "GEN2-32BIT"
    severity: Severity = Severity.INFO
    title: str = ""
    message: str = ""  # plain explanation
    fix: str = ""  # what to do, or what the plan does automatically
    reference: str = ""  # source of the fact
    subject: str = ""  # the disk/NIC/device it is about, "" for the VM as a whole
    adjusted: bool = False  # True when the plan applies the fix automatically
    choices: list[Choice] = field(default_factory=list)


@dataclass
class Assessment:
    vm: SourceVM = field(default_factory=SourceVM)
    findings: list[Finding] = field(default_factory=list)
    spec: VMSpec = field(default_factory=VMSpec)  # the proposed target with adjustments applied

    @property
    def blocked(self) -> bool:
        return any(f.severity is Severity.BLOCKER for f in self.findings)

    @property
    def status(self) -> Severity | None:
        """Worst severity, None when there are no findings (a green light)."""
        return min((f.severity for f in self.findings), key=lambda s: s.rank, default=None)


def _title(f: Finding) -> str:
    return translate(f.title)


def _message(f: Finding) -> str:
    return translate(f.message)


def _fix(f: Finding) -> str:
    return translate(f.fix)


@dataclass(frozen=True)
class FindingWords:
    """How a finding's title, explanation and fix read where a person sees them. The default: the rules' own texts
    in the current language, whose fixes name command-line flags. The wizard passes its own words (its fixes
    name the control to use), so a report it saves says what its pages said."""

    title: Callable[[Finding], str] = _title
    message: Callable[[Finding], str] = _message
    fix: Callable[[Finding], str] = _fix


COMMAND_LINE_WORDS = FindingWords()

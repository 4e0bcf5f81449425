"""What the wizard has collected so far: plain data the pages fill in order and the core consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wizard.core.findings import Assessment
from wizard.core.inventory import Inventory
from wizard.core.plan import NetworkMapping, Plan, SourceRef
from wizard.ui.services import TargetInfo, TargetSpec


@dataclass
class WizardState:
    source: Any = None  # an open wizard.sources Source
    source_text: str = ""
    source_ref: SourceRef = field(default_factory=SourceRef)
    inventory: Inventory | None = None
    selected: list[str] = field(default_factory=list)  # VM ids, inventory order
    assessments: dict[str, Assessment] = field(default_factory=dict)  # by VM id
    choices: dict[str, dict[str, str]] = field(default_factory=dict)  # VM name -> finding choice key -> option
    target: TargetSpec | None = None
    target_info: TargetInfo | None = None
    template: str = ""
    source_policy: str = "auto"  # running vSphere VMs: auto (snapshot) | shutdown | as-is
    sets_all: dict[str, str] = field(default_factory=dict)  # template overrides for every VM
    sets_vm: dict[str, dict[str, str]] = field(default_factory=dict)  # VM name -> overrides
    network_map: list[NetworkMapping] = field(default_factory=list)
    keep_mac: bool = True
    reapply_ips: bool = True
    plan: Plan | None = None
    plan_path: str = ""
    runner: Any = None  # the MigrationRunner of the Progress page
    report_path: str = ""

    def selected_vms(self) -> list:
        if self.inventory is None:
            return []
        wanted = set(self.selected)
        return [vm for vm in self.inventory.vms if vm.id in wanted]

    @property
    def target_version(self) -> str:
        return self.target_info.version if self.target_info else "unknown"

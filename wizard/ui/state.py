"""What the wizard has collected so far: plain data the pages fill in order and the application layer consumes.

:meth:`WizardState.plan_request` turns the answers into the same :class:`PlanRequest` the command line's
flags give, so the plan the wizard runs is the plan ``hvmigrate plan`` would write for the same answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication

from wizard.app.migration import Migration
from wizard.app.planning import PlanRequest, network_settings
from wizard.app.sources import Source
from wizard.app.sync import SyncMigration
from wizard.app.targets import Credentials, TargetInfo, TargetSpec
from wizard.core.findings import Assessment
from wizard.core.inventory import Inventory, SourceVM
from wizard.core.plan import NetworkMapping, Plan, SourceRef
from wizard.ui.run_adapter import RunAdapter
from wizard.ui.sync_adapter import SyncAdapter


def _missing_password_fix() -> str:
    """A missing Hyper-V password (a migration resumed in a new window) in the wizard's words: its field."""
    return QCoreApplication.translate("WizardState", "Type the password in the Password field of the Target page.")


@dataclass
class WizardState:
    source: Source | None = None
    source_text: str = ""
    source_ref: SourceRef = field(default_factory=SourceRef)
    inventory: Inventory | None = None
    selected: list[str] = field(default_factory=list)  # VM ids, inventory order
    assessments: dict[str, Assessment] = field(default_factory=dict)  # by VM id (the Compatibility page's)
    choices: dict[str, dict[str, str]] = field(default_factory=dict)  # VM name -> finding choice key -> option
    target: TargetSpec | None = None
    # the Target page's password (memory only)
    credentials: Credentials = field(default_factory=lambda: Credentials(missing_fix=_missing_password_fix()))
    target_info: TargetInfo | None = None
    vm_path: str = ""  # Hyper-V: the VMs' folder on the host (the plan's ``path``), "" = the host's default
    template: str = ""
    source_policy: str = "auto"  # running vSphere VMs: auto (snapshot) | shutdown | as-is | sync
    sync_interval: int = 10  # minutes between delta syncs of ``sync`` VMs (``hvmigrate migrate --sync-interval``)
    sets_all: dict[str, str] = field(default_factory=dict)  # template overrides for every VM
    sets_vm: dict[str, dict[str, str]] = field(default_factory=dict)  # VM name -> overrides
    network_map: list[NetworkMapping] = field(default_factory=list)
    keep_macs: str = "manual"  # manual | all | none (wizard.app.planning.MAC_CHOICES)
    reapply_ips: bool = True  # inside guests that have static IPs
    fixups: bool = False  # run the guest fix-ups after creating each VM (``hvmigrate migrate --fixups``)
    plan: Plan | None = None
    # every ticked VM's assessment with all the answers (the Template page's last build): what the plan does to
    # each VM, blocked ones included; the Template and Summary pages show its findings
    plan_assessments: dict[str, Assessment] = field(default_factory=dict)  # by VM id
    plan_path: str = ""
    migration: Migration | None = None
    runner: RunAdapter | None = None  # the Progress page's view of the migration
    sync: SyncMigration | None = None  # the plan's ``sync`` VMs (wizard.app.sync), None when it has none
    sync_runner: SyncAdapter | None = None  # the Progress page's view of them
    report_path: str = ""

    def select(self, ids: Iterable[str]) -> None:
        """Make ``ids`` the selection: the one list of ticked VMs every page reads and writes (Inventory's
        check boxes, Compatibility's), kept in inventory order; ids the inventory does not hold are dropped."""
        wanted = set(ids)
        vms = self.inventory.vms if self.inventory is not None else []
        self.selected = [vm.id for vm in vms if vm.id in wanted]

    def selected_vms(self) -> list[SourceVM]:
        if self.inventory is None:
            return []
        wanted = set(self.selected)
        return [vm for vm in self.inventory.vms if vm.id in wanted]

    @property
    def target_version(self) -> str:
        return self.target_info.version if self.target_info else "unknown"

    def plan_request(self, adjustments: bool = True) -> PlanRequest:
        """The answers so far, as the command line's flags would give them. ``adjustments=False``: without the
        Template page's changes (``sets_all``, ``sets_vm``), to tell what those changes bring."""
        sets_all, sets_vm = (self.sets_all, self.sets_vm) if adjustments else ({}, {})
        per_vm = {name: {**self.choices.get(name, {}), **sets} for name, sets in sets_vm.items()}
        for name, chosen in self.choices.items():
            per_vm.setdefault(name, dict(chosen))
        return PlanRequest(vms=[vm.id or vm.name for vm in self.selected_vms()], template=self.template or None,
                           sets={**network_settings(self.keep_macs, self.reapply_ips),
                                 **({"path": self.vm_path} if self.vm_path else {}), **sets_all},
                           per_vm={k: v for k, v in per_vm.items() if v}, target_version=self.target_version,
                           network_map=list(self.network_map), source_policy=self.source_policy)

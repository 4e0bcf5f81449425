"""Template & adjustments page: pick a template, change settings for all ticked VMs or for one VM, with live
validation against each VM (the plan is rebuilt in the background a moment after each change).

What the fields show is true for the VMs in "Apply changes to": a value every one of them has, or *mixed*
(a spin box reading "mixed", a partly ticked box, a "(mixed)" entry) where they differ. Only a field the user
changes is written, and only that field: with "All ticked VMs", changing the CPUs leaves each VM's memory as
it was. *Reset to template* forgets the changes. Below the fields: the rules' blockers for the planned VMs
and the warnings the user's changes brought, each once, in words, with the VMs it concerns.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wizard.app.planning import PlanResult, preview_plan, save_user_template, template_names
from wizard.core.findings import Assessment, Finding, Severity
from wizard.core.plan import VMSpec
from wizard.core.text import visible
from wizard.ui.errors import message_of
from wizard.ui.finding_fixes import SECURE_BOOT_TEMPLATE_NAMES, fix_text
from wizard.ui.finding_titles import title as finding_title
from wizard.ui.pages.base import BusyBar, Page

ALL = ""
MIXED = "\x00mixed"  # the data of a combo's "(mixed)" entry: no value of its own
CHECKPOINTS = ("Disabled", "Production", "ProductionOnly", "Standard")
START_ACTIONS = ("Nothing", "StartIfRunning", "Start")
STOP_ACTIONS = ("ShutDown", "Save", "TurnOff")
SECURE_BOOT_TEMPLATES = tuple(SECURE_BOOT_TEMPLATE_NAMES)
BOOL = {True: "true", False: "false"}


class MixedSpinBox(QSpinBox):
    """A spin box that can read "mixed" — the VMs it speaks for differ — until the user gives a value.

    Mixed is shown as the special value text at one below the real minimum; stepping from it starts at
    ``base`` (the smallest of the VMs' values), typing replaces it. ``mixed`` is True while it is shown."""

    def __init__(self, lowest: int, highest: int, mixed_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lowest = lowest
        self._mixed_text = mixed_text
        self._base = lowest
        self.setRange(lowest, highest)
        self.setKeyboardTracking(False)  # one change when the user has typed the number, not one per digit
        self.valueChanged.connect(self._left_mixed)

    @property
    def mixed(self) -> bool:
        return self.minimum() < self._lowest and self.value() == self.minimum()

    def show_value(self, value: int | None, base: int = 0) -> None:
        """Show ``value``, or "mixed" when it is None (``base``: where stepping starts). No signal."""
        self.blockSignals(True)
        if value is None:
            self._base = max(self._lowest, base)
            self.setSpecialValueText(self._mixed_text)
            self.setMinimum(self._lowest - 1)
            self.setValue(self._lowest - 1)
        else:
            self.setSpecialValueText("")
            self.setMinimum(self._lowest)
            self.setValue(value)
        self.blockSignals(False)

    def stepBy(self, steps: int) -> None:  # noqa: N802
        if self.mixed:
            self.show_value(self._base)  # from the smallest of the VMs' values, not from "one below minimum"
        super().stepBy(steps)

    def _left_mixed(self, value: int) -> None:
        if self.specialValueText() and value != self.minimum():
            self.blockSignals(True)
            self.setSpecialValueText("")
            self.setMinimum(self._lowest)
            self.blockSignals(False)


def _disk_types(spec: VMSpec) -> set[str]:
    return {d.type.value for d in spec.disks if d.include}


# each field: key in the --set vocabulary -> the values a spec has for it (more than one: mixed within the VM)
READERS: dict[str, Callable[[VMSpec], set[str]]] = {
    "generation": lambda s: {str(s.generation)},
    "cpus": lambda s: {str(s.cpus)},
    "memory": lambda s: {str(s.memory.startup_mb)},
    "memory.dynamic": lambda s: {BOOL[s.memory.dynamic]},
    "secure_boot": lambda s: {BOOL[s.secure_boot and s.generation == 2]},
    "secure_boot_template": lambda s: {s.secure_boot_template},
    "tpm": lambda s: {BOOL[s.tpm and s.generation == 2]},
    "disk.type": _disk_types,
    "checkpoint_type": lambda s: {s.checkpoint_type},
    "automatic_start_action": lambda s: {s.automatic_start_action},
    "automatic_stop_action": lambda s: {s.automatic_stop_action},
    "guest.prepare_linux": lambda s: {BOOL[s.fixups.prepare_linux]},
}


class TemplatePage(Page):
    plan_ready = Signal()  # after each background build, valid or not

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("How should the new VMs look?"))
        self.setSubTitle(self.tr("A template sets sensible values for each VM. Change any value for all ticked "
                                 "VMs or for one VM; the plan is checked against each VM as you go."))
        self.plan_ok = False
        self._filling = False
        self.built: PlanResult | None = None
        mixed = self.tr("mixed")
        self.template = QComboBox()
        self.scope = QComboBox()
        self.scope.setToolTip(self.tr("All ticked VMs: a change applies to every ticked VM. Where the VMs differ, "
                                      "a field shows “mixed” and each VM keeps its own value until you change "
                                      "that field."))
        self.generation = QComboBox()
        self.generation.addItem(self.tr("Generation 2 (UEFI)"), "2")
        self.generation.addItem(self.tr("Generation 1 (BIOS)"), "1")
        self.generation.setToolTip(self.tr("Generation 2 starts with UEFI (Secure Boot, TPM, boot from SCSI); "
                                           "Generation 1 with BIOS, for guests installed that way. It must match "
                                           "how the guest was installed, or it will not start."))
        self.cpus = MixedSpinBox(1, 240, mixed)
        self.cpus.setToolTip(self.tr("Virtual processors the VM gets."))
        self.memory = MixedSpinBox(32, 12 * 1024 * 1024, mixed)
        self.memory.setSingleStep(512)
        self.memory.setSuffix(" MiB")
        self.memory.setToolTip(self.tr("Startup memory: what the VM has when it starts."))
        self.dynamic = QCheckBox(self.tr("D&ynamic memory"))
        self.dynamic.setToolTip(self.tr("Hyper-V gives a running VM more memory when it needs it and takes back "
                                        "what it does not use. Off: the VM always has its startup memory."))
        self.secure_boot = QCheckBox(self.tr("&Secure Boot"))
        self.secure_boot.setToolTip(self.tr("Only signed boot loaders may start the VM (Generation 2 only); it "
                                            "keeps boot-level malware out."))
        self.tpm = QCheckBox(self.tr("Virtual T&PM"))
        self.tpm.setToolTip(self.tr("A virtual security chip (Generation 2 only) for BitLocker and Windows 11. "
                                    "It starts empty: keys in the source's TPM are not copied."))
        self.secure_boot_template = QComboBox()
        for value, text in zip(SECURE_BOOT_TEMPLATES, (self.tr("Microsoft Windows"),
                                                      self.tr("Microsoft UEFI Certificate Authority (Linux)"),
                                                      self.tr("Open Source Shielded VM")), strict=True):
            self.secure_boot_template.addItem(text, value)
        self.secure_boot_template.setToolTip(self.tr("Whose signatures Secure Boot trusts: Microsoft Windows for "
                                                     "Windows guests, the Microsoft UEFI Certificate Authority for "
                                                     "Linux."))
        self.prepare_linux = QCheckBox(self.tr("Prepare &Linux guests for Hyper-V"))
        self.prepare_linux.setToolTip(self.tr(
            "After converting a Linux VM's disks, hvmigrate changes the guest offline so that it starts on Hyper-V: "
            "the Hyper-V drivers go into its initramfs, its network settings are bound to the new adapter, VMware "
            "Tools from VMware's installer are removed. Each original file is kept and the report lists every "
            "change. Needs a Linux workstation with libguestfs; Windows guests are not affected."))
        self.disk_type = QComboBox()
        self.disk_type.addItem(self.tr("VHDX, dynamically expanding"), "dynamic")
        self.disk_type.addItem(self.tr("VHDX, fixed size"), "fixed")
        self.disk_type.setToolTip(self.tr("Dynamically expanding disks grow as data is written; fixed-size disks "
                                          "take all their space at once and are a little faster."))
        self.checkpoints = QComboBox()
        for value, text in zip(CHECKPOINTS, (self.tr("Disabled"), self.tr("Production"),
                                             self.tr("Production only"), self.tr("Standard")), strict=True):
            self.checkpoints.addItem(text, value)
        self.checkpoints.setToolTip(self.tr("Production checkpoints ask the guest to save its data first (like a "
                                            "backup); Standard ones also keep the memory; Production only never "
                                            "falls back to Standard; Disabled allows none."))
        self.start_action = QComboBox()
        for value, text in zip(START_ACTIONS, (self.tr("Do nothing"), self.tr("Start if it was running"),
                                               self.tr("Always start")), strict=True):
            self.start_action.addItem(text, value)
        self.start_action.setToolTip(self.tr("What the VM does when the Hyper-V host starts up."))
        self.stop_action = QComboBox()
        for value, text in zip(STOP_ACTIONS, (self.tr("Shut the guest down"), self.tr("Save its state"),
                                              self.tr("Turn it off")), strict=True):
            self.stop_action.addItem(text, value)
        self.stop_action.setToolTip(self.tr("What happens to the VM when the host shuts down: shut the guest down "
                                            "cleanly, save its memory to disk, or cut its power."))
        for combo in (self.template, self.scope, self.generation, self.secure_boot_template, self.disk_type,
                      self.checkpoints, self.start_action, self.stop_action):
            # as narrow as a small window needs (long entries are elided there; the list shows them in full)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.fields: dict[str, QWidget] = {
            "generation": self.generation, "cpus": self.cpus, "memory": self.memory, "memory.dynamic": self.dynamic,
            "secure_boot": self.secure_boot, "secure_boot_template": self.secure_boot_template, "tpm": self.tpm,
            "disk.type": self.disk_type, "checkpoint_type": self.checkpoints,
            "automatic_start_action": self.start_action, "automatic_stop_action": self.stop_action,
            "guest.prepare_linux": self.prepare_linux}

        self.source_policy = QComboBox()
        self.source_policy.addItem(self.tr("Copy from a snapshot (removed afterwards)"), "auto")
        self.source_policy.addItem(self.tr("Shut down first (they stay off once migrated)"), "shutdown")
        self.source_policy.addItem(self.tr("Copy as they are (the copy may be inconsistent)"), "as-is")
        self.source_policy.addItem(self.tr("Synchronise, then cut over with minimal downtime"), "sync")
        self.source_policy.setItemData(self.source_policy.count() - 1, self.tr(
            "Changed block tracking is turned on where it is off (it takes effect at the next snapshot). A first "
            "copy is made while the VM runs, then only what changed is copied at every sync interval and on Sync now. "
            "When you click Cut over on the Progress page, the guest is shut down through VMware Tools, the last "
            "changes are copied and checked and the VM is created on the Hyper-V host (or its import bundle is "
            "completed); the source stays off. The downtime is the last changes, not the whole copy."),
            Qt.ItemDataRole.ToolTipRole)
        self.sync_interval = QSpinBox()
        self.sync_interval.setRange(1, 24 * 60)
        self.sync_interval.setPrefix(self.tr("every "))
        self.sync_interval.setSuffix(self.tr(" min"))
        self.sync_interval.setToolTip(self.tr("Minutes between two syncs of a synchronised VM until it is cut over "
                                              "(Sync now on the Progress page syncs at once)."))
        self.source_policy.setToolTip(self.tr(
            "How VMs that are running on vSphere are copied. A snapshot lets them keep serving; the copy has "
            "their state at the moment of the snapshot. Shutting down gives the final, complete state. Synchronising "
            "keeps a copy current while they run and shuts them down only for the cut-over."))
        self.save_template = QPushButton(self.tr("Sa&ve as template…"))
        self.save_template.clicked.connect(lambda: self.save_as_template())
        self.reset = QPushButton(self.tr("Reset t&o template"))
        self.reset.setToolTip(self.tr("Forget the changes made here for the VMs in “Apply changes to”: the "
                                      "template's values apply again."))
        self.reset.clicked.connect(lambda: self.reset_to_template())
        template_row = QHBoxLayout()
        template_row.addWidget(self.template, 1)
        template_row.addWidget(self.save_template)
        template_label = QLabel(self.tr("&Template:"))
        template_label.setBuddy(self.template)
        scope_row = QHBoxLayout()
        scope_row.addWidget(self.scope, 1)
        scope_row.addWidget(self.reset)
        scope_label = QLabel(self.tr("&Apply changes to:"))
        scope_label.setBuddy(self.scope)
        top = QFormLayout()
        top.addRow(template_label, template_row)
        top.addRow(scope_label, scope_row)
        self.source_policy_label = QLabel(self.tr("&Running VMs:"))
        self.source_policy_label.setBuddy(self.source_policy)
        top.addRow(self.source_policy_label, self.source_policy)
        self.sync_interval_label = self._label(self.tr("Sync &interval:"), self.sync_interval)
        sync_row = QHBoxLayout()  # a count needs no full-width field
        sync_row.addWidget(self.sync_interval)
        sync_row.addStretch(1)
        top.addRow(self.sync_interval_label, sync_row)

        box = QGroupBox(self.tr("Settings"))
        left, right = QFormLayout(), QFormLayout()
        left.addRow(self._label(self.tr("&Generation:"), self.generation), self.generation)
        cpu_row = QHBoxLayout()  # a count needs no full-width field
        cpu_row.addWidget(self.cpus)
        cpu_row.addStretch(1)
        left.addRow(self._label(self.tr("&CPUs:"), self.cpus), cpu_row)
        mem_row = QHBoxLayout()
        mem_row.addWidget(self.memory)
        mem_row.addStretch(1)
        left.addRow(self._label(self.tr("&Memory:"), self.memory), mem_row)
        left.addRow("", self.dynamic)  # one setting a row: the page fits an 800 × 600 window
        left.addRow(self._label(self.tr("&Disks:"), self.disk_type), self.disk_type)
        left.addRow(self.tr("Guests:"), self.prepare_linux)
        right.addRow(self.tr("Security:"), self.secure_boot)
        right.addRow("", self.tpm)
        right.addRow(self._label(self.tr("Sec&ure Boot template:"), self.secure_boot_template),
                     self.secure_boot_template)
        right.addRow(self._label(self.tr("Chec&kpoints:"), self.checkpoints), self.checkpoints)
        right.addRow(self._label(self.tr("W&hen the host starts:"), self.start_action), self.start_action)
        right.addRow(self._label(self.tr("&When the host shuts down:"), self.stop_action), self.stop_action)
        columns = QHBoxLayout(box)
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)

        self.validation = QLabel()
        self.validation.setTextFormat(Qt.TextFormat.PlainText)  # problems quote names from the source
        self.validation.setWordWrap(True)
        self.validation.setObjectName("validation")
        self.problems = QLabel()  # the rules' findings, each once, with the VMs it concerns
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setWordWrap(True)
        self.problems.setObjectName("problems")
        self.changes = QLabel()  # what the user changed here, so a reset or a scope is never a guess
        self.changes.setTextFormat(Qt.TextFormat.PlainText)
        self.changes.setWordWrap(True)
        self.changes.setObjectName("changes")
        self.status = BusyBar()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(box)
        layout.addWidget(self.changes)
        layout.addWidget(self.validation)
        layout.addWidget(self.problems)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.rebuild)
        self.template.currentIndexChanged.connect(self._template_changed)
        self.scope.currentIndexChanged.connect(lambda _i: self._show_values())
        self.source_policy.currentIndexChanged.connect(lambda _i: self._policy_changed())
        self.sync_interval.valueChanged.connect(self._interval_changed)
        for key, combo in (("generation", self.generation), ("secure_boot_template", self.secure_boot_template),
                           ("disk.type", self.disk_type), ("checkpoint_type", self.checkpoints),
                           ("automatic_start_action", self.start_action),
                           ("automatic_stop_action", self.stop_action)):
            combo.currentIndexChanged.connect(lambda _i, k=key, c=combo: self._combo_changed(k, c))
        for key, spin in (("cpus", self.cpus), ("memory", self.memory)):
            spin.valueChanged.connect(lambda v, k=key, s=spin: None if s.mixed else self._set(k, str(v)))
        for key, check in (("memory.dynamic", self.dynamic), ("secure_boot", self.secure_boot), ("tpm", self.tpm),
                           ("guest.prepare_linux", self.prepare_linux)):
            check.checkStateChanged.connect(lambda state, k=key, c=check: self._check_changed(k, c, state))

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        label.setToolTip(buddy.toolTip())
        return label

    def template_label(self, template_id: str, name: str) -> str:
        known = {"auto": self.tr("Automatic (by firmware and guest OS)"),
                 "windows-server": self.tr("Windows Server — Gen 2, Secure Boot"),
                 "windows-11": self.tr("Windows 11 — Gen 2, Secure Boot, TPM"),
                 "linux": self.tr("Linux — Gen 2, UEFI CA"), "legacy-bios": self.tr("Legacy BIOS — Gen 1")}
        return known.get(template_id, name)

    def initializePage(self) -> None:  # noqa: N802
        self._filling = True
        self.template.clear()
        try:
            for tid, name in template_names():
                self.template.addItem(self.template_label(tid, name), tid)
        except Exception as exc:  # noqa: BLE001 - shown on the page; Next stays disabled
            self.validation.setText(message_of(exc))
        if self.state.template:
            index = self.template.findData(self.state.template)
            self.template.setCurrentIndex(max(index, 0))
        self.scope.clear()
        self.scope.addItem(self.tr("All ticked VMs"), ALL)
        for vm in self.state.selected_vms():
            self.scope.addItem(self.tr("Only %1").replace("%1", visible(vm.name)), vm.name)
        # only vCenter/ESXi VMs can be snapshotted or shut down by hvmigrate; files are read as they are
        on_vsphere = self.state.source_ref.kind == "vsphere"
        self.source_policy_label.setVisible(on_vsphere)
        self.source_policy.setVisible(on_vsphere)
        self.source_policy.setCurrentIndex(max(self.source_policy.findData(self.state.source_policy), 0))
        self.sync_interval.setValue(self.state.sync_interval)
        self._show_sync_interval()
        self._filling = False
        self.state.template = self.template.currentData() or ""
        self._show_changes()
        self.rebuild()

    def _policy_changed(self) -> None:
        if self._filling:
            return
        self.state.source_policy = self.source_policy.currentData() or "auto"
        self._show_sync_interval()
        self._schedule()

    def _interval_changed(self, minutes: int) -> None:
        self.state.sync_interval = minutes  # a run setting (SyncSettings), not part of the plan

    def _show_sync_interval(self) -> None:
        """The interval between syncs matters only to the sync policy (and only on a vSphere source)."""
        shown = self.source_policy.isVisibleTo(self) and self.source_policy.currentData() == "sync"
        self.sync_interval_label.setVisible(shown)
        self.sync_interval.setVisible(shown)

    def save_as_template(self, name: str | None = None) -> None:
        """Keep the template plus the changes for all VMs as a named template for next time."""
        if name is None:
            name, ok = QInputDialog.getText(self, self.tr("Save as template"), self.tr("Template name:"))
            if not ok or not name.strip():
                return
        base, sets = self.state.template, dict(self.state.sets_all)

        def saved(template_id: str) -> None:
            self._filling = True
            self.template.addItem(name, template_id)
            self.template.setCurrentIndex(self.template.count() - 1)
            self._filling = False
            self.state.template = template_id
            self.state.sets_all.clear()
            self.status.stop(self.tr("Template %1 saved.").replace("%1", name))
            self._schedule()

        self.run(lambda _p, _c: save_user_template(name, base, sets), saved, busy=self.status,
                 text=self.tr("Saving…"))

    def _template_changed(self, _index: int) -> None:
        if self._filling:
            return
        self.state.template = self.template.currentData() or ""
        self.state.sets_all.clear()
        self.state.sets_vm.clear()
        self._schedule()

    def reset_to_template(self) -> None:
        """Forget the changes for the VMs in scope: all of them (every VM's own changes too), or the one VM."""
        scope = self.scope.currentData() or ALL
        if scope == ALL:
            self.state.sets_all.clear()
            self.state.sets_vm.clear()
        else:
            self.state.sets_vm.pop(scope, None)
        self._schedule()

    # -- a change by the user: only the field touched is written ---------------------------------------

    def _combo_changed(self, key: str, combo: QComboBox) -> None:
        if self._filling:
            return
        value = combo.currentData()
        if value == MIXED:  # back to "(mixed)": each VM keeps its own value again
            self._unset(key)
            return
        index = combo.findData(MIXED)
        if index >= 0:
            self._filling = True
            combo.removeItem(index)
            self._filling = False
        self._set(key, value)

    def _check_changed(self, key: str, check: QCheckBox, state: Qt.CheckState) -> None:
        if self._filling or state == Qt.CheckState.PartiallyChecked:
            return
        self._filling = True
        check.setTristate(False)  # from "mixed" to a value: on and off from now on
        self._filling = False
        self._set(key, BOOL[state == Qt.CheckState.Checked])

    def _set(self, key: str, value: str) -> None:
        """Write ``key`` for the VMs in scope (with "All ticked VMs" it replaces the VMs' own value of it)."""
        if self._filling:
            return
        scope = self.scope.currentData() or ALL
        if scope == ALL:
            self.state.sets_all[key] = value
            for extra in self.state.sets_vm.values():
                extra.pop(key, None)
        else:
            self.state.sets_vm.setdefault(scope, {})[key] = value
        self._schedule()

    def _unset(self, key: str) -> None:
        scope = self.scope.currentData() or ALL
        if scope == ALL:
            self.state.sets_all.pop(key, None)
        else:
            self.state.sets_vm.get(scope, {}).pop(key, None)
        self._schedule()

    def _schedule(self) -> None:
        self.plan_ok = False
        self._show_changes()
        self.completeChanged.emit()
        self._debounce.start()

    # -- building and checking the plan ----------------------------------------------------------------

    def rebuild(self) -> None:
        """Build the plan in the background — the plan ``hvmigrate plan`` writes for the same answers — with
        every ticked VM's assessment, and, when the user changed settings here, the same without those changes
        (to tell the warnings the changes brought)."""
        st = self.state
        inventory, request, ref = st.inventory, st.plan_request(), st.source_ref
        baseline = st.plan_request(adjustments=False) if (st.sets_all or any(st.sets_vm.values())) else None
        assert inventory is not None

        def work(_p, _c):  # noqa: ANN001, ANN202
            built = preview_plan(inventory, request, ref)
            before = preview_plan(inventory, baseline, ref) if baseline is not None else None
            return built, before

        self.run(work, self._built, busy=self.status, text=self.tr("Checking the settings…"),
                 on_failure=self._invalid)

    def _built(self, outcome: tuple[PlanResult, PlanResult | None]) -> None:
        built, before = outcome
        self.built = built
        assessments = {r.assessment.vm.id: r.assessment for r in built.results}
        self.state.plan_assessments = assessments
        blocked = [a for a in assessments.values() if a.blocked]
        self.plan_ok = bool(built.plan.items) and not blocked
        self.state.plan = built.plan if self.plan_ok else None
        earlier = ({(r.assessment.vm.id, f.code, f.subject) for r in before.results for f in r.assessment.findings}
                   if before is not None else None)
        brought = [f for a in assessments.values() for f in a.findings
                   if f.severity is Severity.WARNING and earlier is not None
                   and (a.vm.id, f.code, f.subject) not in earlier]
        if blocked:
            self.validation.setText(self.tr("✘ %n VM(s) cannot be migrated with these settings:", "", len(blocked)))
            shown = [f for a in blocked for f in a.findings if f.severity is Severity.BLOCKER]
            self.problems.setText(self._grouped(shown + brought))
        elif not built.plan.items:
            self.validation.setText(self.tr("✘ No VM can be migrated with these settings."))
            self.problems.setText("")
        else:
            count = len(built.plan.items)
            self.validation.setText(
                self.tr("✔ The settings are valid for all %n VM(s).", "", count) if not brought else
                self.tr("✔ The settings are valid for all %n VM(s); your changes bring these warnings:", "", count))
            self.problems.setText(self._grouped(brought))
        self._show_values()
        self.completeChanged.emit()
        self.plan_ready.emit()

    def _grouped(self, findings: list[Finding]) -> str:
        """Each finding once, in words: its title, the VMs it concerns, and the fix in the wizard's words."""
        groups: dict[tuple[Severity, str, str], list[str]] = {}
        for f in findings:
            names = groups.setdefault((f.severity, finding_title(f.title), fix_text(f)), [])
            if f.vm_name not in names:
                names.append(f.vm_name)
        lines = []
        for (severity, title, fix), names in sorted(groups.items(), key=lambda g: g[0][0].rank):
            mark = "✘" if severity is Severity.BLOCKER else "⚠"
            line = self.tr("%1 %2 — %3.").replace("%1", mark).replace("%2", title).replace(
                "%3", self.list_separator().join(names))
            lines.append(f"{line} {fix}".rstrip())
        return "\n".join(lines)

    def _invalid(self, exc: BaseException) -> bool:
        self.plan_ok = False
        self.state.plan = None
        self.built = None
        self.validation.setText(self.tr("✘ %1").replace("%1", message_of(exc)))
        self.problems.setText("")
        self.plan_ready.emit()
        return True  # shown on the page, no dialog: the user is typing

    # -- showing the values of the VMs in scope ----------------------------------------------------------

    def _specs_in_scope(self) -> list[VMSpec]:
        assessments: dict[str, Assessment] = self.state.plan_assessments
        scope = self.scope.currentData() or ALL
        return [a.spec for a in assessments.values() if scope in (ALL, a.vm.name)]

    def _show_values(self) -> None:
        specs = self._specs_in_scope()
        if not specs:
            return
        self._filling = True
        try:
            for key, widget in self.fields.items():
                values: set[str] = set().union(*(READERS[key](s) for s in specs))
                one = next(iter(values)) if len(values) == 1 else None
                if isinstance(widget, MixedSpinBox):
                    numbers = [int(v) for v in values if v.isdigit()]
                    widget.show_value(int(one) if one is not None else None, min(numbers, default=0))
                elif isinstance(widget, QCheckBox):
                    widget.setTristate(one is None)
                    widget.setCheckState(Qt.CheckState.PartiallyChecked if one is None
                                         else Qt.CheckState.Checked if one == "true" else Qt.CheckState.Unchecked)
                elif isinstance(widget, QComboBox):
                    self._show_combo(widget, one if values else None)
            gen2 = any(s.generation == 2 for s in specs)
            for widget in (self.secure_boot, self.tpm, self.secure_boot_template):
                widget.setEnabled(gen2)  # Generation 1 has neither (a Generation 1 VM ignores them)
        finally:
            self._filling = False

    def _show_combo(self, combo: QComboBox, value: str | None) -> None:
        mixed = combo.findData(MIXED)
        if value is None:
            if mixed < 0:
                combo.addItem(self.tr("(mixed)"), MIXED)
                mixed = combo.count() - 1
            combo.setCurrentIndex(mixed)
            return
        if mixed >= 0:
            combo.removeItem(mixed)
        combo.setCurrentIndex(max(0, combo.findData(value)))

    def _show_changes(self) -> None:
        """One line naming what the user changed here and for which VMs (nothing: the template's values)."""
        parts = [self._describe(key, value) + " " + self.tr("(all ticked VMs)")
                 for key, value in self.state.sets_all.items()]
        for name, sets in self.state.sets_vm.items():
            parts += [self._describe(key, value) + " " + self.tr("(%1)").replace("%1", name)
                      for key, value in sets.items()]
        self.changes.setText(self.tr("Your changes: %1.").replace("%1", "; ".join(parts)) if parts else "")

    def _describe(self, key: str, value: str) -> str:
        widget = self.fields.get(key)
        label = {"generation": self.tr("Generation"), "cpus": self.tr("CPUs"), "memory": self.tr("Memory"),
                 "memory.dynamic": self.tr("Dynamic memory"), "secure_boot": self.tr("Secure Boot"),
                 "secure_boot_template": self.tr("Secure Boot template"), "tpm": self.tr("Virtual TPM"),
                 "disk.type": self.tr("Disks"), "checkpoint_type": self.tr("Checkpoints"),
                 "automatic_start_action": self.tr("When the host starts"),
                 "automatic_stop_action": self.tr("When the host shuts down"),
                 "guest.prepare_linux": self.tr("Prepare Linux guests")}.get(key, key)
        if isinstance(widget, QComboBox) and widget.findData(value) >= 0:
            shown = widget.itemText(widget.findData(value))
        elif isinstance(widget, QCheckBox):
            shown = self.tr("on") if value == "true" else self.tr("off")
        elif key == "memory":
            shown = self.tr("%1 MiB").replace("%1", value)
        else:
            shown = value
        return self.tr("%1: %2").replace("%1", label).replace("%2", shown)

    def isComplete(self) -> bool:  # noqa: N802
        return self.plan_ok and not self.busy and not self._debounce.isActive()

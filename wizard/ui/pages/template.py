"""Template & adjustments page: pick a template, override settings for all ticked VMs or one VM, with
live validation (the plan is rebuilt in the background a moment after each change)."""

from __future__ import annotations

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

from wizard.app.planning import PlanResult, build_plan, save_user_template, template_names
from wizard.core.plan import VMSpec
from wizard.ui.errors import message_of
from wizard.ui.pages.base import BusyBar, Page

ALL = ""
CHECKPOINTS = ("Disabled", "Production", "ProductionOnly", "Standard")
START_ACTIONS = ("Nothing", "StartIfRunning", "Start")


class TemplatePage(Page):
    plan_ready = Signal()  # after each background build, valid or not

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("How should the new VMs look?"))
        self.setSubTitle(self.tr("A template sets sensible values for each VM. Change any value for all ticked "
                                 "VMs or for one VM; the plan is checked as you type."))
        self.plan_ok = False
        self._filling = False
        self.template = QComboBox()
        self.scope = QComboBox()
        self.generation = QComboBox()
        self.generation.addItem(self.tr("Generation 2 (UEFI)"), "2")
        self.generation.addItem(self.tr("Generation 1 (BIOS)"), "1")
        self.cpus = QSpinBox()
        self.cpus.setRange(1, 240)
        self.memory = QSpinBox()
        self.memory.setRange(32, 12 * 1024 * 1024)
        self.memory.setSingleStep(512)
        self.memory.setSuffix(" MiB")
        self.dynamic = QCheckBox(self.tr("D&ynamic memory"))
        self.secure_boot = QCheckBox(self.tr("&Secure Boot"))
        self.tpm = QCheckBox(self.tr("Virtual T&PM"))
        self.disk_type = QComboBox()
        self.disk_type.addItem(self.tr("VHDX, dynamically expanding"), "dynamic")
        self.disk_type.addItem(self.tr("VHDX, fixed size"), "fixed")
        self.checkpoints = QComboBox()
        for value, text in zip(CHECKPOINTS, (self.tr("Disabled"), self.tr("Production"),
                                             self.tr("Production only"), self.tr("Standard")), strict=True):
            self.checkpoints.addItem(text, value)
        self.start_action = QComboBox()
        for value, text in zip(START_ACTIONS, (self.tr("Do nothing"), self.tr("Start if it was running"),
                                               self.tr("Always start")), strict=True):
            self.start_action.addItem(text, value)

        self.source_policy = QComboBox()
        self.source_policy.addItem(self.tr("Copy from a snapshot (removed afterwards)"), "auto")
        self.source_policy.addItem(self.tr("Shut down first (they stay off once migrated)"), "shutdown")
        self.source_policy.addItem(self.tr("Copy as they are (the copy may be inconsistent)"), "as-is")
        self.source_policy.setToolTip(self.tr(
            "How VMs that are running on vSphere are copied. A snapshot lets them keep serving; the copy has "
            "their state at the moment of the snapshot. Shutting down gives the final, complete state."))
        self.save_template = QPushButton(self.tr("Sa&ve as template…"))
        self.save_template.clicked.connect(lambda: self.save_as_template())
        template_row = QHBoxLayout()
        template_row.addWidget(self.template, 1)
        template_row.addWidget(self.save_template)
        template_label = QLabel(self.tr("&Template:"))
        template_label.setBuddy(self.template)
        top = QFormLayout()
        top.addRow(template_label, template_row)
        top.addRow(self.tr("&Apply changes to:"), self.scope)
        self.source_policy_label = QLabel(self.tr("&Running VMs:"))
        self.source_policy_label.setBuddy(self.source_policy)
        top.addRow(self.source_policy_label, self.source_policy)
        box = QGroupBox(self.tr("Settings"))
        form = QFormLayout(box)
        form.addRow(self.tr("&Generation:"), self.generation)
        cpu_row = QHBoxLayout()  # a count needs no full-width field (as memory beside it)
        cpu_row.addWidget(self.cpus)
        cpu_row.addStretch(1)
        cpus_label = QLabel(self.tr("&CPUs:"))
        cpus_label.setBuddy(self.cpus)
        form.addRow(cpus_label, cpu_row)
        mem_row = QHBoxLayout()
        mem_row.addWidget(self.memory)
        mem_row.addWidget(self.dynamic)
        mem_row.addStretch(1)
        memory_label = QLabel(self.tr("&Memory:"))
        memory_label.setBuddy(self.memory)
        form.addRow(memory_label, mem_row)
        sec_row = QHBoxLayout()
        sec_row.addWidget(self.secure_boot)
        sec_row.addWidget(self.tpm)
        sec_row.addStretch(1)
        form.addRow(self.tr("Security:"), sec_row)
        form.addRow(self.tr("&Disks:"), self.disk_type)
        form.addRow(self.tr("Chec&kpoints:"), self.checkpoints)
        form.addRow(self.tr("W&hen the host starts:"), self.start_action)
        self.validation = QLabel()
        self.validation.setTextFormat(Qt.TextFormat.PlainText)  # problems quote names from the source
        self.validation.setWordWrap(True)
        self.validation.setObjectName("validation")
        self.status = BusyBar()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(box)
        layout.addWidget(self.validation)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.rebuild)
        self.template.currentIndexChanged.connect(self._template_changed)
        self.scope.currentIndexChanged.connect(lambda _i: self._show_values())
        self.source_policy.currentIndexChanged.connect(lambda _i: self._policy_changed())
        self.generation.currentIndexChanged.connect(lambda _i: self._set("generation", self.generation.currentData()))
        self.cpus.valueChanged.connect(lambda v: self._set("cpus", str(v)))
        self.memory.valueChanged.connect(lambda v: self._set("memory", str(v)))
        self.dynamic.toggled.connect(lambda on: self._set("memory.dynamic", str(on).lower()))
        self.secure_boot.toggled.connect(lambda on: self._set("secure_boot", str(on).lower()))
        self.tpm.toggled.connect(lambda on: self._set("tpm", str(on).lower()))
        self.disk_type.currentIndexChanged.connect(lambda _i: self._set("disk.type", self.disk_type.currentData()))
        self.checkpoints.currentIndexChanged.connect(
            lambda _i: self._set("checkpoint_type", self.checkpoints.currentData()))
        self.start_action.currentIndexChanged.connect(
            lambda _i: self._set("automatic_start_action", self.start_action.currentData()))

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
            self.scope.addItem(self.tr("Only %1").replace("%1", vm.name), vm.name)
        # only vCenter/ESXi VMs can be snapshotted or shut down by hvmigrate; files are read as they are
        on_vsphere = self.state.source_ref.kind == "vsphere"
        self.source_policy_label.setVisible(on_vsphere)
        self.source_policy.setVisible(on_vsphere)
        self.source_policy.setCurrentIndex(max(self.source_policy.findData(self.state.source_policy), 0))
        self._filling = False
        self.state.template = self.template.currentData() or ""
        self.rebuild()

    def _policy_changed(self) -> None:
        if self._filling:
            return
        self.state.source_policy = self.source_policy.currentData() or "auto"
        self._schedule()

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

    def _set(self, key: str, value: str) -> None:
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

    def _schedule(self) -> None:
        self.plan_ok = False
        self.completeChanged.emit()
        self._debounce.start()

    def rebuild(self) -> None:
        """Build the plan in the background — the plan ``hvmigrate plan`` writes for the same answers — and
        show whether the settings are valid (the rules' blockers, as the command line reports them)."""
        st = self.state
        inventory, request, ref = st.inventory, st.plan_request(), st.source_ref
        assert inventory is not None

        def work(_p, _c):  # noqa: ANN001, ANN202
            return build_plan(inventory, request, ref)

        self.run(work, self._built, busy=self.status, text=self.tr("Checking the settings…"),
                 on_failure=self._invalid)

    def _built(self, built: PlanResult) -> None:
        self.state.plan = built.plan
        self.plan_ok = bool(built.plan.items)
        self.validation.setText(self.tr("✔ The settings are valid.") if self.plan_ok
                                else self.tr("✘ No VM can be migrated with these settings."))
        self._show_values()
        self.completeChanged.emit()
        self.plan_ready.emit()

    def _invalid(self, exc: BaseException) -> bool:
        self.plan_ok = False
        self.state.plan = None
        self.validation.setText(self.tr("✘ %1").replace("%1", message_of(exc)))
        self.plan_ready.emit()
        return True  # shown on the page, no dialog: the user is typing

    def _spec_for_scope(self) -> VMSpec | None:
        plan = self.state.plan
        if plan is None or not plan.items:
            return None
        scope = self.scope.currentData() or ALL
        for item in plan.items:
            if scope in (ALL, item.vm.name):
                return item.target
        return None

    def _show_values(self) -> None:
        spec = self._spec_for_scope()
        if spec is None:
            return
        self._filling = True
        self.generation.setCurrentIndex(max(0, self.generation.findData(str(spec.generation))))
        self.cpus.setValue(spec.cpus)
        self.memory.setValue(spec.memory.startup_mb)
        self.dynamic.setChecked(spec.memory.dynamic)
        self.secure_boot.setChecked(spec.secure_boot and spec.generation == 2)
        self.secure_boot.setEnabled(spec.generation == 2)
        self.tpm.setChecked(spec.tpm)
        self.tpm.setEnabled(spec.generation == 2)
        if spec.disks:
            self.disk_type.setCurrentIndex(max(0, self.disk_type.findData(spec.disks[0].type.value)))
        self.checkpoints.setCurrentIndex(max(0, self.checkpoints.findData(spec.checkpoint_type)))
        self.start_action.setCurrentIndex(max(0, self.start_action.findData(spec.automatic_start_action)))
        self._filling = False

    def isComplete(self) -> bool:  # noqa: N802
        return self.plan_ok and not self.busy and not self._debounce.isActive()

"""Compatibility page: a traffic light per VM, its findings with explanation and fix, adjustable choices,
and export of the report. Next is allowed only when no ticked VM is blocked."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wizard.app.planning import assess_vms
from wizard.app.reports import write_assessment_report
from wizard.core.findings import Assessment, Finding, Severity
from wizard.ui.finding_titles import title as finding_title
from wizard.ui.icons import status_icon
from wizard.ui.pages.base import BusyBar, Page


class CompatibilityPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Can these VMs run on Hyper-V?"))
        self.setSubTitle(self.tr("Red: blocked until fixed or unticked. Amber: works, but read the warning. "
                                 "Green: nothing to do."))
        self._assessed_for: list[str] = []
        self.vms = QTreeWidget()
        self.vms.setHeaderLabels([self.tr("VM"), self.tr("Status")])
        self.vms.setRootIsDecorated(False)
        self.findings = QTreeWidget()
        self.findings.setHeaderLabels([self.tr("Severity"), self.tr("Finding")])
        self.findings.setRootIsDecorated(False)
        self.explain = QTextBrowser()
        self.explain.setOpenExternalLinks(True)
        self.choices_box = QGroupBox(self.tr("Choices"))
        self.choices_form = QFormLayout(self.choices_box)
        self.choices_box.setVisible(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.status = BusyBar()
        self.export_html = QPushButton(self.tr("Export &HTML…"))
        self.export_csv = QPushButton(self.tr("Export &CSV…"))

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.findings, 2)
        right_layout.addWidget(self.explain, 2)
        right_layout.addWidget(self.choices_box)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.vms)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.export_html)
        bottom.addWidget(self.export_csv)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.summary)
        layout.addLayout(bottom)

        self.vms.currentItemChanged.connect(lambda *_: self._show_vm())
        self.vms.itemChanged.connect(self._vm_ticked)
        self.findings.currentItemChanged.connect(lambda *_: self._show_finding())
        self.export_html.clicked.connect(lambda: self.export("html"))
        self.export_csv.clicked.connect(lambda: self.export("csv"))

    def _severity_text(self, severity: Severity | None) -> str:
        return {None: self.tr("Ready"), Severity.BLOCKER: self.tr("Blocked"), Severity.WARNING: self.tr("Warning"),
                Severity.INFO: self.tr("Note")}[severity]

    # -- assessment ----------------------------------------------------------------------------------

    def initializePage(self) -> None:  # noqa: N802
        if self._assessed_for != self.state.selected or not self.state.assessments:
            self.assess()
        else:
            self._fill()

    def assess(self) -> None:
        vms = self.state.selected_vms()
        version = self.state.target_version
        template, choices = self.state.template or None, dict(self.state.choices)
        selected = list(self.state.selected)
        self.vms.clear()
        self.findings.clear()
        self.explain.clear()

        def work(progress, cancel):  # noqa: ANN001, ANN202
            return assess_vms(vms, target_version=version, template=template, per_vm=choices)

        def done(result: list[Assessment]) -> None:
            self.state.assessments = {a.vm.id: a for a in result}
            self._assessed_for = selected
            self._fill()

        self.run(work, done, busy=self.status, text=self.tr("Checking %n VM(s)…", "", len(vms)))

    def _fill(self) -> None:
        self.vms.blockSignals(True)
        self.vms.clear()
        for vm in self.state.selected_vms() + self._deselected():
            a = self.state.assessments.get(vm.id)
            if a is None:
                continue
            item = QTreeWidgetItem([vm.name, self._severity_text(a.status)])
            item.setIcon(0, status_icon(a.status))
            item.setData(0, Qt.ItemDataRole.UserRole, vm.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if vm.id in self.state.selected else Qt.CheckState.Unchecked)
            self.vms.addTopLevelItem(item)
        self.vms.blockSignals(False)
        self.vms.resizeColumnToContents(0)
        self.vms.setColumnWidth(0, self.vms.columnWidth(0) + self.fontMetrics().averageCharWidth() * 2)  # air
        if self.vms.topLevelItemCount():
            self.vms.setCurrentItem(self.vms.topLevelItem(0))
        self._update_summary()
        self.completeChanged.emit()

    def _deselected(self) -> list:
        ids = set(self.state.selected)
        return [a.vm for vid, a in self.state.assessments.items() if vid not in ids]

    def _vm_ticked(self, item: QTreeWidgetItem, _column: int) -> None:
        vm_id = item.data(0, Qt.ItemDataRole.UserRole)
        on = item.checkState(0) == Qt.CheckState.Checked
        order = [vm.id for vm in (self.state.inventory.vms if self.state.inventory else [])]
        chosen = set(self.state.selected) | {vm_id} if on else set(self.state.selected) - {vm_id}
        self.state.selected = [i for i in order if i in chosen]
        self._assessed_for = list(self.state.selected)
        self._update_summary()
        self.completeChanged.emit()

    def _update_summary(self) -> None:
        chosen = [self.state.assessments[i] for i in self.state.selected if i in self.state.assessments]
        blocked = sum(a.blocked for a in chosen)
        warned = sum(a.status is Severity.WARNING for a in chosen)
        text = self.tr("%1 VM(s) ticked: %2 blocked, %3 with warnings.").replace("%1", str(len(chosen))).replace(
            "%2", str(blocked)).replace("%3", str(warned))
        if blocked:
            text += " " + self.tr("Fix or untick the blocked VMs to continue.")
        self.summary.setText(text)

    # -- details -------------------------------------------------------------------------------------

    def _current(self) -> Assessment | None:
        item = self.vms.currentItem()
        return self.state.assessments.get(item.data(0, Qt.ItemDataRole.UserRole)) if item else None

    def _show_vm(self) -> None:
        self.findings.clear()
        a = self._current()
        if a is None:
            return
        for f in sorted(a.findings, key=lambda f: f.severity.rank):
            item = QTreeWidgetItem([self._severity_text(f.severity), finding_title(f.title)])
            item.setIcon(0, status_icon(f.severity))
            item.setData(0, Qt.ItemDataRole.UserRole, f)
            self.findings.addTopLevelItem(item)
        self.findings.resizeColumnToContents(0)
        if a.findings:
            self.findings.setCurrentItem(self.findings.topLevelItem(0))
        else:
            self.explain.setHtml("<p>" + html.escape(self.tr("No problems found: this VM can be migrated as it is."))
                                 + "</p>")
            self.choices_box.setVisible(False)

    def _show_finding(self) -> None:
        item = self.findings.currentItem()
        if item is None:
            return
        f: Finding = item.data(0, Qt.ItemDataRole.UserRole)
        parts = [f"<h3>{html.escape(finding_title(f.title))}</h3>", f"<p>{html.escape(f.message)}</p>"]
        if f.fix:
            label = self.tr("Done automatically:") if f.adjusted else self.tr("What to do:")
            parts.append(f"<p><b>{html.escape(label)}</b> {html.escape(f.fix)}</p>")
        if f.reference:
            source_label = self.tr("Source:")
            parts.append(f"<p><small>{html.escape(source_label)} {html.escape(f.reference)}</small></p>")
        self.explain.setHtml("".join(parts))
        self._show_choices(f)

    def _show_choices(self, f: Finding) -> None:
        while self.choices_form.rowCount():
            self.choices_form.removeRow(0)
        shown = {"true": self.tr("Yes"), "false": self.tr("No")}  # the rules' values; the combo shows words
        for choice in f.choices:
            combo = QComboBox()
            for option in choice.options:
                combo.addItem(shown.get(option, option), option)
            current = self.state.choices.get(f.vm_name, {}).get(choice.key) or choice.selected or choice.default
            if current in choice.options:
                combo.setCurrentIndex(choice.options.index(current))
            combo.currentIndexChanged.connect(
                lambda _i, box=combo, c=choice, vm=f.vm_name: self._choose(vm, c.key, box.currentData()))
            self.choices_form.addRow(choice.label + ":", combo)
        self.choices_box.setVisible(bool(f.choices))

    def _choose(self, vm_name: str, key: str, value: str) -> None:
        self.state.choices.setdefault(vm_name, {})[key] = value
        self.assess()

    # -- leaving -------------------------------------------------------------------------------------

    def isComplete(self) -> bool:  # noqa: N802
        if self.busy or not self.state.selected:
            return False
        return all(i in self.state.assessments and not self.state.assessments[i].blocked for i in self.state.selected)

    def export(self, kind: str, path: str | None = None) -> None:
        if path is None:
            filt = self.tr("HTML report (*.html)") if kind == "html" else self.tr("CSV file (*.csv)")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the compatibility report"),
                                                  f"compatibility.{kind}", filt)
            if not path:
                return
        assessments = list(self.state.assessments.values())
        source, version = self.source_name(self.state.source, self.state.source_text), self.state.target_version
        self.run(lambda _p, _c: write_assessment_report(kind, path, assessments, source=source,
                                                        target_version=version),
                 lambda _r: self.status.stop(self.tr("Saved %1.").replace("%1", path)), busy=self.status,
                 text=self.tr("Saving…"))

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
from wizard.core.text import visible
from wizard.ui.finding_fixes import WIZARD_WORDS, PlanChange, fix_text, plan_changes
from wizard.ui.finding_titles import text as shown_text
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
        # the plan changes a finding offers, one button each ("Leave this disk out"); only those that do not
        # block the VM for another reason are enabled, the others say why
        self.fix_box = QGroupBox(self.tr("Fix it here"))
        self.fix_layout = QVBoxLayout(self.fix_box)
        self.fix_box.setVisible(False)
        self.offers: dict[tuple[str, str, str], list[tuple[PlanChange, Finding | None]]] = {}
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
        right_layout.addWidget(self.fix_box)
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

    def assess(self, keep_listed: bool = False) -> None:
        """Assess the ticked VMs (``keep_listed``: and the unticked ones the list shows, after a choice or a
        fix, so a VM being fixed stays in view), and find which offered fixes would not block a VM again."""
        vms = self.state.selected_vms()
        if keep_listed:
            vms += [vm for vm in self._deselected() if vm not in vms]
        version = self.state.target_version
        template = self.state.template or None
        choices = {name: dict(chosen) for name, chosen in self.state.choices.items()}
        selected = list(self.state.selected)
        current = self._current()
        keep = current.vm.id if current is not None else ""
        self.vms.clear()
        self.findings.clear()
        self.explain.clear()

        def work(progress, cancel):  # noqa: ANN001, ANN202 - worker thread: no widgets here
            result = assess_vms(vms, target_version=version, template=template, per_vm=choices)
            return result, _offers(result, version, template, choices, cancel)

        def done(outcome: tuple) -> None:
            result, offers = outcome
            self.state.assessments = {a.vm.id: a for a in result}
            self.offers = offers
            self._assessed_for = selected
            self._fill(keep)

        self.run(work, done, busy=self.status, text=self.tr("Checking %n VM(s)…", "", len(vms)))

    def _fill(self, keep: str = "") -> None:
        self.vms.blockSignals(True)
        self.vms.clear()
        for vm in self.state.selected_vms() + self._deselected():
            a = self.state.assessments.get(vm.id)
            if a is None:
                continue
            item = QTreeWidgetItem([visible(vm.name), self._severity_text(a.status)])
            item.setIcon(0, status_icon(a.status))
            item.setData(0, Qt.ItemDataRole.UserRole, vm.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if vm.id in self.state.selected else Qt.CheckState.Unchecked)
            self.vms.addTopLevelItem(item)
        self.vms.blockSignals(False)
        self.vms.resizeColumnToContents(0)
        self.vms.setColumnWidth(0, self.vms.columnWidth(0) + self.fontMetrics().averageCharWidth() * 2)  # air
        if self.vms.topLevelItemCount():
            items = [self.vms.topLevelItem(i) for i in range(self.vms.topLevelItemCount())]
            shown = next((i for i in items if i.data(0, Qt.ItemDataRole.UserRole) == keep), items[0])
            self.vms.setCurrentItem(shown)
        self._update_summary()
        self.completeChanged.emit()

    def _deselected(self) -> list:
        ids = set(self.state.selected)
        return [a.vm for vid, a in self.state.assessments.items() if vid not in ids]

    def _vm_ticked(self, item: QTreeWidgetItem, _column: int) -> None:
        vm_id = item.data(0, Qt.ItemDataRole.UserRole)
        on = item.checkState(0) == Qt.CheckState.Checked
        chosen = set(self.state.selected) | {vm_id} if on else set(self.state.selected) - {vm_id}
        self.state.select(chosen)  # the one selection: the Inventory page shows it too after Back
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
            self.fix_box.setVisible(False)

    def _show_finding(self) -> None:
        item = self.findings.currentItem()
        if item is None:
            return
        f: Finding = item.data(0, Qt.ItemDataRole.UserRole)
        parts = [f"<h3>{html.escape(finding_title(f.title))}</h3>", f"<p>{html.escape(shown_text(f.message))}</p>"]
        if f.fix:
            label = self.tr("Done automatically:") if f.adjusted else self.tr("What to do:")
            parts.append(f"<p><b>{html.escape(label)}</b> {html.escape(fix_text(f))}</p>")
        if f.reference:
            source_label = self.tr("Source:")
            parts.append(f"<p><small>{html.escape(source_label)} {html.escape(f.reference)}</small></p>")
        self.explain.setHtml("".join(parts))
        self._show_fixes(f)
        self._show_choices(f)

    def _show_fixes(self, f: Finding) -> None:
        """One button per plan change the finding offers; a change that would block the VM for another reason
        (leaving out the only, boot, disk) is shown disabled with that reason instead of sending the user in a
        circle."""
        while self.fix_layout.count():
            widget = self.fix_layout.takeAt(0).widget()
            if widget is not None:
                widget.setParent(None)  # gone from the page now, not at the next turn of the event loop
                widget.deleteLater()
        offers = self.offers.get((f.vm_id, f.code, f.subject), [])
        for change, new_blocker in offers:
            button = QPushButton(change.label)
            button.setObjectName("fixButton")
            button.setEnabled(new_blocker is None)
            button.clicked.connect(lambda _=False, c=change, vm=f.vm_name: self.apply_fix(vm, c))
            self.fix_layout.addWidget(button)
            if new_blocker is not None:
                why = QLabel(self.tr("Not offered: it would block this VM for another reason. %1: %2")
                             .replace("%1", finding_title(new_blocker.title))
                             .replace("%2", shown_text(new_blocker.message)))
                why.setWordWrap(True)
                why.setTextFormat(Qt.TextFormat.PlainText)
                self.fix_layout.addWidget(why)
        self.fix_box.setVisible(bool(offers))

    def apply_fix(self, vm_name: str, change: PlanChange) -> None:
        """Make ``change`` for the VM (as its choices: the plan and the command line's ``--set-vm`` twins) and
        check again."""
        self.state.choices.setdefault(vm_name, {}).update(change.as_dict())
        self.assess(keep_listed=True)

    def _show_choices(self, f: Finding) -> None:
        while self.choices_form.rowCount():
            self.choices_form.removeRow(0)
        shown = {"true": self.tr("Yes"), "false": self.tr("No"),  # the rules' values; the combo shows words
                 "drop": self.tr("drop"), "convert": self.tr("convert"), "block": self.tr("block")}
        if f.severity is Severity.BLOCKER and self.offers.get((f.vm_id, f.code, f.subject)):
            self.choices_box.setVisible(False)  # the fix buttons say it in words
            return
        for choice in f.choices:
            combo = QComboBox()
            labels = choice.labels if len(choice.labels) == len(choice.options) else choice.options
            for option, label in zip(choice.options, labels, strict=True):
                combo.addItem(shown.get(option) or shown_text(label), option)
            current = self.state.choices.get(f.vm_name, {}).get(choice.key) or choice.selected or choice.default
            if current in choice.options:
                combo.setCurrentIndex(choice.options.index(current))
            combo.currentIndexChanged.connect(
                lambda _i, box=combo, c=choice, vm=f.vm_name: self._choose(vm, c.key, box.currentData()))
            self.choices_form.addRow(shown_text(choice.label) + self.tr(":"), combo)
        self.choices_box.setVisible(bool(f.choices))

    def _choose(self, vm_name: str, key: str, value: str) -> None:
        self.state.choices.setdefault(vm_name, {})[key] = value
        self.assess(keep_listed=True)

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
                                                        target_version=version, words=WIZARD_WORDS),
                 lambda _r: self.status.stop(self.tr("Saved %1.").replace("%1", path)), busy=self.status,
                 text=self.tr("Saving…"))


def _offers(result: list[Assessment], version: str, template: str | None, choices: dict[str, dict[str, str]],
            cancel) -> dict[tuple[str, str, str], list[tuple[PlanChange, Finding | None]]]:  # noqa: ANN001
    """For each finding that offers plan changes (a blocker: its choices and its fix; another finding: the
    change its fix names), each change with the blocker it would bring (None: it blocks nothing new). Each
    change is tried by assessing the VM with it, as the plan would be built."""
    out: dict[tuple[str, str, str], list[tuple[PlanChange, Finding | None]]] = {}
    for a in result:
        mine = choices.get(a.vm.name, {})
        blockers = {(g.code, g.subject) for g in a.findings if g.severity is Severity.BLOCKER}
        for f in a.findings:
            # another finding's choices stay in the Choices box; only the change its fix names is a button
            changes = plan_changes(f, mine, from_choices=f.severity is Severity.BLOCKER)
            tried = []
            for change in changes:
                cancel.check()
                after = assess_vms([a.vm], target_version=version, template=template,
                                   per_vm={a.vm.name: {**mine, **change.as_dict()}})[0]
                now = [g for g in after.findings if g.severity is Severity.BLOCKER]
                if f.severity is Severity.BLOCKER and any((g.code, g.subject) == (f.code, f.subject) for g in now):
                    continue  # does not lift this blocker: not a fix
                new = next((g for g in now if (g.code, g.subject) not in blockers), None)
                tried.append((change, new))
            if tried:
                out[(a.vm.id, f.code, f.subject)] = tried
    return out

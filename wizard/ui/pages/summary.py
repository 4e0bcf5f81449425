"""Summary page: the plan the migration will run, with space and time estimates; save it; Start begins the
migration (an earlier, interrupted run of the same plan is offered for resuming first)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from wizard.app.migration import REFUSE, RESTART, RESUME, InterruptedWork
from wizard.core.errors import HvmError
from wizard.core.findings import Severity
from wizard.core.plan import ASSUMED_RATE, Plan
from wizard.core.units import human_bytes, human_duration
from wizard.ui.errors import show_error
from wizard.ui.pages.base import BusyBar, Page


class SummaryPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Ready to migrate"))
        self.setSubTitle(self.tr("Check the plan. Save it to run it later from the command line, or start now."))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Start migration"))
        self.text = QTextBrowser()
        self.save = QPushButton(self.tr("Sa&ve plan…"))
        self.status = BusyBar()
        self.fixups = QCheckBox(self.tr("Run the guest &fix-ups after creating each VM (remove VMware Tools, "
                                        "re-apply static IPs, bring disks online)"))
        self.fixups.setToolTip(self.tr("On a Hyper-V host they run inside the new guest; for a bundle they are "
                                       "written down as steps to follow after the import."))
        row = QHBoxLayout()
        row.addWidget(self.save)
        row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.fixups)
        layout.addLayout(row)
        self.save.clicked.connect(lambda: self.save_plan())
        self.plan: Plan | None = None
        self.interrupted_prompt: QMessageBox | None = None
        self._started = False

    def initializePage(self) -> None:  # noqa: N802
        self.plan = None
        self._started = False
        self.fixups.setChecked(self.state.fixups)
        self.text.setHtml(html.escape(self.tr("Preparing the plan…")))
        page = self.wiz.page(self.wiz.TEMPLATE)
        page.plan_ready.connect(self._ready, Qt.ConnectionType.SingleShotConnection)
        page.rebuild()  # with the network map from the previous page
        self.job = page.job
        self.completeChanged.emit()

    def _ready(self) -> None:
        self.job = None
        st = self.state
        if st.plan is None:
            self.text.setHtml(html.escape(self.tr("The plan could not be built; go back to the templates page.")))
            self.completeChanged.emit()
            return
        self.plan = st.plan
        self.text.setHtml(self.render(self.plan))
        self.completeChanged.emit()

    def render(self, plan: Plan) -> str:
        st = self.state
        space, seconds = plan.estimate()
        free = st.target_info.free_bytes if st.target_info else None
        e = html.escape
        rows = []
        for item in plan.items:
            t = item.target
            disks = sum(d.capacity_bytes for d in t.disks if d.include)
            nets = self.list_separator().join(sorted({n.switch or self.tr("not connected") for n in t.nics})) or "-"
            warnings = sum(f.severity is Severity.WARNING for f in (st.assessments.get(item.vm.id).findings
                                                                     if item.vm.id in st.assessments else []))
            rows.append(f"<tr><td>{e(t.name)}</td><td>{t.generation}</td><td>{t.cpus}</td>"
                        f"<td>{e(human_bytes(t.memory.startup_mb * 1024 * 1024))}</td>"
                        f"<td>{len(t.disks)} · {e(human_bytes(disks))}</td><td>{e(nets)}</td><td>{warnings}</td></tr>")
        # bottom: a Latin-only header ("CPU") next to taller CJK ones would otherwise sit higher than its neighbours
        head = "".join(f"<th align=left valign=bottom>{e(h)}</th>" for h in (
            self.tr("VM"), self.tr("Generation"), self.tr("CPUs"), self.tr("Memory"), self.tr("Disks"),
            self.tr("Switches"), self.tr("Warnings")))
        from_label, to_label = self.tr("From:"), self.tr("To:")
        lines = [
            f"<p><b>{e(from_label)}</b> {e(self.source_name(st.source, st.source_text))}<br>"
            f"<b>{e(to_label)}</b> {e(st.target.describe() if st.target else '')}</p>",
            f"<table cellspacing=0 cellpadding=4 width='100%'><tr>{head}</tr>{''.join(rows)}</table>",
            "<p>" + e(self.tr("Estimated space needed: %1. Estimated time: %2 (at about %3/s).")
                      .replace("%1", human_bytes(space)).replace("%2", human_duration(seconds))
                      .replace("%3", human_bytes(ASSUMED_RATE))) + "</p>",
        ]
        if free is not None and free < space:
            lines.append("<p><b>" + e(self.tr("Not enough free space on the target: %1 free.")
                                      .replace("%1", human_bytes(free))) + "</b></p>")
        return "".join(lines)

    def save_plan(self, path: str | None = None) -> None:
        if self.plan is None:
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the plan"), "plan.json",
                                                  self.tr("Plan files (*.json)"))
            if not path:
                return
        plan = self.plan
        self.run(lambda _p, _c: plan.save(path), lambda _r: self._saved(path), busy=self.status,
                 text=self.tr("Saving…"))

    def _saved(self, path: str) -> None:
        self.state.plan_path = path
        self.status.stop(self.tr("Plan saved to %1.").replace("%1", path))

    def isComplete(self) -> bool:  # noqa: N802
        return self.plan is not None and bool(self.plan.items) and not self.busy

    def validatePage(self) -> bool:  # noqa: N802
        """Start: prepare the migration (re-check, target, journal); an interrupted run of the same plan into
        the same target is offered for resuming instead of being thrown away."""
        if self._started:
            return True
        if self.plan is None:
            return False
        self.state.plan, self.state.fixups = self.plan, self.fixups.isChecked()
        return self._begin(REFUSE)

    def _begin(self, existing: str) -> bool:
        try:
            self.wiz.prepare_migration(existing)
        except InterruptedWork:
            self._ask_interrupted()
            return False
        except HvmError as exc:
            self.wiz.error_dialog = show_error(self, exc, self.tr("The migration cannot start"))
            return False
        self._started = True
        return True

    def _ask_interrupted(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Resume the earlier migration?"),
                          self.tr("An earlier migration of these VMs to this target stopped before it finished."),
                          QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText(self.tr("Resuming keeps the VMs and disks it finished. Starting over converts "
                                       "everything again."))
        resume = box.addButton(self.tr("&Resume"), QMessageBox.ButtonRole.AcceptRole)
        restart = box.addButton(self.tr("Start &over"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(resume)

        def answered() -> None:
            self.interrupted_prompt = None
            chosen = {resume: RESUME, restart: RESTART}.get(box.clickedButton())
            if chosen is not None and self._begin(chosen):
                self.wiz.next()

        box.finished.connect(answered)
        self.interrupted_prompt = box
        box.open()

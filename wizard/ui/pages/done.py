"""Done page: what happened, the report, the output folder, and what to check on each new VM."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from wizard.app.reports import write_assessment_report
from wizard.ui.errors import message_of
from wizard.ui.pages.base import BusyBar, Page
from wizard.ui.run_adapter import DONE


class DonePage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Finished"))
        self.setFinalPage(True)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.result.setObjectName("result")
        self.checklist = QTextBrowser()
        self.open_folder = QPushButton(self.tr("&Open output folder"))
        self.open_report = QPushButton(self.tr("Open the &report"))
        self.status = BusyBar()
        row = QHBoxLayout()
        row.addWidget(self.open_folder)
        row.addWidget(self.open_report)
        row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.result)
        layout.addWidget(self.checklist, 1)
        layout.addLayout(row)
        self.open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.output_folder())))
        self.open_report.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.state.report_path)))

    def output_folder(self) -> str:
        t = self.state.target
        return t.folder if t is not None and t.kind == "bundle" else str(Path.home())

    def initializePage(self) -> None:  # noqa: N802
        st = self.state
        runner = st.runner
        states = runner.states if runner is not None else {}
        done = [n for n, s in states.items() if s == DONE]
        failed = [n for n, s in states.items() if s != DONE]
        failed += [item.target.name for item, _why in (st.migration.blocked if st.migration is not None else [])]
        self.setSubTitle(self.tr("%1 of %2 VMs were migrated.").replace("%1", str(len(done))).replace(
            "%2", str(len(done) + len(failed))))
        text = self.tr("Migrated: %1.").replace("%1", self.list_separator().join(done) or self.tr("none"))
        if failed:
            text += " " + self.tr("Not migrated: %1.").replace("%1", self.list_separator().join(failed))
        self.result.setText(text)
        self.checklist.setHtml(self.render_checklist(done))
        self.open_folder.setEnabled(st.target is not None and st.target.kind == "bundle")
        self.open_report.setEnabled(False)
        self.write_report()

    def render_checklist(self, done: list[str]) -> str:
        e = html.escape
        st = self.state
        items = {(i.target.name or i.vm.name): i for i in (st.plan.items if st.plan else [])}
        heading = self.tr("What to check on each new VM")
        parts = [f"<h3>{e(heading)}</h3>"]
        for name in done:
            item = items.get(name)
            checks = [self.tr("Start it and sign in; the first start takes longer while drivers settle."),
                      self.tr("Check that every disk is online and has its drive letter or mount point.")]
            if item is not None and item.target.nics:
                checks.append(self.tr("Check the network: IP address, gateway and DNS; ping a server."))
            if item is not None and item.vm.guest.family == "windows":
                checks.append(self.tr("Windows may ask to be activated again after the hardware change."))
                checks.append(self.tr("Remove VMware Tools if it is still listed in Apps."))
            elif item is not None and item.vm.guest.family == "linux":
                checks.append(self.tr("Check that the Hyper-V drivers (hv_vmbus, hv_storvsc, hv_netvsc) are loaded."))
            checks.append(self.tr("Keep the source VM switched off until you are satisfied, then retire it."))
            parts.append(f"<p><b>{e(name)}</b></p><ul>" + "".join(f"<li>{e(c)}</li>" for c in checks) + "</ul>")
        if st.target is not None and st.target.kind == "bundle":
            parts.append("<p>" + e(self.tr("The import bundle is in %1. Copy it to the Hyper-V host and run "
                                           "the import script in it.").replace("%1", st.target.folder)) + "</p>")
        return "".join(parts)

    def write_report(self) -> None:
        """End the migration (its journal and target are closed; an unfinished one stays resumable) and write
        its report — or, when nothing ran, the compatibility report."""
        st = self.state
        path = str(Path(self.output_folder()) / "hvmigrate-report.html")
        chosen = set(st.selected)
        assessments = [st.assessments[i] for i in st.selected if i in st.assessments]
        left_out = [a for i, a in st.assessments.items() if i not in chosen]
        migration = st.migration
        source = self.source_name(st.source, st.source_text)
        version = st.target_version

        def write(_p, _c):  # noqa: ANN001, ANN202
            if migration is not None:
                migration.finish(path, left_out=left_out, source_text=source)
            else:
                write_assessment_report("html", path, assessments, source=source, target_version=version)

        def saved(_r: object) -> None:
            st.report_path = path
            self.open_report.setEnabled(True)
            self.status.stop(self.tr("Report saved to %1.").replace("%1", path))

        self.run(write, saved, busy=self.status,
                 text=self.tr("Writing the report…"), on_failure=self._report_failed)

    def _report_failed(self, exc: BaseException) -> bool:
        reason = message_of(exc)
        self.status.stop(self.tr("The report could not be written: %1").replace("%1", reason))
        return True

    def isComplete(self) -> bool:  # noqa: N802
        return True

"""Progress page: a row per VM (stage, one forward-only bar over all its disks, speed, time left, state), an
overall bar of the share migrated with the VMs counted by outcome (migrated / failed / cancelled / skipped)
and the time left, a log that can be saved, and cancel / skip / retry per VM or for all. Updates arrive only
through the run adapter's signals; the work is the one scheduler's (:mod:`wizard.ui.run_adapter`).

VMs planned with *Synchronise, then cut over* have a table of their own above (:mod:`wizard.ui.pages.sync_panel`,
fed by :mod:`wizard.ui.sync_adapter`): they keep syncing until the user cuts them over, so the page is complete
only once they are cut over (or failed, or stopped) as well."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from wizard.core.errors import HvmError, InputError
from wizard.core.progress import ProgressEvent
from wizard.core.serial import write_text_atomic
from wizard.core.text import visible
from wizard.core.units import human_duration
from wizard.ui.errors import ErrorDialog, ask_destructive, describe, show_error
from wizard.ui.finding_titles import text as shown_text
from wizard.ui.models.delegates import ProgressBarDelegate, fit_column
from wizard.ui.models.progress import COL_BAR, COL_ETA, COL_NAME, COL_RATE, COL_STAGE, COL_STATE, ProgressModel
from wizard.ui.pages.base import Page, enter_activates
from wizard.ui.pages.sync_panel import SyncPanel
from wizard.ui.run_adapter import CANCELLED, FAILED, FINAL, QUEUED, RUNNING, SKIPPED, RunAdapter
from wizard.ui.sync_adapter import SyncAdapter


class ProgressPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Migrating"))
        self.setSubTitle(self.tr("You can keep working while this runs. Select a VM to cancel, skip or retry it."))
        # once the migration has run there is no way back: Back on the Done page would only show this page again
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Next >"))
        self.runner: RunAdapter | None = None
        self.model: ProgressModel | None = None
        self.sync_runner: SyncAdapter | None = None
        self.sync_panel = SyncPanel()
        self.sync_panel.setVisible(False)
        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setItemDelegateForColumn(COL_BAR, ProgressBarDelegate(self.table))
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.activated.connect(lambda _index: self.show_vm_error())
        enter_activates(self.table, lambda index: self.model is not None
                        and self.model.rows[self.model.names[index.row()]]["state"] == FAILED)
        self.overall = QProgressBar()
        self.overall.setRange(0, 1000)
        self.overall_label = QLabel()
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(5000)
        self.cancel_vm = QPushButton(self.tr("&Cancel VM"))
        self.skip_vm = QPushButton(self.tr("S&kip VM"))
        self.retry_vm = QPushButton(self.tr("&Retry VM"))
        self.cancel_all = QPushButton(self.tr("Cancel &all"))
        self.retry_failed = QPushButton(self.tr("Retry &failed"))
        self.why = QPushButton(self.tr("&Why did it fail?"))
        self.why.setToolTip(self.tr("Show the error of the selected VM: what went wrong and how to fix it"))
        self.save_log = QPushButton(self.tr("Save &log…"))
        self.save_log.setToolTip(self.tr("Save the log below to a text file (to keep it, or to send it to support)"))
        self.save_dialog: QFileDialog | None = None
        buttons = QHBoxLayout()
        for b in (self.cancel_vm, self.skip_vm, self.retry_vm, self.why):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.save_log)
        buttons.addWidget(self.retry_failed)
        buttons.addWidget(self.cancel_all)
        # the other VMs' table with its buttons and overall bar (hidden when every VM is synchronised)
        self.others = QWidget()
        others = QVBoxLayout(self.others)
        others.setContentsMargins(0, 0, 0, 0)
        others.addWidget(self.table, 1)
        over = QHBoxLayout()
        over.addWidget(self.overall, 1)
        over.addWidget(self.overall_label)
        others.addLayout(over)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.sync_panel)
        split.addWidget(self.others)
        split.addWidget(self.log)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.cancel_vm.clicked.connect(lambda: self._each(lambda r, n: r.cancel_vm(n)))
        self.skip_vm.clicked.connect(lambda: self._each(lambda r, n: r.skip_vm(n)))
        self.retry_vm.clicked.connect(lambda: self._each(lambda r, n: r.retry_vm(n)))
        self.cancel_all.clicked.connect(self.ask_stop_all)
        self.stop_prompt: QMessageBox | None = None
        self._ended = False  # the end of the current stretch of work was handled (see _finished)
        self.retry_failed.clicked.connect(self._retry_failed)
        self.why.clicked.connect(self.show_vm_error)
        self.save_log.clicked.connect(self.ask_save_log)

    def initializePage(self) -> None:  # noqa: N802
        st = self.state
        assert st.runner is not None and st.migration is not None, "the Summary page prepares the migration"
        names = list(st.runner.states)
        # VMs weigh by the size of their disks in the overall bar and the time left overall
        weights = {item.target.name: sum(d.capacity_bytes for d in item.target.disks if d.include)
                   for item in st.migration.plan.items}
        self.model = ProgressModel(names, self, weights=weights)
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._size_columns()
        self.log.clear()
        self.runner = st.runner
        self.runner.event.connect(self._event)
        self.runner.state.connect(self._state)
        self.runner.log_line.connect(self._log_line)
        self.runner.finished.connect(self._finished)
        self.others.setVisible(bool(names) or st.sync_runner is None)
        for button in (self.cancel_vm, self.skip_vm, self.retry_vm, self.why, self.retry_failed):
            button.setVisible(self.others.isVisibleTo(self))  # they act on the other VMs' table only
        if names or st.sync_runner is None:
            self._log("info", self.tr("Migration of %n VM(s) started.", "", len(names)))
        for item, why in st.migration.blocked:  # the re-check left these out; say so, do not hide them
            self._log("error", self.tr("%1: left out: %2").replace("%1", visible(item.target.name))
                      .replace("%2", shown_text(why.message)))
        self._start_sync()
        self.runner.start()
        self._update_buttons()

    def _start_sync(self) -> None:
        """The plan's ``sync`` VMs: their own table, started on the engine's threads (returns at once)."""
        st = self.state
        self.sync_runner = st.sync_runner
        self.sync_panel.setVisible(self.sync_runner is not None)
        if self.sync_runner is None or st.sync is None:
            return
        self.setSubTitle(self.tr("Synchronised VMs keep running and are copied again every %n minute(s) until you "
                                 "cut them over; tick VMs to act on some of them only.", "", st.sync_interval))
        self.sync_panel.attach(self.sync_runner, bundle=st.target is None or st.target.kind == "bundle")
        self.sync_runner.log_line.connect(self._log_line)
        self.sync_runner.changed.connect(lambda _name: self._sync_changed())
        self.sync_panel.ended.connect(self._sync_changed)
        names = list(self.sync_runner.states)
        self._log("info", self.tr("Synchronisation of %n VM(s) started.", "", len(names)))
        for item, why in st.sync.blocked:
            self._log("error", self.tr("%1: left out: %2").replace("%1", visible(item.target.name))
                      .replace("%2", shown_text(why.message)))
        self.sync_runner.start()
        if self.sync_runner.start_error is not None:
            self._log("error", describe(self.sync_runner.start_error)[0])

    def _sync_changed(self) -> None:
        self._update_buttons()
        self.completeChanged.emit()
        if self.isComplete():
            self._finished()

    def _size_columns(self) -> None:
        """Columns wide enough for their longest text (no wrapped "Checking the copy"); the bar takes the rest."""
        assert self.model is not None
        header = self.table.horizontalHeader()
        fit_column(self.table, COL_NAME, self.model.names[:200])
        fit_column(self.table, COL_STAGE, self.model.stage_texts())
        fit_column(self.table, COL_RATE, ["999.9 MiB/s"])
        fit_column(self.table, COL_ETA, ["00:00:00"])
        fit_column(self.table, COL_STATE, self.model.state_texts())
        icon_room = self.table.style().pixelMetric(self.table.style().PixelMetric.PM_SmallIconSize) + 6
        header.resizeSection(COL_STATE, header.sectionSize(COL_STATE) + icon_room)  # the outcome's icon
        header.setSectionResizeMode(COL_BAR, QHeaderView.ResizeMode.Stretch)

    # -- runner signals (GUI thread) -----------------------------------------------------------------

    def _event(self, event: ProgressEvent) -> None:
        if self.model is not None:
            self.model.apply_event(event)
            self._overall()

    def _state(self, name: str, state: str, message: str) -> None:
        if self.model is None:
            return
        before = self.model.rows[name]["state"] if name in self.model.rows else ""
        self.model.set_state(name, state, message)
        texts = {"running": self.tr("%1: started."), "done": self.tr("%1: finished."),
                 "failed": self.tr("%1: failed."), "cancelled": self.tr("%1: cancelled."),
                 "skipped": self.tr("%1: skipped."), "queued": self.tr("%1: queued again.")}
        line = texts.get(state, "%1").replace("%1", visible(name))
        if message and state == FAILED:
            line += " " + message
        if not (state == QUEUED and before in ("", QUEUED)):  # "queued again" is for a retry, not the start
            self._log("error" if state == FAILED else "info", line)
        if state in (QUEUED, RUNNING):
            self._ended = False
        self._overall()
        self._update_buttons()
        self.completeChanged.emit()  # a retried VM makes the page incomplete again (Next greys out until it ends)
        if self.isComplete():
            self._finished()  # at once: Next is enabled now, so the failed VM is selected now too

    def _log_line(self, level: str, text: str) -> None:
        self._log(level, text)

    def _log(self, level: str, text: str) -> None:
        prefix = {"error": self.tr("ERROR"), "warning": self.tr("WARNING")}.get(level, "")
        self.log.appendPlainText(time.strftime("%H:%M:%S ") + (f"{prefix} " if prefix else "") + text)

    def _overall(self) -> None:
        """The overall bar fills with what is migrated (a VM that failed, was cancelled or skipped adds
        nothing: a run in which every VM failed stays empty) and says how many of how many; the label beside
        it counts the other outcomes, the VMs still to go and the time left."""
        if self.model is None:
            return
        self.overall.setValue(int(self.model.overall() * 1000))
        counts = self.model.counts()
        self.overall.setFormat(self.tr("%1 of %2 VMs migrated").replace("%1", str(counts["done"])).replace(
            "%2", str(len(self.model.names))) + " · %p%")  # %p: QProgressBar's percent (no other % in it)
        self.overall_label.setText(" · ".join(self.outcome_texts()))

    def outcome_texts(self) -> list[str]:
        """The label beside the overall bar, in pieces: the VMs not migrated by outcome, those still to go and
        the time left (only the pieces that are not zero)."""
        assert self.model is not None
        counts = self.model.counts()
        left_out = len(self.state.migration.blocked) if self.state.migration is not None else 0
        pieces = [text for n, text in (
            (counts["failed"], self.tr("%n failed", "", counts["failed"])),
            (counts["cancelled"], self.tr("%n cancelled", "", counts["cancelled"])),
            (counts["skipped"], self.tr("%n skipped", "", counts["skipped"])),
            (left_out, self.tr("%n left out by the check", "", left_out)),
        ) if n]
        to_go = counts["queued"] + counts["running"]
        if to_go:
            pieces.append(self.tr("%n to go", "", to_go))
            eta = self.model.overall_eta()
            if eta is not None:
                pieces.append(self.tr("time left %1").replace("%1", human_duration(eta)))
        return pieces

    def _finished(self) -> None:
        """The run went idle: once per stretch of work, whichever comes first — the adapter's ``finished`` or
        the state signal that makes the page complete (they arrive one after the other; a user can click Next
        in between)."""
        if self.runner is None or self.running() or self._ended or not self.isComplete():
            return
        self._ended = True
        self._log("info", self.tr("All work has stopped."))
        self._overall()
        failed = [n for n, st in self.runner.states.items() if st == FAILED] if self.runner is not None else []
        if failed and not self._selected_names() and self.model is not None:
            self.table.selectRow(self.model.names.index(failed[0]))  # "Why did it fail?" is one click away
        self._update_buttons()
        self.completeChanged.emit()
        self.wiz.migration_stopped()

    # -- actions -------------------------------------------------------------------------------------

    def _selected_names(self) -> list[str]:
        if self.model is None:
            return []
        rows = {i.row() for i in self.table.selectionModel().selectedRows()} if self.table.selectionModel() else set()
        return [self.model.names[r] for r in sorted(rows)]

    def _each(self, action) -> None:  # noqa: ANN001
        if self.runner is None:
            return
        for name in self._selected_names():
            action(self.runner, name)
        self._update_buttons()

    def _retry_failed(self) -> None:
        if self.runner is not None:
            for name, st in list(self.runner.states.items()):
                if st in ("failed", "cancelled"):
                    self.runner.retry_vm(name)
        self.completeChanged.emit()

    def running(self) -> bool:
        """True while a VM is at work: migrating, or synchronising until it is cut over."""
        return ((self.runner is not None and self.runner.running)
                or (self.sync_runner is not None and self.sync_runner.running))

    def ask_stop_all(self) -> None:
        """Cancel all throws away every conversion in progress: ask first (Keep running is the default)."""
        if self.stop_prompt is not None:
            return
        def answered() -> None:
            self.stop_prompt = None

        text = self.tr("VMs that are converting now stop and are cleaned up; VMs that are waiting are left out. VMs "
                       "already migrated stay as they are.")
        if self.sync_runner is not None and self.sync_runner.running:
            text += " " + self.tr("Synchronised VMs stop syncing and are not cut over; their synchronised disks and "
                                  "the journal are kept, so that a resume goes on from the last sync.")
        self.stop_prompt = ask_destructive(self, self.tr("Cancel all VMs?"), text, self.tr("Cancel &all VMs"),
                                           self.tr("&Keep running"), self.stop_all, answered)

    def stop_all(self) -> None:
        if self.runner is not None:
            self._log("warning", self.tr("Cancelling all VMs…"))
            self.runner.cancel_all()
        if self.sync_runner is not None and self.sync_runner.running:
            self.sync_runner.cancel_all()

    def _update_buttons(self) -> None:
        """Buttons act on the selected VMs: each is enabled only when it would do something to one of them."""
        running = self.running()
        states = self.runner.states if self.runner is not None else {}
        chosen = {states.get(n) for n in self._selected_names()}
        self.cancel_vm.setEnabled(bool(chosen & {QUEUED, RUNNING}))
        self.skip_vm.setEnabled(bool(chosen & {QUEUED, RUNNING}))
        self.retry_vm.setEnabled(bool(chosen & {FAILED, CANCELLED, SKIPPED}))
        self.why.setEnabled(FAILED in chosen)
        self.cancel_all.setEnabled(running)
        self.retry_failed.setEnabled(any(s in (FAILED, CANCELLED) for s in states.values()))

    def show_vm_error(self) -> None:
        """The error dialog (message, fix, details) for the first selected VM that failed. Its fix line is
        never empty: the error's own fix, then the way to try again from here (Retry VM)."""
        if self.runner is None:
            return
        for name in self._selected_names():
            exc = self.runner.errors.get(name)
            if exc is not None and self.runner.states.get(name) == FAILED:
                self.wiz.error_dialog = show_error(self, self.with_retry(exc),
                                                   self.tr("%1 was not migrated").replace("%1", name))
                return

    def with_retry(self, exc: HvmError) -> HvmError:
        """``exc`` as the Why dialog shows it: the same message, details and code, and a fix that ends with
        what to click here once the cause is fixed."""
        message, fix, _details = describe(exc)  # in the window's language; the retry line is added after
        retry = self.tr("Then select the VM and click Retry VM.")
        fix = f"{fix} {retry}" if fix else self.tr(
            "Check what the message names; when it is fixed, select the VM and click Retry VM.")
        shown = HvmError(message, details=exc.details, fix=fix)
        shown.code = exc.code
        return shown

    # -- the log ---------------------------------------------------------------------------------------

    def ask_save_log(self) -> QFileDialog:
        """Ask where to save the log (non-blocking); :meth:`write_log` saves it there."""
        t = self.state.target
        folder = Path(t.folder) if t is not None and t.kind == "bundle" and t.folder else Path.home()
        name = time.strftime("hvmigrate-log-%Y%m%d-%H%M.txt")
        dialog = QFileDialog(self, self.tr("Save the log"), str(folder / name), self.tr("Text files (*.txt)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("txt")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.write_log)
        dialog.finished.connect(lambda _r: setattr(self, "save_dialog", None))
        self.save_dialog = dialog
        dialog.open()
        return dialog

    def write_log(self, path: str) -> ErrorDialog | None:
        """Write the log pane to ``path`` (UTF-8, a heading with the date first); an error dialog when it
        cannot be written."""
        heading = self.tr("hvmigrate migration log, %1").replace("%1", time.strftime("%Y-%m-%d %H:%M"))
        try:
            write_text_atomic(path, f"{heading}\n{self.log.toPlainText()}\n")
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            error = InputError(self.tr("The log could not be saved (%1).").replace("%1", why), path=path,
                               fix=self.tr("Choose another folder or file name, then click Save log again."))
            self.wiz.error_dialog = show_error(self, error)
            return self.wiz.error_dialog
        self._log("info", self.tr("Log saved to %1.").replace("%1", path))
        return None

    def isComplete(self) -> bool:  # noqa: N802
        """The run is over and the table says so: judged on the rows the page has shown (the runner's own
        states change a moment before their signals arrive)."""
        return (self.runner is not None and self.model is not None and not self.running()
                and all(r["state"] in FINAL for r in self.model.rows.values())
                and (self.sync_runner is None or self.sync_panel.shown_final()))

    def ready(self) -> bool:
        return self.isComplete()

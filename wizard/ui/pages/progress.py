"""Progress page: a row per VM (stage, bar, speed, time left, state), an overall bar, a log, and
cancel / skip / retry per VM or for all. Updates arrive only through the run adapter's signals; the work is
the one scheduler's (:mod:`wizard.ui.run_adapter`)."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from wizard.core.progress import ProgressEvent
from wizard.ui.errors import ask_destructive, show_error
from wizard.ui.models.delegates import ProgressBarDelegate
from wizard.ui.models.progress import COL_BAR, COL_ETA, COL_NAME, COL_RATE, COL_STAGE, COL_STATE, ProgressModel
from wizard.ui.pages.base import Page, enter_activates
from wizard.ui.run_adapter import CANCELLED, FAILED, FINAL, QUEUED, RUNNING, SKIPPED, RunAdapter


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
        buttons = QHBoxLayout()
        for b in (self.cancel_vm, self.skip_vm, self.retry_vm, self.why):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.retry_failed)
        buttons.addWidget(self.cancel_all)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.log)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        over = QHBoxLayout()
        over.addWidget(self.overall, 1)
        over.addWidget(self.overall_label)
        layout.addLayout(over)
        self.cancel_vm.clicked.connect(lambda: self._each(lambda r, n: r.cancel_vm(n)))
        self.skip_vm.clicked.connect(lambda: self._each(lambda r, n: r.skip_vm(n)))
        self.retry_vm.clicked.connect(lambda: self._each(lambda r, n: r.retry_vm(n)))
        self.cancel_all.clicked.connect(self.ask_stop_all)
        self.stop_prompt: QMessageBox | None = None
        self.retry_failed.clicked.connect(self._retry_failed)
        self.why.clicked.connect(self.show_vm_error)

    def initializePage(self) -> None:  # noqa: N802
        st = self.state
        assert st.runner is not None and st.migration is not None, "the Summary page prepares the migration"
        names = list(st.runner.states)
        self.model = ProgressModel(names, self)
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._size_columns()
        self.log.clear()
        self.runner = st.runner
        self.runner.event.connect(self._event)
        self.runner.state.connect(self._state)
        self.runner.log_line.connect(self._log_line)
        self.runner.finished.connect(self._finished)
        self._log("info", self.tr("Migration of %n VM(s) started.", "", len(names)))
        for item, why in st.migration.blocked:  # the re-check left these out; say so, do not hide them
            self._log("error", self.tr("%1: left out: %2").replace("%1", item.target.name).replace("%2", why.message))
        self.runner.start()
        self._update_buttons()

    def _size_columns(self) -> None:
        """Columns wide enough for their longest text (no wrapped "Checking the copy"); the bar takes the rest."""
        assert self.model is not None
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        pad = 3 * metrics.averageCharWidth()

        def fit(col: int, samples: list[str]) -> None:
            texts = [*samples, str(self.model.headerData(col, Qt.Orientation.Horizontal))]
            header.resizeSection(col, max(metrics.horizontalAdvance(t) for t in texts) + pad)

        fit(COL_NAME, self.model.names[:200])
        fit(COL_STAGE, self.model.stage_texts())
        fit(COL_RATE, ["999.9 MiB/s"])
        fit(COL_ETA, ["00:00:00"])
        fit(COL_STATE, self.model.state_texts())
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
        self.model.set_state(name, state, message)
        texts = {"running": self.tr("%1: started."), "done": self.tr("%1: finished."),
                 "failed": self.tr("%1: failed."), "cancelled": self.tr("%1: cancelled."),
                 "skipped": self.tr("%1: skipped."), "queued": self.tr("%1: queued again.")}
        line = texts.get(state, "%1").replace("%1", name)
        if message and state == FAILED:
            line += " " + message
        self._log("error" if state == FAILED else "info", line)
        self._overall()
        self._update_buttons()
        self.completeChanged.emit()  # a retried VM makes the page incomplete again (Next greys out until it ends)

    def _log_line(self, level: str, text: str) -> None:
        self._log(level, text)

    def _log(self, level: str, text: str) -> None:
        prefix = {"error": self.tr("ERROR"), "warning": self.tr("WARNING")}.get(level, "")
        self.log.appendPlainText(time.strftime("%H:%M:%S ") + (f"{prefix} " if prefix else "") + text)

    def _overall(self) -> None:
        if self.model is None:
            return
        frac = self.model.overall()
        self.overall.setValue(int(frac * 1000))
        states = [r["state"] for r in self.model.rows.values()]
        text = self.tr("%1 of %2 VMs finished").replace(
            "%1", str(sum(s in FINAL for s in states))).replace("%2", str(len(states)))
        missed = self.model.not_migrated()
        if missed:  # a full bar alone would read as success
            text += " · " + self.tr("%n not migrated", "", missed)
        self.overall_label.setText(text)

    def _finished(self) -> None:
        if self.runner is not None and self.runner.running:
            return
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

    def ask_stop_all(self) -> None:
        """Cancel all throws away every conversion in progress: ask first (Keep running is the default)."""
        if self.stop_prompt is not None:
            return
        def answered() -> None:
            self.stop_prompt = None

        self.stop_prompt = ask_destructive(
            self, self.tr("Cancel all VMs?"),
            self.tr("VMs that are converting now stop and are cleaned up; VMs that are waiting are left out. VMs "
                    "already migrated stay as they are."),
            self.tr("Cancel &all VMs"), self.tr("&Keep running"), self.stop_all, answered)

    def stop_all(self) -> None:
        if self.runner is not None:
            self._log("warning", self.tr("Cancelling all VMs…"))
            self.runner.cancel_all()

    def _update_buttons(self) -> None:
        """Buttons act on the selected VMs: each is enabled only when it would do something to one of them."""
        running = self.runner is not None and self.runner.running
        states = self.runner.states if self.runner is not None else {}
        chosen = {states.get(n) for n in self._selected_names()}
        self.cancel_vm.setEnabled(bool(chosen & {QUEUED, RUNNING}))
        self.skip_vm.setEnabled(bool(chosen & {QUEUED, RUNNING}))
        self.retry_vm.setEnabled(bool(chosen & {FAILED, CANCELLED, SKIPPED}))
        self.why.setEnabled(FAILED in chosen)
        self.cancel_all.setEnabled(running)
        self.retry_failed.setEnabled(any(s in (FAILED, CANCELLED) for s in states.values()))

    def show_vm_error(self) -> None:
        """The error dialog (message, fix, details) for the first selected VM that failed."""
        if self.runner is None:
            return
        for name in self._selected_names():
            exc = self.runner.errors.get(name)
            if exc is not None and self.runner.states.get(name) == FAILED:
                self.wiz.error_dialog = show_error(self, exc, self.tr("%1 was not migrated").replace("%1", name))
                return

    def isComplete(self) -> bool:  # noqa: N802
        """The run is over and the table says so: judged on the rows the page has shown (the runner's own
        states change a moment before their signals arrive)."""
        return (self.runner is not None and self.model is not None and not self.runner.running
                and all(r["state"] in FINAL for r in self.model.rows.values()))

    def ready(self) -> bool:
        return self.isComplete()

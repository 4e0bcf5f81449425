"""Progress page: a row per VM (stage, bar, speed, time left, state), an overall bar, a log, and
cancel / skip / retry per VM or for all. Updates arrive only through the runner's signals."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wizard.core.progress import ProgressEvent
from wizard.ui.models.delegates import ProgressBarDelegate
from wizard.ui.models.progress import COL_BAR, ProgressModel
from wizard.ui.pages.base import Page
from wizard.ui.runner import FAILED, FINAL, MigrationRunner


class ProgressPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Migrating"))
        self.setSubTitle(self.tr("You can keep working while this runs. Select a VM to cancel, skip or retry it."))
        self.runner: MigrationRunner | None = None
        self.model: ProgressModel | None = None
        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setItemDelegateForColumn(COL_BAR, ProgressBarDelegate(self.table))
        self.table.verticalHeader().setVisible(False)
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
        buttons = QHBoxLayout()
        for b in (self.cancel_vm, self.skip_vm, self.retry_vm):
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
        self.cancel_all.clicked.connect(self.stop_all)
        self.retry_failed.clicked.connect(self._retry_failed)
        self._started = 0.0

    def initializePage(self) -> None:  # noqa: N802
        st = self.state
        assert st.plan is not None and st.target is not None
        names = [item.target.name or item.vm.name for item in st.plan.items]
        self.model = ProgressModel(names, self)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(COL_BAR, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnToContents(0)
        self.log.clear()
        self.runner = self.wiz.make_runner(st.plan, st.source, st.target)
        st.runner = self.runner
        self.runner.event.connect(self._event)
        self.runner.state.connect(self._state)
        self.runner.log_line.connect(self._log_line)
        self.runner.finished.connect(self._finished)
        self._started = time.monotonic()
        self._log("info", self.tr("Migration of %n VM(s) started.", "", len(names)))
        self.runner.start()
        self._update_buttons()

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
        self.overall_label.setText(self.tr("%1 of %2 VMs finished").replace(
            "%1", str(sum(s in FINAL for s in states))).replace("%2", str(len(states))))

    def _finished(self) -> None:
        if self.runner is not None and self.runner.running:
            return
        self._log("info", self.tr("All work has stopped."))
        self._overall()
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

    def stop_all(self) -> None:
        if self.runner is not None:
            self._log("warning", self.tr("Cancelling all VMs…"))
            self.runner.cancel_all()

    def _update_buttons(self) -> None:
        running = self.runner is not None and self.runner.running
        self.cancel_all.setEnabled(running)
        self.retry_failed.setEnabled(self.runner is not None and any(
            s in ("failed", "cancelled") for s in self.runner.states.values()))

    def isComplete(self) -> bool:  # noqa: N802
        return self.runner is not None and not self.runner.running and all(
            s in FINAL for s in self.runner.states.values())

    def ready(self) -> bool:
        return self.isComplete()

"""The Progress page's part for VMs planned with *Synchronise, then cut over* (the ``sync`` source policy): a row
per VM with its state (``synchronised · last sync 14:02 · 1.2 GiB changed · next in 10 min``, then ``done ·
downtime 42 s``), refreshed on each event and every second (the countdown), and *Sync now* and *Cut over…*
for the ticked VMs (none ticked: every VM). Cut-over asks first: it shuts the source VMs down.

Everything it shows comes from :class:`wizard.ui.sync_adapter.SyncAdapter` (the engine's events, queued to the
GUI thread) and the engine's own status; a VM is said to be cut over only once the engine says it is done.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wizard.core.progress import ProgressEvent
from wizard.core.text import visible
from wizard.ui.errors import ask_destructive
from wizard.ui.models.delegates import ProgressBarDelegate, fit_column
from wizard.ui.models.sync import SCOL_BAR, SCOL_NAME, SCOL_RATE, SCOL_STAGE, SCOL_STATE, SyncModel
from wizard.ui.sync_adapter import FINAL, SyncAdapter

CAN_SYNC = ("synchronised",)
CAN_CUT = ("queued", "initial-sync", "synchronised", "syncing")
TICK_MS = 1000  # the "next in" countdown


class SyncPanel(QWidget):
    """See the module docstring. :meth:`attach` gives it the adapter; ``ended`` fires when every VM is final."""

    ended = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner: SyncAdapter | None = None
        self.model: SyncModel | None = None
        self.bundle = True  # the target is an import bundle (the cut-over completes it; no VM is started)
        self.cut_prompt: QMessageBox | None = None
        self.heading = QLabel(self.tr("Synchronised while they run (changed block tracking):"))
        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setItemDelegateForColumn(SCOL_BAR, ProgressBarDelegate(self.table))
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sync_now = QPushButton(self.tr("S&ync now"))
        self.sync_now.setToolTip(self.tr("Copy what changed on the ticked VMs (none ticked: every VM) now, instead "
                                         "of at the next interval. The VMs keep running."))
        self.cut_over = QPushButton(self.tr("C&ut over…"))
        self.cut_over.setToolTip(self.tr("Shut the ticked VMs (none ticked: every VM) down through VMware Tools, "
                                         "copy their last changes and finish them. Asks first."))
        self.scope = QLabel()
        self.totals = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_now)
        buttons.addWidget(self.cut_over)
        buttons.addWidget(self.scope, 1)
        buttons.addWidget(self.totals)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.sync_now.clicked.connect(self.sync_chosen)
        self.cut_over.clicked.connect(lambda: self.ask_cut_over())
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.refresh)

    def attach(self, runner: SyncAdapter, bundle: bool) -> None:
        self.runner, self.bundle = runner, bundle
        self.model = SyncModel(list(runner.states), self)
        self.table.setModel(self.model)
        self.model.dataChanged.connect(lambda *_: self._update_buttons())
        self._size_columns()
        runner.changed.connect(lambda _name: self.refresh())
        runner.event.connect(self._event)
        runner.finished.connect(self._finished)
        self.refresh()
        self.timer.start()

    def _size_columns(self) -> None:
        assert self.model is not None
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        check_room = self.table.style().pixelMetric(self.table.style().PixelMetric.PM_IndicatorWidth) + 8
        fit_column(self.table, SCOL_NAME, self.model.names[:200])
        header.resizeSection(SCOL_NAME, header.sectionSize(SCOL_NAME) + check_room)
        fit_column(self.table, SCOL_STAGE, self.model.stage_texts())
        fit_column(self.table, SCOL_RATE, ["999.9 MiB/s"])
        header.resizeSection(SCOL_BAR, 10 * metrics.averageCharWidth())
        header.setSectionResizeMode(SCOL_STATE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(metrics.horizontalAdvance("100%") + 3 * metrics.averageCharWidth())

    # -- feeding (GUI thread) ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """The engine's statuses into the rows (the countdown moves); the buttons and totals follow."""
        if self.runner is None or self.model is None:
            return
        self.model.update(self.runner.status())
        self._update_buttons()

    def _event(self, event: ProgressEvent) -> None:
        if self.model is not None:
            self.model.apply_event(event)

    def _finished(self) -> None:
        self.refresh()
        self.timer.stop()
        self.ended.emit()

    # -- actions -----------------------------------------------------------------------------------------
    def chosen(self) -> list[str]:
        """The ticked VMs, in table order; every VM when none is ticked."""
        if self.model is None:
            return []
        ticked = [n for n in self.model.names if n in self.model.ticked]
        return ticked or list(self.model.names)

    def _in(self, states: tuple[str, ...]) -> list[str]:
        if self.model is None:
            return []
        return [n for n in self.chosen() if self.model.statuses[n].state in states]

    def sync_chosen(self) -> None:
        names = self._in(CAN_SYNC)
        if self.runner is not None and names:
            self.runner.sync_now(names)

    def ask_cut_over(self) -> QMessageBox | None:
        """Ask before shutting the chosen VMs down (Not yet is the default); the cut-over starts only on Cut
        over. Returns the open question (tests click its buttons)."""
        names = self._in(CAN_CUT)
        if not names or self.cut_prompt is not None:
            return self.cut_prompt
        shown = ", ".join(visible(n) for n in names)
        text = self.tr("Cut over %n VM(s)?", "", len(names))
        info = (self.tr("%1 will be shut down through VMware Tools (never powered off hard) and stay off. Their last "
                        "changes are copied and checked, then each VM's bundle folder is completed; the downtime "
                        "shown is measured from the shutdown to the completed bundle. hvmigrate cannot start these "
                        "VMs: each serves again only once you have imported it with Create-VM.ps1 on the Hyper-V "
                        "host and started it.") if self.bundle else
                self.tr("%1 will be shut down through VMware Tools (never powered off hard) and stay off. Their last "
                        "changes are copied and checked, then each VM is created and started on the Hyper-V host; "
                        "the downtime shown is measured from the shutdown until the VM's start returned. A VM that "
                        "does not start is reported, and its source stays off.")).replace("%1", shown)

        def answered() -> None:
            self.cut_prompt = None

        def go() -> None:
            if self.runner is not None:
                self.runner.cut_over(names)
                if self.model is not None:
                    self.model.requested.update(names)
                self.refresh()

        self.cut_prompt = ask_destructive(self, self.tr("Cut over"), text, self.tr("C&ut over"), self.tr("&Not yet"),
                                          go, answered)
        self.cut_prompt.setInformativeText(info)
        return self.cut_prompt

    def _update_buttons(self) -> None:
        if self.model is None:
            return
        self.sync_now.setEnabled(bool(self._in(CAN_SYNC)))
        self.cut_over.setEnabled(bool(self._in(CAN_CUT)))
        ticked = len(self.model.ticked)
        self.scope.setText(self.tr("For the %n ticked VM(s).", "", ticked) if ticked else
                           self.tr("No VM ticked: for every VM."))
        counts = self.model.counts()
        total = len(self.model.names)
        pieces = [self.tr("%1 of %2 cut over").replace("%1", str(counts.get("done", 0))).replace("%2", str(total))]
        for state, text in (("failed", self.tr("%n failed", "", counts.get("failed", 0))),
                            ("cancelled", self.tr("%n cancelled", "", counts.get("cancelled", 0)))):
            if counts.get(state):
                pieces.append(text)
        self.totals.setText(" · ".join(pieces))

    def shown_final(self) -> bool:
        """Every row shows a final state (the adapter's own states change a moment before the rows)."""
        return self.model is not None and all(s.state in FINAL for s in self.model.statuses.values())


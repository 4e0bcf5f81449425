"""The Progress page's table of ``sync`` VMs: one row per VM (a check box to choose it, the step at work, a bar for
the copy in progress, its speed, and the VM's state as ``synchronised · last sync 14:02 · 1.2 GiB changed · next
in 10 min`` or ``done · downtime 42 s``).

The rows are fed by :meth:`SyncModel.update` (the engine's :class:`~wizard.app.sync.VmStatus` list, on each
event and once a second for the countdown) and :meth:`SyncModel.apply_event` (byte progress). The state text is
:meth:`VmStatus.line` in the window's language: the same pieces, each translated.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from wizard.app.sync import UNTIL_BUNDLE, UNTIL_CREATED, UNTIL_STARTED, VmStatus
from wizard.core.i18n import error_line
from wizard.core.progress import ProgressEvent
from wizard.core.text import visible
from wizard.core.units import human_bytes
from wizard.ui.i18n import current_language
from wizard.ui.icons import icon
from wizard.ui.models.progress import FRACTION_ROLE
from wizard.ui.sync_adapter import WORKING

Index = QModelIndex | QPersistentModelIndex
SCOL_NAME, SCOL_STAGE, SCOL_BAR, SCOL_RATE, SCOL_STATE = range(5)


class SyncModel(QAbstractTableModel):
    """Rows keyed by VM name; ``statuses[name]`` the engine's last word on the VM, ``rows[name]`` the copy in
    progress (``stage``, ``fraction``, ``rate``); ``ticked`` the VMs whose box is ticked. ``clock`` (a
    ``time.time``) is for tests; ``requested`` the VMs whose cut-over was asked for and has not begun."""

    def __init__(self, names: list[str], parent: QObject | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self.names = list(names)
        self._row = {n: i for i, n in enumerate(self.names)}
        self.statuses = {n: VmStatus(n) for n in self.names}
        self.rows = {n: {"stage": "", "fraction": 0.0, "rate": 0.0} for n in self.names}
        self.ticked: set[str] = set()
        self.requested: set[str] = set()  # cut-over asked for, not begun yet (a round ends first)
        self.clock = clock
        self._states = {"queued": self.tr("queued"), "initial-sync": self.tr("initial sync"),
                        "synchronised": self.tr("synchronised"), "syncing": self.tr("syncing"),
                        "cutting-over": self.tr("cutting over"), "done": self.tr("done"),
                        "failed": self.tr("failed"), "cancelled": self.tr("cancelled")}
        self._stages = {"read": self.tr("Reading"), "convert": self.tr("Converting"), "write": self.tr("Writing"),
                        "verify": self.tr("Verifying"), "hash": self.tr("Checking the copy"),
                        "download": self.tr("Downloading"), "create": self.tr("Creating VM"),
                        "bundle": self.tr("Bundling"), "prepare": self.tr("Preparing")}
        self._headers = (self.tr("VM"), self.tr("Step"), self.tr("Progress"), self.tr("Speed"), self.tr("State"))

    # -- what the page sizes columns by ----------------------------------------------------------------
    def stage_texts(self) -> list[str]:
        return [*self._stages.values(), self.tr("Working")]

    # -- the state text ----------------------------------------------------------------------------------
    def state_text(self, st: VmStatus) -> str:
        """``synchronised · last sync 14:02 · 1.2 GiB changed · next in 10 min`` / ``done · downtime 42 s (until the
        Hyper-V VM started)``, in
        the window's language; a cut-over that failed (the VM synchronised again) says so."""
        if st.state == "done" and st.downtime is not None:
            # a second's tenths under 10 s: "0 s" would read as no downtime at all
            shown = f"{st.downtime:.0f}" if st.downtime >= 10 else f"{st.downtime:.1f}"
            # what ended the downtime: a bundle's VM serves only once a person has imported and started it
            text = {UNTIL_STARTED: self.tr("done · downtime %1 s (until the Hyper-V VM started)"),
                    UNTIL_BUNDLE: self.tr("done · downtime %1 s (until the import bundle was complete; import and "
                                          "start it on the host)"),
                    UNTIL_CREATED: self.tr("done · downtime %1 s (until the VM was created)")}.get(
                        st.until, self.tr("done · downtime %1 s"))
            return text.replace("%1", shown)
        parts = [self._states.get(st.state, st.state)]
        if st.last_sync:
            parts.append(self.tr("last sync %1").replace("%1", time.strftime("%H:%M", time.localtime(st.last_sync))))
            parts.append(self.tr("%1 changed").replace("%1", human_bytes(st.last_changed)))
        if st.next_sync is not None and st.state == "synchronised":
            left = max(0.0, st.next_sync - self.clock())
            parts.append(self.tr("next in %1 min").replace("%1", str(round(left / 60))) if left >= 60
                         else self.tr("next in %1 s").replace("%1", str(int(left))))
        if st.name in self.requested:
            parts.append(self.tr("cut-over requested"))
        elif st.error is not None and st.state == "synchronised":
            parts.append(self.tr("the cut-over failed (see the log)"))
        return " · ".join(parts)

    # -- feeding -----------------------------------------------------------------------------------------
    def update(self, statuses: list[VmStatus]) -> None:
        """Take the engine's statuses; a VM entering a copy starts its bar over."""
        for st in statuses:
            if st.name not in self._row:
                continue
            prev = self.statuses[st.name]
            before = prev.state
            if (st.state not in ("queued", "initial-sync", "syncing", "synchronised") or before == "cutting-over"
                    or (st.error is not None and st.error is not prev.error)):
                # the cut-over began, or the VM ended, or a cut-over failed (synchronised again: ask again)
                self.requested.discard(st.name)
            self.statuses[st.name] = st
            row = self.rows[st.name]
            if st.state in WORKING and st.state != before:
                row.update(stage="", fraction=0.0, rate=0.0)
            elif st.state in ("synchronised", "done"):
                row.update(stage="", fraction=1.0, rate=0.0)
            elif st.state not in WORKING:
                row.update(stage="", rate=0.0)
        if self.names:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.names) - 1, SCOL_STATE))

    def apply_event(self, event: ProgressEvent) -> None:
        row = self.rows.get(event.vm)
        if row is None or self.statuses[event.vm].state not in WORKING or event.fraction is None:
            return  # a late event after the round ended, or one without a size
        if event.stage != row["stage"]:
            row.update(stage=event.stage, fraction=0.0)
        row["fraction"] = max(row["fraction"], event.fraction)
        row["rate"] = event.rate
        r = self._row[event.vm]
        self.dataChanged.emit(self.index(r, SCOL_STAGE), self.index(r, SCOL_RATE))

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for st in self.statuses.values():
            out[st.state] = out.get(st.state, 0) + 1
        return out

    # -- Qt ------------------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.names)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == SCOL_NAME else base

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != SCOL_NAME or role != Qt.ItemDataRole.CheckStateRole:
            return False
        name = self.names[index.row()]
        if Qt.CheckState(value) == Qt.CheckState.Checked:  # type: ignore[call-overload]
            self.ticked.add(name)
        else:
            self.ticked.discard(name)
        self.dataChanged.emit(index, index)
        return True

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        name = self.names[index.row()]
        st, row, col = self.statuses[name], self.rows[name], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == SCOL_NAME:
            return Qt.CheckState.Checked if name in self.ticked else Qt.CheckState.Unchecked
        if role == FRACTION_ROLE:
            return row["fraction"]
        if role == Qt.ItemDataRole.ToolTipRole:
            return error_line(st.error, current_language()) if st.error is not None else None
        if role == Qt.ItemDataRole.DecorationRole and col == SCOL_STATE:
            name_of = {"done": "status-ok", "failed": "status-blocker", "cancelled": "status-warning"}
            return icon(name_of[st.state]) if st.state in name_of else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        working = st.state in WORKING
        stage = (self._stages.get(row["stage"], self.tr("Working")) if row["stage"] else "") if working else ""
        return (visible(name), stage, "", f"{human_bytes(row['rate'])}/s" if working and row["rate"] else "",
                self.state_text(st))[col]

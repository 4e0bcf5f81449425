"""The Progress page's table: one row per VM (name, stage, progress, speed, ETA, state)."""

from __future__ import annotations

import re

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from wizard.core.progress import ProgressEvent
from wizard.core.units import human_bytes, human_duration
from wizard.ui.icons import icon

Index = QModelIndex | QPersistentModelIndex
FRACTION_ROLE = Qt.ItemDataRole.UserRole + 1
COL_NAME, COL_STAGE, COL_BAR, COL_RATE, COL_ETA, COL_STATE = range(6)


class ProgressModel(QAbstractTableModel):
    def __init__(self, names: list[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.names = list(names)
        self._row = {n: i for i, n in enumerate(self.names)}  # every progress event needs its row
        self.rows = {n: {"stage": "", "fraction": 0.0, "rate": 0.0, "eta": None, "state": "queued", "message": ""}
                     for n in self.names}
        self._states = {"queued": self.tr("Waiting"), "running": self.tr("Running"), "done": self.tr("Done"),
                        "failed": self.tr("Failed"), "cancelled": self.tr("Cancelled"),
                        "skipped": self.tr("Skipped")}
        self._stages = {
            "read": self.tr("Reading"), "convert": self.tr("Converting"), "write": self.tr("Writing"),
            "verify": self.tr("Verifying"), "upload": self.tr("Uploading"), "create": self.tr("Creating VM"),
            "configure": self.tr("Configuring"), "discover": self.tr("Discovering"), "prepare": self.tr("Preparing"),
            "fixup": self.tr("Guest fix-ups"), "bundle": self.tr("Bundling"), "disk": self.tr("Converting disk"),
            "hash": self.tr("Checking the copy"), "download": self.tr("Downloading"),
        }
        self._headers = (self.tr("VM"), self.tr("Stage"), self.tr("Progress"), self.tr("Speed"),
                         self.tr("Time left"), self.tr("State"))

    def state_texts(self) -> list[str]:
        return list(self._states.values())

    def stage_texts(self) -> list[str]:
        """Every text the Stage column can show (to size the column once)."""
        return list(self._stages.values()) + [self.tr("Working")]

    def stage_text(self, stage: str) -> str:
        head = re.split(r"[:\s-]", stage, maxsplit=1)[0].lower()
        return self._stages.get(head, self.tr("Working"))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.names)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        name = self.names[index.row()]
        row = self.rows[name]
        col = index.column()
        if role == FRACTION_ROLE:
            return row["fraction"]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row["message"] or None
        if role == Qt.ItemDataRole.DecorationRole and col == COL_STATE:
            # the outcome at a glance, in the same colours as the compatibility page
            name_of = {"done": "status-ok", "failed": "status-blocker", "cancelled": "status-warning",
                       "skipped": "status-warning"}
            return icon(name_of[row["state"]]) if row["state"] in name_of else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        running = row["state"] == "running"
        # a finished VM's last stage ("Checking the copy") would read as if it were still at work; a failed or
        # cancelled one keeps it: it says where it stopped
        stage = self.stage_text(row["stage"]) if row["stage"] and row["state"] not in ("done", "skipped") else ""
        return (name, stage, f"{row['fraction'] * 100:.0f}%",
                f"{human_bytes(row['rate'])}/s" if running and row["rate"] else "",
                human_duration(row["eta"]) if running and row["eta"] is not None else "",
                self._states.get(row["state"], row["state"]))[col]

    def apply_event(self, event: ProgressEvent) -> None:
        row = self.rows.get(event.vm)
        if row is None:
            return
        if event.stage in ("log", "state"):
            return  # log lines and state notes carry no progress; the runner logs them
        row["stage"] = event.stage
        if event.fraction is not None:
            row["fraction"] = event.fraction
        row["rate"], row["eta"] = event.rate, event.eta
        r = self._row[event.vm]
        self.dataChanged.emit(self.index(r, COL_STAGE), self.index(r, COL_ETA))

    def set_state(self, name: str, state: str, message: str = "") -> None:
        row = self.rows.get(name)
        if row is None:
            return
        row["state"], row["message"] = state, message
        if state == "done":
            row["fraction"] = 1.0
        elif state == "queued":
            row["fraction"], row["stage"] = 0.0, ""
        r = self._row[name]
        self.dataChanged.emit(self.index(r, 0), self.index(r, COL_STATE))

    def not_migrated(self) -> int:
        """VMs that ended without being migrated (failed, cancelled or skipped)."""
        return sum(r["state"] in ("failed", "cancelled", "skipped") for r in self.rows.values())

    def overall(self) -> float:
        """Mean fraction over VMs, counting finished ones (any outcome) as complete."""
        if not self.names:
            return 1.0
        total = sum(1.0 if r["state"] in ("done", "failed", "cancelled", "skipped") else r["fraction"]
                    for r in self.rows.values())
        return total / len(self.names)

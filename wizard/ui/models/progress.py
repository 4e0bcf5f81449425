"""The Progress page's table: one row per VM (name, stage, progress, speed, time left, state), and the run's
totals (migrated / failed / cancelled / skipped, the share migrated, the time left overall).

Each VM has one bar over all its disks and stages that only moves forward (:class:`VmProgress`: disks weigh
by size, stages fill fixed spans of each disk); it starts over only when the VM is queued again (a retry).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from wizard.core.progress import ProgressEvent, VmProgress
from wizard.core.text import visible
from wizard.core.units import human_bytes, human_duration
from wizard.ui.icons import icon

Index = QModelIndex | QPersistentModelIndex
FRACTION_ROLE = Qt.ItemDataRole.UserRole + 1
COL_NAME, COL_STAGE, COL_BAR, COL_RATE, COL_ETA, COL_STATE = range(6)
ENDED = ("done", "failed", "cancelled", "skipped")
NOT_MIGRATED = ("failed", "cancelled", "skipped")


class ProgressModel(QAbstractTableModel):
    """Rows keyed by VM name; ``rows[name]`` holds ``stage``, ``fraction`` (0..1, never lower than before
    until a retry), ``rate``, ``eta``, ``state`` and ``message`` (what the table shows).

    ``weights`` (VM name → bytes of its disks, from the plan) weigh the VMs in :meth:`overall` and the time
    left overall; a VM without one weighs as the mean. ``clock`` is for tests.
    """

    def __init__(self, names: list[str], parent: QObject | None = None, *, weights: dict[str, int] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.names = list(names)
        self._row = {n: i for i, n in enumerate(self.names)}  # every progress event needs its row
        self.rows = {n: {"stage": "", "fraction": 0.0, "rate": 0.0, "eta": None, "state": "queued", "message": ""}
                     for n in self.names}
        self.clock = clock
        self._progress = {n: VmProgress(clock) for n in self.names}
        known = [w for w in (weights or {}).values() if w > 0]
        mean = sum(known) / len(known) if known else 1.0
        self.weights = {n: float((weights or {}).get(n) or mean) for n in self.names}
        # the time left overall: work done (weighted fractions) over the time any VM was running
        self._work_done = 0.0
        self._active = 0.0
        self._tick: float | None = None
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
        """Every text the Stage column can show (to size the column once), with the widest disk counter."""
        plain = list(self._stages.values()) + [self.tr("Working")]
        return plain + [self._on_disk(9, 9, text) for text in plain]

    def stage_text(self, stage: str) -> str:
        head = re.split(r"[:\s-]", stage, maxsplit=1)[0].lower()
        return self._stages.get(head, self.tr("Working"))

    def _on_disk(self, part: int, parts: int, text: str) -> str:
        """"disk 2/3 · converting": which disk of a VM with several the stage is about."""
        lowered = text[:1].lower() + text[1:]  # mid-sentence in English; a no-op for Chinese
        return self.tr("disk %1/%2 · %3").replace("%1", str(part)).replace("%2", str(parts)).replace("%3", lowered)

    def row_stage_text(self, name: str) -> str:
        """The Stage column of ``name``'s row: the stage, on which disk when the VM has several."""
        row = self.rows[name]
        if not row["stage"]:
            return ""
        text = self.stage_text(row["stage"])
        progress = self._progress[name]
        parts = len(progress.parts)
        if parts > 1 and 1 <= progress.part <= parts:
            return self._on_disk(progress.part, parts, text)
        return text

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
        stage = self.row_stage_text(name) if row["state"] not in ("done", "skipped") else ""
        eta = self._progress[name].eta() if running else None
        return (visible(name), stage, f"{row['fraction'] * 100:.0f}%",
                f"{human_bytes(row['rate'])}/s" if running and row["rate"] else "",
                human_duration(eta) if eta is not None else "",
                self._states.get(row["state"], row["state"]))[col]

    def apply_event(self, event: ProgressEvent) -> None:
        row = self.rows.get(event.vm)
        if row is None:
            return
        if event.stage in ("log", "state"):
            return  # log lines and state notes carry no progress; the runner logs them
        if row["state"] in ENDED:
            return  # a late event of a VM that has ended (throttled events arrive after its state)
        self._advance()
        before = row["fraction"]
        row["stage"] = event.stage
        row["fraction"] = self._progress[event.vm].update(event)
        self._work_done += self.weights[event.vm] * (row["fraction"] - before)
        row["rate"], row["eta"] = event.rate, self._progress[event.vm].eta()
        r = self._row[event.vm]
        self.dataChanged.emit(self.index(r, COL_STAGE), self.index(r, COL_ETA))

    def set_state(self, name: str, state: str, message: str = "") -> None:
        row = self.rows.get(name)
        if row is None:
            return
        self._advance()
        row["state"], row["message"] = state, message
        progress = self._progress[name]
        if state == "running":
            progress.start()
        elif state == "done":
            self._work_done += self.weights[name] * (1.0 - row["fraction"])
            progress.finish()
            row["fraction"] = 1.0
        elif state == "queued":  # queued again (a retry): it starts over
            progress.reset()
            row["fraction"], row["stage"], row["rate"] = 0.0, "", 0.0
        r = self._row[name]
        self.dataChanged.emit(self.index(r, 0), self.index(r, COL_STATE))

    def _advance(self) -> None:
        """Count the time since the last change towards the run's pace if a VM was running meanwhile."""
        now = self.clock()
        if self._tick is not None and any(r["state"] == "running" for r in self.rows.values()):
            self._active += now - self._tick
        self._tick = now

    # -- the run as a whole ---------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """How many VMs are in each state: queued, running, done, failed, cancelled, skipped (all keys)."""
        out = dict.fromkeys(("queued", "running", *ENDED), 0)
        for row in self.rows.values():
            out[row["state"]] = out.get(row["state"], 0) + 1
        return out

    def not_migrated(self) -> int:
        """VMs that ended without being migrated (failed, cancelled or skipped)."""
        return sum(r["state"] in NOT_MIGRATED for r in self.rows.values())

    def overall(self) -> float:
        """The share of the VMs (weighed by disk size) that is migrated: migrated VMs count whole, running
        ones by their bar, and VMs that failed, were cancelled or skipped not at all — a run in which every
        VM failed stays at 0."""
        total = sum(self.weights.values())
        if not total:
            return 0.0
        done = sum(self.weights[n] * (1.0 if r["state"] == "done" else r["fraction"] if r["state"] == "running"
                                      else 0.0) for n, r in self.rows.items())
        return done / total

    def overall_eta(self) -> float | None:
        """Seconds until every waiting and running VM has ended, at the run's pace so far (work done per second
        while a VM was running); None when there is no pace yet, 0 when nothing is left to do."""
        self._advance()
        left = sum(self.weights[n] * (1.0 - r["fraction"]) for n, r in self.rows.items()
                   if r["state"] in ("queued", "running"))
        if not left:
            return 0.0
        if self._active < 1.0 or self._work_done <= 0:
            return None
        return left * self._active / self._work_done

"""The sync of a plan's ``sync`` VMs, as the Progress page sees it: the engine's events turned into Qt signals.

The work is :class:`wizard.app.sync.SyncMigration` (initial sync, a delta every interval, cut-over when asked —
exactly what ``hvmigrate migrate`` runs for such VMs). This adapter only forwards: the engine calls its sink on
its worker threads, the signals below deliver on the GUI thread (queued connections, as the receivers live
there), and the control calls (sync now, cut over, cancel) go straight to the engine, which returns at once.

Signals: ``changed(name)`` when a VM's state or its last sync changed (read :meth:`status` then); ``event`` the
byte progress of a copy or delta (throttled); ``log_line(level, text)`` each line the engine logs, in the UI's
language; ``finished`` once every VM is done, failed or cancelled.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from wizard.app.sync import SyncMigration, VmStatus
from wizard.core.errors import HvmError
from wizard.core.i18n import translate
from wizard.core.progress import ProgressEvent
from wizard.ui.i18n import current_language
from wizard.ui.jobs import ThrottledSink

QUEUED, DONE, FAILED, CANCELLED = "queued", "done", "failed", "cancelled"
FINAL = (DONE, FAILED, CANCELLED)
WORKING = ("initial-sync", "syncing", "cutting-over")  # a copy is running: the bar moves
__all__ = ["CANCELLED", "DONE", "FAILED", "FINAL", "QUEUED", "WORKING", "SyncAdapter"]


class SyncAdapter(QObject):
    changed = Signal(str)  # VM name
    event = Signal(object)  # ProgressEvent (throttled, ``vm`` set)
    log_line = Signal(str, str)  # level, "VM: message" (in the UI's language)
    finished = Signal()

    def __init__(self, sync: SyncMigration, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sync = sync
        self._lock = threading.Lock()
        self.states: dict[str, str] = {s.name: s.state for s in sync.status()}
        self.start_error: HvmError | None = None
        self._throttled = ThrottledSink(self.event.emit)

    # -- control (any thread; the engine returns at once) -------------------------------------------------
    def start(self) -> None:
        """Start every VM (initial sync, or from the journal's change ids when resuming). When the engine
        cannot start (its journal is locked by another hvmigrate, say) every VM ends as failed with that
        error, and ``finished`` fires."""
        if not self.states:
            self.finished.emit()
            return
        try:
            self.sync.start(self._sink)
        except HvmError as exc:
            self.start_error = exc
            with self._lock:
                for name in self.states:
                    self.states[name] = FAILED
            for name in self.states:
                self.changed.emit(name)
            self.finished.emit()

    def sync_now(self, names: list[str]) -> None:
        for name in names:
            self.sync.sync_now(name)

    def cut_over(self, names: list[str]) -> None:
        for name in names:
            self.sync.cut_over(name)

    def cancel_all(self) -> None:
        """Stop syncing every VM; the synchronised disks and the journal stay for a resume."""
        self.sync.cancel()

    @property
    def running(self) -> bool:
        """True while a VM is not done, failed or cancelled (as last reported by the engine)."""
        with self._lock:
            return any(s not in FINAL for s in self.states.values())

    def status(self) -> list[VmStatus]:
        """Each VM's state now (copies), in plan order."""
        if self.start_error is not None:
            return [VmStatus(name, FAILED, error=self.start_error) for name in self.states]
        return self.sync.status()

    @property
    def errors(self) -> dict[str, HvmError]:
        """The typed error of each VM that failed."""
        return {s.name: s.error for s in self.status() if s.state == FAILED and s.error is not None}

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every VM is final (shutdown and tests only); True when they are."""
        if self.start_error is None:
            self.sync.wait(timeout)
        return not self.running

    # -- the engine's sink (worker threads) -----------------------------------------------------------------
    def _sink(self, ev: ProgressEvent) -> None:
        if ev.stage == "state":
            with self._lock:
                self.states[ev.vm] = ev.message
                ended = all(s in FINAL for s in self.states.values())
            self.changed.emit(ev.vm)
            if ended:
                self.finished.emit()
            return
        if ev.stage == "sync":  # a round ended: the row's last sync, changed bytes and next sync
            self.changed.emit(ev.vm)
            return
        if ev.stage == "log":
            if ev.message:
                # the engine writes English; the catalogue shows it in the window's language (values verbatim)
                shown = translate(ev.message, current_language())
                self.log_line.emit(ev.level, f"{ev.vm}: {shown}" if ev.vm else shown)
            return
        self._throttled(ev)

"""The migration, as the Progress page sees it: the one scheduler's events turned into Qt signals.

The work is done by :class:`wizard.app.migration.Migration` (the scheduler, journal, per-source limits,
guest fix-ups — exactly what ``hvmigrate migrate`` runs). This adapter only forwards: the scheduler calls
its sink on worker threads, the signals below deliver on the GUI thread (queued connections), and the
control calls go straight to the scheduler. ``finished`` fires each time the last queued or running VM
reaches a final state (again after a retry ends).
"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Signal

from wizard.app.migration import FINAL, Migration
from wizard.core.errors import HvmError
from wizard.core.i18n import error_line, translate
from wizard.core.progress import ProgressEvent
from wizard.ui.i18n import current_language
from wizard.ui.jobs import ThrottledSink

QUEUED, RUNNING, DONE, FAILED, CANCELLED, SKIPPED = "queued", "running", "done", "failed", "cancelled", "skipped"
__all__ = ["CANCELLED", "DONE", "FAILED", "FINAL", "QUEUED", "RUNNING", "SKIPPED", "RunAdapter"]


class RunAdapter(QObject):
    event = Signal(object)  # ProgressEvent (throttled, ``vm`` set)
    state = Signal(str, str, str)  # vm name, state, message (the error's one line for a failed VM, translated)
    log_line = Signal(str, str)  # level, "VM: message" (warnings and errors, in the UI's language)
    finished = Signal()

    def __init__(self, migration: Migration, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.migration = migration
        self._lock = threading.Lock()
        self.states: dict[str, str] = {name: QUEUED for name in migration.run.jobs}
        self._throttled = ThrottledSink(self.event.emit)
        self._t0 = 0.0
        self.elapsed: float | None = None
        self._told: dict[str, str] = {}  # VM name -> the failure its state signal carried (not logged twice)

    # -- control (GUI thread) ----------------------------------------------------------------------
    def start(self) -> None:
        self._t0 = time.monotonic()
        if not self.states:
            self.finished.emit()
            return
        self.migration.start(self._sink)

    @property
    def running(self) -> bool:
        """True while a VM is queued or running (as last reported by the scheduler)."""
        with self._lock:
            return any(s not in FINAL for s in self.states.values())

    @property
    def errors(self) -> dict[str, HvmError]:
        """The typed error of each VM that failed."""
        run = self.migration.run
        return {n: e for n in run.jobs if (e := run.error_of(n)) is not None}

    def cancel_vm(self, name: str) -> None:
        self.migration.run.cancel_vm(name)

    def skip_vm(self, name: str) -> None:
        self.migration.run.skip(name)

    def retry_vm(self, name: str) -> None:
        self.migration.run.retry(name)

    def cancel_all(self) -> None:
        self.migration.run.cancel_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no VM is at work (shutdown and tests only); True when none is."""
        self.migration.run.wait(timeout)
        return not self.migration.run.busy

    # -- the scheduler's sink (worker threads) -----------------------------------------------------
    def _sink(self, ev: ProgressEvent) -> None:
        if ev.stage == "state":
            self._state_changed(ev.vm, ev.message)
            return
        if ev.level != "info" and ev.message:
            if ev.stage == "log" and ev.level == "error" and self._told.pop(ev.vm, None) == ev.message:
                return  # the scheduler logs a failure right after its state, which already said it
            # the scheduler writes English; the catalogue shows it in the window's language (values verbatim)
            shown = translate(ev.message, current_language())
            self.log_line.emit(ev.level, f"{ev.vm}: {shown}" if ev.vm else shown)
        if ev.stage != "log":
            self._throttled(ev)

    def _state_changed(self, name: str, state: str) -> None:
        message = ""
        if state == FAILED:
            error = self.migration.run.error_of(name)
            if error is not None:
                self._told[name] = error.one_line()  # as the scheduler logs it next
                message = error_line(error, current_language())
        with self._lock:
            self.states[name] = state
            ended = all(s in FINAL for s in self.states.values())
            if ended:
                self.elapsed = time.monotonic() - self._t0
        self.state.emit(name, state, message)
        if ended:
            self.finished.emit()

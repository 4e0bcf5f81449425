"""The migration adapter: runs a plan's VMs in a worker thread and reports per VM through signals.

This is the only UI module that knows how VMs are migrated (``services.Migrator`` → ``migrate_item``):
``parallel`` worker threads take VMs from one queue, so several VMs convert at once, as in the CLI's
pipeline (``wizard.migrate.pipeline``), while every per-VM control below stays a queue operation.
Per-VM control: ``cancel_vm`` stops one VM (state ``cancelled``), ``skip_vm`` leaves a queued or running
VM out (state ``skipped``), ``retry_vm`` queues a failed/cancelled/skipped VM again, ``cancel_all``
stops everything. ``finished`` fires when the queue is empty and nothing runs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from wizard.core.errors import Cancelled, HvmError
from wizard.core.plan import Plan, PlanItem
from wizard.core.progress import CancelToken, ProgressEvent, ProgressSink
from wizard.ui import services
from wizard.ui.jobs import ThrottledSink

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED, CANCELLED, SKIPPED = "queued", "running", "done", "failed", "cancelled", "skipped"
FINAL = (DONE, FAILED, CANCELLED, SKIPPED)

MigrateFn = Callable[[PlanItem, ProgressSink, CancelToken], dict[str, Any]]


def _yield_to_the_gui() -> None:
    """Lower this worker thread's scheduling priority (Linux: per thread; threads it starts inherit it), so
    that when the GUI thread and two conversion threads all want the CPU and the GIL, the GUI wins."""
    # only Linux takes a thread id here; elsewhere the same call would address a process
    if sys.platform.startswith("linux") and hasattr(os, "setpriority"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 5)


class MigrationRunner(QObject):
    event = Signal(object)  # ProgressEvent (throttled, ``vm`` set)
    state = Signal(str, str, str)  # vm name, state, message
    log_line = Signal(str, str)  # level, "VM: message" from the core (warnings and errors)
    finished = Signal()

    def __init__(self, plan: Plan, source: Any, target: services.TargetSpec,
                 migrate: MigrateFn | None = None, parent: QObject | None = None, parallel: int = 2) -> None:
        super().__init__(parent)
        self.parallel = max(1, parallel)
        self.plan = plan
        self._migrator = None if migrate else services.Migrator(plan, source, target)
        self._migrate = migrate or self._migrator.run  # type: ignore[union-attr]
        self._items = {item.target.name or item.vm.name: item for item in plan.items}
        self.states = {name: QUEUED for name in self._items}
        self.errors: dict[str, HvmError | BaseException] = {}
        self._queue: queue.Queue[str] = queue.Queue()
        self._run_token = CancelToken()
        self._tokens: dict[str, CancelToken] = {}
        self._skipped: set[str] = set()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._active = 0  # workers that have not yet decided to stop; guarded by _lock
        self._busy = False  # see ``running``; guarded by _lock
        self._sink = ThrottledSink(self.event.emit)
        self._t0 = 0.0
        self.elapsed: float | None = None

    # -- control (GUI thread) ----------------------------------------------------------------------

    def outcomes(self) -> list[Any]:
        """The per-VM outcomes the migration produced (for the report), in plan order."""
        got = self._migrator.outcomes if self._migrator is not None else {}
        return [got[n] for n in self._items if n in got]

    @property
    def running(self) -> bool:
        """True from ``start``/``retry_vm`` until the last worker has closed the target and is about to
        emit ``finished``: a slot connected to ``finished`` always sees False (unless a retry started
        more work), even though the worker thread itself may not have ended yet."""
        with self._lock:
            return self._busy

    def start(self) -> None:
        self._t0 = time.monotonic()
        for name in self._items:
            self._queue.put(name)
        self._spawn()

    def cancel_all(self) -> None:
        self._leave_out_queued(None, SKIPPED)
        self._run_token.cancel("cancelled by user")

    def cancel_vm(self, name: str) -> None:
        """A running VM stops (``cancelled`` once it has cleaned up); a waiting one is ``cancelled`` now."""
        with self._lock:
            token = self._tokens.get(name)
        if token is not None:
            token.cancel("cancelled by user")
        else:
            self._leave_out_queued(name, CANCELLED)

    def skip_vm(self, name: str) -> None:
        """Leave a VM out of this run: a waiting one at once, a running one after it has cleaned up."""
        with self._lock:
            self._skipped.add(name)
            token = self._tokens.get(name)
        if token is not None:
            token.cancel("skipped by user")
        else:
            self._leave_out_queued(name, SKIPPED)

    def _leave_out_queued(self, only: str | None, state: str) -> None:
        """Mark waiting VMs (all, or ``only``) as left out right away, so the table says so now and not
        when a worker reaches them; the worker then passes over their queue entries."""
        with self._lock:
            names = [n for n, st in self.states.items() if st == QUEUED and only in (None, n)]
            for name in names:
                self.states[name] = state
        for name in names:
            self.state.emit(name, state, "")

    def retry_vm(self, name: str) -> None:
        with self._lock:
            if self.states.get(name) not in (FAILED, CANCELLED, SKIPPED):
                return
            self._skipped.discard(name)
            if self._run_token.cancelled:
                self._run_token = CancelToken()
            self.states[name] = QUEUED
        self.state.emit(name, QUEUED, "")
        self._queue.put(name)
        self._spawn()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the workers end (used at shutdown only); True when they ended."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in list(self._threads):
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self._threads)

    # -- worker ------------------------------------------------------------------------------------

    def _spawn(self) -> None:
        """Start workers up to ``parallel`` (fewer when there are fewer queued VMs)."""
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            wanted = min(self.parallel, self._active + self._queue.qsize()) - self._active
            if wanted > 0:
                self._busy = True
            for _ in range(max(0, wanted)):
                self._active += 1
                thread = threading.Thread(target=self._work, name="hvmigrate-migration", daemon=True)
                self._threads.append(thread)
                thread.start()

    def _set(self, name: str, state: str, message: str = "") -> None:
        with self._lock:
            self.states[name] = state
        self.state.emit(name, state, message)

    def _next(self) -> tuple[str | None, bool]:
        """``(name, False)`` for the next queued VM, or ``(None, last)`` once this worker has signed off;
        ``last`` is True for the one worker that leaves none behind. Under the lock, so a retry that queues
        a VM at the same moment is either taken here or sees too few workers and spawns one."""
        with self._lock:
            try:
                return self._queue.get_nowait(), False
            except queue.Empty:
                self._active -= 1
                return None, self._active == 0

    def _claim(self, name: str) -> CancelToken | None:
        """Take ``name`` for this worker: its token, or None when it is no longer waiting (left out, or a
        stale queue entry of a VM that a retry queued again). Under the lock, so a cancel from the GUI
        finds either a waiting VM or one with a token."""
        with self._lock:
            if self.states.get(name) != QUEUED:
                return None
            if self._run_token.cancelled:
                self.states[name] = SKIPPED if name in self._skipped else CANCELLED
                cancelled = self.states[name]
            else:
                token = self._tokens[name] = self._run_token.child()
                self.states[name] = RUNNING
                cancelled = ""
        if cancelled:
            self.state.emit(name, cancelled, "")
            return None
        return token

    def _work(self) -> None:
        _yield_to_the_gui()
        while True:
            name, last = self._next()
            if name is None:
                break
            token = self._claim(name)
            if token is not None:
                self._run_one(name, token)
        if not last:
            return
        self.elapsed = time.monotonic() - self._t0
        if self._migrator is not None:
            try:
                self._migrator.close()
            except Exception:  # noqa: BLE001 - closing must not hide the run's outcome
                log.warning("closing the target failed", exc_info=True)
        with self._lock:
            if self._active:  # a retry started new workers meanwhile; the last of those reports the end
                return
            self._busy = False
        self.finished.emit()

    def _run_one(self, name: str, token: CancelToken) -> None:
        item: PlanItem = self._items[name]
        self.state.emit(name, RUNNING, "")  # _claim already recorded it under the lock

        def sink(ev: ProgressEvent) -> None:
            self._sink(ProgressEvent(ev.stage, ev.done, ev.total, ev.message, name, ev.rate, ev.eta, ev.level))
            if ev.level != "info" and ev.message:
                self.log_line.emit(ev.level, f"{name}: {ev.message}")

        try:
            self._migrate(item, sink, token)
        except Cancelled as exc:
            with self._lock:
                skipped = name in self._skipped
            self._set(name, SKIPPED if skipped else CANCELLED, exc.args[0] if exc.args else "")
        except HvmError as exc:
            self.errors[name] = exc
            self._set(name, FAILED, exc.one_line())
        except Exception as exc:  # noqa: BLE001 - one VM's crash must not stop the others
            log.exception("migration of %s crashed", name)
            self.errors[name] = exc
            self._set(name, FAILED, f"{type(exc).__name__}: {exc}")
        else:
            self._set(name, DONE)
        finally:
            with self._lock:
                self._tokens.pop(name, None)

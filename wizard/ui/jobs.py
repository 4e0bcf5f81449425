"""Background work for the wizard: blocking calls run on worker threads and report through Qt signals.

Contract: a job function has the shape ``fn(progress: ProgressSink, cancel: CancelToken) -> result``. It
runs on a worker thread and must not touch widgets; its progress events, result and exception reach
the GUI thread only through the signals of :class:`Job`, which lives on the GUI thread (queued
connections). Progress is throttled per VM to at most ``1 / interval`` events per second, so a fast
converter cannot flood the event loop. Cancellation is a :class:`CancelToken`; a cancelled job emits
``cancelled``, never ``failed``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from wizard.core.errors import Cancelled
from wizard.core.progress import CancelToken, ProgressEvent, ProgressSink

log = logging.getLogger(__name__)

JobFn = Callable[[ProgressSink, CancelToken], Any]


class ThrottledSink:
    """A thread-safe sink forwarding at most one event per ``interval`` s for each VM.

    Stage changes, completed stages and warnings/errors always pass, so nothing a user must see is lost.
    """

    def __init__(self, forward: ProgressSink, interval: float = 0.1) -> None:
        self._forward = forward
        self._interval = interval
        self._last: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def __call__(self, event: ProgressEvent) -> None:
        now = time.monotonic()
        important = event.level != "info" or (event.total and event.done >= event.total)
        with self._lock:
            last_time, last_stage = self._last.get(event.vm, (-1e9, ""))
            if not important and event.stage == last_stage and now - last_time < self._interval:
                return
            self._last[event.vm] = (now, event.stage)
        self._forward(event)


class _Runnable(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job = job

    def run(self) -> None:
        self._job._execute()


class Job(QObject):
    """One blocking function on the global thread pool. Keep a reference until ``finished`` fires."""

    progress = Signal(object)  # ProgressEvent
    succeeded = Signal(object)  # the result
    failed = Signal(object)  # the exception
    cancelled = Signal()
    finished = Signal()  # after any of the three above

    _alive: set[Job] = set()

    def __init__(self, fn: JobFn, parent: QObject | None = None, interval: float = 0.1) -> None:
        super().__init__(parent)
        self._fn = fn
        self.token = CancelToken()
        self.running = False
        self._sink = ThrottledSink(self.progress.emit, interval)

    def start(self) -> Job:
        self.running = True
        Job._alive.add(self)  # the Python wrapper must outlive the worker
        self.finished.connect(self._release)
        QThreadPool.globalInstance().start(_Runnable(self))
        return self

    def cancel(self, reason: str = "cancelled by user") -> None:
        self.token.cancel(reason)

    def _release(self) -> None:
        self.running = False
        Job._alive.discard(self)

    def _execute(self) -> None:  # worker thread
        try:
            result = self._fn(self._sink, self.token)
        except Cancelled:
            self.cancelled.emit()
        except BaseException as exc:  # noqa: BLE001 - every failure goes to the GUI as a signal
            log.debug("job failed", exc_info=True)
            self.failed.emit(exc)
        else:
            if self.token.cancelled:
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)
        self.finished.emit()


def run_job(fn: JobFn, *, on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[BaseException], None] | None = None,
            on_progress: Callable[[ProgressEvent], None] | None = None,
            on_cancel: Callable[[], None] | None = None, on_finish: Callable[[], None] | None = None,
            parent: QObject | None = None) -> Job:
    """Start ``fn`` in the background with callbacks run on the GUI thread (connected before start)."""
    job = Job(fn, parent)
    if on_progress:
        job.progress.connect(on_progress)
    if on_success:
        job.succeeded.connect(on_success)
    if on_failure:
        job.failed.connect(on_failure)
    if on_cancel:
        job.cancelled.connect(on_cancel)
    if on_finish:
        job.finished.connect(on_finish)
    return job.start()

"""Progress events and cancellation, shared by every long operation.

Contract for long operations: take ``progress: ProgressSink | None`` and ``cancel: CancelToken | None``;
call ``cancel.check()`` at least every few MiB / every network round trip (raises :class:`Cancelled`);
report through a :class:`Meter`, which throttles and computes rate and ETA. Sinks are plain callables,
called on the worker's thread: a UI adapter must marshal them to its own thread (Qt signals do).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wizard.core.errors import Cancelled


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """One progress report. ``total`` is 0 when unknown; ``vm`` names the VM for multi-VM runs."""

    stage: str
    done: int = 0
    total: int = 0
    message: str = ""
    vm: str = ""
    rate: float = 0.0  # units (bytes) per second, smoothed
    eta: float | None = None  # seconds, None when unknown
    level: str = "info"  # info | warning | error, for log lines carried as events

    @property
    def fraction(self) -> float | None:
        return min(1.0, self.done / self.total) if self.total else None

    def to_dict(self) -> dict[str, object]:
        return {
            "stage": self.stage, "done": self.done, "total": self.total, "message": self.message,
            "vm": self.vm, "rate": round(self.rate, 1), "eta": None if self.eta is None else round(self.eta, 1),
            "level": self.level,
        }


ProgressSink = Callable[[ProgressEvent], None]


def null_sink(_event: ProgressEvent) -> None:
    """A sink that drops everything."""


class CancelToken:
    """A thread-safe, hierarchical cancellation flag.

    Cancelling a token cancels its children (``child()``), never its parent: cancelling one VM leaves
    the run going, cancelling the run stops every VM.
    """

    def __init__(self, parent: CancelToken | None = None) -> None:
        self._event = threading.Event()
        self._children: list[CancelToken] = []
        self._lock = threading.Lock()
        self.reason = ""
        if parent is not None:
            parent._adopt(self)

    def _adopt(self, child: CancelToken) -> None:
        with self._lock:
            self._children.append(child)
            cancelled = self._event.is_set()
        if cancelled:
            child.cancel(self.reason)

    def child(self) -> CancelToken:
        return CancelToken(self)

    def cancel(self, reason: str = "cancelled by user") -> None:
        with self._lock:
            if self._event.is_set():
                return
            self.reason = reason
            self._event.set()
            children = list(self._children)
        for child in children:
            child.cancel(reason)

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if cancellation was requested."""
        if self._event.is_set():
            raise Cancelled(self.reason)

    def wait(self, timeout: float | None = None) -> bool:
        """Sleep up to ``timeout`` seconds, waking early on cancel; True if cancelled."""
        return self._event.wait(timeout)


class CancelHook(CancelToken):
    """A child token that also calls ``on_cancel(owner)`` when cancelled — e.g. to shut the sockets a blocked
    read waits on, so it ends at once. ``owner`` is held weakly: once it is gone the hook does nothing."""

    def __init__(self, parent: CancelToken, owner: object, on_cancel: Callable[[Any], None]) -> None:
        self._owner = weakref.ref(owner)
        self._on_cancel = on_cancel
        super().__init__(parent)

    def cancel(self, reason: str = "cancelled by user") -> None:
        super().cancel(reason)
        owner = self._owner()
        if owner is not None:
            self._on_cancel(owner)


NEVER_CANCELLED = CancelToken()


@dataclass
class Meter:
    """Turns byte counts into throttled :class:`ProgressEvent` s with a smoothed rate and ETA.

    ``update(done)`` may be called as often as wanted; the sink sees at most one event per
    ``interval`` seconds (plus the final one from ``finish``).
    """

    sink: ProgressSink | None
    stage: str
    total: int = 0
    vm: str = ""
    interval: float = 0.1
    clock: Callable[[], float] = time.monotonic
    _start: float = field(init=False, default=0.0)
    _last_emit: float = field(init=False, default=-1e9)
    _last_done: int = field(init=False, default=0)
    _last_time: float = field(init=False, default=0.0)
    _rate: float = field(init=False, default=0.0)
    done: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self._start = self._last_time = self.clock()

    def update(self, done: int, message: str = "", *, force: bool = False) -> None:
        self.done = done
        if self.sink is None:
            return
        now = self.clock()
        if not force and now - self._last_emit < self.interval:
            return
        dt = now - self._last_time
        if dt > 0:
            instant = (done - self._last_done) / dt
            self._rate = instant if self._rate == 0 else 0.7 * self._rate + 0.3 * instant
        self._last_done, self._last_time, self._last_emit = done, now, now
        eta = (self.total - done) / self._rate if self.total and self._rate > 0 else None
        self.sink(ProgressEvent(self.stage, done, self.total, message, self.vm, self._rate, eta))

    def advance(self, delta: int, message: str = "") -> None:
        self.update(self.done + delta, message)

    def finish(self, message: str = "") -> None:
        elapsed = self.clock() - self._start
        if self.sink is not None:
            rate = self.done / elapsed if elapsed > 0 else 0.0
            self.sink(ProgressEvent(self.stage, self.done, self.total or self.done, message, self.vm, rate, 0.0))

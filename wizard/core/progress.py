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
    # Which part of a VM's work this event is about (set by ``wizard.migrate.item`` on every event of a VM):
    # ``parts`` are the sizes in bytes of the VM's disks, in the order they are worked on; ``part`` is 1 ..
    # len(parts) while disk ``part`` is worked on and len(parts) + 1 for the closing steps after the last
    # disk (create, check, fix-ups); 0 = not said (events from outside a VM's migration).
    part: int = 0
    parts: tuple[int, ...] = ()

    @property
    def fraction(self) -> float | None:
        return min(1.0, self.done / self.total) if self.total else None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "stage": self.stage, "done": self.done, "total": self.total, "message": self.message,
            "vm": self.vm, "rate": round(self.rate, 1), "eta": None if self.eta is None else round(self.eta, 1),
            "level": self.level,
        }
        if self.parts:  # only where said: older consumers of --json see the keys they know
            out["part"], out["parts"] = self.part, list(self.parts)
        return out


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


#: Where each stage of one disk's work lies within that disk's share of its VM's bar, in the order the stages
#: run: reading and converting, checking the copy, then hashing (bundle) or uploading it (Hyper-V host). A
#: stage that does not run (no verify; a disk streamed straight to the host) is jumped over, never gone back to.
DISK_STAGE_SPANS: dict[str, tuple[float, float]] = {
    "download": (0.0, 0.7), "read": (0.0, 0.7), "convert": (0.0, 0.7), "write": (0.0, 0.7),
    "verify": (0.7, 0.85),
    "hash": (0.85, 1.0), "upload": (0.85, 0.95), "verify-upload": (0.95, 1.0),
}
#: The share of a VM's bar for its closing steps after the last disk (create the VM or bundle, check, fix-ups).
CLOSING_SHARE = 0.02


def stage_span(stage: str) -> tuple[float, float] | None:
    """The span of :data:`DISK_STAGE_SPANS` for ``stage`` (also "convert: disk0.vmdk"-style names), else None."""
    span = DISK_STAGE_SPANS.get(stage)
    if span is None:
        head = stage.replace(":", " ").split(" ", 1)[0].lower()
        span = DISK_STAGE_SPANS.get(head)
    return span


class VmProgress:
    """One VM's progress as a single fraction over all its disks and stages that never goes backwards, and
    its time left at the VM's own average pace so far.

    Disks weigh by their size (``ProgressEvent.parts``; equal weights when the sizes are unknown); within a
    disk each stage fills its span of :data:`DISK_STAGE_SPANS` (an unknown stage holds the bar where it is);
    the closing steps fill the last :data:`CLOSING_SHARE`. Events without ``parts`` count as one disk.
    :meth:`reset` starts over (a VM queued again for a retry). Feed it from one thread.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.fraction = 0.0
        self.part = 0  # as the last event said (see ProgressEvent.part)
        self.parts: tuple[int, ...] = ()
        self._started: float | None = None

    def reset(self) -> None:
        self.fraction, self.part, self.parts, self._started = 0.0, 0, (), None

    def start(self) -> None:
        """Start the clock for the time left (the VM began running); later calls keep the first start."""
        if self._started is None:
            self._started = self.clock()

    def update(self, event: ProgressEvent) -> float:
        """Take one event of this VM; the VM's fraction, at least what it was before."""
        self.start()
        parts = event.parts or (1,)
        part = event.part or 1
        self.part, self.parts = part, event.parts
        weights = parts if sum(parts) > 0 else tuple(1 for _ in parts)
        total = sum(weights)
        disks = 1.0 - CLOSING_SHARE
        step = event.fraction or 0.0
        if part > len(parts):
            value = disks + CLOSING_SHARE * step
        else:
            span = stage_span(event.stage)
            within = 0.0 if span is None else span[0] + (span[1] - span[0]) * step
            value = disks * (sum(weights[:part - 1]) + weights[part - 1] * within) / total
        self.fraction = max(self.fraction, min(1.0, value))
        return self.fraction

    def finish(self) -> None:
        """The VM was migrated: the bar is full."""
        self.fraction = 1.0

    def eta(self) -> float | None:
        """Seconds left at the average pace since :meth:`start`; None until there is a pace to go by (at least
        a second and 1 % done)."""
        if self._started is None or self.fraction < 0.01:
            return None
        elapsed = self.clock() - self._started
        if elapsed < 1.0:
            return None
        return elapsed * (1.0 - self.fraction) / self.fraction

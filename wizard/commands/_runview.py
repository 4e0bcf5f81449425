"""Terminal view of a multi-VM migration: one line per VM plus a total on a TTY, plain log lines otherwise.

Used by ``hvmigrate migrate`` and ``hvmigrate demo``. It is a :data:`ProgressSink`: the pipeline calls it
from worker threads, so drawing is serialised and throttled (at most 10 redraws a second).
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass
from typing import TextIO

from wizard.commands._term import pad, printable, state_word
from wizard.core.i18n import phrase, translate
from wizard.core.progress import ProgressEvent
from wizard.core.units import human_bytes, human_duration


@dataclass
class _Row:
    name: str
    state: str = "queued"
    stage: str = ""
    done: int = 0
    total: int = 0
    rate: float = 0.0
    eta: float | None = None


class RunView:
    def __init__(self, names: list[str], stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.rows = {n: _Row(n) for n in names}
        self._lock = threading.Lock()
        self._drawn_lines = 0
        self._last_draw = 0.0
        self._width = max([len(n) for n in names] + [8])

    def __call__(self, event: ProgressEvent) -> None:
        with self._lock:
            row = self.rows.get(event.vm)
            if event.stage == "state" and row is not None:
                row.state = event.message
                if not self.tty and event.message != "queued":
                    self._print(f"   {event.vm}: {state_word(event.message)}")
            elif event.stage == "log":
                if event.level in ("warning", "error") or not self.tty:
                    self._print(f"{event.vm + ': ' if event.vm else ''}{translate(event.message)}")
            elif row is not None:
                row.stage, row.done, row.total, row.rate, row.eta = (event.stage, event.done, event.total,
                                                                     event.rate, event.eta)
            if self.tty:
                self._draw(force=event.stage == "state")

    def _print(self, text: str) -> None:
        self._erase()
        self.stream.write(printable(text) + "\n")
        self.stream.flush()

    def _erase(self) -> None:
        if self._drawn_lines:
            self.stream.write(f"\x1b[{self._drawn_lines}F\x1b[J")
            self._drawn_lines = 0

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_draw < 0.1:
            return
        self._last_draw = now
        self._erase()
        lines = []
        for row in self.rows.values():
            frac = row.done / row.total if row.total else (1.0 if row.state == "done" else 0.0)
            bar = "#" * int(frac * 20)
            detail = (f"{row.stage:<8} {human_bytes(row.rate)}/s ETA {human_duration(row.eta)}"
                      if row.state == "running" else "")
            name = printable(row.name)[:self._width]
            lines.append(f"{pad(name, self._width)} {pad(state_word(row.state), 9)} [{bar:<20}] {frac * 100:5.1f}% "
                         f"{detail}")
        finished = sum(r.state in ("done", "failed", "cancelled", "skipped") for r in self.rows.values())
        lines.append(f"{pad(translate('total'), self._width)} {phrase('{0}/{1} finished', finished, len(self.rows))}")
        self.stream.write("\n".join(lines) + "\n")
        self.stream.flush()
        self._drawn_lines = len(lines)

    def close(self) -> None:
        with self._lock:
            if self.tty:
                self._draw(force=True)
            self._drawn_lines = 0

"""Terminal progress output shared by the sub-commands (a bar on a TTY, nothing otherwise)."""

from __future__ import annotations

import json
import sys
import threading
import unicodedata
from typing import TextIO

from wizard.core.i18n import translate
from wizard.core.progress import ProgressEvent
from wizard.core.units import human_bytes, human_duration


def state_word(state: str) -> str:
    """A VM's state (``queued``, ``running``, ``done``...: the JSON keeps these) as the person at the terminal
    reads it, in the current language."""
    words = {"queued": translate("queued"), "running": translate("running"), "done": translate("done"),
             "failed": translate("failed"), "cancelled": translate("cancelled"), "skipped": translate("skipped"),
             "syncing": translate("syncing"), "cutting-over": translate("cutting over"),
             "synchronised": translate("synchronised")}
    return words.get(state, state)


def printable(text: str) -> str:
    """``text`` fit for a terminal line: control characters (ESC, newline, BEL, bidi overrides...) from VM
    names and server messages are shown escaped, so a name cannot move the cursor, retitle the window or
    write the clipboard (OSC 52)."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: East Asian wide and full-width characters (Chinese) take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (``str.ljust`` counts characters, so Chinese
    words would push the next column out of line)."""
    return text + " " * max(0, width - display_width(text))


class TerminalProgress:
    """A :data:`ProgressSink` drawing ``stage [#####-----] 45% 120.3 MiB/s ETA 00:12`` on stderr.

    Draws only when ``stream`` is a TTY (so logs and pipes stay clean); thread-safe.
    """

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.width = width
        self._lock = threading.Lock()
        self._drawn = False

    def __call__(self, event: ProgressEvent) -> None:
        if not self.enabled:
            return
        frac = event.fraction
        bar = "#" * int((frac or 0) * self.width)
        pct = f"{frac * 100:5.1f}%" if frac is not None else "  ?  "
        label = f"{event.vm}: {event.stage}" if event.vm else event.stage
        line = (f"\r{label[:28]:<28} [{bar:<{self.width}}] {pct} "
                f"{human_bytes(event.rate)}/s ETA {human_duration(event.eta)}")
        with self._lock:
            self.stream.write(line[:160].ljust(100))
            self.stream.flush()
            self._drawn = True

    def close(self) -> None:
        with self._lock:
            if self._drawn:
                self.stream.write("\n")
                self.stream.flush()
                self._drawn = False


class JsonEvents:
    """A sink printing one JSON object per event (``--json-events``)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self._lock = threading.Lock()

    def __call__(self, event: ProgressEvent) -> None:
        with self._lock:
            self.stream.write(json.dumps({"event": "progress", **event.to_dict()}) + "\n")
            self.stream.flush()


def terminal_prompt(kind: str, user: str, host: str) -> str | None:
    """Ask for a password on the terminal (the command line's :data:`wizard.core.secrets.Prompt`); None when
    there is no terminal to ask on (scripts, pipes)."""
    if sys.stdin is None or not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass(f"Password for {user or 'user'}@{host}: ") or None

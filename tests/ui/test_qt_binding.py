"""The Qt binding the wizard runs on must not corrupt Python's reference counts: PySide6 6.12.0 released a
reference to None (built-in signals) or to True/False (our own signals) on every delivery, and after some
thousands of signals — a migration's progress events, a few minutes of typing — the interpreter aborted
with "deallocating None". pyproject.toml keeps that version out; this test keeps it out for good."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSpinBox

SIGNALS = 500  # far below the crash, far above noise


class _Emitter(QObject):
    changed = Signal(object)
    flag = Signal(bool)


def _none_and_bools() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def test_signals_delivered_to_python_slots_keep_reference_counts(qapp):
    spin = QSpinBox()
    spin.setRange(0, SIGNALS)
    emitter = _Emitter()
    seen: list[object] = []
    spin.valueChanged.connect(seen.append)
    emitter.changed.connect(seen.append)
    emitter.flag.connect(seen.append)
    before = _none_and_bools()
    for i in range(SIGNALS):
        spin.setValue(i + 1)
        emitter.changed.emit(i)
        emitter.flag.emit(i % 2 == 0)
    seen.clear()
    after = _none_and_bools()
    lost = [b - a for a, b in zip(after, before, strict=True)]
    assert max(lost) < SIGNALS // 10, f"references lost per {SIGNALS} signals (None, True, False): {lost}"

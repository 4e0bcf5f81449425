"""Cancellation tokens and progress metering."""

from __future__ import annotations

import threading

import pytest

from wizard.core.errors import Cancelled
from wizard.core.progress import CancelToken, Meter


def test_cancelling_a_run_cancels_every_vm_but_not_the_reverse():
    run = CancelToken()
    vm1, vm2 = run.child(), run.child()
    vm1.cancel("skip vm1")
    assert vm1.cancelled and not run.cancelled and not vm2.cancelled
    run.cancel()
    assert vm2.cancelled
    with pytest.raises(Cancelled):
        vm2.check()
    assert run.child().cancelled  # a child made after cancel starts cancelled


def test_wait_wakes_on_cancel_from_another_thread():
    token = CancelToken()
    threading.Timer(0.01, token.cancel).start()
    assert token.wait(10) is True


def test_meter_throttles_and_reports_rate_and_eta():
    now = [0.0]
    events = []
    meter = Meter(events.append, "convert", total=1000, interval=0.1, clock=lambda: now[0])
    for i in range(1, 11):
        now[0] = i * 0.01
        meter.update(i * 10)
    assert len(events) == 1  # first update emits, the next nine fall inside the 0.1 s window
    now[0] = 0.5
    meter.update(500)
    assert events[-1].rate > 0 and events[-1].eta is not None
    meter.finish()
    assert events[-1].done == 500 and events[-1].eta == 0.0

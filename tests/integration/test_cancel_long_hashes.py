"""Every long hash honours cancel: also the verify pass's digest of a huge, mostly empty disk (64 TiB of holes
take about a second to chain) stops as soon as the user cancels (Ctrl+C, SIGTERM and the wizard's Cancel all
cancel the run's token). The resume's re-hash of a journalled disk: tests/security/test_hostile_journal.py."""

from __future__ import annotations

import threading
import time

import pytest

from wizard.core.errors import Cancelled
from wizard.core.progress import CancelToken
from wizard.disks.digest import ContentDigest

TiB = 1024**4


def _cancel_soon(token: CancelToken) -> threading.Timer:
    timer = threading.Timer(0.05, token.cancel)
    timer.start()
    return timer


def test_the_digest_of_a_64_tib_hole_stops_when_cancelled() -> None:
    token = CancelToken()
    timer = _cancel_soon(token)
    started = time.monotonic()
    with pytest.raises(Cancelled):
        for _ in range(20):  # 20 s of work when cancel is ignored
            ContentDigest().hexdigest(64 * TiB, token)
    timer.join()
    assert time.monotonic() - started < 1.0


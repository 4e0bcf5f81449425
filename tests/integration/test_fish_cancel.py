"""Cancelling during a long command inside the libguestfs appliance (an initramfs rebuild takes minutes under
TCG): the migration stops at once, and no guestfish server or QEMU is left holding the disk files (real
libguestfs)."""

from __future__ import annotations

import os
import threading
import time

import pytest

from wizard.core.errors import Cancelled
from wizard.core.libguestfs import availability
from wizard.core.progress import CancelToken
from wizard.guests.fish import Fish

pytestmark = pytest.mark.skipif(not availability(launch=True).ok, reason="libguestfs cannot run here")


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] == "Z"
    except OSError:
        return True


def test_cancel_ends_a_running_command_and_the_appliance(tmp_path):
    disk = tmp_path / "blank.raw"
    disk.write_bytes(b"")
    os.truncate(disk, 16 * 1024 * 1024)
    cancel = CancelToken()
    fish = Fish([disk], cancel=cancel)
    server, qemu = fish.pid, fish._qemu
    assert server and qemu
    started = time.monotonic()
    timer = threading.Timer(1.0, cancel.cancel)
    timer.start()
    try:
        with pytest.raises(Cancelled):
            fish.call("sleep", "300")  # the appliance would be busy for five minutes
    finally:
        timer.cancel()
        fish.close()
    assert time.monotonic() - started < 120, "cancelling waited for the command to finish"
    assert _gone(server) and _gone(qemu), "a guestfish server or its QEMU outlived the cancelled preparation"

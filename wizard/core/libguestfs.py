"""Can this workstation run libguestfs? One probe, cached, that the rules and the guest preparation share.

Offline preparation of Linux guests (``wizard.guests``) runs the libguestfs command-line tools (Debian's
``libguestfs-tools``): they start a small appliance VM under QEMU that mounts the guest's file systems. That
works only on Linux with the package installed and an appliance that starts. The compatibility rules must
say "done automatically" only when it will be done, and they sit beside ``wizard.guests`` in the layers
(neither imports the other), so the probe lives here, below both.

Contract: :func:`availability` answers ``Availability(ok, reason)`` and never raises. It never starts the
appliance unless ``launch`` is true; a launched answer is cached in memory and on disk (the user cache
folder, keyed by the ``guestfish`` binary and the running kernel, which the appliance is built from) so the
20 s appliance start under TCG is paid once per machine. Without a launched answer on record, a quick
answer says whether the tools are installed, and ``checked`` says whether the appliance was seen starting.

Environment: :func:`guestfs_env` always selects ``LIBGUESTFS_BACKEND=direct`` (no libvirt daemon needed) and
``force_tcg`` unless the user set ``LIBGUESTFS_BACKEND_SETTINGS`` (QEMU's default CPU model aborts under KVM
on some machines; TCG is slower but always works). ``HVMIGRATE_LIBGUESTFS=off`` turns preparation off on
this workstation (the finding then says so).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from wizard.core.paths import cache_dir
from wizard.core.serial import write_json_atomic

PROBE_TIMEOUT = 600.0  # seconds: the first start under TCG builds the appliance (supermin) first
_CACHE_FILE = "libguestfs-probe.json"
_FAILED_FOR = 600.0  # a failed launch is tried again after this long (someone may be fixing it)
_lock = threading.Lock()  # held only to look up and record answers, never while the appliance starts
_memo: dict[str, Availability] = {}
_probing: dict[str, threading.Event] = {}  # a launch in progress for this key: later callers wait for its answer


@dataclass(frozen=True)
class Availability:
    """``ok``: the guest preparation can run here; ``reason``: why not (or "" when ok), one sentence;
    ``checked``: the appliance was seen starting (or failing), not only the tools found."""

    ok: bool
    reason: str = ""
    checked: bool = False


def guestfs_env() -> dict[str, str]:
    """The environment every libguestfs tool runs with (see the module docstring)."""
    env = dict(os.environ)
    env["LIBGUESTFS_BACKEND"] = "direct"
    if not env.get("LIBGUESTFS_BACKEND_SETTINGS"):
        env["LIBGUESTFS_BACKEND_SETTINGS"] = "force_tcg"
    env.setdefault("LANG", "C.UTF-8")
    env.pop("GUESTFISH_PID", None)  # never talk to someone else's guestfish server
    return env


def guestfish_path() -> str | None:
    return shutil.which("guestfish")


def _quick() -> Availability | None:
    """A "no" that needs no appliance start, or None when the tools are there."""
    if os.environ.get("HVMIGRATE_LIBGUESTFS", "").strip().lower() in ("off", "0", "false", "no"):
        return Availability(False, "guest preparation is turned off on this workstation (HVMIGRATE_LIBGUESTFS=off)",
                            checked=True)
    if not sys.platform.startswith("linux"):
        return Availability(False, "libguestfs, which prepares Linux guests offline, runs only on Linux "
                                   "workstations", checked=True)
    if guestfish_path() is None:
        return Availability(False, "libguestfs is not installed on this workstation (Debian/Ubuntu: apt install "
                                   "libguestfs-tools; RHEL/Fedora: dnf install guestfs-tools)", checked=True)
    return None


def _key() -> str:
    path = guestfish_path() or ""
    try:
        st = os.stat(path)
        stamp = f"{st.st_size}:{int(st.st_mtime)}"
    except OSError:
        stamp = "?"
    return f"{path}|{stamp}|{os.uname().release}|{guestfs_env()['LIBGUESTFS_BACKEND_SETTINGS']}"


def _read_cache(key: str) -> Availability | None:
    try:
        with open(cache_dir() / _CACHE_FILE, encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("key") != key:
        return None
    ok = bool(doc.get("ok"))
    if not ok and time.time() - float(doc.get("at", 0) or 0) > _FAILED_FOR:
        return None
    return Availability(ok, str(doc.get("reason", "")), checked=True)


def _write_cache(key: str, answer: Availability) -> None:
    try:
        cache_dir().mkdir(parents=True, exist_ok=True)
        write_json_atomic(cache_dir() / _CACHE_FILE,
                          {"key": key, "ok": answer.ok, "reason": answer.reason, "at": time.time()})
    except OSError:
        pass  # a cache that cannot be written costs a probe next time, nothing else


def _launch(timeout: float) -> Availability:
    """Start the appliance once with no disk (``guestfish -a /dev/null run``)."""
    try:
        done = subprocess.run([guestfish_path() or "guestfish", "-a", "/dev/null", "run"], env=guestfs_env(),
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return Availability(False, f"the libguestfs appliance did not start within {int(timeout)} s "
                                   "(run libguestfs-test-tool to see why)", checked=True)
    except OSError as exc:
        return Availability(False, f"guestfish could not be run: {exc.strerror or exc}", checked=True)
    if done.returncode != 0:
        lines = [x for x in done.stderr.decode("utf-8", "replace").splitlines() if x.strip()]
        last = lines[-1].strip() if lines else f"exit status {done.returncode}"
        return Availability(False, f"the libguestfs appliance does not start on this workstation ({last[:200]}; "
                                   "run libguestfs-test-tool to see why)", checked=True)
    return Availability(True, checked=True)


def availability(*, launch: bool = False, timeout: float = PROBE_TIMEOUT) -> Availability:
    """Whether the guest preparation can run on this workstation (see the module docstring)."""
    quick = _quick()
    if quick is not None:
        return quick
    key = _key()
    with _lock:
        known = _memo.get(key) or _read_cache(key)
        if known is not None:
            _memo[key] = known
            return known
        if not launch:  # never waits for a launch in progress: an assessment must not stall for minutes
            return Availability(True, checked=False)
        running = _probing.get(key)
        if running is None:
            running = _probing[key] = threading.Event()
            mine = True
        else:
            mine = False
    if not mine:  # another VM's preparation is starting the appliance: its answer is this one's
        running.wait(timeout)
        with _lock:
            return _memo.get(key) or Availability(False, "the libguestfs probe ended without an answer",
                                                  checked=True)
    try:
        answer = _launch(timeout)
        with _lock:
            _memo[key] = answer
            _write_cache(key, answer)
        return answer
    finally:
        with _lock:
            _probing.pop(key, None)
        running.set()


def forget() -> None:
    """Drop the in-memory answer (tests; a workstation that was just repaired)."""
    with _lock:
        _memo.clear()

"""The migration journal: an append-only, fsynced record of finished work, for ``--resume``.

One JSON object per line. Each append is a single ``write`` on an ``O_APPEND`` descriptor followed by
``fsync``, so after a crash (even kill -9 or power loss) the file holds every record whose ``append``
returned, plus at most one torn last line, which :meth:`Journal.replay` ignores.

Records are facts, never intentions: ``disk_done`` is appended only after the disk's output was
verified and renamed into place, ``vm_done`` only after the VM's last stage. Resume trusts a
``disk_done`` record only if the output file still exists with the recorded size (the caller may also
re-check the hash). No secret is ever written here.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard.core.errors import InputError


@dataclass
class DiskRecord:
    vm: str
    disk: int
    path: str
    size: int
    sha256: str
    result: dict[str, Any] = field(default_factory=dict)  # the target's DiskResult, without its spec


@dataclass
class JournalState:
    """What a journal says was finished. Keys are VM ids (``SourceVM.id``)."""

    plan_sha256: str = ""
    disks: dict[tuple[str, int], DiskRecord] = field(default_factory=dict)
    vms_done: set[str] = field(default_factory=set)
    vms_failed: dict[str, str] = field(default_factory=dict)
    source_changes: list[dict[str, Any]] = field(default_factory=list)  # e.g. snapshots we made, to undo
    # the last checkpoint of a disk: (source offset, source identity)
    progress: dict[tuple[str, int], tuple[int, str]] = field(default_factory=dict)

    def disk_done(self, vm: str, disk: int) -> DiskRecord | None:
        """The record of a finished disk whose local output is still there with the recorded size; a disk
        stored on the target (no local path) is returned as recorded, for the target to check."""
        rec = self.disks.get((vm, disk))
        if rec is None or not rec.path:
            return rec
        try:
            if os.path.getsize(rec.path) != rec.size:
                return None
        except OSError:
            return None
        return rec


class Journal:
    """Append-only journal at ``path``. Thread-safe; one instance per run."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        self._lock = threading.Lock()

    def append(self, event: str, **fields: Any) -> None:
        record = {"event": event, "time": round(time.time(), 3), **fields}
        line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        with self._lock:
            os.write(self._fd, line)
            os.fsync(self._fd)

    def close(self) -> None:
        with self._lock:
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def replay(path: str | os.PathLike[str]) -> JournalState:
        """Read a journal back. A missing file is an empty state; a torn final line is ignored; a
        corrupt line elsewhere is an :class:`InputError` naming the line (the journal was edited)."""
        state = JournalState()
        p = Path(path)
        if not p.exists():
            return state
        lines = p.read_bytes().split(b"\n")
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                if number == len(lines):  # torn write at the very end: the crash we are resuming from
                    break
                raise InputError(f"journal line {number} is corrupt", path=p,
                                 fix="Start the migration again without --resume, into a new folder.") from None
            _apply(state, rec)
        return state


def _apply(state: JournalState, rec: dict[str, Any]) -> None:
    event = rec.get("event")
    vm = str(rec.get("vm", ""))
    if event == "run_start":
        state.plan_sha256 = str(rec.get("plan_sha256", ""))
    elif event == "disk_progress":
        state.progress[(vm, int(rec.get("disk", 0)))] = (int(rec.get("offset", 0)), str(rec.get("source", "")))
    elif event == "disk_done":
        disk = int(rec.get("disk", 0))
        result = rec.get("result")
        state.disks[(vm, disk)] = DiskRecord(vm, disk, str(rec.get("path", "")), int(rec.get("size", -1)),
                                             str(rec.get("sha256", "")), result if isinstance(result, dict) else {})
    elif event == "vm_done":
        state.vms_done.add(vm)
        state.vms_failed.pop(vm, None)
    elif event == "vm_failed":
        state.vms_failed[vm] = str(rec.get("error", ""))
    elif event == "vm_reset":  # a retry starts the VM over
        state.vms_done.discard(vm)
        for key in [k for k in state.disks if k[0] == vm]:
            del state.disks[key]
        for key in [k for k in state.progress if k[0] == vm]:
            del state.progress[key]
    elif event == "source_change":
        state.source_changes.append({k: v for k, v in rec.items() if k not in ("event", "time")})
    elif event == "source_change_undone":
        state.source_changes = [c for c in state.source_changes if c.get("id") != rec.get("id")]

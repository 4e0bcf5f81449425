"""The migration journal: an append-only, fsynced record of finished work, for ``--resume``.

One JSON object per line. Each append is a single ``write`` on an ``O_APPEND`` descriptor followed by
``fsync``, so after a crash (even kill -9 or power loss) the file holds every record whose ``append``
returned, plus at most one torn last line.

Records are facts, with one announced exception: ``disk_done`` is appended only after the disk's output
was verified and renamed into place, ``vm_done`` only after the VM's last stage; ``vm_commit`` is appended
*before* the target commits a VM (the bundle's folder rename), naming the disks' SHA-256, so that a resume
after a kill between the commit and ``vm_done`` can recognise the committed VM by those hashes. Resume
trusts a ``disk_done`` record only if the output is still a regular file with the recorded size (the
caller re-checks its path and hash). No secret is ever written here.

The journal is a file in a folder others may write to (the bundle folder), so it is read and written by
rules (:func:`Journal.replay`, :class:`Journal`):

- it is opened without following a symbolic link, and only a regular file is used: a link, folder, named
  pipe or device under its name is refused with a typed error (never followed, read or blocked on);
- it is read line by line with a size limit (:data:`MAX_BYTES`, :data:`MAX_LINE`), and only the records of
  the plan's VMs are kept, so memory stays bounded whatever the file holds;
- every record's shape is checked (field names and types); a line that is not a record hvmigrate writes is
  an :class:`InputError` naming the line — except the last line, which a crash may have cut short: a torn
  tail is ignored, reported in :attr:`JournalState.notes` and cut off when the journal is opened again
  (``truncate``), so the next append starts on a fresh line.
"""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard.core.errors import HvmError, InputError, UnsafeFileError
from wizard.core.ioerrors import io_error

MAX_BYTES = 64 * 1024 * 1024  # far above any real journal (a record is ~200 bytes; one checkpoint per GiB)
MAX_LINE = 1024 * 1024  # a record holds one disk's result or one error line
MAX_DISKS = 4096  # disk numbers are indexes into a VM's disks (Hyper-V takes 260, vSphere 256 or so)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX: opening a named pipe must not wait for a writer
_OPEN = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) | _NONBLOCK | getattr(os, "O_BINARY", 0)
_GLUE = b'{"event":'  # every record starts so: a torn fragment an older version appended after shows it
_UNREAD = object()  # a line that is not JSON at all
_WORDS = {str: "text", int: "a whole number", dict: "a JSON object", list: "a JSON list"}
_JSON_WORDS = {type(None): "null", bool: "true/false", int: "number", float: "number", str: "text", list: "list"}
_FRESH_FIX = "Choose a file name for the journal: a new file, or the journal of an earlier run."


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
    """What a journal says was finished. Keys are VM ids (``SourceVM.id``).

    ``valid_bytes``: where the last whole record ends; ``torn_bytes``: how much follows it (a torn tail);
    ``notes``: what was repaired, for people (a torn tail ignored, a fragment skipped)."""

    plan_sha256: str = ""
    disks: dict[tuple[str, int], DiskRecord] = field(default_factory=dict)
    vms_done: set[str] = field(default_factory=set)
    vms_failed: dict[str, str] = field(default_factory=dict)
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)  # source changes by id, e.g. snapshots to undo
    # the last checkpoint of a disk: (source offset, source identity)
    progress: dict[tuple[str, int], tuple[int, str]] = field(default_factory=dict)
    # VMs whose commit was announced (vm_commit) and not yet followed by vm_done: disk index -> SHA-256
    commits: dict[str, dict[int, str]] = field(default_factory=dict)
    # the ``sync`` policy (wizard.migrate.sync): each disk's last synchronised state (sync_disk: change id,
    # local VHDX, the per-MiB digests file and its SHA-256), each VM's last round (sync_round) and the last
    # cut-over step (cutover: begin | source_off | synced | created | started | start_failed | done | aborted)
    sync_disks: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    sync_rounds: dict[str, dict[str, Any]] = field(default_factory=dict)
    cutovers: dict[str, dict[str, Any]] = field(default_factory=dict)
    # what the offline Linux guest preparation did (wizard.guests.report.PrepReport as a JSON object), for the
    # report of a resumed run whose disks the interrupted one finished
    guest_preps: dict[str, dict[str, Any]] = field(default_factory=dict)
    valid_bytes: int = 0
    torn_bytes: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def source_changes(self) -> list[dict[str, Any]]:
        """The changes made to source VMs (e.g. snapshots) that were not undone, in the order made."""
        return list(self.changes.values())

    def disk_done(self, vm: str, disk: int) -> DiskRecord | None:
        """The record of a finished disk whose local output is still a regular file (not a link, pipe or
        device) with the recorded size; a disk stored on the target (no local path) is returned as recorded,
        for the target to check."""
        rec = self.disks.get((vm, disk))
        if rec is None or not rec.path:
            return rec
        try:
            st = os.lstat(rec.path)
        except (OSError, ValueError):  # ValueError: a NUL in a hand-made path
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_size != rec.size:
            return None
        return rec


def _kind(mode: int) -> str:
    """In words (kept here, not shared: the message catalogue translates the phrases of this module's own
    messages)."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _not_regular(path: Path, mode: int) -> UnsafeFileError:
    return UnsafeFileError(f"the journal is {_kind(mode)}, not a regular file; hvmigrate never follows, reads "
                           "or writes it as its journal", path=path,
                           fix="Remove it (it was not written by hvmigrate), or choose another place for the journal.")


def prepare_fresh(path: str | os.PathLike[str]) -> None:
    """Make room for a new journal at ``path``: an old journal (a regular file) or a link someone left under
    its name is removed — the link itself, never what it points to; anything else there (a folder, named
    pipe, device) is refused with a typed error rather than removed."""
    p = Path(path)
    try:
        st = os.lstat(p)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise io_error(exc, "Checking the journal", p) from None
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
        raise UnsafeFileError(f"this is {_kind(st.st_mode)}, not a journal file: hvmigrate writes its journal only "
                              "to a regular file of its own, and removes nothing else", path=p, fix=_FRESH_FIX)
    try:
        p.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise io_error(exc, "Removing the journal of the earlier run", p) from None


def _open_checked(path: Path, flags: int, mode: int = 0o600) -> int:
    """A descriptor of the regular file at ``path``, opened without following a link (and without blocking
    on a pipe); anything but a regular file raises :class:`UnsafeFileError`, an OSError propagates. What is
    there is looked at before it is opened (opening some devices has effects; and where the system has no
    ``O_NOFOLLOW``, this is what keeps a link from being followed), then the descriptor is checked again."""
    try:
        before = os.lstat(path)
    except FileNotFoundError:
        pass  # created below
    else:
        if not stat.S_ISREG(before.st_mode):
            raise _not_regular(path, before.st_mode)
    try:
        fd = os.open(path, flags | _OPEN, mode)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):  # O_NOFOLLOW met a link (EMLINK: FreeBSD)
            raise _not_regular(path, stat.S_IFLNK) from None
        if exc.errno == errno.ENXIO:  # a named pipe opened for writing with no reader
            raise _not_regular(path, stat.S_IFIFO) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(path, st.st_mode)
        if _NONBLOCK:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


class Journal:
    """Append-only journal at ``path``. Thread-safe; one instance per run.

    Opening creates the file if needed (and its folder), refuses anything but a regular file (see the
    module contract) and, with ``truncate``, first cuts the file to that many bytes (the torn tail a replay
    found). Failures are typed errors naming the path. An append that fails (disk full, disk gone) does not
    raise: the journal stops, :attr:`failed` holds the typed error, and ``on_failure`` is called once — the
    migration goes on; only its resumability is less than it would be.
    """

    def __init__(self, path: str | os.PathLike[str], *, truncate: int | None = None,
                 on_failure: Callable[[HvmError], None] | None = None) -> None:
        self.path = Path(path)
        self.failed: HvmError | None = None
        self.os_error: OSError | None = None  # what made it fail, for a caller that words it its own way
        self.on_failure = on_failure
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = _open_checked(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        except OSError as exc:
            raise io_error(exc, "Opening the journal", self.path) from None
        try:
            if truncate is not None and os.fstat(self._fd).st_size > truncate:
                os.ftruncate(self._fd, truncate)
                os.fsync(self._fd)
        except OSError as exc:
            os.close(self._fd)
            raise io_error(exc, "Cutting the torn last line off the journal", self.path) from None
        self._lock = threading.Lock()

    def append(self, event: str, **fields: Any) -> None:
        self.append_all([(event, fields)])

    def append_all(self, records: list[tuple[str, dict[str, Any]]]) -> None:
        """Append several records with one write and one fsync (records that may become durable together;
        after a crash the file holds all of them, a prefix of them, or the prefix plus a torn last line)."""
        now = round(time.time(), 3)
        line = b"".join((json.dumps({"event": event, "time": now, **fields}, ensure_ascii=False,
                                    separators=(",", ":")) + "\n").encode("utf-8") for event, fields in records)
        with self._lock:
            if self._fd < 0:
                return
            try:
                view = memoryview(line)
                while view:  # a regular file takes it whole; a short write (disk full) is retried, then fails
                    view = view[os.write(self._fd, view):]
                os.fsync(self._fd)
            except OSError as exc:
                self.os_error = exc
                self.failed = io_error(exc, "Writing the journal", self.path,
                                       fix="Free space there, or choose another place for the journal next time; "
                                           "this migration goes on, but an interrupted run may have to redo "
                                           "finished work.")
                os.close(self._fd)
                self._fd = -1
                failed = self.failed
            else:
                return
        if self.on_failure is not None:
            self.on_failure(failed)

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
    def replay(path: str | os.PathLike[str], vms: Collection[str] | None = None) -> JournalState:
        """Read a journal back (see the module contract). A missing file is an empty state. With ``vms``
        only the records of those VM ids are kept (the plan's VMs: memory stays bounded by the plan).
        Raises :class:`UnsafeFileError` for a link or anything but a regular file, :class:`InputError` for
        a file too large or a line before the last that is not a record, a typed error for an OSError."""
        p = Path(path)
        state = JournalState()
        try:
            before = os.lstat(p)
        except FileNotFoundError:
            return state
        except OSError as exc:
            raise io_error(exc, "Reading the journal", p, kind=InputError) from None
        if not stat.S_ISREG(before.st_mode):  # checked before opening: opening some devices has effects
            raise _not_regular(p, before.st_mode)
        try:
            fd = _open_checked(p, os.O_RDONLY)
        except OSError as exc:
            raise io_error(exc, "Reading the journal", p, kind=InputError) from None
        with open(fd, "rb", buffering=1024 * 1024) as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_BYTES:
                raise InputError(f"the journal is {size} bytes long; hvmigrate's journals stay far below "
                                 f"{MAX_BYTES} bytes, so this is not one", path=p,
                                 fix="Start the migration again without resuming, into a new folder.")
            try:
                _read(fh, p, state, set(vms) if vms is not None else None)
            except OSError as exc:
                raise io_error(exc, "Reading the journal", p, kind=InputError) from None
        return state


def _read(fh: io.BufferedReader, path: Path, state: JournalState, vms: set[str] | None) -> None:
    """Apply every record of ``fh`` to ``state`` (see :meth:`Journal.replay`)."""
    offset, number = 0, 0
    pending: tuple[int, int, bytes] | None = None  # the line read last: (number, start offset, bytes)
    while True:
        raw = fh.readline(MAX_LINE + 1)
        if not raw:
            break
        number += 1
        if pending is not None:  # the line before is not the last: it must be a whole, valid record
            _take(state, path, vms, *pending, last=False)
        pending = (number, offset, raw)
        offset += len(raw)
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            # a line longer than any record: refuse it, unless it runs to the end of the file (a torn tail)
            rest = fh.read(1)
            if rest:
                raise InputError(f"journal line {number} is longer than any record hvmigrate writes", path=path,
                                 fix="Start the migration again without resuming, into a new folder.")
    if pending is not None:
        _take(state, path, vms, *pending, last=True)


def _take(state: JournalState, path: Path, vms: set[str] | None, number: int, start: int, raw: bytes, *,
          last: bool) -> None:
    """Apply line ``number`` (at byte ``start``) to ``state``; the last line may be a torn tail."""
    whole = raw.endswith(b"\n")
    if not raw.strip():
        if whole:
            state.valid_bytes = start + len(raw)
        return
    rec: object = _UNREAD
    try:
        rec = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, a number too long, nesting too deep
        glued = raw.rfind(_GLUE, 1)
        if glued > 0:  # an older hvmigrate appended after a torn fragment: skip the fragment, keep the record
            try:
                rec = json.loads(raw[glued:])
            except (ValueError, RecursionError):
                rec = _UNREAD
            if rec is not _UNREAD:
                state.notes.append(f"journal line {number} began with {glued} bytes of a record that an earlier "
                                   "interruption cut short; they were skipped")
    if last and (rec is _UNREAD or not whole):  # a crash cut the last record short: expected, not corruption
        state.torn_bytes = len(raw)
        state.notes.append(f"the journal ended in a record cut short by the interruption ({len(raw)} bytes); "
                           "it was ignored and removed")
        return
    if rec is _UNREAD:
        raise InputError(f"journal line {number} is corrupt", path=path,
                         fix="Start the migration again without resuming, into a new folder.")
    problem = _shape_problem(rec)
    if problem:
        raise InputError(f"journal line {number} is not a record hvmigrate writes: {problem}", path=path,
                         fix="Start the migration again without resuming, into a new folder.")
    assert isinstance(rec, dict)  # _shape_problem said so
    state.valid_bytes = start + len(raw)
    vm = rec.get("vm")
    if vms is not None and vm is not None and vm not in vms:
        return  # another plan's VM (or made up): nothing this run can use
    _apply(state, rec)


# The fields each known event must have, and their types. ``int`` excludes bool. Unknown events (from a newer
# hvmigrate) are checked only for "event" and "time" and otherwise ignored.
_STR, _INT, _DICT, _LIST = str, int, dict, list
_FIELDS: dict[str, dict[str, type]] = {
    "run_start": {"plan_sha256": _STR},
    "disk_progress": {"vm": _STR, "disk": _INT, "offset": _INT, "source": _STR},
    "disk_done": {"vm": _STR, "disk": _INT, "path": _STR, "size": _INT, "sha256": _STR},
    "vm_commit": {"vm": _STR, "disks": _LIST},
    "vm_done": {"vm": _STR},
    "vm_failed": {"vm": _STR, "error": _STR},
    "vm_reset": {"vm": _STR},
    "source_change": {"vm": _STR, "id": _STR, "kind": _STR, "vm_id": _STR},
    "source_change_undone": {"vm": _STR, "id": _STR},
    "sync_disk": {"vm": _STR, "disk": _INT, "change_id": _STR, "path": _STR, "digests": _STR,
                  "digests_sha256": _STR, "round": _INT},
    "sync_round": {"vm": _STR, "round": _INT, "changed": _INT},
    "cutover": {"vm": _STR, "step": _STR},
    "guest_prep": {"vm": _STR, "report": _DICT},
}
_OPTIONAL: dict[str, dict[str, type]] = {
    "run_start": {"vms": _INT},
    "disk_done": {"result": _DICT},
    "source_change": {"ref": _STR, "description": _STR},
    "sync_disk": {"changed": _INT, "reason": _STR},
    "sync_round": {"millis": _INT, "full": _INT},
    "cutover": {"downtime_ms": _INT, "error": _STR, "until": _STR},
}


def _type_ok(value: object, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _shape_problem(rec: object) -> str:
    """Why ``rec`` is not a record of the shape hvmigrate writes, or ""."""
    if not isinstance(rec, dict):
        return f"a JSON {_JSON_WORDS.get(type(rec), 'value')}, not an object"
    event = rec.get("event")
    if not isinstance(event, str):
        return "no \"event\" name"
    if "time" in rec and not (isinstance(rec["time"], int | float) and not isinstance(rec["time"], bool)):
        return "\"time\" is not a number"
    for name, kind in _FIELDS.get(event, {}).items():
        if name not in rec:
            return f"{event} without \"{name}\""
        if not _type_ok(rec[name], kind):
            return f"\"{name}\" of {event} is not {_WORDS[kind]}"
    for name, kind in _OPTIONAL.get(event, {}).items():
        if name in rec and not _type_ok(rec[name], kind):
            return f"\"{name}\" of {event} is not {_WORDS[kind]}"
    if event in ("disk_progress", "disk_done", "sync_disk") and any(
            _type_ok(rec.get(k), int) and rec[k] < (-1 if k == "size" else 0) for k in ("disk", "offset", "size")):
        return f"a negative number in {event}"
    if "disk" in _FIELDS.get(event, {}) and rec["disk"] >= MAX_DISKS:
        return f"disk number {rec['disk']}: no VM has that many disks"
    if event == "vm_commit":
        if len(rec["disks"]) > MAX_DISKS:
            return "more disks than any VM has"
        for entry in rec["disks"]:
            if not (isinstance(entry, dict) and _type_ok(entry.get("disk"), int) and 0 <= entry["disk"] < MAX_DISKS
                    and isinstance(entry.get("sha256"), str)):
                return "a disk of vm_commit is not {\"disk\": number, \"sha256\": text}"
    return ""


def _apply(state: JournalState, rec: dict[str, Any]) -> None:
    """Apply one record whose shape :func:`_shape_problem` accepted."""
    event = rec["event"]
    vm = rec.get("vm", "")
    if event == "run_start":
        state.plan_sha256 = rec["plan_sha256"]
    elif event == "disk_progress":
        state.progress[(vm, rec["disk"])] = (rec["offset"], rec["source"])
    elif event == "disk_done":
        disk = rec["disk"]
        state.disks[(vm, disk)] = DiskRecord(vm, disk, rec["path"], rec["size"], rec["sha256"],
                                             rec.get("result") or {})
    elif event == "vm_commit":
        state.commits[vm] = {entry["disk"]: entry["sha256"] for entry in rec["disks"]}
    elif event == "vm_done":
        state.vms_done.add(vm)
        state.vms_failed.pop(vm, None)
        state.commits.pop(vm, None)
    elif event == "vm_failed":
        state.vms_failed[vm] = rec["error"]
        state.commits.pop(vm, None)
    elif event == "vm_reset":  # a retry starts the VM over
        state.vms_done.discard(vm)
        state.commits.pop(vm, None)
        for key in [k for k in state.disks if k[0] == vm]:
            del state.disks[key]
        for key in [k for k in state.progress if k[0] == vm]:
            del state.progress[key]
        for key in [k for k in state.sync_disks if k[0] == vm]:
            del state.sync_disks[key]
        state.sync_rounds.pop(vm, None)
        state.cutovers.pop(vm, None)
        state.guest_preps.pop(vm, None)
    elif event == "guest_prep":
        state.guest_preps[vm] = rec["report"]
    elif event == "source_change":
        state.changes.pop(rec["id"], None)  # a change made again goes to the end, as it was made last
        state.changes[rec["id"]] = {k: v for k, v in rec.items() if k not in ("event", "time")}
    elif event == "source_change_undone":
        state.changes.pop(rec["id"], None)
    elif event == "sync_disk":
        state.sync_disks[(vm, rec["disk"])] = {k: v for k, v in rec.items() if k not in ("event", "time")}
    elif event == "sync_round":
        state.sync_rounds[vm] = {k: v for k, v in rec.items() if k != "event"}
    elif event == "cutover":
        state.cutovers[vm] = {k: v for k, v in rec.items() if k != "event"}



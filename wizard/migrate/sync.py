"""The ``sync`` source policy: copy a running vSphere VM while it serves, keep the copy current with changed
block tracking, then cut over with minutes of downtime.

Per VM (:class:`VmSync`):

1. *Initial sync*: CBT is turned on when it is off (it takes effect at the next snapshot, so the initial
   sync's snapshot is the first with change ids); a snapshot is taken, every included disk is converted as
   the snapshot froze it — only the areas CBT lists as holding data (:class:`OnlyAreas`) — into the place the
   target keeps it (a :class:`DiskPlace`: the bundle's VHDX, or in place on the Hyper-V host's share), with
   the converter's verification; each disk's ``changeId`` is recorded, the snapshot is removed.
2. *Delta syncs* (on demand, and every ``interval`` seconds in
   :class:`wizard.migrate.sync_run.SyncRun`): a snapshot;
   ``QueryChangedDiskAreas`` from the recorded ``changeId`` over the whole capacity; only the changed
   extents are read (HTTPS Range requests on the frozen disk) and written into the existing VHDX in place
   (a :class:`PatchableDisk`: blocks allocated as needed, metadata kept crash-safe); the new ``changeId`` is
   recorded; the snapshot is removed. When CBT cannot be trusted for a disk (``*``, a reset, a fault) that
   disk is copied in full and a finding says why.
3. *Cut-over*: the guest is shut down through VMware Tools (never powered off hard), a final delta is
   synchronised, the disks are checked, the Hyper-V VM is created, checked and started (a target that
   ``can_start``). The source stays off. The downtime — from the shutdown request until the Hyper-V VM's start
   returned — is measured and reported. An import bundle cannot start anything: its downtime ends when the
   bundle is complete (:data:`UNTIL_BUNDLE`), and the VM serves again only once a person has imported and
   started it. A VM that was created but did not start stays off, as does its source (never two running
   VMs), and fails with the start's error; a rerun with resume starts it.

Verification stays whole: every disk has a list of SHA-256 digests of its 1 MiB pieces (the content digest
of :class:`wizard.disks.digest.ContentDigest` is the SHA-256 of that list). The initial copy's list is read
from the written VHDX and must give the converter's content digest (which the converter checked against the
source). A delta recomputes only the pieces it touches: the piece as the target held it (verified before)
with the changed bytes read from the source laid over it is what the source now holds; the piece is read
back from the target after the write and must be equal, and its digest replaces the old one. At cut-over the
list's digest is the disk's content digest; ``verify="full"`` also re-reads the whole source and the whole
target and compares both with it.

Journal (:mod:`wizard.migrate.journal`), so that a kill at any moment loses at most the sync in flight:
``source_change`` before a snapshot is used; after the round, in one write, each disk's ``sync_disk`` (its
VHDX flushed, its digests file ``<journal>.d/<key>-<disk>-<round>.sync-digests`` written and its SHA-256
recorded; the file the previous record named is removed only then), ``source_change_undone`` and
``sync_round``; ``cutover`` steps ``begin`` (before the shutdown is sent), ``source_off``, ``synced``,
``created`` (the VM exists and was checked) or ``verify_failed`` (it exists but does not match the plan: never
started, and a resume reports it failed, not done), ``started`` or ``start_failed``, ``done`` (with the downtime
and ``until``, what ended it) or ``aborted``; ``vm_commit``/``vm_done`` as a migration journals them. A rerun
resumes from the last recorded ``changeId`` (a VHDX half patched by the killed sync is rewritten by the next
delta, which covers every change since that id); a journal that says a cut-over began resumes the
cut-over — the source is shut down (again) before anything is created, and a VM whose target was committed
is only reported done; one created but not started is started by the resume only while the source is still
off (else it fails and says so), so the source and the Hyper-V VM never both run. A full copy takes checkpoints
(``disk_progress``, :mod:`wizard.disks.resume`); a kill during the initial sync leaves its snapshot, which
the next run reuses (:meth:`VmSync.sync` ``reuse``), so that copy goes on from its last checkpoint on the
same disk state.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import queue
import stat
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from wizard.core.errors import HvmError, SourceError, TargetError, VerificationError
from wizard.core.i18n import user_text
from wizard.core.inventory import SourceVM
from wizard.core.ioerrors import describe, io_error
from wizard.core.plan import DiskSpec, PlanItem
from wizard.core.progress import CancelToken, Meter, ProgressEvent, ProgressSink
from wizard.core.serial import write_bytes_atomic
from wizard.core.units import human_bytes
from wizard.disks.convert import ConvertOptions, ConvertResult, convert
from wizard.disks.detect import open_image
from wizard.disks.digest import PIECE, ZERO_PIECE, ContentDigest, digest_of_pieces, piece_digest
from wizard.disks.image import DiskImage, ImageInfo
from wizard.disks.resume import Checkpoints
from wizard.disks.vhdx_patch import VhdxPatch
from wizard.sources.base import SourceChange
from wizard.sources.vsphere_cbt import CbtUnavailable, Frozen
from wizard.targets.base import CreateResult, DiskResult, Target

log = logging.getLogger(__name__)

READ_CHUNK = 16 * 1024 * 1024  # source bytes per Range request of a changed extent (big enough to go unbuffered)
SHUTDOWN_TIMEOUT = 600.0


class ChangeTracking(Protocol):
    """What a sync asks of its source (:class:`wizard.sources.vsphere_cbt.Tracker` on vSphere)."""

    def describe(self) -> str: ...

    def enable(self, vm: SourceVM, cancel: CancelToken) -> bool:
        """Turn CBT on when it is off; True when this call did."""

    def snapshot(self, vm: SourceVM, cancel: CancelToken) -> Frozen:
        """A snapshot with each disk's change id; the frozen disks are read through :meth:`open_disk`."""

    def reopen(self, vm: SourceVM, change: SourceChange) -> Frozen | None:
        """The snapshot an interrupted run took (``change``), if it still exists."""

    def changed(self, frozen: Frozen, device_key: str, capacity: int, change_id: str,
                cancel: CancelToken) -> list[tuple[int, int]]:
        """Changed extents since ``change_id``, ascending; :class:`CbtUnavailable` when CBT cannot tell."""

    def allocated(self, frozen: Frozen, device_key: str, capacity: int,
                  cancel: CancelToken) -> list[tuple[int, int]] | None:
        """The areas of a frozen disk that hold data (the rest reads as zeros); None when CBT cannot say."""

    def release(self, change: SourceChange) -> None:
        """Remove a snapshot :meth:`snapshot` took."""

    def shutdown(self, vm: SourceVM, cancel: CancelToken, timeout: float = SHUTDOWN_TIMEOUT,
                 sent: Callable[[], None] | None = None) -> bool:
        """Shut the guest down through VMware Tools and wait; False when it was off already. ``sent`` is called
        once the request went out (before the wait, which may be cancelled or time out)."""

    def power_on(self, vm: SourceVM) -> None: ...

    def power_state(self, vm: SourceVM) -> str: ...

    def open_disk(self, vm: SourceVM, index: int, cancel: CancelToken | None = None) -> DiskImage: ...


class PatchableDisk(Protocol):
    """An existing disk image written in place, keeping its per-MiB digests current
    (:class:`wizard.disks.vhdx_patch.VhdxPatch`; its module states the contract)."""

    def set_piece_digests(self, digests: bytes | bytearray | None) -> None: ...

    def write(self, offset: int, data: bytes | bytearray | memoryview) -> None: ...

    def verify(self, pieces: list[int] | None = None) -> None:
        """Flush, read back every piece written since the last verify, compare with the expected digests."""

    def piece_digests(self) -> bytes: ...

    def close(self) -> None: ...


class DiskPlace(Protocol):
    """Where a VM's synchronised disks live and how they are reached: :class:`LocalPlace` (a local file, e.g. in
    the bundle's folder) or :class:`wizard.migrate.sync_share.SharePlace` (the Hyper-V host's share). ``where``
    is a local path or a UNC path, as journalled."""

    def where(self, item: PlanItem, disk: DiskSpec) -> str:
        """Where ``disk`` of ``item`` is kept while it is synchronised."""

    def exists(self, where: str) -> bool: ...

    def copy(self, item: PlanItem, disk: DiskSpec, image: DiskImage, options: ConvertOptions,
             progress: ProgressSink | None, cancel: CancelToken,
             checkpoints: Checkpoints | None = None) -> ConvertResult:
        """Convert ``image`` whole into :meth:`where` (the initial copy, or a full copy after a CBT reset);
        with ``checkpoints`` a copy a crash cut short goes on from its last checkpoint."""

    def patch(self, where: str) -> PatchableDisk:
        """The VHDX at ``where`` opened to write changes in place."""

    def image(self, where: str) -> DiskImage:
        """The VHDX at ``where`` opened read-only."""

    def finish(self, item: PlanItem, disk: DiskSpec, content_digest: str, progress: ProgressSink | None,
               cancel: CancelToken) -> DiskResult:
        """Make the synchronised disk final at the target (the cut-over; see ``Target.finish_disk``)."""


class LocalPlace:
    """Synchronised disks in the local files the target converts to (``disk_destination(...).path``): the
    import bundle's ``.partial`` folder."""

    def __init__(self, target: Target) -> None:
        self.target = target

    def where(self, item: PlanItem, disk: DiskSpec) -> str:
        return os.path.abspath(self.target.disk_destination(item, disk).path)

    def exists(self, where: str) -> bool:
        return os.path.isfile(where)

    def copy(self, item: PlanItem, disk: DiskSpec, image: DiskImage, options: ConvertOptions,
             progress: ProgressSink | None, cancel: CancelToken,
             checkpoints: Checkpoints | None = None) -> ConvertResult:
        return convert(image, self.target.disk_destination(item, disk).path, options, progress, cancel,
                       checkpoints=checkpoints)

    def patch(self, where: str) -> PatchableDisk:
        return VhdxPatch.open_local(where)

    def image(self, where: str) -> DiskImage:
        return open_image(where)

    def finish(self, item: PlanItem, disk: DiskSpec, content_digest: str, progress: ProgressSink | None,
               cancel: CancelToken) -> DiskResult:
        dest = self.target.disk_destination(item, disk)
        return self.target.finish_disk(item, disk, dest, content_digest, progress, cancel)
Record = Callable[..., None]
RecordAll = Callable[[list[tuple[str, dict]]], None]  # several records, made durable together


# -- the per-MiB digests of one disk ------------------------------------------------------------------------
class PieceDigests:
    """The SHA-256 of every 1 MiB piece of a disk of ``size`` bytes (the last piece may be shorter); see the
    module docstring. :meth:`content_digest` equals :class:`ContentDigest` over the same content."""

    def __init__(self, size: int, data: bytes | None = None) -> None:
        self.size = size
        self.count = (size + PIECE - 1) // PIECE
        self.data = bytearray(data) if data is not None else bytearray(self._zero_list(size))
        if len(self.data) != 32 * self.count:
            raise ValueError("the digests file does not fit the disk's size")

    @staticmethod
    def _zero_list(size: int) -> bytes:
        whole, tail = divmod(size, PIECE)
        return ZERO_PIECE * whole + (hashlib.sha256(bytes(tail)).digest() if tail else b"")

    def piece_len(self, index: int) -> int:
        return min(PIECE, self.size - index * PIECE)

    def set(self, index: int, content: bytes | memoryview) -> None:
        self.data[32 * index:32 * index + 32] = piece_digest(content)

    def content_digest(self) -> str:
        return digest_of_pieces(self.data)

    def save(self, path: Path) -> str:
        """Write the list to ``path`` atomically (temporary name, fsync, rename); its SHA-256."""
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, self.data)
        return hashlib.sha256(self.data).hexdigest()

    @classmethod
    def load(cls, path: Path, size: int, sha256: str) -> PieceDigests | None:
        """The list saved at ``path`` when it is whole (its SHA-256 is ``sha256``), else None. Only a regular file
        of the expected size is read, never through a link (a journal names it, and journals can be forged)."""
        expected = 32 * ((size + PIECE - 1) // PIECE)
        try:
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode) or st.st_size != expected:
                return None
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
            with open(fd, "rb") as fh:
                data = fh.read(expected + 1)
        except (OSError, ValueError):
            return None
        if hashlib.sha256(data).hexdigest() != sha256 or len(data) != 32 * ((size + PIECE - 1) // PIECE):
            return None
        return cls(size, data)

    @classmethod
    def of_image(cls, image: DiskImage, size: int, cancel: CancelToken) -> PieceDigests:
        """The list of ``image``'s content, reading only what it holds (holes are zero pieces)."""
        out = cls(size)
        buf = memoryview(bytearray(PIECE))
        done = -1
        for start, length in image.allocated_ranges():
            first = max(start // PIECE, done + 1)
            last = min((start + length - 1) // PIECE, out.count - 1)
            for index in range(first, last + 1):
                cancel.check()
                n = out.piece_len(index)
                image.readinto(index * PIECE, buf[:n])
                out.set(index, buf[:n])
                done = index
        return out


def read_ahead(image: DiskImage, extents: list[tuple[int, int]], cancel: CancelToken,
               depth: int = 4) -> Iterator[tuple[int, bytearray]]:
    """``(offset, data)`` of ``extents`` (pieces of at most :data:`READ_CHUNK`), read on a thread of its own up
    to ``depth`` pieces ahead, so the source's round trips overlap the writes and hashing of the consumer. An
    error of the reader is raised here; leaving the loop early stops the reader."""
    pieces: queue.Queue[tuple[int, bytearray] | BaseException | None] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: tuple[int, bytearray] | BaseException | None) -> bool:
        while not stop.is_set():
            try:
                pieces.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def reader() -> None:
        try:
            for start, length in extents:
                pos, end = start, start + length
                while pos < end:
                    cancel.check()
                    data = bytearray(min(READ_CHUNK, end - pos))
                    image.readinto(pos, memoryview(data))
                    if not put((pos, data)):
                        return
                    pos += len(data)
            put(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which raises it
            put(exc)

    thread = threading.Thread(target=reader, name="sync-read", daemon=True)
    thread.start()
    try:
        while True:
            item = pieces.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


class OnlyAreas(DiskImage):
    """``image`` read only where ``areas`` (ascending ``(offset, length)``; CBT's ``*`` answer) say it holds data:
    its allocated ranges are cut to those areas, and everything else reads as zeros. For a flat disk, whose
    own allocation map is "everything", this is what keeps a thin disk's initial copy to its data."""

    def __init__(self, image: DiskImage, areas: list[tuple[int, int]]) -> None:
        self.image = image
        self.path = image.path
        self.virtual_size = image.virtual_size
        self.areas = areas

    def info(self) -> ImageInfo:
        return self.image.info()

    def allocated_ranges(self) -> Iterator[tuple[int, int]]:
        areas = iter(self.areas)
        area = next(areas, None)
        for start, length in self.image.allocated_ranges():
            end = start + length
            while area is not None and area[0] + area[1] <= start:
                area = next(areas, None)
            while area is not None and area[0] < end:
                lo, hi = max(start, area[0]), min(end, area[0] + area[1])
                if lo < hi:
                    yield lo, hi - lo
                if area[0] + area[1] > end:
                    break
                area = next(areas, None)

    def readinto(self, offset: int, buf: memoryview) -> None:
        self.image.readinto(offset, buf)

    def close(self) -> None:
        self.image.close()


def content_digest_of(image: DiskImage, size: int, cancel: CancelToken) -> str:
    """The :class:`ContentDigest` of ``image`` read whole (``verify="full"``)."""
    digest = ContentDigest(cancel=cancel)
    for offset, view in image.chunks(cancel=cancel):
        digest.add(offset, view)
    return digest.hexdigest(size, cancel)


# -- one VM ----------------------------------------------------------------------------------------------
@dataclass
class DiskState:
    """One disk as last synchronised: its change id, the local VHDX and its piece digests."""

    spec: DiskSpec
    change_id: str
    where: str  # local path or UNC path (see DiskPlace)
    digests: PieceDigests
    digests_file: str = ""  # the digests file the journal's last record of this disk names
    damaged: str = ""  # why the copy cannot be trusted any more (a failed full check): the next sync copies it anew


@dataclass
class RoundResult:
    """One sync of one VM: ``changed`` bytes read from the source (the changed extents, or whole disks),
    ``full`` the disks copied in full (with ``reasons``), ``seconds`` it took."""

    number: int
    changed: int = 0
    full: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    seconds: float = 0.0
    finished_at: float = 0.0  # time.time()


UNTIL_STARTED = "started"  # the downtime ended when the Hyper-V VM's start returned
UNTIL_BUNDLE = "bundle"  # ... when the import bundle was complete (a person imports and starts the VM)
UNTIL_CREATED = "created"  # ... when a target that cannot start VMs had created it


def downtime_text(seconds: float, until: str = "") -> str:
    """``downtime 42 s (until the Hyper-V VM started)``: the downtime with what ended it (``until``, one of the
    ``UNTIL_*`` values; "" = not known, e.g. a journal of an older version)."""
    shown = f"{seconds:.0f}" if seconds >= 10 else f"{seconds:.1f}"  # "0 s" would read as no downtime at all
    if until == UNTIL_STARTED:
        return user_text(f"downtime {shown} s (until the Hyper-V VM started)")
    if until == UNTIL_BUNDLE:
        return user_text(f"downtime {shown} s (until the import bundle was complete; import and start it on the "
                         "host)")
    if until == UNTIL_CREATED:
        return user_text(f"downtime {shown} s (until the VM was created)")
    return user_text(f"downtime {shown} s")


def until_for(target: Target) -> str:
    """What ends the downtime of a cut-over into ``target``: one of the ``UNTIL_*`` values."""
    if target.can_start:
        return UNTIL_STARTED
    return UNTIL_BUNDLE if target.kind == "bundle" else UNTIL_CREATED


@dataclass
class CutoverResult:
    created: CreateResult
    disks: list[DiskResult]
    downtime: float  # seconds from the shutdown request to what ``until`` names
    final: RoundResult | None = None
    until: str = UNTIL_STARTED


class VmSync:
    """One VM's sync and cut-over; see the module docstring. Not thread-safe: one thread drives it.

    ``record(event, **fields)`` appends to the journal; ``restored`` are the journal's ``sync_disk`` records of
    this VM (a resume); ``sidecars`` is the folder of the digests files; ``place`` keeps the synchronised disks
    (default: :class:`LocalPlace` of ``target``)."""

    def __init__(self, item: PlanItem, tracker: ChangeTracking, target: Target, place: DiskPlace | None = None, *,
                 sidecars: Path, record: Record, sink: ProgressSink | None = None, verify_full: bool = False,
                 shutdown_timeout: float = SHUTDOWN_TIMEOUT, restored: dict[int, dict] | None = None,
                 rounds: int = 0, record_all: RecordAll | None = None,
                 checkpoints: Callable[[DiskSpec, bool], Checkpoints | None] | None = None) -> None:
        self.item = item
        self.tracker = tracker
        self.target = target
        self.place = place or LocalPlace(target)
        self.sidecars = sidecars
        self.record = record
        self.record_all: RecordAll = record_all or self._record_each
        # a full copy's checkpoints (the journal's disk_progress), given whether the snapshot is the interrupted
        # run's (its checkpoints then apply) or a new one (the copy starts over)
        self.checkpoints = checkpoints
        self.sink = sink
        self.verify_full = verify_full
        self.shutdown_timeout = shutdown_timeout
        self.vm_id = item.vm.id or item.target.name
        self.name = item.target.name
        self.disks = [d for d in item.target.disks if d.include]
        self.states: dict[int, DiskState] = {}
        self.rounds = rounds
        self.findings: list[str] = []
        self.committing = False  # the cut-over reached create_vm (see cutover)
        self.shut_here = False  # this cut-over shut the source down (a failure before create_vm gives it back)
        self._restore(restored or {})

    def _record_each(self, records: list[tuple[str, dict]]) -> None:
        for event, fields in records:
            self.record(event, **fields)

    # -- state ----------------------------------------------------------------------------------------
    def _restore(self, restored: dict[int, dict]) -> None:
        for disk in self.disks:
            rec = restored.get(disk.source_index)
            if rec is None:
                continue
            where = str(rec["path"])
            named = Path(str(rec["digests"]))
            ours = named.parent == self.sidecars and named.name.startswith(f"{self._key}-{disk.source_index}-")
            digests = PieceDigests.load(named, disk.capacity_bytes, rec["digests_sha256"]) if ours else None
            # only the very file this target keeps the disk in (a journal is a file others may write to)
            if where != self.place.where(self.item, disk) or digests is None or not self.place.exists(where):
                self._log(f"disk {disk.file_name}: what the earlier sync left is gone or not whole; it is copied "
                          "again in full", "warning")
                continue
            self.states[disk.source_index] = DiskState(disk, rec["change_id"], where, digests, str(rec["digests"]))

    @property
    def initialised(self) -> bool:
        """True when every included disk has been copied once."""
        return all(d.source_index in self.states for d in self.disks)

    def _log(self, message: str, level: str = "info") -> None:
        if self.sink is not None:
            self.sink(ProgressEvent("log", message=message, vm=self.name, level=level))

    @property
    def _key(self) -> str:
        return hashlib.sha256(self.vm_id.encode("utf-8")).hexdigest()[:16]

    def _digests_path(self, disk: DiskSpec, round_number: int) -> Path:
        """A file per disk and round: the one the journal names stays whole until a later record names another."""
        return self.sidecars / f"{self._key}-{disk.source_index}-{round_number}.sync-digests"

    def forget(self) -> None:
        """Remove the digests files (the VM was cut over: nothing will be synchronised again)."""
        with contextlib.suppress(OSError):
            for path in self.sidecars.glob(f"{self._key}-*.sync-digests"):
                path.unlink()

    # -- rounds ---------------------------------------------------------------------------------------
    def prepare(self, cancel: CancelToken) -> None:
        """Turn CBT on when it is off (says so: it takes effect at the next snapshot)."""
        if self.tracker.enable(self.item.vm, cancel):
            self._log("turned on changed block tracking; it takes effect with the first sync's snapshot")

    def sync(self, cancel: CancelToken, reuse: SourceChange | None = None) -> RoundResult:
        """One round: the initial copy of disks not copied yet, a delta for the others. ``reuse``: the snapshot
        an interrupted initial sync left (a copy cut short then goes on from its last checkpoint)."""
        started = time.monotonic()
        self.rounds += 1
        result = RoundResult(self.rounds)
        frozen = self.tracker.reopen(self.item.vm, reuse) if reuse is not None else None
        same = frozen is not None
        if frozen is not None:
            self._log("going on with the snapshot the interrupted run took (its copy resumes at its last checkpoint)")
        else:
            frozen = self.tracker.snapshot(self.item.vm, cancel)
            self.record("source_change", vm=self.vm_id, **asdict(frozen.change))  # durable before it is used
        # The disks' new change ids, the snapshot's removal and the round are journalled together, with one
        # fsync: a kill before that write only makes the next run repeat this delta from the older change id
        # (whose changes include this round's), and remove a snapshot that is already gone.
        pending: list[tuple[str, dict]] = []
        files: list[tuple[DiskState, str]] = []  # each synced disk and its new digests file
        completed = False
        try:
            for number, disk in enumerate(self.disks, 1):
                cancel.check()
                pending.append(self._sync_disk(frozen, disk, number, result, cancel, same))
                files.append((self.states[disk.source_index], str(pending[-1][1]["digests"])))
            completed = True
        finally:
            try:
                self.tracker.release(frozen.change)
                pending.append(("source_change_undone", {"vm": self.vm_id, "id": frozen.change.id}))
            except HvmError as exc:  # the journal keeps it; the next round or run removes it
                self._log(f"could not remove the sync snapshot: {exc.one_line()}", "warning")
            result.seconds = time.monotonic() - started
            result.finished_at = time.time()
            if completed:
                pending.append(("sync_round", {"vm": self.vm_id, "round": result.number, "changed": result.changed,
                                               "millis": int(result.seconds * 1000), "full": len(result.full)}))
            self.record_all(pending)
            for state, new in files:  # the journal names the new files now: the old ones can go
                if state.digests_file and state.digests_file != new:
                    with contextlib.suppress(OSError):
                        Path(state.digests_file).unlink()
                state.digests_file = new
        return result

    def _sync_disk(self, frozen: Frozen, disk: DiskSpec, number: int, result: RoundResult,
                   cancel: CancelToken, same: bool = False) -> tuple[str, dict]:
        """Bring one disk up to ``frozen``; its ``sync_disk`` record (for :meth:`sync` to journal)."""
        index = disk.source_index
        if not 0 <= index < len(frozen.vm.disks):
            raise SourceError(f"VM {self.name!r}: disk {disk.file_name!r} points at source disk {index}, which the "
                              "source VM does not have.", fix="Discover and plan the VM again.")
        key = frozen.vm.disks[index].key
        change_id = frozen.change_ids.get(key, "")
        grown = frozen.capacities.get(key, 0)
        if grown > disk.capacity_bytes:  # what lies past the planned size would never reach the copy
            raise SourceError(f"VM {self.name!r}: disk {disk.file_name} grew to {grown} bytes since it was planned "
                              f"({disk.capacity_bytes} bytes); the copy would miss what lies beyond.",
                              fix="Plan the VM again (its disks keep their new size), then synchronise it anew.")
        state = self.states.get(index)
        extents: list[tuple[int, int]] | None = None
        reason = "initial copy"
        if state is not None and state.damaged:
            reason = state.damaged
            self._log(f"disk {disk.file_name}: {reason}; it is copied in full", "warning")
        elif state is not None:
            try:
                extents = self.tracker.changed(frozen, key, disk.capacity_bytes, state.change_id, cancel)
            except CbtUnavailable as exc:
                reason = exc.reason
                finding = (f"disk {disk.file_name}: changed block tracking cannot be trusted ({exc.reason}); "
                           "the disk was copied in full")
                self.findings.append(finding)
                self._log(finding, "warning")
        if extents is None:
            state, changed = self._copy_full(frozen, disk, number, change_id, cancel, same)
            result.full.append(disk.file_name)
            result.reasons.append(reason)
        else:
            assert state is not None
            changed = self._patch(frozen, state, extents, number, cancel)
            state.change_id = change_id
        result.changed += changed
        digests_path = self._digests_path(disk, result.number)
        sha = state.digests.save(digests_path)
        return ("sync_disk", {"vm": self.vm_id, "disk": index, "change_id": change_id, "path": state.where,
                              "digests": str(digests_path), "digests_sha256": sha, "round": result.number,
                              "changed": changed, "reason": "" if extents is not None else reason})

    def _copy_full(self, frozen: Frozen, disk: DiskSpec, number: int, change_id: str,
                   cancel: CancelToken, same: bool = False) -> tuple[DiskState, int]:
        """Convert the whole frozen disk (only its data areas when CBT can list them); the state and the bytes
        of the disk that were read."""
        where = self.place.where(self.item, disk)
        options = ConvertOptions(format=disk.format.value, type=disk.type.value, block_size=disk.block_size_bytes,
                                 logical_sector=disk.logical_sector_bytes,
                                 physical_sector=disk.physical_sector_bytes, verify=True, overwrite=True,
                                 guest_family=self.item.vm.guest.family or "unknown")
        if options.format != "vhdx":
            raise TargetError(f"VM {self.name!r}: the sync policy patches VHDX disks in place; disk "
                              f"{disk.file_name} is planned as {options.format}.", fix="Plan the disk as VHDX.")
        sink = self._parted(number)
        key = frozen.vm.disks[disk.source_index].key
        areas = self.tracker.allocated(frozen, key, disk.capacity_bytes, cancel)
        with self.tracker.open_disk(frozen.vm, disk.source_index, cancel) as image:
            source = image if areas is None else OnlyAreas(image, areas)
            checkpoints = self.checkpoints(disk, same) if self.checkpoints is not None else None
            converted = self.place.copy(self.item, disk, source, options, sink, cancel, checkpoints)
        with self.place.image(where) as written:
            digests = PieceDigests.of_image(written, disk.capacity_bytes, cancel)
        if converted.content_digest and digests.content_digest() != converted.content_digest:
            raise VerificationError(f"VM {self.name!r}: disk {where} does not read back as it was converted.",
                                    fix="Check the disk holding it, then sync again.")
        earlier = self.states.get(disk.source_index)
        state = DiskState(disk, change_id, where, digests, earlier.digests_file if earlier else "")
        self.states[disk.source_index] = state
        return state, disk.capacity_bytes if areas is None else sum(length for _, length in areas)

    def _parted(self, number: int) -> ProgressSink | None:
        if self.sink is None:
            return None
        sizes = tuple(max(0, d.capacity_bytes) for d in self.disks)
        sink, name = self.sink, self.name

        def emit(event: ProgressEvent) -> None:
            sink(ProgressEvent(event.stage, event.done, event.total, event.message, event.vm or name, event.rate,
                               event.eta, event.level, event.part or number, event.parts or sizes))

        return emit

    def _patch(self, frozen: Frozen, state: DiskState, extents: list[tuple[int, int]], number: int,
               cancel: CancelToken) -> int:
        """Write ``extents`` of the frozen disk into the VHDX in place, its piece digests kept current and every
        touched piece read back and checked; the bytes read from the source."""
        size = state.spec.capacity_bytes
        extents = [(start, min(length, size - start)) for start, length in extents if start < size]
        total = sum(length for _, length in extents)
        if not extents:
            return 0
        meter = Meter(self._parted(number), "read", total=total, vm=self.name)
        done = 0
        with os_errors(f"writing the changes into {state.spec.file_name}", state.where):
            out = self.place.patch(state.where)
            try:
                out.set_piece_digests(state.digests.data)
                with self.tracker.open_disk(frozen.vm, state.spec.source_index, cancel) as image:
                    for pos, data in read_ahead(image, extents, cancel):
                        out.write(pos, data)
                        done += len(data)
                        meter.update(done)
                out.verify()
                state.digests = PieceDigests(size, out.piece_digests())
            finally:
                out.close()
        meter.finish()
        return total

    # -- cut-over -------------------------------------------------------------------------------------
    def cutover(self, cancel: CancelToken, *, resumed: bool = False) -> CutoverResult:
        """Shut the source down, synchronise the last changes, check, create the VM (see the module docstring).
        On a failure before the VM was created the source is powered back on (when this cut-over shut it
        down) and the error is raised: the VM stays synchronised and the cut-over can be tried again."""
        self.record("cutover", vm=self.vm_id, step="begin")
        started = time.monotonic()
        shut_here = self.shut_here = False
        sent = threading.Event()  # the shutdown request went out: from then on this cut-over owns the power-off
        try:
            self._log("cut-over: shutting the guest down through VMware Tools")
            shut_here = self.tracker.shutdown(self.item.vm, cancel, self.shutdown_timeout, sent=sent.set)
            self.shut_here = shut_here
            self.record("cutover", vm=self.vm_id, step="source_off")
            if not shut_here:
                started = time.monotonic()  # already off: the downtime counted here is this run's part of it
                if resumed:
                    self._log("cut-over resumed: the source is off")
            final = self.sync(cancel)
            disks = self._finish_disks(cancel)
            self.record("cutover", vm=self.vm_id, step="synced")
            self.record("vm_commit", vm=self.vm_id,
                        disks=[{"disk": d.spec.source_index, "sha256": d.sha256} for d in disks])
            self.committing = True  # from here on the VM may exist on the target: never back to syncing
            created = self.target.create_vm(self.item, disks, self._parted(len(self.disks) + 1), cancel)
        except BaseException as exc:
            error = exc.one_line() if isinstance(exc, HvmError) else type(exc).__name__
            self.record("cutover", vm=self.vm_id, step="aborted", error=error)
            # the source runs again only when no VM can exist on the target (create_vm was not reached)
            # (also when the wait for the shutdown was cancelled or timed out: the request had gone out)
            if (shut_here or sent.is_set()) and not self.committing and not isinstance(exc, KeyboardInterrupt):
                self._give_back(off=shut_here)
            raise
        # from here on the VM exists: whatever fails, the source stays off (never two running VMs)
        problems = self.target.verify(self.item)
        if problems:  # a VM that does not match the plan is not started; a resume reports it, never done
            self.record("cutover", vm=self.vm_id, step="verify_failed", error=problems[0])
            raise VerificationError(f"VM {self.name!r} was created but does not match the plan: {problems[0]}",
                                    details="\n".join(problems),
                                    fix="The source VM stays off. Correct the VM in Hyper-V Manager and start it, "
                                        "or remove it and start the source VM again.")
        self.record("cutover", vm=self.vm_id, step="created")
        until = until_for(self.target)
        if until == UNTIL_STARTED:
            self.start_vm(cancel)
        downtime = time.monotonic() - started
        self.record("cutover", vm=self.vm_id, step="done", downtime_ms=int(downtime * 1000), until=until)
        return CutoverResult(created, disks, downtime, final, until)

    def start_vm(self, cancel: CancelToken | None = None) -> None:
        """Start the created Hyper-V VM, journalled (``started`` / ``start_failed``); the target's error (with
        its fix) is raised when it did not start — the source stays off either way."""
        self._log("cut-over: starting the Hyper-V VM")
        try:
            self.target.start_vm(self.item, cancel)
        except HvmError as exc:
            self.record("cutover", vm=self.vm_id, step="start_failed", error=exc.one_line())
            raise
        self.record("cutover", vm=self.vm_id, step="started")

    def _give_back(self, off: bool = True) -> None:
        """Power the source back on; ``off`` False: the guest was still shutting down when the cut-over ended
        (powering on a VM that still runs changes nothing, so its state is for a person to check)."""
        try:
            self.tracker.power_on(self.item.vm)
            self._log("cut-over failed before the Hyper-V VM was created: the source VM was powered back on"
                      if off else "cut-over stopped while the guest was shutting down, before the Hyper-V VM was "
                      "created: the source VM was powered back on where it had gone off; check its state",
                      "warning")
        except HvmError as exc:
            self._log(f"cut-over failed and the source VM could not be powered back on: {exc.one_line()}", "error")

    def _finish_disks(self, cancel: CancelToken) -> list[DiskResult]:
        out = []
        for number, disk in enumerate(self.disks, 1):
            state = self.states[disk.source_index]
            digest = state.digests.content_digest()
            if self.verify_full:
                self._verify_full(state, digest, cancel)
            out.append(self.place.finish(self.item, disk, digest, self._parted(number), cancel))
        return out

    def _verify_full(self, state: DiskState, digest: str, cancel: CancelToken) -> None:
        """Re-read the whole source (the VM is off: its disks as they are) and the whole VHDX."""
        self._log(f"verifying {state.spec.file_name} in full (--verify=full)")
        size = state.spec.capacity_bytes
        with self.tracker.open_disk(self.item.vm, state.spec.source_index, cancel) as image:
            source = content_digest_of(image, size, cancel)
        with self.place.image(state.where) as image:
            target = content_digest_of(image, size, cancel)
        if not source == target == digest:
            # the next sync copies the disk anew, also after a restart (a record without a change id)
            state.damaged = "the full check at the cut-over found the copy different from its source"
            self.record("sync_disk", vm=self.vm_id, disk=state.spec.source_index, change_id="", path=state.where,
                        digests=state.digests_file, digests_sha256=hashlib.sha256(state.digests.data).hexdigest(),
                        round=self.rounds, changed=0, reason=state.damaged)
            raise VerificationError(f"VM {self.name!r}: disk {state.spec.file_name} differs from its source after "
                                    "the final sync.", details=f"source {source}\ntarget {target}\nsync {digest}",
                                    fix=("The source VM runs again" if self.shut_here else "The source VM was off "
                                         "before this cut-over and stays off")
                                    + "; the next sync copies this disk in full. Then cut over again.")


def size_text(n: int) -> str:
    """``1.2 GiB`` / ``12.0 MiB`` / ``64.0 KiB`` (:func:`wizard.core.units.human_bytes`, as every front end shows
    sizes)."""
    return human_bytes(n)


def status_line(state: str, last: float | None, changed: int, next_in: float | None) -> str:
    """``synchronised · last sync 14:02 · 1.2 GiB changed · next in 10 min`` (times in local time)."""
    parts = [state]
    if last:
        parts.append("last sync " + time.strftime("%H:%M", time.localtime(last)))
        parts.append(f"{size_text(changed)} changed")
    if next_in is not None:
        left = max(0.0, next_in)
        parts.append(f"next in {round(left / 60)} min" if left >= 60 else f"next in {int(left)} s")
    return " · ".join(parts)


@contextlib.contextmanager
def os_errors(doing: str, where: str | os.PathLike[str]) -> Iterator[None]:
    """An OSError inside becomes a typed error that says what was being done, where and what to do."""
    try:
        yield
    except OSError as exc:
        raise io_error(exc, doing, where, kind=TargetError, fix=describe(exc)[1] + " Then sync again.") from None



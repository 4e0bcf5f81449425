"""The per-VM work of a migration; the scheduler (:mod:`wizard.migrate.run`) runs it for every plan item.

:func:`migrate_item` runs one plan item against one :class:`~wizard.targets.base.Target`: preflight,
convert each included disk straight into the target's destination (in place over the target's stream when it
offers one, so download, conversion and upload overlap), make the disks final (hash / upload),
create the VM (or bundle), verify, optional guest fix-ups. It never raises for an expected failure: the
outcome says ``done``/``failed``/``cancelled`` with the typed error, and whatever the target created for
this item is rolled back on failure or cancel. An OSError becomes a typed error that says in words what was
being done, where, and what to do (:func:`wizard.core.ioerrors.io_error`).

Every progress event of a VM carries its ``vm`` name and which of its disks it is about (``part`` of
``parts``, the disks' sizes; see :class:`wizard.core.progress.ProgressEvent`), so a front end can draw one
forward-only bar per VM over all its disks and stages.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from wizard.core.errors import (
    Cancelled,
    HvmError,
    PlanError,
    SourceError,
    TargetError,
    VerificationError,
)
from wizard.core.ioerrors import describe, io_error
from wizard.core.plan import DiskSpec, PlanItem
from wizard.core.progress import CancelToken, ProgressEvent, ProgressSink
from wizard.disks.convert import ConvertOptions, ConvertResult
from wizard.disks.convert import convert as default_convert
from wizard.disks.image import DiskImage
from wizard.disks.output import StreamUnavailable
from wizard.disks.resume import Checkpoints
from wizard.guests.prepare import PrepFailed
from wizard.guests.report import FAILED, SKIPPED, PrepReport
from wizard.migrate import guestprep
from wizard.sources.base import Source
from wizard.targets.base import CreateResult, DiskDestination, DiskResult, FixupReport, Target

log = logging.getLogger(__name__)


class Converter(Protocol):
    """What converts one disk: :func:`wizard.disks.convert.convert`, or a stand-in with its signature (tests
    slow it down or make it fail to exercise the scheduler)."""

    def __call__(self, src: DiskImage, dst_path: str | os.PathLike[str], options: ConvertOptions,
                 progress: ProgressSink | None = None, cancel: CancelToken | None = None, *,
                 output: object = None, checkpoints: Checkpoints | None = None) -> ConvertResult: ...


@dataclass
class ItemOutcome:
    name: str
    status: str = "pending"  # done | failed | cancelled
    error: HvmError | None = None
    disks: list[DiskResult] = field(default_factory=list)
    created: CreateResult | None = None
    fixups: FixupReport | None = None
    guest_prep: PrepReport | None = None  # the offline Linux preparation (wizard.guests): done, refused, or why not

    @property
    def ok(self) -> bool:
        return self.status == "done"


def _tagged(sink: ProgressSink | None, name: str) -> ProgressSink | None:
    if sink is None:
        return None

    def emit(event: ProgressEvent) -> None:
        sink(event if event.vm else dataclasses.replace(event, vm=name))

    return emit


def _part_of(sink: ProgressSink | None, part: int, parts: tuple[int, ...]) -> ProgressSink | None:
    """``sink`` with every event marked as being about disk ``part`` of the VM's disks sized ``parts``
    (``part`` = len(parts) + 1: the closing steps), so a front end can draw one forward-only bar per VM."""
    if sink is None:
        return None

    def emit(event: ProgressEvent) -> None:
        sink(event if event.parts else dataclasses.replace(event, part=part, parts=parts))

    return emit


def _options(item: PlanItem, disk: DiskSpec, verify: bool) -> ConvertOptions:
    return ConvertOptions(format=disk.format.value, type=disk.type.value, block_size=disk.block_size_bytes,
                          logical_sector=disk.logical_sector_bytes, physical_sector=disk.physical_sector_bytes,
                          verify=verify, overwrite=True, guest_family=item.vm.guest.family or "unknown")


def _convert_disk(convert: Converter, default: bool, image: DiskImage, dest: DiskDestination,
                  options: ConvertOptions, sink: ProgressSink | None, cancel: CancelToken | None,
                  checkpoints: Checkpoints | None = None) -> ConvertResult:
    """Convert in place at the destination when it offers a stream (default converter only), else to
    ``dest.path``; a stream that cannot be opened falls back to the local file before anything was read."""
    if dest.stream is not None and default:
        try:
            if checkpoints is not None:
                return convert(image, dest.final, options, sink, cancel, output=dest.stream, checkpoints=checkpoints)
            return convert(image, dest.final, options, sink, cancel, output=dest.stream)
        except StreamUnavailable as exc:
            log.info("%s cannot be written in place (%s); converting to %s first", dest.final, exc, dest.path)
    dest.stream = None
    if checkpoints is not None and default:
        return convert(image, dest.path, options, sink, cancel, checkpoints=checkpoints)
    return convert(image, dest.path, options, sink, cancel)


def migrate_item(source: Source, target: Target, item: PlanItem, progress: ProgressSink | None = None,
                 cancel: CancelToken | None = None, *, verify: bool = True, fixups: bool = False,
                 converter: Converter | None = None,
                 completed_disk: Callable[[DiskSpec], DiskResult | None] | None = None,
                 on_disk_done: Callable[[DiskDestination, DiskResult], None] | None = None,
                 checkpoints: Callable[[DiskSpec], Checkpoints | None] | None = None,
                 guest_prep_done: Callable[[PrepReport], None] | None = None,
                 earlier_guest_prep: Callable[[], PrepReport | None] | None = None) -> ItemOutcome:
    """Migrate one item; see the module docstring. ``converter`` defaults to ``wizard.disks.convert.convert``.

    Resume hooks (the pipeline's journal): ``completed_disk(disk)`` returns the result of a disk finished by an
    earlier, interrupted run (it is then neither converted nor finished again); ``on_disk_done(dest, result)``
    is called once a disk is final at the destination; ``guest_prep_done(report)`` once the Linux guest was
    prepared (before its disks are made final), and ``earlier_guest_prep()`` gives what an interrupted run's
    preparation did, for a VM whose disks that run finished; ``checkpoints(disk)`` gives the disk's
    :class:`wizard.disks.resume.Checkpoints` (a local conversion then resumes mid-disk after a crash).
    """
    name = item.target.name
    outcome = ItemOutcome(name)
    sink = _tagged(progress, name)
    cancel = cancel or CancelToken()
    convert: Converter = converter or default_convert
    included = [disk for disk in item.target.disks if disk.include]
    sizes = tuple(max(0, disk.capacity_bytes) for disk in included)
    # what is being done, and where, for an OSError's message (the OS names neither in words)
    doing, where, on_source = "checking the target", target.describe(), False
    prep = guestprep.Decision()
    staged: list[tuple[DiskSpec, DiskDestination, ConvertResult]] = []  # converted, waiting for the preparation
    try:
        problems = target.preflight(item)
        if problems:
            raise PlanError(f"VM {name!r} cannot be migrated: {problems[0]}", details="\n".join(problems))
        earlier = target.existing(item)
        if earlier is not None:
            outcome.created, outcome.status = earlier, "done"
            return outcome
        doing = "checking whether the Linux guest can be prepared"
        prep = guestprep.decide(item)
        if prep.run and not guestprep.source_holds_linux(source, item, cancel):
            prep = guestprep.Decision(report=PrepReport(SKIPPED, "no Linux file system was found on its disks "
                                                                   "(nothing to prepare)"))
        outcome.guest_prep = prep.report
        earlier_of = completed_disk
        if prep.run and completed_disk is not None:
            # disks made final by an interrupted run were prepared with the others (finish comes after the
            # preparation); when only some were, all are converted and prepared again (file systems may span them)
            found = {id(d): completed_disk(d) for d in included}
            if all(found.values()):
                prep.run = False
                outcome.guest_prep = (earlier_guest_prep() if earlier_guest_prep else None) or PrepReport(
                    SKIPPED, "its disks were finished by an earlier, interrupted run of this plan, with the "
                               "preparation that run did")

            def earlier_of(d: DiskSpec) -> DiskResult | None:
                return None if prep.run else found[id(d)]
        for number, disk in enumerate(included, 1):
            cancel.check()
            if not 0 <= disk.source_index < len(item.vm.disks):
                raise PlanError(f"VM {name!r}: disk {disk.file_name!r} points at source disk {disk.source_index}, "
                                f"which the source VM does not have.")
            earlier = earlier_of(disk) if earlier_of else None
            if earlier is not None:
                outcome.disks.append(earlier)
                continue
            disk_sink = _part_of(sink, number, sizes)
            label = f"disk {number} of {len(included)} ({disk.file_name or f'source disk {disk.source_index}'})"
            doing, where = f"preparing the place for {label}", target.describe()
            dest = target.disk_destination(item, disk)
            if prep.run:
                dest.stream = None  # prepared before it is stored: convert to the local (staging) file
            doing, where, on_source = f"opening source {label}", item.vm.disks[disk.source_index].path, True
            with source.open_disk(item.vm, disk.source_index, cancel) as image:
                doing, where, on_source = f"converting {label}", str(dest.path), False
                result = _convert_disk(convert, converter is None, image, dest, _options(item, disk, verify),
                                       disk_sink, cancel, checkpoints(disk) if checkpoints else None)
            if prep.run:
                staged.append((disk, dest, result))
                continue
            doing, where = f"storing {label}", dest.final or str(dest.path)
            finished = target.finish_disk(item, disk, dest, result.content_digest, disk_sink, cancel)
            outcome.disks.append(finished)
            if on_disk_done is not None:
                on_disk_done(dest, finished)
        if staged:
            doing, where = "preparing the Linux guest offline", ", ".join(str(d.path) for _, d, _ in staged)
            try:
                outcome.guest_prep, digests = _prepare(item, staged, sink, cancel)
            except PrepFailed as exc:  # after writing: the VM fails, and the summary says why the guest was not
                outcome.guest_prep = PrepReport(FAILED, exc.message)
                raise
            target.guest_prepared(item, outcome.guest_prep)
            if guest_prep_done is not None:
                guest_prep_done(outcome.guest_prep)
            for number, (disk, dest, result) in enumerate(staged, 1):
                doing, where = f"storing disk {number} of {len(staged)}", dest.final or str(dest.path)
                finished = target.finish_disk(item, disk, dest, digests.get(dest.path, result.content_digest),
                                              _part_of(sink, number, sizes), cancel)
                outcome.disks.append(finished)
                if on_disk_done is not None:
                    on_disk_done(dest, finished)
        cancel.check()
        closing = _part_of(sink, len(included) + 1, sizes)
        doing, where = "creating the VM", target.describe()
        outcome.created = target.create_vm(item, outcome.disks, closing, cancel)
        doing = "checking the created VM"
        problems = target.verify(item)
        if problems:
            raise VerificationError(f"VM {name!r} was created but does not match the plan: {problems[0]}",
                                    details="\n".join(problems))
        if fixups:
            doing = "running the guest fix-ups"
            outcome.fixups = target.guest_fixups(item)
        outcome.status = "done"
    except Cancelled:
        outcome.status = "cancelled"
        _rollback(target, item)
    except KeyboardInterrupt:
        _rollback(target, item)
        raise
    except HvmError as exc:
        outcome.status, outcome.error = "failed", exc
        _rollback(target, item)
    except OSError as exc:
        outcome.status = "failed"
        outcome.error = io_error(exc, f"VM {name!r}: {doing}", where, kind=SourceError if on_source else TargetError,
                                 fix=describe(exc)[1] + " Then migrate the VM again.")
        _rollback(target, item)
    return outcome


PREP_ATTEMPTS = 2  # an appliance that stalled, died or did not start before anything was written: tried again


def _prepare(item: PlanItem, staged: list[tuple[DiskSpec, DiskDestination, ConvertResult]],
             sink: ProgressSink | None, cancel: CancelToken) -> tuple[PrepReport, dict]:
    """Prepare the converted disks (see :mod:`wizard.migrate.guestprep`). An error before anything inside the
    guest was written is tried once more, then leaves the disks as converted (the report says it was not done,
    and why); an error after that fails the VM, so that a half-prepared guest is never delivered, as does a
    preparation that reports changes none of the disks holds."""
    paths = [dest.path for _, dest, _ in staged]
    formats = [disk.format.value for disk, _, _ in staged]
    for attempt in range(1, PREP_ATTEMPTS + 1):
        try:
            report, digests = guestprep.prepare(item, paths, formats, sink, cancel)
            break
        except PrepFailed as exc:
            if exc.written:
                raise
            cancel.check()
            if exc.transient and attempt < PREP_ATTEMPTS:  # nothing was written: the disks are as converted
                text = (f"Preparing the Linux guest stopped before anything inside it was changed "
                        f"({exc.one_line()}); trying once more")
                log.warning("%s: %s", item.target.name, text)
                if sink is not None:
                    sink(ProgressEvent(stage="log", message=text, vm=item.target.name, level="warning"))
                continue
            log.warning("%s: the Linux guest was not prepared: %s", item.target.name, exc.one_line())
            return PrepReport(FAILED, exc.message + " (nothing inside the guest was changed)"), {}
    before = {dest.path: result.content_digest for _, dest, result in staged if result.content_digest}
    if report.changed and before and all(digests.get(path) == digest for path, digest in before.items()):
        # libguestfs said every change was made, yet no disk holds a byte that differs from the conversion
        raise PrepFailed("the Linux guest preparation reported changes, but its disks are unchanged: the changes "
                         "did not reach the disk files", written=True,
                         details=report.changes_text(),
                         fix="Its disks were not delivered. Migrate it again; if it repeats, run "
                             "libguestfs-test-tool and check the free space and health of the local disk.")
    return report, digests


def _rollback(target: Target, item: PlanItem) -> None:
    try:
        target.rollback(item)
    except HvmError as exc:  # the original failure matters more; say the cleanup failed in the log
        log.warning("cleanup after a failed migration of %s also failed: %s", item.target.name, exc.one_line())
    except OSError as exc:  # the same, and it must not end the worker with the VM's outcome untold
        log.warning("cleanup after a failed migration of %s also failed: %s", item.target.name, exc)

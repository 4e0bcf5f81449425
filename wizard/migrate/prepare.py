"""The source-preparation stage of one VM, shared by the CLI's pipeline and the wizard's runner.

:func:`prepare_item` runs after the target's preflight has passed (a production VM is never shut down or
snapshotted for a migration that cannot start) and changes the source only as the plan's
``source_policy`` says (see :mod:`wizard.sources.base`). :func:`release_changes` undoes the changes once
the VM's migration has ended: a snapshot always, a shutdown only when the VM was not migrated.

Both report through ``record(event, **fields)`` (the journal, or nothing) *before* they return, so a
crash cannot forget a change, and through ``log(message, level)`` for people.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import asdict

from wizard.core.errors import HvmError, PlanError
from wizard.core.plan import PlanItem
from wizard.core.progress import CancelToken
from wizard.sources.base import Source, SourceChange
from wizard.targets.base import Target

Record = Callable[..., None]
Log = Callable[[str, str], None]


def _no_record(event: str, **fields: object) -> None:
    """Where there is no journal."""


def prepare_item(source: Source, target: Target, item: PlanItem, cancel: CancelToken,
                 earlier: list[SourceChange] | None = None, record: Record = _no_record,
                 log: Log | None = None) -> tuple[PlanItem, list[SourceChange]]:
    """The item to migrate (its VM as the source prepared it) and the changes made (``earlier`` ones reused)."""
    if item.source_policy in ("", "as-is"):
        return item, []
    problems = target.preflight(item)
    if problems:
        raise PlanError(f"VM {item.target.name!r} cannot be migrated: {problems[0]}", details="\n".join(problems))
    if target.existing(item) is not None:
        return item, []
    vm, changes = source.prepare(item.vm, item.source_policy, earlier or [], cancel)
    for change in changes:
        if change in (earlier or []):
            continue
        record("source_change", vm=change.vm_id, **asdict(change))
        if log is not None:
            log(f"source: {change.description}", "info")
    return dataclasses.replace(item, vm=vm), changes


def release_changes(source: Source, changes: list[SourceChange], *, migrated: bool, record: Record = _no_record,
                    log: Log | None = None) -> list[str]:
    """Undo ``changes`` (a shutdown only when not ``migrated``: two running copies would clash on the
    network). Returns the one-line errors of changes that could not be undone (they stay in the journal)."""
    failed = []
    for change in changes:
        if change.kind == "shutdown" and migrated:
            continue
        try:
            source.undo(change, CancelToken())  # not the VM's token: a cancelled VM still gets its source back
        except HvmError as exc:
            failed.append(f"could not undo {change.description}: {exc.one_line()}")
            if log is not None:
                log(failed[-1], "error")
            continue
        record("source_change_undone", vm=change.vm_id, id=change.id)
        if log is not None:
            log("source: " + ("removed the snapshot it took" if change.kind == "snapshot"
                              else "powered the VM back on"), "info")
    return failed


def changes_from_journal(records: list[dict]) -> list[SourceChange]:
    """The :class:`SourceChange` s a journal still lists as not undone."""
    names = {f.name for f in dataclasses.fields(SourceChange)}
    return [SourceChange(**{k: str(v) for k, v in c.items() if k in names}) for c in records]

"""The wizard's migrations honour the plan's source policy like the CLI: the source is prepared (here: a
snapshot) before the disks are read and released afterwards, also when the migration fails."""

from __future__ import annotations

import dataclasses

import pytest

from wizard.compat.engine import build_plan
from wizard.core.errors import HvmError
from wizard.core.progress import CancelToken
from wizard.sources.base import SourceChange
from wizard.sources.demo import DemoSource
from wizard.ui import services


class SnapshottingDemo(DemoSource):
    """The demo source, pretending to be vSphere: records what preparation asked of it."""

    def __init__(self, cache) -> None:  # noqa: ANN001
        super().__init__(cache)
        self.calls: list[str] = []

    def prepare(self, vm, policy, earlier=None, cancel=None):  # noqa: ANN001, ANN201
        self.calls.append(f"prepare {vm.name} {policy}")
        return vm, [SourceChange(id="c1", kind="snapshot", vm_id=vm.id, ref="snapshot-1",
                                 description=f"snapshot of {vm.name}")]

    def undo(self, change, cancel=None) -> None:  # noqa: ANN001
        self.calls.append(f"undo {change.ref}")


@pytest.mark.parametrize("breaks", [False, True], ids=["migrated", "failed"])
def test_gui_migration_snapshots_and_releases_the_source(tmp_path, breaks):
    source = SnapshottingDemo(tmp_path / "cache")
    plan = build_plan(source.discover(), ["web01"])
    item = dataclasses.replace(plan.items[0], source_policy="snapshot")
    migrator = services.Migrator(plan, source, services.TargetSpec(kind="bundle", folder=str(tmp_path / "b")))
    try:
        if breaks:
            source.open_disk = lambda *a, **k: (_ for _ in ()).throw(HvmError("disk unreadable"))
            with pytest.raises(HvmError):
                migrator.run(item, lambda e: None, CancelToken())
        else:
            assert migrator.run(item, lambda e: None, CancelToken())
    finally:
        migrator.close()
    assert source.calls == ["prepare web01 snapshot", "undo snapshot-1"]

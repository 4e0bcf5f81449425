"""Migrations started through the application layer (both front ends) honour the plan's source policy: the
source is prepared (here: a snapshot) before the disks are read and released afterwards, also when the
migration fails."""

from __future__ import annotations

import dataclasses

import pytest

from wizard.app.migration import RunSettings, prepare_migration
from wizard.app.planning import PlanRequest, build_plan
from wizard.app.targets import TargetSpec
from wizard.core.errors import HvmError
from wizard.sources.base import SourceChange
from wizard.sources.demo import DemoSource


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
def test_a_migration_snapshots_and_releases_the_source(tmp_path, breaks):
    source = SnapshottingDemo(tmp_path / "cache")
    plan = build_plan(source.discover(), PlanRequest(vms=["web01"]), source.ref).plan
    plan.items[0] = dataclasses.replace(plan.items[0], source_policy="snapshot")
    plan.items[0].vm.source_kind = "vsphere"  # a policy other than as-is needs a vSphere VM
    if breaks:
        source.open_disk = lambda *a, **k: (_ for _ in ()).throw(HvmError("disk unreadable"))
    migration = prepare_migration(plan, source, TargetSpec(kind="bundle", folder=str(tmp_path / "b")),
                                  RunSettings(parallel=1))
    migration.start()
    migration.run.wait()
    migration.close()
    assert [o.status for o in migration.outcomes()] == ["failed" if breaks else "done"]
    assert source.calls == ["prepare web01 snapshot", "undo snapshot-1"]

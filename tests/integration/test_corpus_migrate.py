"""The property the corpus must keep: every VM that assess does not block plans, and migrates into an import
bundle with its stand-in disks (the real converter, the real bundle target, through ``wizard.app``).

Assess and migrate use one set of checks; a VM assess lets through that migrate then refuses ("the disk has
no file", "below Hyper-V's minimum of 32 MB", an ESXi snapshot delta) fails here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_corpus import ENTRIES, stage
from wizard.app.migration import RunSettings, prepare_migration
from wizard.app.planning import PlanRequest, assess_request, build_plan
from wizard.app.sources import discover, open_source
from wizard.app.targets import TargetSpec
from wizard.core.errors import HvmError
from wizard.targets.bundle import Manifest


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_every_vm_assess_lets_through_migrates_into_a_bundle(entry: dict[str, Any], tmp_path: Path) -> None:
    path = stage(entry, tmp_path / "src")
    try:
        source = open_source(str(path))
        inventory = discover(source)
    except HvmError:
        assert "error" in entry["expect"], "discovery failed for a file the manifest expects to discover"
        return
    request = PlanRequest()
    open_vms = [r.assessment.vm.id for r in assess_request(inventory, request) if not r.assessment.blocked]
    plan = build_plan(inventory, request, source.ref).plan
    assert [item.vm.id for item in plan.items] == open_vms  # every VM assess lets through is planned
    if not plan.items:
        return
    out = tmp_path / "bundle"
    migration = prepare_migration(plan, source, TargetSpec(kind="bundle", folder=str(out)),
                                  RunSettings(parallel=1, per_source=1, journal=str(tmp_path / "journal.jsonl")))
    try:
        assert not migration.blocked, [why.message for _item, why in migration.blocked]
        migration.start()
        outcomes = migration.run.wait(timeout=600)
    finally:
        migration.close()
    failed = [(o.name, o.error.one_line() if o.error else o.status) for o in outcomes if not o.ok]
    assert not failed, failed
    assert len(list(out.glob("*/manifest.json"))) == len(plan.items)  # one complete bundle per planned VM
    for manifest_path in out.glob("*/manifest.json"):
        manifest = Manifest.load(manifest_path)
        planned = [d for d in manifest.item.target.disks if d.include]
        assert len(manifest.disks) == len(planned)
        boot = [d for d in manifest.create["disks"] if d["boot"]]
        assert len(boot) == (1 if planned else 0)

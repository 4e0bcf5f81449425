"""Whole-engine properties over many varied VMs (the benchmark's generator, smaller)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from wizard.compat.engine import plan_with_report, validate_plan
from wizard.compat.validate import plan_value_problems
from wizard.core.findings import Severity
from wizard.core.plan import PlanItem

_spec = importlib.util.spec_from_file_location("bench_assess", Path(__file__).parents[3] / "bench" / "assess.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_every_proposed_spec_is_valid_and_every_planned_vm_validates_clean():
    inv = bench.synthetic_inventory(400, seed=11)
    for version in ("unknown", "2016", "2025"):
        plan, results = plan_with_report(inv, target_version=version)
        for r in results:
            problems, _ = plan_value_problems(PlanItem(vm=r.assessment.vm, target=r.assessment.spec))
            assert not problems, (r.assessment.vm.name, [p.message for p in problems])
        assert plan.items and len(plan.items) == sum(not r.assessment.blocked for r in results)
        blockers = [f for f in validate_plan(plan) if f.severity is Severity.BLOCKER]
        assert not blockers, [(f.vm_name, f.code, f.message) for f in blockers[:5]]

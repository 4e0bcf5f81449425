"""The last check: the targets' own refusal list (:mod:`wizard.compat.buildable`), run in assess too.

A VM assess lets through is one the targets build: whatever the rules before left in the proposed spec that
Hyper-V or Create-VM.ps1 would refuse is reported here as a blocker, in the words the migration would use.
When an earlier rule already blocks the VM, this one stays quiet (the VM is left out either way).
"""

from __future__ import annotations

from wizard.compat.buildable import build_problems
from wizard.compat.rules.refs import S
from wizard.compat.rules.registry import RuleContext, rule
from wizard.core.findings import Severity
from wizard.core.plan import PlanItem


@rule("PLAN-UNBUILDABLE", Severity.BLOCKER, "Hyper-V would refuse the planned VM", S, order=99)
def unbuildable(ctx: RuleContext) -> None:
    if any(f.severity is Severity.BLOCKER for f in ctx.findings):
        return
    problems = build_problems(PlanItem(vm=ctx.vm, target=ctx.spec))
    if problems:
        ctx.flag("The migration would stop before creating the VM: " + " ".join(problems),
                 "Change the settings named above, then assess again.")

"""Names: the VM name is kept for Hyper-V; file names are derived from it and must be valid on Windows."""

from __future__ import annotations

from wizard.compat.names import needs_sanitizing, safe_file_stem
from wizard.compat.rules.refs import FS
from wizard.compat.rules.registry import RuleContext, rule
from wizard.core.findings import Severity


@rule("NAME-INVALID", Severity.INFO, "VM name changed for file names", FS, order=90)
def name_invalid(ctx: RuleContext) -> None:
    if not ctx.vm.name.strip():
        ctx.flag(f"The source VM has no name; the plan uses {ctx.spec.name!r}.", "Rename it with --set ... on the "
                 "Hyper-V side after the move if needed.", severity=Severity.WARNING, adjusted=True)
        return
    if not needs_sanitizing(ctx.vm.name):
        return
    files = ", ".join(d.file_name for d in ctx.spec.disks[:2])
    shown = f"its disk files are {files}" if files else f"its files use {safe_file_stem(ctx.vm.name)!r}"
    ctx.flag("The VM's name has characters Windows does not allow in file names (such as < > : \" / \\ | ? * or "
             "control characters), a reserved name, or is too long. The Hyper-V VM keeps the name; "
             f"{shown}.", "Nothing to do.", adjusted=True)


@rule("NAME-DUPLICATE", Severity.WARNING, "Several VMs with the same name", FS, order=91)
def name_duplicate(ctx: RuleContext) -> None:
    if not ctx.batch.get("duplicate_name"):
        return
    ctx.flag(f"Other VMs in this assessment are also called {ctx.vm.name!r} (or clean up to the same file name). "
             "Their disk files get a number suffix so they do not overwrite each other.",
             "Rename the VMs on the source or after the move so they can be told apart.", adjusted=True)

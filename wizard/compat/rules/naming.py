"""Names: the VM name is kept for Hyper-V when Hyper-V takes it; file names are derived from it and must be
valid on Windows.

Hyper-V takes VM names of at most 100 characters, and every VM of a plan needs a name of its own (compared as
Hyper-V and Windows folders compare them, ignoring case): the plan's scheduler, the bundle folders and the
host's VM folders are keyed by it. When assessing, a name that is too long is cut (NAME-LONG) and a name
another VM of the batch has first is given a number (NAME-DUPLICATE), the engine having worked out the
names for the whole batch (``ctx.batch["target_name"]``). When validating a saved plan nothing is changed:
the same two rules report a name that is too long, or one an earlier item of the plan has
(``ctx.batch["duplicate_of"]``), as blockers — so plan, plan --check and migrate agree.
"""

from __future__ import annotations

from wizard.compat.names import MAX_VM_NAME, needs_sanitizing, safe_file_stem, short_vm_name
from wizard.compat.rules.refs import FS, NM
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
    keeps = "The Hyper-V VM keeps the name; " if len(ctx.vm.name) <= MAX_VM_NAME else ""
    ctx.flag("The VM's name has characters Windows does not allow in file names (such as < > : \" / \\ | ? * or "
             f"control characters), a reserved name, or is too long. {keeps}{shown}.", "Nothing to do.",
             adjusted=True)


@rule("NAME-LONG", Severity.WARNING, "VM name too long for Hyper-V", NM, order=91)
def name_long(ctx: RuleContext) -> None:
    name = ctx.spec.name
    if len(name) <= MAX_VM_NAME:
        return
    if ctx.locked("name"):
        ctx.flag(f"The VM name is {len(name)} characters long; Hyper-V allows at most {MAX_VM_NAME}.",
                 "Give the VM a shorter name in the plan, or plan it again (the plan then shortens it).",
                 severity=Severity.BLOCKER)
        return
    ctx.spec.name = short_vm_name(name)
    ctx.flag(f"The VM's name is {len(name)} characters long; Hyper-V allows at most {MAX_VM_NAME}, so the Hyper-V "
             f"VM is named {ctx.spec.name!r}.", "Rename it on the Hyper-V side after the move if needed.",
             adjusted=True)


@rule("NAME-DUPLICATE", Severity.WARNING, "Several VMs with the same name", FS, order=92)
def name_duplicate(ctx: RuleContext) -> None:
    if ctx.validate:
        first = ctx.batch.get("duplicate_of")
        if first is not None:
            ctx.flag(f"Another VM of the plan, planned before this one, is also called {first!r} (Hyper-V and "
                     "Windows compare names ignoring case); every VM of a plan needs its own name.",
                     "Give this VM its own name in the plan, or plan the VMs again together: the plan then gives "
                     "each its own name.", severity=Severity.BLOCKER)
        return
    if not ctx.batch.get("duplicate_name"):
        return
    target = str(ctx.batch.get("target_name") or ctx.spec.name)
    if target != ctx.spec.name:
        ctx.spec.name = target
        ctx.flag(f"Another VM in this assessment is also called {ctx.vm.name!r} (or a name that differs only in "
                 f"case). Every Hyper-V VM of a plan needs its own name, so this one is named {target!r}; its disk "
                 "files get a number suffix too.", "Rename the VMs on the source or after the move so they can be "
                 "told apart.", adjusted=True)
        return
    ctx.flag(f"Other VMs in this assessment are also called {ctx.spec.name!r} (or clean up to the same file name). "
             "This one keeps the name; the others are given a number suffix (name and disk files) so they do not "
             "overwrite each other.", "Rename the VMs on the source or after the move so they can be told apart.",
             adjusted=True)

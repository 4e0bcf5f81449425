"""Per-VM maximums of the target host: processors, memory, network adapters."""

from __future__ import annotations

from wizard.compat.buildable import MIN_MEMORY_MB
from wizard.compat.rules.refs import HV, RQ, S
from wizard.compat.rules.registry import RuleContext, rule
from wizard.core.findings import Severity


def _gib(mb: int) -> str:
    return f"{mb / 1024:g} GiB" if mb < 1024 * 1024 else f"{mb / 1024 / 1024:g} TiB"


@rule("CPU-MAX", Severity.WARNING, "More virtual processors than the host allows", S, order=40)
def cpu_max(ctx: RuleContext) -> None:
    most = ctx.limits.vcpu(ctx.spec.generation)
    if ctx.spec.cpus <= most:
        return
    where = f"Generation {ctx.spec.generation} VMs on {ctx.limits.label}"
    if ctx.locked("cpus"):
        ctx.flag(f"{where} have at most {most} virtual processors; the plan asks for {ctx.spec.cpus}.",
                 f"Use at most {most}.", severity=Severity.BLOCKER)
        return
    before, ctx.spec.cpus = ctx.spec.cpus, most
    ctx.flag(f"{where} have at most {most} virtual processors; the source has {before}.",
             f"The plan uses {most}.", adjusted=True)


@rule("MEM-UNKNOWN", Severity.WARNING, "Memory size unknown", S, order=41)
def memory_unknown(ctx: RuleContext) -> None:
    if ctx.spec.memory.startup_mb > 0:
        return
    if ctx.locked("memory.startup"):
        ctx.flag("The plan gives this VM no memory.", "Set it, e.g. --set memory=4G.", severity=Severity.BLOCKER)
        return
    ctx.spec.memory.startup_mb = 1024
    ctx.flag("The source does not say how much memory this VM has; the plan uses 1 GiB.",
             "Set the right amount with --set memory=SIZE.", adjusted=True)


@rule("MEM-MIN", Severity.WARNING, "Less memory than Hyper-V's minimum", S, order=41)
def memory_min(ctx: RuleContext) -> None:
    m = ctx.spec.memory
    if m.startup_mb <= 0 or m.startup_mb >= MIN_MEMORY_MB:
        return
    if ctx.locked("memory.startup"):
        ctx.flag(f"The plan gives this VM {m.startup_mb} MB of memory; Hyper-V starts no VM with less than "
                 f"{MIN_MEMORY_MB} MB.", f"Use at least {MIN_MEMORY_MB} MB (--set memory={MIN_MEMORY_MB}).",
                 severity=Severity.BLOCKER)
        return
    before, m.startup_mb = m.startup_mb, MIN_MEMORY_MB
    m.minimum_mb = min(max(m.minimum_mb, MIN_MEMORY_MB), m.startup_mb) if m.dynamic else m.minimum_mb
    ctx.flag(f"The source VM has {before} MB of memory; Hyper-V starts no VM with less than {MIN_MEMORY_MB} MB, so "
             f"the plan gives it {MIN_MEMORY_MB} MB.", "Nothing to do.", adjusted=True)


# The memory each Windows release needs to start: guest id prefix -> (MB, name, what less means). Servers run
# with 512 MB as Server Core; the Desktop Experience needs 2 GB (both are the documented minimums).
_GUEST_MINIMUM: tuple[tuple[str, int, str], ...] = (
    ("windows11_", 4096, "Windows 11"), ("windows12_", 4096, "Windows 11"),
    ("windows9_64", 2048, "64-bit Windows 10"), ("windows9Guest", 1024, "32-bit Windows 10"),
)
_SERVER_IDS = ("windows9Server", "windows2019srv", "windows2022srv")
_SERVER_CORE_MB, _SERVER_DESKTOP_MB = 512, 2048


@rule("MEM-GUEST-MIN", Severity.WARNING, "Less memory than the guest OS needs", RQ, order=41)
def memory_guest_min(ctx: RuleContext) -> None:
    """A size the user (or the source) chose below what the guest's release needs: said, never changed."""
    startup, gid = ctx.spec.memory.startup_mb, ctx.vm.guest.id
    if startup <= 0 or not gid:
        return
    for prefix, need, name in _GUEST_MINIMUM:
        if gid.startswith(prefix) and startup < need:
            ctx.flag(f"{name} needs at least {need} MB of memory to start; the plan gives this VM {startup} MB.",
                     f"Give the VM at least {need} MB of memory.")
            return
    if gid.startswith(_SERVER_IDS) and startup < _SERVER_DESKTOP_MB:
        if startup < _SERVER_CORE_MB:
            ctx.flag(f"Windows Server needs at least {_SERVER_CORE_MB} MB of memory; the plan gives this VM "
                     f"{startup} MB.", f"Give the VM at least {_SERVER_DESKTOP_MB} MB of memory.")
        else:
            ctx.flag(f"{startup} MB of memory is enough only for Windows Server Core; a server with the Desktop "
                     f"Experience needs at least {_SERVER_DESKTOP_MB} MB.",
                     f"Give the VM at least {_SERVER_DESKTOP_MB} MB of memory unless it runs Server Core.")


@rule("MEM-MAX", Severity.WARNING, "More memory than the host allows", S, order=42)
def memory_max(ctx: RuleContext) -> None:
    most = ctx.limits.memory_mb(ctx.spec.generation)
    m = ctx.spec.memory
    if m.startup_mb <= most:
        return
    where = f"Generation {ctx.spec.generation} VMs on {ctx.limits.label} have at most {_gib(most)} of memory"
    if ctx.locked("memory.startup"):
        ctx.flag(f"{where}; the plan asks for {_gib(m.startup_mb)}.", f"Use at most {_gib(most)}.",
                 severity=Severity.BLOCKER)
        return
    before, m.startup_mb = m.startup_mb, most
    ctx.flag(f"{where}; the source has {_gib(before)}.", f"The plan uses {_gib(most)}.", adjusted=True)


@rule("MEM-ALIGN", Severity.INFO, "Memory rounded to 2 MiB", HV, order=43)
def memory_align(ctx: RuleContext) -> None:
    m = ctx.spec.memory
    odd = [name for name, v in (("startup", m.startup_mb), ("minimum", m.minimum_mb), ("maximum", m.maximum_mb))
           if v % 2 and (name == "startup" or m.dynamic)]
    if not odd:
        return
    if ctx.validate:
        ctx.flag(f"Hyper-V takes memory in steps of 2 MiB; the {', '.join(odd)} value is odd.",
                 "Use an even number of MiB.", severity=Severity.BLOCKER)
        return
    m.startup_mb += m.startup_mb % 2
    if m.dynamic:
        m.minimum_mb += m.minimum_mb % 2
        m.maximum_mb += m.maximum_mb % 2
    ctx.flag(f"Hyper-V takes memory in steps of 2 MiB; the {', '.join(odd)} memory is rounded up by 1 MiB.",
             "Nothing to do.", adjusted=True)


@rule("MEM-DYNAMIC", Severity.INFO, "Dynamic memory bounds adjusted", S, order=44)
def memory_dynamic(ctx: RuleContext) -> None:
    m = ctx.spec.memory
    if not m.dynamic or m.minimum_mb <= m.startup_mb <= m.maximum_mb:
        return
    if ctx.locked("memory.minimum", "memory.maximum", "memory.startup") or ctx.validate:
        ctx.flag(f"Dynamic memory needs minimum <= startup <= maximum (now {m.minimum_mb} / {m.startup_mb} / "
                 f"{m.maximum_mb} MiB).", "Fix memory.minimum / memory.maximum.", severity=Severity.BLOCKER)
        return
    m.minimum_mb = min(m.minimum_mb, m.startup_mb)
    m.maximum_mb = max(m.maximum_mb, m.startup_mb)
    ctx.flag(f"Dynamic memory range set to {m.minimum_mb}–{m.maximum_mb} MiB around the startup memory.",
             "Nothing to do.", adjusted=True)


@rule("NIC-COUNT", Severity.WARNING, "More network adapters than the host allows", S, order=45)
def nic_count(ctx: RuleContext) -> None:
    synthetic = [n for n in ctx.spec.nics if not n.legacy]
    legacy = [n for n in ctx.spec.nics if n.legacy]
    most, most_legacy = ctx.limits.synthetic_nics, (ctx.limits.legacy_nics_gen1 if ctx.spec.generation == 1 else 0)
    if len(synthetic) <= most and len(legacy) <= most_legacy:
        return
    host = ctx.limits.label[:1].upper() + ctx.limits.label[1:]
    text = (f"{host} allows {most} network adapters per VM"
            + (f" plus {most_legacy} legacy ones" if most_legacy else "") + f"; this VM has {len(ctx.spec.nics)}.")
    if ctx.validate:
        ctx.flag(text, "Remove adapters from the plan.", severity=Severity.BLOCKER)
        return
    keep = {id(n) for n in synthetic[:most]} | {id(n) for n in legacy[:most_legacy]}
    dropped = [n for n in ctx.spec.nics if id(n) not in keep]
    ctx.spec.nics = [n for n in ctx.spec.nics if id(n) in keep]
    ctx.flag(text + " Left out: " + ", ".join(n.name for n in dropped) + ".",
             "Team the traffic on fewer adapters in the guest, or use a newer host (Windows Server 2019 and later "
             "allow 64).", adjusted=True)

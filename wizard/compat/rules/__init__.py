"""The rule registry: every compatibility check is a small function registered under a stable code.

A rule is ``def check(ctx: RuleContext) -> None`` decorated with :func:`rule`, which records its code,
severity, title, reference (the document the fact comes from) and order. The function looks at
``ctx.vm`` / ``ctx.guest`` / ``ctx.limits`` and the proposed ``ctx.spec``; when it applies, it calls
``ctx.flag(message, fix, ...)`` (once per subject) and may change ``ctx.spec`` — but only for settings that
``ctx.locked(key)`` says the user did not fix. In validation mode (re-checking a saved plan) everything is
locked, so rules only report.

Severity policy:
- blocker: the migrated VM cannot work, or the data cannot be copied as it is (encrypted disks, a physical
  RDM, a 32-bit UEFI guest, a hibernated guest, an impossible value the user chose such as Secure Boot on
  Generation 1 or more vCPUs than the host allows). A blocked VM is left out of plans.
- warning: it will probably work, but a person should look (unsupported guest, settings lost on the new
  hardware such as static IPs, snapshots not carried over, devices dropped, a user choice against the facts).
- info: what the plan does automatically and why (Gen 1 boot disk on IDE, Secure Boot template for Linux...).

Orders: generation 10–19, guest 20–29, firmware/security 30–39, limits 40–49, disks 50–59, devices 60–69,
network 70–79, snapshots/state 80–89, naming 90–94, tools 95–99. Rules of a lower order see the spec after
the adjustments of the rules before them (e.g. disk placement sees the final generation).
"""

from __future__ import annotations

# Every topic module, imported for its registrations (order does not matter: rules carry their own order).
from wizard.compat.rules import (  # noqa: F401
    boot,
    buildable,
    devices,
    disks,
    firmware_security,
    generation,
    guest,
    limits,
    naming,
    network,
    package,
    snapshots,
    tools,
)
from wizard.compat.rules.registry import (
    RuleContext,
    RuleInfo,
    all_rules,
    codes,
    define,
    get_rule,
    rule,
    run_rules,
)

TOPICS = ("generation", "guest", "firmware_security", "limits", "boot", "disks", "devices", "network", "package",
          "snapshots", "naming", "tools", "buildable")

__all__ = ["TOPICS", "RuleContext", "RuleInfo", "all_rules", "codes", "define", "get_rule", "rule", "run_rules"]

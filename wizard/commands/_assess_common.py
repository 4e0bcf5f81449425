"""Helpers shared by ``hvmigrate assess`` and ``hvmigrate plan``: source options, network maps, safe printing."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from wizard.core.errors import PlanError
from wizard.core.inventory import Inventory
from wizard.core.plan import NetworkMapping, SourceRef

if TYPE_CHECKING:  # the plan builder (rules, catalogues) loads when a command plans, not at every start-up
    from wizard.app.planning import PlanRequest

TARGET_CHOICES = ["2016", "2019", "2022", "2025", "unknown"]


def add_source_options(p: argparse.ArgumentParser, *, optional_source: bool = False) -> None:
    p.add_argument("source", metavar="SOURCE", nargs="?" if optional_source else None,
                   help="vsphere://USER@HOST[:PORT], a .vmx/.ovf/.ova/.vbox file, a folder of VMs, demo, "
                        "or an inventory JSON file written by `hvmigrate discover -o`")
    p.add_argument("--password-env", metavar="VAR", help="read the vSphere password from environment variable VAR")
    p.add_argument("--thumbprint", metavar="HEX", default="", help="trust the server certificate with this SHA-256")
    p.add_argument("--insecure", action="store_true", help="do not verify the server certificate (labs only)")
    p.add_argument("--target-version", choices=TARGET_CHOICES, default="unknown",
                   help="Hyper-V host version to check against (default: unknown = the strictest limits)")
    p.add_argument("--template", metavar="NAME",
                   help="template: auto (default), windows-server, windows-11, linux, legacy-bios, or a saved one")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override a setting for every VM, e.g. cpus=4, memory.dynamic=true, disk.type=fixed, "
                        "nic.static_mac=true (keep every MAC), fixups.reapply_static_ips=false")
    p.add_argument("--set-vm", dest="vm_sets", action="append", default=[], nargs=2, metavar=("VM", "KEY=VALUE"),
                   help="override a setting for one VM (name or id), on top of --set, e.g. --set-vm web01 cpus=4")
    p.add_argument("--map-network", dest="networks", action="append", default=[], metavar="SRC=SWITCH[:VLAN]",
                   help="connect adapters on source network SRC to Hyper-V switch SWITCH (SRC * = all others)")


def load_inventory(args: argparse.Namespace) -> Inventory:
    from wizard.app.sources import load_inventory as load
    from wizard.commands._term import TerminalProgress, terminal_prompt

    progress = TerminalProgress()
    try:
        return load(args.source, progress=progress, password_env=args.password_env or "",
                    thumbprint=args.thumbprint, insecure=args.insecure, prompt=terminal_prompt)
    finally:
        progress.close()


def plan_request(args: argparse.Namespace, vms: list[str] | None = None, source_policy: str = "auto") -> PlanRequest:
    """The answers the flags give (``--template``, ``--set``, ``--set-vm``, ``--map-network``,
    ``--target-version``, ``--source-policy``): the same :class:`PlanRequest` the wizard's pages fill."""
    from wizard.app.planning import PlanRequest, parse_settings

    per_vm: dict[str, dict[str, str]] = {}
    for vm, pair in args.vm_sets:
        per_vm.setdefault(vm, {}).update(parse_settings([pair]))
    return PlanRequest(vms=list(vms or []), template=args.template, sets=parse_settings(args.sets), per_vm=per_vm,
                       target_version=args.target_version, network_map=parse_network_map(args.networks),
                       source_policy=source_policy)


def parse_network_map(items: list[str]) -> list[NetworkMapping]:
    """``["VM Network=LAN:12", "*=Default"]`` → mappings (``*`` maps every network without its own entry)."""
    out: dict[str, tuple[str, int | None]] = {}
    for item in items:
        src, sep, target = item.partition("=")
        if not sep or not src or not target.strip():
            raise PlanError(f"--map-network {item!r} is not SRC=SWITCH[:VLAN]",
                            fix="For example --map-network 'VM Network=External:12'.")
        switch, vlan = target, None
        head, colon, tail = target.rpartition(":")
        if colon and tail.strip().isdigit():
            switch, vlan = head, int(tail)
            if not 1 <= vlan <= 4094:
                raise PlanError(f"--map-network {item!r}: VLAN {vlan} is outside 1-4094")
        if not switch.strip():
            raise PlanError(f"--map-network {item!r} names no switch")
        out[src] = (switch.strip(), vlan)
    return [NetworkMapping(src, switch, vlan) for src, (switch, vlan) in out.items()]


def plan_source_ref(args: argparse.Namespace, inv: Inventory) -> SourceRef:
    """Where ``hvmigrate migrate`` finds the VMs again (see :func:`wizard.app.sources.plan_source_ref`)."""
    from wizard.app.sources import plan_source_ref as ref

    return ref(args.source, inv, args.thumbprint, args.insecure)


def tty_safe(text: str) -> str:
    """Text with control and format characters shown as escapes, so a VM name cannot move the cursor, recolour
    a terminal or reverse the text around it (U+202E and the other bidirectional controls): the one rule of
    :func:`wizard.commands._term.printable`."""
    from wizard.commands._term import printable

    # C0/C1 controls as \\xNN (as ever), every other character a terminal would act on as printable() writes it
    return "".join(f"\\x{ord(ch):02x}" if ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F
                   else ch if ch.isprintable() else printable(ch) for ch in text)


def tolerant_stdout() -> None:
    """Never fail on a character the console's code page lacks (a Windows pipe is often cp1252)."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")

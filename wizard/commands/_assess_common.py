"""Helpers shared by ``hvmigrate assess`` and ``hvmigrate plan``: source options, network maps, safe printing."""

from __future__ import annotations

import argparse
import os
import re
import sys

from wizard.core.errors import HvmError, PlanError
from wizard.core.inventory import Inventory
from wizard.core.plan import SourceRef

TARGET_CHOICES = ["2016", "2019", "2022", "2025", "unknown"]
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


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
                   help="override a setting for every VM, e.g. cpus=4, memory.dynamic=true, disk.type=fixed")
    p.add_argument("--map-network", dest="networks", action="append", default=[], metavar="SRC=SWITCH[:VLAN]",
                   help="connect adapters on source network SRC to Hyper-V switch SWITCH (SRC * = all others)")


def load_inventory(args: argparse.Namespace) -> Inventory:
    from wizard.commands._term import TerminalProgress
    from wizard.sources.registry import load_inventory_or_discover

    progress = TerminalProgress()
    try:
        return load_inventory_or_discover(args.source, progress=progress, password_env=args.password_env,
                                          thumbprint=args.thumbprint, insecure=args.insecure, interactive=True)
    finally:
        progress.close()


def parse_network_map(items: list[str]) -> dict[str, tuple[str, int | None]]:
    """``["VM Network=LAN:12", "*=Default"]`` → ``{"VM Network": ("LAN", 12), "*": ("Default", None)}``."""
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
    return out


def plan_source_ref(args: argparse.Namespace, inv: Inventory) -> SourceRef:
    """Where ``hvmigrate migrate`` finds the VMs again (no secret: the password is looked up at run time).

    For an inventory file, the source the inventory was discovered from (its ``source`` field), when that
    still names something; otherwise the inventory's own description.
    """
    from wizard.sources.registry import parse_source

    spec = parse_source(args.source)
    if spec.kind == "inventory":
        try:
            inner = parse_source(inv.source) if inv.source else None
        except HvmError:  # the original folder/file is gone or the text is only a description
            inner = None
        if inner is None or inner.kind == "inventory":
            return SourceRef(kind=inv.source_kind or "inventory", address=inv.source or os.path.abspath(spec.path))
        spec = inner
    return spec.to_plan_ref(args.thumbprint, args.insecure)


def tty_safe(text: str) -> str:
    """Text with control characters shown as escapes, so a VM name cannot move the cursor or recolour a terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def tolerant_stdout() -> None:
    """Never fail on a character the console's code page lacks (a Windows pipe is often cp1252)."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")

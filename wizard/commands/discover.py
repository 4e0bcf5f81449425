"""``hvmigrate discover SOURCE``: list the VMs a source holds, as a table or as the inventory JSON.

``--json`` prints the inventory document (``Inventory.to_json()``) with one extra per-VM key,
``snapshot_count``; ``-o FILE`` writes that same document atomically (with or without ``--json``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from wizard.commands._assess_common import tolerant_stdout, tty_safe
from wizard.commands._term import display_width, pad
from wizard.core.i18n import translate
from wizard.core.inventory import Inventory, SourceVM
from wizard.core.units import human_bytes


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("discover", help="list the VMs of a source (vSphere, VM folder, OVF/OVA, .vbox, demo)",
                       description="Discover VMs. SOURCE is vsphere://USER@HOST[:PORT], a .vmx/.ovf/.ova/.vbox "
                                   "file, a folder of VMs, or demo.")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("--json", action="store_true", help="print the inventory as JSON")
    p.add_argument("-o", "--output", metavar="FILE", help="write the inventory JSON to FILE")
    p.add_argument("--password-env", metavar="VAR", help="read the vSphere password from environment variable VAR")
    p.add_argument("--thumbprint", metavar="HEX", default="", help="trust the server certificate with this SHA-256")
    p.add_argument("--insecure", action="store_true", help="do not verify the server certificate")
    p.add_argument("--remember", action="store_true", help="save the password in the OS keyring")
    p.set_defaults(func=run)


def inventory_document(inv: Inventory) -> dict:
    """The inventory JSON plus ``snapshot_count`` per VM."""
    doc = inv.to_json()
    for vm_doc, vm in zip(doc.get("vms", []), inv.vms, strict=True):
        vm_doc["snapshot_count"] = len(vm.snapshots)
    return doc


def _row(vm: SourceVM, same_name: bool = False) -> list[str]:
    guest = vm.guest.full_name or vm.guest.id or "?"
    fw = vm.firmware.value + ("+sb" if vm.secure_boot else "") + ("+tpm" if vm.vtpm else "")
    name = tty_safe(vm.name)
    if same_name:  # several datacenters/folders hold this name: say where each one is, and its id to pick it by
        where = "/".join(p for p in (vm.datacenter, vm.folder) if p)
        name += f" ({where}, {vm.id})" if where else f" ({vm.id})"
    power = "template" if vm.template else vm.power_state.value.replace("powered", "").lower()
    return [name, power, guest[:40], fw, str(vm.cpus),
            f"{vm.memory_mb} MB", f"{len(vm.disks_as_discovered)} ({human_bytes(vm.total_disk_bytes)})",
            str(len(vm.nics)),
            str(len(vm.snapshots))]


def format_table(inv: Inventory) -> str:
    header = [translate("NAME"), translate("POWER"), translate("GUEST"), translate("FIRMWARE"), translate("CPUS"),
              translate("MEMORY"), translate("DISKS"), translate("NICS"), translate("SNAPSHOTS")]
    counts = Counter(vm.name for vm in inv.vms)
    rows = [header] + [_row(vm, counts[vm.name] > 1) for vm in inv.vms]
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(pad(cell, widths[i]) for i, cell in enumerate(r)).rstrip() for r in rows]
    total_disk = sum(vm.total_disk_bytes for vm in inv.vms)
    lines.append(translate(f"{len(inv.vms)} VM(s), {sum(vm.cpus for vm in inv.vms)} vCPU, "
                           f"{sum(vm.memory_mb for vm in inv.vms)} MB memory, {human_bytes(total_disk)} of disks "
                           f"— source: {inv.source}"))
    for vm in inv.vms:
        warnings = vm.extra.get("warnings")
        if warnings:
            name = tty_safe(vm.name)
            lines.extend(translate(f"warning: {name}: {tty_safe(w)}") for w in warnings.splitlines() if w)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from wizard.app.sources import open_source
    from wizard.commands._term import TerminalProgress, terminal_prompt
    from wizard.core.serial import write_json_atomic

    progress = TerminalProgress()
    try:
        with open_source(args.source, password_env=args.password_env or "", thumbprint=args.thumbprint,
                         insecure=args.insecure, remember=args.remember, prompt=terminal_prompt) as source:
            inv = source.discover(progress)
            skipped = list(source.skipped)
    finally:
        progress.close()
    for path, reason in skipped:
        print(translate(f"hvmigrate: warning: skipped {tty_safe(path)}: {tty_safe(reason)}"), file=sys.stderr)
    doc = inventory_document(inv)
    if args.output:
        write_json_atomic(args.output, doc)
    tolerant_stdout()  # a VM name in a script the console's code page lacks must not end the command
    if args.json:
        utf8 = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "") == "utf8"
        json.dump(doc, sys.stdout, indent=2, ensure_ascii=not utf8)
        sys.stdout.write("\n")
    else:
        print(format_table(inv))
    return 0

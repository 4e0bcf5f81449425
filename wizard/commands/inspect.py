"""``hvmigrate inspect DISK [--json]``: what a disk image is, how big, what it is made of."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("inspect", help="show a disk image's format, size, allocation, extents and parent")
    p.add_argument("disk", help="disk image (VMDK descriptor or extent, VHDX, VHD, raw, ...)")
    p.add_argument("--json", action="store_true", help="print the facts as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wizard.app.disks import inspect_disk
    from wizard.commands._term import pad, printable
    from wizard.core.i18n import phrase, translate
    from wizard.core.units import human_bytes

    info = inspect_disk(args.disk)
    if args.json:
        print(json.dumps(asdict(info), indent=2, default=str))
        return 0
    # names inside a disk's descriptor come from whoever made the file: shown escaped, never raw
    rows = [(translate("file:"), printable(str(info.path))),
            (translate("format:"), f"{info.format} ({info.subformat})"),
            (translate("virtual size:"), phrase("{0} ({1} bytes)", human_bytes(info.virtual_size), info.virtual_size)),
            (translate("allocated:"), phrase("{0} ({1} bytes)", human_bytes(info.allocated_bytes),
                                             info.allocated_bytes)),
            (translate("file size:"), human_bytes(info.file_size))]
    if info.parent:
        rows.append((translate("parent:"), printable(str(info.parent))))
    for label, value in rows:
        print(f"{pad(label, 16)}{value}")
    if info.extents:
        print(translate("extents:"))
        for e in info.extents:
            print(f"  {e.kind:<10} {e.offset:>16} +{e.length:<16} {printable(str(e.path))}"
                  + (f" @{e.file_offset}" if e.file_offset else ""))
    for key, value in sorted(info.details.items()):
        print(f"{printable(key) + ':':<16}{printable(str(value))}")
    return 0

"""``hvmigrate convert SRC DST``: convert a disk image to VHDX or VHD (verified, atomic)."""

from __future__ import annotations

import argparse
import json
import os

from wizard.core.i18n import translate
from wizard.core.units import parse_size


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("convert", help="convert a disk image to VHDX or VHD for Hyper-V")
    p.add_argument("source", help="source disk (VMDK, VHDX, VHD, raw, ...)")
    p.add_argument("destination", help="output file (.vhdx or .vhd)")
    p.add_argument("--format", choices=["vhdx", "vhd"], help="output format (default: from DST's extension)")
    p.add_argument("--type", choices=["dynamic", "fixed"], default="dynamic", help="disk type (default dynamic)")
    p.add_argument("--block-size", type=_size, metavar="SIZE",
                   help="VHDX block size, 1M..256M power of two (default: 32M, 1M with --guest linux)")
    p.add_argument("--sector", type=int, choices=[512, 4096], default=512, help="VHDX logical sector size")
    p.add_argument("--guest", choices=["windows", "linux", "unknown"], default="unknown",
                   help="guest OS family, picks the default block size")
    p.add_argument("--verify", action=argparse.BooleanOptionalAction, default=True,
                   help="read the output back and compare it with the source, read once (default on)")
    # spelled as one option string: "--verify" alone must not swallow SRC as its value
    p.add_argument("--verify=full", dest="verify", action="store_const", const="full",
                   help="also read the source a second time after the conversion and the output after its flush")
    p.add_argument("--overwrite", action="store_true", help="replace DST if it exists")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


def _format_for(args: argparse.Namespace) -> str:
    from wizard.core.errors import PlanError

    if args.format:
        return args.format
    ext = os.path.splitext(args.destination)[1].lower()
    if ext in (".vhdx", ".vhd"):
        return ext[1:]
    raise PlanError(f"cannot tell the output format from {args.destination!r}",
                    fix="Name the output .vhdx or .vhd, or pass --format vhdx|vhd.")


def run(args: argparse.Namespace) -> int:
    from wizard.app.disks import ConvertOptions, convert_disk
    from wizard.commands._term import TerminalProgress
    from wizard.core.errors import PlanError

    fmt = _format_for(args)
    if fmt == "vhd" and (args.block_size or args.sector != 512):
        raise PlanError("--block-size and --sector apply to VHDX only (VHD uses 2 MiB blocks, 512-byte sectors)")
    options = ConvertOptions(format=fmt, type=args.type, block_size=args.block_size, logical_sector=args.sector,
                             verify=bool(args.verify), verify_full=args.verify == "full",
                             overwrite=args.overwrite, guest_family=args.guest)
    bar = TerminalProgress()
    try:
        result = convert_disk(args.source, args.destination, options, progress=bar)
    finally:
        bar.close()
    if args.json:
        data = result.to_dict()
        data["source"] = args.source
        print(json.dumps(data, indent=2))
    else:
        written = (f"{result.destination}: {result.format} {result.type}, {result.virtual_size} bytes, "
                   f"{result.bytes_written} bytes written in {result.seconds:.1f} s")
        print(translate(f"{written} (verified)") if result.verified else translate(f"{written} (not verified)"))
        if result.content_digest:
            print(translate(f"content digest {result.content_digest} (SHA-256 of the SHA-256 of each 1 MiB of the "
                            "disk)"))
    return 0

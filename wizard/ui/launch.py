"""``hvmigrate gui``: open the wizard (the default when no sub-command is given).

The command line registers this sub-command like its own; Qt is imported only when it runs, so
``hvmigrate --help`` and every other command start without it.
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_USAGE = 3  # as every hvmigrate command (wizard.commands._exit)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="open the migration wizard (default)")
    p.add_argument("--demo", action="store_true", help="start with the built-in demo source")
    p.add_argument("--lang", choices=["en", "zh_CN"], help="user-interface language (default: system)")
    p.add_argument("--screenshots", metavar="DIR", help="walk the demo through every page, save PNGs, exit")
    p.add_argument("--size", metavar="WxH", help="window size for --screenshots (default 1000x700)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wizard.ui.app import run_gui  # Qt is imported only here
    from wizard.ui.screenshots import parse_size

    try:
        size = parse_size(args.size) if args.size else None
    except ValueError as exc:
        print(f"hvmigrate gui: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    code = run_gui(demo=args.demo, lang=args.lang, screenshots=args.screenshots, size=size)
    # PySide6 6.12 can abort while the interpreter tears down its wrappers after the window is gone; all
    # work is finished and files are closed by now, so leave without that teardown.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)

"""Entry point: ``hvmigrate`` with no arguments opens the wizard; with a sub-command, the CLI runs it."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from wizard import cli

    return cli.main(args if args else ["gui"])


if __name__ == "__main__":
    sys.exit(main())

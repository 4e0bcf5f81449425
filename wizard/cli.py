"""Command-line front end: argparse sub-commands over the core.

Each sub-command lives in ``wizard/commands/<name>.py`` (``gui`` in ``wizard/ui/launch.py``) and exposes
``register(subparsers)``, which adds its parser and sets ``func(args) -> int`` as a default. Commands
import their heavy dependencies lazily, so ``hvmigrate convert`` never loads Qt or pyVmomi.

Messages (findings, errors, summaries) are printed in the language of ``--lang zh_CN|en`` (before or after the
command), else of the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``): see :mod:`wizard.core.i18n`. ``--json``
output stays English for scripts.

Exit codes: 0 success; 1 partial success (some VMs failed); 2 error (one line on stderr, no traceback);
3 usage error; 130 cancelled.
"""

from __future__ import annotations

import argparse
import copy
import logging
import signal
import sys
import threading

from wizard import __version__
from wizard.commands import assess, convert, cutover, demo, discover, inspect, migrate, plan
from wizard.commands._exit import EXIT_CANCELLED, EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from wizard.commands._term import printable
from wizard.core.errors import Cancelled, HvmError
from wizard.core.i18n import SUPPORTED, error_line, language_from_environment, set_language, translate
from wizard.ui import launch as gui

COMMANDS = (inspect, convert, discover, assess, plan, migrate, cutover, demo, gui)
__all__ = ["EXIT_CANCELLED", "EXIT_ERROR", "EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE", "build_parser", "main"]


class _Formatter(argparse.HelpFormatter):
    """argparse's help in the current language: our help texts and descriptions, and argparse's own headings."""

    def _expand_help(self, action: argparse.Action) -> str:
        if action.help and action.help is not argparse.SUPPRESS:
            action = copy.copy(action)
            action.help = translate(action.help)
        return super()._expand_help(action)

    def start_section(self, heading: str | None) -> None:
        super().start_section(translate(heading) if heading else heading)

    def add_text(self, text: str | None) -> None:
        super().add_text(translate(text) if text and text is not argparse.SUPPRESS else text)

    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # noqa: ANN001 - argparse's signature
        super().add_usage(usage, actions, groups, translate("usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - argparse's signature
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # argparse exits 2 by default; keep 2 for our own errors
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, translate(f"{self.prog}: error: {translate(message)}") + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="hvmigrate", description="Migrate VMware and VirtualBox VMs to Hyper-V.")
    parser.add_argument("--version", action="version", version=f"hvmigrate {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output on stderr")
    parser.add_argument("--lang", dest="lang_global", choices=SUPPORTED, default=None,
                        help="language of messages (default: from LC_ALL / LC_MESSAGES / LANG)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS:
        command.register(sub)
    for name, command_parser in sub.choices.items():
        if name != "gui":  # gui has its own --lang (the window's language, also from its settings)
            # SUPPRESS: when not given after the command, it does not hide a --lang given before it
            command_parser.add_argument("--lang", choices=SUPPORTED, default=argparse.SUPPRESS,
                                        help="language of messages (default: from LC_ALL / LC_MESSAGES / LANG)")
    return parser


def chosen_language(args: argparse.Namespace) -> str:
    """``--lang`` (after or before the command), else the locale's language."""
    return getattr(args, "lang", None) or args.lang_global or language_from_environment()


def _language_asked(argv: list[str]) -> str:
    """The language ``argv`` asks for with ``--lang`` (anywhere), else the locale's: ``--help`` and usage errors
    are printed while the arguments are still being read."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        name, eq, value = arg.partition("=")
        if len(name) > 3 and "--lang".startswith(name):  # argparse takes --la, --lan too
            if eq:
                return value
            if i + 1 < len(argv):
                return argv[i + 1]
    return language_from_environment()


def main(argv: list[str]) -> int:
    set_language(_language_asked(argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    set_language(chosen_language(args))
    if getattr(args, "command", "") == "gui" and not getattr(args, "lang", None):
        args.lang = args.lang_global  # `hvmigrate --lang zh_CN gui`: the window's language too
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    previous = _stop_on_sigterm() if getattr(args, "command", "") != "gui" else None
    try:
        return int(args.func(args) or 0)
    except HvmError as exc:
        print(translate(f"hvmigrate: error: {printable(error_line(exc))}"), file=sys.stderr)
        if args.verbose and exc.details:
            print("\n".join(printable(line) for line in exc.details.splitlines()), file=sys.stderr)
        return EXIT_ERROR
    except (Cancelled, KeyboardInterrupt):
        print(translate("hvmigrate: cancelled"), file=sys.stderr)
        return EXIT_CANCELLED
    except BrokenPipeError:
        return EXIT_OK
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


# Libraries whose DEBUG output carries authentication material (NTLM/SPNEGO tokens, SMB session-setup
# messages): an NTLMv2 response in a log lets anyone with the log guess the password offline. They stay at
# INFO even with -vv.
QUIET_LIBRARIES = ("spnego", "smbprotocol", "smbclient", "requests_ntlm", "requests_kerberos", "requests_credssp",
                   "ntlm_auth", "winrm", "urllib3", "keyring")


class _OneLineFormatter(logging.Formatter):
    """Messages quote VM names and server text: their control characters are shown escaped, so a name
    cannot forge extra log lines or drive the terminal (tracebacks keep their lines)."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's naming
        record.message = printable(record.message)
        return super().formatMessage(record)


def configure_logging(verbose: int) -> None:
    """stderr logging: WARNING, ``-v`` INFO, ``-vv`` DEBUG for hvmigrate (libraries in
    :data:`QUIET_LIBRARIES` never below INFO)."""
    level = logging.WARNING - 10 * min(verbose, 2)
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLineFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(level, logging.INFO))


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_on_sigterm() -> object | None:
    """Treat SIGTERM (``kill``, a service manager stopping us) like Ctrl+C: cancel cleanly, remove what was
    half made. Returns the previous handler, or None when not on the main thread (no handler can be set)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _interrupt)

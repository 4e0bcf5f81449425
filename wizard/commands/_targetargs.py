"""The Hyper-V connection options every command that opens a target takes (``migrate``, ``cutover``): one
definition, so the two commands cannot drift apart."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.app.targets import Credentials


def add_connection_args(p: argparse.ArgumentParser, share_help: str) -> None:
    """``--share``, ``--password-env``, ``--thumbprint``, ``--insecure`` and ``--transport`` on ``p``."""
    p.add_argument("--share", metavar="UNC", help=share_help)
    p.add_argument("--password-env", metavar="VAR", help="environment variable holding the Hyper-V password")
    p.add_argument("--thumbprint", metavar="HEX", default="", help="pin the host's certificate (SHA-256)")
    p.add_argument("--insecure", action="store_true", help="do not verify the host certificate (labs only)")
    p.add_argument("--transport", choices=["ntlm", "kerberos", "credssp"], default="ntlm",
                   help="WinRM authentication (default ntlm)")


def target_credentials(args: argparse.Namespace) -> Credentials:
    """The Hyper-V password as the command line gives it: ``--password-env``, else the keyring, else a prompt at
    the terminal (see :class:`Credentials`)."""
    from wizard.app.targets import Credentials  # imported when a command runs: --help stays quick
    from wizard.commands._term import terminal_prompt
    from wizard.core.i18n import user_text

    return Credentials(env=args.password_env or "", prompt=terminal_prompt,
                       missing_fix=user_text("Pass --password-env VAR, or save the password in the wizard's Target "
                                             "page."))

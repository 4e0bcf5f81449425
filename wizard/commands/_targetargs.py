"""The Hyper-V connection options every command that opens a target takes (``migrate``, ``cutover``): one
definition, so the two commands cannot drift apart."""

from __future__ import annotations

import argparse


def add_connection_args(p: argparse.ArgumentParser, share_help: str) -> None:
    """``--share``, ``--password-env``, ``--thumbprint``, ``--insecure`` and ``--transport`` on ``p``."""
    p.add_argument("--share", metavar="UNC", help=share_help)
    p.add_argument("--password-env", metavar="VAR", help="environment variable holding the Hyper-V password")
    p.add_argument("--thumbprint", metavar="HEX", default="", help="pin the host's certificate (SHA-256)")
    p.add_argument("--insecure", action="store_true", help="do not verify the host certificate (labs only)")
    p.add_argument("--transport", choices=["ntlm", "kerberos", "credssp"], default="ntlm",
                   help="WinRM authentication (default ntlm)")

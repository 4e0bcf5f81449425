"""From a ``--target`` text to an open :class:`~wizard.targets.base.Target`.

Forms: ``bundle:DIR`` (an offline import bundle folder) and ``hyperv://[USER@]HOST[:PORT]`` (a Hyper-V
host over WinRM, HTTPS port 5986 by default, with disks uploaded to an SMB share).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from wizard.core.errors import InputError
from wizard.core.plan import SourceRef
from wizard.targets.base import Target


@dataclass
class HostOptions:
    share: str = ""
    password_env: str = ""
    thumbprint: str = ""
    insecure: bool = False
    transport: str = "ntlm"
    replace: bool = False


def open_target(spec: str, source: SourceRef | None = None, options: HostOptions | None = None) -> Target:
    options = options or HostOptions()
    text = spec.strip()
    if text.lower().startswith("bundle:"):
        folder = text[len("bundle:"):]
        if not folder:
            raise InputError("--target bundle: needs a folder, e.g. bundle:D:\\export", field="--target")
        from wizard.targets.bundle import BundleTarget

        return BundleTarget(folder, source, replace=options.replace)
    if text.lower().startswith("hyperv://"):
        if urlsplit(text).password is not None:  # it would be ignored, and echoed by later error messages
            raise InputError("the Hyper-V address holds a password (USER:PASSWORD@HOST); passwords never go in "
                             "addresses", field="--target",
                             fix="Write hyperv://USER@HOST; pass the password with --password-env VAR or the keyring.")
        from wizard.targets.hyperv.target import HyperVTarget

        return HyperVTarget.from_url(text, share=options.share, password_env=options.password_env,
                                     thumbprint=options.thumbprint, insecure=options.insecure,
                                     transport=options.transport)
    raise InputError(f"unknown target {spec!r}", field="--target",
                     fix="Use bundle:FOLDER or hyperv://USER@HOST.")

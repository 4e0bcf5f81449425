"""Use cases on the source side: open what the user named, discover its VMs, say how a plan finds it again.

Blocking calls for a worker thread (the wizard) or the main thread (the command line); each long one takes
progress and a cancel token.
"""

from __future__ import annotations

import os

from wizard.core import secrets
from wizard.core.errors import HvmError, InputError
from wizard.core.inventory import Inventory
from wizard.core.plan import SourceRef
from wizard.core.progress import CancelToken, ProgressSink
from wizard.sources.base import Source
from wizard.sources.registry import find_vm_files, load_inventory_or_discover, parse_source
from wizard.sources.registry import open_source as _open_source

__all__ = ["Source", "check_source", "discover", "load_inventory", "open_source", "plan_source_ref"]


def open_source(named: str | SourceRef, *, password: str | None = None, password_env: str = "",
                thumbprint: str = "", insecure: bool = False, remember: bool = False,
                prompt: secrets.Prompt | None = None, missing_fix: str = "") -> Source:
    """The source ``named`` by typed text (``demo``, a path, ``vsphere://USER@HOST``) or by a plan's
    :class:`SourceRef`. Nothing is read until :func:`discover`; ``source.ref`` is the plan's reference to it.
    ``missing_fix`` tells the user where to give a missing password (a control, or a flag)."""
    return _open_source(named, password=password, password_env=password_env or None, thumbprint=thumbprint,
                        insecure=insecure, remember=remember, prompt=prompt, missing_fix=missing_fix)


def discover(source: Source, progress: ProgressSink | None = None, cancel: CancelToken | None = None) -> Inventory:
    return source.discover(progress, cancel)


def check_source(source: Source, cancel: CancelToken | None = None) -> None:
    """Prove that ``source`` can be read the way :func:`discover` reads it, without reading the inventory: a
    server is logged in to and out of again; a VM file is opened and read; a folder must hold a VM file.

    Raises the error :func:`discover` raises for the same problem (ConnectError, AuthError, CertificateError,
    InputError naming the path), so a *Test connection* and a *Next* say the same. The source is always
    closed afterwards; a later :func:`discover` connects again.
    """
    try:
        source.check(cancel)
        if source.ref.kind == "folder" and not find_vm_files(source.ref.address):
            # the words FolderSource.discover uses for the same folder
            raise InputError("no virtual machine found in this folder (looked for .vmx, .ovf, .ova, .vbox)",
                             path=source.ref.address)
    finally:
        source.close()


def load_inventory(text: str, *, progress: ProgressSink | None = None, password_env: str = "",
                   thumbprint: str = "", insecure: bool = False, prompt: secrets.Prompt | None = None) -> Inventory:
    """An inventory from a saved inventory file, or by discovering the source ``text`` names."""
    return load_inventory_or_discover(text, progress=progress, password_env=password_env or None,
                                      thumbprint=thumbprint, insecure=insecure, prompt=prompt)


def plan_source_ref(text: str, inventory: Inventory, thumbprint: str = "", insecure: bool = False) -> SourceRef:
    """Where ``hvmigrate migrate`` finds the VMs again (no secret: the password is looked up at run time).

    For an inventory file, the source the inventory was discovered from (its ``source`` field), when that
    still names something; otherwise the inventory's own description.
    """
    spec = parse_source(text)
    if spec.kind == "inventory":
        try:
            inner = parse_source(inventory.source) if inventory.source else None
        except HvmError:  # the original folder/file is gone or the text is only a description
            inner = None
        if inner is None or inner.kind == "inventory":
            return SourceRef(kind=inventory.source_kind or "inventory",
                             address=inventory.source or os.path.abspath(spec.path))
        spec = inner
    return spec.to_plan_ref(thumbprint, insecure)

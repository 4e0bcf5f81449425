"""Where VMs go: one description of a target (:class:`TargetSpec`) and the one place that opens it.

Both front ends describe a target the same way: the command line parses ``--target`` and its options with
:meth:`TargetSpec.parse`, the wizard's Target page fills the fields. :func:`open_target` turns a spec
into a :class:`~wizard.targets.base.Target`, :func:`probe_target` checks one before anything runs. A spec
holds no secret; the password comes from :func:`wizard.core.secrets.resolve_password` at open time.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from wizard.core import secrets
from wizard.core.errors import InputError, TargetError
from wizard.core.plan import SourceRef
from wizard.core.progress import CancelToken
from wizard.targets.base import Target
from wizard.targets.bundle import IMPORT_COMMANDS, SCRIPT, BundleTarget, sanitize_name
from wizard.targets.hyperv.host import read_host_info
from wizard.targets.hyperv.session import HyperVSession, WinRMConfig
from wizard.targets.hyperv.smb_upload import SmbUploader, split_unc
from wizard.targets.hyperv.target import HyperVTarget

BUNDLE, HYPERV = "bundle", "hyperv"
#: An import bundle's one required step on the Hyper-V host: in each copied VM folder, run these (as its README.txt
#: says); ``BUNDLE_SCRIPT`` is the script they run.
BUNDLE_IMPORT_COMMANDS: tuple[str, ...] = IMPORT_COMMANDS
BUNDLE_SCRIPT = SCRIPT
TRANSPORTS = ("ntlm", "kerberos", "credssp")


@dataclass(frozen=True)
class TargetSpec:
    """An offline import bundle folder, or a Hyper-V host reached over WinRM with its disks on an SMB share.

    ``share`` empty = the host's share that holds its default virtual hard disk folder. ``thumbprint`` pins
    a self-signed host certificate (SHA-256); ``insecure`` skips verification (labs only). No password.
    """

    kind: str = BUNDLE
    folder: str = ""
    host: str = ""
    user: str = ""
    port: int = 5986
    https: bool = True
    transport: str = "ntlm"
    thumbprint: str = ""
    insecure: bool = False
    share: str = ""
    replace: bool = False
    check_space: bool = True  # False: go on although the free-space estimate says the disks may not fit

    @classmethod
    def parse(cls, text: str, *, share: str = "", thumbprint: str = "", insecure: bool = False,
              transport: str = "ntlm", replace: bool = False, check_space: bool = True) -> TargetSpec:
        """``bundle:FOLDER`` or ``hyperv://[USER@]HOST[:PORT]`` (HTTPS, 5986 by default)."""
        value = text.strip()
        if value.lower().startswith("bundle:"):
            folder = value[len("bundle:"):]
            if not folder:
                raise InputError("--target bundle: needs a folder, e.g. bundle:D:\\export", field="--target")
            return cls(kind=BUNDLE, folder=folder, replace=replace, check_space=check_space)
        if value.lower().startswith("hyperv://"):
            parts = urlsplit(value)
            if parts.password is not None:  # it would be ignored, and echoed by later error messages
                raise InputError("the Hyper-V address holds a password (USER:PASSWORD@HOST); passwords never go "
                                 "in addresses", field="--target",
                                 fix="Write hyperv://USER@HOST; pass the password with --password-env VAR or the "
                                     "keyring.")
            try:
                port = parts.port or 5986
            except ValueError:
                raise InputError(f"{value!r} has a bad port", field="--target") from None
            if not parts.hostname:
                raise InputError(f"{value!r} is not hyperv://[USER@]HOST[:PORT]", field="--target")
            user = unquote(parts.username or "") or os.environ.get("USERNAME", "") or "Administrator"
            return cls(kind=HYPERV, host=parts.hostname, user=user, port=port, transport=transport,
                       thumbprint=thumbprint, insecure=insecure, share=share, check_space=check_space)
        raise InputError(f"unknown target {text!r}", field="--target", fix="Use bundle:FOLDER or hyperv://USER@HOST.")

    def describe(self) -> str:
        return self.folder if self.kind == BUNDLE else f"{self.user}@{self.host}"

    def winrm(self) -> WinRMConfig:
        return WinRMConfig(host=self.host, user=self.user, port=self.port, https=self.https,
                           transport=self.transport, thumbprint=self.thumbprint, insecure=self.insecure)


@dataclass(frozen=True)
class Credentials:
    """How the password of a Hyper-V target is found (see :func:`wizard.core.secrets.resolve_password`):
    typed now (``password``, kept in the keyring when ``remember``), from ``env``, the keyring, ``prompt``."""

    password: str | None = field(default=None, repr=False)
    env: str = ""
    remember: bool = False
    prompt: secrets.Prompt | None = None
    missing_fix: str = "Save the password in the keyring, or pass --password-env VAR."

    def resolve(self, spec: TargetSpec) -> str:
        return secrets.resolve_password("hyperv", spec.user, spec.host, given=self.password, env=self.env,
                                        remember=self.remember, prompt=self.prompt, missing_fix=self.missing_fix)


@dataclass
class TargetInfo:
    """What a probed target offers, and where the VMs will go.

    A bundle: ``default_path`` is the folder; ``folder_exists`` False means it is created when the migration
    starts; ``folder_items`` counts what it holds already (each VM's bundle is a subfolder beside it; a
    subfolder of the same name is never overwritten). A Hyper-V host: ``default_path`` is its default virtual
    hard disk folder, ``vm_path`` its default VM folder (where a VM goes unless the plan's ``path`` says
    otherwise), ``disk_share``/``disk_path`` the share the disks are written to and that share's folder on the
    host (disks go to ``<disk_path>\\hvmigrate\\<VM>``; empty when the host shares no folder for them).
    """

    version: str = "unknown"  # 2016 | 2019 | 2022 | 2025 | unknown
    version_text: str = ""
    switches: list[str] = field(default_factory=list)
    free_bytes: int | None = None
    default_path: str = ""
    vm_path: str = ""
    disk_share: str = ""
    disk_path: str = ""
    folder_exists: bool = True
    folder_items: int = 0


def _session(spec: TargetSpec, password: str) -> HyperVSession:
    return HyperVSession(spec.winrm(), password)


def open_target(spec: TargetSpec, source: SourceRef | None = None,
                credentials: Credentials | None = None) -> Target:
    """The open target ``spec`` names; the SMB share's own server (not always the host) takes the disks."""
    if spec.kind == BUNDLE:
        if not spec.folder:
            raise TargetError("No output folder was chosen.", fix="Choose a folder for the import bundle.")
        bundle = BundleTarget(spec.folder, source, replace=spec.replace)
        bundle.check_space = spec.check_space
        return bundle
    if spec.kind != HYPERV:
        raise InputError(f"unknown target kind {spec.kind!r}", field="target")
    password = (credentials or Credentials()).resolve(spec)
    server = split_unc(spec.share)[0] if spec.share else spec.host
    uploader = SmbUploader(server, username=spec.user, password=password)
    host = HyperVTarget(_session(spec, password), uploader, spec.share)
    host.check_space = spec.check_space
    return host


def probe_target(spec: TargetSpec, cancel: CancelToken | None = None,
                 credentials: Credentials | None = None) -> TargetInfo:
    """Check that the target is usable before anything runs, and say what it offers: a bundle folder must be
    writable (tried, not guessed); a host must answer over WinRM with its inventory."""
    if spec.kind == BUNDLE:
        return _probe_folder(spec)
    session = _session(spec, (credentials or Credentials()).resolve(spec))
    info = read_host_info(session, cancel)
    free = info.vhd_path.free_bytes if info.vhd_path.free_bytes >= 0 else None
    # the disks' share as HyperVTarget.share_unc finds it: the one given, else the one holding the VHD folder
    if spec.share:
        _, name, sub = split_unc(spec.share)
        share = next((s for s in info.shares if s.name.lower() == name.lower()), None)
        disk_share = spec.share.rstrip("\\")
        disk_path = "\\".join([share.path.rstrip("\\")] + ([sub] if sub else [])) if share is not None else ""
    else:
        share = info.share_for_path(info.vhd_path.path)
        disk_share = f"\\\\{spec.host}\\{share.name}" if share is not None else ""
        disk_path = share.path.rstrip("\\") if share is not None else ""
    return TargetInfo(version=info.server_release or "unknown",
                      version_text=" ".join(x for x in (info.os_caption, info.os_build) if x),
                      switches=[sw.name for sw in info.switches], free_bytes=free, default_path=info.vhd_path.path,
                      vm_path=info.vm_path.path, disk_share=disk_share, disk_path=disk_path)


def _probe_folder(spec: TargetSpec) -> TargetInfo:
    if not spec.folder:
        raise TargetError("No output folder was chosen.", fix="Choose a folder for the import bundle.")
    folder = Path(spec.folder)
    probe = folder if folder.exists() else next((p for p in folder.parents if p.exists()), folder)
    if probe.exists() and not probe.is_dir():
        raise TargetError(f"{folder}: this is a file, not a folder.", fix="Choose a folder.")
    if probe.exists():
        _check_writable(folder, probe)
    free = shutil.disk_usage(probe).free if probe.exists() else None
    exists = folder.is_dir()
    items = sum(1 for _ in os.scandir(folder)) if exists else 0
    return TargetInfo(version="unknown", switches=[], free_bytes=free, default_path=str(folder),
                      folder_exists=exists, folder_items=items)


def bundle_folders_in_use(spec: TargetSpec, names: list[str]) -> list[str]:
    """Of the VMs named ``names``, those whose bundle subfolder already exists in the bundle folder ``spec``
    names: :class:`BundleTarget` refuses to overwrite it (the VM's migration stops with that message)."""
    if spec.kind != BUNDLE or not spec.folder:
        return []
    root = Path(spec.folder)
    return [name for name in names if (root / sanitize_name(name)).exists()]


def _check_writable(folder: Path, probe: Path) -> None:
    """Create and remove a file in ``probe`` (the folder or the nearest existing parent that will hold it):
    permissions, read-only mounts and ACLs are only known by trying, and a user should learn it here, not
    after the first disk has been read."""
    try:
        handle, name = tempfile.mkstemp(prefix=".hvmigrate-probe-", dir=probe)
        os.close(handle)
        os.unlink(name)
    except OSError as exc:
        raise TargetError(f"{folder}: hvmigrate cannot write in {probe} ({exc.strerror or exc}).",
                          details=f"creating a test file in {probe}: {exc!r}",
                          fix="Choose a folder you can write to, or ask the administrator for write access.") from None

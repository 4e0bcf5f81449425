"""From what a user typed to an open :class:`Source`.

Accepted forms (``parse_source``):

- ``demo`` — the built-in demo;
- ``vsphere://[USER@]HOST[:PORT]`` (also ``vcenter://``, ``esxi://``) — a vCenter or ESXi host; a user
  with ``@`` in it (``administrator@vsphere.local@vc01``) splits at the last ``@``;
- a path: a ``.vmx`` (or an ESXi template's ``.vmtx``), ``.ovf``, ``.ova`` or ``.vbox`` file, a VM folder,
  or a folder holding several VMs (searched a few levels deep; every VM found is listed); ``.json`` is an
  inventory file, accepted only by :func:`load_inventory_or_discover`.

Passwords for vSphere come from :func:`wizard.core.secrets.resolve_password`: the ``password`` argument,
the environment variable named by ``password_env``, the OS keyring, then the front end's ``prompt``. A
password never appears in a :class:`SourceSpec`, ``describe()`` or an error.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from wizard.core import secrets
from wizard.core.errors import HvmError, InputError
from wizard.core.inventory import Inventory, SourceVM
from wizard.core.plan import SourceRef
from wizard.core.progress import CancelToken, ProgressEvent, ProgressSink
from wizard.disks.image import DiskImage
from wizard.sources.base import Source

LOCAL_SUFFIXES = {".vmx": "vmx", ".vmtx": "vmx", ".ovf": "ovf", ".ova": "ova", ".vbox": "vbox"}  # .vmtx: ESXi template
FOLDER_DEPTH = 3
MAX_FOLDER_VMS = 5000


@dataclass(frozen=True)
class SourceSpec:
    """A parsed source spec. ``kind``: demo | vsphere | vmx | ovf | ova | vbox | folder | inventory."""

    kind: str
    path: str = ""
    host: str = ""
    port: int = 443
    user: str = ""

    def describe(self) -> str:
        if self.kind == "vsphere":
            who = f"{self.user}@" if self.user else ""
            port = f":{self.port}" if self.port != 443 else ""
            return f"vsphere://{who}{self.host}{port}"
        return "demo" if self.kind == "demo" else self.path

    def to_plan_ref(self, thumbprint: str = "", insecure: bool = False) -> SourceRef:
        """The plan's secret-free reference (absolute paths, so a plan runs from any folder)."""
        if self.kind == "vsphere":
            address = f"[{self.host}]" if ":" in self.host else self.host
            address += f":{self.port}" if self.port != 443 else ""
            return SourceRef(kind="vsphere", address=address, user=self.user, thumbprint=thumbprint,
                             insecure=insecure)
        if self.kind == "demo":
            return SourceRef(kind="demo", address="demo")
        return SourceRef(kind=self.kind, address=os.path.abspath(self.path))


def spec_from_plan_ref(ref: SourceRef) -> SourceSpec:
    """Reopen what a plan's :class:`~wizard.core.plan.SourceRef` names."""
    if ref.kind == "vsphere":
        who = f"{ref.user}@" if ref.user else ""
        return parse_source(f"vsphere://{who}{ref.address}")
    return parse_source("demo" if ref.kind == "demo" else ref.address)


def parse_source(text: str) -> SourceSpec:
    """Classify ``text``; raises :class:`InputError` for a spec that names nothing usable."""
    spec = text.strip()
    if not spec:
        raise InputError("no source given", fix="Give a vsphere://USER@HOST address, a VM file or folder, or demo.")
    if spec.lower() == "demo":
        return SourceSpec("demo")
    scheme, sep, rest = spec.partition("://")
    if sep and scheme.lower() in ("vsphere", "vcenter", "esxi", "https"):
        return _parse_vsphere(spec, rest)
    if sep:
        raise InputError(f"unknown source type {scheme!r}", field="source",
                         fix="Use vsphere://USER@HOST, a local path, or demo.")
    path = Path(os.path.expanduser(spec))
    if path.is_dir():
        return SourceSpec("folder", path=str(path))
    suffix = path.suffix.lower()
    if suffix == ".json":
        if not path.is_file():
            raise InputError("inventory file not found", path=path)
        return SourceSpec("inventory", path=str(path))
    if suffix in LOCAL_SUFFIXES:
        if not path.is_file():
            raise InputError("file not found", path=path, fix="Check the path (and that the drive is mounted).")
        return SourceSpec(LOCAL_SUFFIXES[suffix], path=str(path))
    if not path.exists():
        raise InputError("no such file or folder", path=path,
                         fix="Give a .vmx/.ovf/.ova/.vbox file, a folder of VMs, vsphere://USER@HOST, or demo.")
    raise InputError("not a VM file this tool reads (expected .vmx, .ovf, .ova or .vbox)", path=path)


def _parse_vsphere(spec: str, rest: str) -> SourceSpec:
    rest = rest.split("/", 1)[0].split("?", 1)[0]
    user, _, hostport = rest.rpartition("@")
    if ":" in user:  # USER:PASSWORD@HOST would put the password into plans, logs and messages
        raise InputError("the vSphere address holds a password (USER:PASSWORD@HOST); passwords never go in "
                         "addresses", field="source",
                         fix="Write vsphere://USER@HOST and pass the password with --password-env VAR or the keyring.")
    host, port = hostport, 443
    if hostport.startswith("["):  # [IPv6]:port
        end = hostport.find("]")
        host, tail = hostport[1:end], hostport[end + 1:]
        if tail.startswith(":"):
            port = _port(tail[1:], spec)
    elif hostport.count(":") == 1:
        host, _, p = hostport.partition(":")
        port = _port(p, spec)
    if not host:
        raise InputError("no host name in the vSphere address", field="source",
                         fix="Write it as vsphere://USER@HOST[:PORT].")
    return SourceSpec("vsphere", host=host, port=port, user=unquote(user))


def _port(text: str, spec: str) -> int:
    if not re.fullmatch(r"[0-9]{1,5}", text) or not 0 < int(text) < 65536:
        raise InputError(f"bad port {text!r} in {spec.split('@')[-1]!r}", field="source")
    return int(text)


def find_vm_files(folder: str | os.PathLike[str], depth: int = FOLDER_DEPTH,
                  skipped: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """``(kind, path)`` of every VM file under ``folder`` (sorted, at most ``depth`` levels down). A subfolder
    that cannot be listed is added to ``skipped`` as ``(path, reason)`` (when given) instead of failing the
    whole search; ``folder`` itself unreadable is an :class:`InputError`."""
    found: list[tuple[str, str]] = []
    root = Path(folder)

    def walk(d: Path, level: int) -> None:
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as exc:
            if level == 0 or skipped is None:
                raise InputError(f"cannot list folder: {exc.strerror}", path=d) from None
            skipped.append((str(d), f"cannot list folder: {exc.strerror}"))
            return
        for entry in entries:
            if len(found) >= MAX_FOLDER_VMS:
                return
            if entry.is_file():
                kind = LOCAL_SUFFIXES.get(os.path.splitext(entry.name)[1].lower())
                if kind:
                    found.append((kind, entry.path))
            elif entry.is_dir(follow_symlinks=False) and level < depth and not entry.name.endswith(".lck"):
                walk(Path(entry.path), level + 1)

    walk(root, 0)
    # an OVF beside an OVA/VMX of the same VM is usually an export copy; keep every file, users pick
    return found


def _open_local(kind: str, path: str) -> Source:
    if kind == "vmx":
        from wizard.sources.vmx import VmxSource

        return VmxSource(path)
    if kind == "ovf":
        from wizard.sources.ovf import OvfSource

        return OvfSource(path)
    if kind == "ova":
        from wizard.sources.ova import OvaSource

        return OvaSource(path)
    if kind == "vbox":
        from wizard.sources.vbox import VBoxSource

        return VBoxSource(path)
    raise InputError(f"unknown local source kind {kind!r}", path=path)  # pragma: no cover - internal


class FolderSource(Source):
    """Every VM file found under a folder, as one source. VM ids are the files' paths."""

    kind = "folder"

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._children: list[Source] = []
        self._owner: dict[str, Source] = {}
        self.skipped: list[tuple[str, str]] = []  # (file, one-line reason) of VM files that could not be read
        self._discover_lock = threading.Lock()

    def describe(self) -> str:
        return self.folder

    def discover(self, progress: ProgressSink | None = None, cancel: CancelToken | None = None) -> Inventory:
        unlisted: list[tuple[str, str]] = []
        files = find_vm_files(self.folder, skipped=unlisted)
        if not files:
            raise InputError("no virtual machine found in this folder (looked for .vmx, .ovf, .ova, .vbox)",
                             path=self.folder)
        self.close()
        self.skipped = unlisted
        inv = Inventory(source=self.folder, source_kind="folder")
        for kind, path in files:
            if cancel is not None:
                cancel.check()
            child = _open_local(kind, path)
            try:
                sub = child.discover(progress, cancel)
            except HvmError as exc:
                # one damaged VM must not hide the other forty-nine; callers show ``skipped``
                self.skipped.append((path, exc.one_line()))
                if progress is not None:
                    progress(ProgressEvent("discover", message=f"skipped {path}: {exc.one_line()}", level="warning"))
                child.close()
                continue
            self._children.append(child)
            inv.collected_at = inv.collected_at or sub.collected_at
            for vm in sub.vms:
                self._owner[vm.id] = child
                inv.vms.append(vm)
        if not inv.vms and self.skipped:
            path, reason = self.skipped[0]
            raise InputError(f"no VM in this folder could be read ({len(self.skipped)} tried); first: {reason}",
                             path=self.folder)
        return inv

    def open_disk(self, vm: SourceVM, index: int, cancel: CancelToken | None = None) -> DiskImage:
        with self._discover_lock:
            if not self._children:
                # A saved plan is migrated by a fresh process: find the VM files again (ids are stable).
                self.discover(cancel=cancel)
        child = self._owner.get(vm.id)
        if child is None:
            from wizard.core.errors import SourceError

            raise SourceError(f"VM {vm.name!r} is no longer in {self.folder}",
                              fix="Check that its files were not moved or renamed, then plan it again.")
        return child.open_disk(vm, index, cancel)

    def close(self) -> None:
        for child in self._children:
            child.close()
        self._children.clear()
        self._owner.clear()


def open_source(
    text_or_ref: str | SourceSpec | SourceRef,
    *,
    password: str | None = None,
    password_env: str | None = None,
    thumbprint: str = "",
    insecure: bool = False,
    remember: bool = False,
    prompt: secrets.Prompt | None = None,
    missing_fix: str = "",
) -> Source:
    """Open the source named by ``text_or_ref`` — typed text, a parsed spec, or a plan's ``SourceRef`` (whose
    pinned thumbprint / insecure choice apply unless given here). Nothing is read until ``discover``. The
    returned source carries ``ref``: the plan's secret-free :class:`~wizard.core.plan.SourceRef` for it."""
    if isinstance(text_or_ref, SourceRef):
        thumbprint = thumbprint or text_or_ref.thumbprint
        insecure = insecure or text_or_ref.insecure
        ref = spec_from_plan_ref(text_or_ref)
    else:
        ref = parse_source(text_or_ref) if isinstance(text_or_ref, str) else text_or_ref
    source = _open(ref, password, password_env, thumbprint, insecure, remember, prompt, missing_fix)
    source.ref = ref.to_plan_ref(thumbprint, insecure)
    return source


def _open(ref: SourceSpec, password: str | None, password_env: str | None, thumbprint: str, insecure: bool,
          remember: bool, prompt: secrets.Prompt | None, missing_fix: str) -> Source:
    if ref.kind == "demo":
        from wizard.sources.demo import DemoSource

        return DemoSource()
    if ref.kind == "vsphere":
        # stored by VSphereSource once the login worked (``remember``), not before
        secret = secrets.resolve_password(
            "vsphere", ref.user, ref.host, given=password, env=password_env or "", prompt=prompt,
            missing_fix=missing_fix or "Pass --password-env VAR naming an environment variable that holds it, "
                                       "save it in the keyring with --remember, or run interactively.")
        from wizard.sources.vsphere import VSphereSource

        return VSphereSource(ref.host, port=ref.port, user=ref.user, password=secret, thumbprint=thumbprint,
                             insecure=insecure, remember=remember)
    if ref.kind == "folder":
        return FolderSource(ref.path)
    if ref.kind == "inventory":
        raise InputError("an inventory file is not a source to discover from", path=ref.path,
                         fix="Pass the original source (vsphere://…, a VM folder, demo) to discover.")
    return _open_local(ref.kind, ref.path)


def load_inventory_or_discover(
    text: str,
    *,
    progress: ProgressSink | None = None,
    cancel: CancelToken | None = None,
    **open_kwargs: object,
) -> Inventory:
    """An :class:`Inventory` from a saved inventory JSON file, or by discovering the source ``text`` names.

    ``open_kwargs`` are those of :func:`open_source` (password_env, thumbprint, insecure, remember,
    prompt, password).
    """
    ref = parse_source(text)
    if ref.kind == "inventory":
        return Inventory.load(ref.path)
    with open_source(ref, **open_kwargs) as source:  # type: ignore[arg-type]
        return source.discover(progress, cancel)

"""The one place where the wizard meets the rest of hvmigrate (sources, compat, targets, reports).

Every page calls these functions instead of importing other areas directly, so that a renamed or late
API is adjusted here only. Each function is blocking and meant for a worker thread (see ``jobs``); none
touches Qt. A part of the product that is not built into this copy raises :class:`NotAvailable`, which
the pages show like any other error (message + fix), instead of failing with an ImportError.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from wizard.core.errors import Cancelled, HvmError, TargetError
from wizard.core.findings import Assessment
from wizard.core.inventory import Inventory
from wizard.core.plan import NetworkMapping, Plan, PlanItem, SourceRef
from wizard.core.progress import CancelToken, ProgressEvent, ProgressSink


class NotAvailable(HvmError):
    """A part of hvmigrate this page needs is missing from this build."""

    code = "HVM-NOT-AVAILABLE"
    default_fix = "Install the complete hvmigrate package, or use the command line for this step."


def _module(name: str, what: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            raise NotAvailable(f"{what} is not available in this build of hvmigrate.",
                               details=f"module {name} is missing") from None
        raise


def _attr(module: str, attr: str, what: str) -> Callable[..., Any]:
    mod = _module(module, what)
    try:
        return getattr(mod, attr)
    except AttributeError:
        raise NotAvailable(f"{what} is not available in this build of hvmigrate.",
                           details=f"{module}.{attr} is missing") from None


# ---- sources -------------------------------------------------------------------------------------------

def open_source(text: str, *, password: str | None = None, thumbprint: str = "", insecure: bool = False,
                remember: bool = False) -> Any:
    """Open a source: ``"demo"``, a local path, or ``vsphere://user@host:port``. Returns a ``Source``."""
    fn = _attr("wizard.sources.registry", "open_source", "Opening sources")
    return fn(text, password=password, thumbprint=thumbprint, insecure=insecure, remember=remember)


def discover(source: Any, progress: ProgressSink, cancel: CancelToken) -> Inventory:
    return source.discover(progress, cancel)


def source_ref(source: Any, text: str, thumbprint: str = "", insecure: bool = False) -> SourceRef:
    """The plan's secret-free description of ``source``."""
    ref = getattr(source, "ref", None)
    if isinstance(ref, SourceRef):
        return ref
    kind = getattr(source, "kind", "") or ""
    address, user = text, ""
    if text.startswith("vsphere://"):
        rest = text[len("vsphere://"):]
        user, _, address = rest.rpartition("@")
    pinned = thumbprint or str(getattr(getattr(source, "policy", None), "pin", "") or "")  # e.g. from known_hosts
    return SourceRef(kind=kind, address=address, user=user, thumbprint=pinned, insecure=insecure)


# ---- compatibility, templates, plans, reports ---------------------------------------------------------

def assess(vms: list, target_version: str = "unknown", template: str | None = None,
           overrides: dict | None = None) -> list[Assessment]:
    fn = _attr("wizard.compat.engine", "assess", "The compatibility check")
    return fn(vms, target_version=target_version, template=template, overrides=overrides)


def template_names() -> list[tuple[str, str]]:
    """(id, display name) of the built-in and saved templates."""
    templates = _attr("wizard.compat.templates", "list_templates", "Templates")()
    return [(t.id, t.name) for t in templates]


def save_template(name: str, base_template: str, sets: dict[str, str]) -> str:
    """Save ``base_template``'s settings with ``sets`` on top as a user template; returns its id."""
    mod = _module("wizard.compat.templates", "Saving templates")
    base = mod.get_template(base_template or None)
    mod.save_template(name, {**base.settings, **sets}, description=f"{base.name} + {len(sets)} change(s)")
    return mod.get_template(name).id


def build_plan(inventory: Inventory, vm_names: list[str], template: str | None, sets: dict[str, str],
               target_version: str, network_map: list[NetworkMapping], ref: SourceRef,
               per_vm_sets: dict[str, dict[str, str]] | None = None, source_policy: str = "auto") -> Plan:
    """The plan for ``vm_names``; ``sets`` apply to all, ``per_vm_sets[name]`` to one VM on top;
    ``source_policy`` says how running vSphere VMs are copied (see ``wizard.compat.engine``)."""
    fn = _attr("wizard.compat.engine", "build_plan", "Building a plan")
    return fn(inventory, vm_names=vm_names, template=template, sets=dict(sets), target_version=target_version,
              network_map=network_map, source_ref=ref, per_vm={k: v for k, v in (per_vm_sets or {}).items() if v},
              source_policy=source_policy)


def write_report(kind: str, path: str, assessments: list[Assessment], plan: Plan | None = None) -> None:
    """Write the compatibility report as ``kind`` html|csv to ``path``."""
    module = "wizard.report.html" if kind == "html" else "wizard.report.csv_report"
    _attr(module, "write_report", "Report export")(path, assessments, plan=plan)


def write_migration_report(path: str, plan: Plan, outcomes: list, blocked: list[Assessment], source: str,
                           target: str, seconds: float | None) -> None:
    """The HTML report of one run: what was migrated, what failed and why, what was left out."""
    fn = _attr("wizard.report.migration", "write_migration_report", "The migration report")
    fn(path, plan, outcomes, blocked=blocked, source=source, target=target, seconds=seconds)


# ---- targets ------------------------------------------------------------------------------------------

@dataclass
class TargetSpec:
    """Where VMs go: an offline bundle folder, or a Hyper-V host reached over WinRM."""

    kind: str = "bundle"  # bundle | hyperv
    folder: str = ""
    host: str = ""
    user: str = ""
    port: int = 5986
    https: bool = True
    share: str = ""
    remember: bool = False
    password: str | None = field(default=None, repr=False, compare=False)

    def describe(self) -> str:
        return self.folder if self.kind == "bundle" else f"{self.user}@{self.host}"


@dataclass
class TargetInfo:
    version: str = "unknown"  # 2016 | 2019 | 2022 | 2025 | unknown
    version_text: str = ""
    switches: list[str] = field(default_factory=list)
    free_bytes: int | None = None
    default_path: str = ""


def probe_target(spec: TargetSpec, cancel: CancelToken) -> TargetInfo:
    """Check that the target is usable and say what it offers."""
    if spec.kind == "bundle":
        if not spec.folder:
            raise TargetError("No output folder was chosen.", fix="Choose a folder for the import bundle.")
        folder = Path(spec.folder)
        probe = folder if folder.exists() else next((p for p in folder.parents if p.exists()), folder)
        if probe.exists() and not probe.is_dir():
            raise TargetError(f"{folder}: this is a file, not a folder.", fix="Choose a folder.")
        if probe.exists():
            _check_writable(folder, probe)
        free = shutil.disk_usage(probe).free if probe.exists() else None
        return TargetInfo(version="unknown", switches=[], free_bytes=free, default_path=str(folder))
    session = _hyperv_session(spec)
    read_host_info = _attr("wizard.targets.hyperv.host", "read_host_info", "Connecting to Hyper-V hosts")
    info = read_host_info(session, cancel)
    free = info.vhd_path.free_bytes if info.vhd_path.free_bytes >= 0 else None
    return TargetInfo(version=info.server_release or "unknown",
                      version_text=" ".join(x for x in (info.os_caption, info.os_build) if x),
                      switches=[sw.name for sw in info.switches], free_bytes=free, default_path=info.vhd_path.path)


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


def _hyperv_password(spec: TargetSpec) -> str:
    from wizard.core import secrets

    if spec.password:
        if spec.remember:
            secrets.store("hyperv", spec.user, spec.host, spec.password)
        return spec.password
    stored = secrets.lookup("hyperv", spec.user, spec.host)
    if stored is None:
        from wizard.core.errors import AuthError

        raise AuthError(f"No password for {spec.user}@{spec.host}.", fix="Type the password on the Target page.")
    return stored


def _hyperv_session(spec: TargetSpec, password: str | None = None) -> Any:
    """A session to the host; ``password`` when the caller already looked it up (one keyring access)."""
    mod = _module("wizard.targets.hyperv.session", "Connecting to Hyper-V hosts")
    config = mod.WinRMConfig(host=spec.host, user=spec.user, port=spec.port, https=spec.https)
    return mod.HyperVSession(config, password if password is not None else _hyperv_password(spec))


class Migrator:
    """Migrates plan items into one target (several at once from worker threads); the target is opened on
    first use.

    ``run`` raises the item's typed error on failure and :class:`Cancelled` when cancelled, and returns a
    dict of what was produced (``folder``, ``disks``) on success. Called on a worker thread.
    """

    def __init__(self, plan: Plan, source: Any, spec: TargetSpec) -> None:
        self.plan, self.source, self.spec = plan, source, spec
        self._target: Any = None
        self.outcomes: dict[str, Any] = {}  # VM name -> the runner's ItemOutcome, for the migration report
        self._lock = threading.Lock()

    def _open(self) -> Any:
        with self._lock:  # several worker threads migrate at once; they share one target
            return self._open_locked()

    def _open_locked(self) -> Any:
        if self._target is None:
            if self.spec.kind == "bundle":
                cls = _attr("wizard.targets.bundle", "BundleTarget", "Writing import bundles")
                self._target = cls(self.spec.folder, self.plan.source)
            else:
                cls = _attr("wizard.targets.hyperv.target", "HyperVTarget", "Migrating to a Hyper-V host")
                uploader_cls = _attr("wizard.targets.hyperv.smb_upload", "SmbUploader", "Uploading over SMB")
                password = _hyperv_password(self.spec)
                uploader = uploader_cls(self.spec.host, username=self.spec.user, password=password)
                self._target = cls(_hyperv_session(self.spec, password), uploader, self.spec.share)
        return self._target

    def run(self, item: PlanItem, progress: ProgressSink, cancel: CancelToken) -> dict[str, Any]:
        migrate = _attr("wizard.targets.runner", "migrate_item", "Migration")
        prep = _module("wizard.migrate.prepare", "Migration")
        target = self._open()

        def log(message: str, level: str) -> None:
            progress(ProgressEvent("log", message=message, vm=item.target.name, level=level))

        # the plan's source policy (snapshot or shut down a running vSphere VM), exactly as the CLI does
        prepared, changes = prep.prepare_item(self.source, target, item, cancel, log=log)
        outcome = None
        try:
            outcome = migrate(self.source, target, prepared, progress, cancel)
        finally:
            prep.release_changes(self.source, changes, migrated=getattr(outcome, "status", "") == "done", log=log)
        self.outcomes[item.target.name] = outcome
        status = getattr(outcome, "status", "done")
        if status == "cancelled":
            raise Cancelled(cancel.reason or "cancelled")
        if status != "done":
            error = getattr(outcome, "error", None)
            raise error if isinstance(error, BaseException) else TargetError(f"{item.target.name}: failed")
        created = getattr(outcome, "created", None)
        return {"folder": str(getattr(created, "location", "") or getattr(created, "folder", "") or ""),
                "disks": [str(getattr(d, "path", "")) for d in getattr(outcome, "disks", [])]}

    def close(self) -> None:
        with self._lock:  # a retry's worker may open the target again right now; it gets a fresh one
            target, self._target = self._target, None
        if target is not None and hasattr(target, "close"):
            target.close()

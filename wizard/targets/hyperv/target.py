"""The direct-to-host target: disks go to the host's SMB share, the VM is made over WinRM by Create-VM.ps1.

Per item: ``preflight`` reads the host inventory (once per target) and checks plan, switches, name,
configuration version, space and share; ``disk_destination`` offers a stream that writes a VHDX in place on
the share (:mod:`wizard.targets.hyperv.smb_stream`: download, conversion and SMB writes overlap) and a local
staging file as fallback (another format, a share that cannot be opened, ``streaming=False``); ``finish_disk``
takes the committed stream's result, or uploads the staging file (resumable, verified) into
``<share>\\hvmigrate\\<vm folder>\\`` and deletes the staging copy;
``create_vm`` runs Create-VM.ps1 with the settings as base64 JSON data. When Create-VM fails, the target
also runs Remove-VM.ps1 (which removes only a VM carrying this item's tag) so no half-made VM remains even
when the script could not clean up itself, and raises a :class:`TargetError` naming the failed step.
See :mod:`wizard.targets.base` for the shared contracts.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

from wizard.core import secrets
from wizard.core.errors import AuthError, HvmError, TargetError
from wizard.core.i18n import user_text
from wizard.core.plan import DiskSpec, PlanItem
from wizard.core.progress import CancelToken, ProgressSink
from wizard.targets import guest_fixups as fixups
from wizard.targets.base import CreateResult, DiskDestination, DiskResult, FixupReport, Target, item_key
from wizard.targets.bundle import sanitize_name
from wizard.targets.hyperv.host import HostInfo, read_host_info
from wizard.targets.hyperv.session import HyperVSession, ScriptError
from wizard.targets.hyperv.smb_stream import SmbDiskStream
from wizard.targets.hyperv.smb_upload import SmbUploader, split_unc
from wizard.targets.vmdata import build_create_data, plan_problems, vm_tag

log = logging.getLogger(__name__)
UPLOAD_FOLDER = "hvmigrate"


class HyperVTarget(Target):
    kind = "hyperv"
    can_start = True

    def __init__(self, session: HyperVSession, uploader: SmbUploader | None, share_unc: str, *,
                 staging_dir: str | os.PathLike[str] | None = None, guest_user: str = "Administrator",
                 streaming: bool = True) -> None:
        self.session = session
        self.streaming = streaming
        self.uploader = uploader
        self._share_unc = share_unc.rstrip("\\")  # "" = the host's share that holds its default VHD folder
        self.staging = (Path(staging_dir) / "hvmigrate-staging" if staging_dir  # private (0700), unguessable in /tmp
                        else Path(tempfile.mkdtemp(prefix="hvmigrate-staging-")))
        self._own_staging = staging_dir is None
        self.guest_user = guest_user
        self._host: HostInfo | None = None
        self._lock = threading.Lock()
        self._uploaded: dict[str, list[str]] = {}  # item key -> host paths of uploaded disks
        self._vm_ids: dict[str, str] = {}

    def describe(self) -> str:
        return f"{self.session.describe()} (disks to {self._share_unc or 'the share of its VHD folder'})"

    @property
    def share_unc(self) -> str:
        """The share for the disks: as given, else the host's share containing its default VHD folder."""
        if self._share_unc:
            return self._share_unc
        host = self.host()
        share = host.share_for_path(host.vhd_path.path)
        if share is None:
            raise TargetError(f"{host.computer_name} shares no folder that holds its virtual hard disk folder "
                              f"{host.vhd_path.path}; share one, or name the disk share (\\\\HOST\\SHARE).")
        server = self.uploader.server if self.uploader is not None else self.session.config.host
        return f"\\\\{server}\\{share.name}"

    def host(self, cancel: CancelToken | None = None, refresh: bool = False) -> HostInfo:
        with self._lock:
            if self._host is None or refresh:
                self._host = read_host_info(self.session, cancel)
            return self._host

    # -- paths ----------------------------------------------------------------------------------------
    def _folder(self, item: PlanItem) -> str:
        return sanitize_name(item.target.name)

    def _share_info(self, host: HostInfo):
        _, share_name, sub = split_unc(self.share_unc)
        share = next((s for s in host.shares if s.name.lower() == share_name.lower()), None)
        return share, sub

    def _remote_unc(self, item: PlanItem, file_name: str) -> str:
        return "\\".join((self.share_unc, UPLOAD_FOLDER, self._folder(item), file_name))

    def _host_path(self, item: PlanItem, file_name: str) -> str:
        share, sub = self._share_info(self.host())
        if share is None:
            raise TargetError(f"The host has no share named in {self.share_unc}.")
        parts = [share.path.rstrip("\\")] + ([sub] if sub else []) + [UPLOAD_FOLDER, self._folder(item), file_name]
        return "\\".join(parts)

    # -- Target API -----------------------------------------------------------------------------------
    def preflight(self, item: PlanItem) -> list[str]:
        problems = plan_problems(item)
        host = self.host()
        spec = item.target
        for nic in spec.nics:
            if nic.switch and host.switch(nic.switch) is None:
                problems.append(f"Virtual switch {nic.switch!r} does not exist on {host.computer_name}.")
        tag = host.tag_of(spec.name)
        if tag is not None and tag != vm_tag(item):
            problems.append(f"A VM named {spec.name!r} already exists on {host.computer_name} and was not created "
                            "by this migration.")
        versions = [v.version for v in host.supported_versions]
        if spec.version and versions and spec.version not in versions:
            problems.append(f"Configuration version {spec.version} is not supported by {host.computer_name} "
                            f"(supported: {', '.join(versions)}).")
        try:
            share, _ = self._share_info(host)
            if share is None:
                problems.append(f"{host.computer_name} has no share for {self.share_unc}; create it, or name a share "
                                "that exists.")
        except TargetError as exc:
            share = None
            problems.append(exc.message)
        needed = item.space_needed()  # dynamic disks by the data their source holds, fixed ones by capacity
        free = host.vhd_path.free_bytes
        if (self.check_space and share is not None and free >= 0 and needed > free
                and host.share_for_path(host.vhd_path.path) == share):
            problems.append(f"The host has {free} bytes free for disks; this VM may need up to {needed}.")
        return problems

    def existing(self, item: PlanItem) -> CreateResult | None:
        state = self.host(refresh=True).vm_state(item.target.name)
        if state is None or state.tag != vm_tag(item) or state.incomplete:
            return None
        return CreateResult(name=item.target.name, status="already_exists", where=self.session.config.host,
                            steps=["The VM was created by an earlier run of this plan; nothing was changed."])

    def disk_destination(self, item: PlanItem, disk: DiskSpec) -> DiskDestination:
        folder = self.staging / item_key(item)
        folder.mkdir(parents=True, exist_ok=True)
        name = sanitize_name(disk.file_name or f"disk{disk.source_index}.vhdx", keep_suffix=True)
        final = self._remote_unc(item, name)
        stream = None
        if self.streaming and self.uploader is not None and disk.format.value == "vhdx":
            stream = SmbDiskStream(self.uploader, final)
        return DiskDestination(path=folder / name, final=final, host_path=self._host_path(item, name), stream=stream)

    def finish_disk(self, item: PlanItem, disk: DiskSpec, dest: DiskDestination, content_digest: str = "",
                    progress: ProgressSink | None = None, cancel: CancelToken | None = None) -> DiskResult:
        if self.uploader is None:
            raise TargetError("No SMB share is configured for the disks.", fix="Name the disk share (\\\\HOST\\SHARE).")
        stored = dest.stream.stored if dest.stream is not None else None
        if stored is not None:  # written in place, read back and renamed by the stream
            size, sha = stored
        else:
            result = self.uploader.upload(dest.path, dest.final, progress, cancel, vm=item.target.name)
            size, sha = result.size, result.sha256
        with self._lock:
            self._uploaded.setdefault(item_key(item), []).append(dest.host_path)
        dest.path.unlink(missing_ok=True)
        return DiskResult(spec=disk, file_name=dest.path.name, location=dest.host_path, relative=False,
                          size_bytes=size, sha256=sha, content_digest=content_digest,
                          virtual_size=disk.capacity_bytes)

    def stored_intact(self, item: PlanItem, result: DiskResult, cancel: CancelToken | None = None) -> bool:
        """Re-reads the disk on the share (no conversion): size and SHA-256 must be the journalled ones."""
        if self.uploader is None or not result.sha256:
            return False
        final = self.disk_destination(item, result.spec).final
        if self.uploader.size(final, cancel) != result.size_bytes:
            return False
        if self.uploader.remote_sha256(final, None, cancel) != result.sha256:
            return False
        with self._lock:
            self._uploaded.setdefault(item_key(item), []).append(result.location)  # a rollback removes it too
        return True

    def create_vm(self, item: PlanItem, disks: list[DiskResult], progress: ProgressSink | None = None,
                  cancel: CancelToken | None = None) -> CreateResult:
        # The SMB upload already re-read and hashed each disk, so the host need not hash them again.
        data = {"create": build_create_data(item, disks, verify_hashes=False)}
        try:
            doc = self.session.run_json("create_vm", data, cancel)
        except ScriptError as exc:
            self._remove_vm(item, [])
            stage = (exc.result or {}).get("stage", "")
            raise TargetError(f"Creating VM {item.target.name!r} failed" + (f" during {stage!r}" if stage else "")
                              + f": {exc.message.split(' failed: ', 1)[-1]}",
                              details=exc.details,
                              fix="The partly made VM was removed; fix the cause and run again.") from None
        except HvmError:
            self._remove_vm(item, [])
            raise
        self._vm_ids[item_key(item)] = str(doc.get("vm_id", ""))
        return CreateResult(name=item.target.name, status=str(doc.get("status", "created")),
                            where=self.session.config.host, vm_id=str(doc.get("vm_id", "")),
                            steps=list(doc.get("steps", []) or []), warnings=list(doc.get("warnings", []) or []))

    def start_vm(self, item: PlanItem, cancel: CancelToken | None = None) -> str:
        """Start-VM.ps1 starts the VM carrying ``item``'s tag (the name and tag go as data); its state then."""
        name = item.target.name
        fix = (f"The VM was created on {self.session.config.host} and its source stays off. Fix the cause on the "
               "host (e.g. too little free memory), then start the VM in Hyper-V Manager.")
        try:
            doc = self.session.run_json("start_vm", {"name": name, "tag": vm_tag(item)}, cancel)
        except HvmError as exc:  # the script's error, or the connection's: either way the VM is not known to run
            raise TargetError(f"VM {name!r} was created but did not start: {exc.message.split(' failed: ', 1)[-1]}",
                              details=exc.details, fix=fix) from None
        state = str(doc.get("state", ""))
        if state != "Running":
            raise TargetError(f"VM {name!r} was created but did not start (its state is {state or 'unknown'}).",
                              fix=fix)
        return state

    def verify(self, item: PlanItem) -> list[str]:
        data = {"create": build_create_data(item, self._placeholder_disks(item), verify_hashes=False, mode="check")}
        try:
            doc = self.session.run_json("create_vm", data)
        except ScriptError as exc:
            return [exc.message]
        if not doc.get("exists") or not doc.get("complete"):
            return [f"VM {item.target.name!r} is not complete on the host."]
        return []

    def _placeholder_disks(self, item: PlanItem) -> list[DiskResult]:
        out = []
        for d in item.target.disks:
            if d.include:
                name = sanitize_name(d.file_name or f"disk{d.source_index}.vhdx", keep_suffix=True)
                out.append(DiskResult(d, name, self._host_path(item, name), False, 0, ""))
        return out

    def _remove_vm(self, item: PlanItem, files: list[str]) -> None:
        try:
            self.session.run_json("remove_vm", {"name": item.target.name, "tag": vm_tag(item),
                                                "remove_files": files})
        except HvmError as exc:
            log.warning("removing VM %s after a failure failed: %s", item.target.name, exc.one_line())

    def rollback(self, item: PlanItem) -> None:
        key = item_key(item)
        with self._lock:
            files = self._uploaded.pop(key, [])
        self._remove_vm(item, files)
        shutil.rmtree(self.staging / key, ignore_errors=True)

    def guest_fixups(self, item: PlanItem) -> FixupReport:
        if item.vm.guest.family != "windows":
            return fixups.offline_report(item)
        try:
            password = secrets.resolve_password("guest", self.guest_user, item.target.name)
        except AuthError:
            report = fixups.offline_report(item)
            report.failed.append(user_text(f"No guest password for {self.guest_user}@{item.target.name} in the "
                                           "keyring; the steps below are left to do by hand."))
            return report
        data = fixups.windows_fixup_data(item, self.guest_user, password, self._vm_ids.get(item_key(item), ""))
        output = self.session.run("guest_fixups", data)
        if output.result is None:
            report = fixups.offline_report(item)
            report.failed.append(user_text("The guest fix-ups did not report back."))
            return report
        return fixups.parse_fixup_result(output.result)

    def close(self) -> None:
        self.session.close()
        if self.uploader is not None:
            self.uploader.close()
        if self._own_staging:  # the private temp folder made for this target; its files are gone by now
            shutil.rmtree(self.staging, ignore_errors=True)

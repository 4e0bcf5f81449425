"""The offline import bundle: one folder per VM that a Hyper-V administrator copies to the host and runs.

Layout of ``<root>/<folder>/`` (``folder`` = :func:`bundle_folder_name` of the VM name)::

    Virtual Hard Disks/<disk>.vhdx   the converted disks
    manifest.json                    versioned (``hvmigrate.bundle/1``): plan item, source, disks with
                                     sizes + SHA-256, hvmigrate version, and the "create" settings
    Create-VM.ps1                    the static script; reads manifest.json as data
    README.txt                       what to do with the folder, and the guest steps after the first boot

Contracts:
- The folder is built as ``<folder>.partial`` and renamed only when every file is written and fsynced;
  a folder without ``.partial`` is complete. A leftover ``.partial`` from an interrupted run is discarded.
- A complete folder that already exists is never overwritten silently: ``preflight`` reports it (unless
  it holds this same item and ``replace`` is set, in which case the old folder is swapped out only after
  the new one is complete).
- Folder and disk file names are sanitized (no quotes, ``$``, backticks, ``;``, ``#``, ``@``, control
  characters, Windows-reserved names); a lossy name gets a short hash of the original so two different
  VMs never share a folder.
- Nothing is written outside ``root``: symbolic links found where the bundle's own folders and files go
  (planted by someone else with write access to ``root``) are removed, never followed, and the bundle's
  text files are created with ``O_NOFOLLOW``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard import __version__
from wizard.core.errors import TargetError
from wizard.core.plan import DiskSpec, PlanItem, SourceRef
from wizard.core.progress import CancelToken, Meter, ProgressSink
from wizard.core.serial import dump_document, open_new, parse_document, read_json, write_json_atomic
from wizard.targets import guest_fixups as fixups
from wizard.targets.base import CreateResult, DiskDestination, DiskResult, FixupReport, Target
from wizard.targets.powershell import load_script
from wizard.targets.vmdata import build_create_data, plan_problems, vm_tag

MANIFEST_KIND = "bundle"
MANIFEST_VERSION = 1
DISK_DIR = "Virtual Hard Disks"
MANIFEST = "manifest.json"
SCRIPT = "Create-VM.ps1"
README = "README.txt"
PARTIAL = ".partial"
_HASH_CHUNK = 4 * 1024 * 1024
# Windows also reserves COM/LPT with the superscript digits ¹²³ (they pass the \\w filter below).
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{p}{d}" for p in ("COM", "LPT") for d in (*"123456789", "\u00b9", "\u00b2", "\u00b3"))}


@dataclass
class BundleDisk:
    file: str = ""
    path: str = ""  # relative to the bundle folder, backslash-separated (the host's form)
    size_bytes: int = 0
    sha256: str = ""
    content_digest: str = ""
    virtual_size: int = 0
    source_index: int = 0


@dataclass
class Manifest:
    hvmigrate_version: str = ""
    created_at: str = ""
    source: SourceRef = field(default_factory=SourceRef)
    item: PlanItem = field(default_factory=PlanItem)
    disks: list[BundleDisk] = field(default_factory=list)
    create: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return dump_document(self, MANIFEST_KIND, MANIFEST_VERSION)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Manifest:
        return parse_document(cls, read_json(path), MANIFEST_KIND, MANIFEST_VERSION, os.fspath(path))


def sanitize_name(name: str, *, keep_suffix: bool = False, limit: int = 80) -> str:
    """A file/folder name safe on Windows and in any shell: Unicode letters/digits, ``-``, ``_``, ``.``, space.

    Lossy results get ``-<8 hex of sha256(name)>`` appended so distinct names stay distinct.
    """
    stem, suffix = name, ""
    if keep_suffix:  # the last ".ext" survives even after leading dots ("....vhdx"): Hyper-V needs it
        head, dot, ext = name.rpartition(".")
        ext = re.sub(r"[^A-Za-z0-9]", "", ext)[:9] if dot else ""
        if ext:
            stem, suffix = head, "." + ext
    text = unicodedata.normalize("NFC", stem)
    clean = re.sub(r"[^\w\-. ]", "_", text)
    clean = re.sub(r"_+", "_", clean).strip(" ._")
    if clean.split(".")[0].rstrip(" ").upper() in _RESERVED:
        clean = "_" + clean
    clean = clean[:limit] or "vm"
    if clean != stem:
        clean = f"{clean}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"
    return clean + suffix


def bundle_folder_name(item: PlanItem) -> str:
    return sanitize_name(item.target.name)


def sha256_file(path: Path, meter: Meter | None = None, cancel: CancelToken | None = None) -> str:
    digest = hashlib.sha256()
    buf = bytearray(_HASH_CHUNK)
    view = memoryview(buf)
    done = 0
    with open(path, "rb", buffering=0) as fh:
        while True:
            if cancel is not None:
                cancel.check()
            n = fh.readinto(buf)
            if not n:
                break
            digest.update(view[:n])
            done += n
            if meter is not None:
                meter.update(done)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _drop_link(path: Path) -> None:
    """Remove a symbolic link (or junction) at ``path`` without touching what it points to."""
    if path.is_symlink() or (hasattr(path, "is_junction") and path.is_junction()):
        path.unlink()


def _real_dir(path: Path) -> None:
    """``path`` as a real directory of its own: a link there is removed first, then the folder is made."""
    _drop_link(path)
    path.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or not path.is_dir():
        raise TargetError(f"{path} is not a folder hvmigrate can write its bundle into.")


def _unlink_links_in(folder: Path) -> None:
    """Remove symbolic links directly inside ``folder`` (a resumed ``.partial`` folder may hold planted ones)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink():
                os.unlink(entry.path)


def _create_file(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file at ``path`` (an old file or link there is removed, never followed)."""
    _drop_link(path)
    with open_new(path) as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _write_text(path: Path, text: str) -> None:
    _create_file(path, text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8-sig"))


def readme_text(item: PlanItem, report: FixupReport) -> str:
    """Instructions for the Hyper-V administrator who receives the bundle."""
    lines = [
        f"hvmigrate {__version__} import bundle for the VM {item.target.name!r} "
        f"(generation {item.target.generation}).",
        "",
        "1. Copy this whole folder to its final place on the Hyper-V host (the disks stay where they are).",
        "2. In an elevated Windows PowerShell on the host, in this folder, run:",
        "       Unblock-File -Path .\\Create-VM.ps1",
        "       powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\Create-VM.ps1",
        "   It checks the switches, free space, VM name and every disk's SHA-256 first, and stops with a",
        "   message if something is wrong. Running it again after success changes nothing.",
        "   Add -CheckOnly to only run the checks.",
        "3. Start the VM, then do the steps below.",
        "",
    ]
    if report.instructions:
        lines.append("After the first start:")
        lines += [f"  - {step}" for step in report.instructions]
    return "\n".join(lines) + "\n"


class BundleTarget(Target):
    """Writes import bundles under ``root`` (created when missing)."""

    kind = "bundle"

    def __init__(self, root: str | os.PathLike[str], source: SourceRef | None = None, *, replace: bool = False):
        self.root = Path(root)
        self.source = source or SourceRef()
        self.replace = replace

    def describe(self) -> str:
        return f"import bundle folder {self.root}"

    # -- paths --------------------------------------------------------------------------------------
    def final_dir(self, item: PlanItem) -> Path:
        return self.root / bundle_folder_name(item)

    def partial_dir(self, item: PlanItem) -> Path:
        return self.root / (bundle_folder_name(item) + PARTIAL)

    @staticmethod
    def disk_file_name(disk: DiskSpec) -> str:
        return sanitize_name(disk.file_name or f"disk{disk.source_index}.vhdx", keep_suffix=True)

    def _existing_tag(self, folder: Path) -> str | None:
        try:
            return str(Manifest.load(folder / MANIFEST).create.get("tag", ""))
        except Exception:  # noqa: BLE001 - any unreadable manifest means "not ours"
            return None

    # -- Target API ---------------------------------------------------------------------------------
    def preflight(self, item: PlanItem) -> list[str]:
        problems = plan_problems(item)
        final = self.final_dir(item)
        if final.exists():
            same = self._existing_tag(final) == vm_tag(item)
            if not (same and self.replace):
                problems.append(
                    f"The bundle folder {final} already exists"
                    + (" (from an earlier run of this plan)" if same else "")
                    + "; remove it or choose another folder" + (", or run again with --replace." if same else "."))
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            problems.append(f"Cannot create the bundle folder {self.root}: {exc.strerror}.")
            return problems
        needed = sum(d.capacity_bytes for d in item.target.disks if d.include)
        free = shutil.disk_usage(self.root).free
        if needed and free < needed:
            problems.append(f"{self.root} has {free} bytes free; the disks may need up to {needed} bytes "
                            "(less when they are sparse).")
        return problems

    def disk_destination(self, item: PlanItem, disk: DiskSpec) -> DiskDestination:
        work = self.partial_dir(item)
        disks = work / DISK_DIR
        _drop_link(work)
        _drop_link(disks)
        if not disks.exists():
            if work.exists():
                shutil.rmtree(work)
            _real_dir(work)
            _real_dir(disks)
        _unlink_links_in(work)
        _unlink_links_in(disks)
        path = disks / self.disk_file_name(disk)
        final = self.final_dir(item) / DISK_DIR / path.name
        return DiskDestination(path=path, final=str(final))

    def finish_disk(self, item: PlanItem, disk: DiskSpec, dest: DiskDestination, content_digest: str = "",
                    progress: ProgressSink | None = None, cancel: CancelToken | None = None) -> DiskResult:
        if not dest.path.is_file():
            raise TargetError(f"The converted disk {dest.path} is missing.")
        size = dest.path.stat().st_size
        meter = Meter(progress, "hash", total=size, vm=item.target.name)
        digest = sha256_file(dest.path, meter, cancel)
        meter.finish()
        return DiskResult(spec=disk, file_name=dest.path.name, location=f"{DISK_DIR}\\{dest.path.name}",
                          relative=True, size_bytes=size, sha256=digest, content_digest=content_digest,
                          virtual_size=disk.capacity_bytes)

    def create_vm(self, item: PlanItem, disks: list[DiskResult], progress: ProgressSink | None = None,
                  cancel: CancelToken | None = None) -> CreateResult:
        final = self.final_dir(item)
        work = self.partial_dir(item)
        if final.exists() and not (self.replace and self._existing_tag(final) == vm_tag(item)):
            raise TargetError(f"The bundle folder {final} already exists; it was not overwritten.",
                              fix="Remove it or choose another folder.")
        _real_dir(work)
        _real_dir(work / DISK_DIR)
        _unlink_links_in(work)
        _unlink_links_in(work / DISK_DIR)
        for d in disks:
            if not (work / DISK_DIR / d.file_name).is_file():
                raise TargetError(f"Disk {d.file_name} is missing from {work / DISK_DIR}.")
        manifest = Manifest(
            hvmigrate_version=__version__,
            created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            source=self.source, item=item,
            disks=[BundleDisk(d.file_name, d.location, d.size_bytes, d.sha256, d.content_digest, d.virtual_size,
                              d.spec.source_index) for d in disks],
            create=build_create_data(item, disks, verify_hashes=True),
        )
        write_json_atomic(work / MANIFEST, manifest.to_json())
        _create_file(work / SCRIPT, load_script("create_vm").encode("utf-8-sig"))  # BOM: 5.1 reads BOM-less as ANSI
        _write_text(work / README, readme_text(item, self.guest_fixups(item)))
        _fsync_dir(work / DISK_DIR)
        _fsync_dir(work)
        if cancel is not None:
            cancel.check()
        if final.exists():  # replace: swap the old folder out only now that the new one is complete
            old = final.with_name(final.name + ".old")
            _drop_link(old)
            if old.exists():
                shutil.rmtree(old)
            os.replace(final, old)
            os.replace(work, final)
            shutil.rmtree(old)
        else:
            os.replace(work, final)
        _fsync_dir(self.root)
        return CreateResult(name=item.target.name, status="created", where=str(final),
                            steps=[f"Wrote the import bundle {final}"])

    def verify(self, item: PlanItem, *, deep: bool = False) -> list[str]:
        """Problems with the finished bundle: manifest readable and for this item, script present and
        identical to this version's, each disk present with the recorded size (and hash when ``deep``)."""
        final = self.final_dir(item)
        try:
            manifest = Manifest.load(final / MANIFEST)
        except Exception as exc:  # noqa: BLE001
            return [f"{final / MANIFEST}: {exc}"]
        problems = []
        if manifest.create.get("tag") != vm_tag(item):
            problems.append(f"{final} holds a different VM's bundle.")
        script = final / SCRIPT
        if not script.is_file() or script.read_bytes() != load_script("create_vm").encode("utf-8-sig"):
            problems.append(f"{script} is missing or changed.")
        for disk in manifest.disks:
            path = final / DISK_DIR / disk.file
            if not path.is_file() or path.stat().st_size != disk.size_bytes:
                problems.append(f"{path} is missing or has the wrong size.")
            elif deep and sha256_file(path) != disk.sha256:
                problems.append(f"{path} does not match its SHA-256 in the manifest.")
        return problems

    def rollback(self, item: PlanItem) -> None:
        work = self.partial_dir(item)
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)

    def guest_fixups(self, item: PlanItem) -> FixupReport:
        return fixups.offline_report(item)


def check_bundle(folder: str | os.PathLike[str]) -> list[str]:
    """Deep check of a bundle folder on its own (hashes re-read): what ``Create-VM.ps1`` would check."""
    folder = Path(folder)
    try:
        manifest = Manifest.load(folder / MANIFEST)
    except Exception as exc:  # noqa: BLE001
        return [str(exc)]
    problems = []
    for disk in manifest.disks:
        path = folder / DISK_DIR / disk.file
        if not path.is_file():
            problems.append(f"{path} is missing.")
        elif sha256_file(path) != disk.sha256:
            problems.append(f"{path} does not match its SHA-256 in the manifest.")
    return problems

"""The offline import bundle: one folder per VM that a Hyper-V administrator copies to the host and runs.

Layout of ``<root>/<folder>/`` (``folder`` = :func:`bundle_folder_name` of the VM name)::

    Virtual Hard Disks/<disk>.vhdx   the converted disks
    manifest.json                    versioned (``hvmigrate.bundle/1``): plan item, source, disks with
                                     sizes + SHA-256, hvmigrate version, and the "create" settings
    Create-VM.ps1                    the static script; reads manifest.json as data
    README.txt                       what to do with the folder, the changes hvmigrate made inside a Linux
                                     guest (offline preparation), and the guest steps after the first boot
    guest-changes.json               (Linux guests hvmigrate prepared or tried to) the preparation's report:
                                     what was found inside the guest, every change, why, where originals are

Contracts:
- The folder is built as ``<folder>.partial`` and renamed only when every file is written and fsynced;
  a folder without ``.partial`` is complete. A leftover ``.partial`` from an interrupted run is discarded.
- A complete folder that already exists is never overwritten silently: ``preflight`` reports it (unless
  it holds this same item and ``replace`` is set, in which case the old folder is swapped out only after
  the new one is complete: renamed to ``<folder>.old``, the new one renamed into place, the old one
  removed). A ``<folder>.old`` left by a crash in that swap is removed by the next ``create_vm`` or
  ``committed`` of the same item, and only then: one that holds another VM's bundle is never touched.
- Every rename can be recovered: after a crash between the final rename and the journal's record of it,
  :meth:`BundleTarget.committed` recognises the finished folder by its manifest (this item's tag, the
  disks' SHA-256 the run journalled before the rename) and by re-hashing every disk.
- Folder and disk file names are sanitized (no quotes, ``$``, backticks, ``;``, ``#``, ``@``, control
  characters, Windows-reserved names); a lossy name gets a short hash of the original so two different
  VMs never share a folder.
- Nothing is written outside ``root``: symbolic links found where the bundle's own folders and files go
  (planted by someone else with write access to ``root``) are removed, never followed, and the bundle's
  text files are created with ``O_NOFOLLOW``. A link where the bundle's folder goes is no bundle: it is
  neither reported as an existing one nor replaced through; it is removed. The bundle's files are read
  (hashed) only as regular files opened without following a link.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import stat
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard import __version__
from wizard.core.errors import HvmError, TargetError
from wizard.core.i18n import phrase, translate, user_text
from wizard.core.plan import DiskSpec, PlanItem, SourceRef
from wizard.core.progress import CancelToken, Meter, ProgressSink
from wizard.core.serial import (
    dump_document,
    from_jsonable,
    open_new,
    parse_document,
    read_json,
    to_jsonable,
    write_json_atomic,
)
from wizard.guests.report import PrepReport
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
GUEST_CHANGES = "guest-changes.json"
PARTIAL = ".partial"
_HASH_CHUNK = 4 * 1024 * 1024
#: What the Hyper-V administrator runs in the copied VM folder (README.txt; the wizard's Done page shows them too).
IMPORT_COMMANDS = (
    "Unblock-File -Path .\\Create-VM.ps1",
    "powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\Create-VM.ps1",
)
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


_READ_OWN = (os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
              | getattr(os, "O_BINARY", 0))


def open_own_file(path: str | os.PathLike[str]) -> int:
    """A read-only descriptor of the regular file at ``path``, one of the bundle's own files: never through a
    symbolic link, never a named pipe or device (checked before opening: opening some devices has effects;
    and again on the descriptor). Raises :class:`TargetError` for anything else there, OSError when the file
    cannot be reached."""
    p = Path(path)

    def refused(what: str) -> TargetError:
        return TargetError(f"{p} is {what}, not a file hvmigrate wrote; it is not read.",
                           fix="Remove it (someone else put it there), then run again.")

    before = os.lstat(p)
    if stat.S_ISLNK(before.st_mode):
        raise refused("a symbolic link")
    if not stat.S_ISREG(before.st_mode):
        raise refused("a folder, pipe or device" if not stat.S_ISDIR(before.st_mode) else "a folder")
    try:
        fd = os.open(p, _READ_OWN)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link swapped in after the check
            raise refused("a symbolic link") from None
        raise
    try:
        after = os.fstat(fd)
        if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
            raise refused("a file that was replaced while it was being opened")
        if getattr(os, "O_NONBLOCK", 0):  # POSIX only (and os.set_blocking with it)
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def sha256_file(path: Path, meter: Meter | None = None, cancel: CancelToken | None = None) -> str:
    """SHA-256 of the bundle's own file at ``path`` (see :func:`open_own_file`), checking ``cancel`` every
    chunk (4 MiB): Ctrl+C, SIGTERM or the wizard's Cancel stop it at once, whatever the file's size."""
    digest = hashlib.sha256()
    buf = bytearray(_HASH_CHUNK)
    view = memoryview(buf)
    done = 0
    with open(open_own_file(path), "rb", buffering=0) as fh:
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


def readme_text(item: PlanItem, report: FixupReport, prep: PrepReport | None = None) -> str:
    """Instructions for the Hyper-V administrator who receives the bundle, in the current language (as the
    reports: whoever ran the migration reads it first). ``prep`` is the offline preparation ``report`` was made
    from (its changes are then translated piece by piece)."""
    report = fixups.shown_lines(report, prep)
    lines = [
        phrase("hvmigrate {0} import bundle for the VM {1} (generation {2}).", __version__, repr(item.target.name),
               item.target.generation),
        "",
        translate("1. Copy this whole folder to its final place on the Hyper-V host (the disks stay where they "
                  "are)."),
        translate("2. In an elevated Windows PowerShell on the host, in this folder, run:"),
        *(f"       {command}" for command in IMPORT_COMMANDS),
        *("   " + line for line in translate(
            "It checks the switches, free space, VM name and every disk's SHA-256 first, and stops with a\n"
            "message if something is wrong. Running it again after success changes nothing.\n"
            "Add -CheckOnly to only run the checks.").split("\n")),
        translate("3. Start the VM, then do the steps below."),
        "",
    ]
    if report.done or report.failed:
        lines.append(translate("Changes hvmigrate made inside the guest before the disks were finished (offline, "
                               "with libguestfs):") if report.done else translate("Inside the guest:"))
        lines += [f"  - {x}" for x in report.done]
        lines += [f"  - {phrase('Not done: {0}', x)}" for x in report.failed]
        lines.append("")
    if report.instructions:
        lines.append(translate("After the first start:"))
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
        return user_text(f"import bundle folder {self.root}")

    # -- paths --------------------------------------------------------------------------------------
    def final_dir(self, item: PlanItem) -> Path:
        return self.root / bundle_folder_name(item)

    def partial_dir(self, item: PlanItem) -> Path:
        return self.root / (bundle_folder_name(item) + PARTIAL)

    @staticmethod
    def disk_file_name(disk: DiskSpec) -> str:
        return sanitize_name(disk.file_name or f"disk{disk.source_index}.vhdx", keep_suffix=True)

    def _existing_tag(self, folder: Path) -> str | None:
        """The tag in the manifest of the real folder ``folder`` (None for a link, or no readable manifest)."""
        if folder.is_symlink() or (folder / MANIFEST).is_symlink():
            return None
        try:
            return str(Manifest.load(folder / MANIFEST).create.get("tag", ""))
        except Exception:  # noqa: BLE001 - any unreadable manifest means "not ours"
            return None

    def _holds(self, folder: Path, item: PlanItem) -> bool:
        """True when ``folder`` is a real folder (no link) holding a bundle of ``item``."""
        return not folder.is_symlink() and folder.is_dir() and self._existing_tag(folder) == vm_tag(item)

    def old_dir(self, item: PlanItem) -> Path:
        """Where ``replace`` moves the earlier bundle while the new one is renamed into place."""
        return self.root / (bundle_folder_name(item) + ".old")

    # -- Target API ---------------------------------------------------------------------------------
    def preflight(self, item: PlanItem) -> list[str]:
        problems = plan_problems(item)
        final = self.final_dir(item)
        if not final.is_symlink() and final.exists():  # a link there is no bundle: create_vm removes it
            same = self._existing_tag(final) == vm_tag(item)
            if not (same and self.replace):
                # (the command line's --replace replaces a folder of this plan; its help says so)
                problems.append(f"The bundle folder {final} already exists"
                                + (" (from an earlier run of this plan)" if same else "")
                                + "; remove it or choose another folder.")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            problems.append(f"Cannot create the bundle folder {self.root}: {exc.strerror}.")
            return problems
        needed = item.space_needed()  # dynamic disks by the data their source holds, fixed ones by capacity
        free = shutil.disk_usage(self.root).free
        if self.check_space and needed and free < needed:
            problems.append(f"{self.root} has {free} bytes free; the disks need about {needed} bytes (dynamic "
                            "disks by the data their source disks hold, fixed ones by their size, plus a margin).")
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
        _drop_link(final)  # planted: never replaced through, never reported as a bundle
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
        _write_text(work / README, readme_text(item, self.guest_fixups(item), self.guest_prep(item)))
        _fsync_dir(work / DISK_DIR)
        _fsync_dir(work)
        if cancel is not None:
            cancel.check()
        old = self.old_dir(item)
        _drop_link(old)
        stale = self._holds(old, item)  # the earlier bundle, left by a crash in an earlier swap
        if final.exists():  # replace: swap the old folder out only now that the new one is complete
            if stale:
                shutil.rmtree(old)
            elif old.exists():
                raise TargetError(f"{old} is in the way of replacing {final}: it is not an earlier bundle of "
                                  "this VM, so hvmigrate does not remove it.", fix="Move it away, then run again.")
            os.replace(final, old)
            os.replace(work, final)
            shutil.rmtree(old)
        else:
            os.replace(work, final)
            if stale:
                shutil.rmtree(old)
        _fsync_dir(self.root)
        return CreateResult(name=item.target.name, status="created", where=str(final),
                            steps=[f"Wrote the import bundle {final}"])

    def committed(self, item: PlanItem, sha256: Mapping[int, str],
                  cancel: CancelToken | None = None) -> CreateResult | None:
        """The bundle of ``item`` when its final folder is complete and made of exactly the disks whose SHA-256
        were journalled before the rename (``sha256`` by source disk index; each disk re-hashed, checking
        ``cancel``); what the interrupted run left around it (``.partial``, ``.old``) is then removed.
        None when the rename did not happen, or the folder is not that bundle."""
        final = self.final_dir(item)
        if not self._holds(final, item):
            return None
        try:
            manifest = Manifest.load(final / MANIFEST)
        except HvmError:
            return None
        recorded = {d.source_index: d for d in manifest.disks}
        if set(recorded) != set(sha256) or any(recorded[i].sha256 != sha for i, sha in sha256.items()):
            return None
        if not all(_plain_name(d.file) for d in manifest.disks):  # a manifest names files beside it, nothing else
            return None
        if self.verify(item):
            return None
        for disk in manifest.disks:
            try:
                if sha256_file(final / DISK_DIR / disk.file, cancel=cancel) != disk.sha256:
                    return None
            except (OSError, TargetError):
                return None
        self.rollback(item)
        if self._holds(self.old_dir(item), item):
            shutil.rmtree(self.old_dir(item), ignore_errors=True)
        return CreateResult(name=item.target.name, status="created", where=str(final),
                            steps=[f"Found the import bundle {final} complete (renamed into place before the "
                                   "interruption)"])

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
            if path.is_symlink() or not path.is_file() or path.stat().st_size != disk.size_bytes:
                problems.append(f"{path} is missing or has the wrong size.")
            elif deep:
                problems += filter(None, [_hash_or_problem(path, disk.sha256)])
        return problems

    def rollback(self, item: PlanItem) -> None:
        work = self.partial_dir(item)
        _drop_link(work)
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)

    def guest_fixups(self, item: PlanItem) -> FixupReport:
        return fixups.offline_report(item, self.guest_prep(item))

    def guest_prepared(self, item: PlanItem, report: PrepReport) -> None:
        """Keeps ``report`` in the bundle (``guest-changes.json``, in the README's words too)."""
        work = self.partial_dir(item)
        _real_dir(work)
        _drop_link(work / GUEST_CHANGES)
        write_json_atomic(work / GUEST_CHANGES, to_jsonable(report))

    def guest_prep(self, item: PlanItem) -> PrepReport | None:
        """The preparation's report kept in the bundle being built (or built), None when there is none."""
        for folder in (self.partial_dir(item), self.final_dir(item)):
            path = folder / GUEST_CHANGES
            if path.is_file() and not path.is_symlink():
                try:
                    return from_jsonable(PrepReport, read_json(path))
                except (HvmError, ValueError):
                    return None
        return None


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
        else:
            problem = _hash_or_problem(path, disk.sha256)
            if problem:
                problems.append(problem)
    return problems


def _plain_name(name: str) -> bool:
    """True for a file name without any folder part (what the bundle writes into ``Virtual Hard Disks``)."""
    return bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name and "\0" not in name


def _hash_or_problem(path: Path, sha256: str, cancel: CancelToken | None = None) -> str:
    """"" when the bundle's file ``path`` has SHA-256 ``sha256``, else the problem in words."""
    try:
        if sha256_file(path, cancel=cancel) == sha256:
            return ""
    except TargetError as exc:
        return exc.message
    except OSError as exc:
        return f"{path} cannot be read: {exc.strerror or exc}."
    return f"{path} does not match its SHA-256 in the manifest."


"""Where the migration meets the offline Linux guest preparation (:mod:`wizard.guests`).

:func:`decide` says, before a VM's disks are converted, whether its guest will be prepared: a Linux guest,
``guest.prepare_linux`` on in the plan, and libguestfs installed on this workstation. When it will,
:mod:`wizard.migrate.item` converts every disk to a local file (also for a target that could write in place:
the Hyper-V host's share gets the prepared disks, uploaded after the preparation), then calls :func:`prepare`,
and only then makes the disks final (hash, upload). When it will not, :class:`Decision.report` says why, and
the report keeps the manual steps. (The appliance's first start on a machine, the probe's, is paid only for
disks with a Linux file system on them.)

:func:`prepare` first looks, without libguestfs, whether any disk holds a Linux file system signature at all
(ext2/3/4, XFS, Btrfs, LVM, Linux RAID, LUKS); disks without one (blank, or data only) are not opened. After a
preparation that changed the guest, every disk's content digest is computed again (the converter verified the
disk identical to the source before; the new digest is what the disk holds now).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from wizard.compat.catalog import guest_info
from wizard.compat.rules.guest import linux_prep_blocker
from wizard.core.errors import HvmError
from wizard.core.libguestfs import availability
from wizard.core.plan import PlanItem
from wizard.core.progress import CancelToken, Meter, ProgressEvent, ProgressSink
from wizard.disks.convert import open_output
from wizard.disks.image import DiskImage
from wizard.disks.partitions import SECTOR, read_at
from wizard.disks.verify import hash_image
from wizard.guests.network import Nic, norm_mac
from wizard.guests.prepare import PrepOptions, prepare_linux_guest
from wizard.guests.report import PREPARED, SKIPPED, PrepReport
from wizard.sources.base import Source

log = logging.getLogger(__name__)
_GPT_LVM = bytes.fromhex("79d3d6e607f5c244a23c238f2a3df928")  # E6D6D379-F507-44C2-A23C-238F2A3DF928
_GPT_RAID = bytes.fromhex("0f889da1fc053b4da006743f0f84911e")  # A19D880F-05FC-4D3B-A006-743F0F84911E


@dataclass
class Decision:
    """``run``: prepare the guest after conversion; else ``report`` (status ``skipped``) says why not, or is
    None when preparation does not apply to this guest (not Linux)."""

    run: bool = False
    report: PrepReport | None = None
    digests: dict[str, str] = field(default_factory=dict)


def decide(item: PlanItem) -> Decision:
    if item.vm.guest.family != "linux":
        return Decision()
    blocker = linux_prep_blocker(item.target.fixups, guest_info(item.vm))  # what assess said
    if blocker:
        return Decision(report=PrepReport(SKIPPED, blocker))
    answer = availability()  # the appliance itself is started (once per machine) only for a disk worth it
    if not answer.ok:
        return Decision(report=PrepReport(SKIPPED, answer.reason))
    return Decision(run=True)


def options_for(item: PlanItem) -> PrepOptions:
    """The adapters in Hyper-V order: the n-th synthetic adapter is ``eth<n>``; a kept MAC is the source's."""
    nics = []
    included = [n for n in item.target.nics if not n.legacy]
    for number, planned in enumerate(included):
        source = item.vm.nics[planned.source_index] if 0 <= planned.source_index < len(item.vm.nics) else None
        old = norm_mac(source.mac) if source is not None else ""
        kept = bool(planned.static_mac) and norm_mac(planned.static_mac) == old
        if old:
            nics.append(Nic(old_mac=old, new_name=f"eth{number}", keep_mac=kept))
    disks = sum(1 for d in item.target.disks if d.include)
    # VMware Tools from the tarball go unless the plan keeps them; a source that did not say whether the tools
    # are installed (a .vmx, an OVF) plans remove_vmware_tools=false only because it did not know
    unknown = not item.vm.tools_status and not item.vm.tools_version
    remove = item.target.fixups.remove_vmware_tools or unknown
    return PrepOptions(generation=item.target.generation, nics=nics, remove_vmware_tools=remove, disk_count=disks)


def prepare(item: PlanItem, paths: list[Path], formats: list[str], sink: ProgressSink | None,
            cancel: CancelToken | None) -> tuple[PrepReport, dict[Path, str]]:
    """Prepare the converted disks ``paths`` of ``item``; returns the report and each disk's new content digest
    (only for a guest that was changed). Raises what :func:`wizard.guests.prepare.prepare_linux_guest` raises."""
    if not any(_linux_signature(p, f) for p, f in zip(paths, formats, strict=True)):
        return PrepReport(SKIPPED, "no Linux file system was found on its disks (nothing to prepare)"), {}
    answer = availability(launch=True)
    if not answer.ok:
        return PrepReport(SKIPPED, answer.reason), {}
    _say(sink, item, "Preparing the Linux guest for Hyper-V offline (libguestfs; this takes a few minutes)")
    report = prepare_linux_guest(list(paths), options_for(item), cancel)
    _say(sink, item, report.summary())
    guest = item.vm.guest
    found = report.facts.product or f"{report.facts.distro} {report.facts.version}".strip()
    if found and not (guest.running_full_name or guest.full_name):
        guest.running_full_name = found  # the source did not know; the guest says
    digests: dict[Path, str] = {}
    if report.status == PREPARED:
        for path, fmt in zip(paths, formats, strict=True):
            with open_output(os.fspath(path), fmt) as image:
                meter = Meter(None, "hash", total=image.virtual_size, vm=item.target.name)
                digests[path] = hash_image(image, image.virtual_size, meter, cancel, 4 * 1024 * 1024)
    return report, digests


def _say(sink: ProgressSink | None, item: PlanItem, text: str) -> None:
    log.info("%s: %s", item.target.name, text)
    if sink is not None:
        sink(ProgressEvent(stage="log", message=text, vm=item.target.name))


def _starts(image: DiskImage) -> list[int]:
    """Byte offsets where a file system may start: the disk itself and each partition (MBR or GPT)."""
    mbr = read_at(image, 0, SECTOR)
    starts = [0]
    if len(mbr) == SECTOR and mbr[510:512] == b"\x55\xaa":
        for i in range(4):
            entry = mbr[446 + 16 * i:462 + 16 * i]
            kind, lba = entry[4], int.from_bytes(entry[8:12], "little")
            if kind in (0x8E, 0xFD):  # LVM, Linux RAID: Linux for sure
                return [-1]
            if kind == 0xEE:
                starts += _gpt_starts(image)
            elif kind and lba:
                starts.append(lba * SECTOR)
    return starts


def _gpt_starts(image: DiskImage) -> list[int]:
    header = read_at(image, SECTOR, 92)
    if header[:8] != b"EFI PART":
        return []
    table = int.from_bytes(header[72:80], "little") * SECTOR
    count = min(int.from_bytes(header[80:84], "little"), 256)
    size = int.from_bytes(header[84:88], "little") or 128
    raw = read_at(image, table, count * size)
    out = []
    for i in range(count):
        entry = raw[i * size:(i + 1) * size]
        if len(entry) < 40 or not any(entry[:16]):
            continue
        if entry[:16] in (_GPT_LVM, _GPT_RAID):
            return [-1]
        out.append(int.from_bytes(entry[32:40], "little") * SECTOR)
    return out


def _linux_signature(path: Path, fmt: str) -> bool:
    """True when the converted disk holds a Linux file system, volume or container signature (or cannot be
    read: then libguestfs is asked)."""
    try:
        with open_output(os.fspath(path), fmt) as image:
            return holds_linux(image)
    except Exception as exc:  # noqa: BLE001 - whatever our reader cannot tell, libguestfs can
        log.info("%s: could not look for file systems (%s); asking libguestfs", path, exc)
        return True


def holds_linux(image: DiskImage) -> bool:
    """True when ``image`` holds an ext2/3/4, XFS, Btrfs, LUKS, LVM or Linux RAID signature on the disk itself
    or at the start of a partition (MBR or GPT), or an LVM/RAID partition type."""
    for start in _starts(image):
        if start < 0:
            return True
        if (read_at(image, start + 1080, 2) == b"\x53\xef"  # ext2/3/4
                or read_at(image, start, 4) == b"XFSB"
                or read_at(image, start, 6) == b"LUKS\xba\xbe"
                or read_at(image, start + 0x10040, 8) == b"_BHRfS_M"
                or b"LABELONE" in read_at(image, start, 4 * SECTOR)  # LVM physical volume
                or read_at(image, start + 4096, 4) == b"\xfc\x4e\x2b\xa9"):  # Linux RAID 1.2
            return True
    return False


def source_holds_linux(source: Source, item: PlanItem, cancel: CancelToken | None) -> bool:
    """Whether any included source disk holds a Linux file system (a few sectors read from each): a VM whose
    disks hold none is not staged for a preparation that would find nothing (its disks stream as usual)."""
    for disk in item.target.disks:
        if not disk.include or not 0 <= disk.source_index < len(item.vm.disks):
            continue
        try:
            with source.open_disk(item.vm, disk.source_index, cancel) as image:
                if holds_linux(image):
                    return True
        except (HvmError, OSError) as exc:  # the conversion reads it again and says what is wrong
            log.info("%s: could not look for file systems on disk %s (%s)", item.target.name, disk.source_index,
                     exc)
            return True
    return False

"""The ``sync`` policy's disks on the Hyper-V host's share (:class:`SharePlace`, a
:class:`wizard.migrate.sync.DiskPlace`).

The initial copy is converted in place on the share (the target's :class:`SmbDiskStream`: written as
``NAME.partial``, read back and checked, renamed); the delta syncs open that file over SMB and write the changed
extents into it (:func:`wizard.targets.hyperv.smb_random.open_share_file` under :class:`VhdxPatch`), each
touched MiB read back over SMB and checked. At the cut-over nothing is copied: the disk already lies where the
VM will use it. Its file SHA-256 is not computed then — that would read the whole disk again while the VM is
off; the disk was verified by its per-MiB content digest, and ``Create-VM.ps1`` does not hash disks that
hvmigrate uploaded.
"""

from __future__ import annotations

from wizard.core.errors import TargetError
from wizard.core.plan import DiskSpec, PlanItem
from wizard.core.progress import CancelToken, ProgressSink
from wizard.disks.convert import ConvertOptions, ConvertResult, convert
from wizard.disks.detect import open_image
from wizard.disks.image import DiskImage
from wizard.disks.resume import Checkpoints
from wizard.disks.vhdx_patch import VhdxPatch
from wizard.migrate.sync import PatchableDisk
from wizard.targets.base import DiskResult
from wizard.targets.hyperv.smb_random import open_share_file
from wizard.targets.hyperv.smb_upload import SmbUploader
from wizard.targets.hyperv.target import HyperVTarget


class SharePlace:
    """See the module docstring."""

    def __init__(self, target: HyperVTarget) -> None:
        self.target = target

    def _uploader(self) -> SmbUploader:
        if self.target.uploader is None:
            raise TargetError("No SMB share is configured for the disks.", fix="Name the disk share (\\\\HOST\\SHARE).")
        return self.target.uploader

    def where(self, item: PlanItem, disk: DiskSpec) -> str:
        return self.target.disk_destination(item, disk).final

    def exists(self, where: str) -> bool:
        return self._uploader().size(where) is not None

    def copy(self, item: PlanItem, disk: DiskSpec, image: DiskImage, options: ConvertOptions,
             progress: ProgressSink | None, cancel: CancelToken,
             checkpoints: Checkpoints | None = None) -> ConvertResult:
        dest = self.target.disk_destination(item, disk)
        if dest.stream is None:
            raise TargetError(f"VM {item.target.name!r}: disk {disk.file_name} cannot be written in place on the "
                              "host's share, which the sync policy needs.",
                              fix="Plan the disk as a VHDX, or synchronise into an import bundle.")
        return convert(image, dest.final, options, progress, cancel, output=dest.stream, checkpoints=checkpoints)

    def patch(self, where: str) -> PatchableDisk:
        file = open_share_file(self._uploader(), where)
        try:
            return VhdxPatch(file, owns_file=True)
        except BaseException:
            file.close()
            raise

    def image(self, where: str) -> DiskImage:
        return open_image(open_share_file(self._uploader(), where, write=False))

    def finish(self, item: PlanItem, disk: DiskSpec, content_digest: str, progress: ProgressSink | None,
               cancel: CancelToken) -> DiskResult:
        dest = self.target.disk_destination(item, disk)
        size = self._uploader().size(dest.final, cancel)
        if size is None or dest.stream is None:
            raise TargetError(f"The synchronised disk {dest.final} is missing on the host's share.",
                              fix="Cut over again: the disk is copied anew when it is gone.")
        dest.stream.stored = (size, "")  # in place already: finish_disk copies nothing (see the module docstring)
        return self.target.finish_disk(item, disk, dest, content_digest, progress, cancel)

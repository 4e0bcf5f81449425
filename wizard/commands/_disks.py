"""Opening a disk named on the command line (shared by ``inspect`` and ``convert``)."""

from __future__ import annotations

import os

from wizard.core.errors import DiskFormatError, UnsupportedFormatError
from wizard.disks.image import DiskImage


def open_disk(path: str) -> DiskImage:
    """Open ``path`` read-only with the format detector (VMDK, VHDX, VHD, raw, ...)."""
    if not os.path.exists(path):
        raise DiskFormatError("file not found", path=path, fix="Check the path.")
    if os.path.isdir(path):
        raise DiskFormatError("is a folder, not a disk image", path=path, fix="Name the disk file itself.")
    from wizard.disks.detect import open_image, sniff

    try:
        return open_image(path)
    except UnsupportedFormatError:
        from wizard.disks.bytesource import LocalFile
        from wizard.disks.qemu_backend import FORMATS, open_with_qemu

        with LocalFile(path) as fh:
            kind = sniff(fh)
        if kind not in FORMATS:
            raise
        return open_with_qemu(path, kind)  # optional: only formats the native engine does not read


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
    try:
        from wizard.disks.detect import open_image, sniff
    except ModuleNotFoundError as exc:  # the detector is not built yet: our own formats and raw only
        if exc.name != "wizard.disks.detect":
            raise
        return _fallback_open(path)
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


def _fallback_open(path: str) -> DiskImage:
    from wizard.disks.bytesource import LocalFile
    from wizard.disks.raw import RawImage

    src = LocalFile(path)
    try:
        head = bytearray(8)
        src.pread_into(0, memoryview(head))
        if bytes(head) == b"vhdxfile":
            from wizard.disks.vhdx_read import open_vhdx

            return open_vhdx(src)
        tail = bytearray(8)
        if src.size >= 512:
            src.pread_into(src.size - 512, memoryview(tail))
        if bytes(tail) == b"conectix" or bytes(head) == b"conectix":
            from wizard.disks.vhd_read import open_vhd

            return open_vhd(src)
        return RawImage(src)
    except BaseException:
        src.close()
        raise

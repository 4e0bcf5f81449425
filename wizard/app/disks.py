"""Use cases on single disk images: inspect one, convert one (``hvmigrate inspect`` and ``convert``)."""

from __future__ import annotations

import os

from wizard.core.errors import DiskFormatError, InputError, UnsupportedFormatError
from wizard.core.ioerrors import io_error
from wizard.core.progress import CancelToken, ProgressSink
from wizard.disks.bytesource import LocalFile
from wizard.disks.convert import ConvertOptions, ConvertResult, convert
from wizard.disks.detect import open_image, sniff
from wizard.disks.image import DiskImage, ImageInfo
from wizard.disks.qemu_backend import FORMATS, open_with_qemu

__all__ = ["ConvertOptions", "ConvertResult", "ImageInfo", "convert_disk", "inspect_disk", "open_disk"]


def open_disk(path: str) -> DiskImage:
    """Open ``path`` read-only with the format detector (VMDK, VHDX, VHD, raw, ...)."""
    if not os.path.exists(path):
        raise DiskFormatError("file not found", path=path, fix="Check the path.")
    if os.path.isdir(path):
        raise DiskFormatError("is a folder, not a disk image", path=path, fix="Name the disk file itself.")
    try:
        return open_image(path)
    except UnsupportedFormatError:
        with LocalFile(path) as fh:
            kind = sniff(fh)
        if kind not in FORMATS:
            raise
        return open_with_qemu(path, kind)  # optional: only formats the native engine does not read


def inspect_disk(path: str) -> ImageInfo:
    """The facts of the disk image at ``path``. An OSError is a typed error naming the file."""
    try:
        with open_disk(path) as img:
            return img.info()
    except OSError as exc:
        raise io_error(exc, "Reading the disk", path, kind=InputError) from None


def convert_disk(source: str, destination: str, options: ConvertOptions, progress: ProgressSink | None = None,
                 cancel: CancelToken | None = None) -> ConvertResult:
    """Convert the image at ``source`` into ``destination`` (verified unless ``options.verify`` is off); a
    compressed source is read by two threads, one image each. An OSError (a destination that is read-only,
    full or not a folder) is a typed error naming the path, with a fix."""
    try:
        with open_disk(source) as src:
            return convert(src, destination, options, progress=progress, cancel=cancel,
                           reopen=lambda: open_disk(source))
    except OSError as exc:
        raise io_error(exc, "Converting the disk", destination) from None

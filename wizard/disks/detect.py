"""Open any supported disk image by looking at its bytes, not its name.

Contract:
- ``open_image(path_or_source, opener=None, fmt=None)`` returns a read-only :class:`DiskImage`. A path is
  opened as a local file and siblings resolve next to it; a :class:`ByteSource` is taken over by the image
  (closed with it), and ``opener`` (default: next to a local file) resolves the files it names.
- Detection: "KDMV" sparse or descriptor text → VMDK; "vhdxfile" → VHDX; "conectix" header or footer →
  VHD; qcow2/QED/VDI → :class:`UnsupportedFormatError` naming the optional qemu-img backend; anything else
  is raw only if the name ends in .raw/.img/.bin or ``fmt="raw"`` was asked, else it is refused.
- ``open_stream(readable, name)`` reads a streamOptimized VMDK from a non-seekable stream in one pass.
"""

from __future__ import annotations

import os
from typing import IO

from wizard.core.errors import DiskFormatError, UnsupportedFormatError
from wizard.disks.bytesource import ByteSource, LocalFile, Opener
from wizard.disks.image import DiskImage
from wizard.disks.raw import RawImage
from wizard.disks.vmdk_descriptor import looks_like_descriptor

RAW_SUFFIXES = (".raw", ".img", ".bin")
FORMATS = ("vmdk", "vhdx", "vhd", "raw")


def sniff(source: ByteSource) -> str:
    """The format name of ``source``'s content (``"unknown"`` when nothing matched)."""
    head = bytearray(4096)
    n = source.pread_into(0, memoryview(head))
    head = head[:n]
    if head[:4] == b"KDMV":
        return "vmdk"
    if head[:4] == b"COWD":
        return "vmfssparse"
    if head[:8] == b"vhdxfile":
        return "vhdx"
    if head[:8] == b"conectix":
        return "vhd"
    if head[:4] == b"QFI\xfb":
        return "qcow2"
    if head[:4] == b"QED\0":
        return "qed"
    if len(head) >= 0x44 and head[0x40:0x44] == b"\x7f\x10\xda\xbe":
        return "vdi"
    if looks_like_descriptor(bytes(head)):
        return "vmdk"
    if source.size >= 512:
        tail = bytearray(512)
        if source.pread_into(source.size - 512, memoryview(tail)) == 512 and tail[:8] == b"conectix":
            return "vhd"
    return "unknown"


def open_image(path_or_source: str | os.PathLike[str] | ByteSource, opener: Opener | None = None,
               fmt: str | None = None) -> DiskImage:
    if isinstance(path_or_source, (str, os.PathLike)):
        source: ByteSource = LocalFile(path_or_source)
    else:
        source = path_or_source
    try:
        return _open(source, opener, fmt)
    except BaseException:
        source.close()
        raise


def _open(source: ByteSource, opener: Opener | None, fmt: str | None) -> DiskImage:
    name = source.name
    if fmt is not None and fmt not in FORMATS:
        raise UnsupportedFormatError(f"unknown disk format {fmt!r} requested", path=name,
                                     fix=f"Use one of: {', '.join(FORMATS)}.")
    kind = "raw" if fmt == "raw" else sniff(source)
    if fmt is not None and fmt != "raw" and kind != fmt:
        raise DiskFormatError(f"file is not a {fmt} image (its content looks like {kind})", path=name, offset=0)
    if kind == "raw":
        return RawImage(source)
    if kind == "vmdk":
        from wizard.disks.vmdk import open_vmdk

        return open_vmdk(source, opener)
    if kind in ("vhdx", "vhd"):
        return _open_optional(kind, source, opener)
    if kind == "vmfssparse":
        raise UnsupportedFormatError("file is an ESXi vmfsSparse snapshot delta (COWD)", path=name, offset=0,
                                     fix="Consolidate the VM's snapshots on ESXi (or export it as OVF), then "
                                         "migrate again.")
    if kind in ("qcow2", "qed", "vdi"):
        raise UnsupportedFormatError(f"{kind} images are not read natively", path=name, offset=0,
                                     fix="Install qemu-img and use the qemu-img backend, or convert the disk to "
                                         "VMDK or raw first (qemu-img convert -O raw).")
    if name.lower().endswith(RAW_SUFFIXES):
        return RawImage(source)
    raise UnsupportedFormatError("unrecognised disk image format", path=name, offset=0,
                                 fix="If this is a raw disk image, name it .raw/.img or pass the format "
                                     "explicitly (raw).")


def _open_optional(kind: str, source: ByteSource, opener: Opener | None) -> DiskImage:
    try:
        if kind == "vhdx":
            from wizard.disks.vhdx_read import open_vhdx as opener_fn
        else:
            from wizard.disks.vhd_read import open_vhd as opener_fn
    except ImportError:
        raise UnsupportedFormatError(f"{kind.upper()} input is not available in this build", path=source.name,
                                     offset=0) from None
    return opener_fn(source, opener)


def open_stream(readable: IO[bytes], name: str) -> DiskImage:
    """A streamOptimized VMDK read once, front to back, from ``readable`` (e.g. an HTTP response)."""
    from wizard.disks.vmdk_stream import StreamVmdkImage

    return StreamVmdkImage(readable, name)

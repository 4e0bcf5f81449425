"""File names for the target VM derived from a VM name that may hold anything.

Contract: :func:`safe_file_stem` returns a non-empty name valid on Windows file systems (NTFS/ReFS/SMB
shares): no ``<>:"/\\|?*`` or control characters, no trailing dots or spaces, not a reserved device name
(CON, PRN, AUX, NUL, COM1-9, LPT1-9, also with an extension), and at most 100 characters, so that a host
folder plus ``<stem>-disk63.vhdx.partial`` stays under the 260-character MAX_PATH that older Windows APIs
still enforce (and far below the 255-character file name limit). It is deterministic, so re-planning gives
the same names.
"""

from __future__ import annotations

import hashlib
import re

_INVALID = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10)),
             "COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³", "CONIN$", "CONOUT$"}
MAX_STEM = 100


def safe_file_stem(name: str, fallback: str = "vm", *, limit: int = MAX_STEM) -> str:
    """A Windows-safe file name stem for ``name`` (see the module contract), at most ``limit`` characters."""
    text = _INVALID.sub("_", name)
    text = " ".join(text.split())  # newlines and tabs are control characters anyway; collapse runs of spaces
    text = text.strip(" ")
    text = text[:limit].rstrip(". ")
    text = text.lstrip(" ")
    if not text or set(text) <= {"."}:
        text = fallback
    if text.split(".")[0].upper().rstrip(" ") in _RESERVED:
        text = "_" + text
    return text


def needs_sanitizing(name: str) -> bool:
    return safe_file_stem(name) != name


def disk_file_name(stem: str, index: int, extension: str = "vhdx") -> str:
    return f"{stem}-disk{index}.{extension}"


#: The longest stem of a disk file name a plan may hold: a stem of :func:`safe_file_stem`, plus the ``-N`` that
#: tells VMs of the same name apart and the ``-diskN`` of :func:`disk_file_name`.
MAX_DISK_STEM = MAX_STEM + 20

#: The longest VM name Hyper-V takes (New-VM, Rename-VM).
MAX_VM_NAME = 100


def name_key(name: str) -> str:
    """What two VM names are compared by: Hyper-V and Windows folders ignore case (and we ignore surrounding
    spaces, which the bundle's folder names drop)."""
    return name.strip().casefold()


def short_vm_name(name: str, limit: int = MAX_VM_NAME) -> str:
    """``name`` cut to ``limit`` characters for Hyper-V, deterministically; a cut name ends in ``-`` and 8 hex
    digits of the whole name's SHA-256, so that two long names that start alike stay apart."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{name[:limit - 9].rstrip()}-{digest}"

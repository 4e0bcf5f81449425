"""File names for the target VM derived from a VM name that may hold anything.

Contract: :func:`safe_file_stem` returns a non-empty name valid on Windows file systems (NTFS/ReFS/SMB
shares): no ``<>:"/\\|?*`` or control characters, no trailing dots or spaces, not a reserved device name
(CON, PRN, AUX, NUL, COM1-9, LPT1-9, also with an extension), and at most 100 characters, so that a host
folder plus ``<stem>-disk63.vhdx.partial`` stays under the 260-character MAX_PATH that older Windows APIs
still enforce (and far below the 255-character file name limit). It is deterministic, so re-planning gives
the same names.
"""

from __future__ import annotations

import re

_INVALID = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10)),
             "COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³", "CONIN$", "CONOUT$"}
MAX_STEM = 100


def safe_file_stem(name: str, fallback: str = "vm") -> str:
    """A Windows-safe file name stem for ``name`` (see the module contract)."""
    text = _INVALID.sub("_", name)
    text = " ".join(text.split())  # newlines and tabs are control characters anyway; collapse runs of spaces
    text = text.strip(" ")
    text = text[:MAX_STEM].rstrip(". ")
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

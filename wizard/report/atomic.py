"""Write a report file whole or not at all: ``NAME.partial``, fsync, rename.

The ``.partial`` file is created new (``O_EXCL``, ``O_NOFOLLOW``): a file or link someone left under that
name in a shared folder is removed first, never written through.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8", newline: str = "") -> Path:
    p = Path(path)
    tmp = p.with_name(p.name + ".partial")
    tmp.unlink(missing_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(tmp, flags, 0o644)
        with open(fd, "w", encoding=encoding, newline=newline) as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        if not tmp.is_symlink():
            tmp.unlink(missing_ok=True)
        raise
    return p

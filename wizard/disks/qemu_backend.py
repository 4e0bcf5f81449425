"""Optional fallback for formats the native engine does not read (qcow2, qed, vdi): qemu-img does the reading.

Contract: :func:`open_with_qemu` returns a read-only :class:`DiskImage` over ``path`` when ``qemu-img`` is
installed, else raises :class:`UnsupportedFormatError`. The allocation map comes from ``qemu-img map``;
``readinto`` asks ``qemu-img convert`` for exactly the wanted window (a raw view with offset and size over
the image) into a small private temp file, so no full staging copy is ever made. VMDK, VHD, VHDX and raw
never come here: the native readers handle them without qemu-img.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator

from wizard.core.errors import DiskFormatError, UnsupportedFormatError
from wizard.disks.image import DiskImage, ExtentInfo, ImageInfo

FORMATS = ("qcow2", "qed", "vdi")


def qemu_img_path() -> str | None:
    return shutil.which("qemu-img")


def _run(args: list[str], path: str) -> str:
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode != 0:
        msg = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit status {proc.returncode}"
        raise DiskFormatError(f"qemu-img cannot read the image: {msg}", path=path)
    return proc.stdout


def open_with_qemu(path: str, fmt: str) -> QemuImage:
    """Open ``path`` of format ``fmt`` (one of :data:`FORMATS`) through qemu-img."""
    exe = qemu_img_path()
    if exe is None:
        raise UnsupportedFormatError(f"{fmt} images need qemu-img, which is not installed", path=path,
                                     fix="Install qemu-img (Debian/Ubuntu: qemu-utils), or convert the disk to "
                                         "VMDK or raw first.")
    if fmt not in FORMATS:
        raise UnsupportedFormatError(f"the qemu-img backend does not handle {fmt}", path=path)
    return QemuImage(exe, os.path.abspath(path), fmt)


_MAX_CHAIN = 64


def _check_backing_chain(exe: str, path: str, info: dict) -> None:
    """Every backing file must be a plain file inside the image's own folder.

    qemu-img follows a backing file wherever its header points (``/home/me/.ssh/id_rsa``, ``json:{...}``,
    ``nbd://...``): an image from someone else would otherwise pull local files into the converted disk.
    Each level is read with ``qemu-img info``, which does not open the backing file itself.
    """
    folder = os.path.realpath(os.path.dirname(path))
    current = path
    for _ in range(_MAX_CHAIN):
        backing = str(info.get("backing-filename") or "")
        if not backing:
            return
        first = backing.replace("\\", "/").split("/", 1)[0]
        resolved = os.path.realpath(os.path.join(os.path.dirname(current), backing))
        if ":" in first or os.path.commonpath([folder, resolved]) != folder or not os.path.isfile(resolved):
            raise UnsupportedFormatError(
                f"the image's backing file {backing!r} is not a file in the image's own folder; it is not followed",
                path=current, fix="Keep the whole backing chain in one folder with relative names, or merge it "
                                  "first (qemu-img convert).")
        args = [exe, "info", "--output=json", resolved]
        if info.get("backing-filename-format"):
            args[2:2] = ["-f", str(info["backing-filename-format"])]
        current, info = resolved, json.loads(_run(args, resolved))
    raise UnsupportedFormatError(f"the backing chain is longer than {_MAX_CHAIN} images", path=path)


class QemuImage(DiskImage):
    def __init__(self, exe: str, path: str, fmt: str) -> None:
        self.exe, self.path, self.fmt = exe, path, fmt
        info = json.loads(_run([exe, "info", "-f", fmt, "--output=json", path], path))
        _check_backing_chain(exe, path, info)
        self.virtual_size = int(info["virtual-size"])
        self._info = info
        self._map: list[tuple[int, int]] | None = None
        self._tmpdir = tempfile.mkdtemp(prefix="hvm-qemu-")
        self._tmp = os.path.join(self._tmpdir, "window.raw")

    def _ranges(self) -> list[tuple[int, int]]:
        if self._map is None:
            entries = json.loads(_run([self.exe, "map", "-f", self.fmt, "--output=json", self.path], self.path))
            merged: list[tuple[int, int]] = []
            for e in entries:
                if not e.get("data") or e.get("zero"):
                    continue
                start, length = int(e["start"]), int(e["length"])
                if merged and merged[-1][0] + merged[-1][1] == start:
                    merged[-1] = (merged[-1][0], merged[-1][1] + length)
                else:
                    merged.append((start, length))
            self._map = merged
        return self._map

    def info(self) -> ImageInfo:
        allocated = sum(n for _o, n in self._ranges())
        return ImageInfo(path=self.path, format=self.fmt, subformat=self.fmt, virtual_size=self.virtual_size,
                         allocated_bytes=allocated, file_size=int(self._info.get("actual-size", 0)),
                         extents=[ExtentInfo(self.path, self.fmt.upper(), 0, self.virtual_size)],
                         parent=str(self._info.get("backing-filename", "")), details={"reader": "qemu-img"})

    def allocated_ranges(self) -> Iterator[tuple[int, int]]:
        return iter(self._ranges())

    def readinto(self, offset: int, buf: memoryview) -> None:
        n = len(buf)
        if offset < 0 or offset + n > self.virtual_size:
            raise DiskFormatError(f"read of {n} bytes beyond the virtual disk", path=self.path, offset=offset)
        if n == 0:
            return
        opts = (f"driver=raw,offset={offset},size={n},file.driver={self.fmt},"
                f"file.file.filename={self.path.replace(',', ',,')}")
        _run([self.exe, "convert", "--image-opts", opts, "-O", "raw", self._tmp], self.path)
        try:
            with open(self._tmp, "rb") as fh:
                got = fh.readinto(buf)
        finally:
            os.unlink(self._tmp)
        if got != n:
            raise DiskFormatError("qemu-img returned fewer bytes than asked", path=self.path, offset=offset)

    def close(self) -> None:
        shutil.rmtree(self._tmpdir, ignore_errors=True)

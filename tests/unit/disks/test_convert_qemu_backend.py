"""The optional qemu-img backend: qcow2 and vdi inputs convert through qemu-img, VMDK never does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_compare, qemu_img
from wizard.disks.qemu_backend import open_with_qemu

MiB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("fmt", ["qcow2", "vdi"])
def test_qcow2_and_vdi_convert_through_qemu_img(make_raw, tmp_path: Path, fmt: str) -> None:
    raw = make_raw(5 * MiB, [(65536, os.urandom(200_000)), (5 * MiB - 512, b"\x01" * 512)])
    src = tmp_path / f"disk.{fmt}"
    qemu_img("convert", "-f", "raw", "-O", fmt, str(raw), str(src))
    with open_with_qemu(str(src), fmt) as img:
        assert img.virtual_size == 5 * MiB
        assert img.info().details["reader"] == "qemu-img"
        buf = bytearray(4096)
        img.readinto(5 * MiB - 4096, memoryview(buf))
        assert bytes(buf[-512:]) == b"\x01" * 512
    dst = tmp_path / "out.vhdx"
    out = subprocess.run([sys.executable, "-m", "wizard", "convert", str(src), str(dst), "--json"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["verified"] is True
    qemu_compare(raw, dst, "raw", "vhdx")

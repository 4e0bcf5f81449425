"""``hvmigrate convert`` / ``inspect`` as a user runs them: results, one-line errors, no debris, kill -9."""

from __future__ import annotations

import json
import os
import re
import signal
import struct
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.fixtures.disks import qemu_compare, qemu_img
from wizard.disks import vhdx_format as vf

MiB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]


def hvm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wizard", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT)


@pytest.fixture
def raw(make_raw) -> Path:
    return make_raw(12 * MiB + 4096, [(MiB, os.urandom(300_000)), (12 * MiB, b"\x42" * 4096)])


def test_convert_json_result_and_inspect(raw: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.vhdx"
    out = hvm("convert", raw, dst, "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert set(result) == {"source", "destination", "format", "type", "virtual_size", "bytes_written",
                           "content_digest", "seconds", "verified"}
    assert (result["format"], result["type"], result["verified"]) == ("vhdx", "dynamic", True)
    assert result["virtual_size"] == raw.stat().st_size and len(result["content_digest"]) == 64
    qemu_img("check", str(dst))
    qemu_compare(raw, dst, "raw", "vhdx")
    info = hvm("inspect", dst, "--json")
    assert info.returncode == 0, info.stderr
    facts = json.loads(info.stdout)
    assert (facts["format"], facts["subformat"], facts["virtual_size"]) == ("vhdx", "dynamic", raw.stat().st_size)
    text = hvm("inspect", dst)
    assert "vhdx (dynamic)" in text.stdout


@pytest.mark.parametrize(("name", "args", "fmt", "kind"), [
    ("o.vhd", [], "vpc", "dynamic"),
    ("o.vhd", ["--type", "fixed"], "vpc", "fixed"),
    ("o.disk", ["--format", "vhdx", "--type", "fixed", "--block-size", "2M", "--no-verify"], "vhdx", "fixed"),
])
def test_format_from_extension_or_option(raw: Path, tmp_path: Path, name: str, args: list[str], fmt: str,
                                         kind: str) -> None:
    dst = tmp_path / name
    out = hvm("convert", raw, dst, *args, "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["type"] == kind
    qemu_compare(raw, dst, "raw", fmt)


def test_unknown_output_extension_is_one_line_error(raw: Path, tmp_path: Path) -> None:
    out = hvm("convert", raw, tmp_path / "o.img")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "--format" in out.stderr
    assert os.listdir(tmp_path) == ["src.raw"]


def test_existing_output_needs_overwrite(raw: Path, tmp_path: Path) -> None:
    dst = tmp_path / "o.vhdx"
    dst.write_bytes(b"keep")
    out = hvm("convert", raw, dst)
    assert out.returncode == 2 and "already exists" in out.stderr
    assert dst.read_bytes() == b"keep"
    assert hvm("convert", raw, dst, "--overwrite").returncode == 0


# --- bad inputs: exit != 0, one line naming the problem, no output and no .partial ----------------------

def _sparse_vmdk(raw: Path, tmp_path: Path) -> Path:
    out = tmp_path / "bad.vmdk"
    qemu_img("convert", "-f", "raw", "-O", "vmdk", str(raw), str(out))
    return out


def _patch(path: Path, offset: int, data: bytes) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(data)


def bad_magic(raw: Path, tmp: Path) -> Path:
    p = tmp / "bad.vmdk"
    p.write_bytes(b"KDMX" + os.urandom(4000))
    return p


def truncated_vmdk(raw: Path, tmp: Path) -> Path:
    p = _sparse_vmdk(raw, tmp)
    os.truncate(p, p.stat().st_size - 128 * 1024)
    return p


def grain_table_past_eof(raw: Path, tmp: Path) -> Path:
    p = _sparse_vmdk(raw, tmp)
    data = p.read_bytes()
    for gd_field in (48, 56):  # primary and redundant grain directory: first entry → far past the end
        gd = struct.unpack_from("<Q", data, gd_field)[0] * 512
        _patch(p, gd, struct.pack("<I", 0x7FFFFFF0))
    return p


def missing_extent(raw: Path, tmp: Path) -> Path:
    p = tmp / "bad.vmdk"
    qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicFlat", str(raw), str(p))
    (tmp / "bad-flat.vmdk").unlink()
    return p


def absurd_capacity(raw: Path, tmp: Path) -> Path:
    p = _sparse_vmdk(raw, tmp)
    _patch(p, 12, struct.pack("<Q", 1 << 60))
    return p


def delta_chain_loop(raw: Path, tmp: Path) -> Path:
    base = tmp / "base.vmdk"
    child = tmp / "bad.vmdk"
    qemu_img("convert", "-f", "raw", "-O", "vmdk", str(raw), str(base))
    qemu_img("create", "-f", "vmdk", "-b", "base.vmdk", "-F", "vmdk", str(child))
    child_cid = re.search(r"\nCID=(\w+)", child.read_bytes()[512:512 * 21].decode(errors="replace")).group(1)
    data = bytearray(base.read_bytes()[512:512 * 21])  # the embedded descriptor: make base a child of bad
    text = data.rstrip(b"\0").decode()
    text = text.replace("parentCID=ffffffff", f"parentCID={child_cid}")
    text = text.replace('createType="monolithicSparse"',
                        'createType="monolithicSparse"\nparentFileNameHint="bad.vmdk"')
    _patch(base, 512, text.encode().ljust(len(data), b"\0"))
    return child


def vhdx_bad_crc(raw: Path, tmp: Path) -> Path:
    p = tmp / "bad.vhdx"
    qemu_img("convert", "-f", "raw", "-O", "vhdx", str(raw), str(p))
    for off in vf.HEADER_OFFSETS:
        _patch(p, off + 200, b"\x01\x02")
    return p


def vhdx_bad_bat(raw: Path, tmp: Path) -> Path:
    p = tmp / "bad.vhdx"
    hvm("convert", raw, p, "--block-size", "1M")
    _patch(p, vf.BAT_OFFSET + 8, struct.pack("<Q", (1 << 40) | vf.PAYLOAD_FULLY_PRESENT))
    return p


def vhdx_log(raw: Path, tmp: Path) -> Path:
    p = tmp / "bad.vhdx"
    hvm("convert", raw, p)
    with open(p, "rb") as fh:
        fh.seek(vf.HEADER_OFFSETS[1])
        hdr = vf.Header.parse(fh.read(4096))
    hdr.log_guid = uuid.uuid4().bytes_le
    _patch(p, vf.HEADER_OFFSETS[1], hdr.pack())
    return p


def vhd_bad_checksum(raw: Path, tmp: Path) -> Path:
    p = tmp / "bad.vhd"
    hvm("convert", raw, p, "--type", "fixed")
    _patch(p, p.stat().st_size - 512 + 70, b"\xff\xff")
    return p


def vhd_bad_bat(raw: Path, tmp: Path) -> Path:
    p = tmp / "bad.vhd"
    hvm("convert", raw, p)
    _patch(p, 1536, struct.pack(">I", 0x7FFFFFF0))
    return p


@pytest.mark.parametrize(("make", "words"), [
    (bad_magic, ""), (truncated_vmdk, "truncated"), (grain_table_past_eof, ""), (missing_extent, "not found"),
    (absurd_capacity, ""), (delta_chain_loop, ""), (vhdx_bad_crc, "CRC-32C"),
    (vhdx_bad_bat, "past the end of the file"), (vhdx_log, "log"), (vhd_bad_checksum, "conectix"),
    (vhd_bad_bat, "past the end of the file"),
], ids=lambda v: getattr(v, "__name__", "")[:24] if callable(v) else "")
def test_bad_input_is_one_line_and_leaves_nothing(raw: Path, tmp_path: Path, make, words: str) -> None:
    src_dir = tmp_path / "src"
    src_dir.mkdir()
    bad = make(raw, src_dir)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for dst in (out_dir / "o.vhdx", out_dir / "o.vhd"):
        out = hvm("convert", bad, dst)
        assert out.returncode != 0
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("hvmigrate: error:"), out.stderr
        assert "Traceback" not in out.stderr
        assert str(bad.name) in lines[0] or "base.vmdk" in lines[0]
        if words:
            assert words in lines[0]
        assert os.listdir(out_dir) == []  # neither output nor .partial


# --- kill -9 in the middle -------------------------------------------------------------------------------

def test_kill_9_leaves_no_output_and_a_rerun_succeeds(tmp_path: Path) -> None:
    src = tmp_path / "big.raw"
    block = os.urandom(MiB)
    with open(src, "wb") as fh:
        for _ in range(768):
            fh.write(block)
    dst = tmp_path / "out.vhdx"
    partial = Path(str(dst) + ".partial")
    proc = subprocess.Popen([sys.executable, "-m", "wizard", "convert", str(src), str(dst)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if partial.exists() and partial.stat().st_size > 32 * MiB:
                break
            time.sleep(0.002)
        assert proc.poll() is None, "the conversion finished before it could be interrupted"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert not dst.exists()
    out = hvm("convert", src, dst)
    assert out.returncode == 0, out.stderr
    assert not partial.exists()
    qemu_img("check", str(dst))


def test_native_formats_never_need_qemu_img(raw: Path, tmp_path: Path) -> None:
    src = tmp_path / "disk.vmdk"
    qemu_img("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=streamOptimized", str(raw), str(src))
    env = {**os.environ, "PATH": str(tmp_path / "no-tools-here")}
    for dst in (tmp_path / "o.vhdx", tmp_path / "o.vhd", tmp_path / "again.vhdx"):
        source = tmp_path / "o.vhdx" if dst.name == "again.vhdx" else src
        out = subprocess.run([sys.executable, "-m", "wizard", "convert", str(source), str(dst)], capture_output=True,
                             text=True, cwd=ROOT, env=env)
        assert out.returncode == 0, out.stderr
    qemu_compare(raw, tmp_path / "again.vhdx", "raw", "vhdx")


def test_convert_loads_neither_qt_nor_pyvmomi(raw: Path, tmp_path: Path) -> None:
    code = ("import sys; from wizard import cli; rc = cli.main(sys.argv[1:]); "
            "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith(('PySide6', 'pyVmomi'))}), rc)")
    out = subprocess.run([sys.executable, "-c", code, "convert", str(raw), str(tmp_path / "o.vhdx")],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "[] 0", out.stdout + out.stderr

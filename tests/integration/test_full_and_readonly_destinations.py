"""Read-only and full destinations: one typed line naming the path with a fix, never an OSError traceback; a
report that cannot be written does not undo a migration that succeeded.

Real file systems: a read-only mount (an ext4 image on a loop device, remounted read-only) and a tmpfs that
is full. Mounting needs root; without it these tests are skipped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.vmfolders import make_vm

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0 or not shutil.which("mount"),
                                reason="mounting file systems needs root")


def hvm(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HVMIGRATE_CONFIG_DIR": str(cwd / "config")}
    done = subprocess.run([sys.executable, "-m", "wizard", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")


@contextlib.contextmanager
def read_only(tmp: Path) -> Iterator[Path]:
    """An empty ext4 file system mounted read-only at ``tmp/ro``."""
    image, point = tmp / "ro.img", tmp / "ro"
    point.mkdir()
    with open(image, "wb") as fh:
        fh.truncate(64 * 1024 * 1024)
    subprocess.run(["mkfs.ext4", "-q", "-F", str(image)], check=True, capture_output=True)
    _mount("-o", "loop", str(image), str(point))
    try:
        _mount("-o", "remount,ro", str(point))
        yield point
    finally:
        subprocess.run(["umount", str(point)], capture_output=True)


@contextlib.contextmanager
def full(tmp: Path) -> Iterator[Path]:
    """A small tmpfs at ``tmp/full``, filled up."""
    point = tmp / "full"
    point.mkdir()
    _mount("-t", "tmpfs", "-o", "size=256k", "tmpfs", str(point))
    try:
        fd = os.open(point / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(fd, bytes(4096))
        except OSError:  # ENOSPC: full
            pass
        finally:
            os.close(fd)
        yield point
    finally:
        subprocess.run(["umount", str(point)], capture_output=True)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("dest")
    make_vm(base / "vms", "alpha", [4], seed=31)
    done = hvm("plan", "vms", "-o", "plan.json", cwd=base)
    assert done.returncode == 0, done.stderr
    return base


def _one_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and lines[0].startswith("hvmigrate: error: "), done.stderr
    return lines[0]


def test_convert_to_a_read_only_disk_is_one_line_naming_it(planned: Path, tmp_path: Path) -> None:
    with read_only(tmp_path) as ro:
        line = _one_line(hvm("convert", "vms/alpha/alpha-0.vmdk", str(ro / "out.vhdx"), cwd=planned))
    assert str(ro) in line and "can only be read" in line and "Choose a place on a disk that can be written" in line


def test_a_bundle_on_a_read_only_disk_is_one_line_before_any_vm_starts(planned: Path, tmp_path: Path) -> None:
    with read_only(tmp_path) as ro:
        line = _one_line(hvm("migrate", "plan.json", "--target", f"bundle:{ro}", cwd=planned))
    assert str(ro) in line and "can only be read" in line


def test_a_journal_on_a_full_disk_is_one_line_and_nothing_starts(planned: Path, tmp_path: Path) -> None:
    with full(tmp_path) as disk:
        line = _one_line(hvm("migrate", "plan.json", "--target", f"bundle:{tmp_path / 'out'}", "--journal",
                             str(disk / "journal.jsonl"), cwd=planned))
    assert "journal.jsonl" in line and "is full" in line and "no VM was started" in line
    assert not (tmp_path / "out" / "alpha").exists()


def test_a_report_on_a_full_disk_keeps_the_migrations_success(planned: Path, tmp_path: Path) -> None:
    with full(tmp_path) as disk:
        done = hvm("migrate", "plan.json", "--target", f"bundle:{tmp_path / 'out'}", "--report",
                   str(disk / "report.html"), "--json", cwd=planned)
    assert done.returncode == 0, done.stderr
    assert "The report was not written" in done.stderr and "is full" in done.stderr
    assert (tmp_path / "out" / "alpha" / "manifest.json").is_file()
    assert '"report_error"' in done.stdout and '"done": 1' in done.stdout

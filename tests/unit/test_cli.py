"""The console command's common behaviour."""

from __future__ import annotations

import subprocess
import sys

from wizard import __version__


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wizard", *args], capture_output=True, text=True)


def test_version():
    out = run_cli("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"hvmigrate {__version__}"


def test_unknown_command_is_a_usage_error():
    out = run_cli("frobnicate")
    assert out.returncode == 3
    assert "invalid choice" in out.stderr

"""VM names and server text printed by the CLI cannot drive the terminal: ESC/BEL/newlines from a name are
shown escaped (no window retitle, screen clear, OSC 52 clipboard write, or forged output/log lines)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.integration.vmfolders import make_vm

ROOT = Path(__file__).resolve().parents[2]
EVIL_VMX = "ev|1b]0;PWNED|07|1b[2J|0a|1b]52;c;cHduZWQ=|07|1b[31mil"
CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")  # everything but TAB and LF


def _hvm(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "wizard", "-vv", *args], capture_output=True, cwd=cwd,
                          env={**os.environ, "HVMIGRATE_CONFIG_DIR": str(cwd / "config")}, timeout=300)


def test_hostile_vm_name_is_escaped_in_every_command(tmp_path):
    folder = make_vm(tmp_path / "vms", "evil", [1], seed=3)
    vmx = folder / "evil.vmx"
    vmx.write_text(re.sub(r'displayName = "[^"]*"', f'displayName = "{EVIL_VMX}"', vmx.read_text()),
                   encoding="utf-8")
    runs = [("discover", "vms"), ("assess", "vms"), ("plan", "vms", "-o", "plan.json"),
            ("migrate", "plan.json", "--target", "bundle:out", "--journal", "j.jsonl"),
            ("migrate", "plan.json", "--target", "bundle:out", "--journal", "j2.jsonl")]  # 2nd: folder exists
    for args in runs:
        out = _hvm(*args, cwd=tmp_path)
        assert CONTROL.findall(out.stdout + out.stderr.replace(b"\r\n", b"\n")) == [], args
        assert b"PWNED" in out.stdout + out.stderr, args  # the name is still shown, escaped
    assert len([p for p in (tmp_path / "out").iterdir()]) == 1


def test_log_lines_cannot_be_forged(tmp_path):
    code = ("import logging\nfrom wizard.cli import configure_logging\nconfigure_logging(2)\n"
            "logging.getLogger('wizard.x').warning('removing VM %s failed', 'a\\nERROR wizard: forged\\x1b[2J')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60)
    lines = out.stderr.decode().splitlines()
    assert len(lines) == 1 and "\\n" in lines[0] and "\x1b" not in lines[0]

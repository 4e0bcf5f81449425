"""``hvmigrate gui --demo --screenshots DIR`` walks every page, migrates the demo for real, writes 9 PNGs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from wizard.ui.screenshots import PAGES

ROOT = Path(__file__).resolve().parents[2]


def test_screenshots_in_chinese(tmp_path, temp_settings):
    out = tmp_path / "shots"
    proc = subprocess.run([sys.executable, "-m", "wizard", "gui", "--demo", "--lang", "zh_CN", "--screenshots",
                           str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    for name in PAGES:
        image = QImage(str(out / f"{name}.png"))
        assert not image.isNull(), name
        assert image.width() >= 800 and image.height() >= 600


def test_screenshots_at_the_smallest_size(tmp_path, temp_settings):
    from wizard.ui.screenshots import parse_size

    assert parse_size("800x600") == (800, 600)
    out = tmp_path / "small"
    proc = subprocess.run([sys.executable, "-m", "wizard", "gui", "--demo", "--screenshots", str(out),
                           "--size", "800x600"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    for name in PAGES:
        image = QImage(str(out / f"{name}.png"))
        assert (image.width(), image.height()) == (800, 600), name

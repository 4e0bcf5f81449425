"""Every string of the wizard that goes through ``tr()`` has a Chinese translation in the catalogue the app
loads: the sources are collected from the code now (pyside6-lupdate), so a new string without Chinese fails
here, not in front of a user. (Findings and errors have their own catalogue: tests/unit/test_messages_catalogue.py.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from wizard.ui import i18n

ROOT = Path(__file__).resolve().parents[2]
LUPDATE = Path(sys.executable).with_name("pyside6-lupdate")


@pytest.mark.skipif(not LUPDATE.exists() and not shutil.which("pyside6-lupdate"), reason="pyside6-lupdate missing")
def test_every_ui_string_has_chinese_in_the_shipped_catalogue(tmp_path):
    sources = sorted(str(p) for p in (ROOT / "wizard" / "ui").rglob("*.py"))
    ts = tmp_path / "now.ts"
    tool = str(LUPDATE) if LUPDATE.exists() else "pyside6-lupdate"
    subprocess.run([tool, *sources, "-ts", str(ts)], check=True, capture_output=True, cwd=ROOT)
    translator = QTranslator()
    assert translator.load(str(i18n.resources_dir() / "i18n" / "hvmigrate_zh_CN.qm"))
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            comment = message.findtext("comment")
            if not translator.translate(name, source, comment, 1):
                missing.append(f"{name}: {source}")
    assert not missing, ("UI strings without Chinese (add them to resources/i18n/zh_CN.py, then run "
                         "pyside6-lupdate and python resources/i18n/zh_CN.py):\n" + "\n".join(missing))

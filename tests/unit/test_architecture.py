"""House rules that keep the core usable without Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_ui_imports_pyside6():
    offenders = []
    for path in (ROOT / "wizard").rglob("*.py"):
        if "ui" in path.relative_to(ROOT / "wizard").parts[:1]:
            continue
        if any(name == "PySide6" or name.startswith("PySide6.") for name in _imports(path)):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"PySide6 imported outside wizard/ui/: {offenders}"


def test_cli_commands_do_not_load_qt():
    """``hvmigrate --help`` (and so every non-GUI command's start-up) must not import Qt."""
    code = ("import sys; from wizard import cli; cli.build_parser(); "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyVmomi'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"

"""House rules for the package structure: layers one way down, no import circles, no imports by string, Qt
only in the user interface."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "wizard"

# Each layer may import the layers below it (a higher number) and its own modules, nothing above or beside:
# ui, commands → app → report → migrate → sources, targets → disks, compat → core.
LAYERS = {
    "__main__": -1, "cli": 0,  # entry points: pick a front end
    "ui": 1, "commands": 1,
    "app": 2,
    "report": 3,
    "migrate": 4,
    "sources": 5, "targets": 5,
    "disks": 6, "compat": 6, "guests": 6,
    "core": 7, "": 7,  # "" = the ``wizard`` package itself (its version)
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(name: str, path: Path) -> set[str]:
    """Every ``wizard`` module ``path`` imports, at module level or inside functions (lazy imports are
    dependencies too); ``from X import y`` counts as X and, when y is a module, X.y."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {m for m in _imports(name, path) if m in modules and m != name} for name, path in modules.items()}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_layers_import_only_downwards():
    wrong = []
    for module, targets in _graph().items():
        here = LAYERS[_layer(module)]
        for target in targets:
            there = _layer(target)
            if there != _layer(module) and LAYERS[there] <= here:
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports against the layer direction (see docs/architecture.md):\n" + "\n".join(sorted(wrong))


def test_every_package_has_a_layer():
    assert {_layer(m) for m in _modules()} <= set(LAYERS), "a new package needs its place in LAYERS and the docs"


def test_no_import_circles():
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in graph:
        if module not in index:
            visit(module)
    assert not circles, f"import circles: {circles}"


def test_front_ends_use_the_application_layer_only():
    """The wizard and the command line reach sources, targets, the scheduler, disks and reports only through
    ``wizard.app`` (plus the plain model in ``wizard.core``)."""
    below = ("sources", "targets", "migrate", "disks", "report", "compat")
    wrong = [f"{m} -> {t}" for m, ts in _graph().items() if _layer(m) in ("ui", "commands")
             for t in ts if _layer(t) in below]
    assert not wrong, "\n".join(sorted(wrong))


def test_no_imports_by_string():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "import_module" in text or "__import__" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"modules imported by string: {offenders}"


def test_only_ui_imports_pyside6():
    offenders = []
    for name, path in _modules().items():
        if _layer(name) == "ui":
            continue
        if any(m == "PySide6" or m.startswith("PySide6.") for m in _imports(name, path)):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"PySide6 imported outside wizard/ui/: {offenders}"


def test_cli_commands_do_not_load_qt():
    """``hvmigrate --help`` (and so every non-GUI command's start-up) must not import Qt."""
    code = ("import sys; from wizard import cli; cli.build_parser(); "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyVmomi'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"

"""Where the read-only data files (``resources/``) are at run time.

The same code runs from a source checkout, an editable install, and the frozen one-folder app that
``installer/`` builds with PyInstaller; each keeps ``resources/`` somewhere else. Code that needs a data file
(catalog JSON, PowerShell script, translation ``.qm``, icon, style sheet) asks here instead of building a
path from ``__file__``::

    from wizard.core.resources import resource_path
    catalog = resource_path("catalog", "guest_os.json")

Contract:
- :func:`resources_root` returns the first of these that is a directory, and raises
  :class:`ResourcesMissingError` (a typed, user-facing error) when none is:
  1. ``$HVMIGRATE_RESOURCES`` (for tests and for distribution packages that put the data elsewhere);
  2. in a frozen app: ``sys._MEIPASS/resources`` (PyInstaller's ``_internal/`` folder), then
     ``resources/`` and ``_internal/resources/`` next to the executable;
  3. ``resources/`` next to the folder that holds the ``wizard`` package (checkout / editable install);
  4. ``<sys.prefix>/share/hvmigrate/resources`` (a plain install that ships data files).
- :func:`resource_path` joins relative parts under that root. It does not check that the file exists
  (callers probe optional files such as a translation), but refuses parts that would leave the root.
- Nothing here imports Qt, so the core, the CLI and the UI can all use it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from wizard.core.errors import HvmError

ENV_VAR = "HVMIGRATE_RESOURCES"


class ResourcesMissingError(HvmError):
    """The app's data folder is not where an install puts it (a damaged or partial install)."""

    code = "HVM-RESOURCES"
    default_fix = "Reinstall hvmigrate; if you run it from a source checkout, run it from a complete clone."


def _candidates() -> list[Path]:
    found: list[Path] = []
    override = os.environ.get(ENV_VAR)
    if override:
        found.append(Path(override))
    if getattr(sys, "frozen", False):
        meipass = getattr(sys, "_MEIPASS", None)
        if meipass:
            found.append(Path(meipass) / "resources")
        exe_dir = Path(sys.executable).resolve().parent
        found += [exe_dir / "resources", exe_dir / "_internal" / "resources"]
    package_parent = Path(__file__).resolve().parents[2]  # .../wizard/core/resources.py -> checkout root
    found.append(package_parent / "resources")
    found.append(Path(sys.prefix) / "share" / "hvmigrate" / "resources")
    return found


def resources_root() -> Path:
    """The absolute path of the ``resources/`` folder in use (see the module docstring for the search order)."""
    candidates = _candidates()
    for candidate in candidates:
        if candidate.is_dir():
            return candidate.resolve()
    raise ResourcesMissingError(
        "hvmigrate cannot find its data folder 'resources'.",
        details="Looked in:\n" + "\n".join(str(c) for c in candidates),
    )


def resource_path(*parts: str | os.PathLike[str]) -> Path:
    """``resources_root() / parts...``; raises ValueError for absolute parts or ones that climb out with '..'."""
    root = resources_root()
    path = root.joinpath(*parts)
    for part in parts:
        if Path(part).is_absolute():
            raise ValueError(f"resource path part must be relative: {os.fspath(part)!r}")
    if not path.resolve().is_relative_to(root):
        raise ValueError(f"resource path leaves the resources folder: {'/'.join(map(os.fspath, parts))!r}")
    return path

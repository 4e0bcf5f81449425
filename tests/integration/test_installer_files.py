"""Fast checks of the packaging files (the full PyInstaller build is `make installer`, not part of `make test`).

What a release manager would otherwise find out only at build time, or a help-desk user after installing:
a spec or .iss naming a file that does not exist, a version that disagrees between the app and the
installers, a .desktop entry that desktops reject, and the GUI starting to import a Qt module the bundle leaves out.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from wizard import __version__

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
SPEC = INSTALLER / "hvmigrate.spec"
ISS = INSTALLER / "windows" / "hvmigrate.iss"
DESKTOP = INSTALLER / "linux" / "hvmigrate.desktop"


def _spec_list(name: str) -> list[str]:
    """A module-level list/set of string literals assigned in the spec (the spec itself needs PyInstaller to run)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            value = ast.literal_eval(node.value)
            return list(value)
    raise AssertionError(f"{name} not found in {SPEC}")


def test_spec_files_exist():
    text = SPEC.read_text(encoding="utf-8")
    for rel in ("installer/launcher.py", "installer/windows/version_info.txt.in", "wizard/__init__.py"):
        assert (ROOT / rel).is_file(), rel
    assert '"launcher.py"' in text and '"version_info.txt.in"' in text
    compile(text, str(SPEC), "exec")  # at least valid Python


def test_build_scripts_reference_existing_files():
    build = (INSTALLER / "build.sh").read_text(encoding="utf-8")
    for rel in re.findall(r"installer/[\w./-]+\.(?:spec|py|sh|desktop|svg|txt)", build):
        assert (ROOT / rel).is_file(), f"build.sh names missing {rel}"
    ps1 = (INSTALLER / "windows" / "build.ps1").read_text(encoding="utf-8")
    for rel in re.findall(r"'(installer\\[\w.\\-]+)'", ps1):
        assert (ROOT / rel.replace("\\", "/")).is_file(), f"build.ps1 names missing {rel}"


def test_shell_scripts_parse():
    for script in ("build.sh", "smoke_test.sh", "linux/install.sh", "linux/uninstall.sh"):
        subprocess.run(["bash", "-n", str(INSTALLER / script)], check=True)


def test_iss_is_complete_and_takes_the_version_from_the_build():
    text = ISS.read_text(encoding="utf-8")
    setup = dict(re.findall(r"^(\w+)=(.*)$", text, flags=re.M))
    assert setup["AppVersion"] == "{#AppVersion}", "version must come from /DAppVersion, not be typed in"
    assert setup["VersionInfoVersion"] == "{#AppVersion}"
    assert setup["PrivilegesRequiredOverridesAllowed"] == "dialog"
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["AppId"].startswith("{{")
    assert "{autoprograms}" in text, "Start-menu shortcut"
    assert re.search(r'^Source: "\{#SourceDir\}\\\*".*recursesubdirs', text, flags=re.M), "one-folder app as Files"
    # build.ps1 passes every define the script needs, reading the version from wizard/__init__.py.
    ps1 = (INSTALLER / "windows" / "build.ps1").read_text(encoding="utf-8")
    for define in ("AppVersion", "SourceDir", "IconFile", "OutputDir"):
        assert f"/D{define}=" in ps1
        assert f"#ifndef {define}" in text or define == "AppVersion"
    assert "wizard\\__init__.py" in ps1
    # The shortcut target is the windowed executable the spec builds on Windows.
    assert '#define AppExe "hvmigrate-gui.exe"' in text and 'name=f"{APP}-gui"' in SPEC.read_text(encoding="utf-8")


def test_version_strings_agree():
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__), "Inno Setup VersionInfoVersion takes numbers only"
    build_sh = subprocess.run(
        ["bash", "-c", "sed -n 's/^__version__ = \"\\(.*\\)\"$/\\1/p' wizard/__init__.py"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert build_sh == __version__


def test_desktop_entry():
    entry = dict(re.findall(r"^([\w-]+)=(.*)$", DESKTOP.read_text(encoding="utf-8"), flags=re.M))
    assert entry["Exec"] == "hvmigrate", "install.sh rewrites exactly this line to the installed path"
    assert entry["Icon"] == "hvmigrate" and entry["Type"] == "Application"
    install = (INSTALLER / "linux" / "install.sh").read_text(encoding="utf-8")
    assert "s|^Exec=hvmigrate\\$|" in install
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate (Debian desktop-file-utils) not installed; fields checked above")
    out = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr


def test_icon_is_an_svg():
    svg = (INSTALLER / "icons" / "hvmigrate.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and 'viewBox="0 0 256 256"' in svg


def test_app_does_not_import_a_qt_module_the_bundle_excludes():
    excluded = {name for name in _spec_list("EXCLUDED_QT")}
    offenders = []
    for path in (ROOT / "wizard").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n in excluded]
    assert not offenders, f"the installer excludes these Qt modules; edit EXCLUDED_QT in {SPEC.name}: {offenders}"


def _make_words(name: str) -> set[str]:
    """The words of a Makefile variable (``NAME := ...`` with backslash continuations), ``$(VAR)`` expanded."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    values = dict(re.findall(r"^([A-Z_]+)\s*:?=\s*(.*)$", text, flags=re.M))
    words: set[str] = set()
    for word in values[name].split():
        ref = re.fullmatch(r"\$\((\w+)\)", word)
        words |= _make_words(ref.group(1)) if ref else {word}
    return words


def test_documented_system_libraries_match_the_readme_and_make_installs_them():
    """The list the smoke test checks the built package against (installer/linux/system-libraries.txt) is the
    one a help-desk person reads in the README, with the same glibc minimum in the tarball's README.txt, and
    `make installer` installs every package it names (else the smoke test fails on a fresh Debian machine)."""
    libs: dict[str, str] = {}
    glibc = ""
    for line in (INSTALLER / "linux" / "system-libraries.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        soname, package, *rest = line.split()
        libs[soname] = package
        if soname == "libc.so.6":
            glibc = rest[0]
    assert re.fullmatch(r"2\.\d+", glibc), "libc.so.6 needs its minimum version in the third column"
    assert {"libwayland-cursor.so.0", "libwayland-egl.so.1"} <= set(libs)

    missing = set(libs.values()) - _make_words("INSTALLER_APT_PACKAGES")
    assert not missing, f"make installer does not install {sorted(missing)}"

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("### Linux: what the package takes from the system")
    section = readme[start:readme.index("## Build the installer")]
    assert set(re.findall(r"`([\w.+-]+\.so\.[\d.]+)`", section)) == set(libs)
    for package in set(libs.values()):
        assert f"`{package}`" in section, package
    assert f"glibc {glibc} or newer" in readme and f"`libc6` ({glibc} or newer)" in section
    assert f"glibc {glibc} or newer" in (INSTALLER / "linux" / "README.txt").read_text(encoding="utf-8")

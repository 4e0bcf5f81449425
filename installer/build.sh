#!/usr/bin/env bash
# Build hvmigrate's one-folder app with PyInstaller and pack the Linux tarball:
#   dist/hvmigrate-<version>-linux-<arch>.tar.gz   (app folder + .desktop + icons + install.sh/uninstall.sh
#                                                  + system-libraries.txt, what it needs from the machine)
# Works from a fresh clone: it makes its own build venv in build/installer/venv (pyinstaller from PyPI and
# the app with its dependencies), never touching .venv. Needs python3 (>= 3.11) with venv, and network
# access to PyPI the first time. Environment: PYTHON (interpreter for the venv, default python3).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
BUILD="$ROOT/build/installer"
VENV="$BUILD/venv"
PY="$VENV/bin/python"
PYINSTALLER_REQ="pyinstaller>=6.10,<7"
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV

VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' wizard/__init__.py)"
[ -n "$VERSION" ] || { echo "build.sh: no __version__ in wizard/__init__.py" >&2; exit 2; }
ARCH="$(uname -m)"
PKG="hvmigrate-$VERSION-linux-$ARCH"
echo "== hvmigrate $VERSION: one-folder app and $PKG.tar.gz"

# 1. Build venv: dependencies are reinstalled only when pyproject.toml or the PyInstaller pin change.
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "build.sh: $PYTHON is older than Python 3.11" >&2; exit 2; }
[ -x "$PY" ] || "$PYTHON" -m venv "$VENV"
STAMP="$VENV/.deps-$(cat pyproject.toml <(echo "$PYINSTALLER_REQ") | sha256sum | cut -c1-16)"
if [ ! -e "$STAMP" ]; then
  echo "== installing PyInstaller and the app's dependencies into $VENV"
  "$PY" -m pip install -q --upgrade pip
  "$PY" -m pip install -q "$PYINSTALLER_REQ" "$ROOT"
  rm -f "$VENV"/.deps-*
  touch "$STAMP"
fi
# The app itself is reinstalled every time so its version metadata (bundled by the spec) is current.
"$PY" -m pip install -q --no-deps --force-reinstall "$ROOT"

# 2. Icons (PNG sizes for the .desktop entry, .ico for Windows) rendered from installer/icons/hvmigrate.svg.
"$PY" installer/make_icons.py "$BUILD/icons"

# 3. The one-folder app.
rm -rf "$BUILD/dist"
HVMIGRATE_ICON_DIR="$BUILD/icons" "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$BUILD/dist" --workpath "$BUILD/work" installer/hvmigrate.spec
APPDIR="$BUILD/dist/hvmigrate"
"$APPDIR/hvmigrate" --version

# 4. The Linux package.
STAGE="$BUILD/pkg/$PKG"
rm -rf "$BUILD/pkg"
mkdir -p "$STAGE/icons" "$ROOT/dist"
cp -a "$APPDIR" "$STAGE/app"
cp installer/linux/hvmigrate.desktop installer/linux/install.sh installer/linux/uninstall.sh "$STAGE/"
cp installer/linux/README.txt "$STAGE/README.txt"
# What the package takes from the machine (checked against the bundle by installer/smoke_test.sh).
cp installer/linux/system-libraries.txt "$STAGE/system-libraries.txt"
chmod 755 "$STAGE/install.sh" "$STAGE/uninstall.sh"
cp installer/icons/hvmigrate.svg "$STAGE/icons/hvmigrate.svg"
for size in 16 32 48 64 128 256; do cp "$BUILD/icons/hvmigrate-$size.png" "$STAGE/icons/"; done
echo "$VERSION" > "$STAGE/VERSION"
TARBALL="$ROOT/dist/$PKG.tar.gz"
tar -C "$BUILD/pkg" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@${SOURCE_DATE_EPOCH:-0}" \
  -czf "$TARBALL.partial" "$PKG"
mv "$TARBALL.partial" "$TARBALL"
(cd "$ROOT/dist" && sha256sum "$PKG.tar.gz" > "$PKG.tar.gz.sha256")

echo "== built $TARBALL"
echo "   app folder: $(du -sh "$APPDIR" | cut -f1) ($(find "$APPDIR" -type f | wc -l) files); tarball: $(du -h "$TARBALL" | cut -f1)"

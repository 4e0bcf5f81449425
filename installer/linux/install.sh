#!/bin/sh
# Install hvmigrate for the current user (no root needed), from the unpacked tarball:
#   ./install.sh            app in ~/.local/share/hvmigrate, command ~/.local/bin/hvmigrate,
#                           menu entry ~/.local/share/applications/hvmigrate.desktop, icons in hicolor
# Honours XDG_DATA_HOME; HVMIGRATE_BIN_DIR changes where the command link goes (default ~/.local/bin).
# Re-running it upgrades in place. Undo with ~/.local/share/hvmigrate/uninstall.sh.
set -eu

HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
BIN="${HVMIGRATE_BIN_DIR:-$HOME/.local/bin}"
DEST="$DATA/hvmigrate"
VERSION="$(cat "$HERE/VERSION")"

[ -x "$HERE/app/hvmigrate" ] || { echo "install.sh: $HERE/app/hvmigrate is missing; unpack the whole tarball" >&2; exit 2; }

echo "Installing hvmigrate $VERSION into $DEST"
mkdir -p "$DATA" "$BIN" "$DATA/applications"
# Copy next to the old install first, then swap, so a failed copy leaves the old version working.
rm -rf "$DEST.new"
mkdir -p "$DEST.new"
cp -R "$HERE/app" "$DEST.new/app"
cp "$HERE/uninstall.sh" "$HERE/VERSION" "$DEST.new/"
chmod 755 "$DEST.new/uninstall.sh"
rm -rf "$DEST.old"
[ ! -e "$DEST" ] || mv "$DEST" "$DEST.old"
mv "$DEST.new" "$DEST"
rm -rf "$DEST.old"

ln -sf "$DEST/app/hvmigrate" "$BIN/hvmigrate"
for size in 16 32 48 64 128 256; do
  dir="$DATA/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$dir"
  cp "$HERE/icons/hvmigrate-$size.png" "$dir/hvmigrate.png"
done
mkdir -p "$DATA/icons/hicolor/scalable/apps"
cp "$HERE/icons/hvmigrate.svg" "$DATA/icons/hicolor/scalable/apps/hvmigrate.svg"
# The menu entry runs the installed program by absolute path: ~/.local/bin is not on every desktop's PATH.
sed "s|^Exec=hvmigrate\$|Exec=\"$DEST/app/hvmigrate\"|" "$HERE/hvmigrate.desktop" > "$DATA/applications/hvmigrate.desktop"
# Remember what was put outside $DEST, for uninstall.sh.
printf '%s\n' "$BIN/hvmigrate" "$DATA/applications/hvmigrate.desktop" "$DATA/icons/hicolor/scalable/apps/hvmigrate.svg" \
  > "$DEST/installed-files"
for size in 16 32 48 64 128 256; do echo "$DATA/icons/hicolor/${size}x${size}/apps/hvmigrate.png" >> "$DEST/installed-files"; done

command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
# Refresh the user's icon cache only if there is one: a new, unmaintained cache would hide icons others add later.
if [ -f "$DATA/icons/hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
  gtk-update-icon-cache -q -t "$DATA/icons/hicolor" 2>/dev/null || true
fi

echo "Done. Start it from the applications menu (hvmigrate) or run: $BIN/hvmigrate"
case ":$PATH:" in *":$BIN:"*) ;; *) echo "Note: $BIN is not on your PATH; add it to run 'hvmigrate' by name." ;; esac

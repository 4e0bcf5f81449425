#!/bin/sh
# Remove a per-user hvmigrate installed by install.sh. Settings (~/.config/hvmigrate) and logs are kept
# unless --purge is given. Run it from the install (~/.local/share/hvmigrate/uninstall.sh) or the tarball.
set -eu

DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
DEST="$DATA/hvmigrate"
PURGE=0
[ "${1:-}" = "--purge" ] && PURGE=1

if [ ! -d "$DEST" ]; then
  echo "hvmigrate is not installed in $DEST"
  exit 0
fi
if [ -f "$DEST/installed-files" ]; then
  while IFS= read -r file; do
    [ -n "$file" ] && rm -f "$file"
  done < "$DEST/installed-files"
fi
rm -rf "$DEST"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
if [ "$PURGE" = 1 ]; then
  rm -rf "${XDG_CONFIG_HOME:-$HOME/.config}/hvmigrate" "${XDG_STATE_HOME:-$HOME/.local/state}/hvmigrate" \
    "${XDG_CACHE_HOME:-$HOME/.cache}/hvmigrate"
  echo "hvmigrate, its settings and logs were removed."
else
  echo "hvmigrate was removed. Settings are kept in ${XDG_CONFIG_HOME:-$HOME/.config}/hvmigrate (uninstall.sh --purge removes them)."
fi

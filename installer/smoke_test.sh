#!/usr/bin/env bash
# Smoke test of the BUILT Linux package (run installer/build.sh first), the way a help-desk person uses it:
# unpack the tarball, install.sh into a throw-away HOME, then run the installed program with a bare
# environment (no venv, no PYTHONPATH, PATH=/usr/bin:/bin), so nothing from the build machine's Python helps:
#   1. --version prints the package version;
#   2. convert: a small VMDK made by qemu-img -> VHDX, checked with `qemu-img compare` against the raw data;
#   3. gui --demo --screenshots DIR offscreen writes PNGs; the same walk in a real window under Xvfb (xcb
#      plugin) and under a headless weston (wayland plugin), when xvfb-run and weston exist;
#   4. uninstall.sh removes what install.sh put in place.
# Before that: the system libraries the package takes from the machine are exactly the documented ones
# (system-libraries.txt); a documented one this machine lacks is installed with apt-get (root or sudo).
# Prints package size and start-up times (CLI --version; GUI to the first window, offscreen).
# Environment: SMOKE_TARBALL (default: dist/hvmigrate-<version>-linux-<arch>.tar.gz), KEEP_SMOKE=1 keeps the temp dir.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/wizard/__init__.py")"
PKG="hvmigrate-$VERSION-linux-$(uname -m)"
TARBALL="${SMOKE_TARBALL:-$ROOT/dist/$PKG.tar.gz}"
[ -f "$TARBALL" ] || { echo "smoke: $TARBALL not found; run installer/build.sh first" >&2; exit 2; }

WORK="$(mktemp -d /tmp/hvmigrate-smoke.XXXXXX)"
WESTON_PID=""
cleanup() {
  [ -z "$WESTON_PID" ] || kill "$WESTON_PID" 2>/dev/null || true
  [ "${KEEP_SMOKE:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE  # through the EXIT trap: no compositor is left behind
FAILED=0
pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; FAILED=1; }
skip() { echo "SKIP  $*"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# The program runs with nothing but this environment.
HOME_DIR="$WORK/home"
mkdir -p "$HOME_DIR"
run() {
  env -i HOME="$HOME_DIR" PATH=/usr/bin:/bin LANG=C.UTF-8 XDG_RUNTIME_DIR="$WORK/xdg-runtime" \
    TMPDIR="$WORK/tmp" HVMIGRATE_SETTINGS_DIR="$WORK/settings" "$@"
}
mkdir -p "$WORK/xdg-runtime" "$WORK/tmp" && chmod 700 "$WORK/xdg-runtime"

echo "== package $TARBALL"
tar -C "$WORK" -xzf "$TARBALL"
[ -d "$WORK/$PKG/app" ] || { echo "smoke: tarball has no $PKG/app" >&2; exit 1; }
TAR_BYTES=$(stat -c %s "$TARBALL")
APP_BYTES=$(du -sb "$WORK/$PKG/app" | cut -f1)
echo "size: tarball $((TAR_BYTES / 1048576)) MiB ($TAR_BYTES bytes); unpacked app folder $((APP_BYTES / 1048576)) MiB" \
     "($APP_BYTES bytes, $(find "$WORK/$PKG/app" -type f | wc -l) files)"

# The system libraries the package relies on are exactly those documented in system-libraries.txt (shipped
# in the package; source installer/linux/system-libraries.txt, also in the README's install section):
#  - a library a bundled file needs and that is not in the bundle must be in the list (else the README
#    would promise a package that does not start on a desktop lacking it);
#  - a listed library that is missing on this machine is installed (Debian package from the list), then
#    the check runs again; an unlisted missing one fails: the build machine lacked it, so PyInstaller could
#    not bundle it (install its package and rebuild);
#  - every listed library is still needed, none is bundled as well (it must come from the system, matching
#    its drivers), and the C library version in the list is the highest one any bundled file asks for.
APP="$WORK/$PKG/app"
SYSLIBS="$WORK/$PKG/system-libraries.txt"
declare -A DOC_PKG=()  # soname -> Debian package
GLIBC_DOC=""
if [ -f "$SYSLIBS" ]; then
  while read -r so pkg min _; do
    case "$so" in '' | '#'*) continue ;; esac
    DOC_PKG[$so]=$pkg
    [ "$so" != libc.so.6 ] || GLIBC_DOC=$min
  done < "$SYSLIBS"
else
  fail "the package has no system-libraries.txt"
fi

declare -A FROM_SYSTEM=() UNRESOLVED=()
# ldd every bundled library, plugin, extension module and the program, the way the program loads them
# (PyInstaller's bootloader puts _internal on the library path): soname -> system path, or -> first needer.
scan_libraries() {
  FROM_SYSTEM=(); UNRESOLVED=()
  local f so path
  while IFS= read -r f; do
    while read -r so path; do
      case "$path" in
        "$APP"/*) ;;
        not) [ -n "${UNRESOLVED[$so]:-}" ] || UNRESOLVED[$so]=${f#"$APP/"} ;;
        *) FROM_SYSTEM[$so]=$path ;;
      esac
    done < <(LD_LIBRARY_PATH="$APP/_internal" ldd "$f" 2>/dev/null \
             | awk '$2 == "=>" {print $1, $3; next} $1 ~ /^\// {n = split($1, p, "/"); print p[n], $1}')
  done < <(find "$APP" -type f \( -name '*.so*' -o -path "$APP/hvmigrate" \))
}
scan_libraries

to_install=""
for so in "${!UNRESOLVED[@]}"; do [ -z "${DOC_PKG[$so]:-}" ] || to_install="$to_install ${DOC_PKG[$so]}"; done
if [ -n "$to_install" ]; then
  to_install=$(printf '%s\n' $to_install | sort -u | xargs)
  echo "== installing the documented system libraries this machine lacks: $to_install"
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $to_install; } \
    > "$WORK/apt.log" 2>&1 || { cat "$WORK/apt.log"; echo "smoke: could not install $to_install" >&2; }
  scan_libraries
fi

problems=""
for so in $(printf '%s\n' "${!FROM_SYSTEM[@]}" | sort); do
  if [ -z "${DOC_PKG[$so]:-}" ]; then
    owner=$(dpkg -S "$(readlink -f "${FROM_SYSTEM[$so]}")" 2>/dev/null | head -1 | cut -d: -f1 || true)
    problems="$problems\n  $so is taken from the system (${FROM_SYSTEM[$so]}${owner:+, Debian package $owner}) but not documented: bundle it (PyInstaller copies it when its package is on the build machine) or add it to installer/linux/system-libraries.txt"
  fi
done
for so in $(printf '%s\n' "${!UNRESOLVED[@]}" | sort); do
  if [ -n "${DOC_PKG[$so]:-}" ]; then
    problems="$problems\n  $so (documented, Debian package ${DOC_PKG[$so]}) is not installed here"
  else
    problems="$problems\n  $so (needed by ${UNRESOLVED[$so]}) is neither bundled nor documented: install its package on the build machine and rebuild, so PyInstaller bundles it"
  fi
done
for so in $(printf '%s\n' "${!DOC_PKG[@]}" | sort); do
  [ -n "${FROM_SYSTEM[$so]:-}" ] || [ -n "${UNRESOLVED[$so]:-}" ] \
    || problems="$problems\n  $so is documented but no bundled file needs it any more"
  bundled=$(find "$APP" -name "$so" | head -1)
  [ -z "$bundled" ] || problems="$problems\n  $so is documented as a system library but bundled too (${bundled#"$APP/"})"
done
# (the versioned symbols a file imports, e.g. GLIBC_2.36; grep finds none in some files, hence the `|| true`)
GLIBC_NEED=$({ find "$APP" -type f \( -name '*.so*' -o -path "$APP/hvmigrate" \) \
               -exec grep -aoh 'GLIBC_2\.[0-9.]*' {} + || true; } | sed 's/^GLIBC_//' | sort -uV | tail -1)
[ "$GLIBC_NEED" = "$GLIBC_DOC" ] \
  || problems="$problems\n  the bundle needs glibc $GLIBC_NEED but system-libraries.txt says ${GLIBC_DOC:-nothing}"
if [ -z "$problems" ]; then
  pass "the package relies on exactly its ${#DOC_PKG[@]} documented system libraries (ldd; glibc >= $GLIBC_NEED)"
  echo "      libraries: $(printf '%s\n' "${!DOC_PKG[@]}" | sort | xargs)"
  echo "      Debian packages: $(printf '%s\n' "${DOC_PKG[@]}" | sort -u | xargs)"
else
  fail "system libraries differ from system-libraries.txt:$(printf '%b' "$problems")"
fi

# Every tracked data file is in the bundle, and Qt's own catalogs for each language the app ships.
BUNDLE_RES="$WORK/$PKG/app/_internal/resources"
absent=""
if [ -d "$ROOT/resources" ]; then
  while IFS= read -r f; do [ -e "$BUNDLE_RES/$f" ] || absent="$absent $f"; done \
    < <(cd "$ROOT/resources" && { git ls-files 2>/dev/null || find . -type f; } | sed 's|^\./||' | grep -v '__pycache__')
fi
for qm in "$ROOT"/resources/i18n/hvmigrate_*.qm; do
  [ -f "$qm" ] || continue
  lang=$(basename "$qm" .qm); lang=${lang#hvmigrate_}
  [ -f "$WORK/$PKG/app/_internal/PySide6/Qt/translations/qtbase_$lang.qm" ] || absent="$absent PySide6/Qt/translations/qtbase_$lang.qm"
done
if [ -z "$absent" ]; then pass "resources/ and Qt translations bundled"; else fail "missing from the bundle:$absent"; fi

if run sh "$WORK/$PKG/install.sh" > "$WORK/install.log" 2>&1; then pass "install.sh"; else cat "$WORK/install.log"; fail "install.sh"; fi
HV="$HOME_DIR/.local/bin/hvmigrate"
DESKTOP="$HOME_DIR/.local/share/applications/hvmigrate.desktop"
[ -L "$HV" ] && [ -x "$HV" ] && pass "command link $HV" || fail "no command at $HV"
if [ -f "$DESKTOP" ] && grep -q "^Exec=\"$HOME_DIR/.local/share/hvmigrate/app/hvmigrate\"" "$DESKTOP"; then
  pass "menu entry points at the installed program"
else
  fail "menu entry $DESKTOP missing or wrong Exec"
fi
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$DESKTOP" && pass "installed .desktop validates" || fail "installed .desktop does not validate"
fi
[ -f "$HOME_DIR/.local/share/icons/hicolor/256x256/apps/hvmigrate.png" ] && pass "icon installed" || fail "icon missing"

# 1. --version
t0=$(now_ms)
out="$(run "$HV" --version 2>&1)" || true
t1=$(now_ms)
if [ "$out" = "hvmigrate $VERSION" ]; then pass "--version -> '$out' (${CLI_MS:=$((t1 - t0))} ms)"; else fail "--version printed '$out'"; fi

# 2. convert (needs the disk engine's `hvmigrate convert` and qemu-img).
if ! command -v qemu-img >/dev/null; then
  skip "convert: qemu-img is not installed (Debian package qemu-utils)"
elif ! run "$HV" convert --help >/dev/null 2>&1; then
  if [ -f "$ROOT/wizard/commands/convert.py" ]; then
    fail "convert: the source has wizard/commands/convert.py but the built app has no 'convert' command"
  else
    skip "convert: 'hvmigrate convert' does not exist yet (disk engine not merged); this step runs once it does"
  fi
else
  disk="$WORK/disk"
  mkdir -p "$disk"
  qemu-img create -q -f raw "$disk/src.raw" 64M
  # Some data at the start, in the middle (crossing a 1 MiB boundary) and in the last sector; holes between.
  head -c 300000 /dev/urandom | dd of="$disk/src.raw" conv=notrunc status=none
  head -c 2000000 /dev/urandom | dd of="$disk/src.raw" bs=1 seek=$((33 * 1048576 - 1000000)) conv=notrunc status=none 2>/dev/null \
    || head -c 2000000 /dev/urandom | dd of="$disk/src.raw" oflag=seek_bytes seek=$((33 * 1048576 - 1000000)) conv=notrunc status=none
  printf 'last sector' | dd of="$disk/src.raw" oflag=seek_bytes seek=$((64 * 1048576 - 512)) conv=notrunc status=none
  qemu-img convert -q -f raw -O vmdk -o subformat=monolithicSparse "$disk/src.raw" "$disk/src.vmdk"
  if run "$HV" convert "$disk/src.vmdk" "$disk/out.vhdx" > "$WORK/convert.log" 2>&1; then
    if qemu-img compare -q -f raw -F vhdx "$disk/src.raw" "$disk/out.vhdx"; then
      pass "convert VMDK -> VHDX, qemu-img compare: identical"
    else
      fail "convert: qemu-img compare found a difference"
    fi
    qemu-img check -q -f vhdx "$disk/out.vhdx" && pass "qemu-img check of the VHDX" || fail "qemu-img check of the VHDX"
  else
    cat "$WORK/convert.log"
    fail "convert exited non-zero"
  fi
fi

# 3. GUI offscreen: demo walk with screenshots; time to the first window = time to the first PNG.
shots="$WORK/shots"
t0=$(now_ms)
QT_QPA_PLATFORM=offscreen run env QT_QPA_PLATFORM=offscreen "$HV" gui --demo --screenshots "$shots" \
  > "$WORK/gui.log" 2>&1 &
gui_pid=$!
first_ms=""
while kill -0 "$gui_pid" 2>/dev/null; do
  if [ -z "$first_ms" ] && compgen -G "$shots/*.png" >/dev/null; then first_ms=$(( $(now_ms) - t0 )); fi
  [ -n "$first_ms" ] && break
  sleep 0.02  # measurement polling, not a wait for correctness
done
gui_rc=0
wait "$gui_pid" || gui_rc=$?
total_ms=$(( $(now_ms) - t0 ))
[ -n "$first_ms" ] || { compgen -G "$shots/*.png" >/dev/null && first_ms="<=$total_ms"; }
pngs=$(find "$shots" -name '*.png' 2>/dev/null | wc -l)
bad=0
for f in "$shots"/*.png; do
  [ -f "$f" ] || continue
  [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] && [ "$(stat -c %s "$f")" -gt 1000 ] || bad=1
done
if [ "$gui_rc" = 0 ] && [ "$pngs" -gt 0 ] && [ "$bad" = 0 ]; then
  pass "gui --demo --screenshots offscreen: $pngs PNGs; first window after ${first_ms} ms, whole walk ${total_ms} ms"
else
  cat "$WORK/gui.log"
  fail "gui --demo --screenshots: exit $gui_rc, $pngs PNGs, bad PNG=$bad (first window after ${first_ms:-?} ms)"
fi

# 3b. A real X display (xcb platform plugin and its system libraries), when Xvfb is available.
if command -v xvfb-run >/dev/null; then
  if run xvfb-run -a env QT_QPA_PLATFORM=xcb "$HV" gui --demo --screenshots "$WORK/shots-xcb" > "$WORK/xcb.log" 2>&1 \
     && compgen -G "$WORK/shots-xcb/*.png" >/dev/null; then
    pass "gui under Xvfb with the xcb plugin"
  else
    cat "$WORK/xcb.log"
    fail "gui under Xvfb with the xcb plugin"
  fi
else
  skip "xcb: xvfb-run is not installed"
fi

# 3c. A Wayland compositor (the wayland platform plugin and the system's libwayland-*), when weston is
# available: a headless weston, the wizard forced onto QT_QPA_PLATFORM=wayland (Qt's own choice on a Wayland
# desktop). WAYLAND_DEBUG shows that a real toplevel window was configured by the compositor and painted.
if command -v weston >/dev/null; then
  wl_socket="hvmigrate-smoke-$$"
  # env execs weston, so $! is the compositor itself (through the `run` function it would be a subshell).
  env -i HOME="$HOME_DIR" PATH=/usr/bin:/bin XDG_RUNTIME_DIR="$WORK/xdg-runtime" \
    weston --backend=headless-backend.so --socket="$wl_socket" --width=1280 --height=900 > "$WORK/weston.log" 2>&1 &
  WESTON_PID=$!
  for _ in $(seq 200); do  # until the compositor listens (at most 10 s)
    [ -S "$WORK/xdg-runtime/$wl_socket" ] || ! kill -0 "$WESTON_PID" 2>/dev/null && break
    sleep 0.05
  done
  if [ ! -S "$WORK/xdg-runtime/$wl_socket" ]; then
    cat "$WORK/weston.log"
    fail "gui under Wayland: headless weston did not start"
  elif run env QT_QPA_PLATFORM=wayland WAYLAND_DISPLAY="$wl_socket" WAYLAND_DEBUG=client \
         "$HV" gui --demo --screenshots "$WORK/shots-wayland" > "$WORK/wayland.log" 2>&1 \
       && compgen -G "$WORK/shots-wayland/*.png" >/dev/null \
       && grep -q 'xdg_toplevel@[0-9]*\.configure' "$WORK/wayland.log" \
       && grep -q 'wl_surface@[0-9]*\.attach(wl_buffer@' "$WORK/wayland.log"; then
    pass "gui under Wayland (headless weston) with the wayland plugin: window configured and painted"
  else
    grep -v '^\[' "$WORK/wayland.log" | tail -40
    fail "gui under Wayland (headless weston) with the wayland plugin"
  fi
  kill "$WESTON_PID" 2>/dev/null || true
  wait "$WESTON_PID" 2>/dev/null || true
  WESTON_PID=""
else
  skip "wayland: weston is not installed (Debian package weston)"
fi

# 4. uninstall
if run sh "$HOME_DIR/.local/share/hvmigrate/uninstall.sh" > "$WORK/uninstall.log" 2>&1 \
   && [ ! -e "$HV" ] && [ ! -e "$DESKTOP" ] && [ ! -e "$HOME_DIR/.local/share/hvmigrate" ] \
   && [ ! -e "$HOME_DIR/.local/share/icons/hicolor/256x256/apps/hvmigrate.png" ]; then
  pass "uninstall.sh removed the program, menu entry and icons"
else
  cat "$WORK/uninstall.log"
  fail "uninstall.sh left files behind"
fi

if [ "$FAILED" = 0 ]; then echo "smoke test: PASSED"; else echo "smoke test: FAILED"; exit 1; fi

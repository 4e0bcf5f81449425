# Quick start: `make demo` and `make test`. Both set up everything they need on a fresh Debian machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# qemu-img (disk tests), Go + govmomi sources (the vCenter simulator), Samba (SMB upload tests),
# CJK fonts (the Chinese UI renders in tests and screenshots), and BOOT_PACKAGES.
# The Linux guest preparation and its boot proof (tests/boot, tests/guests): libguestfs and the host kernel its
# appliance boots; mmdebstrap (builds the guests from this machine's apt sources); what lays them onto disks
# (mke2fs, mkfs.vfat + mtools, grub-mkimage); QEMU with SeaBIOS and OVMF to boot them; lsinitramfs to list
# their initramfs.
BOOT_PACKAGES := libguestfs-tools linux-image-amd64 mmdebstrap qemu-system-x86 ovmf grub-common e2fsprogs \
  dosfstools mtools initramfs-tools-core lz4
APT_PACKAGES := qemu-utils fdisk golang-go golang-github-vmware-govmomi-dev samba fonts-noto-cjk $(BOOT_PACKAGES)
# What `make installer` needs on top (installer/README.md explains each group):
# - smoke-test tools: .desktop validator, X server (Xvfb), headless Wayland compositor (weston);
# - libraries PyInstaller copies from the build machine into the package (Qt's xcb, keyboard, font, D-Bus,
#   GLib and Kerberos libraries, with what they depend on): a machine without one builds a package without it;
# - the system libraries the package relies on instead of bundling (installer/linux/system-libraries.txt).
INSTALLER_TOOLS := desktop-file-utils xvfb xauth weston
INSTALLER_BUNDLED := libx11-6 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 \
  libfreetype6 libdbus-1-3 libglib2.0-0 libgssapi-krb5-2
INSTALLER_SYSTEM_LIBS := libc6 libgl1 libglx0 libglvnd0 libegl1 libxcb1 libwayland-client0 libwayland-cursor0 \
  libwayland-egl1
INSTALLER_APT_PACKAGES := $(INSTALLER_TOOLS) $(INSTALLER_BUNDLED) $(INSTALLER_SYSTEM_LIBS)
export QT_QPA_PLATFORM ?= offscreen

.PHONY: demo test lint bench installer screenshots setup system-deps apt-install clean

setup: system-deps $(STAMP)

# Install the Debian packages the tests use (qemu-img, the govmomi simulator's sources, Samba, the boot proof's
# tools) when missing.
system-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

apt-install:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

test: setup
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check wizard tests bench installer

demo: setup
	$(PY) -m wizard demo --output demo-output

# Each benchmark runs the reference (qemu-img, a naive walk, ...) in the same run and prints a ratio.
# All of them run; the exit code says whether every one met its target.
BENCHES := convert discover assess pipeline ui_stall inventory_filter sync
bench: setup
	@rc=0; for b in $(BENCHES); do echo "== bench/$$b.py"; $(PY) bench/$$b.py || rc=1; done; exit $$rc

# The Linux package (dist/hvmigrate-<version>-linux-x86_64.tar.gz), then its smoke test.
installer: setup
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(INSTALLER_APT_PACKAGES)"
	bash installer/build.sh
	bash installer/smoke_test.sh

# One PNG per wizard page and one of the error dialog (10-error.png), English and Chinese, from the demo
# source, in screenshots/; then the README's pictures are refreshed from them in docs/screenshots (English
# NN-name.png, Chinese zh_CN-NN-name.png).
README_SHOTS := 01-source 02-inventory 03-compatibility 05-template 06-networks 08-progress
README_SHOTS_ZH := 03-compatibility 10-error
screenshots: setup
	$(PY) -m wizard gui --demo --screenshots screenshots/en
	$(PY) -m wizard gui --demo --lang zh_CN --screenshots screenshots/zh_CN
	@for n in $(README_SHOTS); do cp screenshots/en/$$n.png docs/screenshots/$$n.png; done
	@for n in $(README_SHOTS_ZH); do cp screenshots/zh_CN/$$n.png docs/screenshots/zh_CN-$$n.png; done
	@echo "docs/screenshots: $(README_SHOTS) and zh_CN-: $(README_SHOTS_ZH)"

clean:
	rm -rf $(VENV) demo-output .pytest_cache build dist screenshots

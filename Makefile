# Quick start: `make demo` and `make test`. Both set up everything they need on a fresh Debian machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# qemu-img (disk tests), Go + govmomi sources (the vCenter simulator), Samba (SMB upload tests),
# CJK fonts (the Chinese UI renders in tests and screenshots).
APT_PACKAGES := qemu-utils golang-go golang-github-vmware-govmomi-dev samba fonts-noto-cjk
# What `make installer` needs on top: the Qt xcb plugin's libraries, an X server for the smoke test.
INSTALLER_APT_PACKAGES := desktop-file-utils xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
export QT_QPA_PLATFORM ?= offscreen

.PHONY: demo test lint bench installer screenshots setup system-deps apt-install clean

setup: system-deps $(STAMP)

# Install the Debian packages the tests use (qemu-img, the govmomi simulator's sources, Samba) when missing.
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
BENCHES := convert discover assess pipeline ui_stall inventory_filter
bench: setup
	@rc=0; for b in $(BENCHES); do echo "== bench/$$b.py"; $(PY) bench/$$b.py || rc=1; done; exit $$rc

# The Linux package (dist/hvmigrate-<version>-linux-x86_64.tar.gz), then its smoke test.
installer: setup
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(INSTALLER_APT_PACKAGES)"
	bash installer/build.sh
	bash installer/smoke_test.sh

# One PNG per wizard page, English and Chinese, from the demo source.
screenshots: setup
	$(PY) -m wizard gui --demo --screenshots screenshots/en
	$(PY) -m wizard gui --demo --lang zh_CN --screenshots screenshots/zh_CN

clean:
	rm -rf $(VENV) demo-output .pytest_cache build dist screenshots

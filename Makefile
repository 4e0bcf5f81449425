# Quick start: `make demo` and `make test`. Both set up everything they need on a fresh Debian machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PACKAGES := qemu-utils golang-go golang-github-vmware-govmomi-dev samba
export QT_QPA_PLATFORM ?= offscreen

.PHONY: demo test lint bench setup system-deps clean

setup: system-deps $(STAMP)

# Install the Debian packages the tests use (qemu-img, the govmomi simulator's sources, Samba) when missing.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
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
	$(VENV)/bin/ruff check wizard tests bench

demo: setup
	$(PY) -m wizard demo --output demo-output

bench: setup
	$(PY) bench/convert.py

clean:
	rm -rf $(VENV) demo-output .pytest_cache

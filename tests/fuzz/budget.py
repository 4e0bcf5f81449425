"""The fuzz targets' budget: examples per target. ``make test`` runs the fixed default (150 each, a few seconds
per target); ``HVM_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest -q tests/fuzz`` is the longer run the
README describes."""

from __future__ import annotations

import os

EXAMPLES = int(os.environ.get("HVM_FUZZ_EXAMPLES", "150"))

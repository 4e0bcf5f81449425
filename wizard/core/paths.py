"""Per-user folders: settings/config, state (journals, reports), cache (demo disks).

Each can be moved with an environment variable (portable use, tests): ``HVMIGRATE_CONFIG_DIR``,
``HVMIGRATE_STATE_DIR``, ``HVMIGRATE_CACHE_DIR``. Otherwise the platform's convention: ``%APPDATA%`` /
``%LOCALAPPDATA%`` on Windows, the XDG base directories elsewhere. Nothing here creates a folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _home(*parts: str) -> str:
    return os.path.join(os.path.expanduser("~"), *parts)


def config_dir() -> Path:
    """Templates, pinned certificates (``known_hosts.json``): small files the user may want to back up."""
    if os.environ.get("HVMIGRATE_CONFIG_DIR"):
        return Path(os.environ["HVMIGRATE_CONFIG_DIR"])
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "hvmigrate"
    return Path(os.environ.get("XDG_CONFIG_HOME") or _home(".config")) / "hvmigrate"


def state_dir() -> Path:
    """Journals and reports of migrations to a host (a bundle keeps its own)."""
    if os.environ.get("HVMIGRATE_STATE_DIR"):
        return Path(os.environ["HVMIGRATE_STATE_DIR"])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "hvmigrate"
    return Path(os.environ.get("XDG_STATE_HOME") or _home(".local", "state")) / "hvmigrate"


def cache_dir() -> Path:
    """Data that can be made again (the demo disks)."""
    if os.environ.get("HVMIGRATE_CACHE_DIR"):
        return Path(os.environ["HVMIGRATE_CACHE_DIR"])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "hvmigrate" / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or _home(".cache")) / "hvmigrate"

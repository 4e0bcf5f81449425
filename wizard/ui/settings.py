"""Persistent preferences (QSettings): window geometry, recent sources, last target, language.

Never a password: those live in the OS keyring (``wizard.core.secrets``). ``HVMIGRATE_SETTINGS_DIR``
redirects the settings to an INI file in that folder (tests, portable installs).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

ORGANIZATION = "hvmigrate"
APPLICATION = "hvmigrate"
MAX_RECENT = 8


def open_settings() -> QSettings:
    folder = os.environ.get("HVMIGRATE_SETTINGS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return QSettings(str(Path(folder) / "hvmigrate.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def _list(settings: QSettings, key: str) -> list[str]:
    value = settings.value(key, [])
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in (value or [])]


def recent_sources(settings: QSettings) -> list[str]:
    """Recent source texts, newest first (``vsphere://user@host:port``, paths, ``demo``)."""
    return _list(settings, "sources/recent")


def add_recent_source(settings: QSettings, text: str) -> None:
    items = [text] + [x for x in recent_sources(settings) if x != text]
    settings.setValue("sources/recent", items[:MAX_RECENT])


def language(settings: QSettings) -> str:
    """``"en"``, ``"zh_CN"`` or ``""`` (follow the system locale)."""
    return str(settings.value("ui/language", "") or "")

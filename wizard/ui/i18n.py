"""Translations: our catalog (resources/i18n/hvmigrate_<lang>.qm) plus Qt's own for standard dialogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from wizard.core.i18n import set_language

SUPPORTED = ("en", "zh_CN")


def resources_dir() -> Path:
    """The ``resources`` folder (checkout, install or frozen app: ``wizard.core.resources`` knows)."""
    try:
        from wizard.core.resources import resources_root

        return resources_root()
    except Exception:  # noqa: BLE001 - a missing data folder must not stop the window from opening
        return Path(__file__).resolve().parents[2] / "resources"


def pick_language(requested: str | None, saved: str = "") -> str:
    """``requested`` (``--lang``) wins, then the saved setting, then the system locale."""
    for lang in (requested, saved):
        if lang in SUPPORTED:
            return lang
    return "zh_CN" if QLocale.system().name().startswith("zh") else "en"


_installed: list[QTranslator] = []


def install(app: QCoreApplication, lang: str) -> bool:
    """Install the translators for ``lang``; False when our catalog is missing (English is shown)."""
    for tr in _installed:
        app.removeTranslator(tr)
    _installed.clear()
    QLocale.setDefault(QLocale(lang if lang != "en" else "en_US"))
    set_language(lang)  # the reports and messages made below the user interface follow it
    if lang == "en":
        return True
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    ours = QTranslator(app)
    if not ours.load(str(resources_dir() / "i18n" / f"hvmigrate_{lang}.qm")):
        return False
    app.installTranslator(ours)
    _installed.append(ours)
    return True


def current_language() -> str:
    """The user-interface language in use: ``"zh_CN"`` when the installed translation is Chinese, else ``"en"``
    (:func:`install` makes the chosen language Qt's default locale)."""
    return "zh_CN" if QLocale().name().startswith("zh") else "en"

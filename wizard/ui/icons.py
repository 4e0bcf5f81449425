"""Icons from resources/icons, with the style's standard icons as fallback."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from wizard.core.findings import Severity
from wizard.ui.i18n import resources_dir

_FALLBACK = {
    "status-ok": QStyle.StandardPixmap.SP_DialogApplyButton,
    "status-warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "status-blocker": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "status-info": QStyle.StandardPixmap.SP_MessageBoxInformation,
    "hvmigrate": QStyle.StandardPixmap.SP_ComputerIcon,
}


@cache
def icon(name: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    result = QIcon(str(path)) if path.is_file() else QIcon()
    if result.isNull() and name in _FALLBACK:
        result = QApplication.style().standardIcon(_FALLBACK[name])
    return result


def status_icon(severity: Severity | None) -> QIcon:
    """Traffic light: green (no findings), amber (warnings), red (blocked), blue (information only)."""
    if severity is None:
        return icon("status-ok")
    return icon({Severity.BLOCKER: "status-blocker", Severity.WARNING: "status-warning",
                 Severity.INFO: "status-info"}[severity])

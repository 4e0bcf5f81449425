"""Application start-up. For now a window that says what is coming; the wizard pages replace it."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from wizard import __version__


def run_gui(demo: bool = False, lang: str | None = None, screenshots: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle(f"hvmigrate {__version__}")
    label = QLabel(window.tr(
        "hvmigrate — VMware to Hyper-V migration wizard.\n\n"
        "The step-by-step wizard is coming. Meanwhile use the command line: hvmigrate --help"))
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setMargin(24)
    window.setCentralWidget(label)
    window.resize(640, 360)
    if screenshots:
        from pathlib import Path

        Path(screenshots).mkdir(parents=True, exist_ok=True)
        window.show()
        app.processEvents()
        window.grab().save(str(Path(screenshots) / "00-welcome.png"))
        return 0
    window.show()
    return app.exec()

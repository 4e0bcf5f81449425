"""Application start-up: QApplication, translations, style, crash handler, and the qasync event loop."""

from __future__ import annotations

import asyncio
import gc
import os
import sys

import qasync
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QWidget

from wizard.ui import i18n
from wizard.ui import settings as prefs
from wizard.ui.errors import install_excepthook
from wizard.ui.icons import icon


def make_app(lang: str | None = None) -> QApplication:
    """The QApplication with our names, icon, language and style sheet (idempotent for tests)."""
    QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName(prefs.ORGANIZATION)
    QCoreApplication.setApplicationName(prefs.APPLICATION)
    app.setWindowIcon(icon("hvmigrate"))
    chosen = i18n.pick_language(lang, prefs.language(prefs.open_settings()))
    i18n.install(app, chosen)
    qss = i18n.resources_dir() / "style" / "hvmigrate.qss"
    if qss.is_file():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    return app  # type: ignore[return-value]


def run_gui(demo: bool = False, lang: str | None = None, screenshots: str | None = None,
            size: tuple[int, int] | None = None) -> int:
    if screenshots:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # pictures need no screen
    app = make_app(lang)
    from wizard.ui.window import MigrationWizard  # after the translators are installed

    # an interrupted migration is offered for resuming at start (not while taking the demo's pictures)
    window = MigrationWizard(offer_resume=not screenshots)
    install_excepthook(lambda: window)
    if demo or screenshots:
        window.page(MigrationWizard.SOURCE).set_source_text("demo")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        if screenshots:
            from wizard.ui.screenshots import walk

            code = loop.run_until_complete(walk(window, screenshots, *([size] if size else [])))
        else:
            closed = asyncio.Event()
            window.finished.connect(lambda _result: closed.set())
            window.show()
            loop.run_until_complete(closed.wait())
            code = 0
        shutdown(app, window)
    return code


def shutdown(app: QApplication, window: QWidget) -> None:
    """Let workers finish and delete the window while Qt is alive (avoids crashes at interpreter exit)."""
    QThreadPool.globalInstance().waitForDone(5000)
    window.close()
    window.deleteLater()
    app.processEvents()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()

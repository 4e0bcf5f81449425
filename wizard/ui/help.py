"""Local help for each wizard page: ``resources/help/<page>.html`` (English) and
``resources/help/<lang>/<page>.html`` (other languages), shown in :class:`HelpDialog`.

The files are plain HTML that QTextBrowser renders: what the page is for, what each control does, and what
happens next. Nothing is fetched from the network. A page without a file in the user's language shows the
English one (better English help than none).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from wizard.ui.i18n import resources_dir


def help_path(page: str, lang: str) -> Path:
    """The help file of ``page`` (e.g. ``"inventory"``) in ``lang``, else the English one. The English file
    exists for every page (tests/ui/test_keyboard_steps.py checks it); a missing file shows a short notice."""
    folder = resources_dir() / "help"
    if lang != "en":
        translated = folder / lang / f"{page}.html"
        if translated.is_file():
            return translated
    return folder / f"{page}.html"


class HelpDialog(QDialog):
    """A non-modal window with one page's help; it stays open while the user works in the wizard, and
    :meth:`show_help` replaces its content when the user asks for another page's help."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("hvmigrate help"))
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(True)  # a link to a vendor's page opens in the browser
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("C&lose"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.path: Path | None = None
        self.resize(520, 480)

    def load(self, page: str, lang: str) -> Path:
        """Show the help of ``page`` in ``lang`` (see :func:`help_path`); returns the file shown."""
        path = help_path(page, lang)
        self.path = path
        if path.is_file():
            self.browser.setSearchPaths([str(path.parent)])
            self.browser.setSource(QUrl.fromLocalFile(str(path)))
        else:  # a damaged install: say so instead of showing an empty window
            self.browser.setPlainText(self.tr("The help for this page is missing (%1). Reinstall hvmigrate.")
                                      .replace("%1", str(path)))
        title = self.browser.documentTitle()
        self.setWindowTitle(self.tr("%1 — hvmigrate help").replace("%1", title) if title else self.tr("hvmigrate help"))
        return path

    def show_help(self, page: str, lang: str) -> Path:
        """:meth:`load`, then show the window and bring it to the front."""
        path = self.load(page, lang)
        self.show()
        self.raise_()
        self.activateWindow()
        return path

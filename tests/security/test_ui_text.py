"""Labels that show VM names or messages quoting them are plain text: Qt's AutoText would render a VM named
``<img src=...>`` or ``<a href=...>`` as markup."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QLabel  # noqa: E402

from tests.security.hostile import HOSTILE  # noqa: E402
from wizard.core.errors import TargetError  # noqa: E402

MARKUP = '<img src="file:///etc/passwd"><a href="https://example.invalid">click</a><b>bold</b>'


def test_error_dialog_shows_names_as_plain_text(qtbot):
    from wizard.ui.errors import ErrorDialog

    for name in (MARKUP, *HOSTILE[:6]):
        dialog = ErrorDialog(TargetError(f"VM {name!r} failed", fix=name))
        qtbot.addWidget(dialog)
        assert dialog.message_label.textFormat() == Qt.TextFormat.PlainText
        assert dialog.fix_label.textFormat() == Qt.TextFormat.PlainText
        assert name in dialog.fix_label.text()


def test_status_and_validation_labels_are_plain_text(qtbot, qapp):
    from wizard.ui import i18n
    from wizard.ui.pages.base import BusyBar
    from wizard.ui.window import MigrationWizard

    bar = BusyBar()
    qtbot.addWidget(bar)
    bar.stop(MARKUP)
    assert bar.label.textFormat() == Qt.TextFormat.PlainText and bar.label.text() == MARKUP
    i18n.install(qapp, "en")
    window = MigrationWizard()
    qtbot.addWidget(window)
    named = {label.objectName(): label for label in window.findChildren(QLabel) if label.objectName()}
    assert named["validation"].textFormat() == Qt.TextFormat.PlainText

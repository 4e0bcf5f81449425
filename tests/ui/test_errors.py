"""Failures show one dialog with message, fix and copyable details, never a traceback."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from wizard.core.errors import ConnectError
from wizard.ui.errors import ErrorDialog, show_error


def test_failed_source_shows_message_and_fix(qtbot, wizard_window, tmp_path):
    w = wizard_window
    missing = tmp_path / "nowhere" / "web01.vmx"
    page = w.currentPage()
    page.set_source_text(str(missing))
    w.next()
    qtbot.waitUntil(lambda: w.error_dialog is not None and w.error_dialog.isVisible(), timeout=30_000)
    d = w.error_dialog
    assert str(missing) in d.message_label.text()
    assert d.fix_label.text()
    assert "Traceback" not in d.message_label.text() + d.fix_label.text()
    assert w.currentId() == w.SOURCE
    assert str(missing) in page.status.label.text() or page.status.label.text()
    d.copy_button.click()
    assert str(missing) in QApplication.clipboard().text()


def test_unexpected_error_keeps_traceback_in_details_only(qtbot):
    try:
        raise KeyError("boom")
    except KeyError as exc:
        dialog = show_error(None, exc)
    qtbot.addWidget(dialog)
    assert "Traceback" not in dialog.message_label.text()
    assert "KeyError" in dialog.details.toPlainText()
    assert not dialog.details.isVisible()
    dialog.details_button.click()
    assert dialog.details.isVisible()


def test_typed_error_dialog(qtbot):
    d = ErrorDialog(ConnectError("vc01.example.com:443 refused the connection", details="ECONNREFUSED"))
    qtbot.addWidget(d)
    assert "vc01" in d.message_label.text()
    assert "firewall" in d.fix_label.text().lower()
    assert "ECONNREFUSED" in d.details.toPlainText()


def test_uncaught_worker_exception_reaches_the_dialog(qtbot, monkeypatch):
    import sys
    import threading

    from wizard.ui import errors

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(errors, "_bridge", None)
    errors.last_unexpected.clear()
    errors.install_excepthook()

    def boom() -> None:
        raise RuntimeError("worker blew up")

    t = threading.Thread(target=boom)
    t.start()
    t.join()
    qtbot.waitUntil(lambda: bool(errors.last_unexpected), timeout=10_000)
    assert isinstance(errors.last_unexpected[0], RuntimeError)
    dialogs = [w for w in qtbot_top_levels() if isinstance(w, errors.ErrorDialog) and w.isVisible()]
    assert dialogs and "RuntimeError" in dialogs[-1].details.toPlainText()
    for d in dialogs:
        d.close()


def qtbot_top_levels():
    return QApplication.topLevelWidgets()

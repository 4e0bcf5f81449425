"""One error dialog for the whole app, and the last-resort handler for unexpected exceptions.

Typed errors (:class:`HvmError`) show their message and fix, with the details folded away and
copyable. Anything else shows a generic message; its traceback goes to the log and to the folded
details only. Dialogs are opened non-blocking (``open()``), so worker signals keep flowing.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from wizard.core.errors import HvmError
from wizard.core.i18n import error_texts
from wizard.ui.i18n import current_language

log = logging.getLogger("wizard.ui")


def message_of(exc: BaseException) -> str:
    """The one-line message of an error for a status line (a typed error's own words, in the window's
    language)."""
    return error_texts(exc, current_language())[0] if isinstance(exc, HvmError) else str(exc)


def describe(exc: BaseException) -> tuple[str, str, str]:
    """(message, fix, details) for ``exc``; never a traceback in message or fix. A typed error's message and
    fix are in the window's language; its details stay as they were written (they go to support)."""
    if isinstance(exc, HvmError):
        details = exc.details or ""
        code = f"[{exc.code}]"
        message, fix = error_texts(exc, current_language())
        return message, fix, f"{code}\n{details}".strip()
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    message = QCoreApplication.translate("ErrorDialog", "Something unexpected went wrong.")
    fix = QCoreApplication.translate(
        "ErrorDialog", "Try again. If it happens again, copy the details and send them to your support contact.")
    return message, fix, tb


class ErrorDialog(QDialog):
    """Message, fix, and a folded, copyable details pane."""

    def __init__(self, exc: BaseException, parent: QWidget | None = None, title: str = "") -> None:
        super().__init__(parent)
        message, fix, details = describe(exc)
        self.setWindowTitle(title or self.tr("hvmigrate — problem"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48))
        self.message_label = QLabel(message)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)  # file and VM names are not markup
        self.message_label.setObjectName("errorMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.message_label.font()
        font.setBold(True)
        self.message_label.setFont(font)
        self.fix_label = QLabel(fix)
        self.fix_label.setTextFormat(Qt.TextFormat.PlainText)
        self.fix_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fix_label.setWordWrap(True)
        self.fix_label.setVisible(bool(fix))
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.details.setMinimumHeight(140)

        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        texts.addWidget(self.message_label)
        texts.addWidget(self.fix_label)
        texts.addStretch(1)  # message and fix stay together at the top however tall the dialog is
        top.addLayout(texts, 1)

        self.details_button = QPushButton(self.tr("Show &details"))
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._toggle_details)
        self.details_button.setEnabled(bool(details))
        self.copy_button = QPushButton(self.tr("&Copy details"))
        self.copy_button.clicked.connect(self.copy_details)
        self.copy_button.setEnabled(bool(details))
        for button in (self.details_button, self.copy_button):
            button.setAutoDefault(False)  # Enter closes the dialog whichever button has the focus
        close = QPushButton(self.tr("C&lose"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()  # the details buttons on the left, Close where Enter's default is expected
        buttons.addWidget(self.details_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)
        self.resize(560, self.sizeHint().height())

    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText(self.tr("Hide &details") if shown else self.tr("Show &details"))
        # keep the width the user sees (adjustSize would squeeze the text into a narrow column)
        self.layout().activate()
        self.resize(self.width(), self.sizeHint().height())

    def copy_details(self) -> None:
        text = "\n".join(x for x in (self.message_label.text(), self.fix_label.text(), self.details.toPlainText()) if x)
        QGuiApplication.clipboard().setText(text)


def ask_destructive(parent: QWidget, title: str, text: str, stop_text: str, keep_text: str,
                    on_stop: Callable[[], None], on_answer: Callable[[], None]) -> QMessageBox:
    """A non-blocking question whose safe answer (keep going) is the default; ``on_stop`` runs only for the
    destructive one, ``on_answer`` after either. Returns the open box (tests click its buttons)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    stop = box.addButton(stop_text, QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(keep_text, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)

    def answered() -> None:
        on_answer()
        if box.clickedButton() is stop:
            on_stop()

    box.finished.connect(answered)
    box.open()
    return box


def ask_resume(parent: QWidget, title: str, text: str, info: str, resume_text: str, other_text: str,
               later_text: str, on_answer: Callable[[str], None]) -> QMessageBox:
    """A non-blocking question about earlier, unfinished work: *resume* (the default), the *other* way (start
    over, discard: destructive) or *later* (Escape). ``on_answer`` gets ``"resume"``, ``"other"`` or ``""``.
    Returns the open box (tests click its buttons)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText(info)
    resume = box.addButton(resume_text, QMessageBox.ButtonRole.AcceptRole)
    other = box.addButton(other_text, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(later_text, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(resume)
    box.finished.connect(lambda _result: on_answer({resume: "resume", other: "other"}.get(box.clickedButton(), "")))
    box.open()
    return box


def show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> ErrorDialog:
    """Open the error dialog without blocking the event loop; returns it (tests read it)."""
    if not isinstance(exc, HvmError):
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    dialog = ErrorDialog(exc, parent, title)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:  # nothing else owns a top-level dialog: keep it alive until it is closed
        _open_dialogs.append(dialog)
        dialog.finished.connect(lambda _r: _open_dialogs.remove(dialog) if dialog in _open_dialogs else None)
    dialog.open()
    return dialog


_open_dialogs: list[ErrorDialog] = []


class _CrashBridge(QObject):
    """Carries exceptions from any thread to the GUI thread."""

    raised = Signal(object)


_bridge: _CrashBridge | None = None
last_unexpected: list[BaseException] = []


def install_excepthook(parent_getter=lambda: None) -> None:  # noqa: ANN001
    """Route uncaught exceptions (GUI thread and worker threads) to the log and the error dialog."""
    global _bridge
    if _bridge is not None:
        return
    _bridge = _CrashBridge()
    _bridge.raised.connect(lambda exc: (last_unexpected.append(exc), show_error(parent_getter(), exc)))

    def hook(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(etype, KeyboardInterrupt):
            sys.__excepthook__(etype, value, tb)
            return
        if value.__traceback__ is None and tb is not None:
            value = value.with_traceback(tb)
        log.error("uncaught exception", exc_info=(etype, value, tb))
        if _bridge is not None:
            _bridge.raised.emit(value)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook

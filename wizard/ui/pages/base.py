"""What every page shares: access to the wizard window (:class:`WizardHost`: what a page may ask of it) and
its state, and running background jobs with a busy indicator and the common error dialog."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QWidget,
    QWizardPage,
)

from wizard.app.migration import Migration
from wizard.app.sources import Source
from wizard.core.progress import ProgressEvent
from wizard.ui.errors import message_of, show_error
from wizard.ui.jobs import Job, JobFn, run_job
from wizard.ui.state import WizardState


class WizardHost(Protocol):
    """What a page may ask of the wizard window (``wizard.ui.window.MigrationWizard``), so pages need not
    import the window that holds them."""

    TEMPLATE: int
    settings: QSettings
    state: WizardState
    error_dialog: QDialog | None

    def next(self) -> None: ...

    def page(self, page_id: int) -> QWizardPage: ...

    def migration_stopped(self) -> None: ...

    def offer_resume(self) -> QMessageBox | None: ...

    def prepare_migration(self, existing: str) -> Migration: ...


class _EnterActivates(QObject):
    """Enter/Return on a view's current row does the view's action only: by default the view also lets the
    key through to the wizard, whose default button then leaves the page as well."""

    def __init__(self, view: QAbstractItemView, acts: Callable[[QModelIndex], bool]) -> None:
        super().__init__(view)
        self._acts = acts

    def eventFilter(self, view: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # type: ignore[attr-defined]
            index = view.currentIndex()  # type: ignore[attr-defined]
            if index.isValid() and self._acts(index):
                view.activated.emit(index)  # type: ignore[attr-defined]
                return True
        return False


def enter_activates(view: QAbstractItemView, acts: Callable[[QModelIndex], bool] = lambda _index: True) -> None:
    """Make Enter on ``view`` act on its current row (``activated``) instead of pressing the wizard's Next,
    for the rows where ``acts`` says the action does something (elsewhere Enter stays Next)."""
    view.installEventFilter(_EnterActivates(view, acts))


class _ScrollToFocused(QObject):
    """A cell widget that gets the focus (Tab) scrolls its cell into view: a table does not do that itself."""

    def __init__(self, view: QAbstractItemView, cells: dict[QWidget, QPersistentModelIndex]) -> None:
        super().__init__(view)
        self._view = view
        self._cells = cells

    def eventFilter(self, widget: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusIn:
            index = self._cells.get(widget)  # type: ignore[call-overload]
            if index is not None and index.isValid():
                self._view.scrollTo(QModelIndex(index))
        return False


def tab_through_cells(view: QAbstractItemView, after: Sequence[QWidget] = ()) -> None:
    """Tab order for a table whose cells hold widgets (``setCellWidget``/``setIndexWidget``), in the order
    they are drawn: the table itself (arrows move inside it), its cell widgets row by row, then ``after`` (the
    controls below the table). Tab leaves the table instead of moving from cell to cell. Call it again after
    the cell widgets are replaced (a new widget joins the end of the window's tab order otherwise)."""
    view.setTabKeyNavigation(False)
    model = view.model()
    cells: dict[QWidget, QPersistentModelIndex] = {}
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            widget = view.indexWidget(index)
            if widget is not None:
                cells[widget] = QPersistentModelIndex(index)
    chain = [view, *cells, *after]
    for before, following in zip(chain, chain[1:], strict=False):
        QWidget.setTabOrder(before, following)
    follower = _ScrollToFocused(view, cells)
    for widget in cells:
        widget.installEventFilter(follower)


class BusyBar(QWidget):
    """An indeterminate bar and a status text; the bar shows only while work runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.bar.setVisible(False)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # statuses quote paths, hosts and error messages
        self.label.setWordWrap(True)
        self.label.setObjectName("status")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.label, 1)

    def start(self, text: str) -> None:
        self.bar.setVisible(True)
        self.label.setText(text)

    def stop(self, text: str = "") -> None:
        self.bar.setVisible(False)
        self.label.setText(text)


class Page(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job: Job | None = None
        self.last_error: BaseException | None = None

    @property
    def wiz(self) -> WizardHost:
        return self.wizard()  # type: ignore[return-value]

    @property
    def state(self) -> WizardState:
        return self.wiz.state

    @property
    def busy(self) -> bool:
        return self.job is not None

    def list_separator(self) -> str:
        """Between names in a sentence: ", " in English, "、" in Chinese."""
        return self.tr(", ", "separator between names in a list")

    def source_name(self, source: Source | None, text: str) -> str:
        """The source as this page names it: the demo in the user's language, others as they describe
        themselves (a host or a path reads the same in every language)."""
        if text == "demo":
            return self.tr("built-in demo")
        return source.describe() if source is not None else text

    def ready(self) -> bool:
        """True when no background work runs and the page may be left (the screenshot walker waits on it)."""
        return not self.busy and self.isComplete()

    def run(self, fn: JobFn, on_success: Callable[[Any], None], *, busy: BusyBar | None = None, text: str = "",
            on_failure: Callable[[BaseException], None] | None = None,
            on_progress: Callable[[ProgressEvent], None] | None = None) -> Job:
        """Run ``fn`` in the background; failures open the error dialog unless ``on_failure`` handles them."""
        if self.job is not None:
            self.job.cancel()
        if busy is not None:
            busy.start(text)

        def over() -> bool:
            """True (once) when ``job`` is this page's current job: its work is over. Decided on the result
            signal, not on ``finished``, which the worker emits a moment later: an answer given in between
            (e.g. Trust on the certificate prompt that a failure opened) must find the page idle."""
            if self.job is not job:
                return False
            self.job = None
            self.completeChanged.emit()
            return True

        def finished() -> None:  # after a cancel (no result signal); a no-op after success or failure
            if over() and busy is not None and busy.bar.isVisible():
                busy.stop(busy.label.text())

        def failed(exc: BaseException) -> None:
            if not over():
                return
            self.last_error = exc
            if busy is not None:
                busy.stop(self.tr("Failed: %1").replace("%1", message_of(exc)))
            if on_failure is None or not on_failure(exc):
                self.wiz.error_dialog = show_error(self, exc)

        def succeeded(result: Any) -> None:
            if over():
                if busy is not None:
                    busy.stop()
                on_success(result)

        job = Job(fn, self)
        job.succeeded.connect(succeeded)
        job.failed.connect(failed)
        job.cancelled.connect(lambda: busy.stop(self.tr("Cancelled.")) if busy is not None else None)
        if on_progress is not None:
            job.progress.connect(on_progress)
        job.finished.connect(finished)
        self.job = job
        self.completeChanged.emit()
        job.start()
        return job

    def cleanupPage(self) -> None:  # noqa: N802 - going Back cancels this page's work
        if self.job is not None:
            self.job.cancel()
            self.job = None
        super().cleanupPage()


__all__ = ["BusyBar", "Page", "enter_activates", "run_job", "tab_through_cells"]

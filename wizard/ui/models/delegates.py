"""Item delegates: a progress bar drawn by the current style (follows light/dark palettes); column widths that
fit their texts."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
)

from wizard.ui.models.progress import FRACTION_ROLE


class ProgressBarDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        fraction = index.data(FRACTION_ROLE) or 0.0
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 3, -2, -3)
        bar.minimum, bar.maximum = 0, 1000
        bar.progress = int(fraction * 1000)
        bar.text = QLocale().toString(round(fraction * 100)) + "%"
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)


def fit_column(table: QTableView, col: int, samples: list[str]) -> None:
    """Make column ``col`` wide enough for the longest of ``samples`` and its header, in the table's font, with
    room to spare (no text of a progress table is elided or wrapped)."""
    metrics = table.fontMetrics()
    texts = [*samples, str(table.model().headerData(col, Qt.Orientation.Horizontal))]
    table.horizontalHeader().resizeSection(col, max(metrics.horizontalAdvance(t) for t in texts)
                                           + 3 * metrics.averageCharWidth())

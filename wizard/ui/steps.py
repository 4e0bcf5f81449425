"""The list of the wizard's steps beside every page: where the user is, what is behind and what is ahead.

:class:`StepPanel` is the window's side widget (``QWizard.setSideWidget``). It shows one row per step: the
current one highlighted, the earlier ones ticked, the later ones numbered and dimmed. It takes no focus and
has no actions (the wizard is linear: *Back* and *Next* move between steps), so it changes neither the tab
order nor what a keyboard user can reach; its accessible description names the current step.

The panel asks for the width of its longest name but never makes the window wider: the window lets it shrink
(``MigrationWizard``), and it draws what fits in the width it gets: the names, else only the ticks and
numbers (the names are in the tooltips), else nothing. It paints itself, so the rows keep their colours in
the label QWizard puts a side widget in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

DONE, CURRENT, TODO = "done", "current", "todo"
TICK = "\u2713"  # ✓
PAD_X, PAD_Y, GAP, SPACING = 8, 5, 8, 2  # px: around a row's text, marker to name, between rows


@dataclass
class StepRow:
    """One step as drawn: ``state`` is DONE, CURRENT or TODO."""

    number: int
    name: str
    state: str = TODO

    def marker(self) -> str:
        """What the marker column shows: a tick once the step is done, else the step's number."""
        return TICK if self.state == DONE else str(self.number)


class StepPanel(QWidget):
    """The steps in order; :meth:`show_step` marks one as current and those before it as done."""

    def __init__(self, names: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("steps")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.rows = [StepRow(i + 1, name) for i, name in enumerate(names)]
        self.current = -1
        self.setAccessibleName(self.tr("Steps"))

    # -- state ---------------------------------------------------------------------------------------

    def show_step(self, index: int) -> None:
        """Highlight step ``index`` (0-based); the steps before it are done, the rest not yet. The wizard is
        linear, so a step before the current one has been answered (or belongs to a resumed migration)."""
        self.current = index
        for i, row in enumerate(self.rows):
            row.state = DONE if i < index else CURRENT if i == index else TODO
        if 0 <= index < len(self.rows):
            self.setAccessibleDescription(self.spoken(self.rows[index]))
        self.update()

    def spoken(self, row: StepRow) -> str:
        """The row in words, for screen readers and the tooltip: "Step 3: Compatibility, current step"."""
        states = {DONE: self.tr("done"), CURRENT: self.tr("current step"), TODO: self.tr("not yet")}
        return (self.tr("Step %1: %2, %3").replace("%1", str(row.number)).replace("%2", row.name)
                .replace("%3", states[row.state]))

    def state(self, index: int) -> str:
        return self.rows[index].state

    # -- size: what it asks for, what it draws in what it gets -----------------------------------------

    def _bold(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def _marker_width(self) -> int:
        metrics = QFontMetrics(self._bold())
        return max(metrics.horizontalAdvance("99"), metrics.horizontalAdvance(TICK))

    def _row_height(self) -> int:
        return QFontMetrics(self._bold()).height() + 2 * PAD_Y

    def full_width(self) -> int:
        """The width with the names (in bold, as the current step is drawn)."""
        metrics = QFontMetrics(self._bold())
        name = max((metrics.horizontalAdvance(row.name) for row in self.rows), default=0)
        return PAD_X + self._marker_width() + GAP + name + PAD_X

    def compact_width(self) -> int:
        """The width with only the ticks and numbers."""
        return self._marker_width() + 2 * PAD_X

    @property
    def compact(self) -> bool:
        """True when the panel is too narrow for the names and draws only the ticks and numbers (or nothing)."""
        return self.width() < self.full_width()

    @property
    def drawn(self) -> bool:
        """False when the panel is too narrow even for the numbers and draws nothing."""
        return self.isVisible() and self.width() >= self.compact_width()

    def sizeHint(self) -> QSize:  # noqa: N802
        count = len(self.rows)
        return QSize(self.full_width(), count * self._row_height() + max(count - 1, 0) * SPACING)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()  # what it asks for; the window decides how much of it the panel gets

    def _row_rect(self, index: int) -> QRect:
        height = self._row_height()
        width = self.full_width() if not self.compact else self.compact_width()
        return QRect(0, index * (height + SPACING), min(width, self.width()), height)

    # -- drawing -------------------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        if not self.drawn:
            return
        palette = self.palette()  # colours from the system palette: light and dark themes both read well
        text, back = palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window)
        dimmed = QColor((text.red() + back.red()) // 2, (text.green() + back.green()) // 2,
                        (text.blue() + back.blue()) // 2)  # opaque: not every style blends alpha
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        compact = self.compact
        for i, row in enumerate(self.rows):
            rect = self._row_rect(i)
            painter.setFont(self.font())
            colour = dimmed if row.state == TODO else text
            if row.state == CURRENT:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
                painter.drawRoundedRect(rect, 3, 3)
                painter.setFont(self._bold())
                colour = palette.color(QPalette.ColorRole.HighlightedText)
            painter.setPen(colour)
            marker = QRect(rect.left() + PAD_X, rect.top(), self._marker_width(), rect.height())
            painter.drawText(marker, Qt.AlignmentFlag.AlignCenter, row.marker())
            if not compact:
                name = QRect(marker.right() + 1 + GAP, rect.top(), rect.right() - marker.right() - GAP, rect.height())
                painter.drawText(name, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, row.name)
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):  # the name under the pointer
            for i, row in enumerate(self.rows):
                if self.drawn and self._row_rect(i).contains(event.pos()):
                    QToolTip.showText(event.globalPos(), self.spoken(row), self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)

"""The two plots of the agreement dashboard, drawn with QPainter: pair heatmap and label bars.

Both draw a finished set of values (nothing is computed here) and print every number, so
neither depends on colour alone. The heatmap uses the HTML report's scale (red 0, yellow
0.5, green 1; grey when undefined) with black or white digits, whichever contrasts more with
the cell; axes, grid and bars take their colours from the widget's palette (light and dark).

Signals (HeatmapWidget):
    pair_clicked(str, str): the user clicked the cell of a pair (a, b), a < b.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from annotator.ui.review.agreement_models import DASH, number, pair_name

Cell = tuple[float | None, str]  # value, and the tooltip (why it is undefined, or details)
UNDEFINED = QColor("#9aa0a6")
STOPS = ((0.0, (215, 48, 39)), (0.5, (254, 224, 139)), (1.0, (26, 152, 80)))


def scale_colour(value: float | None) -> QColor:
    """Red (0) through yellow (0.5) to green (1), as the HTML report; grey when undefined."""
    if value is None:
        return QColor(UNDEFINED)
    v = min(max(value, 0.0), 1.0)
    for (x0, c0), (x1, c1) in pairwise(STOPS):
        if v <= x1:
            t = (v - x0) / (x1 - x0)
            r, g, b = (round(a + (z - a) * t) for a, z in zip(c0, c1, strict=True))
            return QColor(r, g, b)
    return QColor(*STOPS[-1][1])


def ink_on(background: QColor) -> QColor:
    """Black or white: whichever reads better on ``background`` (WCAG relative luminance)."""

    def channel(c: int) -> float:
        x = c / 255
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

    lum = (
        0.2126 * channel(background.red())
        + 0.7152 * channel(background.green())
        + 0.0722 * channel(background.blue())
    )
    # contrast with black is (L + 0.05) / 0.05, with white 1.05 / (L + 0.05)
    return QColor("#000000") if (lum + 0.05) ** 2 > 0.0525 else QColor("#ffffff")


class HeatmapWidget(QWidget):
    """Annotators x annotators; each off-diagonal cell is one pair's value, coloured and printed.

    ``value(a, b)`` and ``cell_text(a, b)`` read what a cell shows.
    """

    pair_clicked = Signal(str, str)
    CELL, MIN_CELL, PAD = 58, 34, 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names: list[str] = []
        self.cells: dict[tuple[str, str], Cell] = {}
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Minimum)

    def set_values(self, names: list[str], cells: dict[tuple[str, str], Cell]) -> None:
        """Show ``cells[(a, b)]`` (a < b) for the annotators ``names``."""
        self.names = list(names)
        self.cells = dict(cells)
        self.updateGeometry()
        self.update()

    def value(self, a: str, b: str) -> float | None:
        """The value of the pair's cell (either order)."""
        return self.cells[(a, b) if a <= b else (b, a)][0]

    def cell_text(self, a: str, b: str) -> str:
        """The number printed in the pair's cell ("—" when undefined)."""
        return number(self.value(a, b), 2)

    # -- geometry ----------------------------------------------------------------------------

    def _cell(self) -> int:
        return max(self.MIN_CELL, self.CELL - 4 * max(0, len(self.names) - 6))

    def _margin(self) -> int:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(n) for n in self.names), default=0)
        return min(widest + 4, 160) + 2 * self.PAD  # + 4: rounding of text widths

    def _top(self) -> int:
        return self.fontMetrics().height() + 2 * self.PAD

    def sizeHint(self) -> QSize:
        n, cell = len(self.names), self._cell()
        return QSize(self._margin() + n * cell + self.PAD, self._top() + n * cell + self.PAD)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _rect(self, i: int, j: int) -> QRect:
        cell = self._cell()
        return QRect(self._margin() + j * cell, self._top() + i * cell, cell - 2, cell - 2)

    def pair_at(self, pos: QPoint) -> tuple[str, str] | None:
        """The pair whose cell is under ``pos`` (None: the diagonal or outside)."""
        for i, a in enumerate(self.names):
            for j, b in enumerate(self.names):
                if i != j and self._rect(i, j).contains(pos):
                    return (a, b) if a < b else (b, a)
        return None

    # -- drawing -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        metrics = self.fontMetrics()
        margin, top, cell = self._margin(), self._top(), self._cell()
        for k, name in enumerate(self.names):
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, margin - 2 * self.PAD)
            painter.setPen(text)
            painter.drawText(
                QRect(0, top + k * cell, margin - self.PAD, cell - 2),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                shown,
            )
            above = metrics.elidedText(name, Qt.TextElideMode.ElideRight, cell - 2)
            painter.drawText(
                QRect(margin + k * cell, 0, cell - 2, top - 2),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                above,
            )
        for i, a in enumerate(self.names):
            for j, b in enumerate(self.names):
                rect = self._rect(i, j)
                if i == j:
                    painter.setPen(pal.color(QPalette.ColorRole.Mid))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRect(rect.adjusted(0, 0, -1, -1))
                    continue
                value = self.value(a, b)
                fill = scale_colour(value)
                painter.fillRect(rect, fill)
                painter.setPen(ink_on(fill))
                painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), self.cell_text(a, b))
        painter.end()

    # -- interaction -------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            pos = event.pos()
            pair = self.pair_at(pos)
            if pair is None:
                QToolTip.hideText()
            else:
                value, tip = self.cells[pair]
                head = f"{pair_name(*pair)}: {number(value)}"
                QToolTip.showText(
                    event.globalPos(),
                    f"{head}\n{tip}" if tip else head,
                    self,
                )
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pair = self.pair_at(event.position().toPoint())
        if pair is not None and event.button() == Qt.MouseButton.LeftButton:
            self.pair_clicked.emit(*pair)
            return
        super().mousePressEvent(event)


class LabelBars(QWidget):
    """Two bars per label, strict (solid) and type (hatched) F1, each with its number printed.

    ``values()`` reads what is drawn: ``{label: (strict, type)}``.
    """

    ROW, BAR, WIDTH, PAD, GAP = 38, 13, 260, 8, 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, Cell, Cell]] = []
        self.names = ("strict", "type")
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Minimum)

    def set_values(self, rows: list[tuple[str, Cell, Cell]], names: tuple[str, str]) -> None:
        """Show ``(label, (strict, why), (type, why))`` rows; ``names`` label the two bars."""
        self.rows = list(rows)
        self.names = names
        self.updateGeometry()
        self.update()

    def values(self) -> dict[str, tuple[float | None, float | None]]:
        """The drawn values by label."""
        return {label: (s[0], t[0]) for label, s, t in self.rows}

    def _left(self) -> int:
        metrics = self.fontMetrics()
        return max((metrics.horizontalAdvance(r[0]) for r in self.rows), default=0) + 2 * self.PAD

    def _text_width(self) -> int:
        metrics = self.fontMetrics()
        longest = max(self.names, key=len)
        return metrics.horizontalAdvance(f"{longest} 0.00 ") + 2 * self.PAD

    def sizeHint(self) -> QSize:
        return QSize(
            self._left() + self.WIDTH + self.GAP + self._text_width(),
            self.ROW * len(self.rows) + self.PAD,
        )

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def tooltip_at(self, pos: QPoint) -> str:
        """The label, both values and why one is undefined, for the row under ``pos``."""
        k = (pos.y() - self.PAD // 2) // self.ROW
        if not 0 <= k < len(self.rows):
            return ""
        label, strict, kind = self.rows[k]
        lines = [label]
        for name, (value, why) in zip(self.names, (strict, kind), strict=True):
            lines.append(f"{name} F1: {number(value)}" + (f" ({why})" if why else ""))
        return "\n".join(lines)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        bar = pal.color(QPalette.ColorRole.Highlight)
        left = self._left()
        # the grid first: bars and numbers are drawn over it, and the numbers sit beside it
        painter.setPen(pal.color(QPalette.ColorRole.Mid))
        bottom = self.PAD // 2 + len(self.rows) * self.ROW
        for x in self.grid_x():
            painter.drawLine(x, 0, x, bottom)
        for k, (label, strict, kind) in enumerate(self.rows):
            y = self.PAD // 2 + k * self.ROW
            painter.setPen(text)
            painter.drawText(
                QRect(0, y, left - self.PAD, 2 * self.BAR + 2),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                label,
            )
            for n, (value, _why) in enumerate((strict, kind)):
                top = y + n * (self.BAR + 2)
                width = 0 if value is None else round(max(value, 0.0) * self.WIDTH)
                rect = QRect(left, top, width, self.BAR)
                if width:
                    if n == 0:
                        painter.fillRect(rect, bar)
                    else:
                        painter.fillRect(rect, QColor(bar.red(), bar.green(), bar.blue(), 70))
                        painter.fillRect(rect, QBrush(bar, Qt.BrushStyle.BDiagPattern))
                painter.setPen(text)
                caption = f"{self.names[n]} {number(value, 2) if value is not None else DASH}"
                painter.drawText(
                    self.caption_rect(k, n),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                    caption,
                )
        painter.end()

    def grid_x(self) -> tuple[int, int]:
        """Where the 0 and 1.0 grid lines are drawn."""
        left = self._left()
        return left, left + self.WIDTH

    def caption_rect(self, k: int, n: int) -> QRect:
        """Where the number of row ``k``'s bar ``n`` is printed: in a column right of the 1.0
        grid line, so no line or bar runs through it whatever the value."""
        top = self.PAD // 2 + k * self.ROW + n * (self.BAR + 2)
        return QRect(
            self._left() + self.WIDTH + self.GAP, top - 2, self._text_width(), self.BAR + 4
        )

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            tip = self.tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

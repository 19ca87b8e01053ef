"""The label palette: each label's key, colour, underline pattern and live count.

The row icon shows the colour swatch over the label's underline pattern, so the palette is
also the legend for reading labels without colour.

Signals (LabelPalette):
    label_selected(str): the user picked a label (its guideline is shown).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QLineF,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from annotator.core.contrast import swatch_ring
from annotator.core.model import Label
from annotator.ui.widgets.item_models import read_only_flags
from annotator.ui.widgets.text_view import pattern_of

NAME_ROLE = Qt.ItemDataRole.UserRole + 1
KEY, NAME, COUNT = range(3)
Index = QModelIndex | QPersistentModelIndex


def label_icon(color: str, index: int) -> QIcon:
    """The label's swatch above its underline pattern (as drawn under spans), ringed so that
    it stands out on the row's background: the text's background, or the highlight of a
    selected row (the application's palette, so make it again when the theme changes)."""
    pal = QGuiApplication.palette()
    base = pal.color(QPalette.ColorRole.Base).name()
    highlight = pal.color(QPalette.ColorRole.Highlight).name()
    on_highlight = pal.color(QPalette.ColorRole.HighlightedText).name()
    icon = QIcon()
    icon.addPixmap(_swatch(color, index, swatch_ring(color, base), color), QIcon.Mode.Normal)
    ring = swatch_ring(color, highlight, on_highlight)
    icon.addPixmap(_swatch(color, index, ring, ring), QIcon.Mode.Selected)
    return icon


def _swatch(color: str, index: int, ring: str, line: str) -> QPixmap:
    pixmap = QPixmap(64, 64)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(ring), 1.5))
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(QRectF(4, 3, 24, 16), 3, 3)
    name, dashes = pattern_of(index)
    pen = QPen(QColor(line), 2.5 if name != "double" else 1.3)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    if dashes:
        pen.setDashPattern(list(dashes))
    painter.setPen(pen)
    painter.drawLine(QLineF(4, 26, 28, 26))
    if name == "double":
        painter.drawLine(QLineF(4, 23, 28, 23))
    painter.end()
    return pixmap


class LabelModel(QAbstractTableModel):
    """Rows: the project's labels. Columns: key, label (icon + name), count."""

    def __init__(
        self,
        labels: Sequence[Label],
        key_of: Callable[[str], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.labels = tuple(labels)
        self.key_of = key_of
        self.counts: Counter[str] = Counter()
        self._icons = [label_icon(label.color, i) for i, label in enumerate(self.labels)]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.labels)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.labels):
            return None
        label = self.labels[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == KEY:
                return self.key_of(label.name)
            if column == NAME:
                return label.name
            return str(self.counts[label.name])
        if role == Qt.ItemDataRole.DecorationRole and column == NAME:
            return self._icons[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return label.description or label.name
        if role == Qt.ItemDataRole.TextAlignmentRole and column != NAME:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == NAME_ROLE:
            return label.name
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return read_only_flags(index)

    def theme_changed(self) -> None:
        """The palette changed: swatches ringed for the new one."""
        self._icons = [label_icon(label.color, i) for i, label in enumerate(self.labels)]
        if self.labels:
            self.dataChanged.emit(
                self.index(0, NAME),
                self.index(len(self.labels) - 1, NAME),
                [Qt.ItemDataRole.DecorationRole],
            )

    def set_counts(self, counts: Counter[str]) -> None:
        """Spans per label in the open document."""
        if counts == self.counts:
            return
        self.counts = Counter(counts)
        if self.labels:
            self.dataChanged.emit(
                self.index(0, COUNT),
                self.index(len(self.labels) - 1, COUNT),
                [Qt.ItemDataRole.DisplayRole],
            )

    def keys_changed(self) -> None:
        """The shortcuts were rebound."""
        if self.labels:
            self.dataChanged.emit(
                self.index(0, KEY),
                self.index(len(self.labels) - 1, KEY),
                [Qt.ItemDataRole.DisplayRole],
            )

    def row_of(self, name: str) -> int:
        """The row of label ``name`` (-1 if unknown)."""
        for row, label in enumerate(self.labels):
            if label.name == name:
                return row
        return -1


class LabelPalette(QTableView):
    """The palette view; see the module docstring."""

    label_selected = Signal(str)

    def __init__(self, model: LabelModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("label_palette")
        self.setModel(model)
        self.label_model = model
        self.setShowGrid(False)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        header = self.horizontalHeader()
        header.setSectionResizeMode(KEY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COUNT, QHeaderView.ResizeMode.ResizeToContents)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.selectionModel().currentRowChanged.connect(self._row_changed)

    def _rows_height(self) -> int:
        """The height that shows every label row, frame included."""
        rows = self.label_model.rowCount()
        return self.verticalHeader().defaultSectionSize() * rows + 2 * self.frameWidth() + 2

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self._rows_height())

    def minimumSizeHint(self) -> QSize:
        # every label stays in sight, however the panes are arranged (up to 12 labels; a
        # longer list scrolls)
        rows = min(self.label_model.rowCount(), 12)
        height = self.verticalHeader().defaultSectionSize() * rows + 2 * self.frameWidth() + 2
        return QSize(super().minimumSizeHint().width(), height)

    def set_current(self, name: str) -> None:
        """Highlight label ``name`` (a label key was pressed)."""
        row = self.label_model.row_of(name)
        if row >= 0 and row != self.currentIndex().row():
            self.selectionModel().setCurrentIndex(
                self.label_model.index(row, NAME),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        name = current.siblingAtColumn(NAME).data(NAME_ROLE) if current.isValid() else None
        if isinstance(name, str):
            self.label_selected.emit(name)

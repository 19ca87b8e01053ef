"""The open document's spans as a list (label, text, position); a click jumps to the span.

The model follows edits by the smallest row change: spans are kept sorted, so an edit changes
one contiguous run of rows between an unchanged head and tail; only that run is removed and
inserted (no reset, so the view keeps its scroll position and selection).

Signals (SpanList):
    span_activated(object): the user picked a span (a Span).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget

from annotator.core.model import Span
from annotator.core.span_ops import changed_run, find_span
from annotator.ui.widgets.item_models import read_only_flags
from annotator.ui.widgets.list_view import FlatList

SPAN_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class SpanListModel(QAbstractListModel):
    """One row per span of the open document, in text order."""

    def __init__(
        self, icon_of: Callable[[str], QIcon | None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.spans: tuple[Span, ...] = ()
        self.icon_of = icon_of

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spans)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.spans):
            return None
        span = self.spans[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{span.label}  {' '.join(span.text.split())}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self.icon_of(span.label)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{span.label} [{span.start}, {span.end})\n{span.text}"
        if role == SPAN_ROLE:
            return span
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return read_only_flags(index)

    def set_spans(self, spans: tuple[Span, ...]) -> None:
        """Show ``spans`` (a new document: the list is reset)."""
        self.beginResetModel()
        self.spans = spans
        self.endResetModel()

    def update(self, spans: tuple[Span, ...]) -> None:
        """Change to ``spans`` by removing and inserting only the rows that differ."""
        old = self.spans
        head, tail = changed_run(old, spans)
        removed = len(old) - head - tail
        added = len(spans) - head - tail
        if removed:
            self.beginRemoveRows(QModelIndex(), head, head + removed - 1)
            self.spans = old[:head] + old[len(old) - tail :]
            self.endRemoveRows()
        if added:
            self.beginInsertRows(QModelIndex(), head, head + added - 1)
            self.spans = spans
            self.endInsertRows()
        self.spans = spans

    def row_of(self, span: Span) -> int:
        """The row of ``span``, -1 if it is not listed."""
        return find_span(self.spans, span)


class SpanList(FlatList):
    """The list view; see the module docstring."""

    span_activated = Signal(object)

    def __init__(self, model: SpanListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("span_list")
        self.setModel(model)
        self.span_model = model
        self.clicked.connect(self._picked)
        self.activated.connect(self._picked)

    def show_selected(self, span: Span | None) -> None:
        """Highlight the row of the span selected in the text."""
        row = self.span_model.row_of(span) if span is not None else -1
        selection = self.selectionModel()
        if row < 0:
            selection.clear()
            return
        index = self.span_model.index(row, 0)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)

    def _picked(self, index: QModelIndex) -> None:
        span = index.data(SPAN_ROLE)
        if isinstance(span, Span):
            self.span_activated.emit(span)

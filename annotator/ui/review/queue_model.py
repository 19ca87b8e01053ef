"""The adjudication queue: compared documents, most disputed first, and whether each is done.

A thin table model over the report's ``queue()`` (lowest per-document strict F1 first). Rows
are computed on demand, so a queue of 10,000 documents costs only the rows on screen. The
adjudicated column asks a function (gold's status) each time it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from annotator.core.agreement import DocumentReport
from annotator.ui.widgets.item_models import read_only_flags
from annotator.ui.window.i18n import QT_TRANSLATE_NOOP

DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The document id of a row (any column)."""
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2
"""The raw value of a cell: the F1 as a float or None, adjudicated as a bool."""

COLUMNS = ("document", "f1", "annotators", "adjudicated")
HEADERS = {
    "document": QT_TRANSLATE_NOOP("AdjudicationQueue", "Document"),
    "f1": QT_TRANSLATE_NOOP("AdjudicationQueue", "Strict F1"),
    "annotators": QT_TRANSLATE_NOOP("AdjudicationQueue", "Annotators"),
    "adjudicated": QT_TRANSLATE_NOOP("AdjudicationQueue", "Adjudicated"),
}
YES_NO = (
    QT_TRANSLATE_NOOP("AdjudicationQueue", "no"),
    QT_TRANSLATE_NOOP("AdjudicationQueue", "yes"),
)

Index = QModelIndex | QPersistentModelIndex


def format_f1(value: float | None) -> str:
    """An F1 as shown in the queue (two decimals; undefined is "n/a")."""
    if value is None:
        return QCoreApplication.translate("AdjudicationQueue", "n/a")
    return f"{value:.2f}"


class QueueModel(QAbstractTableModel):
    """Rows: the documents of ``report.queue()``; see the module docstring."""

    def __init__(self, adjudicated: Callable[[str], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.adjudicated = adjudicated
        self.rows: list[DocumentReport] = []
        self._row_of: dict[str, int] = {}

    def set_rows(self, rows: Sequence[DocumentReport]) -> None:
        """Show a new queue (its order may be entirely different, so the model resets)."""
        self.beginResetModel()
        self.rows = list(rows)
        self._row_of = {d.id: i for i, d in enumerate(self.rows)}
        self.endResetModel()

    def row_of(self, doc_id: str) -> int:
        """The row of ``doc_id``, -1 if it is not in the queue."""
        return self._row_of.get(doc_id, -1)

    def doc_id(self, row: int) -> str | None:
        """The document id of ``row``, None out of range."""
        return self.rows[row].id if 0 <= row < len(self.rows) else None

    def status_changed(self, doc_id: str) -> None:
        """Gold's status of ``doc_id`` changed: repaint its row."""
        row = self.row_of(doc_id)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # -- QAbstractTableModel -------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return QCoreApplication.translate("AdjudicationQueue", HEADERS[COLUMNS[section]])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        doc = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == DOC_ID_ROLE:
            return doc.id
        if role == VALUE_ROLE:
            if column == "f1":
                return doc.strict_f1
            if column == "adjudicated":
                return self.adjudicated(doc.id)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "document":
                return doc.title or doc.id
            if column == "f1":
                return format_f1(doc.strict_f1)
            if column == "annotators":
                return ", ".join(doc.annotators)
            done = self.adjudicated(doc.id)
            return QCoreApplication.translate("AdjudicationQueue", YES_NO[done])
        if role == Qt.ItemDataRole.ToolTipRole and column == "document":
            return f"{doc.title}\n{doc.id}"
        if role == Qt.ItemDataRole.ForegroundRole and self.adjudicated(doc.id):
            app = QApplication.instance()
            if isinstance(app, QApplication):
                color = app.palette().color(QPalette.ColorRole.PlaceholderText)
                return QBrush(color)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "f1":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return read_only_flags(index)

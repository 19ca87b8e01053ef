"""The document list as a lazy Qt model over the project's document index, and its filter.

``data()`` reads a title from the line index (no text is read) and a status from the session
(a dict look-up), so a 100,000-article project costs nothing until rows are painted. The
filter is a flat proxy over the list of rows that pass (see DocumentFilter).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractProxyModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from annotator.core.storage import DocumentSource
from annotator.ui.widgets.icons import status_icon
from annotator.ui.widgets.item_models import read_only_flags

ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
STATUSES = ("todo", "in_progress", "done", "skipped")
QUEUE = "queue"  # the status filter of the documents still to do: to do and in progress
UNFINISHED = ("todo", "in_progress")

Index = QModelIndex | QPersistentModelIndex


def status_text(status: str) -> str:
    """The status as shown to people, in the interface language."""
    names = {
        "todo": QCoreApplication.translate("status", "To do"),
        "in_progress": QCoreApplication.translate("status", "In progress"),
        "done": QCoreApplication.translate("status", "Done"),
        "skipped": QCoreApplication.translate("status", "Skipped"),
        QUEUE: QCoreApplication.translate("status", "My queue (to do, in progress)"),
    }
    return names.get(status, status)


class DocumentListModel(QAbstractListModel):
    """One row per document, in file order: title, status icon, id and status roles."""

    def __init__(
        self,
        documents: DocumentSource,
        status_of: Callable[[str], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.documents = documents
        self.status_of = status_of
        self.people_of: Callable[[str], str] | None = None  # a lead's: who and their status
        self._haystack: list[str] | None = None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.documents)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.documents):
            return None
        doc_id = self.documents.ids[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            title = self.documents.title(doc_id) or doc_id
            people = self.people_of(doc_id) if self.people_of is not None else ""
            return f"{title}  —  {people}" if people else title
        if role == Qt.ItemDataRole.DecorationRole:
            return status_icon(self.status_of(doc_id))
        if role == Qt.ItemDataRole.ToolTipRole:
            status = status_text(self.status_of(doc_id))
            people = self.people_of(doc_id) if self.people_of is not None else ""
            more = f"\n{people}" if people else ""
            return f"{doc_id} · {status}\n{self.documents.title(doc_id)}{more}"
        if role == ID_ROLE:
            return doc_id
        if role == STATUS_ROLE:
            return self.status_of(doc_id)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return read_only_flags(index)

    def haystack(self) -> list[str]:
        """Per row, the case-folded title and id that the text filter searches (cached)."""
        if self._haystack is None:
            docs = self.documents
            self._haystack = [f"{docs.title(d)}\n{d}".casefold() for d in docs.ids]
        return self._haystack

    def row_of(self, doc_id: str) -> int:
        """The row of ``doc_id``."""
        return self.documents.position(doc_id)

    def status_updated(self, doc_id: str) -> None:
        """Repaint the row of ``doc_id`` (its status changed)."""
        if doc_id in self.documents:
            index = self.index(self.row_of(doc_id), 0)
            roles = [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole, STATUS_ROLE]
            self.dataChanged.emit(index, index, roles)

    def set_people(self, people_of: Callable[[str], str] | None) -> None:
        """Show, after each title, who is assigned and their status (a lead's list)."""
        self.people_of = people_of
        if self.rowCount():
            roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole]
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, 0), roles)

    def reload(self) -> None:
        """The document file changed on disk (documents were imported)."""
        self.beginResetModel()
        reload = getattr(self.documents, "reload", None)
        if reload is not None:
            reload()
        self._haystack = None
        self.endResetModel()

    def rows_changed(self) -> None:
        """The store's ids changed under the model (its full index was adopted)."""
        self.beginResetModel()
        self._haystack = None
        self.endResetModel()


class DocumentFilter(QAbstractProxyModel):
    """Live text filter (title, id or text, case-insensitive) and status filter.

    A flat proxy over a sorted list of the source rows that pass. QSortFilterProxyModel was
    the first choice, but it asks Python once per source row on every change (0.3 s for
    100,000 documents); here a filter change is one list comprehension over cached,
    case-folded titles, and a status change moves one row. Matches in the documents' text
    come later, from the body-text search (``set_body``).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.status: str | None = None
        self.body: frozenset[int] = frozenset()  # rows whose text holds ``text`` (found later)
        self.allowed: Callable[[str], bool] | None = None  # an annotator's documents only
        self._rows: list[int] | None = None  # None: every source row, in order

    # -- filtering -----------------------------------------------------------------------

    def set_filter(self, text: str | None = None, status: str | bool | None = False) -> None:
        """Change the text filter and/or the status filter (``False``: keep the status)."""
        if text is not None and text.strip().casefold() != self.text:
            self.text = text.strip().casefold()
            self.body = frozenset()
        if status is not False:
            self.status = status if isinstance(status, str) else None
        self.recompute()

    def set_body(self, query: str, rows: list[int]) -> bool:
        """The rows whose text holds ``query`` (the body-text search's answer): shown beside
        the title matches while ``query`` is the filter. False for an answer that came late."""
        if query.strip().casefold() != self.text:
            return False
        self.body = frozenset(rows)
        self.recompute()
        return True

    def set_allowed(self, allowed: Callable[[str], bool] | None) -> None:
        """List only the documents ``allowed`` says yes to (None: every document)."""
        self.allowed = allowed
        self.recompute()

    def recompute(self) -> None:
        """Work the filter out again (new filter, or the documents were reloaded)."""
        self.beginResetModel()
        self._rows = self._compute()
        self.endResetModel()

    def status_updated(self, doc_id: str) -> None:
        """Show or hide one row after its status changed (status filter only)."""
        rows, model = self._rows, self._model()
        if self.status is None or rows is None:
            return
        if self.allowed is not None and not self.allowed(doc_id):
            return
        row = model.row_of(doc_id)
        passes = self._passes(model, row)
        pos = bisect_left(rows, row)
        shown = pos < len(rows) and rows[pos] == row
        if passes and not shown:
            self.beginInsertRows(QModelIndex(), pos, pos)
            rows.insert(pos, row)
            self.endInsertRows()
        elif shown and not passes:
            self.beginRemoveRows(QModelIndex(), pos, pos)
            rows.pop(pos)
            self.endRemoveRows()

    def _compute(self) -> list[int] | None:
        if not self.text and self.status is None and self.allowed is None:
            return None
        model = self._model()
        rows: list[int] | range = range(len(model.documents))
        if self.text:
            needle, body = self.text, self.body
            rows = [row for row, hay in enumerate(model.haystack()) if needle in hay or row in body]
        if self.allowed is not None:
            ids, allowed = model.documents.ids, self.allowed
            rows = [row for row in rows if allowed(ids[row])]
        if self.status is not None:
            ids, status_of = model.documents.ids, model.status_of
            wanted = UNFINISHED if self.status == QUEUE else (self.status,)
            rows = [row for row in rows if status_of(ids[row]) in wanted]
        return list(rows)

    def _passes(self, model: DocumentListModel, row: int) -> bool:
        doc_id = model.documents.ids[row]
        if self.allowed is not None and not self.allowed(doc_id):
            return False
        if self.status is not None:
            wanted = UNFINISHED if self.status == QUEUE else (self.status,)
            if model.status_of(doc_id) not in wanted:
                return False
        return not self.text or row in self.body or self.text in model.haystack()[row]

    def _model(self) -> DocumentListModel:
        model = self.sourceModel()
        assert isinstance(model, DocumentListModel)
        return model

    # -- QAbstractProxyModel ---------------------------------------------------------------

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        """Follow ``model`` (a DocumentListModel)."""
        self.beginResetModel()
        super().setSourceModel(model)
        model.dataChanged.connect(self._source_changed)
        model.modelReset.connect(self.recompute)
        self._rows = self._compute() if model is not None else None
        self.endResetModel()

    def _source_changed(self, first: QModelIndex, last: QModelIndex, roles: list[int]) -> None:
        for row in range(first.row(), last.row() + 1):
            index = self.mapFromSource(self._model().index(row, 0))
            if index.isValid():
                self.dataChanged.emit(index, index, roles)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.sourceModel() is None:
            return 0
        return len(self._rows) if self._rows is not None else self._model().rowCount()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or column != 0 or not 0 <= row < self.rowCount():
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: Index | None = None) -> Any:
        if index is None:  # QObject.parent()
            return super().parent()
        return QModelIndex()

    def sibling(self, row: int, column: int, index: Index) -> QModelIndex:
        return self.index(row, column)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.rowCount() > 0

    def mapToSource(self, proxy: Index) -> QModelIndex:
        if not proxy.isValid() or self.sourceModel() is None:
            return QModelIndex()
        row = proxy.row()
        return self._model().index(self._rows[row] if self._rows is not None else row, 0)

    def mapFromSource(self, source: Index) -> QModelIndex:
        if not source.isValid():
            return QModelIndex()
        row = source.row()
        if self._rows is None:
            return self.index(row, 0)
        pos = bisect_left(self._rows, row)
        if pos < len(self._rows) and self._rows[pos] == row:
            return self.index(pos, 0)
        return QModelIndex()

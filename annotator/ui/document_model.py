"""The document list as a lazy Qt model over the project's document index, and its filter.

``data()`` reads a title from the line index (no text is read) and a status from the session
(a dict look-up), so a 100,000-article project costs nothing until rows are painted. The
filter keeps a row list of its own: QSortFilterProxyModel asks the filter once per source
row, so its answer is a list look-up, worked out in one pass when the filter text or status
changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from annotator.core.documents import DocumentStore
from annotator.ui.icons import status_icon

ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
STATUSES = ("todo", "in_progress", "done", "skipped")

Index = QModelIndex | QPersistentModelIndex


def status_text(status: str) -> str:
    """The status as shown to people, in the interface language."""
    names = {
        "todo": QCoreApplication.translate("status", "To do"),
        "in_progress": QCoreApplication.translate("status", "In progress"),
        "done": QCoreApplication.translate("status", "Done"),
        "skipped": QCoreApplication.translate("status", "Skipped"),
    }
    return names.get(status, status)


class DocumentListModel(QAbstractListModel):
    """One row per document, in file order: title, status icon, id and status roles."""

    def __init__(
        self,
        documents: DocumentStore,
        status_of: Callable[[str], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.documents = documents
        self.status_of = status_of

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.documents)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.documents):
            return None
        doc_id = self.documents.ids[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.documents.title(doc_id) or doc_id
        if role == Qt.ItemDataRole.DecorationRole:
            return status_icon(self.status_of(doc_id))
        if role == Qt.ItemDataRole.ToolTipRole:
            status = status_text(self.status_of(doc_id))
            return f"{doc_id} · {status}\n{self.documents.title(doc_id)}"
        if role == ID_ROLE:
            return doc_id
        if role == STATUS_ROLE:
            return self.status_of(doc_id)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def row_of(self, doc_id: str) -> int:
        """The row of ``doc_id``."""
        return self.documents.position(doc_id)

    def status_updated(self, doc_id: str) -> None:
        """Repaint the row of ``doc_id`` (its status changed)."""
        if doc_id in self.documents:
            index = self.index(self.row_of(doc_id), 0)
            roles = [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole, STATUS_ROLE]
            self.dataChanged.emit(index, index, roles)

    def reload(self) -> None:
        """The document file changed on disk (documents were imported)."""
        self.beginResetModel()
        self.documents.reload()
        self.endResetModel()


class DocumentFilter(QSortFilterProxyModel):
    """Live text filter (title or id, case-insensitive) and status filter."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.status: str | None = None
        self._accept: list[bool] | None = None  # None: every row passes

    def set_filter(self, text: str | None = None, status: str | bool | None = False) -> None:
        """Change the text filter and/or the status filter (``False``: keep the status)."""
        if text is not None:
            self.text = text.strip().casefold()
        if status is not False:
            self.status = status if isinstance(status, str) else None
        self._refilter(self._compute)

    def status_updated(self, doc_id: str) -> None:
        """Re-check one row against the status filter after its status changed."""
        if self.status is None or self._accept is None:
            return
        model = self.sourceModel()
        assert isinstance(model, DocumentListModel)
        accept, row = self._accept, model.row_of(doc_id)

        def update() -> list[bool]:
            accept[row] = self._row_passes(model, doc_id)
            return accept

        self._refilter(update)

    def recompute(self) -> None:
        """Work the filter out again (the documents were reloaded)."""
        self._refilter(self._compute)

    def _refilter(self, compute: Callable[[], list[bool] | None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+: the rows-only, non-deprecated way
            self.beginFilterChange()
            self._accept = compute()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._accept = compute()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        accept = self._accept
        return True if accept is None or row >= len(accept) else accept[row]

    def _compute(self) -> list[bool] | None:
        model = self.sourceModel()
        if not self.text and self.status is None:
            return None
        assert isinstance(model, DocumentListModel)
        return [self._row_passes(model, doc_id) for doc_id in model.documents.ids]

    def _row_passes(self, model: DocumentListModel, doc_id: str) -> bool:
        if self.status is not None and model.status_of(doc_id) != self.status:
            return False
        if self.text:
            title = model.documents.title(doc_id).casefold()
            return self.text in title or self.text in doc_id.casefold()
        return True

"""The documents pane: filter box, status filter, the lazy list, and progress ("37 / 120 done").

Signals:
    document_activated(str): the user picked a document (click, arrow keys, Enter).
    chosen(): a row was clicked or Enter pressed on it: the keyboard goes back to the text
        (arrow keys keep it in the list, to browse).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from annotator.core.work_scope import WorkScope
from annotator.ui.annotating.body_search import BodySearch
from annotator.ui.annotating.document_model import (
    ID_ROLE,
    QUEUE,
    STATUSES,
    DocumentFilter,
    DocumentListModel,
    status_text,
)
from annotator.ui.widgets.icons import status_icon
from annotator.ui.widgets.list_view import FlatList

FILTER_DELAY_MS = 120  # typing pauses this long before a 100,000-row list is filtered


class DocumentsPane(QWidget):
    """See the module docstring."""

    document_activated = Signal(str)
    chosen = Signal()  # a click or Enter on a row: the person goes on in the text

    def __init__(self, model: DocumentListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documents_pane")
        self.model = model
        self.proxy = DocumentFilter(self)
        self.proxy.setSourceModel(model)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("document_filter")
        self.filter_edit.setClearButtonEnabled(True)
        self.status_box = QComboBox(self)
        self.status_box.setObjectName("status_filter")
        self.view = FlatList(self)  # instant with 100,000 rows (see list_view)
        self.view.setObjectName("document_list")
        self.view.setModel(self.proxy)
        self.empty_label = QLabel(self)  # "no matches" / "searching the text…"
        self.empty_label.setObjectName("filter_result")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        path = getattr(model.documents, "path", None)  # a folder's documents.jsonl
        self.body = BodySearch(path.parent if isinstance(path, Path) else None, self)
        self.body.found.connect(self._body_found)
        self.body.failed.connect(self._body_failed)
        self._body_error: str | None = None
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("progress_label")
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("progress_bar")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(8)
        self.counts: Counter[str] = Counter()
        self.scope: WorkScope | None = None  # None: every document is listed and counted
        self._total: int | None = None  # documents counted by the progress bar (None: all)
        self._current: str | None = None
        self._filtering = False
        # while the full indexes are built (index_worker), the figures and filters that need
        # every document's status or title wait; what the person chose meanwhile is kept
        self.indexing = False
        self._scope_waits: Callable[[str], str] | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        # one row each: the filter's hint is whole in every language at the pane's width
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.status_box)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)

        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(FILTER_DELAY_MS)
        self._delay.timeout.connect(self._apply_text)
        self.filter_edit.textChanged.connect(self._delay.start)
        self.filter_edit.returnPressed.connect(self._apply_text)
        self.status_box.currentIndexChanged.connect(self._apply_status)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.clicked.connect(lambda _index: self.chosen.emit())
        self.view.activated.connect(lambda _index: self.chosen.emit())
        self.retranslate()

    # -- filter ----------------------------------------------------------------------------

    def _apply_text(self) -> None:
        self._delay.stop()
        text = self.filter_edit.text().strip()
        if self.indexing:  # applied when the index is ready (``index_ready``)
            self._show_result()
            return
        with self._quiet():
            self.proxy.set_filter(text=text)
        self._reselect()
        self._body_error = None
        if text:
            self.body.request(text)
        self._show_result()

    def _body_found(self, query: str, rows: list[int]) -> None:
        if len(self.model.documents) != self.body.rows_searched:
            self.body.request(query)  # the list changed meanwhile (an import): again
            return
        with self._quiet():
            taken = self.proxy.set_body(query, rows)
        if taken:
            self._reselect()
            self._show_result()

    def _body_failed(self, message: str) -> None:
        self._body_error = message
        self._show_result()

    def _show_result(self) -> None:
        """Under the filter: that the text is being searched, or that nothing matches."""
        text = ""
        if self.indexing and (self.filter_edit.text().strip() or self.status_box.currentData()):
            text = self.tr("Indexing the project: the filter applies when it is done.")
        elif self.proxy.text and self.body.busy:
            text = self.tr("Searching the documents' text…")
        elif self.proxy.text and self._body_error is not None:
            text = self.tr("Only titles were searched: %1").replace("%1", self._body_error)
        elif (self.proxy.text or self.proxy.status) and self.proxy.rowCount() == 0:
            text = (
                self.tr("No matches: no document's title, id or text holds “%1”.").replace(
                    "%1", self.filter_edit.text().strip()
                )
                if self.proxy.text
                else self.tr("No document has this status.")
            )
        self.empty_label.setText(text)
        self.empty_label.setVisible(bool(text))

    def _apply_status(self) -> None:
        data = self.status_box.currentData()
        if self.indexing:
            self._show_result()
            return
        with self._quiet():
            self.proxy.set_filter(status=data if isinstance(data, str) else None)
        self._reselect()
        self._show_result()

    @contextmanager
    def _quiet(self) -> Iterator[None]:
        """Rows come and go while filtering; the view's current row moving then is not a
        choice the user made, so it must not open another document."""
        self._filtering = True
        try:
            yield
        finally:
            self._filtering = False

    def set_scope(self, scope: WorkScope, status_of: Callable[[str], str]) -> None:
        """List and count only what ``scope`` shows this person (an annotator of a planned
        project: their own documents, opening on "My queue")."""
        self.scope = scope
        with self._quiet():
            self.proxy.set_allowed(None if scope.everything else scope.visible)
        if scope.everything:
            self._total = None
        else:
            self._total = len(scope.documents())
            if self.indexing:  # counted, and the queue shown, once every status is known
                self._scope_waits = status_of
            else:
                self.counts = scope.counts(status_of)
            self.set_status_filter(QUEUE)
        self._reselect()
        self._show_progress()

    def index_ready(self, counts: Counter[str], ids_changed: bool) -> None:
        """The full indexes are in: count, and apply the filters chosen meanwhile.

        ``counts``: every document's status; ``ids_changed``: the list's rows changed."""
        self.indexing = False
        if ids_changed:
            with self._quiet():
                self.model.rows_changed()
        waits, self._scope_waits = self._scope_waits, None
        if waits is not None and self.scope is not None:
            self.counts = self.scope.counts(waits)
        else:
            self.set_counts(counts)
        with self._quiet():
            data = self.status_box.currentData()
            self.proxy.set_filter(
                text=self.filter_edit.text().strip(),
                status=data if isinstance(data, str) else None,
            )
        self._reselect()
        if self.proxy.text:
            self.body.request(self.proxy.text)
        self._show_result()
        self._show_progress()

    def set_status_filter(self, status: str | None) -> None:
        """Show only documents with ``status`` (None: all)."""
        index = self.status_box.findData(status) if status else 0
        self.status_box.setCurrentIndex(max(0, index))

    def focus_filter(self) -> None:
        """Put the keyboard in the filter box, its text selected (Ctrl+F)."""
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    # -- current document --------------------------------------------------------------------

    def set_current(self, doc_id: str) -> None:
        """Show ``doc_id`` as the current row (without emitting document_activated)."""
        self._current = doc_id
        self._reselect()

    def _reselect(self) -> None:
        if self._current is None or self._current not in self.model.documents:
            return
        index = self.proxy.mapFromSource(self.model.index(self.model.row_of(self._current), 0))
        selection = self.view.selectionModel()
        blocked = selection.blockSignals(True)
        try:
            if index.isValid():
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.view.scrollTo(index)
            else:
                selection.clear()
        finally:
            selection.blockSignals(blocked)
        self.view.viewport().update()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._filtering:
            return
        doc_id = current.data(ID_ROLE) if current.isValid() else None
        if isinstance(doc_id, str) and doc_id != self._current:
            self._current = doc_id
            self.document_activated.emit(doc_id)

    def visible_neighbour(self, doc_id: str, step: int) -> str | None:
        """The document ``step`` rows away in the list as shown (filter applied)."""
        index = self.proxy.mapFromSource(self.model.index(self.model.row_of(doc_id), 0))
        if not index.isValid():  # filtered out: walk the whole list instead
            ids = self.model.documents.ids
            row = self.model.row_of(doc_id) + step
            scope = self.scope
            while 0 <= row < len(ids) and scope is not None and not scope.visible(ids[row]):
                row += step  # never onto a document this person does not see
            return ids[row] if 0 <= row < len(ids) else None
        row = index.row() + step
        if not 0 <= row < self.proxy.rowCount():
            return None
        value = self.proxy.index(row, 0).data(ID_ROLE)
        return value if isinstance(value, str) else None

    # -- progress --------------------------------------------------------------------------

    def set_counts(self, counts: Counter[str]) -> None:
        """Statuses of every document (``todo`` for untouched ones)."""
        if self.scope is not None and not self.scope.everything:
            return  # counted over the scope's documents (``set_scope``)
        self.counts = Counter(counts)
        self._show_progress()

    def status_changed(self, doc_id: str, old: str, new: str) -> None:
        """Keep the row, the filter and the progress in step with one status change."""
        if self.scope is None or self.scope.visible(doc_id):
            self.counts[old] -= 1
            self.counts[new] += 1
        with self._quiet():
            self.model.status_updated(doc_id)
            self.proxy.status_updated(doc_id)
        self._reselect()
        self._show_progress()

    def _show_progress(self) -> None:
        total = len(self.model.documents) if self._total is None else self._total
        if self.indexing:
            self.progress_label.setText(
                self.tr("Indexing %1 documents…").replace("%1", QLocale().toString(total))
            )
            self.progress_label.setToolTip("")
            self.progress_bar.setRange(0, 0)  # busy
            return
        done = self.counts["done"]
        locale = QLocale()
        text = self.tr("%1 / %2 done")
        self.progress_label.setText(
            text.replace("%1", locale.toString(done)).replace("%2", locale.toString(total))
        )
        self.progress_label.setToolTip(
            " · ".join(f"{status_text(s)}: {locale.toString(self.counts[s])}" for s in STATUSES)
        )
        self.progress_bar.setRange(0, max(1, total))
        self.progress_bar.setValue(done)

    # -- language --------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Re-read every text in the current language."""
        self.filter_edit.setPlaceholderText(self.tr("Filter documents (Ctrl+F)"))
        current = self.status_box.currentData()
        blocked = self.status_box.blockSignals(True)
        self.status_box.clear()
        self.status_box.addItem(self.tr("All statuses"), None)
        self.status_box.addItem(status_icon("in_progress"), status_text(QUEUE), QUEUE)
        for status in STATUSES:
            self.status_box.addItem(status_icon(status), status_text(status), status)
        self.status_box.setCurrentIndex(max(0, self.status_box.findData(current)))
        self.status_box.blockSignals(blocked)
        self._show_progress()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

"""Review mode: the team lead walks the disagreements and adjudicates them into ``gold``.

Review > Adjudicate (F7) swaps the window's centre for the review page (``adjudication_page``)
and hides the annotating panes and toolbar; F7 again (or "Back to annotating") brings them
back as they were. The queue is the window's one ``ReviewData`` report, most disputed first;
it is reordered when the numbers are recounted, keeping the lead on their document.

Gold is written as the annotator ``gold`` through its own crash-proof ``Session`` wrapped in a
second ``AnnotatorWork``: every edit is an undo command journaled before it shows, with its own
undo stack (gold edits never mix with the lead's own annotations). The gold lock is taken on
entering Review mode and released on leaving it; a second lead gets a read-only review with a
notice naming the holder. On first opening a document, gold is pre-filled with the spans every
annotator agrees on (written at once, status in progress, as INCEpTION's curation does);
Ctrl+Enter marks it done (adjudicated) and opens the next document not yet adjudicated.

The page's keys (``adjudication_keys``; they are listed on it): Tab / Shift+Tab go to the
next / previous disagreement; Alt+1..Alt+9 take that annotator's version of it and Alt+0
neither (the focus stays on it, now drawn resolved: decision 0025); in the gold panel, select
text and press a label key, click a span and press Delete or another label key, exactly as in
the main view; Ctrl+Z / Ctrl+Shift+Z undo and redo gold; Ctrl+S compacts gold's journal;
Ctrl+Enter: adjudicated, next.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QTimer,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStackedWidget, QWidget

from annotator.core.errors import LockedError
from annotator.core.model import GOLD
from annotator.ui.annotating.annotator_work import AnnotatorWork
from annotator.ui.review.adjudication_keys import ACTION, AdjudicationKeys
from annotator.ui.review.adjudication_page import AdjudicationPage
from annotator.ui.review.adjudicator import Adjudicator
from annotator.ui.review.queue_model import QueueModel
from annotator.ui.review.review_data import ReviewData, review_data_of
from annotator.ui.review.review_statusbar import ReviewStatusBar

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow

# the window's actions that act on the hidden annotating view: off while reviewing
ANNOTATING_PREFIXES = (
    "label.",
    "edit.",
    "doc.",
    "file.save",
    "suggest.accept",
    "suggest.reject",
    "suggest.next",
    "suggest.previous",
)
# the panes hidden while reviewing and shown again afterwards: the annotating ones, and the
# agreement ones, which would squeeze the side-by-side panels (F6 brings the dashboard back)
ANNOTATING_DOCKS = (
    "documents_dock",
    "labels_dock",
    "spans_dock",
    "guideline_dock",
    "suggestions_dock",
    "agreement_dock",
    "gold_dock",
)
STATUS_MESSAGE_MS = 4000


class AdjudicationMode(QObject):
    """See the module docstring. One per window, made on first use (``AdjudicationMode.of``)."""

    @classmethod
    def of(cls, window: MainWindow) -> AdjudicationMode:
        """The window's AdjudicationMode (made on first use)."""
        found = window.findChild(AdjudicationMode, "review_mode")
        return found if isinstance(found, AdjudicationMode) else cls(window)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("review_mode")
        self.w = window
        self.project = window.work.project
        self.data: ReviewData = review_data_of(window, self.project)
        self.gold: AnnotatorWork | None = None
        self.active = False
        self._last_doc: str | None = None  # shown when the page is left: shown again on entry
        self._hidden: list[QWidget] = []
        self._disabled: list[QAction] = []
        self.queue = QueueModel(self._adjudicated, self)
        self.page = AdjudicationPage(self.queue, window)
        self.page.hide()
        # the window's centre becomes a stack: the annotating view, and this page
        self.stack = QStackedWidget(window)
        self.stack.setObjectName("central_stack")
        old = window.takeCentralWidget()
        assert old is not None
        self.stack.addWidget(old)
        self.stack.addWidget(self.page)
        window.setCentralWidget(self.stack)
        self.doc = Adjudicator(window, self.page, self.queue, self.data, self._key, self._message)
        self.status = ReviewStatusBar(window)  # the status bar says what the review does
        self.doc.state_shown.connect(self._show_status)
        self.page_keys = AdjudicationKeys(
            window,
            self.page,
            self.doc,
            {
                "back": self.leave,
                "undo": self._undo,
                "redo": partial(self._undo, redo=True),
                "save": self.save,
                "done": self.mark_adjudicated,
            },
        )
        self.actions = self.page_keys.actions  # the page's actions by name
        self.page.queue.selectionModel().currentRowChanged.connect(self._row_changed)
        self.data.updated.connect(self._numbers_updated)
        self.data.started.connect(self._show_counting)
        self.data.failed.connect(self._count_failed)
        window.installEventFilter(self)
        self.retranslate()

    @property
    def doc_id(self) -> str | None:
        """The document shown."""
        return self.doc.doc_id

    # -- entering and leaving ------------------------------------------------------------

    def toggle(self) -> None:
        """F7: enter Review mode, or leave it."""
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self) -> None:
        """Show the review page (taking the gold lock, or read-only if another lead has it)."""
        if self.active:
            return
        self.active = True
        w = self.w
        self._hidden = [
            dock for name, dock in w.docks.items() if name in ANNOTATING_DOCKS and dock.isVisible()
        ]
        self._hidden += [w.toolbar] if w.toolbar.isVisible() else []
        for widget in self._hidden:
            widget.hide()
        self._disabled = []
        for action_id, action in w.registry.actions.items():
            if action.isEnabled() and action_id.startswith(ANNOTATING_PREFIXES):
                action.setEnabled(False)
                self._disabled.append(action)
        w.work.set_active(False)  # the annotator's clock stops while reviewing
        self.status.enter()
        self._open_gold()
        self.page_keys.sync_label_keys(self.gold is not None and not self.gold.read_only)
        self._apply_theme()
        self.stack.setCurrentWidget(self.page)
        w.registry[ACTION].setText(self.tr("Back to &annotating"))
        self._show_numbers()
        if self.data.numbers is None and not self.data.busy:
            self.data.refresh()  # afterwards it recounts itself when a file changes
        self.page.gold.text.setFocus()

    def leave(self) -> None:
        """Back to annotating: gold is saved and its lock released, the panes come back."""
        if not self.active:
            return
        self.active = False
        self._last_doc = self.doc_id
        self._close_gold()
        self.doc.attach(None)
        w = self.w
        self.stack.setCurrentIndex(0)
        self.status.leave()
        for widget in self._hidden:
            widget.show()
        for action in self._disabled:
            action.setEnabled(True)
        self._hidden, self._disabled = [], []
        w.registry.retranslate()  # the action's own text again
        w.work.set_active(w.isActiveWindow())
        w.text.setFocus()

    def _open_gold(self) -> None:
        self.page.notice.hide()
        try:
            session = self.project.session(GOLD)
        except LockedError as exc:
            session = self.project.session(GOLD, read_only=True)
            self.page.notice.setText(
                self.tr(
                    "Gold is being adjudicated in another window (%1). This review is "
                    "read-only: nothing you do here is saved."
                ).replace("%1", exc.holder)
            )
            self.page.notice.show()
        gold = AnnotatorWork(self.project, session, self)
        gold.setObjectName("gold_session")
        gold.status_changed.connect(self._gold_status_changed)
        gold.document_opened.connect(self._gold_opened)
        gold.saved_state_changed.connect(self.doc.update_gold_title)
        gold.edit_failed.connect(self.w.window_controller.edit_failed)
        gold.undo_stack.canUndoChanged.connect(self.actions["undo"].setEnabled)
        gold.undo_stack.canRedoChanged.connect(self.actions["redo"].setEnabled)
        self.gold = gold
        self.doc.attach(gold)
        self.page_keys.set_editable(not gold.read_only)
        gold.set_active(True)

    def _close_gold(self) -> None:
        gold, self.gold = self.gold, None
        if gold is None:
            return
        gold.close()
        gold.undo_stack.clear()
        gold.setParent(None)
        gold.deleteLater()

    # -- the queue -----------------------------------------------------------------------

    def _adjudicated(self, doc_id: str) -> bool:
        gold = self.gold
        return gold is not None and gold.status(doc_id) == "done"

    def _numbers_updated(self) -> None:
        if not self.active:
            return
        if self.gold is not None and self.gold.read_only:
            # another lead writes gold: read it again, as on entering
            self._last_doc = self.doc_id
            self._close_gold()
            self.doc.attach(None)
            self._open_gold()
        self._show_numbers()

    def _show_numbers(self) -> None:
        """Fill the queue from the latest report, keeping the lead's document selected."""
        report = self.data.report
        if report is None:
            self._show_counting()
            return
        keep, row_before = self.doc_id or self._last_doc, self.page.queue.currentIndex().row()
        self.queue.set_rows(report.queue())
        if not self.queue.rows:
            self.page.queue_status.setText(
                self.tr("No document has been submitted by two annotators yet.")
            )
        else:
            self.page.queue_status.setText(self._progress_text())
        row = self.queue.row_of(keep) if keep is not None else -1
        if row < 0 and self.queue.rows:
            row = min(max(row_before, 0), len(self.queue.rows) - 1)
            if keep is None:
                row = max(0, self._next_open_row(-1))  # all adjudicated: the first
        if row >= 0:
            doc_id = self.queue.doc_id(row)
            if doc_id == self.doc_id:
                self.doc.refresh_document()  # the annotators' spans may have changed
            self._select_row(row)
            if doc_id is not None and doc_id != self.doc_id:
                # the row was already current (re-entry, restart): show it from the files
                self.doc.show_document(doc_id)
                self.page_keys.update_legend()

    def _show_status(self) -> None:
        if self.active:
            self.status.show(self.doc.status_text())

    def _progress_text(self) -> str:
        done = sum(1 for d in self.queue.rows if self._adjudicated(d.id))
        return (
            self.tr("%1 of %2 documents adjudicated")
            .replace("%1", str(done))
            .replace("%2", str(len(self.queue.rows)))
        )

    def _show_counting(self) -> None:
        if self.data.report is None:
            self.page.queue_status.setText(self.tr("Counting agreement…"))

    def _count_failed(self, message: str) -> None:
        self.page.queue_status.setText(
            self.tr("Agreement could not be counted: %1").replace("%1", message)
        )

    def _select_row(self, row: int) -> None:
        view = self.page.queue
        index = self.queue.index(row, 0)
        view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        view.scrollTo(index)

    def _next_open_row(self, after: int) -> int:
        """The first row after ``after`` (wrapping) not adjudicated, else -1."""
        n = len(self.queue.rows)
        for step in range(1, n + 1):
            row = (after + step) % n
            doc_id = self.queue.rows[row].id
            if doc_id != self.doc_id and not self._adjudicated(doc_id):
                return row
        return -1

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        doc_id = self.queue.doc_id(current.row())
        if doc_id is not None and doc_id != self.doc_id:
            self.doc.show_document(doc_id)
            self.page_keys.update_legend()

    # -- deciding ----------------------------------------------------------------------

    def _undo(self, redo: bool = False) -> None:
        if self.gold is not None:
            (self.gold.undo_stack.redo if redo else self.gold.undo_stack.undo)()

    def save(self) -> None:
        """Ctrl+S: compact gold's journal into ``annotations/gold.jsonl`` now."""
        if self.gold is not None and self.gold.save():
            path = self.gold.saved_path
            where = str(path) if path is not None else self.gold.project.location
            self._message(self.tr("Saved %1").replace("%1", where))

    def mark_adjudicated(self) -> None:
        """Ctrl+Enter: gold of this document is done; on to the next not adjudicated."""
        gold = self.gold
        if gold is None or gold.read_only or self.doc_id is None:
            return
        row = self.queue.row_of(self.doc_id)
        if not gold.mark("done"):
            return
        following = self._next_open_row(row)
        if following >= 0:
            self._select_row(following)
        else:
            self._message(self.tr("Every document in the queue is adjudicated."))

    # -- gold's signals ------------------------------------------------------------------

    def _gold_status_changed(self, doc_id: str, _old: str, _new: str) -> None:
        self.queue.status_changed(doc_id)
        self.page.queue_status.setText(self._progress_text())
        self.doc.update_gold_title()

    def _gold_opened(self, doc_id: str) -> None:
        """An undo reopened another document: the queue follows it."""
        if doc_id == self.doc_id:
            return
        row = self.queue.row_of(doc_id)
        if row >= 0:
            self._select_row(row)
        else:
            self.doc.show_document(doc_id)
            self.page_keys.update_legend()

    # -- look and language -----------------------------------------------------------------

    def _apply_theme(self) -> None:
        base, alpha = self.doc.colours()
        for text in self.page.texts():
            text.set_labels(self.w.labels, base, alpha)
            text.set_zoom(self.w.text.zoom)

    def _key(self, name: str) -> str:
        return self.page_keys.key(name)

    def retranslate(self) -> None:
        """Texts of the page in the current language."""
        self.page_keys.retranslate()
        self.page.queue_title.setText(self.tr("Documents by disagreement"))
        if self.active:
            self.w.registry[ACTION].setText(self.tr("Back to &annotating"))
            self.doc.retranslate()
            self._show_status()

    def _message(self, text: str) -> None:
        self.w.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    # -- events ----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.w:
            kind = event.type()
            if kind == QEvent.Type.Close:
                # before the window saves its layout: the annotating panes come back first
                self.leave()
            elif kind == QEvent.Type.LanguageChange:
                QTimer.singleShot(0, self.retranslate)
            elif kind == QEvent.Type.ActivationChange and self.active:
                QTimer.singleShot(0, self._clocks)
        return False

    def _clocks(self) -> None:
        if self.active:
            self.w.work.set_active(False)
            if self.gold is not None:
                self.gold.set_active(self.w.isActiveWindow())

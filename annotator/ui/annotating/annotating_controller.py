"""Annotating: what the annotating keys do, and the panes kept in step with the open document.

The window composes widgets; ``AnnotatorWork`` changes state; this object turns the
annotator's intent (a label key, Delete, Ctrl+Enter, Alt+Right, a click on a span or a
label) into ``AnnotatorWork`` calls and routes its signals to the panes that show them: the
text, the documents list, the span list, the label palette and counts, the guideline, and the
status bar's selection, mode and position. The span keys themselves are ``SpanKeys``, shared
with the review page's gold panel.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import partial
from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from annotator.core.edit import SkipReason
from annotator.core.edit.label_all import longer_name
from annotator.core.errors import AnnotatorError, RecordError
from annotator.core.model import Label, Span, Status
from annotator.core.text import shorten
from annotator.core.work_scope import WorkScope
from annotator.ui.annotating.document_model import status_text
from annotator.ui.annotating.index_worker import IndexWorker, unreadable_notice
from annotator.ui.annotating.span_keys import SpanKeys

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow

PANES_LATEST_MS = 100
# actions that change annotations: disabled in a read-only window
EDITING = ("edit.label_all", "edit.delete_span", "doc.done_next", "doc.skip", "file.save")
STATUS_MESSAGE_MS = 4000


class AnnotatingController(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.work = window.work
        self.text = window.text
        self.settings = window.settings
        self.keys = SpanKeys(
            self.text,
            lambda: self.work,
            self.exact,
            lambda: self.tr("Select some text (or a span) first."),
            self._message,
            self,
        )
        # the span list and label counts are refreshed once the text has been painted (or
        # after PANES_LATEST_MS if nothing paints): see _refresh_panes
        self._panes = QTimer(self)
        self._panes.setSingleShot(True)
        self._panes.setInterval(PANES_LATEST_MS)
        self._panes.timeout.connect(self._refresh_panes)
        self._panes_pending = False
        self._panes_reset = False
        # work that waits for the text's next paint (see _later), by what it updates
        self._jobs: dict[str, Callable[[], None]] = {}
        reg = window.registry
        handlers = {
            "file.save": self.save,
            "edit.label_all": self.label_all,
            "edit.delete_span": self.keys.delete_span,
            "edit.next_span": lambda: self.text.step_span(True),
            "edit.previous_span": lambda: self.text.step_span(False),
            "edit.clear_selection": self.keys.clear_selection,
            "edit.exact": self.exact_toggled,
            "doc.done_next": lambda: self.finish("done"),
            "doc.skip": lambda: self.finish("skipped"),
            "doc.next": lambda: self.step_document(1),
            "doc.previous": lambda: self.step_document(-1),
            "doc.find": window.documents.focus_filter,
            "help.guidelines": self.show_general_guidelines,
        }
        for action_id, handler in handlers.items():
            reg.bind(action_id, handler)
        for label in window.labels:
            reg.bind(f"label.{label.name}", partial(self.label_key, label.name))

        work = self.work
        work.document_opened.connect(self._document_opened)
        work.spans_changed.connect(self._spans_changed)
        work.status_changed.connect(self._status_changed)
        work.span_selected.connect(self.text.select_span)
        work.saved_state_changed.connect(window.update_title)
        # the work after a key's paint waits for its fsync's return: the journal's thread
        # needs the interpreter then, for a moment, to say "saved" (decision 0104)
        self.text.hold_after_paint(work.saving)
        work.saved_state_changed.connect(self.text.release_after_paint)
        work.undo_stack.cleanChanged.connect(window.update_title)
        self.text.selected_span_changed.connect(self._span_selection_changed)
        self.text.selectionChanged.connect(self._text_selection_changed)
        self.text.after_paint(self.index_start)  # after the first document is on screen
        window.documents.document_activated.connect(self.open)
        window.documents.chosen.connect(self.text.setFocus)
        window.span_list.span_activated.connect(self._span_picked)
        window.palette_view.label_selected.connect(self._label_selected)
        window.palette_view.clicked.connect(self._palette_clicked)

        reg["edit.exact"].setChecked(self.settings.exact_spans)
        if work.read_only:
            for action_id in EDITING:
                reg[action_id].setEnabled(False)
            for label in window.labels:
                reg[f"label.{label.name}"].setEnabled(False)
        # the full indexes are built behind the first paint (decision 0046)
        self.index = IndexWorker(work, self)
        self.index.completed.connect(self._index_completed)
        self.index.failed.connect(self._message)
        self._unreadable = unreadable_notice(self._unreadable_lines())  # as the launcher said
        if self.index.ready:
            window.documents.set_counts(work.store.status_counts())
        else:
            self.index.start_later()
        self._update_enabled()

    def _unreadable_lines(self) -> list[RecordError]:
        return self.work.unreadable_lines()

    def _index_completed(self, ids_changed: bool) -> None:
        """The full indexes are in: the counts, the filters, the lines found unreadable."""
        window, work = self.w, self.work
        if ids_changed:
            old = window.scope
            ids = work.project.documents.ids
            window.scope = WorkScope(ids, old.name, work.project.assignments(), old.lead)
            window.documents.set_scope(window.scope, work.status)
        window.documents.index_ready(work.store.status_counts(), ids_changed)
        notice = unreadable_notice(self._unreadable_lines())
        if notice != self._unreadable:
            shown = window.notice.text() if window.notice.isVisible() else ""
            if self._unreadable and self._unreadable in shown:
                shown = shown.replace(self._unreadable, notice)
            else:
                shown = "\n".join(t for t in (shown, notice) if t)
            window.show_notice(shown)
            self._unreadable = notice
        self._update_header()

    # -- documents -----------------------------------------------------------------------

    def open(self, doc_id: str) -> None:
        """Open ``doc_id`` (reporting a document that cannot be read)."""
        try:
            self.work.open_document(doc_id)
        except (AnnotatorError, KeyError, OSError) as exc:
            self._message(
                self.tr("Cannot open %1: %2").replace("%1", doc_id).replace("%2", str(exc))
            )

    def open_first(self) -> None:
        """Open the document last worked on, else the first unfinished, else the first."""
        ids = self.work.project.documents.ids
        if not ids:
            self.w.header.set_title(self.tr("This project has no documents yet."))
            return
        scope = self.w.scope
        last = self.settings.last_document(self.work.project.root, self.work.name)
        if last is not None and last in self.work.project.documents and scope.visible(last):
            self.open(last)
            return
        mine = ids if scope.everything else scope.documents()
        if not mine:
            self.w.header.set_title(self.tr("No documents are assigned to you yet."))
            return
        self.open(self.next_unfinished(None) or mine[0])

    def next_unfinished(self, after: str | None) -> str | None:
        """The first document after ``after`` (file order, wrapping) not done or skipped;
        in a planned project, of this annotator's queue only (``WorkScope``)."""
        docs = self.work.project.documents
        position = docs.position(after) if after is not None and after in docs else None
        scope = self.w.scope
        known = after if position is not None else None
        return scope.next_unfinished(known, self.work.status, position)

    def finish(self, status: Status) -> None:
        """Mark the document done (or skipped) and open the next unfinished one."""
        doc_id = self.work.doc_id
        if doc_id is None or self.work.read_only:
            return
        following = self.next_unfinished(doc_id)
        if not self.work.mark(status):
            return
        if following is not None:
            self.open(following)
        elif not self.w.scope.everything:
            self._message(
                self.tr("Your queue is empty: every document assigned to you is done or skipped.")
            )
        else:
            self._message(self.tr("Every document is done or skipped."))

    def step_document(self, step: int) -> None:
        """Alt+Left / Alt+Right: the previous or next document in the list as shown."""
        doc_id = self.work.doc_id
        if doc_id is None:
            return
        neighbour = self.w.documents.visible_neighbour(doc_id, step)
        if neighbour is not None:
            self.open(neighbour)

    def _document_opened(self, doc_id: str) -> None:
        work = self.work
        assert work.doc is not None
        self.text.show_document(work.doc.text, work.umap, work.spans)
        self._panes_reset = True
        self.w.header.set_title(work.doc.title or work.doc.id)
        # the list's current row, the position in the status bar, the time spent on the
        # document left (and a compaction of its edits) and the tokens for snapping follow
        # the text's first paint: the document shows (under its title) without them
        self.later("header", self._update_header)
        self.later("current", partial(self.w.documents.set_current, doc_id))
        self.later("time", work.settle_left)
        self.later("tokens", work.warm_up)
        self.later("ahead", partial(self._read_ahead, doc_id))

    def _read_ahead(self, doc_id: str) -> None:
        """Read the documents Alt+Right and Alt+Left would open from ``doc_id``."""
        if doc_id != self.work.doc_id:
            return
        pane = self.w.documents
        found = (pane.visible_neighbour(doc_id, 1), pane.visible_neighbour(doc_id, -1))
        self.work.read_ahead([n for n in found if n is not None])

    def _update_header(self) -> None:
        work = self.work
        if work.doc is None:
            return
        docs = work.project.documents
        status = status_text(work.status(work.doc.id))
        self.w.header.set_title(work.doc.title or work.doc.id)
        self.w.header.setToolTip(f"{work.doc.id} · {status}")
        self.w.position_label.setText(
            self.tr("Document %1 / %2 · %3")
            .replace("%1", str(docs.position(work.doc.id) + 1))
            .replace("%2", str(len(docs)))
            .replace("%3", status)
        )

    # -- spans ---------------------------------------------------------------------------

    def label_key(self, name: str) -> None:
        """A label key: label the selected text, else relabel the selected span."""
        self.later("palette", partial(self.w.palette_view.set_current, name))
        self.keys.label_key(name)

    def label_all(self) -> None:
        """Label every other unlabelled occurrence of the selected span's text."""
        span = self.text.selected_span
        if span is None:
            self._message(self.tr("Select a span first."))
            return
        change = self.work.label_all(span)
        added = len(change.spans_after) - len(change.spans_before) if change is not None else 0
        parts = [self.tr("Labelled %n more occurrence(s).", "", added)]
        skipped = change.skipped if change is not None else ()
        text = self.work.doc.text if self.work.doc is not None else ""
        overlapping = [s for s in skipped if s.reason is SkipReason.OVERLAPS_SPAN]
        longer = [s for s in skipped if s.reason is SkipReason.LONGER_NAME]
        if overlapping:
            parts.append(
                self.tr("%n left alone: it overlaps a span already there.", "", len(overlapping))
            )
        if longer:
            first = longer[0]
            whole = longer_name(text, first.start, first.end)
            parts.append(
                self.tr(
                    "%n left alone: part of a longer name, which the guideline wants labelled "
                    "whole (“%1”).",
                    "",
                    len(longer),
                ).replace("%1", shorten(text[whole[0] : whole[1]], 60))
            )
        self._message(" ".join(parts))

    def _spans_changed(
        self, doc_id: str, before: tuple[Span, ...], after: tuple[Span, ...]
    ) -> None:
        if doc_id != self.work.doc_id:
            return
        self.text.update_spans(before, after)
        self._panes_later()

    def _panes_later(self) -> None:
        self._panes_pending = True
        self.text.after_paint(self._refresh_panes)
        if not self._panes.isActive():
            self._panes.start()

    def later(self, what: str, job: Callable[[], None]) -> None:
        """Run ``job`` just after the text's next paint (or PANES_LATEST_MS from now if
        nothing paints); a later job for the same ``what`` replaces an earlier one.

        Whatever else repaints with the text (the status bar, the toolbar, the lists) is
        painted in the same window update: a key press's span would wait for all of it."""
        self._jobs.pop(what, None)  # keep the order in which they were last asked for
        self._jobs[what] = job
        self._panes_later()

    def index_start(self) -> None:
        """Build the full indexes (decision 0046), once the first document is on screen."""
        self.index.start()

    def _refresh_panes(self) -> None:
        """The span list and the label counts follow the text just after it is painted.

        A list view over 5,000 rows relays itself out in ~10 ms after a row is inserted, and
        a key press must not wait for that before the new span shows.
        """
        if not self._panes_pending:
            return
        self._panes_pending = False
        self._panes.stop()
        jobs, self._jobs = self._jobs, {}
        for job in jobs.values():
            job()
        spans = self.work.spans
        if self._panes_reset:
            self._panes_reset = False
            self.w.span_model.set_spans(spans)
        else:
            self.w.span_model.update(spans)
        self.w.label_model.set_counts(Counter(map(attrgetter("label"), spans)))
        self.w.span_list.show_selected(self.text.selected_span)

    def _status_changed(self, doc_id: str, old: str, new: str) -> None:
        self.w.documents.status_changed(doc_id, old, new)
        if doc_id == self.work.doc_id:
            self._update_header()

    def _span_picked(self, span: Span) -> None:
        self.text.select_span(span)
        self.text.setFocus()

    def _span_selection_changed(self, span: Span | None) -> None:
        if span is not None:
            self.later("palette", partial(self.w.palette_view.set_current, span.label))
        self.later("selection", self._show_selection)
        self._update_enabled()  # a key pressed before the next paint finds them right

    def _text_selection_changed(self) -> None:
        self.later("selection", self._show_selection)

    def _show_selection(self) -> None:
        span = self.text.selected_span
        selection = self.text.selection_range()
        if selection is not None and self.work.doc is not None:
            start, end = self.work.snap(*selection, self.exact())
            words = " ".join(self.work.doc.text[start:end].split())
            words = words if len(words) <= 60 else words[:59] + "…"
            text = self.tr("Selection [%1, %2) “%3”: press a label key")
            text = text.replace("%1", str(start)).replace("%2", str(end)).replace("%3", words)
        elif span is not None:
            text = f"{span.label} [{span.start}, {span.end}) “{' '.join(span.text.split())}”"
        else:
            text = ""
        self.w.selection_label.setText(text)

    def _update_enabled(self) -> None:
        has_span = self.text.selected_span is not None and not self.work.read_only
        self.w.registry["edit.label_all"].setEnabled(has_span)
        self.w.registry["edit.delete_span"].setEnabled(has_span)

    # -- labels and guidelines -------------------------------------------------------------

    def _label_selected(self, name: str) -> None:
        self.w.guidelines.show_label(self._label(name))

    def _palette_clicked(self) -> None:
        # a click on a label applies it, like a label button (mouse-first annotators)
        name = self.w.palette_view.currentIndex().siblingAtColumn(1).data()
        target = self.text.selection_range() is not None or self.text.selected_span is not None
        if isinstance(name, str) and not self.work.read_only and target:
            self.label_key(name)
        self.text.setFocus()

    def _label(self, name: str) -> Label | None:
        return next((label for label in self.w.labels if label.name == name), None)

    def show_general_guidelines(self) -> None:
        """Help > General guidelines: GENERAL.md in the guideline pane."""
        self.w.guidelines.show_label(None)
        self.w.docks["guideline_dock"].show()
        self.w.docks["guideline_dock"].raise_()

    # -- view ------------------------------------------------------------------------------

    def exact(self) -> bool:
        """Whether a selection keeps its exact bounds: the toolbar's Exact spans, as shown
        (the setting is read at start and written on a toggle; reading QSettings on every
        label key cost 0.1-0.2 ms)."""
        return self.w.registry["edit.exact"].isChecked()

    def exact_toggled(self) -> None:
        """Exact spans on or off (remembered)."""
        self.settings.exact_spans = self.w.registry["edit.exact"].isChecked()
        self._show_mode()
        self._show_selection()

    def _show_mode(self) -> None:
        exact = self.settings.exact_spans
        self.w.mode_label.setText(self.tr("Exact spans") if exact else self.tr("Whole tokens"))

    # -- files -----------------------------------------------------------------------------

    def save(self) -> None:
        """Ctrl+S: compact the journal into the annotation file now."""
        if self.work.save():
            path = self.work.saved_path
            where = str(path) if path is not None else self.work.project.location
            self.w.statusBar().showMessage(
                self.tr("Saved %1").replace("%1", where), STATUS_MESSAGE_MS
            )

    # -- messages and shutdown ------------------------------------------------------------

    def _message(self, text: str) -> None:
        self.w.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    def retranslate(self) -> None:
        """Texts this object shows (the window calls it on a language change)."""
        self._show_mode()
        self._update_header()
        self._show_selection()

    def shutdown(self) -> None:
        """The window closes: record time, compact, release the lock, remember the document.

        The open document is remembered here, not on every switch: QSettings writes its file
        (and syncs it) after each change, which would cost a switch several milliseconds.
        """
        self.index.stop()
        if self.work.doc_id is not None:
            self.settings.set_last_document(
                self.work.project.root, self.work.name, self.work.doc_id
            )
        self.work.close()

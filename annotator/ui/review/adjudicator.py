"""One document in Review mode: every annotator's version beside the gold being built.

``Adjudicator`` shows a document on the review page (gold pre-filled on first sight with what
every annotator agrees on), keeps the disagreement in focus, and turns the lead's keys into
gold edits: take an annotator's version of the disagreement, take neither, or label, relabel
and delete by hand in the gold panel. Every edit is a core edit (``TakeVersion``, or the same
label, relabel and delete as the main view) applied through gold's ``AnnotatorWork``: one undo
command, journaled before it shows. ``AdjudicationMode`` (``adjudication_mode.py``) owns the
page, gold's work and the keys, and hands this object gold's work while it holds it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from annotator.core.adjudication import (
    BY_HAND,
    NONE,
    Adjudication,
    Candidate,
    ReviewState,
    adjudication_of,
    neither_of,
    review_state,
)
from annotator.core.agreement import DocumentReport
from annotator.core.edit import SetSpans, TakeVersion
from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD, Span, make_span
from annotator.core.offsets import Utf16Map
from annotator.core.text import shorten
from annotator.ui.annotating.annotator_work import AnnotatorWork
from annotator.ui.annotating.span_keys import SpanKeys
from annotator.ui.review.adjudication_page import AdjudicationPage
from annotator.ui.review.queue_model import QueueModel, format_f1
from annotator.ui.review.review_data import ReviewData
from annotator.ui.window import theme as themes

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow

MAX_TAKE = 9  # Alt+1 .. Alt+9


class Adjudicator(QObject):
    """See the module docstring. ``state_shown`` is emitted after the marks and the line
    describing the disagreement were drawn again (for the status bar)."""

    state_shown = Signal()

    def __init__(
        self,
        window: MainWindow,
        page: AdjudicationPage,
        queue: QueueModel,
        data: ReviewData,
        key: Callable[[str], str],
        message: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self.w = window
        self.page = page
        self.queue = queue
        self.data = data
        self.key = key  # the keys of a review action, as shown
        self.message = message
        self.gold: AnnotatorWork | None = None
        self.doc_id: str | None = None
        self.adj = Adjudication((), ())
        self.state = review_state(self.adj, ())  # read back from gold after every change
        self.current: int | None = None  # index into adj.disputed
        self._texts: dict[str, str] = {}  # each annotator's text of the document shown
        # label, relabel, delete and select in the gold panel: the main view's keys
        self.keys = SpanKeys(
            page.gold.text,
            lambda: self.gold,
            window.annotating.exact,
            lambda: self.tr("Select some text (or a span) in the gold panel first."),
            message,
            self,
        )
        # a click on a document in the queue hands the keys to gold, and the ring shows them
        page.queue.clicked.connect(lambda _index: page.gold.text.setFocus())
        window.focus_ring.watch(page.gold.text, page.queue)

    def attach(self, gold: AnnotatorWork | None) -> None:
        """Work on ``gold`` (None: the mode was left and the session closed)."""
        self.gold = gold
        self.doc_id = None
        self.current = None
        if gold is not None:
            gold.spans_changed.connect(self._gold_spans_changed)
            gold.span_selected.connect(self.page.gold.text.select_span)

    def show_document(self, doc_id: str) -> None:
        """Show ``doc_id``: gold (pre-filled on first sight) and every annotator's version."""
        gold = self.gold
        if gold is None:
            return
        self.doc_id = doc_id
        self.current = None
        self._load_versions(doc_id)
        try:
            gold.open_document(doc_id)
        except (AnnotatorError, KeyError, OSError) as exc:
            self.message(
                self.tr("Cannot open %1: %2").replace("%1", doc_id).replace("%2", str(exc))
            )
            return
        assert gold.doc is not None
        text = gold.doc.text
        if gold.annotation is None and not gold.read_only:
            if all(t == text for t in self._texts.values()):
                gold.apply_now(SetSpans(doc_id, self.adj.proposal()))  # the start: no undo step
            else:
                self.message(self.tr("The annotators saw another text: gold starts empty."))
        self.page.gold.show_text(text, gold.umap, gold.spans)
        self._show_annotators()
        self.state = self.read_state()
        self.current = self.state.next_open()  # where the lead left off: the first still open
        self._update_marks()
        if self.current is not None:
            self._reveal(self.adj.disputed[self.current])
        self.update_gold_title()
        self._show_header()

    def _show_header(self) -> None:
        gold, doc_id = self.gold, self.doc_id
        if gold is None or gold.doc is None or doc_id is None:
            return
        report = self.doc_report(doc_id)
        title = gold.doc.title or doc_id
        f1 = format_f1(report.strict_f1) if report is not None else format_f1(None)
        self.page.header.setText(
            self.tr("%1 — strict F1 %2").replace("%1", title).replace("%2", f1)
        )
        self.page.header.setToolTip(doc_id)

    def retranslate(self) -> None:
        """Every text of the document shown, in the current language."""
        if self.doc_id is None:
            return
        self._show_header()
        self._title_panels()
        self.page.candidate.setText(self.candidate_text())
        self.update_gold_title()

    def _load_versions(self, doc_id: str) -> None:
        numbers = self.data.numbers
        report = self.doc_report(doc_id)
        versions: dict[str, list[tuple[int, int, str]]] = {}
        self._texts = {}
        if numbers is not None and report is not None:
            for name in report.annotators:
                sub = numbers.corpus.submissions.get(name, {}).get(doc_id)
                if sub is not None and name != GOLD:
                    versions[name] = [(int(s), int(e), str(lab)) for s, e, lab in sub.spans]
                    self._texts[name] = sub.text
        self.adj = adjudication_of(versions)

    def refresh_document(self) -> None:
        """The numbers were recounted: the annotators' side again, gold and place kept."""
        if self.doc_id is None:
            return
        focus = self._candidate()
        self._load_versions(self.doc_id)
        self.current = None
        if focus is not None:
            for i, c in enumerate(self.adj.disputed):
                if c.overlaps(focus.start, focus.end):
                    self.current = i
                    break
        self._show_annotators()
        self._update_marks()

    def _show_annotators(self) -> None:
        names = self.adj.annotators
        base, alpha = self.colours()
        self.page.set_panel_count(len(names), self.w.labels, base, alpha)
        for i, (name, panel) in enumerate(zip(names, self.page.panels, strict=True)):
            text = self._texts[name]
            spans = tuple(
                make_span(text, s, e, lab)
                for c in self.adj.candidates
                for s, e, lab in c.versions[i]
            )
            panel.show_text(text, Utf16Map(text), tuple(sorted(spans, key=lambda s: s.key)))
        self._title_panels()

    def _title_panels(self) -> None:
        names = self.adj.annotators
        for i, (name, panel) in enumerate(zip(names, self.page.panels, strict=True)):
            count = sum(len(c.versions[i]) for c in self.adj.candidates)
            key = self.key(f"take.{i + 1}") if i < MAX_TAKE else ""
            panel.title.setText(
                self.tr("%1 %2 · spans: %3")
                .replace("%1", key)
                .replace("%2", name)
                .replace("%3", str(count))
            )

    def read_state(self) -> ReviewState:
        """Where the lead stands, read back from gold as it is now (docs/decisions 0025)."""
        gold = self.gold
        if gold is None or gold.doc is None or gold.doc.id != self.doc_id:
            return review_state(self.adj, ())
        annotation = gold.annotation
        return review_state(
            self.adj,
            [s.key for s in gold.spans],
            neither_of(annotation.meta) if annotation is not None else (),
            annotation is not None and annotation.status == "done",
        )

    def _candidate(self) -> Candidate | None:
        disputed = self.adj.disputed
        if self.current is None or not 0 <= self.current < len(disputed):
            return None
        return disputed[self.current]

    def _update_marks(self) -> None:
        """Outline the disputed spans, frame the current disagreement, describe it."""
        disputed = self.adj.disputed
        self.state = self.read_state()
        focus = self._candidate()
        frame = (focus.start, focus.end) if focus is not None else None
        resolved = self.state.resolved
        self.page.gold.text.set_marks(
            [(c.start, c.end) for c in disputed],
            frame,
            {(c.start, c.end) for c, done in zip(disputed, resolved, strict=True) if done},
        )
        for i, panel in enumerate(self.page.panels):
            marks = [(s, e) for c in disputed for s, e, _ in c.versions[i]]
            done_marks = {
                (s, e)
                for c, done in zip(disputed, resolved, strict=True)
                if done
                for s, e, _ in c.versions[i]
            }
            panel.text.set_marks(marks, frame, done_marks)
        self.page.candidate.setText(self.candidate_text())
        self.state_shown.emit()

    def status_text(self) -> str:
        """The status bar's line while reviewing: the document, the disagreement, gold."""
        gold = self.gold
        if gold is None or gold.doc is None or self.doc_id is None:
            return ""
        disputed = len(self.adj.disputed)
        parts = [shorten(gold.doc.title or self.doc_id, 40)]
        if disputed and self.current is not None:
            parts.append(
                self.tr("disagreement %1 of %2")
                .replace("%1", str(self.current + 1))
                .replace("%2", str(disputed))
            )
        parts.append(self.tr("%n still open", "", self.state.open_count))
        parts.append(
            self.tr("gold adjudicated")
            if gold.status(gold.doc.id) == "done"
            else self.tr("gold in progress")
        )
        return " · ".join(parts)

    def candidate_text(self) -> str:
        disputed = self.adj.disputed
        focus = self._candidate()
        next_key = self.key("next")
        if not disputed:
            return self.tr(
                "The annotators agree on every span: check gold and mark it adjudicated."
            )
        if focus is None or self.current is None:
            return (
                self.tr("Disagreements: %1. %2 goes to the first.")
                .replace("%1", str(len(disputed)))
                .replace("%2", next_key)
            )
        state = self.state
        decided = state.decisions[self.current]
        names = self.adj.annotators
        if decided == NONE and state.resolved[self.current]:
            now = self.tr("resolved: gold takes neither")
        elif decided == NONE:
            now = self.tr("open: gold has nothing here")
        elif decided == BY_HAND:
            now = self.tr("resolved: gold has its own spans here")
        else:
            now = self.tr("resolved: gold has %1's version").replace("%1", names[decided])
        lines = [
            self.tr("Disagreement %1 of %2 at [%3, %4): %5 · still open: %6")
            .replace("%1", str(self.current + 1))
            .replace("%2", str(len(disputed)))
            .replace("%3", str(focus.start))
            .replace("%4", str(focus.end))
            .replace("%5", now)
            .replace("%6", str(state.open_count))
        ]
        text = self._texts.get(names[0], "") if names else ""
        nothing, neither = self.tr("(nothing)"), self.tr("neither")
        for i, name in enumerate(names):
            version = focus.versions[i]
            shown = "  ".join(f"{lab} “{shorten(text[s:e], 40)}”" for s, e, lab in version)
            key = self.key(f"take.{i + 1}") if i < MAX_TAKE else ""
            lines.append(f"{key}  {name}: {shown or nothing}")
        lines.append(f"{self.key('neither')}  {neither}")
        return "\n".join(lines)

    def update_gold_title(self, *_unused: object) -> None:
        gold = self.gold
        if gold is None or gold.doc is None:
            return
        state = {
            "saved": self.tr("saved"),
            "unsaved": self.tr("saving…"),
            "journaled": self.tr("saved (journaled)"),
            "read_only": self.tr("read-only"),
        }[gold.saved_state()]
        status = (
            self.tr("adjudicated") if gold.status(gold.doc.id) == "done" else self.tr("in progress")
        )
        self.page.gold.title.setText(
            self.tr("Gold · spans: %1 · %2 · %3")
            .replace("%1", str(len(gold.spans)))
            .replace("%2", status)
            .replace("%3", state)
        )

    def step(self, direction: int) -> None:
        """Tab / Shift+Tab: the next or previous disagreement (wrapping)."""
        disputed = self.adj.disputed
        if not disputed:
            self.message(self.candidate_text())
            return
        if self.current is None:
            self.current = 0 if direction > 0 else len(disputed) - 1
        else:
            self.current = (self.current + direction) % len(disputed)
        self._update_marks()
        self._reveal(disputed[self.current])

    def _reveal(self, focus: Candidate) -> None:
        for text in self.page.texts():
            text.reveal(focus.start)

    def take(self, annotator: int | None) -> None:
        """Alt+N: gold takes annotator N's version of the disagreement; Alt+0: neither."""
        gold = self.gold
        focus = self._candidate()
        if gold is None or gold.doc is None or gold.read_only:
            return
        if focus is None:
            self.message(
                self.tr("Go to a disagreement first (%1).").replace("%1", self.key("next"))
            )
            return
        names = self.adj.annotators
        if annotator is not None and annotator >= len(names):
            self.message(
                self.tr("No annotator %1 in this document.").replace("%1", str(annotator + 1))
            )
            return
        version = focus.versions[annotator] if annotator is not None else ()
        what = (
            self.tr("Take %1's version").replace("%1", names[annotator])
            if annotator is not None
            else self.tr("Take neither")
        )
        gold.edit(TakeVersion(gold.doc.id, focus.start, focus.end, version), what)
        # the focus stays on the disagreement just decided (decision 0025): Tab moves on
        self._update_marks()
        if self.state.open_count == 0:
            self.message(
                self.tr(
                    "Every disagreement is resolved: %1 marks the document adjudicated."
                ).replace("%1", self.key("done"))
            )
        else:
            self.message(
                self.tr("%1: done. %2 goes to the next disagreement (%3 still open).")
                .replace("%1", what)
                .replace("%2", self.key("next"))
                .replace("%3", str(self.state.open_count))
            )

    def _gold_spans_changed(
        self, doc_id: str, before: tuple[Span, ...], after: tuple[Span, ...]
    ) -> None:
        if doc_id != self.doc_id or self.gold is None or self.gold.doc is None:
            return
        view = self.page.gold.text
        if view.umap.length == len(self.gold.doc.text):
            view.update_spans(before, after)
        self._update_marks()
        self.update_gold_title()

    def colours(self) -> tuple[QColor, float]:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        base = app.palette().color(QPalette.ColorRole.Base)
        return base, themes.SPAN_ALPHA[themes.resolve(self.w.settings.theme)]

    def doc_report(self, doc_id: str) -> DocumentReport | None:
        row = self.queue.row_of(doc_id)
        return self.queue.rows[row] if row >= 0 else None

"""The keys that edit spans in one text view, through one annotator's work.

A label key labels the selected text, or relabels the selected span; Delete removes the
selected span; Esc drops both selections; a click selects the span under it. The main view
applies them to the annotator's own work and the review page's gold panel to gold's work:
each has one ``SpanKeys``, so the two behave alike by construction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from annotator.core.edit import Change
    from annotator.ui.annotating.annotator_work import AnnotatorWork
    from annotator.ui.widgets.text_view import TextView


class SpanKeys(QObject):
    """Span edits from the keyboard and mouse in ``view``, applied through ``work()``.

    ``work`` returns the work the keys act on (None: none is open, the keys do nothing);
    ``exact`` says whether a selection keeps its exact bounds or widens to whole tokens;
    ``select_first`` is the message shown when a label key has nothing to act on.
    """

    def __init__(
        self,
        view: TextView,
        work: Callable[[], AnnotatorWork | None],
        exact: Callable[[], bool],
        select_first: Callable[[], str],
        message: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.work = work
        self.exact = exact
        self.select_first = select_first
        self.message = message
        view.clicked.connect(self.click)

    def label_key(self, name: str) -> Change | None:
        """Label the selection as ``name``, else relabel the selected span (None: neither)."""
        work, view = self.work(), self.view
        if work is None or work.read_only:
            return None
        selection, selected = view.selection_range(), view.selected_span
        if selection is None and selected is None:
            self.message(self.select_first())
            return None
        with view.highlighter.held():  # the span made and its selection: one re-highlight
            change = work.label_key(selection, selected, name, self.exact())
        if selection is not None:
            view.clear_selection()
            if change is not None and change.made is None:
                self.message(self.tr("The selection holds no word to label."))
        return change

    def delete_span(self) -> None:
        """Delete: remove the selected span."""
        work, span = self.work(), self.view.selected_span
        if work is not None and span is not None:
            with self.view.highlighter.held():
                work.remove(span)

    def clear_selection(self) -> None:
        """Esc: drop the text selection and the span selection."""
        self.view.clear_selection()
        self.view.select_span(None, scroll=False)

    def click(self, pos: int) -> None:
        """A click selects the span under it (or none)."""
        self.view.select_span(self.view.highlighter.span_at(pos), scroll=False)

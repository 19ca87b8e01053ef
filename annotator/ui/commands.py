"""Undo commands: each wraps one journaled Session write, and its undo is one too.

A command holds the whole before and after state of what it changes (the spans, or the
status), so undo and redo are the same operation with the roles swapped, and every step,
undo included, goes through the session and lands in the journal before it shows. A command
whose write fails (disk full) marks itself obsolete, and QUndoStack drops it: the stack never
holds a step that did not happen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from annotator.core.model import Span, Status

if TYPE_CHECKING:
    from annotator.ui.session import WorkSession


class SpansCommand(QUndoCommand):
    """Replace the spans of one document (add, relabel, delete, label-all: all the same)."""

    def __init__(
        self,
        work: WorkSession,
        doc_id: str,
        before: tuple[Span, ...],
        after: tuple[Span, ...],
        text: str,
        select: Span | None = None,
    ) -> None:
        super().__init__(text)
        self.work = work
        self.doc_id = doc_id
        self.before = before
        self.after = after
        self.select = select  # the span to select after redo (the one just made)

    def redo(self) -> None:
        if not self.work.apply_spans(self.doc_id, self.after, self.select):
            self.setObsolete(True)

    def undo(self) -> None:
        if not self.work.apply_spans(self.doc_id, self.before, None):
            self.setObsolete(True)


class StatusCommand(QUndoCommand):
    """Mark one document done, skipped or in progress (the time spent is not undone)."""

    def __init__(
        self,
        work: WorkSession,
        doc_id: str,
        before: Status,
        after: Status,
        text: str,
        seconds: float = 0.0,
    ) -> None:
        super().__init__(text)
        self.work = work
        self.doc_id = doc_id
        self.before = before
        self.after = after
        self.seconds = seconds  # credited once, on the first redo

    def redo(self) -> None:
        ok = self.work.apply_status(self.doc_id, self.after, self.seconds)
        self.seconds = 0.0
        if not ok:
            self.setObsolete(True)

    def undo(self) -> None:
        if not self.work.apply_status(self.doc_id, self.before, 0.0):
            self.setObsolete(True)

"""The window's one undo command: a core ``Change``, done, undone and redone through the store.

``EditCommand`` holds the change an edit made (its whole state before and after). Its first
``redo`` (when pushed) commits that change; undo applies ``change.undo()`` and a later redo
``change.redo()``: core ``Restore`` edits, journaled before they show like every edit, which
bring back the exact earlier state (an untouched document included). A step whose write fails
(a full disk) or no longer fits the document marks itself obsolete, and QUndoStack drops it:
the stack never holds a step that did not happen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from annotator.core.edit import Change
from annotator.core.model import Span

if TYPE_CHECKING:
    from annotator.ui.annotating.annotator_work import AnnotatorWork


class EditCommand(QUndoCommand):
    """One edit of one document (any kind), undoable; see the module docstring."""

    def __init__(
        self, work: AnnotatorWork, change: Change, text: str, select: Span | None = None
    ) -> None:
        super().__init__(text)
        self.work = work
        self.change = change
        self.select = select  # the span to select after redo (the one just made)
        self._done = False

    def redo(self) -> None:
        if not self._done:
            ok = self.work.commit(self.change, self.select)
            self._done = True
        else:
            ok = self.work.apply(self.change.redo(), self.select)
        if not ok:
            self.setObsolete(True)

    def undo(self) -> None:
        if not self.work.apply(self.change.undo(), None):
            self.setObsolete(True)

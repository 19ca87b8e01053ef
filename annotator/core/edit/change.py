"""What applying an edit did: the state before and after, and what it left alone and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.core.model import Annotation, Span

if TYPE_CHECKING:
    from annotator.core.edit.intents import Edit, Restore  # imported when first used


class EditError(AnnotatorError):
    """An edit that cannot be made (an unknown label, another text); nothing changed."""


class StaleEditError(EditError):
    """An undo or redo (or a change prepared earlier) no longer fits the document's state."""


class SkipReason(StrEnum):
    """Why an occurrence or a suggestion was not labelled."""

    OVERLAPS_SPAN = "overlaps_span"
    """It shares characters with a span already there: the annotator decided there."""
    LONGER_NAME = "longer_name"
    """It is a bare part of a longer capitalised name ("Kemendagri" in "Kemendagri RI"):
    the guidelines want the longer name, which a person should label."""


@dataclass(frozen=True)
class Skipped:
    """A stretch ``[start, end)`` an edit did not label, and why."""

    start: int
    end: int
    reason: SkipReason


@dataclass(frozen=True)
class Change:
    """One edit applied to one document: its whole state before and after.

    ``None`` is the untouched state (no record). ``after is before`` when the edit changed
    nothing (a span that is already there, a label-all that found nothing): such a change is
    neither journaled nor undoable. ``made`` is the span the edit made or acted on (to select
    it), ``skipped`` what it left alone and why.
    """

    doc_id: str
    before: Annotation | None
    after: Annotation | None
    edit: Edit
    made: Span | None = None
    skipped: tuple[Skipped, ...] = field(default=())

    @property
    def changed(self) -> bool:
        """True when the document's state is different afterwards."""
        return self.after is not self.before

    @property
    def spans_before(self) -> tuple[Span, ...]:
        """The spans before (none when untouched)."""
        return self.before.spans if self.before is not None else ()

    @property
    def spans_after(self) -> tuple[Span, ...]:
        """The spans after (none when untouched)."""
        return self.after.spans if self.after is not None else ()

    def undo(self) -> Restore:
        """The edit that takes the document back to ``before``."""
        from annotator.core.edit.intents import Restore

        return Restore(self.doc_id, self.after, self.before)

    def redo(self) -> Restore:
        """The edit that takes the document to ``after`` again, after an undo."""
        from annotator.core.edit.intents import Restore

        return Restore(self.doc_id, self.before, self.after)


def same_state(a: Annotation | None, b: Annotation | None) -> bool:
    """True when two states hold the same text, spans, status and meta.

    Time is left out (it is credited outside the undo history, and never taken back), and
    so is ``updated_at``. Unchanged spans are shared objects, so this is quick even at
    5,000 spans.
    """
    if a is b:
        return True
    if a is None or b is None:
        return False
    return (
        a.text_sha256 == b.text_sha256
        and a.status == b.status
        and (a.spans is b.spans or a.spans == b.spans)
        and a.meta == b.meta
    )

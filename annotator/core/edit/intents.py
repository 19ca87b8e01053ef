"""The edits a person (or a tool) can make to one annotator's annotation of one document.

Each edit is a pure intent: a frozen record of what was asked, naming its document, holding
no state of its own. ``apply.apply_edit`` turns an intent and the current state into a
``Change``; the store journals the change. Spans are named by their key ``(start, end,
label)`` in code points, half-open, as everywhere in the core.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.model import Annotation, Status
from annotator.core.tokens import Snap

SpanKey = tuple[int, int, str]
"""``(start, end, label)``: a span, or a suggestion, as an edit names it."""


@dataclass(frozen=True)
class AddSpan:
    """Label ``[start, end)``: snapped as ``snap`` says; spans it overlaps are replaced."""

    doc_id: str
    start: int
    end: int
    label: str
    snap: Snap = Snap.EXPAND


@dataclass(frozen=True)
class Relabel:
    """Give the span ``span`` the label ``label``."""

    doc_id: str
    span: SpanKey
    label: str


@dataclass(frozen=True)
class RemoveSpan:
    """Delete the span ``span``."""

    doc_id: str
    span: SpanKey


@dataclass(frozen=True)
class LabelAll:
    """Label every other free, whole-token occurrence of the span ``span``'s text."""

    doc_id: str
    span: SpanKey


@dataclass(frozen=True)
class AcceptSuggestions:
    """Add these suggestions as spans; any that overlaps a span (or one before it) is skipped."""

    doc_id: str
    spans: tuple[SpanKey, ...]


@dataclass(frozen=True)
class RejectSuggestions:
    """Remember these suggestions as rejected, so they are not shown again."""

    doc_id: str
    spans: tuple[SpanKey, ...]


@dataclass(frozen=True)
class TakeVersion:
    """Adjudication: whatever is over ``[start, end)`` is replaced by ``version`` (may be empty:
    "take neither")."""

    doc_id: str
    start: int
    end: int
    version: tuple[SpanKey, ...]


@dataclass(frozen=True)
class SetSpans:
    """Replace every span (adjudication's starting proposal)."""

    doc_id: str
    spans: tuple[SpanKey, ...]


@dataclass(frozen=True)
class SetStatus:
    """Mark the document in progress, done or skipped, crediting ``seconds`` spent on it."""

    doc_id: str
    status: Status
    seconds: float = 0.0


@dataclass(frozen=True)
class AddTime:
    """Credit ``seconds`` spent on a touched document (an untouched one stays untouched)."""

    doc_id: str
    seconds: float


@dataclass(frozen=True)
class Put:
    """The whole record as given (an import). Its annotator becomes the store's."""

    annotation: Annotation

    @property
    def doc_id(self) -> str:
        """The annotation's document."""
        return self.annotation.id


@dataclass(frozen=True)
class Restore:
    """Undo or redo: from ``expected`` (the state a change left) back to ``target``.

    ``None`` is the untouched state: restoring it removes the annotator's record of the
    document. Refused when the document is no longer in the ``expected`` state.
    """

    doc_id: str
    expected: Annotation | None
    target: Annotation | None


Edit = (
    AddSpan
    | Relabel
    | RemoveSpan
    | LabelAll
    | AcceptSuggestions
    | RejectSuggestions
    | TakeVersion
    | SetSpans
    | SetStatus
    | AddTime
    | Put
    | Restore
)
"""Any edit."""

SPAN_EDITS = (
    AddSpan,
    Relabel,
    RemoveSpan,
    LabelAll,
    AcceptSuggestions,
    TakeVersion,
    SetSpans,
)
"""Edits that change spans: they reopen a skipped document (``apply.STATUS_RULES``)."""

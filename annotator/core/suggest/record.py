"""The suggestion record, and the filters that run before a suggestion is shown or accepted.

A suggestion is a proposed span (``start``, ``end``, ``label``) plus where it came from
(``source``) and a prior confidence (``score`` in [0, 1]). It is never an annotation: it lives
outside ``annotations/`` and becomes a span only when an annotator accepts it, through the
``Session`` like any other edit. Rejections are remembered in the annotation's
``meta["rejected_suggestions"]`` (a list of ``[start, end, label]``), so a rejected
suggestion does not come back when the document is opened again, and the rejection is
journaled and undoable like every other edit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from annotator.core.model import Annotation, Span, make_span
from annotator.core.tokens import TokenIndex

REJECTED_KEY = "rejected_suggestions"

# Where a suggestion came from; the window may show it in a tooltip.
GAZETTEER = "gazetteer"  # a packaged list: cities, provinces, agencies, programmes
ABBREVIATION = "abbreviation"  # "long name (ABBR)" defined in this article
DATE = "date"  # an Indonesian or English date expression
TITLE = "title"  # a person name after a title or before a degree
CONTEXT = "context"  # a person name by the words around it: a speech verb, a role, apposition
HEAD = "head"  # a capitalised name after a head word (Kementerian, Kabupaten, ...)
PROJECT = "project"  # the team's own terms and patterns (suggestions.toml)
MODEL = "model"  # the project's trained NER model

Key = tuple[int, int, str]


class Suggestion(BaseModel):
    """A proposed span: half-open code-point offsets, a label, its source and a score."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int = Field(ge=0)
    end: int
    label: str
    source: str = ""
    score: float = Field(default=0.5, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.end <= self.start:
            raise ValueError(f"suggestion end {self.end} must be greater than start {self.start}")
        return self

    @property
    def key(self) -> Key:
        """``(start, end, label)``, as ``Span.key``."""
        return (self.start, self.end, self.label)

    def overlaps(self, start: int, end: int) -> bool:
        """True when the suggestion shares at least one character with ``[start, end)``."""
        return self.start < end and start < self.end

    def to_span(self, text: str) -> Span:
        """The span this suggestion becomes when accepted."""
        return make_span(text, self.start, self.end, self.label)

    def to_json(self) -> dict[str, Any]:
        """``{"start", "end", "label", "source", "score"}`` for a suggestions file."""
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "source": self.source,
            "score": round(self.score, 4),
        }


def resolve(candidates: Iterable[Suggestion], longest_first: bool = False) -> list[Suggestion]:
    """Keep a flat (non-overlapping) subset, sorted by offset.

    Greedy: by score, then length (or length, then score with ``longest_first``), then
    position; a candidate is kept when it overlaps none kept before it. Deterministic.
    """

    def rank(s: Suggestion) -> tuple[float, float, int, str, str]:
        length = s.end - s.start
        first, second = (length, s.score) if longest_first else (s.score, length)
        return (-first, -second, s.start, s.label, s.source)

    kept: list[Suggestion] = []
    for cand in sorted(candidates, key=rank):
        if not any(k.overlaps(cand.start, cand.end) for k in kept):
            kept.append(cand)
    kept.sort(key=lambda s: (s.start, s.end, s.label))
    return kept


def aligned(
    text: str, suggestions: Iterable[Suggestion], index: TokenIndex | None = None
) -> list[Suggestion]:
    """Only the suggestions that begin and end on token boundaries of ``text`` and fit it."""
    index = index or TokenIndex(text)
    n = len(text)
    return [s for s in suggestions if s.end <= n and index.is_aligned(s.start, s.end)]


def rejected_keys(annotation: Annotation | None) -> frozenset[Key]:
    """The suggestions this annotator rejected in this document."""
    if annotation is None:
        return frozenset()
    raw = annotation.meta.get(REJECTED_KEY, [])
    out: set[Key] = set()
    if isinstance(raw, list):
        for item in raw:
            if (
                isinstance(item, list | tuple)
                and len(item) == 3
                and isinstance(item[0], int)
                and isinstance(item[1], int)
                and isinstance(item[2], str)
            ):
                out.add((item[0], item[1], item[2]))
    return frozenset(out)


def visible(
    suggestions: Iterable[Suggestion],
    spans: Sequence[Span] = (),
    rejected: Iterable[Key] = (),
) -> list[Suggestion]:
    """What is shown: no suggestion overlapping an accepted span, none already rejected.

    A suggestion equal to an accepted span is hidden too (it overlaps it).
    """
    skip = set(rejected)
    ordered = sorted(spans, key=lambda s: s.start)
    out = []
    for sug in suggestions:
        if sug.key in skip:
            continue
        if any(sp.overlaps(sug.start, sug.end) for sp in ordered):
            continue
        out.append(sug)
    return out


def visible_for(
    suggestions: Iterable[Suggestion], annotation: Annotation | None
) -> list[Suggestion]:
    """``visible`` against an annotator's current annotation of the document."""
    if annotation is None:
        return list(suggestions)
    return visible(suggestions, annotation.spans, rejected_keys(annotation))


def with_rejected(annotation: Annotation, *suggestions: Suggestion) -> Annotation:
    """A copy of ``annotation`` that remembers these suggestions as rejected.

    The window puts it through ``Session.put`` (journaled, undoable by putting the old one).
    """
    keys = sorted(rejected_keys(annotation) | {s.key for s in suggestions})
    meta = dict(annotation.meta)
    meta[REJECTED_KEY] = [list(k) for k in keys]
    return annotation.with_spans(annotation.spans, meta=meta)


def accept(annotation: Annotation, *suggestions: Suggestion) -> Annotation:
    """A copy of ``annotation`` with these suggestions added as spans (one undo step).

    Suggestions that overlap an accepted span, or each other, are skipped: accepting never
    replaces the annotator's own work. A touched document stays (or becomes) in progress.
    """
    spans = list(annotation.spans)
    for sug in sorted(suggestions, key=lambda s: (s.start, s.end)):
        if any(sp.overlaps(sug.start, sug.end) for sp in spans):
            continue
        spans.append(sug.to_span(annotation.text))
    status = annotation.status if annotation.status != "skipped" else "in_progress"
    return annotation.with_spans(tuple(spans), status=status)

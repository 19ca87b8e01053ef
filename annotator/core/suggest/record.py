"""The suggestion record, and the filters that run before a suggestion is shown or accepted.

A suggestion is a proposed span (``start``, ``end``, ``label``) plus where it came from
(``source``) and a prior confidence (``score`` in [0, 1]). It is never an annotation: it lives
outside ``annotations/`` and becomes a span only when an annotator accepts it, with the core
edit ``AcceptSuggestions`` like any other edit. Rejections (``RejectSuggestions``) are
remembered in the annotation's ``meta["rejected_suggestions"]`` (a list of ``[start, end,
label]``, ``core.edit.rejected_keys`` reads it), so a rejected suggestion does not come back
when the document is opened again, and the rejection is journaled and undoable like every
other edit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from annotator.core.edit import REJECTED_KEY as REJECTED_KEY
from annotator.core.edit import rejected_keys as rejected_keys
from annotator.core.model import Annotation, Span, make_span
from annotator.core.tokens import TokenIndex

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

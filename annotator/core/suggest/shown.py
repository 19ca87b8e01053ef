"""The suggestions shown on one open document, kept up to date edit by edit.

``record.visible`` says what is shown; this keeps that answer for a document whose
annotation changes a span at a time, without comparing every suggestion with every span
(at 5,000 spans and 1,000 suggestions that costs about a second; here an edit costs the
suggestions near it). It also answers the window's questions: which suggestion is under the
caret, and which comes next or before.

Suggestions of one document are flat and sorted (``Suggester.for_document`` guarantees it),
and so are an annotation's spans, so every look-up is a bisection.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from operator import attrgetter

from annotator.core.model import Annotation, Span
from annotator.core.span_ops import changed_spans, overlaps_any
from annotator.core.suggest.record import Key, Suggestion, rejected_keys

_start = attrgetter("start")


class ShownSuggestions:
    """The visible subset of one document's suggestions; see the module docstring."""

    def __init__(
        self, suggestions: Sequence[Suggestion] = (), annotation: Annotation | None = None
    ) -> None:
        self.all: list[Suggestion] = sorted(suggestions, key=lambda s: (s.start, s.end))
        self._starts = [s.start for s in self.all]
        self._ends = [s.end for s in self.all]
        self._shown = [False] * len(self.all)
        self.count = 0
        self.version = 0  # goes up whenever what is shown changes (a painter's cache key)
        self.refresh(annotation)

    # -- keeping up with the annotation -------------------------------------------------

    def refresh(
        self, annotation: Annotation | None, region: tuple[int, int] | None = None
    ) -> list[Suggestion]:
        """Re-decide the suggestions overlapping ``region`` (all when None).

        Returns the suggestions that appeared or disappeared (for repainting).
        """
        spans: Sequence[Span] = annotation.spans if annotation is not None else ()
        rejected: frozenset[Key] = rejected_keys(annotation)
        if region is None:
            lo, hi = 0, len(self.all)
        else:
            lo = bisect_right(self._ends, region[0])  # ending after the region starts
            hi = bisect_left(self._starts, max(region[1], region[0] + 1))
        changed = []
        for i in range(lo, hi):
            sug = self.all[i]
            shown = sug.key not in rejected and not overlaps_any(spans, sug.start, sug.end)
            if shown != self._shown[i]:
                self._shown[i] = shown
                self.count += 1 if shown else -1
                changed.append(sug)
        if changed:
            self.version += 1
        return changed

    def after_edit(
        self, annotation: Annotation | None, before: Sequence[Span], after: Sequence[Span]
    ) -> list[Suggestion]:
        """Follow a change of spans from ``before`` to ``after``; see ``refresh``."""
        changed = changed_spans(before, after)
        if not changed:
            return []
        region = min(s.start for s in changed), max(s.end for s in changed)
        return self.refresh(annotation, region)

    def reject(self, annotation: Annotation | None, keys: Iterable[Key]) -> list[Suggestion]:
        """Follow a change of the rejected list: re-decide the suggestions with these keys."""
        changed = []
        for start, end, _label in set(keys):
            changed += self.refresh(annotation, (start, end))
        return changed

    # -- questions -----------------------------------------------------------------------

    @property
    def items(self) -> list[Suggestion]:
        """The suggestions shown, in order."""
        return [s for s, shown in zip(self.all, self._shown, strict=True) if shown]

    def in_range(self, start: int, end: int) -> list[Suggestion]:
        """The suggestions shown that overlap ``[start, end)``."""
        lo, hi = bisect_right(self._ends, start), bisect_left(self._starts, end)
        return [self.all[i] for i in range(lo, hi) if self._shown[i]]

    def at(self, pos: int) -> Suggestion | None:
        """The suggestion shown that covers code point ``pos`` (or ends just at it)."""
        i = bisect_right(self._starts, pos) - 1
        if i >= 0 and self._shown[i] and self.all[i].end >= pos:
            return self.all[i]
        return None

    def next_after(self, pos: int, wrap: bool = True) -> Suggestion | None:
        """The first suggestion shown that starts at or after ``pos`` (then from the top)."""
        start = bisect_left(self._starts, pos)
        order = range(start, len(self.all))
        found = next((self.all[i] for i in order if self._shown[i]), None)
        if found is None and wrap:
            found = next((self.all[i] for i in range(start) if self._shown[i]), None)
        return found

    def previous_before(self, pos: int, wrap: bool = True) -> Suggestion | None:
        """The last suggestion shown that starts before ``pos`` (then from the bottom)."""
        stop = bisect_left(self._starts, pos)
        found = next((self.all[i] for i in range(stop - 1, -1, -1) if self._shown[i]), None)
        if found is None and wrap:
            order = range(len(self.all) - 1, stop - 1, -1)
            found = next((self.all[i] for i in order if self._shown[i]), None)
        return found

    def target(self, pos: int) -> Suggestion | None:
        """What accept and reject act on: the suggestion at ``pos``, else the next one."""
        return self.at(pos) or self.next_after(pos)

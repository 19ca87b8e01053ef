"""Adjudication: every annotator's spans of one document grouped into candidates to decide.

A *candidate* is a stretch of text where at least one annotator put a span: the spans of all
annotators are joined while they overlap (touching spans stay apart, as in docs/agreement.md), so
each span belongs to exactly one candidate and candidates never overlap one another. Each
annotator's *version* of a candidate is the tuple of their spans inside it (possibly empty).
A candidate is *agreed* when every annotator's version is the same, else *disputed*.

The gold of a document starts as the *proposal*: the spans of the agreed candidates (what
every annotator who submitted the document marked identically). The lead then decides each
disputed candidate: ``take`` puts one annotator's version (or nothing) in place of whatever
gold holds over the candidate. Spans are plain ``(start, end, label)`` tuples (code points,
half-open); gold is flat, so a version holding overlapping spans (an imported file may) is
flattened first, the outer span winning.

Where the lead decided is read back from gold alone (``review_state``), so the review page
shows the same thing after leaving and re-entering it, a restart, or another lead's save. A
candidate is *resolved* when gold holds spans over it (an annotator's version or the lead's
own), when the lead took an empty version there (gold's ``meta`` keeps those stretches under
``NEITHER_KEY``: nothing in gold would tell "took neither" from "not decided yet"), or when
the document is marked done (adjudicated).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

SpanTuple = tuple[int, int, str]
Version = tuple[SpanTuple, ...]

NONE = -1
"""``decision``: gold holds nothing over the candidate."""
BY_HAND = -2
"""``decision``: gold holds something over the candidate that no annotator proposed."""
NEITHER_KEY = "adjudicated_neither"
"""Gold's ``meta`` key: the stretches ``[[start, end], ...]`` where the lead took an empty
version ("take neither"), sorted."""


@dataclass(frozen=True)
class Candidate:
    """One stretch ``[start, end)`` and each annotator's spans in it (in annotator order)."""

    start: int
    end: int
    versions: tuple[Version, ...]

    @property
    def agreed(self) -> bool:
        """True when every annotator's version is the same."""
        return all(v == self.versions[0] for v in self.versions[1:])

    def options(self) -> list[tuple[Version, tuple[int, ...]]]:
        """The distinct versions and which annotators (by position) proposed each, in the
        order they first appear; an empty version (nothing marked here) included."""
        found: dict[Version, list[int]] = {}
        for i, version in enumerate(self.versions):
            found.setdefault(version, []).append(i)
        return [(version, tuple(who)) for version, who in found.items()]

    def overlaps(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` shares a character with the candidate."""
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Adjudication:
    """The candidates of one document, for the annotators ``annotators`` (in this order)."""

    annotators: tuple[str, ...]
    candidates: tuple[Candidate, ...]

    @property
    def disputed(self) -> tuple[Candidate, ...]:
        """The candidates the annotators do not all agree on, in text order."""
        return tuple(c for c in self.candidates if not c.agreed)

    def proposal(self) -> Version:
        """Gold's starting point: every span of the agreed candidates (flat, sorted)."""
        return flatten(s for c in self.candidates if c.agreed for s in c.versions[0])

    def decision(self, gold: Sequence[SpanTuple], candidate: Candidate) -> int:
        """Whose version gold holds over ``candidate``: ``NONE`` when gold is empty there, else
        the position of the first annotator whose version it equals, else ``BY_HAND``."""
        here = inside(gold, candidate)
        if not here:
            return NONE
        for i, version in enumerate(candidate.versions):
            if here == flatten(version):
                return i
        return BY_HAND


def adjudication_of(versions: Mapping[str, Iterable[SpanTuple]]) -> Adjudication:
    """Group every annotator's spans of one document into candidates (annotators sorted)."""
    names = tuple(sorted(versions))
    spans = {name: sorted(set(versions[name])) for name in names}
    everything = sorted((s, i) for i, name in enumerate(names) for s in spans[name])
    candidates: list[Candidate] = []
    group: list[tuple[SpanTuple, int]] = []
    group_end = -1

    def close() -> None:
        if group:
            per: list[list[SpanTuple]] = [[] for _ in names]
            for span, i in group:
                per[i].append(span)
            start = min(span[0] for span, _ in group)
            candidates.append(Candidate(start, group_end, tuple(tuple(p) for p in per)))

    for span, i in everything:
        if group and span[0] >= group_end:  # touching or apart: a new candidate
            close()
            group = []
        group.append((span, i))
        group_end = max(group_end, span[1]) if len(group) > 1 else span[1]
    close()
    return Adjudication(names, tuple(candidates))


def flatten(spans: Iterable[SpanTuple]) -> Version:
    """A flat subset of ``spans``, sorted: of overlapping spans the earlier start wins, and of
    two starting together the longer (the outer one), as in the token rule of docs/agreement.md."""
    kept: list[SpanTuple] = []
    for span in sorted(set(spans), key=lambda s: (s[0], -s[1], s[2])):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return tuple(kept)


def inside(spans: Sequence[SpanTuple], candidate: Candidate) -> Version:
    """The spans that overlap ``candidate``, sorted."""
    return tuple(sorted(s for s in spans if candidate.overlaps(s[0], s[1])))


def take(gold: Sequence[SpanTuple], candidate: Candidate, version: Iterable[SpanTuple]) -> Version:
    """``gold`` with every span overlapping ``candidate`` replaced by ``version`` (flattened);
    an empty ``version`` is "take neither"."""
    kept = [s for s in gold if not candidate.overlaps(s[0], s[1])]
    return tuple(sorted([*kept, *flatten(version)]))


def neither_of(meta: Mapping[str, Any]) -> tuple[tuple[int, int], ...]:
    """The "take neither" stretches kept in gold's ``meta`` (malformed items ignored)."""
    raw = meta.get(NEITHER_KEY, [])
    out: list[tuple[int, int]] = []
    if isinstance(raw, list):
        for item in raw:
            if (
                isinstance(item, list | tuple)
                and len(item) == 2
                and all(isinstance(x, int) and not isinstance(x, bool) for x in item)
                and item[0] < item[1]
            ):
                out.append((item[0], item[1]))
    return tuple(sorted(set(out)))


def with_taken(meta: Mapping[str, Any], start: int, end: int, empty: bool) -> dict[str, Any]:
    """Gold's ``meta`` after a version was taken over ``[start, end)``: the stretches of
    "take neither" overlapping it are dropped, and ``[start, end)`` is kept when the version
    taken was ``empty``. The key is left out when no stretch remains."""
    kept = [(s, e) for s, e in neither_of(meta) if not (s < end and start < e)]
    if empty:
        kept.append((start, end))
    out = {k: v for k, v in meta.items() if k != NEITHER_KEY}
    if kept:
        out[NEITHER_KEY] = [list(r) for r in sorted(kept)]
    return out


@dataclass(frozen=True)
class ReviewState:
    """Where the lead stands in one document: per disputed candidate (text order), whose
    version gold holds (``decision``) and whether it is resolved."""

    adjudication: Adjudication
    decisions: tuple[int, ...]
    resolved: tuple[bool, ...]

    @property
    def open_count(self) -> int:
        """How many disagreements are not resolved yet."""
        return self.resolved.count(False)

    def next_open(self, after: int = -1) -> int | None:
        """The first unresolved disagreement after position ``after`` (wrapping), or None."""
        n = len(self.resolved)
        for step in range(1, n + 1):
            i = (after + step) % n
            if not self.resolved[i]:
                return i
        return None


def review_state(
    adjudication: Adjudication,
    gold: Sequence[SpanTuple],
    neither: Sequence[tuple[int, int]] = (),
    done: bool = False,
) -> ReviewState:
    """The review state of a document from its saved gold alone: ``gold`` spans, the
    ``neither`` stretches of its ``meta`` (``neither_of``) and whether it is ``done``."""
    decisions: list[int] = []
    resolved: list[bool] = []
    for candidate in adjudication.disputed:
        decided = adjudication.decision(gold, candidate)
        decisions.append(decided)
        resolved.append(
            done or decided != NONE or any(candidate.overlaps(s, e) for s, e in neither)
        )
    return ReviewState(adjudication, tuple(decisions), tuple(resolved))

"""Span matching and the four F1 schemes of docs/agreement.md 3.1, one document at a time.

This is the readable reference: the window uses it to mark which spans of two annotators
agree, and the tests check the whole-corpus engine (``spanarrays``) against it. Spans are plain
``(start, end, label)`` tuples (code points, half-open); one annotator's spans may overlap or
nest (an imported file may hold such spans even though the editor never makes them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

SpanTuple = tuple[int, int, str]
Scheme = Literal["strict", "exact", "type", "partial"]
SCHEMES: tuple[Scheme, ...] = ("strict", "exact", "type", "partial")
LABEL_SCHEMES: tuple[Scheme, ...] = ("strict", "type")  # per-label F1 is defined for these
PARTIAL_CREDIT = 0.5


@dataclass(frozen=True, slots=True)
class Counts:
    """Credit and span counts of one comparison; a is the reference, b the other side.

    ``precision = credit / n_b``, ``recall = credit / n_a``, ``f1 = 2 credit / (n_a + n_b)``
    (the Dice form, symmetric in a and b); each is None when its denominator is 0.
    """

    credit: float = 0.0
    n_a: int = 0
    n_b: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.credit + other.credit, self.n_a + other.n_a, self.n_b + other.n_b)

    @property
    def precision(self) -> float | None:
        """Credit over the spans of b, None without any."""
        return self.credit / self.n_b if self.n_b else None

    @property
    def recall(self) -> float | None:
        """Credit over the spans of a, None without any."""
        return self.credit / self.n_a if self.n_a else None

    @property
    def f1(self) -> float | None:
        """``2C / (|A| + |B|)``, None when both sides are empty."""
        total = self.n_a + self.n_b
        return 2 * self.credit / total if total else None


@dataclass(frozen=True, slots=True)
class Match:
    """One accepted pair of spans and the credit it earned (1, or 0.5 for a partial overlap)."""

    a: SpanTuple
    b: SpanTuple
    credit: float


@dataclass(frozen=True, slots=True)
class Matching:
    """The one-to-one matching of two span sets under one scheme."""

    scheme: Scheme
    matches: tuple[Match, ...]
    unmatched_a: tuple[SpanTuple, ...]
    unmatched_b: tuple[SpanTuple, ...]

    @property
    def counts(self) -> Counts:
        """Total credit, |A| and |B|."""
        n_a = len(self.matches) + len(self.unmatched_a)
        n_b = len(self.matches) + len(self.unmatched_b)
        return Counts(sum(m.credit for m in self.matches), n_a, n_b)


def overlap(x: SpanTuple, y: SpanTuple) -> int:
    """Characters shared by two spans (0 when they only touch or are apart)."""
    return max(0, min(x[1], y[1]) - max(x[0], y[0]))


def normalise(spans: Iterable[SpanTuple]) -> tuple[SpanTuple, ...]:
    """Exact duplicates removed (set semantics) and sorted by ``(start, end, label)``."""
    return tuple(sorted(set(spans)))


def match_spans(a: Iterable[SpanTuple], b: Iterable[SpanTuple], scheme: Scheme) -> Matching:
    """Match the spans of a against those of b, as docs/agreement.md 3.1 prescribes.

    1. Exact-boundary pass: each a-span in ``(start, end, label)`` order takes the first unused
       b-span with the same ``(start, end)`` (and the same label for strict and type).
    2. Overlap pass (type and partial): every unused overlapping pair (same label for type),
       sorted by ``(-overlap, a.start, a.end, a.label, b.start, b.end, b.label)``, is accepted
       greedily when both spans are still unused; partial gives it half a credit.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
    sa, sb = normalise(a), normalise(b)
    need_label = scheme in ("strict", "type")
    by_bounds: dict[tuple[int, int], list[int]] = {}
    for j, y in enumerate(sb):
        by_bounds.setdefault((y[0], y[1]), []).append(j)
    used_a = [False] * len(sa)
    used_b = [False] * len(sb)
    matches: list[tuple[int, int, float]] = []
    for i, x in enumerate(sa):
        for j in by_bounds.get((x[0], x[1]), ()):
            if not used_b[j] and (not need_label or sb[j][2] == x[2]):
                used_a[i] = used_b[j] = True
                matches.append((i, j, 1.0))
                break
    if scheme in ("type", "partial"):
        credit = 1.0 if scheme == "type" else PARTIAL_CREDIT
        candidates = [
            (-overlap(x, y), x, y, i, j)
            for i, x in enumerate(sa)
            if not used_a[i]
            for j, y in enumerate(sb)
            if not used_b[j] and overlap(x, y) > 0 and (not need_label or x[2] == y[2])
        ]
        candidates.sort(key=lambda c: (c[0], c[1], c[2]))
        for _, _, _, i, j in candidates:
            if not used_a[i] and not used_b[j]:
                used_a[i] = used_b[j] = True
                matches.append((i, j, credit))
    matches.sort()
    return Matching(
        scheme=scheme,
        matches=tuple(Match(sa[i], sb[j], c) for i, j, c in matches),
        unmatched_a=tuple(x for i, x in enumerate(sa) if not used_a[i]),
        unmatched_b=tuple(y for j, y in enumerate(sb) if not used_b[j]),
    )


def score(a: Iterable[SpanTuple], b: Iterable[SpanTuple], scheme: Scheme) -> Counts:
    """Credit, |A| and |B| of one document under one scheme."""
    return match_spans(a, b, scheme).counts


def score_per_label(
    a: Sequence[SpanTuple], b: Sequence[SpanTuple], scheme: Scheme, labels: Iterable[str]
) -> dict[str, Counts]:
    """Per label: both sides filtered to the label, then matched (a PERSON-vs-CITY overlap
    is therefore a miss for PERSON and a false alarm for CITY)."""
    return {
        label: score([x for x in a if x[2] == label], [y for y in b if y[2] == label], scheme)
        for label in labels
    }


def label_confusion(a: Iterable[SpanTuple], b: Iterable[SpanTuple]) -> Counter[tuple[str, str]]:
    """``(label_a, label_b)`` of every exact-boundary pair, the differing labels included."""
    return Counter((m.a[2], m.b[2]) for m in match_spans(a, b, "exact").matches)


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are not None; None if there are none."""
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def spans_of(spans: Any) -> list[Any]:
    """A record's spans as a list (the schema refuses any other JSON; read as one bad span)."""
    return spans if isinstance(spans, list) else [spans]


def span_triples(spans: Any) -> list[tuple[Any, Any, Any]]:
    """A stored record's spans (a folder's line, a server's row) as ``(start, end, label)``
    each, as the JSON holds them: a missing key read as None, anything but an object as a
    span of Nones (and spans that are no list, which the schema refuses, as one such span).
    The core's checks then exclude a malformed span with a warning naming the annotator and
    the document, as they do a bad offset or label (decision 0115), rather than the reader
    stopping on it; both stores read a malformed span so, and give the same warning about it
    (decision 0117). Sound spans are read as before, without a test per span."""
    try:
        return [(sp["start"], sp["end"], sp["label"]) for sp in spans]
    except (KeyError, TypeError):  # a key missing, a span or the spans of another kind
        pass
    return [
        (sp.get("start"), sp.get("end"), sp.get("label"))
        if isinstance(sp, dict)
        else (None, None, None)
        for sp in spans_of(spans)
    ]

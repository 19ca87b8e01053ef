"""Fast look-ups in a document's sorted spans: what changed between two states, where one is.

Comparing pydantic records costs 1-2 µs each, so at 5,000 spans a plain ``in`` or a set
difference would eat the 16 ms a key press may take. Spans are sorted and never overlap, so
a span is found by bisecting on its start, and two states differ in one contiguous run
(unchanged spans are the same objects, so identity answers first). The run between two tuples
is remembered for the last few pairs: one edit's run is asked for by the check of the new
state, the store, the highlighter, the journal's encoder and the span list.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import compress, count
from operator import attrgetter, is_not

from annotator.core.model import Span

_start = attrgetter("start")
_end = attrgetter("end")


_RECENT = 4  # pairs of states whose run is remembered
_recent: tuple[tuple[Sequence[Span], Sequence[Span], tuple[int, int]], ...] = ()


def changed_run(old: Sequence[Span], new: Sequence[Span]) -> tuple[int, int]:
    """``(head, tail)``: how many spans at the start and at the end both states share.

    For two tuples (immutable) the answer is remembered, by identity, for the last few pairs;
    safe from any thread (the memory is one tuple, replaced whole)."""
    global _recent
    recent = _recent
    for a, b, run in recent:
        if a is old and b is new:
            return run
    limit = min(len(old), len(new))
    head = _shared(old, new, limit)
    tail = _shared(old[::-1], new[::-1], limit - head)
    if isinstance(old, tuple) and isinstance(new, tuple):
        _recent = ((old, new, (head, tail)), *recent[: _RECENT - 1])
    return head, tail


def _shared(a: Sequence[Span], b: Sequence[Span], limit: int) -> int:
    """How many of the first ``limit`` spans ``a`` and ``b`` share. Runs of identical objects
    are skipped in C (5,000 spans in ~0.1 ms, a Python loop took 0.5 ms); only a pair that is
    not the same object is compared."""
    n = 0
    while n < limit:
        n = next(compress(count(n), map(is_not, a[n:limit], b[n:limit])), limit)
        if n == limit or a[n] != b[n]:
            return n
        n += 1
    return limit


def changed_spans(old: Sequence[Span], new: Sequence[Span]) -> list[Span]:
    """The spans in one state and not the other (a superset when a run merely shifts)."""
    head, tail = changed_run(old, new)
    return [*old[head : len(old) - tail], *new[head : len(new) - tail]]


def overlaps_any(spans: Sequence[Span], start: int, end: int) -> bool:
    """True when a span of the sorted, flat ``spans`` shares a character with ``[start, end)``."""
    i = bisect_left(spans, end, key=_start)  # spans starting before end; only the last can reach
    return i > 0 and spans[i - 1].end > start


def find_span(spans: Sequence[Span], span: Span, starts: Sequence[int] | None = None) -> int:
    """The index of ``span`` in sorted, flat ``spans``, or -1."""
    if starts is None:
        starts = [s.start for s in spans]
    i = bisect_left(starts, span.start)
    if i < len(spans) and (spans[i] is span or spans[i] == span):
        return i
    return -1


def insert_replacing(spans: tuple[Span, ...], new: Span) -> tuple[Span, ...]:
    """``spans`` with every span overlapping ``new`` removed and ``new`` added, in order.

    A new span replaces the spans it overlaps (docs/design.md section 8), found by bisection
    instead of a sort.
    """
    first = bisect_right(spans, new.start, key=_end)  # first span ending after new starts
    last = bisect_left(spans, new.end, lo=first, key=_start)  # from here on: start after it
    return (*spans[:first], new, *spans[last:])

"""Look-ups in a document's sorted spans: each shortcut equals the plain rule it replaces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.model import Span, make_span
from annotator.core.span_ops import (
    changed_run,
    changed_spans,
    find_span,
    insert_replacing,
    overlaps_any,
    replaced,
)

TEXT = "abcdefghijklmnopqrstuvwxyz" * 4
LABELS = ("A", "B")


@st.composite
def flat_spans(draw: st.DrawFn) -> tuple[Span, ...]:
    cuts = sorted(draw(st.sets(st.integers(0, len(TEXT)), max_size=16)))
    spans = []
    for s, e in zip(cuts[::2], cuts[1::2], strict=False):
        if s < e:
            spans.append(make_span(TEXT, s, e, draw(st.sampled_from(LABELS))))
    return tuple(spans)


@st.composite
def one_span(draw: st.DrawFn) -> Span:
    s = draw(st.integers(0, len(TEXT) - 1))
    e = draw(st.integers(s + 1, len(TEXT)))
    return make_span(TEXT, s, e, draw(st.sampled_from(LABELS)))


@settings(max_examples=150, deadline=None)
@given(flat_spans(), one_span())
def test_insert_replacing_matches_the_core_rule(spans: tuple[Span, ...], new: Span) -> None:
    kept = [s for s in spans if not s.overlaps(new.start, new.end)]  # the plain rule
    assert insert_replacing(spans, new) == tuple(sorted([*kept, new], key=lambda s: s.key))


@settings(max_examples=150, deadline=None)
@given(flat_spans(), flat_spans())
def test_changed_spans_covers_the_symmetric_difference(
    old: tuple[Span, ...], new: tuple[Span, ...]
) -> None:
    changed = changed_spans(old, new)
    assert set(old) ^ set(new) <= set(changed)
    head, tail = changed_run(old, new)
    assert old[:head] == new[:head]
    assert tail == 0 or old[len(old) - tail :] == new[len(new) - tail :]


@settings(max_examples=100, deadline=None)
@given(flat_spans())
def test_find_span(spans: tuple[Span, ...]) -> None:
    for i, span in enumerate(spans):
        assert find_span(spans, span) == i
        other = make_span(TEXT, span.start, span.end, "B" if span.label == "A" else "A")
        assert find_span(spans, other) == -1


@settings(max_examples=150, deadline=None)
@given(flat_spans(), one_span())
def test_overlaps_any_matches_the_plain_rule(spans: tuple[Span, ...], probe: Span) -> None:
    expected = any(s.overlaps(probe.start, probe.end) for s in spans)
    assert overlaps_any(spans, probe.start, probe.end) == expected


def plain_changed_run(old: tuple[Span, ...], new: tuple[Span, ...]) -> tuple[int, int]:
    """The rule ``changed_run`` implements, one pair at a time."""
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
        tail += 1
    return head, tail


@settings(max_examples=200, deadline=None)
@given(flat_spans(), one_span(), st.lists(st.booleans(), max_size=16))
def test_changed_run_is_the_longest_shared_run_whether_spans_are_shared_or_copied(
    old: tuple[Span, ...], new_span: Span, copied: list[bool]
) -> None:
    # the next state mostly shares the old span objects; some are equal copies
    new = insert_replacing(old, new_span)
    mixed = tuple(s.model_copy() if i < len(copied) and copied[i] else s for i, s in enumerate(new))
    for a, b in ((old, mixed), (mixed, old), (old, old), (old, ()), ((), mixed)):
        assert changed_run(a, b) == plain_changed_run(a, b)


@settings(max_examples=100, deadline=None)
@given(flat_spans(), one_span(), one_span())
def test_changed_run_remembered_for_tuples_never_for_lists(
    old: tuple[Span, ...], first: Span, second: Span
) -> None:
    # the same pair of tuples asked again, after other pairs, gets the same (right) answer
    new = insert_replacing(old, first)
    other = insert_replacing(new, second)
    for a, b in ((old, new), (new, other), (old, new), (other, old), (old, new)):
        assert changed_run(a, b) == plain_changed_run(a, b)
    # a list may change between two questions: it is never answered from memory
    growing = list(old)
    assert changed_run(growing, new) == plain_changed_run(old, new)
    growing[:] = other
    assert changed_run(growing, new) == plain_changed_run(other, new)


@settings(max_examples=300, deadline=None)
@given(flat_spans(), st.data())
def test_a_replacement_remembers_the_run_a_plain_comparison_finds(
    old: tuple[Span, ...], data: st.DataObject
) -> None:
    """An edit tells ``changed_run`` the run it changed; what it tells is the longest shared
    run, even where the new middle begins or ends with a span equal to one it replaced."""
    lo = data.draw(st.integers(0, len(old)))
    hi = data.draw(st.integers(lo, len(old)))
    pool = st.sampled_from(old) | one_span() if old else one_span()
    middle = data.draw(st.lists(pool, max_size=3))
    new = replaced(old, lo, hi, middle)
    assert new == (*old[:lo], *middle, *old[hi:])
    assert changed_run(old, new) == plain_changed_run(old, new)  # answered from memory
    assert changed_run(new, old) == plain_changed_run(new, old)  # and the undo's way round

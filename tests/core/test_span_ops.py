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

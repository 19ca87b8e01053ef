"""The window's view of one document's suggestions agrees with ``record.visible`` edit by edit."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.edit import AcceptSuggestions, EditContext, RejectSuggestions, apply_edit
from annotator.core.model import Annotation, Span, make_span
from annotator.core.suggest.record import Suggestion, visible_for
from annotator.core.suggest.shown import ShownSuggestions

TEXT = "Wali Kota Makassar Budi Santoso hadir di Jakarta pada Selasa (30/08/2022) pagi."
WORDS = [(0, 4), (5, 9), (10, 18), (19, 23), (24, 31), (32, 37), (38, 40), (41, 48)]
LABELS = ("PERSON", "CITY", "DATE")


def flat_suggestions(cuts: list[tuple[int, int, int]]) -> list[Suggestion]:
    """Flat suggestions over runs of WORDS: (first word, words, label index)."""
    out: list[Suggestion] = []
    taken = -1
    for first, n, label in sorted(cuts):
        last = min(len(WORDS) - 1, first + n)
        if first <= taken:
            continue
        out.append(Suggestion(start=WORDS[first][0], end=WORDS[last][1], label=LABELS[label]))
        taken = last
    return out


def annotation(spans: list[Span]) -> Annotation:
    return Annotation(id="d", text=TEXT, annotator="ani", spans=tuple(spans))


CONTEXT = EditContext("d", TEXT, "ani", frozenset(LABELS))


cuts = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 2), st.integers(0, 2)), max_size=6)


@settings(max_examples=200, deadline=None)
@given(cuts, cuts, st.lists(st.integers(0, 7), max_size=3), cuts)
def test_refresh_after_each_edit_matches_visible(
    sug_cuts: list[tuple[int, int, int]],
    first_spans: list[tuple[int, int, int]],
    rejected: list[int],
    second_spans: list[tuple[int, int, int]],
) -> None:
    suggestions = flat_suggestions(sug_cuts)
    one = annotation([s.to_span(TEXT) for s in flat_suggestions(first_spans)])
    shown = ShownSuggestions(suggestions, one)
    assert shown.items == visible_for(suggestions, one)
    assert shown.count == len(shown.items)

    two = annotation([s.to_span(TEXT) for s in flat_suggestions(second_spans)])
    changed = shown.after_edit(two, one.spans, two.spans)
    assert shown.items == visible_for(suggestions, two)
    assert set(changed) == set(visible_for(suggestions, one)) ^ set(shown.items)

    gone = [suggestions[i] for i in rejected if i < len(suggestions)]
    three = apply_edit(two, RejectSuggestions("d", tuple(g.key for g in gone)), CONTEXT).after
    assert three is not None
    shown.reject(three, [g.key for g in gone])
    assert shown.items == visible_for(suggestions, three)
    assert shown.count == len(shown.items)


@settings(max_examples=200, deadline=None)
@given(cuts, cuts)
def test_accepting_adds_what_overlaps_nothing_and_reports_the_rest(
    span_cuts: list[tuple[int, int, int]], sug_cuts: list[tuple[int, int, int]]
) -> None:
    base = annotation([s.to_span(TEXT) for s in flat_suggestions(span_cuts)])
    # suggestions from another cut may overlap the spans: those are skipped, and said so
    suggestions = flat_suggestions(sug_cuts)
    expected = list(base.spans)
    overlapping = []
    for sug in suggestions:
        if any(sp.overlaps(sug.start, sug.end) for sp in expected):
            overlapping.append((sug.start, sug.end))
        else:
            expected.append(sug.to_span(TEXT))
    edit = AcceptSuggestions("d", tuple(s.key for s in suggestions))
    change = apply_edit(base, edit, CONTEXT)
    assert change.spans_after == tuple(sorted(expected, key=lambda s: s.key))
    assert [(s.start, s.end) for s in change.skipped] == overlapping
    assert change.changed == (len(overlapping) < len(suggestions))


def test_target_is_the_suggestion_under_the_caret_else_the_next_one() -> None:
    city = Suggestion(start=10, end=18, label="CITY")
    person = Suggestion(start=19, end=31, label="PERSON")
    date = Suggestion(start=54, end=73, label="DATE")
    shown = ShownSuggestions([date, city, person])
    assert shown.items == [city, person, date]
    assert shown.target(12) == city
    assert shown.target(18) == city  # the caret just after the word
    assert shown.target(0) == city
    assert shown.target(40) == date
    assert shown.target(75) == city  # past the last one: from the top again
    assert shown.next_after(19) == person
    assert shown.next_after(20) == date
    assert shown.previous_before(19) == city
    assert shown.previous_before(5) == date
    assert shown.in_range(15, 25) == [city, person]
    # once the city is accepted, the caret on it targets the next one
    accepted = annotation([make_span(TEXT, 10, 18, "CITY")])
    shown.refresh(accepted)
    assert shown.target(12) == person
    assert shown.count == 2

"""Adjudication candidates: grouping, the agreed proposal, taking a version, whose gold is."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.adjudication import (
    BY_HAND,
    NONE,
    SpanTuple,
    adjudication_of,
    flatten,
    inside,
    take,
)

T1 = "Joko Widodo visited Jakarta on 5 May 2023 with Kemendagri for the Smart City program."


def at(word: str, label: str, text: str = T1) -> SpanTuple:
    start = text.index(word)
    return (start, start + len(word), label)


def test_candidates_group_overlaps_and_keep_touching_spans_apart() -> None:
    joko, widodo = at("Joko Widodo", "PERSON"), at("Widodo", "PERSON")
    jakarta = at("Jakarta", "CITY")
    smart, program = at("Smart City", "PROGRAM"), at("Smart City program", "PROGRAM")
    date = at("5 May 2023", "DATE")
    touching = (date[1], date[1] + len(" with"), "AGENCY")  # starts where the date ends
    adj = adjudication_of(
        {"budi": [widodo, jakarta, program, touching], "ani": [joko, jakarta, smart, date]}
    )
    assert adj.annotators == ("ani", "budi")
    assert [(c.start, c.end) for c in adj.candidates] == [
        (joko[0], joko[1]),
        (jakarta[0], jakarta[1]),
        (date[0], date[1]),
        (touching[0], touching[1]),
        (smart[0], program[1]),
    ]
    first, city, when, after, prog = adj.candidates
    assert first.versions == ((joko,), (widodo,))
    assert not first.agreed
    assert city.agreed
    assert city.versions == ((jakarta,), (jakarta,))
    assert when.versions == ((date,), ())
    assert after.versions == ((), (touching,))
    assert adj.disputed == (first, when, after, prog)
    assert adj.proposal() == (jakarta,)
    assert first.options() == [((joko,), (0,)), ((widodo,), (1,))]


def test_three_annotators_majority_is_still_disputed() -> None:
    joko, widodo = at("Joko Widodo", "PERSON"), at("Widodo", "PERSON")
    adj = adjudication_of({"ani": [joko], "budi": [widodo], "cita": [joko]})
    (only,) = adj.candidates
    assert not only.agreed
    assert only.options() == [((joko,), (0, 2)), ((widodo,), (1,))]
    assert adj.proposal() == ()


def test_take_replaces_what_gold_holds_over_the_candidate() -> None:
    joko, widodo = at("Joko Widodo", "PERSON"), at("Widodo", "PERSON")
    jakarta = at("Jakarta", "CITY")
    adj = adjudication_of({"ani": [joko, jakarta], "budi": [widodo, jakarta]})
    first = adj.candidates[0]
    gold = adj.proposal()
    assert adj.decision(gold, first) == NONE
    gold = take(gold, first, first.versions[1])
    assert gold == (widodo, jakarta)
    assert adj.decision(gold, first) == 1
    gold = take(gold, first, first.versions[0])
    assert gold == (joko, jakarta)
    assert adj.decision(gold, first) == 0
    hand = (0, 4, "PERSON")  # "Joko" alone: nobody proposed it
    assert adj.decision((hand, jakarta), first) == BY_HAND
    assert take(gold, first, ()) == (jakarta,)


def test_flatten_keeps_the_outer_span() -> None:
    outer, inner = at("Smart City program", "PROGRAM"), at("Smart", "CITY")
    later = at("City program", "PROGRAM")
    assert flatten([inner, later, outer]) == (outer,)
    assert flatten([later, inner]) == (inner, later)  # "Smart" and "City program" touch
    assert flatten([at("program", "AGENCY"), later]) == (later,)  # the earlier start wins
    assert flatten([at("City", "CITY"), later]) == (later,)  # the same start: the longer
    assert flatten([inner, at("Jakarta", "CITY")]) == tuple(sorted([inner, at("Jakarta", "CITY")]))


# -- properties ---------------------------------------------------------------------------

LABELS = ("PERSON", "AGENCY", "CITY")
spans = st.lists(
    st.tuples(st.integers(0, 40), st.integers(1, 8), st.sampled_from(LABELS)).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=8,
)
flat_spans = spans.map(flatten)
names = st.sampled_from(["ani", "budi", "cita", "dewi"])


@given(st.dictionaries(names, spans, min_size=1, max_size=4))
def test_every_span_lands_in_exactly_one_candidate(versions: dict[str, list[SpanTuple]]) -> None:
    adj = adjudication_of(versions)
    regions = [(c.start, c.end) for c in adj.candidates]
    assert regions == sorted(regions)
    for (_, end), (start, _) in itertools.pairwise(regions):
        assert end <= start  # candidates never overlap
    for i, name in enumerate(adj.annotators):
        placed = [s for c in adj.candidates for s in c.versions[i]]
        assert sorted(placed) == sorted(set(versions[name]))
        for c in adj.candidates:
            assert all(c.start <= s[0] and s[1] <= c.end for s in c.versions[i])
    for c in adj.candidates:
        assert c.agreed == (len({v for v in c.versions}) == 1)
        assert c.start == min(s[0] for v in c.versions for s in v)
        assert c.end == max(s[1] for v in c.versions for s in v)


@given(st.dictionaries(names, flat_spans, min_size=1, max_size=4))
def test_the_proposal_is_what_everyone_marked(versions: dict[str, tuple[SpanTuple, ...]]) -> None:
    adj = adjudication_of(versions)
    common = set.intersection(*(set(v) for v in versions.values()))
    proposal = adj.proposal()
    assert set(proposal) <= common
    assert flatten(proposal) == proposal
    # a span everyone marked is left out only when someone also marked something over it
    for span in common - set(proposal):
        cand = next(c for c in adj.candidates if c.overlaps(span[0], span[1]))
        assert not cand.agreed


@given(st.dictionaries(names, flat_spans, min_size=1, max_size=4), st.data())
def test_taking_one_annotator_everywhere_gives_their_spans(
    versions: dict[str, tuple[SpanTuple, ...]], data: st.DataObject
) -> None:
    adj = adjudication_of(versions)
    k = data.draw(st.integers(0, len(adj.annotators) - 1))
    gold = adj.proposal()
    for c in adj.disputed:
        gold = take(gold, c, c.versions[k])
        first_with_it = c.versions.index(c.versions[k])
        assert adj.decision(gold, c) == (first_with_it if c.versions[k] else NONE)
    assert gold == tuple(sorted(versions[adj.annotators[k]]))
    for c in adj.candidates:
        assert inside(gold, c) == c.versions[k]

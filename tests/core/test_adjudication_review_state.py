"""The review state of a document is read back from saved gold alone: whose version gold holds
over each disagreement, and which are resolved, "take neither" included."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.adjudication import (
    BY_HAND,
    NEITHER_KEY,
    NONE,
    SpanTuple,
    adjudication_of,
    neither_of,
    review_state,
    with_taken,
)
from annotator.core.edit import EditContext, SetSpans, SetStatus, TakeVersion, apply_edit
from annotator.core.model import Annotation

LABELS = frozenset({"PERSON", "AGENCY", "CITY", "DATE", "PROGRAM"})
TEXT = "Joko Widodo ke Makassar bersama Kemendagri RI pada 5 Mei 2023 untuk Kartu Prakerja."


def at(word: str, label: str) -> SpanTuple:
    start = TEXT.index(word)
    return (start, start + len(word), label)


JOKO, WIDODO = at("Joko Widodo", "PERSON"), at("Widodo", "PERSON")
MAKASSAR = at("Makassar", "CITY")
KEMENDAGRI, KEMENDAGRI_RI = at("Kemendagri", "AGENCY"), at("Kemendagri RI", "AGENCY")
DATE = at("5 Mei 2023", "DATE")
VERSIONS = {
    "ani": [JOKO, MAKASSAR, KEMENDAGRI_RI, DATE],
    "budi": [WIDODO, MAKASSAR, KEMENDAGRI],  # no date
}


def ctx() -> EditContext:
    return EditContext("d", TEXT, "gold", LABELS)


def gold_keys(state: Annotation | None) -> list[SpanTuple]:
    return [s.key for s in state.spans] if state is not None else []


def state_of(state: Annotation | None) -> tuple[tuple[int, ...], tuple[bool, ...]]:
    adj = adjudication_of(VERSIONS)
    meta = state.meta if state is not None else {}
    done = state is not None and state.status == "done"
    review = review_state(adj, gold_keys(state), neither_of(meta), done)
    return review.decisions, review.resolved


def test_the_proposal_leaves_every_disagreement_open() -> None:
    adj = adjudication_of(VERSIONS)
    gold = apply_edit(None, SetSpans("d", adj.proposal()), ctx()).after
    assert gold_keys(gold) == [MAKASSAR]
    assert state_of(gold) == ((NONE, NONE, NONE), (False, False, False))
    review = review_state(adj, gold_keys(gold))
    assert review.open_count == 3
    assert review.next_open() == 0
    assert review.next_open(2) == 0


def test_taking_a_version_or_neither_resolves_it_and_is_read_back_from_gold() -> None:
    adj = adjudication_of(VERSIONS)
    gold = apply_edit(None, SetSpans("d", adj.proposal()), ctx()).after
    joko, agency, date = adj.disputed
    gold = apply_edit(gold, TakeVersion("d", joko.start, joko.end, joko.versions[1]), ctx()).after
    assert state_of(gold) == ((1, NONE, NONE), (True, False, False))
    # neither where gold already has nothing: still a change, kept in gold's meta
    change = apply_edit(gold, TakeVersion("d", date.start, date.end, ()), ctx())
    assert change.changed
    gold = change.after
    assert gold is not None
    assert gold.meta[NEITHER_KEY] == [[date.start, date.end]]
    assert state_of(gold) == ((1, NONE, NONE), (True, False, True))
    review = review_state(adj, gold_keys(gold), neither_of(gold.meta))
    assert review.next_open(0) == 1
    assert review.next_open(1) == 1
    # taking a version over a "neither" stretch forgets it
    gold = apply_edit(gold, TakeVersion("d", date.start, date.end, date.versions[0]), ctx()).after
    assert gold is not None
    assert NEITHER_KEY not in gold.meta
    assert state_of(gold) == ((1, NONE, 0), (True, False, True))
    # neither again over the same stretch changes nothing the second time
    gold = apply_edit(gold, TakeVersion("d", agency.start, agency.end, ()), ctx()).after
    assert not apply_edit(gold, TakeVersion("d", agency.start, agency.end, ()), ctx()).changed


def test_own_spans_and_done_count_as_resolved() -> None:
    adj = adjudication_of(VERSIONS)
    agency = adj.disputed[1]
    review = review_state(adj, [MAKASSAR, at("RI", "AGENCY")])
    assert review.decisions[1] == BY_HAND
    assert review.resolved == (False, True, False)
    gold = apply_edit(None, SetSpans("d", adj.proposal()), ctx()).after
    done = apply_edit(gold, SetStatus("d", "done"), ctx()).after
    assert state_of(done)[1] == (True, True, True)
    assert agency.agreed is False


def test_malformed_neither_items_are_ignored() -> None:
    meta = {NEITHER_KEY: [[3, 1], [1, 2, 3], "x", [True, 4], [5, 9], [5, 9]]}
    assert neither_of(meta) == ((5, 9),)
    assert neither_of({NEITHER_KEY: "nope"}) == ()
    assert with_taken(meta, 0, 10, empty=False) == {}
    assert with_taken({"other": 1}, 2, 4, empty=True) == {"other": 1, NEITHER_KEY: [[2, 4]]}


@given(st.lists(st.tuples(st.integers(0, 2), st.integers(-1, 1)), max_size=12))
def test_resolved_is_exactly_what_was_taken(takes: list[tuple[int, int]]) -> None:
    """Whatever order the lead takes versions (or neither) in, the state read back from
    gold marks exactly the disagreements touched, and their decision matches the last take."""
    adj = adjudication_of(VERSIONS)
    gold = apply_edit(None, SetSpans("d", adj.proposal()), ctx()).after
    last: dict[int, int] = {}
    for which, who in takes:
        candidate = adj.disputed[which]
        version = candidate.versions[who] if who >= 0 else ()
        gold = apply_edit(
            gold, TakeVersion("d", candidate.start, candidate.end, version), ctx()
        ).after
        last[which] = who
    decisions, resolved = state_of(gold)
    assert resolved == tuple(i in last for i in range(len(adj.disputed)))
    for which, who in last.items():
        version = adj.disputed[which].versions[who] if who >= 0 else ()
        if version:  # an empty version reads back as NONE (resolved by the meta)
            assert decisions[which] == adj.disputed[which].versions.index(version)
        else:
            assert decisions[which] == NONE

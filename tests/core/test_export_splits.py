"""Splits: parsed strictly, deterministic for a seed, stable as documents are added, stratified."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError
from annotator.core.export import parse_split, plan_splits

FRACTIONS = (0.8, 0.1, 0.1)


def corpus(n: int, start: int = 0) -> dict[str, frozenset[str]]:
    """``n`` documents: every one has CITY, every tenth PERSON."""
    return {
        f"berita-{i:05d}": frozenset({"CITY"} | ({"PERSON"} if i % 10 == 0 else set()))
        for i in range(start, start + n)
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("80,10,10", FRACTIONS),
        ("0.8,0.1,0.1", FRACTIONS),
        ("90,10", (0.9, 0.1)),
        ("80/10/10", FRACTIONS),
        ("33.3,33.3,33.4", (0.333, 0.333, 0.334)),
    ],
)
def test_parse_split(text: str, expected: tuple[float, ...]) -> None:
    assert parse_split(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text", ["80", "0,50,50", "a,b", "80,-10,30", "70,10,10,10", "nan,1", "80,30", "8,1,1", "inf,1"]
)
def test_parse_split_refuses_nonsense(text: str) -> None:
    with pytest.raises(AnnotatorError, match="--split"):
        parse_split(text)


def test_no_split_puts_everything_in_all() -> None:
    plan = plan_splits(corpus(5), None, 0)
    assert plan.names == ("all",)
    assert set(plan.of.values()) == {"all"}


def test_same_seed_same_split_other_seed_other_split() -> None:
    docs = corpus(2000)
    a, b = plan_splits(docs, FRACTIONS, 7), plan_splits(docs, FRACTIONS, 7)
    assert a.of == b.of
    c = plan_splits(docs, FRACTIONS, 8)
    assert sum(a.of[d] != c.of[d] for d in docs) > 200


def test_fractions_are_respected_roughly() -> None:
    plan = plan_splits(corpus(10_000), FRACTIONS, 3)
    counts = {name: list(plan.of.values()).count(name) for name in plan.names}
    assert counts["train"] == pytest.approx(8000, abs=250)
    assert counts["dev"] == pytest.approx(1000, abs=150)
    assert counts["test"] == pytest.approx(1000, abs=150)


def test_a_document_keeps_its_split_when_documents_are_added() -> None:
    old = corpus(1000)
    grown = {**corpus(1500, start=1000), **old}  # new ones, in any order
    before, after = plan_splits(old, FRACTIONS, 11), plan_splits(grown, FRACTIONS, 11)
    assert before.moved == []
    assert after.moved == []
    assert all(after.of[d] == split for d, split in before.of.items())


def test_a_label_only_outside_train_is_moved_into_train() -> None:
    docs = corpus(300)
    plan = plan_splits(docs, FRACTIONS, 5)
    rare = next(d for d, split in plan.of.items() if split == "test")
    docs[rare] = docs[rare] | {"PROGRAM"}
    moved = plan_splits(docs, FRACTIONS, 5)
    assert moved.of[rare] == "train"
    assert moved.moved == [(rare, "test", "PROGRAM")]
    assert all(moved.of[d] == plan.of[d] for d in docs if d != rare)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.text("abcdefgh-0123456789", min_size=1, max_size=8),
        st.frozensets(st.sampled_from(["PERSON", "AGENCY", "CITY", "DATE", "PROGRAM"])),
        max_size=40,
    ),
    st.integers(0, 2**31),
    st.sampled_from([FRACTIONS, (0.5, 0.5), (0.34, 0.33, 0.33), (0.1, 0.0, 0.9)]),
)
def test_every_label_reaches_train(
    docs: dict[str, frozenset[str]], seed: int, fractions: tuple[float, ...]
) -> None:
    plan = plan_splits(docs, fractions, seed)
    assert set(plan.of) == set(docs)
    assert set(plan.of.values()) <= set(plan.names)
    present = set().union(*docs.values()) if docs else set()
    in_train = set().union(*(docs[d] for d, s in plan.of.items() if s == "train"))
    assert present <= in_train
    assert len(plan.moved) <= len(present)

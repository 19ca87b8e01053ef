"""Property tests of the assignment algorithm on 1,000 and 100,000 generated documents:
balance, pair coverage, stability and determinism."""

from collections import Counter
from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.assign import Assignment, AssignOptions, Outcome, plan_assignments

NOW = 1_800_000_000.0


def ids(n: int, prefix: str = "doc") -> list[str]:
    return [f"{prefix}-{i:06d}" for i in range(n)]


def team_of(n: int) -> tuple[str, ...]:
    return tuple(f"ann{i:02d}" for i in range(n))


def spread(values: list[int]) -> int:
    return max(values) - min(values)


def subset_counts(plan: dict[str, Assignment], team: tuple[str, ...], k: int) -> list[int]:
    covered = Counter(tuple(sorted(a.annotators)) for a in plan.values() if len(a.annotators) > 1)
    return [covered.get(sub, 0) for sub in combinations(sorted(team), k)]


def check_plan(outcome: Outcome, docs: list[str], fraction: float, k: int) -> None:
    plan, team = outcome.plan, outcome.team
    assert set(plan) == set(docs), "every document gets annotators"
    sizes = Counter(len(plan[d].annotators) for d in docs)
    k = min(k, len(team))
    n_overlap = int(fraction * len(docs) + 0.5) if k > 1 else 0
    assert sizes == Counter({k: n_overlap, 1: len(docs) - n_overlap} if k > 1 else {1: len(docs)})
    for d in docs:
        assert len(set(plan[d].annotators)) == len(plan[d].annotators)
        assert set(plan[d].annotators) <= set(team)
    loads = Counter(n for d in docs for n in plan[d].annotators)
    assert spread([loads.get(n, 0) for n in team]) <= 1, "loads within one"
    assert outcome.load == {n: loads.get(n, 0) for n in team}


team_sizes = st.integers(min_value=2, max_value=20)
fractions = st.sampled_from([0.0, 0.05, 0.1, 0.2, 0.5])
per_doc = st.integers(min_value=2, max_value=3)
seeds = st.integers(min_value=0, max_value=2**31)


@settings(max_examples=60, deadline=None)
@given(n=team_sizes, fraction=fractions, k=per_doc, seed=seeds)
def test_1000_documents_balanced_and_every_subset_covered(
    n: int, fraction: float, k: int, seed: int
) -> None:
    team, docs = team_of(n), ids(1000)
    outcome = plan_assignments(docs, {}, AssignOptions(team, fraction, k, seed), {}, NOW)
    check_plan(outcome, docs, fraction, k)
    counts = subset_counts(outcome.plan, team, outcome.per_doc)
    assert spread(counts) <= 1, "overlap spread evenly over every subset"
    if int(fraction * 1000 + 0.5) >= len(counts):
        assert min(outcome.pairs.values()) > 0, "every pair shares documents"


@settings(max_examples=40, deadline=None)
@given(
    n=team_sizes,
    fraction=fractions,
    k=per_doc,
    seed=seeds,
    more=st.integers(min_value=0, max_value=400),
    seed2=seeds,
)
def test_1000_documents_then_more_never_move_and_stay_balanced(
    n: int, fraction: float, k: int, seed: int, more: int, seed2: int
) -> None:
    team, docs = team_of(n), ids(1000)
    first = plan_assignments(docs, {}, AssignOptions(team, fraction, k, seed), {}, NOW)
    grown = docs + ids(more, "new")
    second = plan_assignments(
        grown, first.plan, AssignOptions(team, fraction, k, seed2), {}, NOW + 60
    )
    assert {d: second.plan[d] for d in docs} == first.plan, "existing assignments never move"
    assert sorted(second.new_documents) == sorted(ids(more, "new"))
    loads = [second.load[name] for name in team]
    assert spread(loads) <= 1
    assert spread(subset_counts(second.plan, team, second.per_doc)) <= 2
    again = plan_assignments(grown, second.plan, AssignOptions(team, fraction, k, 0), {}, NOW)
    assert again.plan == second.plan
    assert not again.changed, "re-running assigns nothing twice"


@settings(max_examples=30, deadline=None)
@given(n=team_sizes, fraction=st.sampled_from([0.7, 0.9, 1.0]), k=per_doc, seed=seeds)
def test_mostly_overlap_keeps_loads_within_one(n: int, fraction: float, k: int, seed: int) -> None:
    team, docs = team_of(n), ids(1000)
    outcome = plan_assignments(docs, {}, AssignOptions(team, fraction, k, seed), {}, NOW)
    check_plan(outcome, docs, fraction, k)
    # with (nearly) no single documents to even the loads out, subsets may differ by two
    assert spread(subset_counts(outcome.plan, team, outcome.per_doc)) <= 2


@settings(max_examples=25, deadline=None)
@given(n=team_sizes, fraction=fractions, k=per_doc, seed=seeds)
def test_determinism(n: int, fraction: float, k: int, seed: int) -> None:
    team, docs = team_of(n), ids(1000)
    options = AssignOptions(team, fraction, k, seed)
    one = plan_assignments(docs, {}, options, {}, NOW)
    two = plan_assignments(list(reversed(docs)), {}, options, {}, NOW)
    assert one.plan == two.plan, "the same plan whatever the order the documents come in"
    other = plan_assignments(docs, {}, AssignOptions(team, fraction, k, seed + 1), {}, NOW)
    assert other.plan != one.plan, "the seed matters"


@pytest.mark.slow
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(n=st.integers(min_value=2, max_value=25), k=per_doc, seed=seeds)
def test_100000_documents(n: int, k: int, seed: int) -> None:
    team, docs = team_of(n), ids(100_000)
    options = AssignOptions(team, 0.1, k, seed)
    outcome = plan_assignments(docs, {}, options, {}, NOW)
    check_plan(outcome, docs, 0.1, k)
    counts = subset_counts(outcome.plan, team, outcome.per_doc)
    assert spread(counts) <= 1
    assert min(outcome.pairs.values()) > 0
    assert plan_assignments(docs, {}, options, {}, NOW).plan == outcome.plan
    grown = docs + ids(5_000, "new")
    second = plan_assignments(grown, outcome.plan, options, {}, NOW + 1)
    assert {d: second.plan[d] for d in docs} == outcome.plan
    assert spread([second.load[name] for name in team]) <= 1
    assert spread(subset_counts(second.plan, team, second.per_doc)) <= 1

"""Giving annotators to new documents: overlap spread over every group, loads within one.

The overlap documents go to the ``per_doc``-subsets of the team by water-filling (the least
covered first); the last few, and the single documents, to the annotators with the least work.
Decision 0070.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from itertools import combinations
from math import comb, floor

import numpy as np

from annotator.core.assign_types import IntArray, PlanState
from annotator.core.errors import AnnotatorError

MAX_SUBSETS = 200_000  # per_doc-subsets of the team we are willing to enumerate
GREEDY_LIMIT = 20_000_000  # candidate scores the balancing pass may compute in all


def assign_new(
    state: PlanState,
    new: list[str],
    team: Sequence[str],
    per_doc: int,
    fraction: float,
    seed: int,
    in_project: Collection[str],
) -> int:
    """Give annotators to ``new`` (sorted ids); returns how many got more than one."""
    index = {name: i for i, name in enumerate(team)}
    records = [state.work.get(name, {}) for name in team]
    touched = set().union(*records) if records else set()
    fresh: list[str] = []
    overlapping = 0
    for doc in new:
        if doc not in touched:
            fresh.append(doc)
            continue
        # someone on the team already has a record of it: it is theirs
        who = [name for name, mine in zip(team, records, strict=True) if doc in mine]
        for name in who:
            state.give(doc, name)
        overlapping += len(who) > 1
    if not fresh:
        return overlapping
    loads = np.zeros(len(team), np.int64)
    for doc, names in state.members.items():
        if doc in in_project:
            for name in names:
                if name in index:
                    loads[index[name]] += 1
    rng = np.random.default_rng([seed, 7])
    order = rng.permutation(len(fresh))
    n_overlap = floor(fraction * len(fresh) + 0.5) if per_doc > 1 else 0
    subsets, counts = _overlap_subsets(
        state, team, index, per_doc, n_overlap, loads, seed, len(fresh) - n_overlap
    )
    chosen = np.repeat(np.arange(len(counts)), counts)
    chosen = chosen[rng.permutation(len(chosen))]
    np.add.at(loads, subsets[chosen].ravel(), 1)
    n_single = len(fresh) - n_overlap
    singles = _fill(loads, n_single, rng.permutation(len(team)))
    who_single = np.repeat(np.arange(len(team)), singles)
    who_single = who_single[rng.permutation(len(who_single))]
    docs = [fresh[i] for i in order.tolist()]
    # nobody has a record of a fresh document: every place given is not-started work
    names = list(team)
    for doc, sub in zip(docs[:n_overlap], subsets[chosen].tolist(), strict=True):
        state.members[doc] = [names[i] for i in sub]
        for pair in combinations(sorted(names[i] for i in sub), 2):
            state.shared[pair] += 1
    for doc, i in zip(docs[n_overlap:], who_single.tolist(), strict=True):
        state.members[doc] = [names[i]]
    given = np.bincount(subsets[chosen].ravel(), minlength=len(team)) + singles
    for name, n in zip(names, given.tolist(), strict=True):
        state.pending[name] += n
    state.changed.update(docs)
    return overlapping + n_overlap


def _level(levels: IntArray, amount: int) -> tuple[IntArray, int]:
    """Water-filling: what each bin gets to bring the lowest ones to a common level with at
    most ``amount`` units, and how many units are left (fewer than the bins at that level)."""
    if amount <= 0 or not len(levels):
        return np.zeros(len(levels), np.int64), max(amount, 0)
    lo, hi = int(levels.min()), int(levels.min()) + amount
    while lo < hi:  # the highest level that needs at most ``amount`` units
        mid = (lo + hi + 1) // 2
        if int(np.maximum(mid - levels, 0).sum()) <= amount:
            lo = mid
        else:
            hi = mid - 1
    add = np.maximum(lo - levels, 0)
    return add, amount - int(add.sum())


def _fill(levels: IntArray, amount: int, rank: IntArray) -> IntArray:
    """How many of ``amount`` units each bin gets, lowest levels first; the units left at the
    common level go to the bins there with the lowest ``rank``."""
    add, rest = _level(levels, amount)
    if rest:
        at = np.flatnonzero(levels + add == int((levels + add).min()))
        add[at[np.argsort(rank[at], kind="stable")[:rest]]] += 1
    return add


def _overlap_subsets(
    state: PlanState,
    team: Sequence[str],
    index: Mapping[str, int],
    per_doc: int,
    amount: int,
    loads: IntArray,
    seed: int,
    singles: int,
) -> tuple[IntArray, IntArray]:
    """Every ``per_doc``-subset of the team (as rows of member indices) and how many of the
    ``amount`` overlap documents each gets: least covered subsets first (overlap already in
    the plan counts), the last few to the subsets whose members have the least work.

    ``singles`` documents with one annotator follow; they even the loads out. When they are
    too few for that, subsets are swapped (see ``_even_out``).
    """
    if amount <= 0 or per_doc < 2:
        return np.zeros((0, max(per_doc, 1)), np.int64), np.zeros(0, np.int64)
    n_subsets = comb(len(team), per_doc)
    if n_subsets > MAX_SUBSETS:
        raise AnnotatorError(
            f"{len(team)} annotators give {n_subsets:,} groups of {per_doc}; "
            f"use a smaller --per-doc (at most {MAX_SUBSETS:,} groups)"
        )
    subsets = np.array(list(combinations(range(len(team)), per_doc)), np.int64)
    position = {tuple(row): k for k, row in enumerate(subsets.tolist())}
    coverage = np.zeros(n_subsets, np.int64)
    for doc, names in state.members.items():
        if doc not in state.in_project or len(names) < per_doc:
            continue
        inside = sorted(index[n] for n in names if n in index)
        for sub in combinations(inside, per_doc):
            coverage[position[sub]] += 1
    add, rest = _level(coverage, amount)
    work = loads.copy()
    np.add.at(work, subsets.ravel(), np.repeat(add, per_doc))
    candidates = np.flatnonzero(coverage + add == int((coverage + add).min()))
    tie = np.random.default_rng([seed, 8]).permutation(len(candidates)).astype(np.int64)
    members = subsets[candidates]
    taken = np.zeros(len(candidates), bool)
    if len(candidates) * rest > GREEDY_LIMIT:
        # too many to weigh one by one: a seeded order, and the single documents even it out
        add[candidates[np.argsort(tie)[:rest]]] += 1
        return subsets, add
    big = np.iinfo(np.int64).max
    for _ in range(rest):  # one at a time, the subset whose members have the least work
        score = work[members].sum(axis=1) * len(candidates) + tie
        score[taken] = big
        j = int(np.argmin(score))
        taken[j] = True
        work[members[j]] += 1
    add[candidates[taken]] += 1
    level = coverage + add
    for cap in (int(level.max()), int(level.max()) + 1):
        if _even_out(subsets, position, level, add, work, singles, cap):
            break
    return subsets, add


def _short(work: IntArray, singles: int) -> bool:
    """True when ``singles`` one-annotator documents cannot bring the loads within one."""
    return int(np.maximum(int(work.max()) - 1 - work, 0).sum()) > singles


def _even_out(
    subsets: IntArray,
    position: Mapping[tuple[int, ...], int],
    level: IntArray,
    add: IntArray,
    work: IntArray,
    singles: int,
    cap: int,
) -> bool:
    """Move new overlap documents between subsets until the single documents can bring the
    loads within one; returns whether they now can.

    A move takes a document from a subset holding a most loaded annotator u and gives it to
    the same subset with u replaced by a least loaded v, if that subset stays at or under
    ``cap`` documents. With ``cap`` at the highest level the subsets stay within one of each
    other; one more is allowed only when no such move is left (a few new documents, nearly
    all overlap), because a spread of two documents between subsets still leaves every pair
    with shared documents, while the loads must never differ by more than one.
    """
    n = len(work)
    for _ in range(4 * n * n):
        if not _short(work, singles):
            return True
        lows = set(np.flatnonzero(work == int(work.min())).tolist())
        moved = False
        for u in np.flatnonzero(work == int(work.max())).tolist():
            for k in np.flatnonzero(add).tolist():
                row = subsets[k].tolist()
                if u not in row:
                    continue
                for v in sorted(lows.difference(row)):
                    t = position[tuple(sorted([*(x for x in row if x != u), v]))]
                    if level[t] + 1 <= cap and level[k] - 1 >= 0:
                        add[k] -= 1
                        level[k] -= 1
                        add[t] += 1
                        level[t] += 1
                        work[u] -= 1
                        work[v] += 1
                        moved = True
                        break
                if moved:
                    break
            if moved:
                break
        if not moved:
            return False
    return not _short(work, singles)

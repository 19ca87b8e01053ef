"""Changing the team of a plan: removing someone, reclaiming untouched work, adding someone.

Only places nobody has started move (and, when reclaiming, documents left in progress with no
edit for the given time); a document someone finished or skipped never moves. Decision 0070.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from annotator.core.assign_types import Move, PlanState, seeded_rank


def _best(
    state: PlanState, candidates: Iterable[str], doc: str, rank: Mapping[str, int]
) -> str | None:
    """Who should take a place on ``doc``: the least not-started work, then the fewest
    documents shared with its other annotators (pair coverage), then the seeded rank.
    Nobody gets back a place this run took from them."""
    others = state.members.get(doc, [])
    left = state.left.get(doc, ())
    best: tuple[int, int, int] | None = None
    chosen = None
    for name in candidates:
        if name in others or name in left:
            continue
        key = (state.pending[name], sum(state.share(name, o) for o in others), rank[name])
        if best is None or key < best:
            best, chosen = key, name
    return chosen


def _hardest_first(
    state: PlanState, places: Sequence[tuple[str, str]], heirs: Sequence[str], order: Sequence[int]
) -> list[tuple[str, str]]:
    """``places`` (document, leaver) in the order they are refilled: the fewest heirs able to
    take them first, then ``order`` (a seeded rank, one per place).

    A place only one heir can take (an overlap document whose other annotator is an heir)
    has no choice; given out after the free places were spread, such places would pile up on
    whoever can take them and leave the loads uneven. Taken first, the free places even the
    loads out afterwards.
    """

    def choices(doc: str, leaver: str) -> int:
        others = state.members.get(doc, [])
        return sum(1 for n in heirs if n != leaver and n not in others)

    keyed = [(choices(d, n), rank, (d, n)) for (d, n), rank in zip(places, order, strict=True)]
    return [place for _, _, place in sorted(keyed)]


def _refill(
    state: PlanState,
    doc: str,
    leaver: str,
    heirs: Sequence[str],
    rank: Mapping[str, int],
    reason: Literal["removed", "reclaimed"],
    moves: list[Move],
    warnings: list[str],
) -> None:
    """Give ``leaver``'s place on ``doc`` to the best of ``heirs``.

    When none of them can take it (all already on the document): a reclaimed place stays
    where it is; a removed one is dropped, unless the document would be left with nobody.
    """
    state.take(doc, leaver)
    heir = _best(state, (n for n in heirs if n != leaver), doc, rank)
    if heir is None and (reason == "reclaimed" or not state.members[doc]):
        state.give(doc, leaver)
        if reason == "removed":
            warnings.append(f"{doc}: nobody else on the team can take it from {leaver}")
        return
    if heir is not None:
        state.give(doc, heir)
    moves.append(Move(doc, leaver, heir, reason))


def remove(
    state: PlanState,
    name: str,
    team: Sequence[str],
    seed: int,
    moves: list[Move],
    warnings: list[str],
) -> None:
    """Hand ``name``'s not-yet-started documents to the rest of the team."""
    rank = seeded_rank(team, seed, 1)
    docs = [
        d
        for d, names in state.members.items()
        if name in names and d in state.in_project and not state.started(name, d)
    ]
    order = seeded_rank(docs, seed, 2)
    places = [(d, name) for d in docs]
    for doc, _ in _hardest_first(state, places, team, [order[d] for d in docs]):
        _refill(state, doc, name, team, rank, "removed", moves, warnings)


def reclaim(
    state: PlanState,
    team: Sequence[str],
    seed: int,
    after: float,
    now: float,
    moves: list[Move],
    warnings: list[str],
) -> None:
    """Take back places left untouched for ``after`` seconds and give them to the team.

    Untouched: in progress with no edit for that long; or never started, assigned at least
    that long ago, to someone who has edited nothing in the project for that long either
    (someone working through a long queue is not abandoning its end). Done and skipped
    documents are never taken back. The places go to the team members who are not idle.
    """
    cutoff = now - after
    last: dict[str, float] = {}
    for name, mine in state.work.items():
        times = [t.edited for t in mine.values() if t.edited is not None]
        if times:
            last[name] = max(times)
    stale: list[tuple[str, str]] = []
    idle: set[str] = set()  # nothing edited lately, and work waiting since before then
    for doc, names in state.members.items():
        if doc not in state.in_project:
            continue
        for name in names:
            touch = state.work.get(name, {}).get(doc)
            if touch is None:
                since = state.since.get(doc, 0.0)  # 0: assigned at an unknown time, kept
                if since and since <= cutoff and last.get(name, cutoff) <= cutoff:
                    stale.append((doc, name))
                    idle.add(name)
            elif touch.status == "in_progress" and (touch.edited or now) <= cutoff:
                stale.append((doc, name))
    heirs = [n for n in team if n not in idle]
    if stale and not heirs:
        warnings.append("nothing reclaimed: nobody on the team has worked for that long")
        return
    rank = seeded_rank(team, seed, 3)
    order = seeded_rank([f"{d}\n{n}" for d, n in stale], seed, 4)
    ranks = [order[f"{d}\n{n}"] for d, n in stale]
    for doc, name in _hardest_first(state, stale, heirs, ranks):
        _refill(state, doc, name, heirs, rank, "reclaimed", moves, warnings)


def add(state: PlanState, newcomer: str, team: Sequence[str], seed: int, moves: list[Move]) -> None:
    """Give ``newcomer`` a fair share of the team's not-yet-started documents.

    Places move one at a time from whoever has the most not-started work, until no one has
    more than one document more than the newcomer. Overlap places move in proportion, each
    from a document whose other annotators share the fewest documents with the newcomer so
    far, so the newcomer is paired with everyone.
    """
    rank = seeded_rank(team, seed, 5)
    donors = [n for n in team if n != newcomer]
    single: dict[str, list[str]] = {n: [] for n in donors}
    shared: dict[str, dict[tuple[str, ...], list[str]]] = {n: defaultdict(list) for n in donors}
    docs = [d for d in state.members if d in state.in_project and newcomer not in state.members[d]]
    order = seeded_rank(docs, seed, 6)
    for d in sorted(docs, key=order.__getitem__, reverse=True):  # popped from the end
        names = state.members[d]
        for name in names:
            if name in single and not state.started(name, d):
                if len(names) == 1:
                    single[name].append(d)
                else:
                    key = tuple(sorted(n for n in names if n != name))
                    shared[name][key].append(d)
    movable = sum(len(v) for v in single.values())
    overlapping = sum(len(docs) for groups in shared.values() for docs in groups.values())
    share = overlapping / (movable + overlapping) if movable + overlapping else 0.0
    moved = moved_overlap = 0
    while True:
        givers = [n for n in donors if single[n] or any(shared[n].values())]
        if not givers:
            return
        donor = max(givers, key=lambda n: (state.pending[n], -rank[n]))
        if state.pending[donor] <= state.pending[newcomer] + 1:
            return
        doc: str | None = None
        want_overlap = moved_overlap < round((moved + 1) * share)
        if want_overlap or not single[donor]:
            doc = _pop_shared(state, shared[donor], newcomer)
            if doc is not None:
                moved_overlap += 1
        if doc is None:
            doc = single[donor].pop() if single[donor] else None
        if doc is None:
            donors.remove(donor)  # what is left of theirs already has the newcomer on it
            continue
        state.take(doc, donor)
        state.give(doc, newcomer)
        moves.append(Move(doc, donor, newcomer, "added"))
        moved += 1


def _pop_shared(
    state: PlanState, groups: dict[tuple[str, ...], list[str]], newcomer: str
) -> str | None:
    """A document of ``groups`` (by its other annotators) whose others share the fewest
    documents with ``newcomer``; None when none is left."""
    while True:
        live = [key for key, docs in groups.items() if docs]
        if not live:
            return None
        key = min(live, key=lambda k: (sum(state.share(newcomer, o) for o in k), k))
        doc = groups[key].pop()
        if newcomer not in state.members[doc]:
            return doc

"""Who annotates which document: the assignment algorithm (pure: no files, no clock).

``plan_assignments`` takes the project's document ids, the current plan, what each annotator
has done so far and the lead's options, and returns the new plan with what changed:

- every document not yet in the plan gets annotators: a fraction ``overlap`` of them (picked at
  random, so they are a fair sample of the corpus) ``per_doc`` annotators, the rest one;
- the overlap documents are spread over every ``per_doc``-subset of the team as evenly as
  the count allows (each subset gets q or q + 1, counting the overlap already in the plan),
  so that every pair of annotators shares documents and agreement is complete;
- single documents go to the least loaded annotators first, so the counts of documents
  assigned end within one of each other whenever the new documents can make them so;
- a document someone on the team already has a record for goes to them: their work counts;
- existing assignments never move, except for the team changes asked for: ``remove`` hands a
  leaver's not-yet-started documents to the others, ``add`` gives a newcomer a fair share of
  the not-yet-started ones, ``reclaim_after`` takes back documents left untouched for that long
  (never started since they were assigned, or in progress with no edit since). A document
  someone finished or skipped is never moved, so done work is never lost or shown as abandoned.

Everything random is drawn from generators seeded with ``seed``, and ties are broken by
seeded ranks, never by dictionary order: the same inputs give the same plan on any machine.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from math import comb, floor
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD, Status, check_annotator_name

MAX_SUBSETS = 200_000  # per_doc-subsets of the team we are willing to enumerate
GREEDY_LIMIT = 20_000_000  # candidate scores the balancing pass may compute in all
IntArray = npt.NDArray[np.int64]


class Assignment(NamedTuple):
    """Who must annotate one document, and since when (POSIX seconds; 0 when unknown)."""

    annotators: tuple[str, ...]
    since: float = 0.0


class Touch(NamedTuple):
    """What one annotator has done to one document: status, last edit (POSIX), time spent."""

    status: Status
    edited: float | None = None
    seconds: float = 0.0


Plan = Mapping[str, Assignment]
Work = Mapping[str, Mapping[str, Touch]]  # annotator -> document -> their latest record


@dataclass(frozen=True)
class AssignOptions:
    """The lead's choices, as ``annotator assign`` takes them."""

    annotators: tuple[str, ...] = ()  # the team before ``add`` and ``remove``
    overlap: float = 0.1
    per_doc: int = 2
    seed: int = 0
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    reclaim_after: float | None = None  # seconds

    @property
    def team(self) -> tuple[str, ...]:
        """The team that gets work: ``annotators`` and ``add``, less ``remove``, sorted."""
        return tuple(sorted((set(self.annotators) | set(self.add)) - set(self.remove)))

    def check(self) -> None:
        """Raise AnnotatorError on a value no plan can be made from."""
        for name in (*self.annotators, *self.add, *self.remove):
            try:
                check_annotator_name(name)
            except ValueError as exc:
                raise AnnotatorError(str(exc)) from None
            if name == GOLD:
                raise AnnotatorError("gold is the adjudicated reference, not an annotator")
        if not 0.0 <= self.overlap <= 1.0:
            raise AnnotatorError(f"--overlap must be between 0 and 1, not {self.overlap:g}")
        if self.per_doc < 1:
            raise AnnotatorError(f"--per-doc must be at least 1, not {self.per_doc}")
        if self.reclaim_after is not None and self.reclaim_after <= 0:
            raise AnnotatorError("--reclaim-after must be longer than zero")
        both = set(self.add) & set(self.remove)
        if both:
            raise AnnotatorError(f"{sorted(both)[0]!r} is both added and removed")
        if not self.team:
            raise AnnotatorError("no annotators to assign to (give --annotators a,b,c)")


@dataclass(frozen=True)
class Move:
    """One annotator's place on a document handed to someone else (or to nobody)."""

    document: str
    taken_from: str
    given_to: str | None
    reason: Literal["added", "removed", "reclaimed"]


@dataclass(frozen=True)
class Outcome:
    """The new plan, and what the lead is shown before (preview) or after writing it."""

    plan: dict[str, Assignment]
    team: tuple[str, ...]
    per_doc: int  # the number of annotators overlap documents got (capped at the team size)
    new_documents: list[str]  # ids given annotators by this run, sorted
    overlap_documents: int  # of those, how many got more than one annotator
    moves: list[Move]
    load: dict[str, int]  # documents of the project assigned, per annotator (team first)
    pairs: dict[tuple[str, str], int]  # documents both are assigned, every pair of the team
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the plan differs from the one it was made from."""
        return bool(self.new_documents or self.moves)


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> float:
    """Seconds in ``30m``, ``12h``, ``7d``, ``2w`` or ``1d12h``; AnnotatorError otherwise."""
    cleaned = text.strip().lower()
    parts = _DURATION.findall(cleaned)
    if not parts or _DURATION.sub("", cleaned).strip():
        raise AnnotatorError(
            f"{text!r} is not a duration: use a number and s, m, h, d or w (e.g. 7d or 36h)"
        )
    return sum(float(n) * _UNIT[u] for n, u in parts)


def _rank(names: Sequence[str], seed: int, purpose: int) -> dict[str, int]:
    """A seeded tie-break order of ``names``."""
    order = np.random.default_rng([seed, purpose]).permutation(len(names))
    return {name: int(r) for name, r in zip(names, order.tolist(), strict=True)}


class _State:
    """The plan being changed: members per document, and counts kept up to date."""

    def __init__(self, plan: Plan, doc_ids: Collection[str], work: Work) -> None:
        self.members: dict[str, list[str]] = {d: list(a.annotators) for d, a in plan.items()}
        self.since = {d: a.since for d, a in plan.items()}
        self.changed: set[str] = set()
        self.left: dict[str, set[str]] = defaultdict(set)  # who was taken off each document
        self.in_project = doc_ids
        self.work = work
        self.pending: dict[str, int] = defaultdict(int)  # assigned, not started
        self.shared: dict[tuple[str, str], int] = defaultdict(int)
        for doc, names in self.members.items():
            if doc not in doc_ids:
                continue
            for name in names:
                if not self.started(name, doc):
                    self.pending[name] += 1
            if len(names) > 1:
                for pair in combinations(sorted(names), 2):
                    self.shared[pair] += 1

    def started(self, name: str, doc: str) -> bool:
        return doc in self.work.get(name, {})

    def share(self, a: str, b: str) -> int:
        return self.shared.get((a, b) if a < b else (b, a), 0)

    def _pairs(self, doc: str, name: str, delta: int) -> None:
        for other in self.members[doc]:
            if other != name:
                key = (name, other) if name < other else (other, name)
                self.shared[key] += delta

    def take(self, doc: str, name: str) -> None:
        """Remove ``name`` from ``doc`` (its place is then vacant)."""
        self.members[doc].remove(name)
        self.left[doc].add(name)
        self._pairs(doc, name, -1)
        if not self.started(name, doc):
            self.pending[name] -= 1
        self.changed.add(doc)

    def give(self, doc: str, name: str) -> None:
        """Add ``name`` to ``doc``."""
        self.members.setdefault(doc, [])
        self._pairs(doc, name, +1)
        self.members[doc].append(name)
        if not self.started(name, doc):
            self.pending[name] += 1
        self.changed.add(doc)


def plan_assignments(
    doc_ids: Sequence[str],
    plan: Plan,
    options: AssignOptions,
    work: Work,
    now: float,
) -> Outcome:
    """The new plan for ``doc_ids`` (the project's documents) from ``plan`` and ``options``.

    ``work`` holds each annotator's records (a document absent there was never started);
    ``now`` (POSIX seconds) stamps changed lines and measures ``reclaim_after``.
    """
    options.check()
    team = options.team
    warnings: list[str] = []
    in_project = set(doc_ids)
    state = _State(plan, in_project, work)
    moves: list[Move] = []
    for name in options.remove:
        _remove(state, name, team, options.seed, moves, warnings)
    if options.reclaim_after is not None:
        _reclaim(state, team, options.seed, options.reclaim_after, now, moves, warnings)
    for name in sorted(options.add):
        _add(state, name, team, options.seed, moves)
    per_doc = options.per_doc
    if per_doc > len(team):
        warnings.append(
            f"--per-doc {per_doc} needs {per_doc} annotators and the team has {len(team)}: "
            f"overlap documents get {len(team)}"
        )
        per_doc = len(team)
    new = sorted(d for d in doc_ids if not state.members.get(d))
    overlap = _assign_new(state, new, team, per_doc, options.overlap, options.seed, in_project)
    out_plan = dict(plan)
    fresh: dict[tuple[str, ...], Assignment] = {}  # immutable: one object per team
    for doc in state.changed:
        names = tuple(state.members[doc])
        if names:
            entry = fresh.get(names)
            out_plan[doc] = (
                entry if entry is not None else fresh.setdefault(names, Assignment(names, now))
            )
        else:
            out_plan.pop(doc, None)
    load, pairs = plan_counts(out_plan, doc_ids, team)
    lonely = [p for p, n in pairs.items() if n == 0]
    if lonely and per_doc > 1:
        warnings.append(
            f"{len(lonely)} of {len(pairs)} pairs share no document (such as "
            f"{' and '.join(lonely[0])}): their agreement cannot be measured; raise --overlap"
        )
    return Outcome(out_plan, team, per_doc, new, overlap, moves, load, pairs, warnings)


def plan_counts(
    plan: Plan, doc_ids: Iterable[str], team: Sequence[str] = ()
) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Documents assigned per annotator, and per pair of annotators, over ``doc_ids``.

    Every member of ``team`` appears (with 0 if need be), then anyone else with documents;
    pairs cover every pair of the team and any other pair that shares a document.
    """
    load: dict[str, int] = dict.fromkeys(team, 0)
    pairs: dict[tuple[str, str], int] = dict.fromkeys(combinations(sorted(team), 2), 0)
    get = plan.get
    teams = Counter(entry.annotators for entry in map(get, doc_ids) if entry is not None)
    for names, n in teams.items():  # a few distinct teams, however many documents
        for name in names:
            load[name] = load.get(name, 0) + n
        for pair in combinations(sorted(names), 2):
            pairs[pair] = pairs.get(pair, 0) + n
    others = sorted(set(load) - set(team))
    load = {name: load[name] for name in (*team, *others)}
    return load, pairs


# -- team changes --------------------------------------------------------------------------


def _best(
    state: _State, candidates: Iterable[str], doc: str, rank: Mapping[str, int]
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


def _refill(
    state: _State,
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


def _remove(
    state: _State,
    name: str,
    team: Sequence[str],
    seed: int,
    moves: list[Move],
    warnings: list[str],
) -> None:
    """Hand ``name``'s not-yet-started documents to the rest of the team."""
    rank = _rank(team, seed, 1)
    docs = [
        d
        for d, names in state.members.items()
        if name in names and d in state.in_project and not state.started(name, d)
    ]
    order = _rank(docs, seed, 2)
    for doc in sorted(docs, key=order.__getitem__):
        _refill(state, doc, name, team, rank, "removed", moves, warnings)


def _reclaim(
    state: _State,
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
    rank = _rank(team, seed, 3)
    order = _rank([f"{d}\n{n}" for d, n in stale], seed, 4)
    for doc, name in sorted(stale, key=lambda dn: order[f"{dn[0]}\n{dn[1]}"]):
        _refill(state, doc, name, heirs, rank, "reclaimed", moves, warnings)


def _add(state: _State, newcomer: str, team: Sequence[str], seed: int, moves: list[Move]) -> None:
    """Give ``newcomer`` a fair share of the team's not-yet-started documents.

    Places move one at a time from whoever has the most not-started work, until no one has
    more than one document more than the newcomer. Overlap places move in proportion, each
    from a document whose other annotators share the fewest documents with the newcomer so
    far, so the newcomer is paired with everyone.
    """
    rank = _rank(team, seed, 5)
    donors = [n for n in team if n != newcomer]
    single: dict[str, list[str]] = {n: [] for n in donors}
    shared: dict[str, dict[tuple[str, ...], list[str]]] = {n: defaultdict(list) for n in donors}
    docs = [d for d in state.members if d in state.in_project and newcomer not in state.members[d]]
    order = _rank(docs, seed, 6)
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
    state: _State, groups: dict[tuple[str, ...], list[str]], newcomer: str
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


# -- new documents -------------------------------------------------------------------------


def _assign_new(
    state: _State,
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
    state: _State,
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

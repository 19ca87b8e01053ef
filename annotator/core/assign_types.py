"""The assignment plan's records and the state a plan is changed in (``core.assign`` uses them)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD, Status, check_annotator_name

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


def seeded_rank(names: Sequence[str], seed: int, purpose: int) -> dict[str, int]:
    """A seeded tie-break order of ``names``."""
    order = np.random.default_rng([seed, purpose]).permutation(len(names))
    return {name: int(r) for name, r in zip(names, order.tolist(), strict=True)}


class PlanState:
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

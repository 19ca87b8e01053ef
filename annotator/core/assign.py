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
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import combinations

from annotator.core.assign_new import assign_new
from annotator.core.assign_team import add, reclaim, remove
from annotator.core.assign_types import (
    Assignment,
    AssignOptions,
    Move,
    Outcome,
    Plan,
    PlanState,
    Touch,
    Work,
)
from annotator.core.errors import AnnotatorError

__all__ = [
    "AssignOptions",
    "Assignment",
    "Move",
    "Outcome",
    "Plan",
    "Touch",
    "Work",
    "parse_duration",
    "plan_assignments",
    "plan_counts",
]

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
    state = PlanState(plan, in_project, work)
    moves: list[Move] = []
    for name in options.remove:
        remove(state, name, team, options.seed, moves, warnings)
    if options.reclaim_after is not None:
        reclaim(state, team, options.seed, options.reclaim_after, now, moves, warnings)
    for name in sorted(options.add):
        add(state, name, team, options.seed, moves)
    per_doc = options.per_doc
    if per_doc > len(team):
        warnings.append(
            f"--per-doc {per_doc} needs {per_doc} annotators and the team has {len(team)}: "
            f"overlap documents get {len(team)}"
        )
        per_doc = len(team)
    new = sorted(d for d in doc_ids if not state.members.get(d))
    overlap = assign_new(state, new, team, per_doc, options.overlap, options.seed, in_project)
    out_plan = dict(plan)
    fresh: dict[tuple[str, ...], Assignment] = {}  # immutable: one object per team
    # sorted: a set of strings iterates in an order that changes with PYTHONHASHSEED, and the
    # plan's order is what callers (and ``--json``) see
    for doc in sorted(state.changed):
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

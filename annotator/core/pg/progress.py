"""The lead's progress table counted by the server (decisions 0093 and 0097).

``core.progress.compute_progress`` counts the table in Python from every annotator's records
and the plan: at 100,000 documents that is 300,000 records and the plan read to the desktop
and walked, several seconds. Every number of the table is a count or a sum over those rows,
and the server keeps them as rows change (schema step 0007: triggers count each change by
difference): per annotator, their counts and sums; per combination of "who is assigned" and
"who has it done", how many documents have it (a handful of combinations, however many
documents), from which the overlaps and pairs are counted here. Reading them is a few rows,
whatever the size of the project.
The result is the same ``Progress``, number for number (the tests hold the two against each
other on the same projects, and the kept counts against a count from scratch):

- each annotator's seconds are the exact sum of the recorded values, rounded once
  (``progress.exact_sum``, which the desktop's table uses too), so no order of adding matters;
- the last activity is the latest ``updated_at`` as ``activity.when`` reads it: the stamps in
  the app's own form (``2026-05-01T10:00:00Z``) sort as text, so the server gives their
  maximum from an index of them, and any other stamp comes back as it is and is parsed here;
- names are compared as the desktop sorts them (``COLLATE "C"``: code point order).

Only a lead counts here (an annotator's view of the rows is their own, and the policy
decides), and only while this desktop holds no unconfirmed edits (those would count in the
Python table); otherwise ``server_progress`` returns None and the caller counts as before.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from typing import TYPE_CHECKING, Any

import psycopg

from annotator.core.activity import when
from annotator.core.pg.errors import server_error
from annotator.core.progress import (
    AnnotatorProgress,
    PairProgress,
    Progress,
    outside_warning,
)

if TYPE_CHECKING:
    from annotator.core.pg.store import PgProject

# The app's own stamps (``model.now_iso``): one width, UTC, so their text order is time order.
_OWN_STAMP = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"

_OWN_SQL = "'" + _OWN_STAMP + "'"  # a literal: the partial indexes' predicate, word for word

# The counts the server keeps (schema step 0007), folded first; each annotator's last stamps
# from the indexes of their records (the latest of their own form; any other apart).
_COUNT = (
    """
SELECT (SELECT coalesce(sum(documents), 0) FROM progress_projects WHERE project_id = %(p)s),
       (SELECT coalesce(json_agg(x), '[]') FROM (
          SELECT g.*,
                 (SELECT max(a.updated_at COLLATE "C") FROM annotations a
                   WHERE a.project_id = %(p)s AND a.annotator = g.who AND NOT a.untouched
                     AND a.updated_at ~ OWN) AS own,
                 (SELECT array_agg(DISTINCT a.updated_at) FROM annotations a
                   WHERE a.project_id = %(p)s AND a.annotator = g.who AND NOT a.untouched
                     AND a.updated_at !~ OWN) AS other
            FROM (SELECT annotator AS who, sum(assigned) AS assigned, sum(done) AS done,
                         sum(skipped) AS skipped, sum(started) AS started,
                         sum(seconds) AS seconds, sum(outside) AS outside,
                         sum(all_done) AS all_done, sum(all_skipped) AS all_skipped,
                         sum(all_started) AS all_started, sum(all_seconds) AS all_seconds
                    FROM progress_people WHERE project_id = %(p)s GROUP BY annotator) g
           WHERE g.assigned <> 0 OR g.outside <> 0
              OR g.all_done + g.all_skipped + g.all_started <> 0) x),
       (SELECT coalesce(json_agg(c), '[]') FROM (
          SELECT team, done, sum(n) AS n FROM progress_combos WHERE project_id = %(p)s
           GROUP BY team, done HAVING sum(n) <> 0) c)
"""
).replace("OWN", _OWN_SQL)


def _last(own: str | None, others: list[str] | None) -> float | None:
    stamps = [when(s) for s in [*([own] if own else []), *(others or [])]]
    found = [s for s in stamps if s is not None]
    return max(found) if found else None


def server_progress(store: PgProject) -> Progress | None:
    """The progress table counted on the server, or None when it must be counted on the
    desktop (see the module)."""
    if not store.is_lead or store.holds_unconfirmed():
        return None
    conn = store.connection()
    try:
        conn.execute("SELECT progress_fold(%s)", (store.project_id,))
        row = conn.execute(_COUNT, {"p": store.project_id}).fetchone()
    except psycopg.Error as exc:
        raise server_error(exc, who=store.who, doing="read") from None
    assert row is not None
    documents, people, combos = int(row[0]), row[1], row[2]
    by_name = {p["who"]: p for p in people}
    groups = [(tuple(c["team"] or ()), frozenset(c["done"] or ()), int(c["n"])) for c in combos]
    comparable = sum(n for _, done, n in groups if len(done) >= 2)
    if not any(team for team, _, _ in groups):
        return _unplanned(store.config.name, documents, by_name, groups, comparable)
    shared: Counter[tuple[str, str]] = Counter()
    both: Counter[tuple[str, str]] = Counter()
    overlap: Counter[str] = Counter()
    finished: Counter[str] = Counter()
    assigned_docs = overlap_docs = overlap_done = 0
    for team, done, n in groups:
        assigned_docs += n if team else 0
        if len(team) < 2:
            continue
        everyone = done.issuperset(team)
        overlap_docs += n
        overlap_done += n if everyone else 0
        for name in team:
            overlap[name] += n
            finished[name] += n if everyone else 0
        for a, b in combinations(team, 2):
            shared[a, b] += n
            both[a, b] += n if a in done and b in done else 0
    names = sorted(n for n, p in by_name.items() if p["assigned"] or p["outside"])
    rows = [
        AnnotatorProgress(
            name=n,
            assigned=by_name[n]["assigned"],
            done=by_name[n]["done"],
            skipped=by_name[n]["skipped"],
            in_progress=by_name[n]["started"],
            seconds=float(by_name[n]["seconds"] or 0.0),
            last_activity=_last(by_name[n]["own"], by_name[n]["other"]),
            outside_plan=by_name[n]["outside"],
            overlap=overlap[n],
            overlap_finished=finished[n],
        )
        for n in names
    ]
    warnings = [
        outside_warning(n, by_name[n]["outside"]) for n in sorted(by_name) if by_name[n]["outside"]
    ]
    pairs = [PairProgress(a, b, shared[a, b], both[a, b]) for a, b in sorted(shared)]
    return Progress(
        store.config.name, True, documents, documents - assigned_docs, rows, overlap_docs,
        overlap_done, comparable, pairs, warnings,
    )  # fmt: skip


def _unplanned(
    project: str,
    documents: int,
    by_name: dict[str, dict[str, Any]],
    groups: list[tuple[tuple[str, ...], frozenset[str], int]],
    comparable: int,
) -> Progress:
    """No plan: everyone with a record is assigned the whole project."""
    names = sorted(by_name)
    overlap = documents if len(names) >= 2 else 0
    everyone = sum(n for _, done, n in groups if len(done) == len(names)) if overlap else 0
    rows = [
        AnnotatorProgress(
            name=n,
            assigned=documents,
            done=by_name[n]["all_done"],
            skipped=by_name[n]["all_skipped"],
            in_progress=by_name[n]["all_started"],
            seconds=float(by_name[n]["all_seconds"] or 0.0),
            last_activity=_last(by_name[n]["own"], by_name[n]["other"]),
            overlap=overlap,
            overlap_finished=everyone,
        )
        for n in names
    ]
    pairs = [
        PairProgress(a, b, documents, sum(n for _, d, n in groups if a in d and b in d))
        for a, b in combinations(names, 2)
    ]
    return Progress(project, False, documents, 0, rows, overlap, everyone, comparable, pairs, [])

"""The lead's progress table counted by the server (decision 0093).

``core.progress.compute_progress`` counts the table in Python from every annotator's records
and the plan: at 100,000 documents that is 300,000 records and the plan read to the desktop
and walked, several seconds. Every number of the table is a count or a sum over those rows, so
here the server counts them in one query and sends a few rows: per annotator, their
counts; per combination of "who is assigned" and "who has it done", how many documents have
it (a handful of combinations, however many documents), from which the overlaps and pairs
are counted here.
The result is the same ``Progress``, number for number (the tests hold the two against each
other on the same projects):

- each annotator's seconds are summed in project order (the rows sorted by position and
  grouped by hashing, which keeps their order, in one process without parallel workers), as
  the Python loop adds them, so even the floating-point sum is the same;
- the last activity is the latest ``updated_at`` as ``activity.when`` reads it: the stamps in
  the app's own form (``2026-05-01T10:00:00Z``) sort as text, so the server gives their
  maximum, and any other stamp comes back as it is and is parsed here;
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
from annotator.core.progress import AnnotatorProgress, PairProgress, Progress

if TYPE_CHECKING:
    from annotator.core.pg.store import PgProject

# The app's own stamps (``model.now_iso``): one width, UTC, so their text order is time order.
_OWN_STAMP = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"

# One row per (document, annotator) assigned or with a record (schema step 0004's covering
# indexes answer both sides and the position without reading a table).
_COUNT = """
WITH x AS MATERIALIZED (
  SELECT d.id COLLATE "C" AS doc, d.position, coalesce(a.annotator, r.annotator) COLLATE "C" AS who,
         a.annotator IS NOT NULL AS assigned, r.status, r.seconds, r.updated_at,
         r.updated_at ~ %(own)s AS own
    FROM documents d
    JOIN (SELECT document_id, annotator FROM assignments WHERE project_id = %(p)s) a
         FULL JOIN (SELECT document_id, annotator, status, seconds, updated_at
                      FROM annotations WHERE project_id = %(p)s AND NOT untouched) r
         ON r.document_id = a.document_id AND r.annotator = a.annotator
      ON d.id = coalesce(a.document_id, r.document_id)
   WHERE d.project_id = %(p)s
), people AS (
  SELECT who,
         count(*) FILTER (WHERE assigned) AS assigned,
         count(*) FILTER (WHERE assigned AND status = 'done') AS done,
         count(*) FILTER (WHERE assigned AND status = 'skipped') AS skipped,
         count(*) FILTER (WHERE assigned AND status = 'in_progress') AS started,
         sum(seconds) FILTER (WHERE assigned) AS seconds,
         count(*) FILTER (WHERE NOT assigned) AS outside,
         max(updated_at COLLATE "C") FILTER (WHERE own) AS own,
         count(*) FILTER (WHERE status = 'done') AS all_done,
         count(*) FILTER (WHERE status = 'skipped') AS all_skipped,
         count(*) FILTER (WHERE status = 'in_progress') AS all_started,
         sum(seconds) AS all_seconds
    FROM (SELECT * FROM x ORDER BY position) s  -- sums in project order (hashed by who)
   GROUP BY who
), stamps AS (  -- apart: a DISTINCT aggregate would make the sums above sort by who
  SELECT who, array_agg(DISTINCT updated_at) AS other FROM x WHERE NOT own GROUP BY who
), combos AS (
  SELECT team, done, count(*) AS n FROM (
    SELECT array_agg(who) FILTER (WHERE assigned) AS team,
           array_agg(who) FILTER (WHERE status = 'done') AS done
      FROM (SELECT * FROM x ORDER BY doc, who) s  -- names in order in each array
     GROUP BY doc) c
   GROUP BY team, done
)
SELECT (SELECT count(*) FROM documents WHERE project_id = %(p)s),
       (SELECT coalesce(json_agg(p), '[]')
          FROM (SELECT people.*, stamps.other FROM people LEFT JOIN stamps USING (who)) p),
       (SELECT coalesce(json_agg(combos), '[]') FROM combos)
"""


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
        with conn.transaction():
            # the sums in the order of the sorted rows: one process, no parallel workers
            conn.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            conn.execute("SET LOCAL work_mem = '64MB'")  # the sorts stay in memory
            # rows reach the sums in position order: grouped by hashing, never sorted again
            # (a sort is not stable: it would reorder the rows of one annotator)
            conn.execute("SET LOCAL enable_sort = off")
            row = conn.execute(_COUNT, {"p": store.project_id, "own": _OWN_STAMP}).fetchone()
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
        f"{n} has records of {by_name[n]['outside']:,} documents not assigned to them"
        for n in sorted(by_name)
        if by_name[n]["outside"]
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

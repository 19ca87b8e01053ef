"""Helpers of test_pg_kept_counts: the counts counted from scratch, the kept ones, and random
writes of every kind."""

from __future__ import annotations

import itertools
import random
from typing import Any

import psycopg
from hypothesis import strategies as st

from annotator.core.activity import when
from annotator.core.assign_types import Assignment, Touch
from annotator.core.assignments import StoredPlan
from annotator.core.model import sha256_text
from annotator.core.progress import Progress, compute_progress

NAMES = ("ani", "budi", "citra")
STATUSES = ("in_progress", "done", "skipped")
STAMPS = ("2026-05-01T10:00:00Z", "2026-05-02T09:00:00Z", "2026-05-02T10:00:00+07:00", "")
_DOC = itertools.count(1)


def desktop(conn: psycopg.Connection[Any], p: int) -> Progress:
    """The progress table counted in Python from the rows themselves."""
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM documents WHERE project_id = %s ORDER BY position", (p,)
        )
    ]
    teams: dict[str, list[str]] = {}
    for doc, name in conn.execute(
        "SELECT document_id, annotator FROM assignments WHERE project_id = %s"
        " ORDER BY place, annotator",
        (p,),
    ):
        teams.setdefault(doc, []).append(name)
    plan = StoredPlan({d: Assignment(tuple(n)) for d, n in teams.items()}) if teams else None
    work: dict[str, dict[str, Touch]] = {}
    for name, doc, status, stamp, seconds in conn.execute(
        "SELECT annotator, document_id, status, updated_at, seconds FROM annotations"
        " WHERE project_id = %s AND NOT untouched ORDER BY annotator",  # as reads.work lists them
        (p,),
    ):
        work.setdefault(name, {})[doc] = Touch(status, when(stamp), seconds)
    return compute_progress("news", ids, plan, work)


_RECOUNT = """
SELECT coalesce(a.annotator, r.annotator) AS who,
       count(*) FILTER (WHERE a.annotator IS NOT NULL),
       count(*) FILTER (WHERE a.annotator IS NOT NULL AND r.status = 'done'),
       count(*) FILTER (WHERE a.annotator IS NOT NULL AND r.status = 'skipped'),
       count(*) FILTER (WHERE a.annotator IS NOT NULL AND r.status = 'in_progress'),
       coalesce(sum(r.seconds::text::numeric) FILTER (WHERE a.annotator IS NOT NULL), 0),
       count(*) FILTER (WHERE a.annotator IS NULL),
       count(*) FILTER (WHERE r.status = 'done'),
       count(*) FILTER (WHERE r.status = 'skipped'),
       count(*) FILTER (WHERE r.status = 'in_progress'),
       coalesce(sum(r.seconds::text::numeric), 0),
       coalesce(sum(hashtextextended(r.annotator || '/' || r.document_id || '/' || r.revision
                    || '/' || r.text_sha256 || '/' || r.spans::text || '/' || r.meta::text, 0)
                    ::numeric) FILTER (WHERE r.status = 'done'), 0)
  FROM (SELECT * FROM assignments WHERE project_id = %(p)s) a
  FULL JOIN (SELECT * FROM annotations WHERE project_id = %(p)s AND NOT untouched) r
    ON r.document_id = a.document_id AND r.annotator = a.annotator
 GROUP BY 1 ORDER BY 1
"""
_KEPT = """
SELECT * FROM (
  SELECT annotator, sum(assigned) AS assigned, sum(done), sum(skipped), sum(started),
         sum(seconds), sum(outside) AS outside, sum(all_done) AS d, sum(all_skipped) AS s,
         sum(all_started) AS i, sum(all_seconds), sum(done_hash)
    FROM progress_people WHERE project_id = %(p)s GROUP BY 1) k
 WHERE (k.assigned, k.outside, k.d, k.s, k.i) <> (0, 0, 0, 0, 0) ORDER BY 1
"""


def recounted(conn: psycopg.Connection[Any], p: int) -> dict[str, Any]:
    """Every kept sum as counted from scratch from the rows."""
    people = [tuple(row) for row in conn.execute(_RECOUNT, {"p": p})]  # ints, Decimals
    combos = conn.execute(
        "SELECT team, done, count(*) FROM (SELECT d.id,"
        ' coalesce(array_agg(a.annotator COLLATE "C" ORDER BY a.annotator COLLATE "C")'
        "  FILTER (WHERE a.annotator IS NOT NULL), '{}') AS team,"
        ' coalesce((SELECT array_agg(r.annotator COLLATE "C" ORDER BY r.annotator COLLATE "C")'
        "  FROM annotations r WHERE r.project_id = d.project_id AND r.document_id = d.id"
        "  AND r.status = 'done' AND NOT r.untouched), '{}') AS done"
        " FROM documents d LEFT JOIN assignments a"
        " ON a.project_id = d.project_id AND a.document_id = d.id"
        " WHERE d.project_id = %s GROUP BY d.project_id, d.id) x"
        " WHERE team <> '{}' OR done <> '{}' GROUP BY 1, 2 ORDER BY 1, 2",
        (p,),
    ).fetchall()
    documents = conn.execute(
        "SELECT count(*), coalesce(sum(document_hash(id, position, text_sha256, meta)), 0)"
        " FROM documents WHERE project_id = %s",
        (p,),
    ).fetchone()
    return {"people": people, "combos": combos, "documents": tuple(documents or ())}


def kept(conn: psycopg.Connection[Any], p: int) -> dict[str, Any]:
    """The sums the triggers kept (folded first, as a lead's read does)."""
    conn.execute("SELECT progress_fold(%s)", (p,))
    people = [tuple(row) for row in conn.execute(_KEPT, {"p": p})]
    combos = conn.execute(
        "SELECT team, done, sum(n) FROM progress_combos WHERE project_id = %s"
        " GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2",
        (p,),
    ).fetchall()
    documents = conn.execute(
        "SELECT coalesce(sum(documents), 0), coalesce(sum(doc_hash), 0) FROM progress_projects"
        " WHERE project_id = %s",
        (p,),
    ).fetchone()
    return {"people": people, "combos": combos, "documents": tuple(documents or ())}


# -- writes -----------------------------------------------------------------------------------


def doc_text(doc: str) -> str:
    return f"Berita {doc} dari Medan 😀.\r\nKota é."


def add_docs(conn: psycopg.Connection[Any], p: int, n: int) -> list[str]:
    ids = [f"d{next(_DOC):05d}" for _ in range(n)]
    conn.execute(  # one statement for all of them
        "INSERT INTO documents (project_id, id, text, text_sha256, meta)"
        " SELECT %s, i, t, s, json_build_object('title', i) FROM unnest(%s::text[], %s::text[],"
        " %s::text[]) AS u(i, t, s)",
        (p, ids, [doc_text(d) for d in ids], [sha256_text(doc_text(d)) for d in ids]),
    )
    return ids


def write(
    conn: psycopg.Connection[Any],
    p: int,
    doc: str,
    name: str,
    status: str,
    seconds: float,
    stamp: str,
) -> None:
    conn.execute(
        "INSERT INTO annotations AS a (project_id, document_id, annotator, text_sha256, spans,"
        " status, updated_at, seconds) SELECT project_id, id, %s, text_sha256,"
        ' \'[{"start": 0, "end": 6, "label": "PERSON"}]\', %s, %s, %s FROM documents'
        " WHERE project_id = %s AND id = %s"
        " ON CONFLICT (project_id, document_id, annotator) DO UPDATE SET status = excluded.status,"
        " updated_at = excluded.updated_at, seconds = excluded.seconds, untouched = false,"
        " revision = a.revision + 1",
        (name, status, stamp, seconds, p, doc),
    )


Op = tuple[Any, ...]
ops = st.one_of(
    st.tuples(st.just("docs"), st.integers(1, 4)),
    st.tuples(st.just("assign"), st.integers(0, 5), st.sets(st.sampled_from(NAMES), max_size=3)),
    st.tuples(st.just("unassign"), st.integers(0, 5), st.sampled_from(NAMES)),
    st.tuples(st.just("unassign_all"), st.sampled_from(NAMES)),
    st.tuples(
        st.just("write"),
        st.integers(0, 5),
        st.sampled_from(NAMES),
        st.sampled_from(STATUSES),
        st.one_of(st.floats(0, 1e7), st.sampled_from([0.1, 0.2, 1e-7, 5e-324, 3.0])),
        st.sampled_from(STAMPS),
    ),
    st.tuples(st.just("spans"), st.integers(0, 5), st.sampled_from(NAMES)),
    st.tuples(st.just("untouch"), st.integers(0, 5), st.sampled_from(NAMES)),
    st.tuples(st.just("forget"), st.integers(0, 5), st.sampled_from(NAMES)),
    st.tuples(st.just("drop"), st.integers(0, 5)),
    st.tuples(st.just("move"), st.integers(0, 5), st.sampled_from(NAMES), st.sampled_from(NAMES)),
    st.tuples(st.just("all_status"), st.sampled_from(NAMES), st.sampled_from(STATUSES)),
    st.tuples(st.just("meta"), st.integers(0, 5)),
    st.tuples(st.just("time"), st.integers(0, 5), st.sampled_from(NAMES), st.floats(0, 1e4)),
)


def random_ops(rng: random.Random) -> tuple[Op, Op, Op]:
    """One of each kind a migration test draws with ``rng``, in this order: a plan entry, a
    record written, a record taken back to untouched."""
    return (
        ("assign", rng.randrange(99), set(rng.sample(NAMES, rng.randint(1, 3)))),
        (
            "write",
            rng.randrange(99),
            rng.choice(NAMES),
            rng.choice(STATUSES),
            rng.uniform(0, 500),
            rng.choice(STAMPS),
        ),
        ("untouch", rng.randrange(99), rng.choice(NAMES)),
    )


def apply(conn: psycopg.Connection[Any], p: int, docs: list[str], op: Op) -> None:
    kind = op[0]
    if kind == "docs":
        docs += add_docs(conn, p, op[1])
        return
    if kind in ("unassign_all", "all_status"):
        if kind == "unassign_all":
            conn.execute(
                "DELETE FROM assignments WHERE project_id = %s AND annotator = %s", (p, op[1])
            )
        else:  # many rows in one statement, each counted by its row trigger
            conn.execute(
                "UPDATE annotations SET status = %s WHERE project_id = %s AND annotator = %s",
                (op[2], p, op[1]),
            )
        return
    if not docs:
        return
    doc = docs[op[1] % len(docs)]
    if kind == "assign":
        conn.execute(
            "INSERT INTO assignments (project_id, document_id, annotator, place)"
            " SELECT %s, %s, n, o FROM unnest(%s::text[]) WITH ORDINALITY u(n, o)"
            " ON CONFLICT DO NOTHING",
            (p, doc, sorted(op[2])),
        )
    elif kind == "unassign":
        conn.execute(
            "DELETE FROM assignments WHERE project_id = %s AND document_id = %s AND annotator = %s",
            (p, doc, op[2]),
        )
    elif kind == "move":  # the key of a row changes
        conn.execute(
            "UPDATE assignments a SET annotator = %s WHERE project_id = %s AND document_id = %s"
            " AND annotator = %s AND NOT EXISTS (SELECT 1 FROM assignments b WHERE"
            " b.project_id = a.project_id AND b.document_id = a.document_id AND b.annotator = %s)",
            (op[3], p, doc, op[2], op[3]),
        )
    elif kind == "write":
        write(conn, p, doc, op[2], op[3], op[4], op[5])
    elif kind == "spans":
        conn.execute(
            'UPDATE annotations SET spans = spans || \'[{"start": 7, "end": 9, "label":'
            ' "CITY"}]\', revision = revision + 1 WHERE project_id = %s AND document_id = %s'
            " AND annotator = %s",
            (p, doc, op[2]),
        )
    elif kind == "untouch":
        conn.execute(
            "UPDATE annotations SET untouched = true, spans = '[]' WHERE project_id = %s"
            " AND document_id = %s AND annotator = %s",
            (p, doc, op[2]),
        )
    elif kind == "forget":
        conn.execute(
            "DELETE FROM annotations WHERE project_id = %s AND document_id = %s AND annotator = %s",
            (p, doc, op[2]),
        )
    elif kind == "drop":
        conn.execute("DELETE FROM documents WHERE project_id = %s AND id = %s", (p, doc))
        docs.remove(doc)
    elif kind == "time":  # only the time spent changes
        conn.execute(
            "UPDATE annotations SET seconds = seconds + %s WHERE project_id = %s"
            " AND document_id = %s AND annotator = %s",
            (op[3], p, doc, op[2]),
        )
    elif kind == "meta":
        conn.execute(
            "UPDATE documents SET meta = json_build_object('title', id || '!')"
            " WHERE project_id = %s AND id = %s",
            (p, doc),
        )

"""One person's record counted on its own (schema step 0011, decision 0111): an edit through
``apply_edit`` (a first annotation, a status changed, time spent, a record taken back) counts
only the person it changes, and the kept counts stay those of a count from scratch after any
sequence of such edits by several annotators, alone or in one transaction, assigned or not;
an annotator cannot call the count, and their own edits are counted; a version 10 database
with data migrates and goes on counting."""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from _counts_helpers import (
    NAMES,
    STAMPS,
    STATUSES,
    add_docs,
    apply,
    doc_text,
    kept,
    random_ops,
    recounted,
)
from _pg_helpers import PgDb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.types.json import Json

from annotator.core.model import ProjectConfig, sha256_text
from annotator.core.pg import projects, schema


@pytest.fixture
def admin(pg_project: PgDb) -> Iterator[psycopg.Connection[Any]]:
    with pg_project.admin(autocommit=True) as conn:
        yield conn


class Desktops:
    """Each annotator's desktop: its id and the number of its last edit, and the revision of
    each of the annotator's records as the server answered it."""

    def __init__(self, p: int) -> None:
        self.p = p
        self.client = {name: uuid.uuid4() for name in NAMES}
        self.seq = dict.fromkeys(NAMES, 0)
        self.revision: dict[tuple[str, str], int] = {}

    def edit(
        self,
        conn: psycopg.Connection[Any],
        name: str,
        doc: str,
        status: str | None,
        seconds: float,
        spans: int = 1,
    ) -> None:
        """``status`` None: the record taken back to untouched."""
        self.seq[name] += 1
        seq = self.seq[name]
        if status is None:
            record: dict[str, Any] = {"untouched": True}
        else:
            record = {
                "text_sha256": sha256_text(doc_text(doc)),
                "spans": [{"start": 0, "end": 6, "label": "PERSON"}] * spans,
                "status": status,
                "updated_at": STAMPS[0],
                "seconds": seconds,
            }
        base = self.revision.get((name, doc), 0)
        row = conn.execute(
            "SELECT outcome, revision FROM apply_edit(%s, %s, %s, %s, %s, %s, NULL, %s)",
            (self.p, self.client[name], seq, name, doc, base, Json(record)),
        ).fetchone()
        assert row is not None
        assert row[0] == "applied", row
        self.revision[(name, doc)] = row[1]


def _calls(conn: psycopg.Connection[Any]) -> dict[str, int]:
    """Calls of the counting functions so far: those reported, and those of this process not
    yet reported (``track_functions``; a process reports them when idle, never inside a
    transaction)."""
    rows = conn.execute(
        "SELECT f.name,"
        " (SELECT coalesce(sum(t.calls), 0) FROM pg_stat_user_functions t"
        "   WHERE t.funcname = f.name)"
        " + (SELECT coalesce(sum(x.calls), 0) FROM pg_stat_xact_user_functions x"
        "   WHERE x.funcname = f.name)"
        " FROM (VALUES ('progress_recount'), ('progress_count_one')) AS f(name)"
    ).fetchall()
    return {name: int(n) for name, n in rows}


class Counted:
    """Which counting functions an edit called: ``with Counted(conn) as c: ...``, then
    ``c.calls`` (the edit made inside the block, in one transaction)."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn
        self.calls: dict[str, int] = {}

    def __enter__(self) -> Counted:
        self._tx = self.conn.transaction()
        self._tx.__enter__()
        self.conn.execute("SET LOCAL track_functions = 'pl'")
        self.conn.execute("SET LOCAL stats_fetch_consistency = 'none'")
        self._before = _calls(self.conn)
        return self

    def __exit__(self, *exc: Any) -> None:
        if exc[0] is None:
            after = _calls(self.conn)
            self.calls = {k: n - self._before[k] for k, n in after.items() if n > self._before[k]}
        self._tx.__exit__(*exc)


def test_an_edit_of_an_assigned_document_counts_only_its_person(
    pg_project: PgDb, admin: psycopg.Connection[Any]
) -> None:
    p = pg_project.project_id
    docs = add_docs(admin, p, 2)
    pg_project.assign({docs[0]: ["ani", "budi"]})
    desks = Desktops(p)
    for name, doc, status, seconds in [
        ("ani", docs[0], "in_progress", 0.0),  # the first record of an assigned document
        ("ani", docs[0], "in_progress", 4.5),  # time spent
        ("ani", docs[0], "done", 4.5),  # finished: another combination
        ("ani", docs[0], "done", 4.5),  # a done record edited again
        ("budi", docs[0], "skipped", 1.0),
        ("ani", docs[0], None, 0.0),  # taken back, still assigned
    ]:
        with Counted(admin) as counted:
            desks.edit(admin, name, doc, status, seconds)
        assert counted.calls == {"progress_count_one": 1}, (name, status)
        assert kept(admin, p) == recounted(admin, p)
    # someone outside the plan: their first record gives them a place, counted whole
    with Counted(admin) as counted:
        desks.edit(admin, "citra", docs[0], "in_progress", 2.0)
    assert counted.calls == {"progress_count_one": 1, "progress_recount": 1}
    # a document nobody is assigned: not counted yet, counted whole
    with Counted(admin) as counted:
        desks.edit(admin, "citra", docs[1], "done", 2.0)
    assert counted.calls == {"progress_count_one": 1, "progress_recount": 1}
    # then an edit of theirs keeps their place: on its own
    with Counted(admin) as counted:
        desks.edit(admin, "citra", docs[1], "in_progress", 3.0)
    assert counted.calls == {"progress_count_one": 1}
    # taken back by someone not assigned: they leave the document's state, counted whole
    with Counted(admin) as counted:
        desks.edit(admin, "citra", docs[1], None, 0.0)
    assert counted.calls == {"progress_count_one": 1, "progress_recount": 1}
    assert kept(admin, p) == recounted(admin, p)
    assert admin.execute(
        "SELECT who FROM progress_docs WHERE project_id = %s AND document_id = %s", (p, docs[1])
    ).fetchone() == ([],)


# An edit: (annotator, document, status or None for taken back, seconds, spans); a lead's
# change of the plan: ("assign", document, people) or ("unassign", document, person).
Edit = tuple[Any, ...]
edits = st.one_of(
    st.tuples(
        st.sampled_from(NAMES),
        st.integers(0, 3),
        st.one_of(st.sampled_from(STATUSES), st.none()),
        st.sampled_from([0.0, 0.1, 2.5, 1e-7, 3600.0]),
        st.integers(0, 2),
    ),
    st.tuples(st.just("assign"), st.integers(0, 3), st.sets(st.sampled_from(NAMES), max_size=3)),
    st.tuples(st.just("unassign"), st.integers(0, 3), st.sampled_from(NAMES)),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    batches=st.lists(st.lists(edits, min_size=1, max_size=4), min_size=1, max_size=12),
    plan=st.lists(st.sets(st.sampled_from(NAMES), max_size=3), min_size=4, max_size=4),
)
def test_edits_of_several_annotators_are_counted_as_from_scratch(
    pg_project: PgDb,
    admin: psycopg.Connection[Any],
    batches: list[list[Edit]],
    plan: list[set[str]],
) -> None:
    """Batches of edits, each batch one transaction (as the sender sends them), by three
    annotators on four documents, some assigned to them and some not, the plan changing
    between them: after every batch the kept counts are a count from scratch."""
    p = pg_project.project_id
    docs = add_docs(admin, p, 4)
    for doc, team in zip(docs, plan, strict=True):
        if team:
            apply(admin, p, docs, ("assign", docs.index(doc), team))
    desks = Desktops(p)
    for batch in batches:
        with admin.transaction():
            for e in batch:
                if e[0] in ("assign", "unassign"):
                    apply(admin, p, docs, e)
                else:
                    name, i, status, seconds, spans = e
                    desks.edit(admin, name, docs[i], status, seconds, spans)
        assert kept(admin, p) == recounted(admin, p), batch


def test_version_10_with_data_migrates_and_goes_on_counting(pg_db: PgDb) -> None:
    steps = schema.packaged_migrations()
    with pg_db.admin(autocommit=True) as conn:
        assert schema.migrate(conn, steps[:10]) == (0, 10)
        p, _ = projects.create_project(conn, ProjectConfig(name="news"))
        other, _ = projects.create_project(conn, ProjectConfig(name="other"))
        rng = random.Random(11)
        ops = itertools.chain.from_iterable(random_ops(rng) for _ in range(60))
        all_docs: dict[int, list[str]] = {p: [], other: []}
        for project in (p, other):
            apply(conn, project, all_docs[project], ("docs", 20))
        for n, op in enumerate(ops):
            project = (p, other)[n % 2]
            apply(conn, project, all_docs[project], op)
        before = {project: kept(conn, project) for project in (p, other)}
        assert schema.migrate(conn) == (10, len(steps))
        for project in (p, other):
            assert kept(conn, project) == before[project] == recounted(conn, project)
        # the edits after it are counted, each on its own where it can be
        desks = Desktops(p)
        for _ in range(40):
            with conn.transaction():
                desks.edit(
                    conn,
                    rng.choice(NAMES),
                    rng.choice(all_docs[p]),
                    rng.choice([*STATUSES, None]),
                    rng.uniform(0, 50),
                )
            assert kept(conn, p) == recounted(conn, p)
        with Counted(conn) as counted:
            doc = next(
                d
                for d in all_docs[p]
                if conn.execute(
                    "SELECT 1 FROM assignments WHERE project_id = %s AND document_id = %s"
                    " AND annotator = 'ani'",
                    (p, d),
                ).fetchone()
            )
            desks.edit(conn, "ani", doc, "skipped", 7.0)
        assert counted.calls == {"progress_count_one": 1}


def test_an_annotator_cannot_count_but_their_edits_are_counted(
    pg_project: PgDb, admin: psycopg.Connection[Any]
) -> None:
    p = pg_project.project_id
    (doc,) = add_docs(admin, p, 1)
    pg_project.assign({doc: ["ani"]})
    pg_project.add_person("ani", "annotator")
    with pg_project.connect_as("ani") as ani:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            ani.execute("SELECT progress_count_one(%s, %s, 'ani')", (p, doc))
        ani.rollback()
        desks = Desktops(p)
        desks.edit(ani, "ani", doc, "in_progress", 3.0)  # the counting runs as the owner
        ani.commit()
    assert kept(admin, p) == recounted(admin, p)
    assert kept(admin, p)["people"][0][:5] == ("ani", 1, 0, 0, 1)

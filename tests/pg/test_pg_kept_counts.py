"""The counts the server keeps as rows change (schema step 0007, decision 0097): after any
sequence of writes (single rows and whole statements, inserts, updates, deletes of
annotations, assignments and documents) they are what a count from scratch gives, the
progress table made from them is the one counted on the desktop from the same rows, and the
report digest's sums are those of the rows. Two changes of one document at once are put in
turn; a span edit of a document in progress writes nothing; only leads read the counts; a
version 5 database with data is counted when it migrates."""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from _counts_helpers import (
    NAMES,
    STAMPS,
    STATUSES,
    Op,
    add_docs,
    apply,
    desktop,
    doc_text,
    kept,
    ops,
    random_ops,
    recounted,
    write,
)
from _pg_helpers import PgDb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.types.json import Json

from annotator.core.model import ProjectConfig, sha256_text
from annotator.core.pg import projects, schema
from annotator.core.pg.progress import server_progress
from annotator.core.pg.store import PgProject, open_pg_project

# -- tests ------------------------------------------------------------------------------------


@pytest.fixture
def admin(pg_project: PgDb) -> Iterator[psycopg.Connection[Any]]:
    with pg_project.admin(autocommit=True) as conn:
        yield conn


@pytest.fixture
def store(pg_project: PgDb, tmp_path: Path) -> Iterator[PgProject]:
    project = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / "desktop")
    yield project
    project.close()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(ops, min_size=1, max_size=30))
def test_the_kept_counts_are_a_count_from_scratch_after_any_writes(
    pg_project: PgDb, admin: psycopg.Connection[Any], store: PgProject, steps: list[Op]
) -> None:
    p = pg_project.project_id
    docs: list[str] = []
    start = [
        ("docs", 3),
        *(("write", i, n, "in_progress", 1.5, STAMPS[0]) for i in range(3) for n in NAMES),
    ]
    for op in [*start, *steps]:
        apply(admin, p, docs, op)
        assert kept(admin, p) == recounted(admin, p), op
    counted = server_progress(store)
    assert counted is not None
    assert counted == desktop(admin, p)  # every field, the exact sums of seconds included
    # everything taken away again: nothing is left counted
    admin.execute("DELETE FROM documents WHERE project_id = %s", (p,))
    assert kept(admin, p) == {"people": [], "combos": [], "documents": (0, 0)}
    assert admin.execute("SELECT count(*) FROM progress_docs").fetchone() == (0,)


def test_counts_made_statement_by_statement_or_at_once_agree(
    pg_project: PgDb, admin: psycopg.Connection[Any], store: PgProject
) -> None:
    """A whole plan in one statement and the same rows one at a time: the same counts."""
    p = pg_project.project_id
    docs = add_docs(admin, p, 30)
    rng = random.Random(7)
    plan = [(p, d, n, i) for d in docs for i, n in enumerate(rng.sample(NAMES, rng.randint(0, 3)))]
    with (
        admin.cursor() as cur,
        cur.copy("COPY assignments (project_id, document_id, annotator, place) FROM STDIN") as copy,
    ):
        for row in plan:
            copy.write_row(row)
    for d in docs:
        for name in NAMES:
            if rng.random() < 0.6:
                write(admin, p, d, name, rng.choice(STATUSES), rng.uniform(0, 99), STAMPS[0])
    assert kept(admin, p) == recounted(admin, p)
    assert server_progress(store) == desktop(admin, p)


def _record(doc: str, status: str, spans: list[dict[str, Any]], seconds: float) -> Json:
    return Json(
        {
            "text_sha256": sha256_text(doc_text(doc)),
            "spans": spans,
            "status": status,
            "updated_at": "2026-05-01T10:00:00Z",
            "seconds": seconds,
        }
    )


def test_a_span_edit_of_a_document_in_progress_writes_no_count(
    pg_project: PgDb, admin: psycopg.Connection[Any]
) -> None:
    p = pg_project.project_id
    (doc,) = add_docs(admin, p, 1)
    client = uuid.uuid4()

    def edit(seq: int, status: str, spans: list[dict[str, Any]], seconds: float) -> None:
        admin.execute(
            "SELECT * FROM apply_edit(%s, %s, %s, 'ani', %s, %s, %s, %s)",
            (
                p,
                client,
                seq,
                doc,
                seq - 1,
                seq - 1 if seq > 1 else None,
                _record(doc, status, spans, seconds),
            ),
        )

    def written() -> tuple[Any, ...]:
        row = admin.execute(
            "SELECT (SELECT count(*) FROM progress_people WHERE project_id = %(p)s),"
            " (SELECT count(*) FROM progress_combos WHERE project_id = %(p)s),"
            " (SELECT xmin::text FROM progress_docs WHERE project_id = %(p)s)",
            {"p": p},
        ).fetchone()
        assert row is not None
        return tuple(row)

    span = {"start": 0, "end": 6, "label": "PERSON"}
    edit(1, "in_progress", [span], 0.0)  # the first record of the document: counted
    first = written()
    assert first[0] == 1
    edit(2, "in_progress", [span, {"start": 7, "end": 9, "label": "CITY"}], 0.0)
    edit(3, "in_progress", [], 0.0)
    assert written() == first  # nothing written: no row, no new version of the state
    edit(4, "in_progress", [], 12.5)  # time recorded: counted
    edit(5, "done", [span], 12.5)  # finished: counted
    assert written()[0] == 3
    assert kept(admin, p) == recounted(admin, p)


def test_two_changes_of_one_document_at_once_are_counted_in_turn(
    pg_project: PgDb, admin: psycopg.Connection[Any], store: PgProject
) -> None:
    """Two annotators finish the same document at the same moment: the second one's count
    cannot go ahead while the first is uncommitted (it waits on the document's kept row), and
    whichever order the two commits meet in, the document is counted as done by both."""
    p = pg_project.project_id
    (doc,) = add_docs(admin, p, 1)
    pg_project.assign({doc: ["ani", "budi"]})
    for name in ("ani", "budi"):
        write(admin, p, doc, name, "in_progress", 1.0, STAMPS[0])
    with pg_project.admin() as first, pg_project.admin() as second:
        write(first, p, doc, "ani", "done", 2.0, STAMPS[1])  # holds the document's count
        # The second change waits for the first: with a lock timeout it is refused, not
        # counted beside it (the first still holds the row however long this takes).
        second.execute("SET LOCAL lock_timeout = '200ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            write(second, p, doc, "budi", "done", 3.0, STAMPS[1])
        second.rollback()
        failed: list[BaseException] = []

        def finish() -> None:
            try:
                write(second, p, doc, "budi", "done", 3.0, STAMPS[1])
                second.commit()
            except BaseException as exc:
                failed.append(exc)

        thread = threading.Thread(target=finish)
        thread.start()  # it may reach the lock before or after the first commits
        first.commit()
        thread.join(30)
        assert not thread.is_alive()
        assert not failed
    counted = server_progress(store)
    assert counted == desktop(admin, p)
    assert counted is not None
    assert (counted.overlap_finished, counted.comparable) == (1, 1)
    assert kept(admin, p) == recounted(admin, p)


def test_at_repeatable_read_a_change_counted_meanwhile_is_refused_not_miscounted(
    pg_project: PgDb, admin: psycopg.Connection[Any]
) -> None:
    p = pg_project.project_id
    (doc,) = add_docs(admin, p, 1)
    pg_project.assign({doc: ["ani", "budi"]})
    with pg_project.admin() as late:
        late.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        late.execute("SELECT 1 FROM documents").fetchall()  # its snapshot, taken now
        write(admin, p, doc, "ani", "done", 1.0, STAMPS[0])  # committed after that snapshot
        with pytest.raises(psycopg.errors.SerializationFailure):
            write(late, p, doc, "budi", "done", 1.0, STAMPS[0])
        late.rollback()
    assert kept(admin, p) == recounted(admin, p)


def test_only_leads_read_the_counts_and_nobody_writes_them(
    pg_project: PgDb, admin: psycopg.Connection[Any]
) -> None:
    p = pg_project.project_id
    docs = add_docs(admin, p, 2)
    pg_project.assign({docs[0]: ["ani"], docs[1]: ["budi"]})
    write(admin, p, docs[0], "ani", "done", 4.0, STAMPS[0])
    pg_project.add_person("ani", "annotator")
    pg_project.add_person("lena", "lead")
    with pg_project.connect_as("ani") as ani:
        for table in ("progress_people", "progress_combos", "progress_projects", "progress_docs"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                ani.execute(f"SELECT * FROM {table}")
        for call in ("progress_fold(%s)", "progress_recount(%s, '{}')"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                ani.execute(f"SELECT {call}", (p,))
        # the annotator's own writes are counted (the triggers run as the schema's owner)
        ani.execute(
            "SELECT * FROM apply_edit(%s, %s, 1, 'ani', %s, 1, NULL, %s)",
            (p, uuid.uuid4(), docs[0], _record(docs[0], "in_progress", [], 5.0)),
        )
    with pg_project.connect_as("lena") as lena:
        assert kept(lena, p) == recounted(admin, p)
        assert kept(lena, p)["people"][0][:3] == ("ani", 1, 0)  # taken back to in progress
        for table in ("progress_people", "progress_combos", "progress_projects"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                lena.execute(f"DELETE FROM {table}")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            lena.execute("SELECT * FROM progress_docs")


def test_version_5_with_data_is_counted_when_it_migrates(pg_db: PgDb, tmp_path: Path) -> None:
    steps = schema.packaged_migrations()
    with pg_db.admin(autocommit=True) as conn:
        assert schema.migrate(conn, steps[:5]) == (0, 5)
        p, _ = projects.create_project(conn, ProjectConfig(name="news"))
        other, _ = projects.create_project(conn, ProjectConfig(name="other"))
        pg_db.project_id = p
        rng = random.Random(5)
        docs: list[str] = []
        for project in (p, other, p):
            batch: list[str] = []
            apply(conn, project, batch, ("docs", 20))
            for _ in range(150):
                assign, written, untouch = random_ops(rng)
                op = rng.choice([assign, written, written, written, untouch])
                apply(conn, project, batch, op)
            docs += batch if project == p else []
        assert schema.migrate(conn) == (5, len(steps))
        for project in (p, other):
            assert kept(conn, project) == recounted(conn, project)
            assert kept(conn, project)["people"]
        expected = desktop(conn, p)
    news = pg_db.admin_url + "&options=-c%20annotator.project%3Dnews"
    store = open_pg_project(news, cache_dir=tmp_path / "desktop")
    try:
        assert server_progress(store) == expected
    finally:
        store.close()


def test_the_digest_follows_what_the_report_reads(
    pg_project: PgDb, admin: psycopg.Connection[Any], store: PgProject
) -> None:
    """A done record's edit, a document's title, a record taken back change the digest; a
    span edit of a document in progress and a record of another annotator do not."""
    from annotator.core.agreement import intervals as iv
    from annotator.core.pg.report_memo import ReportMemo

    p = pg_project.project_id
    docs = add_docs(admin, p, 3)
    for doc in docs:
        for name in ("ani", "budi"):
            write(admin, p, doc, name, "done", 1.0, STAMPS[0])
    write(admin, p, docs[0], "citra", "in_progress", 1.0, STAMPS[0])
    memo = ReportMemo(store, ["ani", "budi"], iv.Bootstrap())
    seen = {memo.digest("basis")}

    def same(op: Op) -> None:
        apply(admin, p, list(docs), op)
        assert memo.digest("basis") in seen

    def changed(op: Op) -> None:
        apply(admin, p, list(docs), op)
        digest = memo.digest("basis")
        assert digest not in seen
        seen.add(digest)

    same(("spans", 0, "citra"))
    same(("write", 1, "citra", "done", 2.0, STAMPS[0]))
    changed(("spans", 0, "ani"))
    changed(("meta", 2))
    changed(("write", 1, "budi", "in_progress", 1.0, STAMPS[0]))
    changed(("docs", 1))

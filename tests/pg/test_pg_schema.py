"""The versioned schema: created by init, migrated in one transaction, newer ones refused."""

from __future__ import annotations

import threading
from pathlib import Path

import psycopg
import pytest
from _pg_helpers import PgDb

from annotator.core.model import Document, ProjectConfig
from annotator.core.pg import ServerError, projects, schema
from annotator.core.pg.progress import server_progress
from annotator.core.pg.store import open_pg_project

TABLES = {
    "schema_version",
    "team_roles",
    "projects",
    "labels",
    "documents",
    "assignments",
    "annotations",
    "gold",
    "clients",
    "edits",
    "agreement_parts",
    "agreement_states",
    "progress_docs",
    "progress_people",
    "progress_combos",
    "progress_projects",
}
FIRST = schema.packaged_migrations()[0]
ADD_COLUMN = schema.Migration(
    2, "document_source", "ALTER TABLE documents ADD COLUMN source text NOT NULL DEFAULT 'web';"
)
BROKEN = schema.Migration(
    2,
    "broken",
    "ALTER TABLE documents ADD COLUMN source text; SELECT * FROM no_such_table;",
)


def tables(conn: psycopg.Connection[object]) -> set[str]:
    rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'annotator'").fetchall()
    return {r[0] for r in rows}


def test_migrate_creates_every_table_and_records_the_version(pg_db: PgDb) -> None:
    with pg_db.admin(autocommit=True) as conn:
        assert schema.current_version(conn) == 0
        before, after = schema.migrate(conn)
        assert (before, after) == (0, len(schema.packaged_migrations()))
        assert tables(conn) == TABLES
        assert schema.check(conn) == after
        rows = conn.execute("SELECT version, name FROM schema_version ORDER BY 1").fetchall()
        assert rows == [(m.version, m.name) for m in schema.packaged_migrations()]


def test_migrate_again_changes_nothing(pg_db: PgDb) -> None:
    with pg_db.admin(autocommit=True) as conn:
        schema.migrate(conn)
        known = len(schema.packaged_migrations())
        assert schema.migrate(conn) == (known, known)
        assert conn.execute("SELECT count(*) FROM schema_version").fetchone() == (known,)


def test_an_older_schema_is_migrated_with_its_data(pg_db: PgDb) -> None:
    with pg_db.admin(autocommit=True) as conn:
        schema.migrate(conn, (FIRST,))
        conn.execute("INSERT INTO projects (name) VALUES ('berita')")
    pg_db.project_id = 1
    pg_db.add_documents(Document(id="d1", text="Wali Kota Bandung 🙂 hadir."))
    with pg_db.admin(autocommit=True) as conn:
        assert schema.migrate(conn, (FIRST, ADD_COLUMN)) == (1, 2)
        assert conn.execute("SELECT id, source FROM documents").fetchall() == [("d1", "web")]
        assert schema.check(conn, known=2) == 2


def test_a_failing_migration_leaves_the_old_schema_whole(pg_db: PgDb) -> None:
    with pg_db.admin(autocommit=True) as conn:
        schema.migrate(conn, (FIRST,))
        with pytest.raises(ServerError, match="no_such_table"):
            schema.migrate(conn, (FIRST, BROKEN))
        assert schema.current_version(conn) == 1
        columns = conn.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = 'annotator' AND table_name = 'documents'"
        ).fetchall()
        assert ("source",) not in columns


def test_a_first_migration_that_fails_leaves_no_schema(pg_db: PgDb) -> None:
    broken_first = schema.Migration(1, "broken", "CREATE TABLE a (x int); SELECT 1/0;")
    with pg_db.admin(autocommit=True) as conn:
        with pytest.raises(ServerError, match="division by zero"):
            schema.migrate(conn, (broken_first,))
        assert schema.current_version(conn) == 0
        assert conn.execute("SELECT to_regnamespace('annotator')").fetchone() == (None,)


def test_a_newer_schema_is_refused(pg_db: PgDb) -> None:
    with pg_db.admin(autocommit=True) as conn:
        schema.migrate(conn, (FIRST, ADD_COLUMN))
        with pytest.raises(ServerError, match=r"version 2, newer than this annotator knows \(1\)"):
            schema.migrate(conn, (FIRST,))
        with pytest.raises(ServerError, match="upgrade annotator"):
            schema.check(conn, known=1)
        assert schema.current_version(conn) == 2


def test_an_older_schema_is_named_when_opened(pg_db: PgDb) -> None:
    with pg_db.admin(autocommit=True) as conn:
        schema.migrate(conn, (FIRST,))
        with pytest.raises(ServerError, match=r"older than this annotator's .2.: a lead runs"):
            schema.check(conn, known=2)


def test_a_database_without_the_schema_says_to_run_init(pg_db: PgDb) -> None:
    with pg_db.admin(autocommit=True) as conn, pytest.raises(ServerError, match="annotator init"):
        schema.check(conn)


def test_two_inits_at_once_migrate_once(pg_db: PgDb) -> None:
    results: list[tuple[int, int]] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            with pg_db.admin(autocommit=True) as conn:
                results.append(schema.migrate(conn))
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures
    known = len(schema.packaged_migrations())
    assert sorted(results) == [(0, known), (known, known)]


def test_migrations_must_be_numbered_without_gaps() -> None:
    with pytest.raises(ValueError, match="migration 3 follows 1"):
        schema.ordered([FIRST, schema.Migration(3, "x", "")])


def test_the_packaged_migrations_are_found() -> None:
    found = schema.packaged_migrations()
    assert [m.version for m in found] == list(range(1, len(found) + 1))
    assert "CREATE TABLE annotations" in found[0].sql


def test_version_3_with_data_migrates_to_the_lead_report_indexes(
    pg_db: PgDb, tmp_path: Path
) -> None:
    steps = schema.packaged_migrations()
    with pg_db.admin(autocommit=True) as conn:
        assert schema.migrate(conn, steps[:3]) == (0, 3)
        pg_db.project_id, _ = projects.create_project(conn, ProjectConfig(name="news"))
    pg_db.add_documents(Document(id="b", text="Dua 😀."), Document(id="a", text="Satu."))
    pg_db.assign({"a": ["ani", "budi"], "b": ["ani"]})
    with pg_db.admin(autocommit=True) as conn:
        for doc, name, status in (("a", "ani", "done"), ("a", "budi", "done"), ("b", "ani", "")):
            conn.execute(
                "INSERT INTO annotations (project_id, document_id, annotator, text_sha256,"
                " spans, status, updated_at, seconds) SELECT project_id, id, %s, text_sha256, '[]',"
                " %s, '2026-05-01T10:00:00Z', 2.5 FROM documents WHERE id = %s",
                (name, status or "in_progress", doc),
            )
        assert schema.migrate(conn) == (3, len(steps))
        found = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes").fetchall()}
        assert {"annotations_last_own", "annotations_last_other", "documents_position"} <= found
        assert "annotations_progress" not in found  # only 0004's count read it (decision 0097)
    store = open_pg_project(pg_db.admin_url, cache_dir=tmp_path / "desktop")
    try:
        counted = server_progress(store)
        assert counted is not None
        assert (counted.documents, counted.comparable, counted.overlap_finished) == (2, 1, 1)
        assert [(r.name, r.assigned, r.done, r.seconds) for r in counted.annotators] == [
            ("ani", 2, 1, 5.0),
            ("budi", 1, 1, 2.5),
        ]
    finally:
        store.close()


def test_a_migration_step_has_no_statement_limit(pg_db: PgDb) -> None:
    """A desktop's connection allows a statement a few seconds; a step that counts or rewrites
    every row of a big project needs minutes (0007 counts each document once)."""
    steps = schema.packaged_migrations()
    probe = schema.Migration(
        len(steps) + 1,
        "probe",
        "DO $$ BEGIN IF current_setting('statement_timeout') <> '0' THEN"
        " RAISE EXCEPTION 'limited to %', current_setting('statement_timeout'); END IF; END $$;",
    )
    with pg_db.admin(autocommit=True) as conn:
        assert conn.execute("SHOW statement_timeout").fetchone() != ("0",)
        assert schema.migrate(conn, (*steps, probe)) == (0, len(steps) + 1)
        assert conn.execute("SHOW statement_timeout").fetchone() != ("0",)  # for this step only

"""Schema step own_rows_first (decision 0099): the policies ask "is it mine" before "is this
a lead". A database of the step before, with data, migrates; the policies are in their new
order; the rules hold as before for annotators and leads (``test_pg_rls.py`` tests them all
on the newest schema)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from _pg_helpers import PgDb
from psycopg import errors as pg_errors
from psycopg.types.json import Json

from annotator.core.model import Document, ProjectConfig, sha256_text
from annotator.core.pg import projects, schema

DOCS = {"d1": "Walikota Bandung 🙂 hadir.\r\nDi Jakarta.", "d2": "Kemendagri di Bandung."}
APPLY = "SELECT outcome, revision FROM apply_edit(%s, %s, %s, %s, %s, %s, %s, %s)"


def step() -> int:
    """The index of the step among the packaged ones (its number may move on)."""
    return [m.name for m in schema.packaged_migrations()].index("own_rows_first")


def edit(conn: Any, project: int, client: uuid.UUID, seq: int, who: str, doc: str) -> Any:
    record = {
        "text_sha256": sha256_text(DOCS[doc]),
        "spans": [{"start": 0, "end": 8, "label": "PERSON"}],
        "status": "in_progress",
        "updated_at": "2026-05-01T10:00:00Z",
        "seconds": 1.0,
        "meta": {},
    }
    return conn.execute(APPLY, (project, client, seq, who, doc, seq - 1, None, Json(record)))


def test_the_step_before_with_data_migrates_to_own_rows_first(pg_db: PgDb) -> None:
    steps = schema.packaged_migrations()
    k = step()
    with pg_db.admin(autocommit=True) as conn:
        assert schema.migrate(conn, steps[:k]) == (0, k)
        pg_db.project_id, _ = projects.create_project(conn, ProjectConfig(name="news"))
    pg_db.add_documents(*(Document(id=i, text=t) for i, t in DOCS.items()))
    for name, kind in (("ani", "annotator"), ("bob", "annotator"), ("lea", "lead")):
        pg_db.add_person(name, kind)
    pg_db.assign({"d1": ["ani"], "d2": ["bob"]})
    ani_desk, bob_desk = uuid.uuid4(), uuid.uuid4()
    with pg_db.connect_as("ani") as ani:
        assert edit(ani, pg_db.project_id, ani_desk, 1, "ani", "d1").fetchone() == ("applied", 1)
    with pg_db.connect_as("bob") as bob:
        assert edit(bob, pg_db.project_id, bob_desk, 1, "bob", "d2").fetchone() == ("applied", 1)

    with pg_db.admin(autocommit=True) as conn:
        assert schema.migrate(conn) == (k, len(steps))
        rows = conn.execute(
            "SELECT policyname, qual, with_check FROM pg_policies WHERE schemaname = 'annotator'"
            " AND policyname IN ('annotations_own', 'assignments_read', 'clients_own',"
            " 'edits_own')"
        ).fetchall()
    assert len(rows) == 4
    for name, qual, _ in rows:  # the row's owner first, is_lead() last
        assert qual.index("CURRENT_USER") < qual.index("is_lead()"), name
    check = next(c for name, _, c in rows if name == "annotations_own")
    assert check.index("CURRENT_USER") < check.index("EXISTS") < check.index("is_lead()")

    with pg_db.connect_as("ani") as ani:
        # the data of the step before is there, and the desktop's numbering goes on
        assert edit(ani, pg_db.project_id, ani_desk, 2, "ani", "d1").fetchone() == ("applied", 2)
        seen = ani.execute("SELECT document_id, annotator, revision FROM annotations").fetchall()
        assert seen == [("d1", "ani", 2)]  # not bob's
        assert ani.execute("SELECT count(*) FROM edits").fetchone() == (2,)  # her own
        assert ani.execute("SELECT count(*) FROM clients").fetchone() == (1,)
        assert ani.execute("SELECT document_id FROM assignments").fetchall() == [("d1",)]
        with pytest.raises(pg_errors.InsufficientPrivilege):  # bob's document, in bob's name
            edit(ani, pg_db.project_id, ani_desk, 3, "bob", "d2")
    with pg_db.connect_as("ani") as ani, pytest.raises(pg_errors.InsufficientPrivilege):
        edit(ani, pg_db.project_id, uuid.uuid4(), 1, "ani", "d2")  # not assigned to her
    with pg_db.connect_as("ani") as ani:
        changed = ani.execute("UPDATE annotations SET seconds = 9 WHERE annotator = 'bob'")
        assert changed.rowcount == 0
    with pg_db.connect_as("lea") as lea:
        rows = lea.execute("SELECT annotator, revision FROM annotations ORDER BY 1").fetchall()
        assert rows == [("ani", 2), ("bob", 1)]
        assert lea.execute("SELECT count(*) FROM edits").fetchone() == (3,)
        assert lea.execute("SELECT count(*) FROM assignments").fetchone() == (2,)
        lea.execute("UPDATE annotations SET seconds = 5 WHERE annotator = 'bob'")
        found = lea.execute("SELECT seconds FROM annotations WHERE annotator = 'bob'").fetchone()
        assert found == (5.0,)

"""Row-level security, tested as the people themselves with plain SQL: blind annotation holds.

ani and bob annotate, lea leads. The plan gives ani d1 and d2, bob d2 and d3.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from _pg_helpers import PgDb
from psycopg import errors as pg_errors
from psycopg.types.json import Json

from annotator.core.model import Document, sha256_text
from annotator.core.pg.errors import server_error

DOCS = {
    "d1": "Walikota Bandung Yana Mulyana hadir.",
    "d2": "Kemendagri 🙂 meluncurkan program Bandung Smart City.",
    "d3": "Pada Selasa 30 Agustus 2022 di Jakarta.",
}
PLAN = {"d1": ["ani"], "d2": ["ani", "bob"], "d3": ["bob"]}


def put_annotation(conn: psycopg.Connection[Any], project: int, doc: str, who: str) -> None:
    """Write ``who``'s annotation of ``doc`` with plain SQL, as a client could."""
    conn.execute(
        "INSERT INTO annotations (project_id, document_id, annotator, text_sha256, spans,"
        " status, updated_at) VALUES (%s, %s, %s, %s, %s, 'done', '2026-01-01T00:00:00Z')",
        (project, doc, who, sha256_text(DOCS[doc]), Json([])),
    )


@pytest.fixture
def team(pg_project: PgDb) -> PgDb:
    pg_project.add_documents(*(Document(id=i, text=t) for i, t in DOCS.items()))
    for name, kind in (("ani", "annotator"), ("bob", "annotator"), ("lea", "lead")):
        pg_project.add_person(name, kind)
    pg_project.assign(PLAN)
    with pg_project.connect_as("bob") as bob:
        put_annotation(bob, pg_project.project_id, "d2", "bob")
        put_annotation(bob, pg_project.project_id, "d3", "bob")
    return pg_project


def ids(conn: psycopg.Connection[Any], query: str) -> list[Any]:
    return [r[0] for r in conn.execute(query).fetchall()]


def test_an_annotator_reads_only_the_documents_assigned_to_them(team: PgDb) -> None:
    with team.connect_as("ani") as ani:
        assert ids(ani, "SELECT id FROM documents ORDER BY id") == ["d1", "d2"]
        assert ids(ani, "SELECT document_id FROM assignments ORDER BY 1") == ["d1", "d2"]
        assert ids(ani, "SELECT DISTINCT annotator FROM assignments") == ["ani"]


def test_without_a_plan_every_annotator_reads_every_document(team: PgDb) -> None:
    with team.connect_as("lea") as lea:
        lea.execute("DELETE FROM assignments")
    with team.connect_as("ani") as ani:
        assert ids(ani, "SELECT id FROM documents ORDER BY id") == ["d1", "d2", "d3"]


def test_an_annotator_cannot_read_another_annotators_annotations(team: PgDb) -> None:
    with team.connect_as("ani") as ani:
        assert ids(ani, "SELECT annotator FROM annotations") == []
        put_annotation(ani, team.project_id, "d2", "ani")
        assert ids(ani, "SELECT annotator FROM annotations") == ["ani"]
        assert ids(ani, "SELECT count(*) FROM annotations WHERE annotator = 'bob'") == [0]


def test_an_annotator_cannot_change_or_delete_another_annotators_annotations(
    team: PgDb,
) -> None:
    with team.connect_as("ani") as ani:
        changed = ani.execute(
            "UPDATE annotations SET status = 'skipped', spans = '[]' WHERE annotator = 'bob'"
        )
        assert changed.rowcount == 0
        with pytest.raises(pg_errors.InsufficientPrivilege):  # annotations are never deleted
            ani.execute("DELETE FROM annotations WHERE annotator = 'bob'")
    with team.connect_as("lea") as lea:
        rows = lea.execute(
            "SELECT document_id, status FROM annotations WHERE annotator = 'bob' ORDER BY 1"
        ).fetchall()
    assert rows == [("d2", "done"), ("d3", "done")]


def test_an_annotator_cannot_write_an_annotation_in_another_name(team: PgDb) -> None:
    with team.connect_as("ani") as ani:
        with pytest.raises(pg_errors.InsufficientPrivilege) as caught:
            put_annotation(ani, team.project_id, "d1", "bob")
        message = str(server_error(caught.value, who="annotator ani"))
        assert message == (
            "permission denied: annotator ani cannot write another annotator's annotations "
            "(or a document not assigned to them)"
        )
        # Not by taking over a row with an upsert either.
        with pytest.raises(pg_errors.InsufficientPrivilege):
            ani.execute(
                "INSERT INTO annotations (project_id, document_id, annotator, text_sha256,"
                " updated_at) VALUES (%s, 'd2', 'bob', %s, 'x') ON CONFLICT"
                " (project_id, document_id, annotator) DO UPDATE SET status = 'skipped'",
                (team.project_id, sha256_text(DOCS["d2"])),
            )


def test_an_annotator_cannot_annotate_a_document_not_assigned_to_them(team: PgDb) -> None:
    with team.connect_as("ani") as ani, pytest.raises(pg_errors.InsufficientPrivilege):
        put_annotation(ani, team.project_id, "d3", "ani")


@pytest.mark.parametrize(
    ("statement", "noun"),
    [
        (
            "INSERT INTO gold (project_id, document_id, text_sha256, updated_at)"
            " VALUES (%(p)s, 'd1', %(sha)s, 'x')",
            "gold",
        ),
        ("SELECT * FROM gold", "gold"),
        (
            "INSERT INTO assignments (project_id, document_id, annotator)"
            " VALUES (%(p)s, 'd3', 'ani')",
            "assignments",
        ),
        ("DELETE FROM assignments WHERE annotator = 'ani'", "assignments"),
        ("UPDATE labels SET color = '#000000'", "labels"),
        ("INSERT INTO labels (project_id, position, name) VALUES (%(p)s, 9, 'X')", "labels"),
        (
            "INSERT INTO documents (project_id, id, text, text_sha256)"
            " VALUES (%(p)s, 'd9', '', %(empty)s)",
            "documents",
        ),
        ("UPDATE projects SET name = 'mine'", "the project settings"),
    ],
)
def test_only_leads_write_gold_assignments_and_labels(
    team: PgDb, statement: str, noun: str
) -> None:
    params = {"p": team.project_id, "sha": sha256_text(DOCS["d1"]), "empty": sha256_text("")}
    with team.connect_as("ani") as ani:
        with pytest.raises(pg_errors.InsufficientPrivilege) as caught:
            ani.execute(statement, params)
        verb = "read" if statement.startswith("SELECT") else "write"
        message = str(server_error(caught.value, who="annotator ani", doing=verb))
        assert message == f"permission denied: annotator ani cannot {verb} {noun}"
    with team.connect_as("lea") as lea:
        lea.execute(statement, params)


def test_a_lead_reads_everything_and_writes_gold(team: PgDb) -> None:
    with team.connect_as("ani") as ani:
        put_annotation(ani, team.project_id, "d1", "ani")
    with team.connect_as("lea") as lea:
        assert ids(lea, "SELECT id FROM documents ORDER BY id") == ["d1", "d2", "d3"]
        rows = lea.execute(
            "SELECT document_id, annotator FROM annotations ORDER BY 1, 2"
        ).fetchall()
        assert rows == [("d1", "ani"), ("d2", "bob"), ("d3", "bob")]
        lea.execute(
            "INSERT INTO gold (project_id, document_id, text_sha256, updated_at)"
            " VALUES (%s, 'd2', %s, 'x')",
            (team.project_id, sha256_text(DOCS["d2"])),
        )
        assert lea.execute("SELECT written_by FROM gold").fetchall() == [("lea",)]


def test_an_annotation_must_be_of_the_documents_text(team: PgDb) -> None:
    with team.connect_as("ani") as ani, pytest.raises(pg_errors.ForeignKeyViolation):
        ani.execute(
            "INSERT INTO annotations (project_id, document_id, annotator, text_sha256,"
            " updated_at) VALUES (%s, 'd1', 'ani', %s, 'x')",
            (team.project_id, sha256_text("another text")),
        )


def test_someone_outside_the_team_cannot_connect(team: PgDb) -> None:
    with team.admin(autocommit=True) as conn:
        conn.execute("CREATE ROLE stranger LOGIN PASSWORD 'not-a-secret'")
    try:
        with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
            psycopg.connect(team.url_for("stranger"), password="not-a-secret")
    finally:
        with team.admin(autocommit=True) as conn:
            conn.execute("DROP ROLE stranger")

"""The sender's path to the server: connected before the first edit, one round trip and one
transaction per batch, every edit confirmed only once it is committed (decision 0094).

The desktop reaches the server through a relay that counts the server's answers
(``_proxy.Relay.round_trips``), so the number of waits an edit costs is seen from outside.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _pg_helpers import PgDb
from _proxy import Relay

from annotator.core.edit import AddSpan
from annotator.core.model import Document
from annotator.core.pg.session import PgSession
from annotator.core.pg.store import PgProject, open_pg_project

TEXT = "Walikota Bandung Yana Mulyana 🙂 hadir di Jakarta pada Selasa.\r\nKemendagri datang."
WORDS = ["Walikota", "Bandung", "Yana Mulyana", "Jakarta", "Selasa", "Kemendagri"]
WAIT = 30.0  # generous: the tests wait for events, they never measure time


@pytest.fixture
def desk(
    pg_project: PgDb, relay: Relay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[PgProject]:
    """ani's desktop on a project of one document, reaching the server through ``relay``."""
    pg_project.add_documents(Document(id="d1", text=TEXT))
    monkeypatch.setenv("PGPASSWORD", pg_project.add_person("ani", "annotator"))
    url = f"postgresql://ani@127.0.0.1:{relay.port}/{pg_project.name}"
    project = open_pg_project(url, cache_dir=tmp_path / "desk")
    project.documents.get("d1")  # the text is on the desktop
    yield project
    project.close()


def ani_connections(db: PgDb) -> int:
    with db.admin(autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = 'ani'").fetchone()
    assert row is not None
    return int(row[0])


def label(i: int) -> AddSpan:
    word = WORDS[i % len(WORDS)]
    start = TEXT.index(word)
    return AddSpan("d1", start, start + len(word), "PERSON")


def test_the_sender_shares_the_desktop_connection(pg_project: PgDb, desk: PgProject) -> None:
    """One server process per desktop: the sender warms and sends on the connection the
    reads use (decision 0103), opening no other."""
    before = ani_connections(pg_project)
    assert before == 1
    session = desk.session("ani")
    assert session.wait_connected(WAIT)
    session.apply(label(0))
    assert session.wait_synced(WAIT), session.sync_error
    assert desk.annotation("ani", "d1") is not None
    assert ani_connections(pg_project) == before
    assert desk.link.spares == 0
    session.close()


def test_an_edit_and_a_backlog_each_take_one_round_trip_and_one_commit(
    pg_project: PgDb, desk: PgProject, relay: Relay
) -> None:
    before = ani_connections(pg_project)
    session: PgSession = desk.session("ani")
    assert session.wait_connected(WAIT)
    assert ani_connections(pg_project) == before  # the desktop's one connection, idle
    relay.round_trips = 0
    session.apply(label(0))
    assert session.wait_synced(WAIT), session.sync_error
    assert relay.round_trips == 1
    relay.round_trips = 0
    session.apply_many([label(i) for i in range(1, 6)])  # one fsync, queued at once
    assert session.wait_synced(WAIT), session.sync_error
    assert relay.round_trips == 1
    with pg_project.admin(autocommit=True) as conn:
        rows = conn.execute(
            "SELECT seq, xmin::text, outcome FROM edits WHERE owner = 'ani' ORDER BY seq"
        ).fetchall()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert all(r[2] == "applied" for r in rows)
    assert len({r[1] for r in rows[1:]}) == 1  # the backlog: one transaction
    assert rows[0][1] != rows[1][1]
    ann = session.annotation("d1")
    assert ann is not None
    assert len(ann.spans) == 6
    session.close()

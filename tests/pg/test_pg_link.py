"""One server connection per desktop, shared by the reads and the sender (decision 0103).

What each side waits on: a transaction block of the editing thread holds the connection, so
a send never lands inside it (it waits, then goes on a second connection); a read made while
a send is held up by the server goes on a second connection instead of freezing the window
until the server's limits end the send; a connection the server dropped is opened again by
whichever side needs it next, and every edit still arrives once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from _pg_helpers import PgDb

from annotator.core.edit import AddSpan
from annotator.core.errors import AnnotatorError
from annotator.core.model import Document
from annotator.core.pg.connection import Timeouts
from annotator.core.pg.store import PgProject, open_pg_project

TEXT = "Walikota Bandung Yana Mulyana 🙂 hadir di Jakarta pada Selasa.\r\nKemendagri datang."
WORDS = ["Walikota", "Bandung", "Yana Mulyana", "Jakarta", "Selasa", "Kemendagri"]
WAIT = 30.0  # generous: the tests wait for events, they never measure time


@pytest.fixture
def desk(pg_project: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PgProject]:
    """ani's desktop on a project of one document; a lock the server makes the sender wait
    for lasts up to 60 s (longer than any test here waits)."""
    pg_project.add_documents(Document(id="d1", text=TEXT))
    monkeypatch.setenv("PGPASSWORD", pg_project.add_person("ani", "annotator"))
    limits = Timeouts(lock=60.0, statement=60.0, answer=90.0)
    project = open_pg_project(
        pg_project.url_for("ani"), cache_dir=tmp_path / "desk", timeouts=limits
    )
    project.documents.get("d1")
    yield project
    project.close()


def label(i: int) -> AddSpan:
    word = WORDS[i % len(WORDS)]
    start = TEXT.index(word)
    return AddSpan("d1", start, start + len(word), "PERSON")


def shared_send_taken(project: PgProject) -> threading.Event:
    """Set once a sender holds the project's shared connection for a batch (``Link.watch``):
    from then on a read cannot have it until the batch's statement is answered."""
    taken = threading.Event()

    def watch(held: bool, shared: bool) -> None:
        if held and shared:
            taken.set()

    project.link.watch(watch)
    return taken


def terminate(db: PgDb, pid: int) -> None:
    """End a server process and wait for it to be gone (the server's own wait, which also
    means it has left ``pg_stat_activity``)."""
    with db.admin(autocommit=True) as admin:
        row = admin.execute(
            "SELECT pg_terminate_backend(%s, %s)", (pid, int(WAIT * 1000))
        ).fetchone()
    assert row == (True,), "the desktop's server process is still there"


def ani_backends(db: PgDb) -> list[tuple[int, str | None]]:
    with db.admin(autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid, wait_event_type FROM pg_stat_activity WHERE usename = 'ani'"
        ).fetchall()
    return [(int(r[0]), r[1]) for r in rows]


def applied_edits(db: PgDb) -> list[int]:
    with db.admin(autocommit=True) as conn:
        rows = conn.execute(
            "SELECT seq FROM edits WHERE owner = 'ani' AND outcome = 'applied' ORDER BY seq"
        ).fetchall()
    return [int(r[0]) for r in rows]


def test_a_read_while_a_send_is_held_up_takes_a_second_connection(
    pg_project: PgDb, desk: PgProject
) -> None:
    session = desk.session("ani")
    session.apply(label(0))
    assert session.wait_synced(WAIT), session.sync_error
    assert len(ani_backends(pg_project)) == 1
    with pg_project.admin() as blocker:
        # the desktop's row of the server's edit log, locked: its next send waits for it
        blocker.execute("SELECT 1 FROM clients WHERE owner = 'ani' FOR UPDATE")
        taken = shared_send_taken(desk)
        session.apply(label(1))
        assert taken.wait(WAIT), "the send never took the shared connection"
        assert desk.link.spares == 0
        # a read on the editing thread: it does not wait for the send (up to 60 s here)
        assert desk.assignments() is None
        assert desk.annotators() == ["ani"]
        assert session.save_state.unsynced == 1  # the send is still held up
        # by the server's lock: the read above waited SHARE_WAIT for the shared connection
        # while the send's statement, handed over before it, went to the server
        assert any(w == "Lock" for _, w in ani_backends(pg_project))
        assert desk.link.spares == 1
        assert len(ani_backends(pg_project)) == 2
        blocker.rollback()
    assert session.wait_synced(WAIT), session.sync_error
    assert applied_edits(pg_project) == [1, 2]
    session.close()


def test_a_transaction_of_the_editing_thread_keeps_the_sender_out(
    pg_project: PgDb, desk: PgProject
) -> None:
    """Were the send made inside the editing thread's transaction, it would be reported
    synced while uncommitted, and rolled back with it."""
    session = desk.session("ani")
    assert session.wait_connected(WAIT)
    conn = desk.connection()
    with conn.transaction(force_rollback=True):
        mine = conn.execute("SELECT txid_current()").fetchone()
        session.apply(label(0))
        assert session.wait_synced(WAIT), session.sync_error
        assert applied_edits(pg_project) == [1]  # committed: seen from another connection
        assert desk.connection() is conn  # the editing thread keeps its transaction's
    assert mine is not None
    assert applied_edits(pg_project) == [1]  # not rolled back with the block
    with pg_project.admin(autocommit=True) as admin:
        row = admin.execute("SELECT xmin::text FROM edits WHERE owner = 'ani'").fetchone()
    assert row is not None
    assert row[0] != str(mine[0])
    assert desk.link.spares == 1
    session.close()


def test_a_connection_the_server_dropped_is_opened_again_by_either_side(
    pg_project: PgDb, desk: PgProject
) -> None:
    session = desk.session("ani")
    session.apply(label(0))
    assert session.wait_synced(WAIT), session.sync_error
    [(pid, _)] = ani_backends(pg_project)
    terminate(pg_project, pid)
    assert not ani_backends(pg_project)
    session.apply_many([label(1), label(2)])  # the sender finds the connection gone
    assert session.wait_synced(WAIT), session.sync_error
    assert applied_edits(pg_project) == [1, 2, 3]
    assert desk.assignments() is None  # and the reads use the connection it opened again
    assert len(ani_backends(pg_project)) == 1
    [(pid, _)] = ani_backends(pg_project)
    terminate(pg_project, pid)
    assert not ani_backends(pg_project)
    with pytest.raises(AnnotatorError):  # the read that finds it gone says so, in one line
        desk.assignments()
    assert desk.assignments() is None  # the next one opens it again
    session.apply(label(3))
    assert session.wait_synced(WAIT), session.sync_error
    assert applied_edits(pg_project) == [1, 2, 3, 4]
    assert len(ani_backends(pg_project)) == 1
    assert desk.link.spares == 0
    ann = session.annotation("d1")
    assert ann is not None
    assert len(ann.spans) == 4
    session.close()

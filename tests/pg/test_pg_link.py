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
from _pg_helpers import PgDb, waiting_on

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


def read_elsewhere(project: PgProject) -> int:
    """A read through the project's link, as the editing thread makes one, on a thread of its
    own so that a read stuck behind the send fails the test at once rather than after the
    server's 60 s: the server process that answered it."""
    answered: list[int] = []

    def read() -> None:
        assert project.assignments() is None
        row = project.connection().execute("SELECT pg_backend_pid()").fetchone()
        assert row is not None
        answered.append(int(row[0]))

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(WAIT)
    assert not thread.is_alive(), "the read waited for the send held up by the server"
    assert answered, "the read failed"
    return answered[0]


def test_a_read_while_a_send_is_held_up_takes_a_second_connection(
    pg_project: PgDb, desk: PgProject
) -> None:
    session = desk.session("ani")
    session.apply(label(0))
    assert session.wait_synced(WAIT), session.sync_error
    [(shared, _)] = ani_backends(pg_project)
    with pg_project.admin() as blocker:
        # the desktop's row of the server's edit log, locked: its next send waits for it
        blocker.execute("SELECT 1 FROM clients WHERE owner = 'ani' FOR UPDATE")
        session.apply(label(1))
        # the server's own word: the send's statement is there, on the shared connection,
        # waiting for the blocker's lock (for up to 60 s here)
        assert waiting_on(pg_project, blocker.info.backend_pid) == [shared]
        assert desk.link.spares == 0
        reader = read_elsewhere(desk)
        assert reader != shared
        assert desk.link.spares == 1
        assert {pid for pid, _ in ani_backends(pg_project)} == {shared, reader}
        # and the send is still held up, as it was: the read neither waited for it nor
        # took its place
        assert waiting_on(pg_project, blocker.info.backend_pid, 0) == [shared]
        assert session.save_state.unsynced == 1
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

"""Faults against a real server: a server stopped as by a power cut, a desktop killed while
sending, a server that accepts and never answers. Every edit arrives exactly once.

These tests stop their server, so they run on a cluster of their own (scripts/test-postgres.sh
start / crash / resume / stop), never on the one the other tests share.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from _pg_helpers import PgDb, Server, cluster_script, news_project
from _proxy import Relay

from annotator.core.edit import AddSpan, AddTime, RemoveSpan
from annotator.core.model import Document
from annotator.core.pg import ServerUnreachable
from annotator.core.pg.connection import Timeouts
from annotator.core.pg.session import PgSession
from annotator.core.pg.store import open_pg_project

TEXT = "Walikota Bandung Yana Mulyana hadir di Jakarta 🙂 pada Selasa."
WORDS = ["Walikota", "Bandung", "Yana Mulyana", "Jakarta", "Selasa"]
FAST = Timeouts(connect=2, answer=3, statement=3, lock=2, idle_in_transaction=10)
WAIT = 60.0  # generous: the tests wait for events, they never measure time


@pytest.fixture
def db(cluster: tuple[Server, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PgDb:
    server, _ = cluster
    name = f"f{os.getpid()}_{tmp_path.name[-12:].replace('-', '_').lower()}"
    made = news_project(server, name, *(Document(id=f"d{i}", text=TEXT) for i in range(1, 4)))
    monkeypatch.setenv("PGPASSWORD", made.passwords["ani"])
    return made


def edit(session: PgSession, i: int) -> None:
    """The i-th edit of a fixed sequence: spans on and off, time added, over three docs."""
    doc = f"d{i % 3 + 1}"
    word = WORDS[(i // 3) % len(WORDS)]
    start = TEXT.index(word)
    key = (start, start + len(word), "PERSON")
    ann = session.annotation(doc)
    if ann is not None and any(s.key == key for s in ann.spans):
        session.apply(RemoveSpan(doc, key))
    elif ann is not None and i % 4 == 0:
        session.apply(AddTime(doc, 1.5))
    else:
        session.apply(AddSpan(doc, *key))


def server_log(db: PgDb, client: object) -> tuple[int, int, int, int]:
    """(edits logged, distinct numbers, highest number, the desktop's last_seq)."""
    with db.admin(autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*), count(DISTINCT seq), coalesce(max(seq), 0),"
            " (SELECT last_seq FROM clients WHERE client_id = %s)"
            " FROM edits WHERE client_id = %s",
            (client, client),
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2]), int(row[3] or 0)


def assert_server_matches(db: PgDb, session: PgSession) -> None:
    with db.admin(autocommit=True) as conn:
        rows = conn.execute(
            "SELECT document_id, spans, seconds, revision FROM annotations"
            " WHERE annotator = 'ani' ORDER BY 1"
        ).fetchall()
        applied = dict(
            conn.execute(
                "SELECT document_id, count(*) FROM edits WHERE outcome = 'applied' GROUP BY 1"
            ).fetchall()
        )
    assert rows, "nothing reached the server"
    for doc_id, spans, seconds, revision in rows:
        local = session.annotation(doc_id)
        assert local is not None
        assert sorted((s["start"], s["end"], s["label"]) for s in spans) == [
            s.key for s in local.spans
        ]
        assert seconds == local.seconds
        assert revision == applied[doc_id]  # each edit applied once: one revision each


def test_a_server_stopped_mid_session_gets_every_edit_once(
    db: PgDb, cluster: tuple[Server, str], tmp_path: Path
) -> None:
    _, folder = cluster
    project = open_pg_project(db.url_for("ani"), cache_dir=tmp_path / "desk", timeouts=FAST)
    session = project.session("ani")
    for doc_id in project.documents.ids:  # the documents on the desktop
        project.documents.get(doc_id)
    for i in range(10):
        edit(session, i)
    assert session.wait_synced(WAIT)
    cluster_script("crash", folder)
    try:
        for i in range(10, 40):
            edit(session, i)  # annotation goes on: the outbox holds the edits
        assert session.save_state.unsynced > 0
        session.save()  # cannot reach the server: keeps the outbox, returns
        assert session.save_state.unsynced > 0
    finally:
        cluster_script("resume", folder)
    assert session.wait_synced(WAIT), session.sync_error
    assert server_log(db, session.client_id) == (40, 40, 40, 40)
    assert_server_matches(db, session)
    session.close()
    project.close()


CHILD = r"""
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from test_pg_faults import edit
from annotator.core.pg.store import open_pg_project
project = open_pg_project(sys.argv[1], cache_dir=Path(sys.argv[2]))
session = project.session("ani")
for i in range(100000):
    edit(session, i)
    print(i + 1, flush=True)
"""


def test_a_desktop_killed_while_sending_loses_and_doubles_nothing(db: PgDb, tmp_path: Path) -> None:
    desk = tmp_path / "desk"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, db.url_for("ani"), str(desk), str(Path(__file__).parent)],
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    assert child.stdout is not None
    committed = sent_before = 0
    with db.admin(autocommit=True) as conn:
        for line in child.stdout:
            committed = int(line)
            if committed % 20:
                continue
            row = conn.execute("SELECT coalesce(max(last_seq), 0) FROM clients").fetchone()
            sent_before = row[0] if row is not None else 0
            if sent_before > 0 and committed >= 200:
                break  # some sent while edits keep coming: the sender is mid-way
    os.kill(child.pid, signal.SIGKILL)
    child.wait(WAIT)
    child.stdout.close()
    assert committed >= 200
    assert sent_before > 0  # killed with edits on the server and more in the outbox
    project = open_pg_project(db.url_for("ani"), cache_dir=desk)
    session = project.session("ani")  # replays the outbox and sends what is left
    assert session.wait_synced(WAIT), session.sync_error
    logged, distinct, highest, last = server_log(db, session.client_id)
    assert logged == distinct == highest == last  # no gap, nothing twice
    assert highest >= committed  # every acknowledged edit arrived
    assert_server_matches(db, session)
    session.close()
    project.close()


def test_a_server_that_never_answers_does_not_hold_up_editing(
    db: PgDb, cluster: tuple[Server, str], tmp_path: Path
) -> None:
    server, _ = cluster
    relay = Relay(server.tcp_host, int(server.port))
    url = f"postgresql://ani@127.0.0.1:{relay.port}/{db.name}"
    try:
        project = open_pg_project(url, cache_dir=tmp_path / "desk", timeouts=FAST)
        session = project.session("ani")
        for doc_id in project.documents.ids:  # the documents on the desktop
            project.documents.get(doc_id)
        edit(session, 0)
        assert session.wait_synced(WAIT)
        relay.silence()
        done = threading.Event()

        def annotate() -> None:
            for i in range(1, 21):
                edit(session, i)
            done.set()

        worker = threading.Thread(target=annotate)
        worker.start()
        # The edits are made while the sender waits on the silent server; they would take at
        # least 20 x 3 s if an edit waited for the server.
        assert done.wait(20)
        assert session.save_state.unsynced > 0
        with pytest.raises(ServerUnreachable):
            open_pg_project(url, cache_dir=tmp_path / "other", timeouts=FAST)
        relay.restore()
        assert session.wait_synced(WAIT), session.sync_error
        assert server_log(db, session.client_id) == (21, 21, 21, 21)
        assert_server_matches(db, session)
        session.close()
        project.close()
    finally:
        relay.close()

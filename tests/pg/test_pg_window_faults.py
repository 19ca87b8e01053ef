"""The window while its server is stopped as by a power cut: annotation goes on, the title
counts the edits waiting, and after the restart the backlog arrives once. On a cluster of its
own (scripts/test-postgres.sh crash / resume), never the one the other tests share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _pg_helpers import PgDb, Server, cluster_script, news_project
from _pg_window import WAIT_MS, label, open_url
from pytestqt.qtbot import QtBot

from annotator.core.model import Document

TEXT = "Walikota Bandung Yana Mulyana hadir di Jakarta 🙂 pada Selasa bersama Ridwan Kamil."


@pytest.fixture
def db(cluster: tuple[Server, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PgDb:
    server, _ = cluster
    name = f"w{os.getpid()}_{tmp_path.name[-12:].replace('-', '_').lower()}"
    made = news_project(server, name, Document(id="d1", text=TEXT))
    monkeypatch.setenv("PGPASSWORD", made.passwords["ani"])
    return made


def test_the_window_goes_on_offline_and_the_backlog_arrives_once(
    qtbot: QtBot, db: PgDb, cluster: tuple[Server, str], tmp_path: Path
) -> None:
    _, folder = cluster
    window = open_url(qtbot, tmp_path, db.url_for("ani"))
    label(qtbot, window, "Bandung", "3")
    qtbot.waitUntil(lambda: window.windowTitle().endswith("saved · synced"), timeout=WAIT_MS)
    cluster_script("crash", folder)
    try:
        for word, key in (("Yana Mulyana", "1"), ("Jakarta", "3"), ("Ridwan Kamil", "1")):
            label(qtbot, window, word, key)  # the keys still work: the window never waits
        qtbot.waitUntil(lambda: "offline · " in window.windowTitle(), timeout=WAIT_MS)
        waiting = window.work.store.save_state.unsynced
        assert waiting >= 3
        assert window.windowTitle().endswith(f"offline · {waiting} waiting")
        assert [s.text for s in window.work.spans] == [
            "Bandung",
            "Yana Mulyana",
            "Jakarta",
            "Ridwan Kamil",
        ]
    finally:
        cluster_script("resume", folder)
    qtbot.waitUntil(lambda: window.windowTitle().endswith("saved · synced"), timeout=WAIT_MS)
    client = window.work.store.client_id  # type: ignore[attr-defined]
    with db.admin(autocommit=True) as conn:
        logged, distinct, highest, last = conn.execute(
            "SELECT count(*), count(DISTINCT seq), max(seq),"
            " (SELECT last_seq FROM clients WHERE client_id = %s) FROM edits WHERE client_id = %s",
            (client, client),
        ).fetchone()  # type: ignore[misc]
        spans = conn.execute(
            "SELECT spans FROM annotations WHERE annotator = 'ani' AND document_id = 'd1'"
        ).fetchone()[0]  # type: ignore[index]
    assert logged == distinct == highest == last  # each edit once, none missing
    assert logged >= 4
    texts = sorted(s["text"] for s in spans)
    assert texts == ["Bandung", "Jakarta", "Ridwan Kamil", "Yana Mulyana"]
    window.close()


def test_the_window_opens_offline_from_this_computers_copy(
    qtbot: QtBot, db: PgDb, cluster: tuple[Server, str], tmp_path: Path
) -> None:
    _, folder = cluster
    db.add_documents(Document(id="d2", text="Gubernur Jawa Barat di Bandung."))
    url = db.url_for("ani")
    window = open_url(qtbot, tmp_path, url)  # online: d1 is read, so it is on this computer
    label(qtbot, window, "Bandung", "3")
    qtbot.waitUntil(lambda: window.windowTitle().endswith("saved · synced"), timeout=WAIT_MS)
    window.close()
    cluster_script("crash", folder)
    try:
        again = open_url(qtbot, tmp_path, url)  # the server is away: the copy opens
        assert again.work.doc_id == "d1"
        assert [s.text for s in again.work.spans] == ["Bandung"]
        assert [again.document_model.documents.ids[r] for r in range(2)] == ["d1", "d2"]
        label(qtbot, again, "Yana Mulyana", "1")
        qtbot.waitUntil(
            lambda: again.windowTitle().endswith("offline · 1 waiting"), timeout=WAIT_MS
        )
        again.annotating.open("d2")  # never read here: said in one line, d1 stays open
        assert again.work.doc_id == "d1"
        assert "d2: its text is not on this computer" in again.statusBar().currentMessage()
    finally:
        cluster_script("resume", folder)
    qtbot.waitUntil(lambda: again.windowTitle().endswith("saved · synced"), timeout=WAIT_MS)
    with db.admin(autocommit=True) as conn:
        spans = conn.execute(
            "SELECT spans FROM annotations WHERE annotator = 'ani' AND document_id = 'd1'"
        ).fetchone()[0]  # type: ignore[index]
        logged = conn.execute("SELECT count(*), count(DISTINCT seq) FROM edits").fetchone()
    assert sorted(s["text"] for s in spans) == ["Bandung", "Yana Mulyana"]
    assert logged is not None
    assert logged[0] == logged[1]  # each edit once
    again.close()

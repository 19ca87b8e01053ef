"""The window's live views when its listener is cut off: what happened on the server while it
heard nothing is caught up once it listens again (``ServerChanges`` on ``resync``), and a
listener that ends on a fault is the banner, never a window silently gone stale (decisions
0083, 0084, 0112).

The cut: the listener's server process is ended and its person may not log in until the test
allows it again, so whatever is done meanwhile notifies nobody (a cut that lets the listener
straight back in would hear the later notices themselves, and prove nothing of the resync).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from _pg_helpers import PgDb
from _pg_window import WAIT_MS, action, label, open_url
from psycopg import sql
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot
from test_pg_window import finish_on_own_desktop

from annotator.core.model import Document
from annotator.ui.window.main_window import MainWindow

TEXT = "Walikota Bandung Yana Mulyana hadir di Jakarta 🙂 pada Selasa (30/08/2022)."


@pytest.fixture
def team(pg_project: PgDb) -> PgDb:
    pg_project.add_documents(
        Document(id="d1", text=TEXT),
        Document(id="d2", text="Gubernur ke Kafe\u0301 Sunda di Bandung 🙂."),
    )
    for name, kind in (("ani", "annotator"), ("bob", "annotator"), ("lea", "lead")):
        pg_project.add_person(name, kind)
    return pg_project


@contextmanager
def unheard(qtbot: QtBot, db: PgDb, window: MainWindow, name: str) -> Iterator[None]:
    """Inside: the window's listener is cut off and ``name`` (the window's person) cannot
    log in, so nothing done meanwhile is heard. On leaving, logging in is allowed again and
    this returns once the listener listens again."""
    changes = window.server_view.changes
    listener = changes.listener
    assert listener is not None
    assert listener.listening.wait(30)
    conn = listener._conn
    assert conn is not None
    pid = conn.info.backend_pid
    role = sql.Identifier(name)
    with db.admin(autocommit=True) as admin:
        admin.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(role))
        try:
            ended = admin.execute("SELECT pg_terminate_backend(%s, 30000)", (pid,)).fetchone()
            assert ended == (True,)
            qtbot.waitUntil(lambda: not listener.listening.is_set(), timeout=WAIT_MS)
            heard = changes.heard
            yield
            assert listener.error is not None  # it tried to come back and was kept out
            assert changes.heard == heard, "a notice reached the window while it was cut off"
        finally:
            admin.execute(sql.SQL("ALTER ROLE {} LOGIN").format(role))
    qtbot.waitUntil(listener.listening.is_set, timeout=WAIT_MS)


def test_the_leads_views_catch_up_on_what_was_finished_while_the_window_heard_nothing(
    qtbot: QtBot, team: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.ui.review.review_data import ReviewData

    monkeypatch.setenv("PGPASSWORD", team.passwords["lea"])
    lead = open_url(qtbot, tmp_path, team.url_for("lea"))
    action(lead, "review.progress").trigger()
    action(lead, "review.agreement").trigger()
    progress = lead.findChild(QObject, "team_view").data  # type: ignore[union-attr]
    review = lead.findChild(ReviewData, "review_data")
    assert review is not None
    qtbot.waitUntil(
        lambda: progress.numbers is not None and not progress.busy and review.report is not None,
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(lambda: not review.busy, timeout=WAIT_MS)
    keeper = lead.server_view.changes.keeper
    assert keeper is not None
    assert keeper.wait_idle(30)  # the catch-up of the window's opening is over

    def finished() -> list[str]:
        rows = progress.numbers.progress.annotators
        return sorted(r.name for r in rows if r.done == 1)

    def kept() -> list[tuple[str, str, str]]:
        with team.admin() as conn:
            return conn.execute("SELECT a, b, document_id FROM agreement_parts").fetchall()

    assert finished() == []
    assert review.report.documents_compared == 0
    with unheard(qtbot, team, lead, "lea"):
        for name in ("ani", "bob"):
            finish_on_own_desktop(team, name, tmp_path)
    qtbot.waitUntil(lambda: finished() == ["ani", "bob"], timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: review.report is not None and review.report.documents_compared == 1,
        timeout=WAIT_MS,
    )
    assert review.report.annotators == ["ani", "bob"]
    assert review.report.span_f1["strict"] == 1.0
    qtbot.waitUntil(lambda: kept() == [("ani", "bob", "d1")], timeout=WAIT_MS)  # and the keeper
    assert lead.server_view.changes.problems == []
    lead.close()


def test_a_document_assigned_while_the_annotators_window_heard_nothing_shows_in_their_list(
    qtbot: QtBot, team: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team.assign({"d1": ["ani"]})
    monkeypatch.setenv("PGPASSWORD", team.passwords["ani"])
    window = open_url(qtbot, tmp_path, team.url_for("ani"))
    model = window.document_model

    def ids() -> list[str]:
        return [model.documents.ids[r] for r in range(model.rowCount())]

    assert ids() == ["d1"]
    with unheard(qtbot, team, window, "ani"):
        team.assign({"d2": ["ani"]})
    qtbot.waitUntil(lambda: ids() == ["d1", "d2"], timeout=WAIT_MS)
    window.annotating.open("d2")  # its text is read from the server
    assert window.work.doc_id == "d2"
    label(qtbot, window, "Bandung", "3")
    qtbot.waitUntil(lambda: window.windowTitle().endswith("saved · synced"), timeout=WAIT_MS)
    window.close()


def test_a_listener_that_ends_on_a_fault_is_the_banner_and_the_window_goes_on(
    qtbot: QtBot, team: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.core.pg import listen

    def unreadable(channel: str, payload: str, project_id: int) -> listen.Notice | None:
        raise RuntimeError("a notice this code cannot take")

    team.assign({"d1": ["ani"]})
    monkeypatch.setenv("PGPASSWORD", team.passwords["ani"])
    window = open_url(qtbot, tmp_path, team.url_for("ani"))
    changes = window.server_view.changes
    listener = changes.listener
    assert listener is not None
    assert listener.listening.wait(30)
    monkeypatch.setattr(listen, "parse", unreadable)
    team.assign({"d2": ["ani"]})  # its notice ends the listener's thread
    qtbot.waitUntil(window.notice.isVisible, timeout=WAIT_MS)
    assert listener.ended.is_set()
    assert listener.fault is not None
    assert listener.fault.startswith("RuntimeError: a notice this code cannot take (")
    line = f"the server's notices are no longer heard: {listener.fault}"
    assert changes.problems == [line]
    assert window.notice.text() == f"In the background: {line}"
    label(qtbot, window, "Bandung", "3")  # annotation goes on, and is sent
    qtbot.waitUntil(lambda: window.windowTitle().endswith("saved · synced"), timeout=WAIT_MS)
    window.close()

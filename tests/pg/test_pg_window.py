"""The window on a server project, driven like a person against a real server: opening a
``postgresql://`` URL (password from the environment or typed), saved and synced apart,
refusals and failures as one line, the two-computer conflict chooser, and live views."""

from __future__ import annotations

from pathlib import Path

import pytest
from _pg_helpers import PgDb
from _pg_window import WAIT_MS, action, label, launcher_at, open_url, show, when_modal
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from annotator.core.edit import AddSpan
from annotator.core.errors import AnnotatorError
from annotator.core.model import Document
from annotator.core.pg.store import open_pg_project

TEXT = "Walikota Bandung Yana Mulyana hadir di Jakarta 🙂 pada Selasa (30/08/2022)."


def server_spans(db: PgDb, name: str, doc_id: str) -> list[tuple[int, int, str]]:
    with db.admin() as conn:
        row = conn.execute(
            "SELECT spans FROM annotations WHERE project_id = %s AND annotator = %s"
            " AND document_id = %s AND NOT untouched",
            (db.project_id, name, doc_id),
        ).fetchone()
    return [] if row is None else sorted((s["start"], s["end"], s["label"]) for s in row[0])


@pytest.fixture
def team(pg_project: PgDb, monkeypatch: pytest.MonkeyPatch) -> PgDb:
    pg_project.add_documents(
        Document(id="d1", text=TEXT), Document(id="d2", text="Gubernur Jawa Barat di Bandung.")
    )
    pg_project.add_person("ani", "annotator")
    pg_project.add_person("lea", "lead")
    monkeypatch.setenv("PGPASSWORD", pg_project.passwords["ani"])
    return pg_project


def test_an_edit_is_saved_here_then_synced_and_the_title_says_which(
    qtbot: QtBot, team: PgDb, tmp_path: Path
) -> None:
    window = open_url(qtbot, tmp_path, team.url_for("ani"))
    assert window.work.name == "ani"
    assert window.work.doc_id == "d1"
    assert window.windowTitle() == "news — ani — saved · synced"
    label(qtbot, window, "Yana Mulyana", "1")
    start = TEXT.index("Yana Mulyana")
    qtbot.waitUntil(lambda: window.windowTitle().endswith("saved · synced"), timeout=WAIT_MS)
    assert server_spans(team, "ani", "d1") == [(start, start + 12, "PERSON")]
    window.close()
    # the recent list keeps the URL, never a password
    assert launcher_at(tmp_path).settings.recent_projects() == [team.url_for("ani")]


def test_a_password_libpq_does_not_find_is_asked_for_and_never_remembered(
    qtbot: QtBot, team: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    seen: list[QWidget] = []
    answers = ["wrong-one", team.passwords["ani"]]
    asked: list[str] = []

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        asked.append(dialog.labelText())
        edit = dialog.findChild(QLineEdit)
        assert edit is not None
        assert edit.echoMode() == QLineEdit.EchoMode.Password
        qtbot.keyClicks(edit, answers.pop(0))
        if answers:
            when_modal(QInputDialog, answer, seen)
        qtbot.keyClick(edit, "\r")

    when_modal(QInputDialog, answer, seen)
    window = open_url(qtbot, tmp_path, team.url_for("ani"))
    assert "none was given" in asked[0]
    assert 'password authentication failed for user "ani"' in asked[1]
    assert window.work.name == "ani"
    window.close()
    from annotator.core.paths import user_data_dir

    kept = [p for p in user_data_dir().rglob("*") if p.is_file()]  # the desktop's copy, outbox
    assert kept
    assert not [p for p in kept if team.passwords["ani"].encode() in p.read_bytes()]
    ini = (tmp_path / "settings.ini").read_text("utf-8")
    assert team.passwords["ani"] not in ini
    assert "wrong-one" not in ini
    assert team.url_for("ani") in ini


def test_a_server_that_cannot_be_opened_is_one_line(
    qtbot: QtBot, team: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    launcher = launcher_at(tmp_path)
    with pytest.raises(AnnotatorError) as caught:
        launcher.open("postgresql://ani@127.0.0.1:1/news", None)
    assert str(caught.value) == (
        'postgresql://ani@127.0.0.1:1/news: cannot reach the server "127.0.0.1", port 1: '
        "Connection refused"
    )
    team.add_person("bob", "annotator")
    with team.admin(autocommit=True) as conn:  # the person was taken out of the team
        conn.execute(f'REVOKE "{team.name}_annotators" FROM bob')
    monkeypatch.setenv("PGPASSWORD", team.passwords["bob"])
    with pytest.raises(AnnotatorError) as caught:
        launcher.open(team.url_for("bob"), None)
    message = str(caught.value)
    assert "permission denied for database" in message
    assert "\n" not in message
    assert launcher.windows == []


def test_file_open_server_project_switches_the_window_to_the_url(
    qtbot: QtBot, team: PgDb, tmp_path: Path
) -> None:
    from annotator.core.project import Project

    folder = Project.init(tmp_path / "folder")
    folder.documents.append([Document(id="f1", text="Satu.")])
    launcher = launcher_at(tmp_path)
    first = launcher.open(folder.root, "ani")
    assert first is not None
    show(qtbot, first)
    seen: list[QWidget] = []

    def type_url(dialog: QWidget) -> None:
        box = dialog.findChild(QWidget, "server_url")
        edit = box.lineEdit()  # type: ignore[union-attr]
        edit.selectAll()
        qtbot.keyClicks(edit, team.url_for("ani"))
        qtbot.keyClick(edit, "\r")

    when_modal(QWidget, type_url, seen)
    action(first, "file.open_server").trigger()
    qtbot.waitUntil(lambda: len(launcher.windows) == 1 and launcher.windows[0] is not first)
    window = launcher.windows[0]
    assert window.work.project.location == team.url_for("ani")
    assert window.work.doc_id == "d1"
    window.close()


def other_desktop(db: PgDb, name: str, folder: Path):  # type: ignore[no-untyped-def]
    """The same server project opened elsewhere (its own connections and outbox)."""
    from annotator.core.pg import with_password

    return open_pg_project(with_password(db.url_for(name), db.passwords[name]), cache_dir=folder)


def finish_on_own_desktop(db: PgDb, name: str, tmp_path: Path) -> None:
    """``name``, on a desktop of their own, labels Bandung in d1 and finishes it; returns
    once the server has both edits."""
    city = TEXT.index("Bandung")
    desk = other_desktop(db, name, tmp_path / f"{name}-desktop")
    with desk.session(name) as session:
        session.apply(AddSpan("d1", city, city + 7, "CITY"))
        session.set_status("d1", "done", 12.0)
        assert session.wait_synced(30)
    desk.close()


def test_a_done_document_reaches_the_leads_progress_pane_live(
    qtbot: QtBot, team: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", team.passwords["lea"])
    lead = open_url(qtbot, tmp_path, team.url_for("lea"))
    assert lead.scope.lead
    action(lead, "review.progress").trigger()
    data = lead.findChild(QObject, "team_view").data  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: data.numbers is not None and not data.busy, timeout=WAIT_MS)
    listener = lead.server_view.changes.listener
    assert listener is not None
    assert listener.listening.wait(30)
    ani = other_desktop(team, "ani", tmp_path / "ani-desktop")
    session = ani.session("ani")
    try:
        with qtbot.waitSignal(data.updated, timeout=WAIT_MS):
            session.set_status("d1", "done", 30.0)
        while not any(r.name == "ani" and r.done == 1 for r in data.numbers.progress.annotators):
            with qtbot.waitSignal(data.updated, timeout=WAIT_MS):
                pass
    finally:
        ani.close()
    people = lead.document_model.people_of
    assert people is not None
    assert "ani" in people("d1")
    lead.close()


def test_the_annotators_list_follows_the_plan_the_lead_changes(
    qtbot: QtBot, team: PgDb, tmp_path: Path
) -> None:
    team.add_documents(Document(id="d3", text="Menteri di Surabaya."))
    team.assign({"d1": ["ani"], "d3": ["lea"]})
    window = open_url(qtbot, tmp_path, team.url_for("ani"))
    model = window.document_model

    def ids() -> list[str]:
        return [model.documents.ids[r] for r in range(model.rowCount())]

    assert ids() == ["d1"]
    listener = window.server_view.changes.listener
    assert listener is not None
    assert listener.listening.wait(30)
    team.assign({"d2": ["ani"]})  # newly assigned: it appears
    qtbot.waitUntil(lambda: ids() == ["d1", "d2"], timeout=WAIT_MS)
    assert window.scope.visible("d2")
    with team.admin(autocommit=True) as conn:  # the lead takes d1 away
        conn.execute(
            "DELETE FROM assignments WHERE project_id = %s AND document_id = 'd1'",
            (team.project_id,),
        )
    qtbot.waitUntil(lambda: ids() == ["d2"], timeout=WAIT_MS)
    window.close()


def test_the_same_person_on_two_computers_sees_both_versions_and_keeps_both(
    qtbot: QtBot, team: PgDb, tmp_path: Path
) -> None:
    window = open_url(qtbot, tmp_path, team.url_for("ani"))
    laptop = other_desktop(team, "ani", tmp_path / "laptop")
    city = TEXT.index("Bandung")
    with laptop.session("ani") as elsewhere:  # the laptop's version reaches the server first
        elsewhere.apply(AddSpan("d1", city, city + 7, "CITY"))
        assert elsewhere.wait_synced(30)
    laptop.close()
    label(qtbot, window, "Yana Mulyana", "1")  # made here on the version without it
    # The title follows the sync state as soon as it changes; the notice comes with the
    # queued report of the conflict, a moment later: wait for both.
    qtbot.waitUntil(
        lambda: "1 conflict" in window.windowTitle() and window.notice.isVisible(),
        timeout=WAIT_MS,
    )
    assert "another computer" in window.notice.text()
    assert action(window, "file.conflicts").isEnabled()
    person = TEXT.index("Yana Mulyana")
    assert server_spans(team, "ani", "d1") == [(city, city + 7, "CITY")]  # nothing lost yet
    seen: list[QWidget] = []
    shown: dict[str, str] = {}

    def choose(dialog: QWidget) -> None:
        shown["theirs"] = dialog.findChild(QWidget, "conflict_theirs").toPlainText()  # type: ignore[union-attr]
        shown["mine"] = dialog.findChild(QWidget, "conflict_mine").toPlainText()  # type: ignore[union-attr]
        left = Qt.MouseButton.LeftButton
        qtbot.mouseClick(dialog.findChild(QPushButton, "keep_both"), left)
        assert dialog.findChild(QListWidget, "conflict_list").count() == 0  # settled
        qtbot.mouseClick(dialog.findChild(QPushButton, "close_conflicts"), left)

    when_modal(QDialog, choose, seen)
    action(window, "file.conflicts").trigger()
    assert "Bandung" in shown["theirs"]
    assert "Yana Mulyana" not in shown["theirs"]
    assert "Yana Mulyana" in shown["mine"]
    assert "Bandung" not in shown["mine"]
    qtbot.waitUntil(lambda: window.windowTitle().endswith("saved · synced"), timeout=WAIT_MS)
    assert server_spans(team, "ani", "d1") == [
        (city, city + 7, "CITY"),
        (person, person + 12, "PERSON"),
    ]
    assert [s.label for s in window.work.spans] == ["CITY", "PERSON"]
    window.close()


def test_an_edit_the_server_refuses_is_a_message_in_the_window(
    qtbot: QtBot, team: PgDb, tmp_path: Path
) -> None:
    team.assign({"d1": ["ani"], "d2": ["ani"]})
    window = open_url(qtbot, tmp_path, team.url_for("ani"))
    assert window.work.doc_id == "d1"
    with team.admin(autocommit=True) as conn:  # d1 taken away while ani has it open
        conn.execute(
            "DELETE FROM assignments WHERE project_id = %s AND document_id = 'd1'",
            (team.project_id,),
        )
    label(qtbot, window, "Jakarta", "3")
    qtbot.waitUntil(
        lambda: window.findChild(QMessageBox, "server_refused_box") is not None, timeout=WAIT_MS
    )
    box = window.findChild(QMessageBox, "server_refused_box")
    assert box is not None
    assert box.isVisible()
    assert "permission denied: annotator ani cannot write" in box.text()
    assert "kept on this computer" in box.text()
    assert server_spans(team, "ani", "d1") == []
    box.close()  # and gone once closed
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "server_refused_box") is None)
    window.close()


def test_a_server_that_never_answers_leaves_the_window_free_and_the_attempt_cancellable(
    qtbot: QtBot, team: PgDb, tmp_path: Path
) -> None:
    from _proxy import Relay

    from annotator.ui.server.opening import ServerDialog

    relay = Relay(team.server.tcp_host, int(team.server.port))
    relay.silence()  # accepts, reads, never answers
    launcher = launcher_at(tmp_path)
    first = launcher.open(team.url_for("ani"), None)
    assert first is not None
    show(qtbot, first)
    silent = f"postgresql://ani@127.0.0.1:{relay.port}/{team.name}"
    seen: list[QWidget] = []
    cancelled: list[str] = []

    def cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, QProgressDialog)
        cancelled.append(dialog.labelText())
        button = dialog.findChild(QPushButton)
        assert button is not None
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def type_url(dialog: QWidget) -> None:
        assert isinstance(dialog, ServerDialog)
        edit = dialog.url_box.lineEdit()
        edit.selectAll()
        qtbot.keyClicks(edit, silent)
        when_modal(QProgressDialog, cancel, seen)
        qtbot.keyClick(edit, "\r")

    when_modal(ServerDialog, type_url, seen)
    action(first, "file.open_server").trigger()  # returns once the person cancelled
    assert cancelled == [f"Connecting to {silent}…"]
    assert launcher.windows == [first]  # nothing opened, the window goes on
    label(qtbot, first, "Jakarta", "3")
    qtbot.waitUntil(lambda: first.windowTitle().endswith("saved · synced"), timeout=WAIT_MS)
    first.close()
    relay.close()


def test_the_leads_agreement_dashboard_follows_two_annotators_finishing(
    qtbot: QtBot, team: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.ui.review.review_data import ReviewData

    team.add_person("bob", "annotator")
    monkeypatch.setenv("PGPASSWORD", team.passwords["lea"])
    lead = open_url(qtbot, tmp_path, team.url_for("lea"))
    action(lead, "review.agreement").trigger()
    data = lead.findChild(ReviewData, "review_data")
    assert data is not None
    qtbot.waitUntil(lambda: data.report is not None and not data.busy, timeout=WAIT_MS)
    assert data.report.documents_compared == 0
    for name in ("ani", "bob"):
        finish_on_own_desktop(team, name, tmp_path)
    qtbot.waitUntil(
        lambda: data.report is not None and data.report.documents_compared == 1, timeout=WAIT_MS
    )
    assert data.report.annotators == ["ani", "bob"]
    assert data.report.span_f1["strict"] == 1.0
    lead.close()


def test_the_leads_window_keeps_the_parts_of_a_document_two_annotators_finished(
    qtbot: QtBot, team: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Decision 0101: the lead's window hears each finished document and computes its
    agreement parts in the background, before any report is asked for."""
    team.add_person("bob", "annotator")
    monkeypatch.setenv("PGPASSWORD", team.passwords["lea"])
    lead = open_url(qtbot, tmp_path, team.url_for("lea"))
    changes = lead.server_view.changes
    keeper = changes.keeper
    assert keeper is not None
    assert changes.listener is not None
    assert changes.listener.listening.wait(30)

    def kept() -> list[tuple[str, str, str]]:
        with team.admin() as conn:
            return conn.execute("SELECT a, b, document_id FROM agreement_parts").fetchall()

    for name in ("ani", "bob"):
        finish_on_own_desktop(team, name, tmp_path)
        if name == "ani":  # one has finished it: nothing to compare yet
            qtbot.waitUntil(lambda: changes.heard > 0, timeout=WAIT_MS)
            assert keeper.wait_idle(30)
            assert kept() == []
    qtbot.waitUntil(lambda: kept() == [("ani", "bob", "d1")], timeout=WAIT_MS)
    assert keeper.problem is None
    lead.close()
    assert changes.keeper is None, "closing the window stops it"

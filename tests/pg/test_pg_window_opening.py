"""What the window on a server project says of itself (decision 0084), each claim driven like a
person against a real server: the edits the server has not taken yet counted in the title;
File > Open server project…'s password prompt (cancelled: nothing opens; answered: the window
switches, its workers read with the password typed, which is remembered nowhere); a login
naming someone else refused in one line; a second window on the same person's work read-only,
saying why."""

from __future__ import annotations

from pathlib import Path

import pytest
from _pg_helpers import PgDb
from _pg_window import WAIT_MS, action, label, launcher_at, open_url, show, when_modal
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from test_pg_window import server_spans

from annotator.core.errors import AnnotatorError
from annotator.core.model import Document

TEXT = "Walikota Bandung Yana Mulyana hadir di Jakarta 🙂 pada Selasa bersama Kafe\u0301 Sunda."


@pytest.fixture
def team(pg_project: PgDb, monkeypatch: pytest.MonkeyPatch) -> PgDb:
    pg_project.add_documents(Document(id="d1", text=TEXT))
    monkeypatch.setenv("PGPASSWORD", pg_project.add_person("ani", "annotator"))
    return pg_project


def test_edits_the_server_has_not_taken_yet_are_counted_in_the_title(
    qtbot: QtBot, team: PgDb, tmp_path: Path
) -> None:
    window = open_url(qtbot, tmp_path, team.url_for("ani"))
    assert window.windowTitle().endswith("saved · synced")
    with team.admin() as holder:  # a transaction holding the annotations against any write
        holder.execute("LOCK TABLE annotations IN SHARE MODE")
        label(qtbot, window, "Bandung", "3")
        label(qtbot, window, "Jakarta", "3")
        qtbot.waitUntil(
            lambda: window.windowTitle() == "news — ani — saved · 2 waiting to sync",
            timeout=WAIT_MS,
        )
        holder.rollback()
    qtbot.waitUntil(lambda: window.windowTitle().endswith("saved · synced"), timeout=WAIT_MS)
    city, capital = TEXT.index("Bandung"), TEXT.index("Jakarta")
    assert server_spans(team, "ani", "d1") == [
        (city, city + 7, "CITY"),
        (capital, capital + 7, "CITY"),
    ]
    window.close()


def test_file_open_server_project_asks_for_the_password_and_a_cancel_opens_nothing(
    qtbot: QtBot, team: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.core.project import Project
    from annotator.ui.server.opening import ServerDialog

    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    password = team.add_person("lea", "lead")
    folder = Project.init(tmp_path / "folder")
    folder.documents.append([Document(id="f1", text="Satu di Bandung.")])
    launcher = launcher_at(tmp_path)
    first = launcher.open(folder.root, "ani")
    assert first is not None
    show(qtbot, first)
    url = team.url_for("lea")
    seen: list[QWidget] = []
    asked: list[str] = []

    def cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        asked.append(dialog.labelText())
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        asked.append(dialog.labelText())
        edit = dialog.findChild(QLineEdit)
        assert edit is not None
        assert edit.echoMode() == QLineEdit.EchoMode.Password
        qtbot.keyClicks(edit, password)
        qtbot.keyClick(edit, "\r")

    def type_url(then: object) -> object:
        def act(dialog: QWidget) -> None:
            assert isinstance(dialog, ServerDialog)
            edit = dialog.url_box.lineEdit()
            edit.selectAll()
            qtbot.keyClicks(edit, url)
            when_modal(QInputDialog, then, seen)  # type: ignore[arg-type]
            qtbot.keyClick(edit, "\r")

        return act

    when_modal(ServerDialog, type_url(cancel), seen)  # type: ignore[arg-type]
    action(first, "file.open_server").trigger()  # returns once the prompt was cancelled
    assert len(asked) == 1
    assert "none was given" in asked[0]
    assert launcher.windows == [first]  # nothing opened, the folder's window goes on
    assert first.work.doc_id == "f1"
    label(qtbot, first, "Bandung", "3")
    qtbot.waitUntil(lambda: first.windowTitle().endswith("saved"), timeout=WAIT_MS)

    when_modal(ServerDialog, type_url(answer), seen)  # type: ignore[arg-type]
    action(first, "file.open_server").trigger()
    qtbot.waitUntil(lambda: len(launcher.windows) == 1 and launcher.windows[0] is not first)
    window = launcher.windows[0]
    assert len(asked) == 2
    assert window.work.project.location == f"{url}?password=***"
    assert window.work.name == "lea"
    assert window.work.doc_id == "d1"
    action(window, "review.progress").trigger()  # its worker connects with the typed password
    data = window.findChild(QObject, "team_view").data  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: data.numbers is not None or data.error is not None, timeout=WAIT_MS)
    assert data.error is None
    assert data.numbers.progress.documents == 1
    window.close()
    assert password not in (tmp_path / "settings.ini").read_text("utf-8")
    assert launcher.settings.recent_servers() == [url]


def test_a_login_naming_someone_else_is_refused_in_one_line(team: PgDb, tmp_path: Path) -> None:
    launcher = launcher_at(tmp_path)
    with pytest.raises(AnnotatorError) as caught:
        launcher.open(team.url_for("ani"), "bob")
    assert str(caught.value) == "on a server project you annotate as your login, ani, not bob"
    assert launcher.windows == []


def test_a_second_window_on_the_same_persons_work_is_read_only_and_says_why(
    qtbot: QtBot, team: PgDb, tmp_path: Path
) -> None:
    first = open_url(qtbot, tmp_path, team.url_for("ani"))
    second = open_url(qtbot, tmp_path, team.url_for("ani"))
    assert second.windowTitle().endswith("read-only")
    assert second.notice.isVisible()
    assert second.notice.text().startswith("ani is already open in another window (")
    assert "This window is read-only: nothing you do here is saved." in second.notice.text()
    label(qtbot, first, "Bandung", "3")  # the first one goes on writing
    qtbot.waitUntil(lambda: first.windowTitle().endswith("saved · synced"), timeout=WAIT_MS)
    second.close()
    first.close()

"""The window on a server project over TLS, driven like a person (offscreen, as
tests/pg/test_pg_window_opening.py): a certificate TLS refuses is one line and nothing opens,
not even from the desktop's copy of an earlier session; a password typed for a TLS URL is
kept nowhere, and the recent list keeps the URL as typed, without it."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from _pg_window import WAIT_MS, label, launcher_at, open_url, show, when_modal
from _tls import PASSPHRASE, TlsTeam, add_cert_person
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from test_pg_tls import HOST_REFUSED, log_of

from annotator.core.errors import AnnotatorError
from annotator.ui.app import Launcher
from annotator.ui.window.main_window import MainWindow


@pytest.fixture
def team(tls_team: TlsTeam, desktop: Path, monkeypatch: pytest.MonkeyPatch) -> TlsTeam:
    monkeypatch.setenv("PGPASSWORD", tls_team.db.passwords["ani"])
    return tls_team


def synced_and_kept_nowhere(
    qtbot: QtBot,
    team: TlsTeam,
    folder: Path,
    launcher: Launcher,
    window: MainWindow,
    typed: str,
    word: str,
    secret: str,
) -> None:
    """``word`` labelled and synced; the window closed; ``secret`` in no file of ``folder``
    nor the server's log, and the recent list keeps the URL as ``typed`` (without it)."""
    label(qtbot, window, word, "3")
    qtbot.waitUntil(lambda: window.windowTitle().endswith("saved · synced"), timeout=WAIT_MS)
    window.close()
    launcher.settings.sync()
    assert launcher.settings.recent_servers() == [typed]
    written = [p for p in folder.rglob("*") if p.is_file()]
    assert folder / "settings.ini" in written
    assert [p for p in written if secret.encode() in p.read_bytes()] == []
    assert secret not in log_of(team)


def test_the_window_says_in_one_line_what_tls_refused_and_opens_nothing(
    qtbot: QtBot, team: TlsTeam, tmp_path: Path
) -> None:
    first = open_url(qtbot, tmp_path, team.verified("ani"))  # the desktop keeps its copy
    qtbot.waitUntil(lambda: first.windowTitle().endswith("saved · synced"), timeout=WAIT_MS)
    first.close()
    other = team.certs.other_ca
    refused = {
        team.verified("ani", host="wrong.example"): HOST_REFUSED,
        team.url("ani", "sslmode=verify-full", f"sslrootcert={other}"): (
            f"the server's certificate is not signed by the authority in {other} (or it has"
            " expired): SSL error: certificate verify failed"
        ),
    }
    launcher = launcher_at(tmp_path)
    for url, said in refused.items():
        with pytest.raises(AnnotatorError) as caught:
            launcher.open(url, None)
        assert str(caught.value) == f"{url}: {said}"
    assert launcher.windows == []


def test_a_password_typed_for_a_tls_url_is_kept_nowhere(
    qtbot: QtBot, team: TlsTeam, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    password = team.db.passwords["ani"]
    url = team.verified("ani")
    asked: list[str] = []

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        asked.append(dialog.labelText())
        edit = dialog.findChild(QLineEdit)
        assert edit is not None
        assert edit.echoMode() == QLineEdit.EchoMode.Password
        qtbot.keyClicks(edit, password)
        qtbot.keyClick(edit, "\r")

    launcher = launcher_at(tmp_path)
    when_modal(QInputDialog, answer, [])
    window = launcher.open(url, None)
    assert window is not None
    show(qtbot, window)
    assert len(asked) == 1
    assert "none was given" in asked[0]
    assert password not in asked[0]
    assert window.work.project.location == f"{url}&password=***"
    # the sender connects with the typed password, too
    synced_and_kept_nowhere(qtbot, team, tmp_path, launcher, window, url, "Bandung", password)


def test_a_certificate_login_opens_without_a_prompt_and_its_passphrase_is_kept_nowhere(
    qtbot: QtBot, team: TlsTeam, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = add_cert_person(team)
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    launcher = launcher_at(tmp_path)
    wrong = team.verified(person, *team.certs.login(locked=True), host="wrong.example")
    with pytest.raises(AnnotatorError) as caught:
        launcher.open(wrong, None)
    assert str(caught.value) == f"{wrong.replace(PASSPHRASE, '***')}: {HOST_REFUSED}"

    url = team.verified(person, *team.certs.login(locked=True))
    window = launcher.open(url, None)  # no prompt: the server asks no password
    assert window is not None
    show(qtbot, window)
    assert window.work.name == person
    assert PASSPHRASE not in window.work.project.location
    kept = url.replace(f"&sslpassword={PASSPHRASE}", "")
    synced_and_kept_nowhere(qtbot, team, tmp_path, launcher, window, kept, "Jakarta", PASSPHRASE)


def test_a_locked_key_is_asked_for_and_again_when_wrong_and_kept_nowhere(
    qtbot: QtBot, team: TlsTeam, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A certificate login whose key is locked and whose URL gives no passphrase (decision
    0124): before, the window said `could not load private key file ...: processing error`
    (OpenSSL asks on a terminal, and a window has none)."""
    person = add_cert_person(team)
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    cert, key, _ = team.certs.login(locked=True)
    url = team.verified(person, cert, key)
    typed = ["not the passphrase", PASSPHRASE]
    asked: list[str] = []
    seen: list[QWidget] = []

    def answer(dialog: QWidget) -> None:
        when_modal(QInputDialog, answer, seen, lambda: bool(opened))  # the next time it asks
        asked.append(f"{dialog.objectName()}: {cast(QInputDialog, dialog).labelText()}")
        edit = dialog.findChild(QLineEdit)
        if len(asked) > len(typed) or edit is None:
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # asked too often: the test fails below
            return
        asked[-1] += f" ({edit.echoMode().name})"
        qtbot.keyClicks(edit, typed[len(asked) - 1])
        qtbot.keyClick(edit, "\r")

    launcher = launcher_at(tmp_path)
    opened: list[bool] = []
    when_modal(QInputDialog, answer, seen)
    window = launcher.open(url, None)
    opened.append(True)
    locked = key.removeprefix("sslkey=")
    below = f"\n\nPassphrase of {locked} (kept only while the app runs): (Password)"
    assert asked == [
        "passphrase_dialog: The key of this desktop's certificate is locked with a"
        f" passphrase.{below}",
        f"passphrase_dialog: That is not the passphrase of this key.{below}",
    ]
    assert window is not None
    show(qtbot, window)
    assert window.work.name == person
    # the sender's own connection opens the key too
    synced_and_kept_nowhere(qtbot, team, tmp_path, launcher, window, url, "Jakarta", PASSPHRASE)


def test_a_passphrase_not_given_opens_nothing(
    qtbot: QtBot, team: TlsTeam, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = add_cert_person(team)
    monkeypatch.delenv("PGPASSWORD")
    cert, key, _ = team.certs.login(locked=True)
    seen: list[QWidget] = []

    def cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        assert dialog.objectName() == "passphrase_dialog"
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    launcher = launcher_at(tmp_path)
    when_modal(QInputDialog, cancel, seen)
    assert launcher.open(team.verified(person, cert, key), None) is None
    assert len(seen) == 1
    assert launcher.windows == []

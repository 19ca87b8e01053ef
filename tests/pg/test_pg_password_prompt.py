"""A command at a terminal asks for a password libpq did not find, as psql does, and the
window asks in a dialog (decision 0125). Before, a command said `the server asks for a
password and none was given (libpq reads the password from PGPASSWORD, ~/.pgpass or a
prompt)`, and no prompt ever came."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _pg_helpers import PgDb
from _terminal import at_terminal

from annotator.core.model import Document
from annotator.core.pg import PasswordRefused, connection
from annotator.core.pg.typed import PASSWORDS

HINT = (
    " (a command at a terminal and the window ask for it; otherwise it comes from PGPASSWORD"
    " or the password file ~/.pgpass)"
)


@pytest.fixture
def team(pg_project: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, desktop: Path) -> PgDb:
    """ani, an annotator with a password found nowhere libpq looks; two documents."""
    pg_project.add_person("ani", "annotator")
    pg_project.add_documents(
        Document(id="d1", text="Walikota Bandung hadir di Jakarta 🙂 pada Selasa."),
        Document(id="d2", text="Kemendagri meluncurkan\r\nprogram Kafe\u0301 Sunda."),
    )
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    return pg_project


def test_a_command_at_a_terminal_asks_for_the_password(team: PgDb) -> None:
    url = team.url_for("ani")
    password = team.passwords["ani"]
    code, shown = at_terminal("progress", url, answers=(password,))
    assert code == 0, shown
    assert shown.count(f"annotator: password for {url}: ") == 1
    assert password not in shown  # not echoed
    assert "2 documents" in shown, shown

    code, shown = at_terminal("progress", url, answers=("not-the-password",))
    assert code == 1, shown
    assert shown.splitlines()[-1] == (
        f'annotator: {url}: password authentication failed for user "ani"{HINT}'
    )


def test_without_a_terminal_nothing_is_asked_and_the_line_says_where_passwords_come_from(
    team: PgDb,
) -> None:
    url = team.url_for("ani")
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "progress", url],
        capture_output=True,
        text=True,
        timeout=180,
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # no terminal, as a script or a service runs it
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"annotator: {url}: the server asks for a password and none was given{HINT}\n"
    )


def test_a_password_typed_once_serves_every_connection_of_the_process(team: PgDb) -> None:
    url = team.url_for("ani")
    typed = ["not-the-password", team.passwords["ani"], "bob has none"]
    asked: list[str] = []

    def asker(shown: str) -> str:
        asked.append(shown)
        return typed[len(asked) - 1]

    with pytest.raises(PasswordRefused):
        connection.connect(url)  # no one to ask
    PASSWORDS.set_asker(asker)
    with pytest.raises(PasswordRefused) as caught:
        connection.connect(url)
    assert str(caught.value) == f'{url}: password authentication failed for user "ani"{HINT}'
    assert PASSWORDS.kept(url) is None  # refused, so forgotten
    with connection.connect(url) as one, connection.connect(url, autocommit=True) as two:
        for conn in (one, two):
            assert conn.execute("SELECT current_user").fetchone() == ("ani",)
    assert asked == [url, url]  # the second password served both connections
    other = team.url_for("bob")  # another login is another password
    with pytest.raises(PasswordRefused):
        connection.connect(other)
    assert asked == [url, url, other]


def test_an_empty_password_in_the_url_is_refused_without_asking_again_and_again(
    team: PgDb,
) -> None:
    """libpq sends no password for `password=`, and the URL's (empty) one wins over a typed
    one: asking and connecting again would ask for ever."""
    url = f"{team.url_for('ani')}?password="
    asked: list[str] = []
    PASSWORDS.set_asker(lambda shown: asked.append(shown) or team.passwords["ani"])
    with pytest.raises(PasswordRefused) as caught:
        connection.connect(url)
    assert caught.value.none_given
    assert asked == []

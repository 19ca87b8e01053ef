"""TLS between desktops and the server, and logins with client certificates, proven as
docs/server-operations.md ("TLS") writes them: the server is set up from the page's own lines
(tests/pg/_tls.py), a desktop connects as the page says, and each refusal is one line naming
what TLS refused, from a command run as a person runs it (a process of its own)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from _terminal import at_terminal
from _tls import DOCUMENTS, PASSPHRASE, TlsTeam, add_cert_person
from hypothesis import given
from hypothesis import strategies as st
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Json

from annotator.core.edit import AddSpan
from annotator.core.errors import AnnotatorError
from annotator.core.model import sha256_text
from annotator.core.pg import (
    ServerError,
    ServerUnreachable,
    connection,
    passing,
    redact_url,
    strip_password,
    users,
    with_password,
)
from annotator.core.pg.errors import server_error
from annotator.core.pg.store import open_pg_project

WAIT = 60.0  # generous: the tests wait for events, they never time anything
HOST_REFUSED = (
    "the server's certificate is not for the host this URL names: server certificate for"
    ' "localhost" (and 1 other name) does not match host name "wrong.example"'
)


@pytest.fixture
def team(tls_team: TlsTeam, desktop: Path, monkeypatch: pytest.MonkeyPatch) -> TlsTeam:
    """The TLS team, ani's password where libpq looks (PGPASSWORD), a desktop of the test's."""
    monkeypatch.setenv("PGPASSWORD", tls_team.db.passwords["ani"])
    return tls_team


def command(*args: str) -> subprocess.CompletedProcess[str]:
    """``annotator ARGS`` in a process of its own, as a person runs it from a script: no
    terminal (a session of its own), nothing on standard input."""
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def refused_in_one_line(url: str, *args: str) -> str:
    """The one line ``annotator stats URL`` says when it is refused (no traceback)."""
    done = command(*(args or ("stats",)), url)
    assert done.returncode == 1, done
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"annotator: {url}: ")
    return done.stderr.removeprefix(f"annotator: {url}: ").rstrip("\n")


def log_of(team: TlsTeam) -> str:
    return (Path(team.folder) / "server.log").read_text("utf-8", errors="replace")


def test_a_desktop_on_verify_full_talks_to_the_server_encrypted(team: TlsTeam) -> None:
    url = team.verified("ani")
    project = open_pg_project(url)
    try:
        assert project.who == "annotator ani"
        row = (
            project.connection()
            .execute("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetchone()
        )
        assert row is not None
        assert row[0] is True
        assert row[1].startswith("TLSv1.")
        assert project.documents.get("d2").text == DOCUMENTS[1].text
    finally:
        project.close()

    named = team.verified("ani", "application_name=tls-stats")
    done = command("stats", named)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "project news: 2 documents"
    came_in = [line for line in log_of(team).splitlines() if "application_name=tls-stats" in line]
    assert came_in
    assert all("SSL enabled (protocol=TLSv1." in line for line in came_in), came_in


def test_a_host_name_the_certificate_does_not_name_is_refused_in_one_line(team: TlsTeam) -> None:
    assert refused_in_one_line(team.verified("ani", host="wrong.example")) == HOST_REFUSED


@pytest.mark.parametrize("root", ["other", "missing"])
def test_an_authority_that_did_not_sign_the_server_certificate_is_refused_in_one_line(
    team: TlsTeam, tmp_path: Path, root: str
) -> None:
    """Even on a desktop that opened the project before, and has its copy: a certificate that
    does not check is not a server away, nothing opens from the copy."""
    assert command("stats", team.verified("ani")).returncode == 0  # the desktop's copy made
    path = team.certs.other_ca if root == "other" else tmp_path / "none.crt"
    url = team.url("ani", "sslmode=verify-full", f"sslrootcert={path}")
    said = refused_in_one_line(url)
    if root == "other":
        assert said == (
            f"the server's certificate is not signed by the authority in {path} (or it has"
            " expired): SSL error: certificate verify failed"
        )
    else:
        assert said == (
            f'root certificate file "{path}" does not exist: sslrootcert= in the URL names the'
            " authority that signed the server's certificate (sslrootcert=system for a public"
            " one)"
        )
    with pytest.raises(ServerError) as caught:  # the store says the same, and opens nothing
        open_pg_project(url)
    assert str(caught.value) == f"{url}: {said}"


def test_a_connection_without_tls_is_refused_in_one_line(team: TlsTeam) -> None:
    url = team.url("ani", "sslmode=disable")
    assert refused_in_one_line(url) == (
        'no pg_hba.conf entry for host "127.0.0.1", user "ani", database "news", no encryption;'
        " a server that takes only TLS connections needs sslmode=verify-full in the URL"
    )


def test_a_person_signs_in_with_a_certificate_and_no_password_and_the_rules_hold(
    team: TlsTeam, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = team.certs.person
    admin = team.db.admin_url
    with team.db.admin(autocommit=True) as conn:  # another test of the cluster may have
        conn.execute("DELETE FROM annotations WHERE annotator = %s", (person,))  # added them
        if person in [member.name for member in users.list_users(conn)]:
            users.remove_user(conn, person)
    added = command("users", "add", admin, person, "--role", "annotator", "--no-password")
    assert added.stdout == f"created annotator {person}\n", added.stderr
    with team.db.admin(autocommit=True) as conn:  # bob's work, which no annotator may read
        conn.execute(
            "INSERT INTO annotations (project_id, document_id, annotator, text_sha256, spans,"
            " status, updated_at) VALUES (%s, 'd1', 'bob', %s, %s, 'done', now())",
            (team.db.project_id, sha256_text(DOCUMENTS[0].text), Json([])),
        )
    monkeypatch.delenv("PGPASSWORD")  # no password anywhere libpq looks
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    url = team.verified(person, *team.certs.login())

    with connection.connect(url, autocommit=True) as conn:
        assert users.identity(conn).who == f"annotator {person}"
        row = conn.execute(
            "SELECT ssl, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
        ).fetchone()
        assert row == (True, f"/CN={person}")
        assert conn.execute("SELECT count(*) FROM annotations").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM documents").fetchone() == (2,)

    project = open_pg_project(url)
    try:
        session = project.session(person)
        start = DOCUMENTS[0].text.index("Bandung")
        session.apply(AddSpan("d1", start, start + 7, "CITY"))
        assert session.wait_synced(WAIT)
        conn = project.connection()
        seen = conn.execute("SELECT annotator FROM annotations ORDER BY 1").fetchall()
        assert seen == [(person,)]  # their own, never bob's
        assert (
            conn.execute("UPDATE annotations SET spans = '[]' WHERE annotator = 'bob'").rowcount
            == 0
        )
        with pytest.raises(pg_errors.InsufficientPrivilege) as caught:
            conn.execute(
                "INSERT INTO annotations (project_id, document_id, annotator, text_sha256,"
                " spans, status, updated_at) VALUES (%s, 'd2', 'bob', %s, %s, 'done', now())",
                (project.project_id, sha256_text(DOCUMENTS[1].text), Json([])),
            )
        assert str(server_error(caught.value, who=project.who)) == (
            f"permission denied: annotator {person} cannot write another annotator's"
            " annotations (or a document not assigned to them)"
        )
        session.close()
    finally:
        project.close()
    with team.db.admin() as conn:
        rows = conn.execute(  # (other tests of the cluster's annotate as ani)
            "SELECT annotator, spans FROM annotations WHERE document_id = 'd1'"
            " AND annotator IN ('bob', %s) ORDER BY 1",
            (person,),
        ).fetchall()
    assert [(a, [(s["start"], s["label"]) for s in spans]) for a, spans in rows] == [
        ("bob", []),
        (person, [(start, "CITY")]),
    ]

    done = command("progress", url)  # a command, as the person, with no password either
    assert done.returncode == 0, done.stderr


def test_a_certificate_login_is_refused_without_the_right_certificate(
    team: TlsTeam, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = team.certs.person
    command("users", "add", team.db.admin_url, person, "--role", "annotator", "--no-password")
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    none = team.verified(person, f"sslcert={tmp_path / 'none.crt'}")
    assert refused_in_one_line(none) == "connection requires a valid client certificate"
    rogue = team.verified(person, *team.certs.login(rogue=True))
    assert refused_in_one_line(rogue) == (
        "the server does not accept this desktop's certificate: SSL error: tlsv1 alert unknown ca"
    )
    folder = team.certs.folder  # a certificate of the team's authority, not in their name
    named = team.verified(
        person, f"sslcert={folder / 'server.crt'}", f"sslkey={folder / 'server.key'}"
    )
    assert refused_in_one_line(named) == f'certificate authentication failed for user "{person}"'
    others = team.verified("bob", *team.certs.login())  # bob's login, the person's certificate
    said = refused_in_one_line(others)
    assert said.startswith("the server asks for a password and none was given"), said
    with pytest.raises(AnnotatorError):
        open_pg_project(others)


def connections_of(team: TlsTeam, person: str) -> int:
    """How many connections of ``person`` the server has let in (it logs each)."""
    return log_of(team).count(f"connection authorized: user={person} ")


def test_a_command_at_a_terminal_asks_once_for_a_locked_keys_passphrase(
    team: TlsTeam, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, OpenSSL asked at each connection (``Enter PEM pass phrase:``) and a command
    without a terminal failed as "processing error"."""
    person = add_cert_person(team)
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    cert, key, _ = team.certs.login(locked=True)
    url = team.verified(person, cert, key)
    locked = key.removeprefix("sslkey=")
    before = connections_of(team, person)
    code, shown = at_terminal("progress", url, answers=(PASSPHRASE,))
    assert code == 0, shown
    assert shown.count(f"annotator: passphrase of the key {locked}: ") == 1
    assert "Enter PEM" not in shown
    assert PASSPHRASE not in shown  # not echoed
    assert "2 documents" in shown, shown
    assert connections_of(team, person) == before + 1  # the key opened, the person let in

    code, shown = at_terminal("progress", url, answers=("not the passphrase",))
    assert code == 1, shown
    assert shown.splitlines()[-1] == (
        f"annotator: {url}: the passphrase given is not the one of this desktop's key {locked}"
    )
    assert "Traceback" not in shown
    assert log_of(team).count(PASSPHRASE) == 0


def test_a_command_without_a_terminal_says_in_one_line_that_the_key_is_locked(
    team: TlsTeam, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = add_cert_person(team)
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    cert, key, _ = team.certs.login(locked=True)
    before = connections_of(team, person)
    url = team.verified(person, cert, key)
    locked = (
        f"this desktop's key {key.removeprefix('sslkey=')} is locked with a passphrase and none"
        " was given: a command at a terminal asks for it, a window asks when it opens the"
        " project; a service needs a key of its own without one (readable by it alone)"
    )
    out = str(tmp_path / "out")
    for args in (("stats",), ("export", "--format", "jsonl", "--out", out)):
        assert refused_in_one_line(url, *args) == locked
    service = command("keep", url, "--once")  # as a service runs it
    assert (service.returncode, service.stderr) == (
        1,
        f"annotator: project not opened: {url}: {locked}\n",
    )
    assert connections_of(team, person) == before  # refused before any connection


SECRET = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1)


@given(password=SECRET, passphrase=SECRET)
def test_a_password_typed_and_a_keys_passphrase_stay_in_memory_only(
    password: str, passphrase: str
) -> None:
    """The URL a window connects with carries both (the passphrase unlocks the key of a
    certificate login); what is kept or shown of it carries neither."""
    bare = "postgresql://kai@db.example/news?sslmode=verify-full&sslkey=/home/kai/kai.key"
    url = f"{bare}&sslpassword={quote(passphrase, safe='')}"
    live = with_password(url, password)
    params = conninfo_to_dict(live)
    assert (params["password"], params["sslpassword"]) == (password, passphrase)
    assert strip_password(live) == bare
    assert redact_url(live) == f"{bare}&sslpassword=***&password=***"


@pytest.mark.parametrize(
    ("reason", "refused"),
    [
        ("SSL error: certificate verify failed", True),
        ('server certificate for "db.example" does not match host name "db"', True),
        ('certificate present, but not private key file "/home/kai/kai.key"', True),
        ("SSL error: tlsv1 alert unknown ca", True),
        ("server does not support SSL, but SSL was required", True),
        ("SSL SYSCALL error: EOF detected", False),  # the server went away mid-way
        ("SSL connection has been closed unexpectedly", False),
        ("Connection refused\n\tIs the server running on that host?", False),
    ],
)
def test_what_tls_refuses_waits_for_a_person_and_a_server_away_for_the_server(
    reason: str, refused: bool
) -> None:
    """A refusal is a ServerError a retry would not pass (a desktop does not open offline
    on it); a connection cut during TLS is the server away, as any other."""
    url = "postgresql://ani@db.example/news?sslmode=verify-full&password=s3cret"
    exc = psycopg.OperationalError(
        f'connection to server at "192.0.2.7", port 5432 failed: {reason}'
    )
    made = server_error(exc, url=url)
    assert passing(made) is not refused
    assert isinstance(made, ServerUnreachable) is not refused
    assert "\n" not in str(made)
    assert "s3cret" not in str(made)

"""Connecting from a URL: a silent or absent server never freezes the caller; one-line errors."""

from __future__ import annotations

import os
import signal
import socket
import threading
from collections.abc import Callable, Iterator

import psycopg
import pytest
from _pg_helpers import PgDb

from annotator.core.pg import ServerError, ServerUnreachable, connection, redact_url
from annotator.core.pg.connection import Timeouts, connection_params
from annotator.core.pg.errors import server_error

QUICK = Timeouts(connect=1, answer=1, statement=0.5, lock=0.5)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections and then never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(5)
    for conn in accepted:
        conn.close()
    listener.close()


def returns_within(seconds: float, call: Callable[[], object]) -> BaseException | None:
    """Run ``call`` in a thread; fail if it is still running after ``seconds``."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
            outcome.append(None)
        except BaseException as exc:  # handed to the test's thread
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s"
    return outcome[0]


def test_a_server_that_accepts_and_never_answers_times_out(silent_server: int) -> None:
    url = f"postgresql://ani@127.0.0.1:{silent_server}/news"
    error = returns_within(30, lambda: connection.connect(url, timeouts=QUICK))
    assert isinstance(error, ServerUnreachable)
    assert str(error) == f"{url}: no answer from the server (connection timeout)"


def test_a_server_that_stops_answering_mid_session_times_out(pg_project: PgDb) -> None:
    conn = pg_project.admin(timeouts=QUICK, autocommit=True)
    backend = conn.info.backend_pid
    os.kill(backend, signal.SIGSTOP)  # the server process freezes: no limit of its own can fire
    try:
        error = returns_within(30, lambda: conn.execute("SELECT count(*) FROM documents"))
    finally:
        os.kill(backend, signal.SIGCONT)
    assert isinstance(error, ServerUnreachable)
    assert "did not answer within 1 s" in str(error)
    assert conn.closed


def test_a_slow_statement_is_ended_by_the_server(pg_project: PgDb) -> None:
    with pg_project.admin(timeouts=QUICK, autocommit=True) as conn:
        error = returns_within(30, lambda: conn.execute("SELECT pg_sleep(20)"))
        assert isinstance(error, psycopg.errors.QueryCanceled)
        assert str(server_error(error)) == (
            "the server gave up on the request (canceling statement due to statement timeout)"
        )
        assert conn.execute("SELECT 1").fetchone() == (1,)  # the connection stays usable


def test_no_server_at_all_is_one_line() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # closed again below: nothing listens there
    url = f"postgresql://ani@127.0.0.1:{port}/news"
    with pytest.raises(ServerUnreachable) as caught:
        connection.connect(url, timeouts=QUICK)
    assert str(caught.value) == (
        f'{url}: cannot reach the server "127.0.0.1", port {port}: Connection refused'
    )


def test_a_wrong_password_is_one_line_without_the_password(
    pg_project: PgDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    pg_project.add_person("ani", "annotator")
    monkeypatch.setenv("PGPASSWORD", "wrong-secret")
    with pytest.raises(ServerError) as caught:
        connection.connect(pg_project.url_for("ani"), timeouts=QUICK)
    message = str(caught.value)
    assert "password authentication failed for user" in message
    assert "wrong-secret" not in message
    assert "\n" not in message


def test_an_unknown_database_is_named(pg_db: PgDb) -> None:
    url = pg_db.admin_url.replace(f"/{pg_db.name}?", "/no_such_db?")
    with pytest.raises(ServerUnreachable, match='database "no_such_db" does not exist'):
        connection.connect(url, timeouts=QUICK)


def test_the_limits_are_sent_and_the_urls_own_settings_win() -> None:
    params = connection_params(
        "postgresql://ani@db.example/news?connect_timeout=9&sslmode=require"
        "&options=-c%20statement_timeout%3D1234",
        Timeouts(connect=2, answer=3, statement=4, lock=5, idle_in_transaction=6),
    )
    assert params["connect_timeout"] == "9"
    assert params["sslmode"] == "require"
    assert params["tcp_user_timeout"] == "3000"
    options = params["options"]
    assert options.endswith("-c statement_timeout=1234")  # last wins, on the server too
    for default in (
        "statement_timeout=4000",
        "lock_timeout=5000",
        "idle_in_transaction_session_timeout=6000",
        "search_path=annotator",
    ):
        assert f"-c {default}" in options


def test_the_server_applies_the_limits(pg_project: PgDb) -> None:
    with pg_project.admin(timeouts=QUICK) as conn:
        shown = [
            conn.execute(f"SHOW {name}").fetchone()
            for name in ("statement_timeout", "lock_timeout")
        ]
        assert shown == [("500ms",), ("500ms",)]
        assert conn.execute("SHOW search_path").fetchone() == ("annotator",)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://ani:s3cret@host/db", "postgresql://ani:***@host/db"),
        (
            "postgres://ani:s3cret@host:5432/db?sslmode=require",
            "postgres://ani:***@host:5432/db?sslmode=require",
        ),
        (
            "postgresql://host/db?user=ani&password=s3cret&sslmode=verify-full",
            "postgresql://host/db?user=ani&password=***&sslmode=verify-full",
        ),
        ("postgresql://ani@host/db", "postgresql://ani@host/db"),
    ],
)
def test_passwords_never_appear_in_messages(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_a_malformed_url_is_one_line() -> None:
    with pytest.raises(ServerUnreachable, match="postgresql://ani:\\*\\*\\*@host/db"):
        connection.connect("postgresql://ani:pw@host/db?bogus_option=1", timeouts=QUICK)


def test_a_bounded_wait_for_notifications_keeps_the_connection(pg_project: PgDb) -> None:
    with pg_project.admin(autocommit=True, timeouts=Timeouts(answer=1)) as conn:
        conn.execute("LISTEN annotator_annotations")
        for _ in range(3):  # each wait ends quietly, as psycopg ends it
            assert list(conn.notifies(timeout=0.05)) == []
        assert not conn.closed
        conn.execute("NOTIFY annotator_annotations, 'x'")
        assert [n.payload for n in conn.notifies(timeout=5, stop_after=1)] == ["x"]

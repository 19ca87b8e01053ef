"""Connecting to the server from a URL, with limits so a silent server cannot freeze a desktop.

Every connection gets, unless the URL sets them itself:
- ``connect_timeout``: libpq gives up on a host that does not complete the start-up;
- ``statement_timeout``, ``lock_timeout`` and ``idle_in_transaction_session_timeout`` on the
  server, so a slow query, a lock held by another desktop or a client gone quiet mid-transaction
  ends with an error instead of a wait;
- TCP keep-alives and ``tcp_user_timeout``, so a dead network is noticed by the OS;
- a client-side deadline on every answer (:class:`Connection`), for the case no server-side
  limit covers: a server, or a middlebox, that accepts and then says nothing.

A JSON value the desktop cannot decode (nested deeper than Python's decoder goes: an
annotator's own script may write one into their row) is read as ``NESTED_TOO_DEEPLY`` rather
than ending the fetch of the whole result, so the readers name that one row (decision 0117).

Passwords are never passed here: libpq reads them from the URL's environment (``PGPASSWORD``),
the password file (``~/.pgpass``) or a service file, and TLS follows the URL's ``sslmode``.
What is added comes from this process's memory: the passphrase of a locked certificate key
(``tls_key``, decision 0124) and a password typed at a command's terminal (``typed``,
decision 0125).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import psycopg
from psycopg import Pipeline
from psycopg import errors as pg_errors
from psycopg.abc import PQGen
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import TupleRow
from psycopg.transaction import Transaction
from psycopg.types.json import set_json_loads

from annotator.core.pg import (
    KeyLocked,
    PasswordRefused,
    ServerUnreachable,
    UnknownDatabase,
    redact_url,
    strip_password,
    tls_key,
)
from annotator.core.pg.typed import PASSWORDS

RV = TypeVar("RV")

SCHEMA = "annotator"


@dataclass(frozen=True)
class Timeouts:
    """Seconds each kind of wait may last; 0 turns a server-side limit off."""

    connect: float = 5.0
    answer: float = 15.0
    statement: float = 10.0
    lock: float = 5.0
    idle_in_transaction: float = 60.0


DEFAULT_TIMEOUTS = Timeouts()


class Undecodable:
    """A JSON value of a row the desktop cannot decode (see the module's docstring)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<JSON nested too deeply>"


NESTED_TOO_DEEPLY = Undecodable()
NESTED_TOO_DEEPLY_REASON = "invalid JSON: nested too deeply"  # as a folder's line is named


def _loads(data: bytes | str) -> Any:
    try:
        return json.loads(data)
    except RecursionError:
        return NESTED_TOO_DEEPLY


class Connection(psycopg.Connection[TupleRow]):
    """A psycopg connection whose every wait for the server ends after ``answer_timeout``.

    When the deadline passes the connection is closed (its protocol state is unknown) and
    ServerUnreachable is raised: the caller reconnects later, as after a network failure.

    Threads may share it (``link.py``): one statement at a time goes through (psycopg's
    ``lock``), and whatever spans statements, a transaction block or a pipeline, holds it
    for its whole length (``using``) so that no other thread's statement lands inside.
    """

    answer_timeout: float | None = DEFAULT_TIMEOUTS.answer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._use = threading.RLock()
        self._holder: int | None = None

    @contextmanager
    def using(self) -> Iterator[None]:
        """Hold the connection for a unit of several statements: other threads' statements
        and units wait until it ends."""
        with self._use:
            outer, self._holder = self._holder, threading.get_ident()
            try:
                yield
            finally:
                self._holder = outer

    @property
    def used_here(self) -> bool:
        """Whether the calling thread is in the middle of a unit on this connection."""
        return self._holder == threading.get_ident()

    def free_within(self, timeout: float) -> bool:
        """Whether no other thread holds the connection (a unit or a statement under way),
        waiting up to ``timeout`` seconds for it to be let go."""
        end = time.monotonic() + timeout
        if not self._use.acquire(timeout=max(0.0, timeout)):
            return False
        try:
            if not self.lock.acquire(timeout=max(0.0, end - time.monotonic())):
                return False
            self.lock.release()
            return True
        finally:
            self._use.release()

    @contextmanager
    def transaction(
        self, savepoint_name: str | None = None, force_rollback: bool = False
    ) -> Iterator[Transaction]:
        """psycopg's transaction block, holding the connection for its length (``using``)."""
        with self.using(), super().transaction(savepoint_name, force_rollback) as tx:
            yield tx

    @contextmanager
    def pipeline(self) -> Iterator[Pipeline]:
        """psycopg's pipeline, holding the connection for its length (``using``)."""
        with self.using(), super().pipeline() as pipe:
            yield pipe

    def wait(self, gen: PQGen[RV], interval: float = 0.1, timeout: float | None = None) -> RV:
        """Consume ``gen`` like psycopg does, but never for longer than the answer deadline.

        A wait the caller bounded itself (``notifies(timeout=...)``) ends as psycopg ends it:
        quietly, the connection kept; only the answer deadline closes the connection.
        """
        if timeout is not None:
            return super().wait(gen, interval=interval, timeout=timeout)
        limit = self.answer_timeout
        try:
            return super().wait(gen, interval=interval, timeout=limit)
        except pg_errors._WaitTimeout:  # no public name for it in psycopg 3.3
            self.pgconn.finish()
            raise ServerUnreachable(
                f"the server at {describe_host(self)} did not answer within {limit:g} s"
            ) from None


def describe_host(conn: psycopg.Connection[Any]) -> str:
    """``host:port`` of a connection (the socket folder for a Unix socket)."""
    try:
        return f"{conn.info.host}:{conn.info.port}"
    except psycopg.Error:  # closed already
        return "the server"


def _ms(seconds: float) -> str:
    return str(max(0, round(seconds * 1000)))


def connection_params(url: str, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> dict[str, Any]:
    """libpq parameters for ``url``: its own, completed with the limits above."""
    try:
        params: dict[str, Any] = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise UnknownDatabase(f"{redact_url(url)}: {first_line(str(exc))}") from None
    params.setdefault("connect_timeout", str(max(1, math.ceil(timeouts.connect))))
    params.setdefault("application_name", "annotator")
    params.setdefault("keepalives", "1")
    params.setdefault("keepalives_idle", "10")
    params.setdefault("keepalives_interval", "5")
    params.setdefault("keepalives_count", "3")
    params.setdefault("tcp_user_timeout", _ms(max(timeouts.answer, timeouts.connect)))
    server_options = [
        f"-c statement_timeout={_ms(timeouts.statement)}",
        f"-c lock_timeout={_ms(timeouts.lock)}",
        f"-c idle_in_transaction_session_timeout={_ms(timeouts.idle_in_transaction)}",
        f"-c search_path={SCHEMA}",
        # Queries here are lookups of a few rows or one pass over a project's rows: compiling
        # them (0.25-0.4 s each, measured at 100,000 documents) costs more than it saves.
        "-c jit=off",
    ]
    # The URL's own options come last so that they win over the defaults.
    params["options"] = " ".join([*server_options, params.get("options", "")]).strip()
    if "password" not in params and (typed := PASSWORDS.kept(strip_password(url))) is not None:
        params["password"] = typed  # typed at this command's terminal (decision 0125)
    return tls_key.with_passphrase(params, url)


def connect(
    url: str, *, timeouts: Timeouts = DEFAULT_TIMEOUTS, autocommit: bool = False
) -> Connection:
    """Open a connection to ``url`` with the limits of ``timeouts``.

    Raises ServerUnreachable (no server, no answer, unknown database) or ServerError (bad
    password, refused) with one line; the password never appears in it.
    """
    from annotator.core.pg.errors import server_error

    params = connection_params(url, timeouts)
    try:
        conn = Connection.connect(autocommit=autocommit, **params)
    except psycopg.Error as exc:
        error = server_error(exc, url=url)
        if isinstance(error, KeyLocked):
            tls_key.PASSPHRASES.forget(error.key)  # refused: the next connection asks again
        if isinstance(error, PasswordRefused):
            bare, sent = strip_password(url), params.get("password")
            if sent is None and error.none_given and PASSWORDS.known_or_asked(bare) is not None:
                return connect(url, timeouts=timeouts, autocommit=autocommit)  # now typed
            if sent is not None and sent == PASSWORDS.kept(bare):
                PASSWORDS.forget(bare)  # typed at the terminal, and refused
        raise error from None
    conn.answer_timeout = timeouts.answer or None
    set_json_loads(_loads, conn)  # json and jsonb columns
    return conn


def first_line(text: str) -> str:
    """The first non-empty line of a libpq message, without its ``connection failed:`` prefix."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line.removeprefix("connection failed: ")
    return text.strip()

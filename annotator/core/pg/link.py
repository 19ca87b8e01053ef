"""One server connection per desktop, shared by the editing thread's reads and the senders.

Every connection to the server is a new server process: forked, authenticated, its caches
of the catalogue and its plans of the app's statements built from nothing (decision 0099
measured 4-6 ms of the server's processor to connect and about 20 ms for the first edit's
statements). A desktop used to make two, one for reads and one for its sender, and fifty
desktops opening at once made a hundred; now the reads and every sender of a project share
one (decision 0103).

Sharing is safe at the grain of a statement: psycopg lets one statement at a time through
a connection (its lock), and a sender's batch of edits is one statement, which the server
runs as one transaction. What spans statements (a transaction block, a pipeline) holds the
connection for its whole length (``Connection.using``), and the others wait for it.

What waits on what:
- a read made while a batch is being sent waits for that batch's one round trip;
- a send made while a read is under way waits for that read;
- when the connection is still busy after ``SHARE_WAIT`` (a send held up by the server, a
  lead's long report), the other side opens a second connection and goes on there; it is
  kept, and used whenever the first is busy, until the project closes. Each wait is bounded
  by the connection's own limits (``connection.Timeouts``) in any case.

A sender holds its connection for a batch (``Connection.using``), so a read that comes
meanwhile sees it busy and waits, or goes on the second connection, as above.
"""

from __future__ import annotations

import contextlib
import threading
import time

from annotator.core.pg import ServerUnreachable, redact_url
from annotator.core.pg.connection import Connection, Timeouts, connect

SHARE_WAIT = 0.5
"""Seconds a read or a send waits for the shared connection before taking a second one."""
READ_RETRY = 5.0
"""Seconds a read on the editing thread fails at once after failing to connect, so a
window does not wait on a server known to be away (the senders retry on their own)."""


class Link:
    """The project's connection and, when it was needed, a second one; see the module."""

    def __init__(self, url: str, timeouts: Timeouts) -> None:
        self.url = url
        self.timeouts = timeouts
        self._lock = threading.Lock()
        self._main: Connection | None = None
        self._spare: Connection | None = None
        self._retry_at = 0.0  # reads wait for no connection before this (the server is away)
        self.spares = 0  # second connections opened, for the benchmarks and tests

    def open(self) -> Connection:
        """Connect now (opening a project); raises ServerUnreachable or ServerError."""
        conn = connect(self.url, timeouts=self.timeouts, autocommit=True)
        with self._lock:
            self._main = conn
        return conn

    def away(self) -> None:
        """The server could not be reached while opening: reads fail at once for a while."""
        self._retry_at = time.monotonic() + READ_RETRY

    def get(self, fail_fast: bool = True) -> Connection:
        """The connection for the calling thread: the one it is in the middle of using (a
        transaction block), else the shared one if free, else the second one if free, else
        the shared one once it is free within ``SHARE_WAIT``, else the second one (opened
        now if need be). ``fail_fast``: raise at once while the server is known to be away
        (reads); a sender has its own pace of retrying and passes False."""
        main = self._main_connection(fail_fast)
        spare = self._spare if self._spare is not None and not self._spare.closed else None
        for conn in (main, spare):
            if conn is not None and conn.used_here:
                return conn
        if main.free_within(0):
            return main
        if spare is not None and spare.free_within(0):
            return spare
        if main.free_within(SHARE_WAIT):
            return main
        return spare if spare is not None else self._open_spare()

    def _main_connection(self, fail_fast: bool) -> Connection:
        with self._lock:
            conn = self._main
            if conn is not None and not conn.closed:
                return conn
            if fail_fast and time.monotonic() < self._retry_at:
                raise ServerUnreachable(f"{redact_url(self.url)}: the server cannot be reached")
            try:
                conn = self._main = connect(self.url, timeouts=self.timeouts, autocommit=True)
            except ServerUnreachable:
                self.away()
                raise
            return conn

    def _open_spare(self) -> Connection:
        conn = connect(self.url, timeouts=self.timeouts, autocommit=True)
        with self._lock:
            kept = self._spare
            if kept is None or kept.closed:  # else another thread opened one meanwhile
                self._spare, kept = conn, None
                self.spares += 1
        if kept is not None:
            conn.close()
            return kept
        return conn

    def close(self) -> None:
        """Close both connections."""
        with self._lock:
            conns, self._main, self._spare = (self._main, self._spare), None, None
        for conn in conns:
            if conn is not None:
                with contextlib.suppress(Exception):
                    conn.close()

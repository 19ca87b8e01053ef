"""Live updates: the server's notifications (LISTEN/NOTIFY) turned into calls, on a thread.

The server notifies at commit (migration 0001's triggers): an annotation or gold record
changed (``{"project", "document"}``), the plan changed for an annotator (``{"project",
"annotator"}``), documents or labels changed (``{"project", "table"}``). Payloads name what
changed, never its content: a view re-reads it through row-level security, so a lead's
Progress follows the annotators' work and an annotator's queue follows the plan within a
fraction of a second.

``Listener`` keeps one connection of its own, waits with a finite timeout (so ``stop`` is
heard), checks every few seconds that the server still answers, and reconnects after a
failure, then reports ``resync``: notifications sent while it was away are lost, so a view
re-reads everything once. An error that is not the server's (a fault of the code called,
``callback`` among it) ends the thread, which would otherwise hear nothing more while looking
alive: ``fault`` names it, ``listening`` is cleared and a last ``stopped`` notice says so
(decision 0112).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import psycopg
from psycopg import sql

from annotator.core.errors import fault_line
from annotator.core.pg import ServerError
from annotator.core.pg.connection import DEFAULT_TIMEOUTS, Connection, Timeouts, connect
from annotator.core.pg.sync import CHANNELS

Kind = Literal["annotations", "gold", "assignments", "documents", "labels", "resync", "stopped"]
POLL = 0.25
"""Seconds one wait for notifications lasts before ``stop`` is checked again."""
CHECK_EVERY = 5.0
"""Seconds between two checks that the server still answers (a quiet wait cannot tell)."""
RETRY_FIRST, RETRY_MAX = 0.2, 5.0


@dataclass(frozen=True)
class Notice:
    """What changed: ``annotations`` / ``gold`` of ``document``, ``assignments`` of
    ``annotator``, ``documents`` / ``labels`` of the project, or ``resync`` (re-read all);
    ``stopped``: the listener ended on a fault and hears nothing more (``Listener.fault``)."""

    kind: Kind
    document: str | None = None
    annotator: str | None = None


def parse(channel: str, payload: str, project_id: int) -> Notice | None:
    """The notice of one notification, None when it is another project's or unreadable."""
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("project") != project_id:
        return None
    if channel == CHANNELS["annotations"]:
        return Notice("annotations", document=str(data.get("document")))
    if channel == CHANNELS["gold"]:
        return Notice("gold", document=str(data.get("document")))
    if channel == CHANNELS["assignments"]:
        return Notice("assignments", annotator=str(data.get("annotator")))
    if channel == CHANNELS["project"] and data.get("table") in ("documents", "labels"):
        return Notice("documents" if data["table"] == "documents" else "labels")
    return None


class Listener:
    """Calls ``callback(notice)`` on its own thread for each change of the project."""

    def __init__(
        self,
        url: str,
        project_id: int,
        callback: Callable[[Notice], None],
        timeouts: Timeouts = DEFAULT_TIMEOUTS,
    ) -> None:
        self.url = url
        self.project_id = project_id
        self.callback = callback
        self.timeouts = timeouts
        self.listening = threading.Event()
        """Set while LISTEN is in force (tests and views wait on it)."""
        self.error: str | None = None
        self.fault: str | None = None
        """The error the thread ended on, one line (module doc)."""
        self.ended = threading.Event()
        """Set when the thread has ended (stopped, or on a fault)."""
        self._stop = threading.Event()
        self._conn: Connection | None = None
        self._thread = threading.Thread(target=self._run, name="annotator-listen", daemon=True)

    def start(self) -> Listener:
        """Start listening; returns self."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop and close the connection (within about ``POLL`` seconds)."""
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(POLL + self.timeouts.answer + 1)

    def _run(self) -> None:
        try:
            self._listen()
        except Exception as exc:  # a fault: end, and say so rather than look alive
            self.fault = fault_line(exc)
            self.error = self.fault
            with contextlib.suppress(Exception):  # the callback may be what failed
                self.callback(Notice("stopped"))
        finally:
            self.listening.clear()
            self._close()
            self.ended.set()

    def _listen(self) -> None:
        delay = RETRY_FIRST
        first = True
        while not self._stop.is_set():
            try:
                conn = connect(self.url, timeouts=self.timeouts, autocommit=True)
                self._conn = conn
                for channel in CHANNELS.values():
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                self.listening.set()
                self.error = None
                delay = RETRY_FIRST
                if not first:
                    self.callback(Notice("resync"))
                first = False
                checked = time.monotonic()
                while not self._stop.is_set():
                    for note in conn.notifies(timeout=POLL):
                        notice = parse(note.channel, note.payload, self.project_id)
                        if notice is not None:
                            self.callback(notice)
                    if time.monotonic() - checked > CHECK_EVERY:
                        conn.execute("SELECT 1")  # a silent server ends at the answer deadline
                        checked = time.monotonic()
            except (psycopg.Error, ServerError) as exc:
                self.error = str(exc).strip().splitlines()[0] if str(exc).strip() else "lost"
                self.listening.clear()
                self._close()
                self._stop.wait(delay)
                delay = min(delay * 2, RETRY_MAX)

    def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

"""Sending a session's outbox to the server: in order, off the editing thread, exactly once.

``Sender`` owns one thread; its connection is the desktop's one, shared with the reads of the
editing thread (``link.py``, decision 0103), and its server process is warmed as the thread
starts so that the first edit does not wait for it. Edits are queued once they are durable in
the outbox (``outbox.py``); the thread wakes at once and sends what is queued, up to ``BATCH``
edits, in one round trip: one statement applying them in order, which the server runs as one
transaction with one commit (decision 0094). The server applies each edit
exactly once (``apply_edit``: a resent edit is answered from its log), so a batch cut off by a
network failure, a server stopped mid-commit or a desktop killed mid-send is simply sent again.

When the server cannot be reached the thread waits (0.2 s, doubling to 5 s) and tries again;
the editing thread never waits for the server: ``commit`` only appends to the outbox.

An edit the server's rules refuse (``PermissionRefused``) can never be applied: it is handed
back to the session to be kept aside and the server is asked to step over its number
(``skip_edit``), so the edits after it are not held up.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import cast

import psycopg

from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD
from annotator.core.pg import PermissionRefused, ServerError, ServerUnreachable
from annotator.core.pg.connection import DEFAULT_TIMEOUTS, Connection, Timeouts
from annotator.core.pg.errors import server_error
from annotator.core.pg.link import Link
from annotator.core.pg.outbox import Outgoing
from annotator.core.pg.sync import OUT_OF_ORDER, Applied, Outcome

BATCH = 50
"""Edits per transaction: one commit (one fsync on the server) for a backlog of 50."""
RETRY_FIRST, RETRY_MAX = 0.2, 5.0


class OutOfOrder(ServerError):
    """The server expects an earlier edit of this desktop than the one sent."""


Result = Callable[[Outgoing, Applied | None, str | None], None]
"""``on_result(edit, applied, refused)``: the server applied or kept it (``applied``), or
refused it for good (``refused``: the one-line reason)."""

# A batch is one statement (so that it shares the connection with other threads' statements
# safely: ``link.py``): the edits, in order, each through ``apply_edit``; the server runs the
# statement as one transaction and answers once it is committed. ``apply_edit`` refuses an
# edit out of order, so an order other than the list's could never pass unseen.
_APPLY = (
    "SELECT w.outcome, w.revision"
    " FROM unnest(%(seq)s::bigint[], %(doc)s::text[], %(base)s::bigint[], %(prev)s::bigint[],"
    " %(record)s::text[]) WITH ORDINALITY AS e(seq, doc, base, prev, record, n)"
    " CROSS JOIN LATERAL apply_edit(%(p)s, %(client)s, e.seq, %(me)s, e.doc, e.base, e.prev,"
    " e.record::json) w ORDER BY e.n"
)
# The warm-up (``Sender._warm_up``): one of the annotator's own documents, through their
# assignments (an index range) or, in a project without a plan, the first document; applied
# as an empty annotation on the revision the server holds, in a transaction rolled back.
_WARM = (
    "WITH target AS ("
    " (SELECT a.document_id AS id FROM assignments a"
    " WHERE a.project_id = %(p)s AND a.annotator = %(me)s LIMIT 1)"
    " UNION ALL (SELECT d.id FROM documents d"
    " WHERE d.project_id = %(p)s AND %(p)s <> ALL (planned_projects()) LIMIT 1) LIMIT 1)"
    " SELECT w.outcome FROM target t"
    " JOIN documents d ON d.project_id = %(p)s AND d.id = t.id"
    " LEFT JOIN annotations r ON r.project_id = %(p)s AND r.document_id = t.id"
    " AND r.annotator = %(me)s,"
    " LATERAL apply_edit(%(p)s, %(client)s, 1, %(me)s, t.id, coalesce(r.revision, 0), NULL,"
    " json_build_object('text_sha256', d.text_sha256, 'spans', '[]'::json,"
    " 'status', 'in_progress', 'updated_at', '', 'seconds', 0, 'meta', '{}'::json)) w"
)


@dataclass(frozen=True)
class SyncTarget:
    """Where and as whom a session's edits go."""

    url: str
    project_id: int
    client_id: uuid.UUID
    annotator: str
    who: str
    timeouts: Timeouts = DEFAULT_TIMEOUTS


class Sender:
    """A thread sending queued edits in order; see the module docstring."""

    def __init__(
        self,
        target: SyncTarget,
        on_result: Result,
        on_state: Callable[[], None] | None = None,
        link: Link | None = None,
        on_behind: Callable[[], bool] | None = None,
    ) -> None:
        """``link``: the desktop's connection, shared (without one the sender makes its own,
        closed when it stops). ``on_behind``: the server refused an edit as out of order
        (it knows fewer of this desktop's edits than were sent: restored from a backup); True
        when it put the edits to send in the queue again (``requeue``)."""
        self._on_behind = on_behind
        self._behind_tried = False
        self.target = target
        self._own_link = link is None
        self._link = link if link is not None else Link(target.url, target.timeouts)
        self._on_result = on_result
        self._on_state = on_state
        self._queue: deque[Outgoing] = deque()
        self._cond = threading.Condition()
        self._stop = False
        self._busy = False
        self._conn: Connection | None = None
        self._limit = BATCH
        self.offline = False
        self.error: str | None = None
        self.sent = 0
        self.ready = threading.Event()  # set once the first connection attempt is over
        self._thread = threading.Thread(
            target=self._run, name=f"annotator-sync-{target.annotator}", daemon=True
        )

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def put(self, edits: list[Outgoing]) -> None:
        """Queue edits already durable in the outbox."""
        if not edits:
            return
        with self._cond:
            self._queue.extend(edits)
            self._cond.notify_all()

    @property
    def pending(self) -> int:
        """Edits not yet confirmed by the server."""
        with self._cond:
            return len(self._queue)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every queued edit is confirmed; False when ``timeout`` passed first."""
        end = time.monotonic() + timeout
        with self._cond:
            while self._queue:
                left = end - time.monotonic()
                if left <= 0 or self._stop:
                    return False
                self._cond.wait(left)
            return True

    def stop(self) -> None:
        """Stop sending (what is queued stays in the outbox) and close the connection."""
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(self.target.timeouts.answer + 5)

    # -- the thread ------------------------------------------------------------------------

    def _run(self) -> None:
        delay = RETRY_FIRST
        try:
            self._connect_early()
            while True:
                with self._cond:
                    while not self._stop and not self._queue:
                        self._cond.wait()
                    if self._stop:
                        return
                    batch = list(islice(self._queue, self._limit))
                try:
                    self._send(batch)
                except ServerUnreachable as exc:
                    self._drop_connection()
                    self._set_state(True, str(exc))
                    self._pause(delay)
                    delay = min(delay * 2, RETRY_MAX)
                    continue
                except PermissionRefused as exc:
                    self._drop_connection()
                    if len(batch) > 1:
                        self._limit = 1  # find the refused one
                        continue
                    self._refused(batch[0], str(exc))
                    continue
                except ServerError as exc:
                    self._drop_connection()
                    if isinstance(exc, OutOfOrder) and self._behind():
                        continue
                    self._set_state(self.offline, str(exc))
                    self._pause(RETRY_MAX)
                    continue
                delay, self._limit, self._behind_tried = RETRY_FIRST, BATCH, False
                self._set_state(False, None)
        finally:
            self._conn = None
            if self._own_link:
                self._link.close()

    def _behind(self) -> bool:
        """Ask the session to put the edits in order again (decision 0122); a failure is
        the send's failure: tried again after the pause."""
        if self._on_behind is None or self._behind_tried:
            return False  # once between two sends that went through
        try:
            self._behind_tried = self._on_behind()
        except (AnnotatorError, OSError):
            return False
        return self._behind_tried

    def requeue(self, edits: list[Outgoing]) -> None:
        """Send ``edits`` instead of what is queued (the session's outbox holds them now)."""
        with self._cond:
            self._queue.clear()
            self._queue.extend(edits)
            self._cond.notify_all()

    def _connect_early(self) -> None:
        """Connect before the first edit is queued, so that the first edit of a session is
        not the one that waits for the connection (TCP, authentication, a new server
        process). A failure here changes nothing: the first send tries again and reports."""
        try:
            with self._cond:
                if self._stop or self._queue:
                    return
            self._warm_up(self._connection())
        except (ServerUnreachable, ServerError):
            self._drop_connection()
        finally:
            self.ready.set()

    def _warm_up(self, conn: Connection) -> None:
        """Have the new server process do once, now, what it does on its first edit only:
        compile ``apply_edit``, plan its statements under the row-level policies and load
        the tables and indexes they touch (9-14 ms against 2.5 ms for the edits after it,
        decision 0099). An empty edit of one of the annotator's own documents goes through
        ``apply_edit`` under a throwaway desktop id in a transaction that is rolled back:
        nothing is kept, nothing waits for a flush, nobody is notified. Skipped when an
        edit is already waiting (it goes first) and for gold; a failure changes nothing."""
        t = self.target
        with self._cond:
            if self._stop or self._queue or t.annotator == GOLD:
                return
        params = {"p": t.project_id, "me": t.annotator, "client": uuid.uuid4()}
        try:
            with conn.transaction(force_rollback=True):
                conn.execute(_WARM, params).fetchall()
        except psycopg.Error:
            if conn.closed or conn.broken:
                raise ServerUnreachable("the connection closed during its warm-up") from None

    def _set_state(self, offline: bool, error: str | None) -> None:
        """Offline or back, a new error or none: ``on_state`` hears of each change."""
        changed = (offline, error) != (self.offline, self.error)
        self.offline, self.error = offline, error
        if changed and self._on_state is not None:
            self._on_state()

    def _pause(self, seconds: float) -> None:
        with self._cond:
            if not self._stop:
                self._cond.wait(seconds)

    def _connection(self) -> Connection:
        self._conn = self._link.get(fail_fast=False)
        return self._conn

    def _drop_connection(self) -> None:
        """After a failure: a connection that is broken is closed (the link opens a new one
        when next asked); a shared one that still works is left to the others."""
        conn, self._conn = self._conn, None
        if conn is not None and (conn.broken or self._own_link):
            with contextlib.suppress(Exception):
                conn.close()

    def _send(self, batch: list[Outgoing]) -> None:
        """Send ``batch`` in one round trip: one statement applying the edits in order, which
        the server runs in one implicit transaction and commits once (no BEGIN and COMMIT
        round trips). Its answer is read to the end, the server's "ready" after the commit
        included, before any outcome is taken: an edit is never reported confirmed before
        it is durable."""
        t = self.target
        conn = self._connection()
        params = {
            "p": t.project_id,
            "client": t.client_id,
            "me": t.annotator,
            "seq": [e.seq for e in batch],
            "doc": [e.doc_id for e in batch],
            "base": [e.base for e in batch],
            "prev": [e.prev for e in batch],
            "record": [json.dumps(e.record()) for e in batch],
        }
        try:
            with conn.using():  # a read meanwhile sees it busy (link.py)
                rows = conn.execute(_APPLY, params).fetchall()
        except psycopg.Error as exc:
            if exc.sqlstate == OUT_OF_ORDER:
                raise OutOfOrder(f"sync: {exc.diag.message_primary}") from None
            raise server_error(exc, who=t.who, doing="write") from None
        if len(rows) != len(batch):
            raise ServerError("sync: the server returned no outcome")
        for edit, row in zip(batch, rows, strict=True):
            applied = Applied(cast(Outcome, row[0]), row[1])
            self._on_result(edit, applied, None)
        self._done(len(batch))

    def _refused(self, edit: Outgoing, reason: str) -> None:
        t = self.target
        try:
            conn = self._connection()
            conn.execute("SELECT skip_edit(%s, %s, %s)", (t.project_id, t.client_id, edit.seq))
        except (psycopg.Error, ServerError) as exc:
            self._drop_connection()
            self.error = str(exc)
            self._pause(RETRY_MAX)
            return
        self._on_result(edit, None, reason)
        self._done(1)

    def _done(self, n: int) -> None:
        with self._cond:
            for _ in range(n):
                self._queue.popleft()
            self.sent += n
            self._cond.notify_all()

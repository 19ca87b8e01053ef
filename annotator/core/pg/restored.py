"""A server restored from a backup older than what it confirmed to this desktop (decision 0122).

The server applies a desktop's edits once each, by their numbers (decision 0080), and the
desktop empties its outbox once the server has confirmed every line (decision 0081). Restored
from a backup, the server knows this desktop only up to the edit it had applied when the backup
was made: what it confirmed after that is gone from it, and gone from the outbox too.

So the desktop keeps, per annotator, the last confirmed state of each document it edited
(``<name>.confirmed``: the confirmed edits' outbox lines, appended and flushed to disk before
the outbox is emptied, written anew with one line per document now and then). When the
server's count of this desktop's edits (``clients.last_seq``) is below ``acked`` (the last
edit it confirmed when the outbox was emptied), the server was restored: the session finds it
as it opens with the server reachable, or when the server refuses one of its edits as out of
order. Each document whose confirmed edit is above the server's count, or that has an edit
still in the outbox, is then sent again as one new edit holding its latest state here:

- on the revision the server holds now, when this desktop wrote that row or there is none: it
  applies cleanly;
- as a conflict (both versions kept and shown, the person chooses: decision 0082) when another
  desktop of the person, or a lead, wrote the row: that change may have been made after the
  restore, and a version is never dropped.

The new edits are numbered after every number this desktop has used. The outbox is replaced by
them (on disk first), then the server is asked to step over the numbers it lost (``skip_edit``),
so a number is never used twice. A crash between the two finds the restore again at the next
opening, which does the same with what the outbox then holds.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any, Protocol

import psycopg

from annotator.core import journal
from annotator.core.errors import AnnotatorError
from annotator.core.journal import Parse, TextFor
from annotator.core.jsonl import atomic_write, fsync_dir
from annotator.core.model import GOLD, Annotation
from annotator.core.pg import ServerUnreachable
from annotator.core.pg.connection import Connection
from annotator.core.pg.errors import server_error
from annotator.core.pg.outbox import FILE_MODE, Outbox, Outgoing, read_edits
from annotator.core.pg.sync import last_sent


class Confirmed:
    """The last confirmed state of each document this desktop edited, for one annotator: the
    confirmed edits' outbox lines, appended (one write and one fsync) when the outbox is
    emptied, the last line of a document being its state; written anew, one line per
    document, once it holds more than twice as many lines as documents."""

    def __init__(self, folder: Path, name: str) -> None:
        self.path = folder / f"{name}.confirmed"
        self.name = name
        self._fresh: dict[str, bytes] = {}
        self._docs: set[str] | None = None  # the documents in the file, once read
        self._lines = 0

    def note(self, edit: Outgoing) -> None:
        """The server confirmed ``edit`` (the sender's thread, in the edits' order)."""
        self._fresh[edit.doc_id] = edit.line()

    def keep(self) -> None:
        """Make what was confirmed since the last time durable: before the outbox that holds
        those edits is emptied."""
        if not self._fresh:
            return
        try:
            if self._docs is None:  # a torn last line is cut off before anything is appended
                self._docs = set(self._last_lines(repair=True))
                self._lines = len(journal.read_lines(self.path, repair=False))
            created = not self.path.exists()
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
            try:
                journal.append(fd, b"".join(self._fresh.values()))
            finally:
                os.close(fd)
            if created:
                fsync_dir(self.path.parent)
            self._docs.update(self._fresh)
            self._lines += len(self._fresh)
            self._fresh = {}
            if self._lines > 2 * len(self._docs) + 64:
                lines = self._last_lines(repair=False)
                atomic_write(self.path, [raw + b"\n" for raw in lines.values()])
                self._lines = len(lines)
        except OSError as exc:
            raise AnnotatorError(f"{self.path}: {exc.strerror or exc}") from None

    def _last_lines(self, repair: bool) -> dict[str, bytes]:
        """The last line of each document in the file (unreadable lines left out)."""
        found: dict[str, bytes] = {}
        for _, raw in journal.read_lines(self.path, repair=repair):
            try:
                found[str(json.loads(raw)["id"])] = raw
            except (ValueError, KeyError, TypeError):
                continue
        return found

    def after(self, seq: int, text_for: TextFor, parse: Parse) -> list[Outgoing]:
        """The confirmed edits numbered above ``seq``, in order (several of a document: the
        last is its state)."""
        found, _ = read_edits(self.path, self.name, seq, text_for, parse)
        return sorted(found, key=lambda e: e.seq)


class Project(Protocol):
    """What the recovery needs of the project."""

    @property
    def project_id(self) -> int: ...

    @property
    def who(self) -> str: ...

    @property
    def warnings(self) -> list[str]: ...

    @property
    def restored(self) -> list[str]: ...

    def connection(self) -> Connection: ...


def recover(
    project: Project,
    outbox: Outbox,
    confirmed: Confirmed,
    client_id: uuid.UUID,
    pending: list[Outgoing],
    text_for: TextFor,
    parse: Parse,
) -> tuple[list[Outgoing], int]:
    """``(the edits to send, how many were sent again)``: ``pending`` (the outbox) as it is,
    unless the server was restored from a backup older than the last edit it confirmed when
    the outbox was emptied (the module docstring). Offline, the question waits."""
    _, acked = outbox.meta()
    if acked == 0:
        return pending, 0
    try:
        conn = project.connection()
        known = last_sent(conn, project.project_id, client_id)
        if known >= acked:  # what the server lost is still in the outbox: sent as it was
            return pending, 0
        latest: dict[str, Annotation | None] = {}
        lost = confirmed.after(known, text_for, parse)
        for edit in sorted([*lost, *pending], key=lambda e: e.seq):
            latest[edit.doc_id] = edit.state
        rows = _writers(conn, project, outbox.name, list(latest))
        top = max([acked, *(e.seq for e in pending)])
        again: list[Outgoing] = []
        for doc_id, state in latest.items():
            row = rows.get(doc_id)
            if row is None and state is None:
                continue  # back to untouched where nothing is stored: nothing to send
            base = 0 if row is None or row[1] != client_id else row[0]
            again.append(Outgoing(top + 1 + len(again), doc_id, base, None, state))
        atomic_write(outbox.path, [e.line() for e in again])  # on disk before the server skips
        _step_over(conn, project, client_id, known + 1, top)
    except ServerUnreachable:
        return pending, 0
    except OSError as exc:
        raise AnnotatorError(f"{outbox.path}: {exc.strerror or exc}") from None
    n = len(again)
    said = f"{outbox.name}: the server was restored from a backup: {n} edit"
    said += f"{'s' * (n != 1)} sent again"
    project.warnings.append(said)
    project.restored.append(said)
    return again, len(again)


def _writers(
    conn: Connection, project: Project, name: str, doc_ids: list[str]
) -> dict[str, tuple[int, uuid.UUID | None]]:
    """``{document: (revision, the desktop that wrote it)}`` of the rows the server holds."""
    table, mine = ("gold", "") if name == GOLD else ("annotations", " AND annotator = %(a)s")
    params: dict[str, Any] = {"p": project.project_id, "d": doc_ids, "a": name}
    try:
        rows = conn.execute(
            f"SELECT document_id, revision, client_id FROM {table}"
            f" WHERE project_id = %(p)s AND document_id = ANY(%(d)s){mine}",
            params,
        ).fetchall()
    except psycopg.Error as exc:
        raise server_error(exc, who=project.who, doing="read") from None
    return {str(d): (int(r), c) for d, r, c in rows}


def _step_over(
    conn: Connection, project: Project, client_id: uuid.UUID, first: int, last: int
) -> None:
    """Have the server count this desktop's numbers ``first``..``last`` as used."""
    try:
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE NOT skip_edit(%s, %s, s))"
            " FROM generate_series(%s::bigint, %s::bigint) s",
            (project.project_id, client_id, first, last),
        ).fetchone()
    except psycopg.Error as exc:
        raise server_error(exc, who=project.who, doing="write") from None
    if row is None or row[0]:
        raise AnnotatorError("the server did not take this desktop's numbers: open it again")

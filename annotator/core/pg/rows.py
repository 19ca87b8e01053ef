"""Annotation rows as the server holds them, and the conflicts its edit log keeps.

A row is one annotator's latest state of one document (``annotations``, or ``gold``) with its
``revision``; a tombstone row (``untouched``) is a document taken back to untouched by an undo,
since annotators may not delete (decision 0081). The text is the document's: a row holds its
hash, and the desktop's document list supplies the text when an ``Annotation`` is built.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import psycopg
from pydantic import ValidationError

from annotator.core.agreement.spans import span_triples, spans_of
from annotator.core.errors import BadRecordError, describe
from annotator.core.model import GOLD, Annotation, readable_part, sha256_text
from annotator.core.pg.connection import NESTED_TOO_DEEPLY, NESTED_TOO_DEEPLY_REASON
from annotator.core.pg.errors import server_error

if TYPE_CHECKING:
    from annotator.core.pg.connection import Connection


class Texts(Protocol):
    """Where a row's text comes from (the project's documents)."""

    def get(self, doc_id: str) -> Any: ...


class ProjectRef(Protocol):
    """What the queries need of a project."""

    @property
    def project_id(self) -> int: ...

    @property
    def who(self) -> str: ...


_FIELDS = "document_id, revision, untouched, text_sha256, spans, status, updated_at, seconds, meta"


@dataclass(frozen=True)
class Conflict:
    """A document changed on two desktops: the server's version and this desktop's.

    ``theirs`` is what the server holds (None: untouched), ``mine`` this desktop's version
    that the server kept aside (None: back to untouched), ``revision`` the server's revision
    a resolution is made on.
    """

    doc_id: str
    theirs: Annotation | None
    mine: Annotation | None
    revision: int


@dataclass(frozen=True)
class ServerRow:
    """``state``: the record's fields but the text, id and annotator (None: untouched)."""

    revision: int
    state: dict[str, Any] | None

    @staticmethod
    def state_of(ann: Annotation) -> dict[str, Any]:
        """The fields of ``ann`` a row holds."""
        return ann.model_dump(mode="json", exclude={"text", "id", "annotator"})

    @classmethod
    def of(cls, revision: int, state: Annotation | dict[str, Any] | None) -> ServerRow:
        """A row at ``revision`` holding ``state``."""
        if isinstance(state, Annotation):
            return cls(revision, cls.state_of(state))
        if state is not None and state.get("untouched") is True:
            return cls(revision, None)
        return cls(revision, state)

    def annotation(
        self, doc_id: str, annotator: str, texts: Texts, labels: Collection[str] | None = None
    ) -> Annotation | None:
        """The row as an Annotation of ``annotator`` (None: untouched); ``BadRecordError`` when
        the row is no annotation (its spans malformed: an annotator may write their rows with
        any client, decision 0115). The spans and meta are handed to the model as the row
        holds them, as a folder's line is (every writer of the application stores a span's
        four keys): a value one store takes, the other takes, and one it refuses is refused
        with the same reason (decision 0117). ``labels``: the project's, a span of another
        label refused as a folder's store refuses it."""
        if self.state is None:
            return None
        text = texts.get(doc_id).text
        s = self.state
        record = {
            "id": doc_id,
            "text": text,
            "spans": spans_of(s.get("spans", [])),
            "status": s.get("status", "in_progress"),
            "annotator": annotator,
            "text_sha256": s.get("text_sha256", ""),
            "updated_at": s.get("updated_at", ""),
            "seconds": s.get("seconds", 0.0),
            "meta": s.get("meta", {}),
        }
        if s.get("spans") is NESTED_TOO_DEEPLY or s.get("meta") is NESTED_TOO_DEEPLY:
            raise BadRecordError(
                "server project", annotator, doc_id, NESTED_TOO_DEEPLY_REASON, unreadable=True,
                readable=readable_part(record, labels),
            )  # fmt: skip
        try:
            return Annotation.model_validate(
                record, context=None if labels is None else {"labels": labels}
            )
        except ValidationError as exc:
            fresh = s.get("status") == "done" and s.get("text_sha256") == sha256_text(text)
            done = (text, span_triples(s.get("spans", []))) if fresh else None
            raise BadRecordError(
                "server project", annotator, doc_id, describe(exc), done,
                readable=readable_part(record, labels),
            ) from None  # fmt: skip


def _table(annotator: str) -> tuple[str, str]:
    if annotator == GOLD:
        return "gold", ""
    return "annotations", " AND annotator = %(annotator)s"


def _row(r: tuple[Any, ...]) -> tuple[str, ServerRow]:
    doc_id, revision, untouched, sha, spans, status, updated_at, seconds, meta = r
    if untouched:
        return doc_id, ServerRow(int(revision), None)
    state = {
        "text_sha256": sha,
        "spans": spans,
        "status": status,
        "updated_at": updated_at,
        "seconds": seconds,
        "meta": meta,
    }
    return doc_id, ServerRow(int(revision), state)


def read_rows(conn: Connection, project: ProjectRef, annotator: str) -> dict[str, ServerRow]:
    """Every row of ``annotator`` (tombstones included: their revision counts)."""
    table, where = _table(annotator)
    try:
        rows = conn.execute(
            f"SELECT {_FIELDS} FROM {table} WHERE project_id = %(p)s{where}",
            {"p": project.project_id, "annotator": annotator},
        ).fetchall()
    except psycopg.Error as exc:
        raise server_error(exc, who=project.who, doing="read") from None
    return dict(_row(r) for r in rows)


def read_row(
    conn: Connection, project: ProjectRef, annotator: str, doc_id: str
) -> ServerRow | None:
    """One row (None: none stored)."""
    table, where = _table(annotator)
    try:
        found = conn.execute(
            f"SELECT {_FIELDS} FROM {table} WHERE project_id = %(p)s AND document_id = %(d)s"
            f"{where}",
            {"p": project.project_id, "d": doc_id, "annotator": annotator},
        ).fetchone()
    except psycopg.Error as exc:
        raise server_error(exc, who=project.who, doing="read") from None
    return None if found is None else _row(found)[1]


def conflicts_of(
    conn: Connection, project: ProjectRef, annotator: str
) -> list[tuple[str, dict[str, Any] | None, ServerRow | None]]:
    """``(document, the version kept aside, the server's row)`` per document with an open
    conflict of ``annotator``; the newest kept version of each document."""
    try:
        kept = conn.execute(
            "SELECT DISTINCT ON (document_id) document_id, record FROM edits"
            " WHERE project_id = %s AND annotator = %s AND outcome = 'conflict'"
            " AND resolved_at IS NULL ORDER BY document_id, received_at DESC, seq DESC",
            (project.project_id, annotator),
        ).fetchall()
    except psycopg.Error as exc:
        raise server_error(exc, who=project.who, doing="read") from None
    result = []
    for doc_id, record in kept:
        mine = None if record.get("untouched") is True else record
        result.append((doc_id, mine, read_row(conn, project, annotator, doc_id)))
    return result


def close_conflicts(conn: Connection, project: ProjectRef, annotator: str, doc_id: str) -> int:
    """Mark the open conflicts of one document resolved; returns how many."""
    try:
        cur = conn.execute(
            "UPDATE edits SET resolved_at = now() WHERE project_id = %s AND annotator = %s"
            " AND document_id = %s AND outcome = 'conflict' AND resolved_at IS NULL",
            (project.project_id, annotator, doc_id),
        )
    except psycopg.Error as exc:
        raise server_error(exc, who=project.who, doing="write") from None
    return cur.rowcount

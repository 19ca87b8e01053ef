"""Sending journaled edits to the server exactly once, in order (decision record 0080).

A desktop numbers its edits 1, 2, 3... under its own ``client_id`` (a UUID made once per
install and project). An edit carries the document's whole new state, the server revision the
desktop last saw (``base_revision``) and the number of the desktop's previous edit of the same
document (``prev_seq``). The server function ``apply_edit`` does the rest in one round trip:
an edit received before is answered from the log and changes nothing; an edit whose base is
stale and whose predecessor is not the stored state is kept as a conflict, never applied over
another desktop's work and never dropped.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal, cast

import psycopg
from psycopg.types.json import Json

from annotator.core.model import GOLD, Annotation
from annotator.core.pg import ServerError
from annotator.core.pg.errors import server_error

Outcome = Literal["applied", "conflict"]
# The channels the server notifies on; payloads are JSON naming the project and what changed.
CHANNELS: dict[str, str] = {
    "annotations": "annotator_annotations",  # {"project", "document"}
    "gold": "annotator_gold",  # {"project", "document"}
    "assignments": "annotator_assignments",  # {"project", "annotator"}
    "project": "annotator_project",  # {"project", "table"}: documents or labels changed
}
OUT_OF_ORDER = "AN001"


@dataclass(frozen=True)
class Edit:
    """One journaled edit as it is sent: whose, which document, its place and its state."""

    client_id: uuid.UUID
    seq: int
    annotator: str
    document_id: str
    base_revision: int
    prev_seq: int | None
    record: dict[str, Any]

    @classmethod
    def of(
        cls,
        ann: Annotation,
        client_id: uuid.UUID,
        seq: int,
        base_revision: int,
        prev_seq: int | None = None,
        gold: bool = False,
    ) -> Edit:
        """The edit that stores ``ann`` (as gold when ``gold``); the text stays on the server."""
        record = ann.model_dump(mode="json", exclude={"text", "id", "annotator"})
        return cls(
            client_id,
            seq,
            GOLD if gold else ann.annotator,
            ann.id,
            base_revision,
            prev_seq,
            record,
        )


@dataclass(frozen=True)
class Applied:
    """What the server did with an edit: applied (new revision) or kept as a conflict."""

    outcome: Outcome
    revision: int | None


def apply_edit(
    conn: psycopg.Connection[Any], project_id: int, edit: Edit, who: str | None = None
) -> Applied:
    """Send one edit; in the caller's transaction when there is one, else its own."""
    try:
        row = conn.execute(
            "SELECT outcome, revision FROM apply_edit(%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                project_id,
                edit.client_id,
                edit.seq,
                edit.annotator,
                edit.document_id,
                edit.base_revision,
                edit.prev_seq,
                Json(edit.record),
            ),
        ).fetchone()
    except psycopg.Error as exc:
        if exc.sqlstate == OUT_OF_ORDER:
            raise ServerError(f"sync: {exc.diag.message_primary}") from None
        raise server_error(exc, who=who, doing="write") from None
    if row is None:  # the function always returns one row
        raise ServerError("sync: the server returned no outcome")
    return Applied(cast(Outcome, row[0]), row[1])


def last_sent(conn: psycopg.Connection[Any], project_id: int, client_id: uuid.UUID) -> int:
    """The highest edit number the server holds from this desktop: resend from the next."""
    try:
        row = conn.execute(
            "SELECT last_seq FROM clients WHERE project_id = %s AND client_id = %s",
            (project_id, client_id),
        ).fetchone()
    except psycopg.Error as exc:
        raise server_error(exc) from None
    return int(row[0]) if row else 0

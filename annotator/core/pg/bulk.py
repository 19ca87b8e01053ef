"""The lead's whole-project reads on a server project, each in one query (``reads.BulkReads``).

Progress and assignment need status, last edit and time of every record of an annotator;
agreement and stats need the spans of every ``done`` one. Through the store interface that is
one ``annotation()`` per document, each building a record around its document's text. Here
each is one query over the annotator's rows (row-level security applies as everywhere: an
annotator reads only their own), with this desktop's edits not yet confirmed by the server
laid on top, as the store itself reads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import psycopg

from annotator.core.activity import when
from annotator.core.agreement.spans import span_triples
from annotator.core.assign_types import Touch
from annotator.core.model import GOLD, Annotation
from annotator.core.pg.connection import NESTED_TOO_DEEPLY, NESTED_TOO_DEEPLY_REASON
from annotator.core.pg.errors import server_error
from annotator.core.progress import Progress

if TYPE_CHECKING:
    from annotator.core.pg.store import PgProject

SpanList = list[tuple[int, int, str]]


def _where(name: str) -> tuple[str, str]:
    if name == GOLD:
        return "gold", ""
    return "annotations", " AND a.annotator = %(name)s"


class PgBulkReads:
    """``reads.BulkReads`` for a ``PgProject``."""

    def __init__(self, store: PgProject) -> None:
        self.store = store

    def _unconfirmed(self, name: str) -> dict[str, Annotation | None]:
        """This desktop's edits of ``name`` the server has not confirmed yet (None: undone
        back to untouched)."""
        return self.store._overlay(name)  # the store's own reading of its outbox

    def _query(self, sql: str, name: str) -> list[tuple[Any, ...]]:
        try:
            return (
                self.store.connection()
                .execute(sql, {"p": self.store.project_id, "name": name})
                .fetchall()
            )
        except psycopg.Error as exc:
            raise server_error(exc, who=self.store.who, doing="read") from None

    def activity(self, name: str) -> dict[str, Touch]:
        """Status, last edit and time of every document ``name`` has a record of."""
        table, where = _where(name)
        rows = self._query(
            f"SELECT a.document_id, a.status, a.updated_at, a.seconds FROM {table} a"
            f" WHERE a.project_id = %(p)s{where} AND NOT a.untouched",
            name,
        )
        out = {doc: Touch(status, when(updated), float(seconds)) for doc, status, updated,
               seconds in rows}  # fmt: skip
        for doc_id, ann in self._unconfirmed(name).items():
            if ann is None:
                out.pop(doc_id, None)
            else:
                out[doc_id] = Touch(ann.status, when(ann.updated_at), ann.seconds)
        return out

    def progress(self) -> Progress | None:
        """The progress table counted by the server (``pg.progress``), None when it must be
        counted on the desktop."""
        from annotator.core.pg.progress import server_progress

        return server_progress(self.store)

    def done_spans(
        self, name: str, skipped: list[str] | None = None
    ) -> Iterator[tuple[str, str, SpanList]]:
        """``(document id, text, spans)`` of ``name``'s done annotations on documents this
        person can read, made on the document's present text, in project order; a row whose
        spans the desktop cannot decode is left out and named in ``skipped`` (decision 0117).

        Each text is fetched once per store and shared by every annotator's record of it."""
        table, where = _where(name)
        unconfirmed = self._unconfirmed(name)
        docs = self.store.documents
        rows = [
            (doc_id, spans)
            for doc_id, sha, spans in self._query(
                f"SELECT a.document_id, a.text_sha256, a.spans FROM {table} a"
                f" WHERE a.project_id = %(p)s{where} AND a.status = 'done' AND NOT a.untouched",
                name,
            )
            if doc_id not in unconfirmed and doc_id in docs and docs.sha(doc_id) == sha
        ]
        rows.sort(key=lambda row: docs.position(row[0]))
        texts = self._texts([doc_id for doc_id, _ in rows])
        for doc_id, spans in rows:
            if spans is NESTED_TOO_DEEPLY:
                if skipped is not None:
                    where = f"server project, annotator {name}, document {doc_id}"
                    skipped.append(f"{where}: {NESTED_TOO_DEEPLY_REASON} (left out)")
                continue
            yield doc_id, texts[doc_id], span_triples(spans)
        for doc_id, ann in unconfirmed.items():
            if ann is not None and ann.status == "done":
                yield doc_id, ann.text, [(s.start, s.end, s.label) for s in ann.spans]

    def _texts(self, ids: list[str]) -> dict[str, str]:
        """The texts of ``ids``, from this store's cache or one query per 10,000 missing."""
        cache = _TEXTS.setdefault(self.store, {})
        missing = [d for d in ids if d not in cache]
        for start in range(0, len(missing), 10_000):
            chunk = missing[start : start + 10_000]
            try:
                rows = (
                    self.store.connection()
                    .execute(
                        "SELECT id, text FROM documents WHERE project_id = %s AND id = ANY(%s)",
                        (self.store.project_id, chunk),
                    )
                    .fetchall()
                )
            except psycopg.Error as exc:
                raise server_error(exc, who=self.store.who, doing="read") from None
            cache.update(rows)
        return cache


# Texts fetched for a store's reports, kept while the store lives (a document's text never
# changes on the server: a new text is a new document).
_TEXTS: WeakKeyDictionary[PgProject, dict[str, str]] = WeakKeyDictionary()

"""A server project's documents, listed lazily: ids, hashes and titles first, texts on demand.

The list (id, hash, title) is read in one query the first time it is needed; a text is read
when a document is opened and kept, so the documents already on the desktop stay readable
while the server is unreachable. ``append`` adds documents under a per-project lock, so two
imports at once neither write a document twice nor lose one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

import psycopg
from psycopg.types.json import Json

from annotator.core.documents import Appended
from annotator.core.errors import AnnotatorError, RecordError
from annotator.core.model import Document, first_line, sha256_text
from annotator.core.pg import ServerError, ServerUnreachable, local_copy
from annotator.core.pg.connection import Connection
from annotator.core.pg.errors import server_error

# A title is at most 200 characters of the first non-empty line; the server keeps each
# document's first 300 and its length (documents.head and .chars, schema version 3).
TITLE_CHARS = 300
_APPEND_LOCK = 0x646F6373  # "docs", with the project id as the second key
_PAGE = 500
# The list as this role may read it. An annotator of a project with a plan reads the
# documents assigned to them: the second branch reaches them through their assignments
# (an index range, the login's name given as a value so the planner sees how many there are)
# instead of filtering every document of the project by the policy; each branch's gate is
# decided once per query (decision 0089). The policy still applies to both.
_COLUMNS = "d.id, d.text_sha256, d.meta->'title', left(d.head, %(n)s), d.chars > %(n)s, d.position"
_EVERYTHING = "((SELECT is_lead()) OR %(p)s <> ALL (planned_projects()))"
_LIST = (
    f"SELECT {_COLUMNS} FROM documents d WHERE d.project_id = %(p)s AND {_EVERYTHING}"
    f" UNION ALL SELECT {_COLUMNS} FROM assignments a JOIN documents d"
    " ON d.project_id = a.project_id AND d.id = a.document_id"
    f" WHERE a.project_id = %(p)s AND a.annotator = %(me)s AND NOT {_EVERYTHING}"
    # sorted here: the server would sort every document's head, on disk at 100,000
)

# An annotator's next documents: assigned, not done or skipped, in project order (the
# annotator's assignments are an index range, schema step 0003; then each document by key).
READ_AHEAD = 100
_QUEUE = (
    "SELECT d.id, d.text, d.meta FROM assignments a JOIN documents d"
    " ON d.project_id = a.project_id AND d.id = a.document_id"
    " LEFT JOIN annotations r ON r.project_id = a.project_id"
    " AND r.document_id = a.document_id AND r.annotator = a.annotator"
    " WHERE a.project_id = %s AND a.annotator = %s"
    " AND (r.status IS NULL OR r.untouched OR r.status = 'in_progress')"
    " AND NOT (d.id = ANY(%s)) ORDER BY d.position LIMIT %s"
)


def title_of(meta_title: object, head: str, cut: bool) -> str | None:
    """The title from ``meta``'s title or the text's first ``TITLE_CHARS`` characters; None
    when the head is too short to tell (the whole text decides then)."""
    if isinstance(meta_title, str) and meta_title.strip():
        return meta_title.strip()
    title = first_line(head)
    if cut and len(title) < 200:
        return None
    return title


class PgDocuments:
    """``DocumentSource`` over the ``documents`` table (see the module docstring)."""

    def __init__(
        self,
        conn: Callable[[], Connection],
        project_id: int,
        who: str = "this user",
        user: str = "",
        copy: Path | None = None,
    ) -> None:
        self._conn = conn
        self._copy = copy  # this desktop's copy of the list and texts (``local_copy``)
        self._copied_texts: dict[str, Document] | None = None
        self._project = project_id
        self._who = who
        self._user = user  # the login: an annotator's own assignments are read by it
        self._lock = threading.RLock()
        self._ids: list[str] | None = None
        self._pos: dict[str, int] = {}
        self._sha: dict[str, str] = {}
        self._titles: dict[str, str | None] = {}
        self._texts: dict[str, Document] = {}
        self._stale = False

    def _query(self, sql: str, params: tuple[Any, ...] | dict[str, Any]) -> list[tuple[Any, ...]]:
        try:
            return self._conn().execute(sql, params).fetchall()
        except psycopg.Error as exc:
            raise server_error(exc, who=self._who, doing="read") from None

    def _load(self) -> list[str]:
        with self._lock:
            if self._ids is None or self._stale:
                try:
                    rows = self._query(
                        _LIST, {"n": TITLE_CHARS, "p": self._project, "me": self._user}
                    )
                except ServerUnreachable:
                    if self._ids is not None:
                        return self._ids  # offline: the list read last stays, read again later
                    copied = local_copy.load_list(self._copy) if self._copy else None
                    if copied is None:
                        raise
                    self._fill(copied)  # offline from the start: the copy of the last list
                    self._stale = True
                    return self._ids or []
                self._stale = False
                rows.sort(key=itemgetter(5))
                listed = [(r[0], r[1], title_of(r[2], r[3], r[4])) for r in rows]
                self._fill(listed)
                if self._copy is not None:
                    local_copy.save_list(self._copy, listed)
            return self._ids if self._ids is not None else []

    def _fill(self, listed: list[tuple[str, str, str | None]]) -> None:
        self._ids = [r[0] for r in listed]
        self._pos = {d: i for i, d in enumerate(self._ids)}
        self._sha = {r[0]: r[1] for r in listed}
        self._titles = {r[0]: r[2] for r in listed}

    def reload(self) -> None:
        """Read the list again when next asked (another client added documents, the plan
        changed); texts read stay, and so does the old list while the server is
        unreachable."""
        with self._lock:
            self._stale = True

    @property
    def ids(self) -> list[str]:
        """Document ids in project order (the list is replaced, never changed in place, when
        it is read again: a window's list model reads a row from it at every paint)."""
        return self._load()

    def __len__(self) -> int:
        return len(self._load())

    def __contains__(self, doc_id: object) -> bool:
        self._load()
        return doc_id in self._pos

    def position(self, doc_id: str) -> int:
        """The row of ``doc_id`` in project order."""
        self._load()
        return self._pos[doc_id]

    def title(self, doc_id: str) -> str:
        """The title; the text is read only when its first line is longer than the head."""
        self._load()
        found = self._titles[doc_id]
        if found is not None:
            return found
        try:
            return self.get(doc_id).title
        except ServerUnreachable:
            return doc_id  # offline, its text not on this desktop

    def sha(self, doc_id: str) -> str:
        """Hex SHA-256 of the text, without reading it."""
        self._load()
        return self._sha[doc_id]

    def get(self, doc_id: str) -> Document:
        """The document (KeyError when there is none); kept once read."""
        with self._lock:
            doc = self._texts.get(doc_id)
        if doc is not None:
            return doc
        try:
            rows = self._query(
                "SELECT text, meta FROM documents WHERE project_id = %s AND id = %s",
                (self._project, doc_id),
            )
        except ServerUnreachable as exc:
            copied = self._copied(doc_id)
            if copied is None:
                raise ServerUnreachable(
                    f"{doc_id}: its text is not on this computer and the server cannot be "
                    f"reached ({exc})"
                ) from None
            return copied
        if not rows:
            raise KeyError(doc_id)
        doc = Document(id=doc_id, text=rows[0][0], meta=rows[0][1] or {})
        if self._copy is not None:
            local_copy.add_texts(self._copy, [doc])
        with self._lock:
            self._texts[doc_id] = doc
        return doc

    def read_ahead(self, annotator: str, limit: int = READ_AHEAD) -> int:
        """Read the texts of the first ``limit`` documents assigned to ``annotator`` that they
        have not finished, in project order, unless on the desktop already: their next
        documents then open without asking the server, and can be annotated offline. Returns
        how many were read; a server that cannot answer reads none (this is only ahead)."""
        with self._lock:
            known = list(self._texts)
        try:
            rows = self._query(_QUEUE, (self._project, annotator, known, limit))
        except (ServerUnreachable, ServerError):
            return 0
        docs = [Document(id=r[0], text=r[1], meta=r[2] or {}) for r in rows]
        with self._lock:
            for doc in docs:
                self._texts.setdefault(doc.id, doc)
        if self._copy is not None:
            local_copy.add_texts(self._copy, docs)
        return len(docs)

    def _copied(self, doc_id: str) -> Document | None:
        """The text kept on this desktop from an earlier session (offline)."""
        with self._lock:
            if self._copied_texts is None:
                self._copied_texts = local_copy.load_texts(self._copy) if self._copy else {}
            doc = self._copied_texts.get(doc_id)
            if doc is not None and self._sha.get(doc_id) in (None, sha256_text(doc.text)):
                self._texts[doc_id] = doc
                return doc
            return None

    def known(self, doc_id: str) -> Document | None:
        """The document if its text is on the desktop already (no server asked)."""
        with self._lock:
            return self._texts.get(doc_id)

    def __iter__(self) -> Iterator[Document]:
        ids = self._load()
        for first in range(0, len(ids), _PAGE):
            page = ids[first : first + _PAGE]
            rows = self._query(
                "SELECT id, text, meta FROM documents WHERE project_id = %s AND id = ANY(%s)",
                (self._project, page),
            )
            found = {r[0]: Document(id=r[0], text=r[1], meta=r[2] or {}) for r in rows}
            for doc_id in page:
                if doc_id in found:
                    yield found[doc_id]

    @property
    def errors(self) -> list[RecordError]:
        """A server's documents are checked on the way in: none is unreadable."""
        return []

    def append(self, docs: Iterable[Document], by_text: Collection[str] = ()) -> Appended:
        """Add the documents not there yet, in one transaction under the project's lock."""
        docs = list(docs)
        result = Appended()
        if not docs:
            return result
        for doc in docs:
            if "\x00" in doc.text:
                raise AnnotatorError(
                    f"document {doc.id!r}: its text holds the character U+0000, which a "
                    "PostgreSQL server cannot store"
                )
        conn = self._conn()
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (_APPEND_LOCK, self._project))
                shas = [sha256_text(d.text) for d in docs]
                have: dict[str, str] = dict(
                    conn.execute(
                        "SELECT id, text_sha256 FROM documents"
                        " WHERE project_id = %s AND id = ANY(%s)",
                        (self._project, [d.id for d in docs]),
                    ).fetchall()
                )
                wanted = [s for d, s in zip(docs, shas, strict=True) if d.id in by_text]
                by_sha: dict[str, str] = {}
                if wanted:
                    for doc_id, sha in conn.execute(
                        "SELECT id, text_sha256 FROM documents"
                        " WHERE project_id = %s AND text_sha256 = ANY(%s) ORDER BY position",
                        (self._project, wanted),
                    ).fetchall():
                        by_sha.setdefault(sha, doc_id)
                fresh = []
                for doc, sha in zip(docs, shas, strict=True):
                    if doc.id in have:
                        if have[doc.id] == sha:
                            result.present[doc.id] = doc.id
                        else:
                            result.conflicts.append(doc.id)
                        continue
                    if doc.id in by_text and sha in by_sha:
                        result.present[doc.id] = by_sha[sha]
                        continue
                    have[doc.id] = sha
                    if doc.id in by_text:
                        by_sha.setdefault(sha, doc.id)
                    fresh.append((self._project, doc.id, doc.text, sha, Json(doc.meta)))
                with conn.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO documents (project_id, id, text, text_sha256, meta)"
                        " VALUES (%s, %s, %s, %s, %s)",
                        fresh,
                    )
                result.written = len(fresh)
        except psycopg.Error as exc:
            raise server_error(exc, who=self._who, doing="write") from None
        self.reload()
        return result

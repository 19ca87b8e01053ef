"""The project's articles (``documents.jsonl``), indexed lazily: the list never loads texts."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pydantic import ValidationError

from annotator.core.errors import AnnotatorError, RecordError, describe
from annotator.core.index import IndexKind, LineIndex, StaleIndexError, build_index
from annotator.core.jsonl import append_durably, decode_line, dumps
from annotator.core.model import Document, first_line, sha256_text
from annotator.core.quick_index import quick_index


class DocumentSummary(NamedTuple):
    """What the index keeps of a document: enough for the list, without reading the text."""

    title: str
    sha256: str
    """Hex SHA-256 of the UTF-8 text."""
    length: int
    """The text's length in code points."""


def _summarise(path: str, lineno: int, raw: bytes) -> tuple[str, DocumentSummary]:
    try:  # the fast path: parse and validate in one pass
        doc = Document.model_validate_json(raw)
    except ValidationError:
        try:
            doc = Document.model_validate(decode_line(path, lineno, raw))
        except ValidationError as exc:
            raise RecordError(path, lineno, describe(exc)) from None
    return doc.id, DocumentSummary(doc.title, sha256_text(doc.text), len(doc.text))


DOCUMENTS = IndexKind("documents", DocumentSummary, _summarise)


LOCK_WAIT = 120.0  # seconds; another writer holds the lock for one batch's append only


@dataclass
class Appended:
    """What ``DocumentStore.append`` did: how many it wrote, and the ones it did not write.

    ``present`` maps an id that was asked for to the id of the document already in the file
    (itself, or for an id matched by text, the one holding that text): another writer added
    it since this store was read. ``conflicts`` are ids taken meanwhile by another text.
    """

    written: int = 0
    present: dict[str, str] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)


class DocumentStore:
    """Ordered, id-addressable access to ``documents.jsonl`` through a cached line index.

    Writers of the file exclude each other through ``.annotator/documents.lock``, held only
    while appending (two imports at once would otherwise both add the same documents).
    """

    def __init__(
        self, path: Path, cache: Path | None, lock: Path | None = None, quick: bool = False
    ) -> None:
        self.path = path
        self.cache = cache
        self.lock_path = lock or path.parent / ".annotator" / "documents.lock"
        self.quick = quick
        self.index: LineIndex[DocumentSummary] = self._build(use_cache=True)
        self._ids: list[str] = self.index.ids()
        self._pos: dict[str, int] | None = None

    def _build(self, use_cache: bool) -> LineIndex[DocumentSummary]:
        """The full index, or with ``quick`` a quick one (``quick_index.quick_index``)."""
        if self.quick:
            return quick_index(self.path, DOCUMENTS, self.cache if use_cache else None)
        return build_index(self.path, DOCUMENTS, self.cache, use_cache=use_cache)

    def reload(self) -> None:
        """Re-read the index (cheap when the file has not changed or only grew)."""
        self.index = self._build(use_cache=True)
        self._ids = self.index.ids()
        self._pos = None

    def adopt(self, full: LineIndex[DocumentSummary]) -> bool | None:
        """Take ``full``, the full index of the file this quick index was made of (built off
        the window's thread); None when it is of another state of the file (not taken), else
        whether the ids changed (lines the quick scan took for records failed validation)."""
        if not full.complete or full.stamp != self.index.stamp or full.path != self.path:
            return None
        changed = full.ids() != self._ids
        self.index = full
        if changed:
            self._ids, self._pos = full.ids(), None
        return changed

    @property
    def complete(self) -> bool:
        """False while the index is a quick one (titles are read when asked for)."""
        return self.index.complete

    @property
    def errors(self) -> list[RecordError]:
        """Lines of ``documents.jsonl`` that could not be read."""
        return self.index.errors

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.index

    @property
    def ids(self) -> list[str]:
        """Document ids in file order."""
        return self._ids

    def position(self, doc_id: str) -> int:
        """Row of ``doc_id`` in file order."""
        if self._pos is None:
            self._pos = {d: i for i, d in enumerate(self._ids)}
        return self._pos[doc_id]

    def title(self, doc_id: str) -> str:
        """The document's title (from the index; no text is read); "" for a line that
        failed validation when a quick index read it."""
        summary = self.index.lookup(doc_id)
        return summary.title if summary is not None else ""

    def sha(self, doc_id: str) -> str:
        """SHA-256 of the document's text (from the index); "" as for ``title``."""
        summary = self.index.lookup(doc_id)
        return summary.sha256 if summary is not None else ""

    def get(self, doc_id: str) -> Document:
        """Read one document from disk (its line decoded and validated in one pass; a line
        that fails is read again the slow way, for its message)."""
        try:
            _, raw = self.index.read_raw(doc_id)
            doc = Document.model_validate_json(raw)
            if doc.id == doc_id:
                return doc
        except (StaleIndexError, ValidationError):
            pass
        try:
            _, record = self.index.read_record(doc_id)
        except StaleIndexError:  # changed under us (or a cache lied): index it again
            self.index = self._build(use_cache=False)
            self._ids, self._pos = self.index.ids(), None
            _, record = self.index.read_record(doc_id)
        return Document.model_validate(record)

    def __iter__(self) -> Iterator[Document]:
        for doc_id in self._ids:
            yield self.get(doc_id)

    def append(self, docs: Iterable[Document], by_text: Collection[str] = ()) -> Appended:
        """Append new documents durably, under the project's lock for ``documents.jsonl``.

        Under the lock the index is read again, so a document another writer added since
        this store was read is not written twice: one with the same id (and text) is
        reported in ``present``, one with the same id and another text in ``conflicts``.
        The ids in ``by_text`` were made from the text (the input had none): for those, a
        document already holding the same text under any id counts as present.
        """
        docs = list(docs)
        if not docs:
            return Appended()
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        from filelock import FileLock, Timeout  # only a writer of documents needs it

        lock = FileLock(str(self.lock_path), timeout=LOCK_WAIT)
        try:
            lock.acquire()
        except Timeout:
            raise AnnotatorError(
                f"{self.lock_path}: another process has been writing {self.path.name} for "
                f"{LOCK_WAIT:.0f} s; try again when it is done"
            ) from None
        try:
            self.reload()
            return self._append_new(docs, frozenset(by_text))
        finally:
            lock.release()

    def _append_new(self, docs: list[Document], by_text: frozenset[str]) -> Appended:
        result = Appended()
        fresh: list[Document] = []
        shas: dict[str, str] | None = None
        for doc in docs:
            sha = sha256_text(doc.text)
            if doc.id in self:
                if self.sha(doc.id) == sha:
                    result.present[doc.id] = doc.id
                else:
                    result.conflicts.append(doc.id)
                continue
            if doc.id in by_text:
                if shas is None:
                    shas = {}
                    for known in self._ids:
                        shas.setdefault(self.sha(known), known)
                if sha in shas:
                    result.present[doc.id] = shas[sha]
                    continue
            fresh.append(doc)
        if not fresh:
            return result
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = "".join(dumps(d.model_dump()) + "\n" for d in fresh).encode("utf-8")
        with open(self.path, "ab") as f:
            if f.tell() and not _ends_line(self.path):
                data = b"\n" + data
            append_durably(f, data)  # a failed write (full disk) is cut back: no torn line
        self.reload()
        result.written = len(fresh)
        return result


def _ends_line(path: Path) -> bool:
    with open(path, "rb") as f:
        f.seek(-1, os.SEEK_END)
        return f.read(1) == b"\n"


__all__ = ["DOCUMENTS", "Appended", "DocumentStore", "DocumentSummary", "first_line"]

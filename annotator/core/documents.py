"""The project's articles (``documents.jsonl``), indexed lazily: the list never loads texts."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from pydantic import ValidationError

from annotator.core.errors import RecordError, describe
from annotator.core.index import IndexKind, LineIndex, StaleIndexError, build_index
from annotator.core.jsonl import append_durably, decode_line, dumps
from annotator.core.model import Document, first_line, sha256_text


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


class DocumentStore:
    """Ordered, id-addressable access to ``documents.jsonl`` through a cached line index."""

    def __init__(self, path: Path, cache: Path | None) -> None:
        self.path = path
        self.cache = cache
        self.index: LineIndex[DocumentSummary] = build_index(path, DOCUMENTS, cache)
        self._ids: list[str] = self.index.ids()
        self._pos: dict[str, int] | None = None

    def reload(self) -> None:
        """Re-read the index (cheap when the file has not changed or only grew)."""
        self.index = build_index(self.path, DOCUMENTS, self.cache)
        self._ids = self.index.ids()
        self._pos = None

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
        """The document's title (from the index; no text is read)."""
        return self.index.summary(doc_id).title

    def sha(self, doc_id: str) -> str:
        """SHA-256 of the document's text (from the index)."""
        return self.index.summary(doc_id).sha256

    def get(self, doc_id: str) -> Document:
        """Read one document from disk."""
        try:
            _, record = self.index.read_record(doc_id)
        except StaleIndexError:  # changed under us (or a cache lied): index it again
            self.index = build_index(self.path, DOCUMENTS, self.cache, use_cache=False)
            self._ids, self._pos = self.index.ids(), None
            _, record = self.index.read_record(doc_id)
        return Document.model_validate(record)

    def __iter__(self) -> Iterator[Document]:
        for doc_id in self._ids:
            yield self.get(doc_id)

    def append(self, docs: Iterable[Document]) -> int:
        """Append new documents durably (ids must be new); returns how many were written."""
        lines = [dumps(d.model_dump()) + "\n" for d in docs]
        if not lines:
            return 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = "".join(lines).encode("utf-8")
        with open(self.path, "ab") as f:
            if f.tell() and not _ends_line(self.path):
                data = b"\n" + data
            append_durably(f, data)  # a failed write (full disk) is cut back: no torn line
        self.reload()
        return len(lines)


def _ends_line(path: Path) -> bool:
    with open(path, "rb") as f:
        f.seek(-1, os.SEEK_END)
        return f.read(1) == b"\n"


__all__ = ["DOCUMENTS", "DocumentStore", "DocumentSummary", "first_line"]

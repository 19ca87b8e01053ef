"""Line indexes of JSONL files, cached on disk, so a huge project opens without parsing it.

An index maps each record's id to an ``IndexEntry``: where its line is (``line``, ``offset``,
``length``) and a small typed summary of it (``IndexKind.summary``: a document's title and
hash, an annotation's status and label counts, ...). The cache in ``.annotator/cache/`` is
keyed by the file's size, time and inode and by the kind's ``key`` (for annotations, the
project's label list: a label removed from ``annotator.toml`` makes lines that use it errors,
so the summaries must be made again). A cache that cannot be read, or whose values have the
wrong types, is ignored and the file indexed again: a bad cache only costs time.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import GenericAlias
from typing import Any, Generic, NamedTuple, TypeVar, get_type_hints

from pydantic import BaseModel, ConfigDict, NonNegativeInt, create_model

from annotator.core.errors import AnnotatorError, RecordError
from annotator.core.jsonl import atomic_write, decode_line, iter_lines

CACHE_VERSION = 2
S = TypeVar("S", bound=tuple[Any, ...])


class IndexEntry(NamedTuple, Generic[S]):
    """Where one record's line is in its file, and the summary of the record."""

    line: int
    """1-based line number."""
    offset: int
    """Byte offset of the line's first byte."""
    length: int
    """Bytes of the line, without its newline."""
    summary: S


Summarise = Callable[[str, int, bytes], tuple[str, S]]
"""Validate a raw line and return ``(id, summary)``, or raise RecordError."""


@dataclass(frozen=True)
class IndexKind(Generic[S]):
    """What an index of one kind of file keeps per line, and how it makes it.

    ``summary`` is the summary's NamedTuple class (its field types are checked when a cache is
    read); ``key`` names everything else the summaries depend on, so a cache made under
    another key is not used.
    """

    name: str
    summary: type[S]
    summarise: Summarise[S]
    key: str = ""

    def make(self, values: Iterable[Any]) -> S:
        """The summary record from its values (as cached)."""
        return self.summary(*values)

    @cached_property
    def cache_model(self) -> type[_CacheFile]:
        """The cache file's model, its rows typed by this kind's summary (validated in one
        pass, in pydantic's core: faster than ``json.loads`` alone)."""
        fields = tuple(get_type_hints(self.summary).values())
        # tuple[int, int, int, tuple[*fields]], spelt as the alias it makes at run time: the
        # fields are only known then, so the type checker cannot read it as a type expression
        summary = GenericAlias(tuple, fields)
        row = GenericAlias(tuple, (NonNegativeInt, NonNegativeInt, NonNegativeInt, summary))
        entries: Any = GenericAlias(dict, (str, row))
        return create_model(f"{self.name}_cache", __base__=_CacheFile, entries=(entries, ...))


class _CacheFile(BaseModel):
    """A cache file: the indexed file's identity, the failed lines and the rows."""

    model_config = ConfigDict(extra="ignore", strict=True)

    version: int
    kind: str
    key: str
    size: NonNegativeInt
    mtime_ns: int
    ino: NonNegativeInt
    lines: NonNegativeInt
    errors: list[tuple[str, NonNegativeInt, str]]
    entries: dict[str, tuple[Any, ...]]


@dataclass
class LineIndex(Generic[S]):
    """The index of one JSONL file: typed entries by id, plus the lines that failed.

    Entries are kept as plain rows and made into ``IndexEntry`` records when read, so a
    100,000-line index loads from its cache without building 200,000 objects.
    """

    path: Path
    kind: IndexKind[S]
    rows: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    errors: list[RecordError] = field(default_factory=list)
    size: int = 0
    mtime_ns: int = 0
    ino: int = 0
    lines: int = 0

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self.rows

    def ids(self) -> list[str]:
        """Record ids in file order."""
        return list(self.rows)

    def entry(self, record_id: str) -> IndexEntry[S] | None:
        """The entry of ``record_id``, or None."""
        row = self.rows.get(record_id)
        if row is None:
            return None
        line, offset, length, summary = row
        return IndexEntry(line, offset, length, self.kind.make(summary))

    def summary(self, record_id: str) -> S:
        """The summary of ``record_id`` (KeyError when absent)."""
        return self.kind.make(self.rows[record_id][3])

    def items(self) -> Iterator[tuple[str, IndexEntry[S]]]:
        """``(id, entry)`` in file order."""
        make = self.kind.make
        for record_id, (line, offset, length, summary) in self.rows.items():
            yield record_id, IndexEntry(line, offset, length, make(summary))

    def read_raw(self, record_id: str) -> tuple[int, bytes]:
        """``(line number, raw bytes)`` of the line holding ``record_id``."""
        line, offset, length, _ = self.rows[record_id]
        with open(self.path, "rb") as f:
            f.seek(offset)
            raw = f.read(length)
        if len(raw) != length:
            raise StaleIndexError(str(self.path), line, "the file changed while it was read")
        return line, raw

    def read_record(self, record_id: str) -> tuple[int, dict[str, Any]]:
        """``(line number, parsed object)`` of ``record_id``'s line.

        Raises StaleIndexError when the line there holds another record (the file changed,
        or a cache lied), RecordError when it is not a JSON object.
        """
        line, raw = self.read_raw(record_id)
        record = decode_line(str(self.path), line, raw)
        if record.get("id") != record_id:
            raise StaleIndexError(str(self.path), line, f"no longer holds {record_id!r}")
        return line, record


class StaleIndexError(RecordError):
    """The index no longer matches its file: index it again."""


def build_index(
    path: Path, kind: IndexKind[S], cache: Path | None, use_cache: bool = True
) -> LineIndex[S]:
    """Index ``path``, reusing ``cache`` when the file has not changed or only grew.

    With ``use_cache`` False the file is indexed afresh (and the cache written again).
    Raises AnnotatorError when ``path`` exists but is not a regular file (a folder).
    """
    index: LineIndex[S] = LineIndex(path, kind)
    try:
        st = path.stat()
    except FileNotFoundError:
        return index
    if not path.is_file():
        raise AnnotatorError(f"{path}: is not a file")
    start_offset, start_line = 0, 0
    cached = _load_cache(cache, path, kind) if cache is not None and use_cache else None
    if cached is not None:
        # the inode tells a replaced file from the one cached even when a rewrite lands in
        # the same clock tick with the same size
        same_file = cached.ino == st.st_ino
        if same_file and (cached.size, cached.mtime_ns) == (st.st_size, st.st_mtime_ns):
            return cached
        if same_file and cached.size < st.st_size and _ends_line(path, cached.size):
            index = cached  # appended to since: index the new tail
            start_offset, start_line = cached.size, cached.lines
    str_path = str(path)
    with open(path, "rb") as f:
        f.seek(start_offset)
        offset, lineno = start_offset, start_line
        for raw in f:
            lineno += 1
            size = len(raw)
            line = raw.rstrip(b"\r\n")
            if line.strip():
                try:
                    rid, summary = kind.summarise(str_path, lineno, line)
                    first = index.rows.get(rid)
                    if first is not None:
                        raise RecordError(
                            str_path, lineno, f"duplicate id {rid!r} (first on line {first[0]})"
                        )
                    index.rows[rid] = IndexEntry(lineno, offset, len(line), summary)
                except RecordError as err:
                    index.errors.append(err)
            offset += size
    index.size, index.mtime_ns, index.lines = st.st_size, st.st_mtime_ns, lineno
    index.ino = st.st_ino
    if cache is not None:
        save_cache(index, cache)
    return index


def _ends_line(path: Path, size: int) -> bool:
    if size == 0:
        return True
    with open(path, "rb") as f:
        f.seek(size - 1)
        return f.read(1) == b"\n"


def _load_cache(cache: Path, path: Path, kind: IndexKind[S]) -> LineIndex[S] | None:
    """The cached index of ``path``, or None when there is none or it cannot be trusted."""
    try:
        with open(cache, "rb") as f:
            head = kind.cache_model.model_validate_json(f.read())
        if head.version != CACHE_VERSION or (head.kind, head.key) != (kind.name, kind.key):
            return None
    except (OSError, ValueError):  # a ValidationError is a ValueError: wrong types, rebuilt
        return None
    return LineIndex(
        path=path,
        kind=kind,
        rows=head.entries,
        errors=[RecordError(p, n, reason) for p, n, reason in head.errors],
        size=head.size,
        mtime_ns=head.mtime_ns,
        ino=head.ino,
        lines=head.lines,
    )


def save_cache(index: LineIndex[Any], cache: Path) -> None:
    """Write the index next to the project's machine state; a failure only costs speed."""
    data = {
        "version": CACHE_VERSION,
        "kind": index.kind.name,
        "key": index.kind.key,
        "size": index.size,
        "mtime_ns": index.mtime_ns,
        "ino": index.ino,
        "lines": index.lines,
        "entries": index.rows,
        "errors": [[e.path, e.line, e.reason] for e in index.errors],
    }
    with contextlib.suppress(OSError):
        atomic_write(cache, [json.dumps(data, ensure_ascii=False).encode("utf-8")])


def stat_key(path: Path) -> tuple[int, int, int]:
    """``(size, mtime_ns, inode)`` of a file, zeros if it does not exist."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return (0, 0, 0)
    return (st.st_size, st.st_mtime_ns, st.st_ino)


__all__ = [
    "IndexEntry",
    "IndexKind",
    "LineIndex",
    "StaleIndexError",
    "Summarise",
    "build_index",
    "iter_lines",
    "save_cache",
    "stat_key",
]

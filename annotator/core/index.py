"""Line indexes of JSONL files, cached on disk, so a huge project opens without parsing it.

An index maps each record's id to an ``IndexEntry``: where its line is (``line``, ``offset``,
``length``) and a small typed summary of it (``IndexKind.summary``: a document's title and
hash, an annotation's status and label counts, ...). The cache in ``.annotator/cache/`` is
keyed by the file's size, time and inode and by the kind's ``key`` (for annotations, the
project's label list: a label removed from ``annotator.toml`` makes lines that use it errors,
so the summaries must be made again). A cache that cannot be read, or whose values have the
wrong types, is ignored and the file indexed again: a bad cache only costs time.

A *quick* index (``quick_index.quick_index``, decision 0046) is where each line is and its id,
found by scanning the bytes (``line_scan``) or read from its own small cache (``*.lines.json``,
keyed the same way, read and written here); its summaries are made when first asked for, one
line at a time (``LineIndex.lookup``). The window opens on one and has the full index built
behind it, in a worker.
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


class _CachedFile(BaseModel):
    """What every index cache holds first: the indexed file's identity and its failed lines."""

    # built when a cache is first read, not as the window starts (decision 0096); the
    # subclasses and each kind's model inherit it
    model_config = ConfigDict(extra="ignore", strict=True, defer_build=True)

    version: int
    kind: str
    key: str
    size: NonNegativeInt
    mtime_ns: int
    ino: NonNegativeInt
    lines: NonNegativeInt
    errors: list[tuple[str, NonNegativeInt, str]]


class _CacheFile(_CachedFile):
    """A full index's cache: the file's identity, the failed lines and the rows."""

    entries: dict[str, tuple[Any, ...]]


@dataclass
class LineIndex(Generic[S]):
    """The index of one JSONL file: typed entries by id, plus the lines that failed.

    Entries are kept as plain rows and made into ``IndexEntry`` records when read, so a
    100,000-line index loads from its cache without building 200,000 objects.

    ``complete`` False: a quick index, whose rows may hold no summary yet (None) and whose
    lines were not all validated; ``lookup`` validates a line when it is first asked for,
    and a line that fails then is added to ``errors`` and counts as absent.
    """

    path: Path
    kind: IndexKind[S]
    rows: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    errors: list[RecordError] = field(default_factory=list)
    size: int = 0
    mtime_ns: int = 0
    ino: int = 0
    lines: int = 0
    complete: bool = True
    failed: dict[str, RecordError] = field(default_factory=dict)
    """Rows of a quick index whose line failed when it was validated (``lookup``)."""

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self.rows

    def ids(self) -> list[str]:
        """Record ids in file order."""
        return list(self.rows)

    @property
    def stamp(self) -> tuple[int, int, int]:
        """``(size, mtime_ns, inode)`` of the file as indexed."""
        return (self.size, self.mtime_ns, self.ino)

    def lookup(self, record_id: str) -> S | None:
        """The summary of ``record_id``; None when absent or (quick index) its line fails.

        On a quick index a row without a summary has its line read and validated now, once.
        """
        row = self.rows.get(record_id)
        if row is None:
            return None
        if row[3] is None:
            if record_id in self.failed:
                return None
            line, offset, length, _ = row
            try:
                raw = self.read_raw_at(line, offset, length)
                rid, summary = self.kind.summarise(str(self.path), line, raw)
                if rid != record_id:
                    raise StaleIndexError(str(self.path), line, f"no longer holds {record_id!r}")
            except RecordError as err:
                self.failed[record_id] = err
                self.errors.append(err)
                return None
            row = IndexEntry(line, offset, length, summary)
            self.rows[record_id] = row
        return self.kind.make(row[3])

    def entry(self, record_id: str) -> IndexEntry[S] | None:
        """The entry of ``record_id``, or None (absent, or its line failed)."""
        summary = self.lookup(record_id)
        if summary is None:
            return None
        line, offset, length, _ = self.rows[record_id]
        return IndexEntry(line, offset, length, summary)

    def summary(self, record_id: str) -> S:
        """The summary of ``record_id`` (KeyError when absent or its line failed)."""
        summary = self.lookup(record_id)
        if summary is None:
            raise KeyError(record_id)
        return summary

    def items(self) -> Iterator[tuple[str, IndexEntry[S]]]:
        """``(id, entry)`` in file order (a quick index's lines that fail are left out)."""
        make = self.kind.make
        for record_id, (line, offset, length, summary) in list(self.rows.items()):
            if summary is None:
                entry = self.entry(record_id)
                if entry is not None:
                    yield record_id, entry
                continue
            yield record_id, IndexEntry(line, offset, length, make(summary))

    def read_raw(self, record_id: str) -> tuple[int, bytes]:
        """``(line number, raw bytes)`` of the line holding ``record_id``."""
        line, offset, length, _ = self.rows[record_id]
        return line, self.read_raw_at(line, offset, length)

    def read_raw_at(self, line: int, offset: int, length: int) -> bytes:
        """The ``length`` bytes at ``offset`` (line ``line``, for the error when short)."""
        with open(self.path, "rb") as f:
            f.seek(offset)
            raw = f.read(length)
        if len(raw) != length:
            raise StaleIndexError(str(self.path), line, "the file changed while it was read")
        return raw

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


class IndexStopped(Exception):
    """``build_index`` was asked to stop (its ``stop`` said so): nothing was written."""


STOP_EVERY = 1024  # lines between two calls of ``build_index``'s ``stop``


def build_index(
    path: Path,
    kind: IndexKind[S],
    cache: Path | None,
    use_cache: bool = True,
    stop: Callable[[], bool] | None = None,
) -> LineIndex[S]:
    """Index ``path``, reusing ``cache`` when the file has not changed or only grew.

    With ``use_cache`` False the file is indexed afresh (and the cache written again).
    Raises AnnotatorError when ``path`` exists but is not a regular file (a folder), and
    IndexStopped when ``stop()``, asked every ``STOP_EVERY`` lines, says to stop.
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
        if same_file and cached.size < st.st_size and ends_line(path, cached.size):
            index = cached  # appended to since: index the new tail
            start_offset, start_line = cached.size, cached.lines
    str_path = str(path)
    with open(path, "rb") as f:
        f.seek(start_offset)
        offset, lineno = start_offset, start_line
        for raw in f:
            lineno += 1
            if stop is not None and lineno % STOP_EVERY == 0 and stop():
                raise IndexStopped(str(path))
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


def lines_cache(cache: Path) -> Path:
    """The quick index's cache beside the full index's (``x.idx.json`` -> ``x.lines.json``)."""
    return cache.with_name(cache.name.removesuffix(".idx.json") + ".lines.json")


class _LinesFile(_CachedFile):
    """A quick index's cache: the file's identity, the failed lines, and columns of rows."""

    ids: list[str]
    line: list[NonNegativeInt]
    offset: list[NonNegativeInt]
    length: list[NonNegativeInt]


def load_lines(cache: Path, path: Path, kind: IndexKind[S]) -> LineIndex[S] | None:
    try:
        with open(cache, "rb") as f:
            head = _LinesFile.model_validate_json(f.read())
    except (OSError, ValueError):
        return None
    columns = (head.ids, head.line, head.offset, head.length)
    if head.version != CACHE_VERSION or (head.kind, head.key) != (kind.name, kind.key):
        return None
    if len({len(c) for c in columns}) != 1:
        return None
    rows: dict[str, tuple[Any, ...]] = {
        rid: (line, offset, length, None)
        for rid, line, offset, length in zip(*columns, strict=True)
    }
    if len(rows) != len(head.ids):  # an id twice: not a cache this code wrote
        return None
    return LineIndex(
        path=path,
        kind=kind,
        rows=rows,
        errors=[RecordError(p, n, reason) for p, n, reason in head.errors],
        size=head.size,
        mtime_ns=head.mtime_ns,
        ino=head.ino,
        lines=head.lines,
        complete=False,
    )


def save_lines(index: LineIndex[Any], cache: Path) -> None:
    rows = index.rows.values()
    data = {
        "version": CACHE_VERSION,
        "kind": index.kind.name,
        "key": index.kind.key,
        "size": index.size,
        "mtime_ns": index.mtime_ns,
        "ino": index.ino,
        "lines": index.lines,
        "errors": [[e.path, e.line, e.reason] for e in index.errors if not _late(index, e)],
        "ids": list(index.rows),
        "line": [row[0] for row in rows],
        "offset": [row[1] for row in rows],
        "length": [row[2] for row in rows],
    }
    with contextlib.suppress(OSError):
        atomic_write(cache, [json.dumps(data, ensure_ascii=False).encode("utf-8")])


def _late(index: LineIndex[Any], error: RecordError) -> bool:
    """An error found by ``lookup`` (its row is still in the quick index's rows)."""
    return any(e is error for e in index.failed.values())


def ends_line(path: Path, size: int) -> bool:
    """True when the first ``size`` bytes of ``path`` end with a newline (or are none)."""
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
    """Write the index next to the project's machine state; a failure only costs speed.

    A quick index writes its lines cache only (its summaries are not all made)."""
    save_lines(index, lines_cache(cache))
    if not index.complete:
        return
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
    "IndexStopped",
    "LineIndex",
    "StaleIndexError",
    "Summarise",
    "build_index",
    "ends_line",
    "iter_lines",
    "lines_cache",
    "load_lines",
    "save_cache",
    "save_lines",
    "stat_key",
]

"""Line indexes of JSONL files, cached on disk, so a huge project opens without parsing it."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import RecordError
from annotator.core.jsonl import atomic_write, iter_lines

CACHE_VERSION = 1


@dataclass
class LineIndex:
    """Where each record's line is, plus a small summary of it, for one JSONL file.

    ``entries`` maps a record id to ``[lineno, offset, length, summary]``; ``errors`` holds
    the lines that failed (they stay in the file untouched until someone fixes them).
    """

    path: Path
    entries: dict[str, list[Any]] = field(default_factory=dict)
    errors: list[RecordError] = field(default_factory=list)
    size: int = 0
    mtime_ns: int = 0
    ino: int = 0
    lines: int = 0

    def summary(self, record_id: str) -> Any:
        """The summary stored for ``record_id`` (KeyError when absent)."""
        return self.entries[record_id][3]

    def read_raw(self, record_id: str) -> tuple[int, bytes]:
        """``(lineno, raw bytes)`` of the line holding ``record_id``."""
        lineno, offset, length, _ = self.entries[record_id]
        with open(self.path, "rb") as f:
            f.seek(offset)
            return lineno, f.read(length)


Summarise = Callable[[str, int, bytes], tuple[str, Any]]
"""Validate a raw line and return ``(id, summary)``, or raise RecordError."""


def build_index(path: Path, summarise: Summarise, cache: Path | None) -> LineIndex:
    """Index ``path``, reusing ``cache`` when the file has not changed or only grew."""
    index = LineIndex(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        return index
    start_offset, start_line = 0, 0
    if cache is not None:
        cached = _load_cache(cache)
        if cached is not None and cached.get("version") == CACHE_VERSION:
            # the inode tells a replaced file from the one cached even when a rewrite lands
            # in the same clock tick with the same size
            same_file = cached.get("ino") == st.st_ino
            if same_file and (cached["size"], cached["mtime_ns"]) == (st.st_size, st.st_mtime_ns):
                return _from_cache(path, cached)
            if same_file and cached["size"] < st.st_size and _ends_line(path, cached["size"]):
                index = _from_cache(path, cached)  # appended to since: index the new tail
                start_offset, start_line = cached["size"], cached["lines"]
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
                    rid, summary = summarise(str_path, lineno, line)
                    if rid in index.entries:
                        first = index.entries[rid][0]
                        raise RecordError(
                            str_path, lineno, f"duplicate id {rid!r} (first on line {first})"
                        )
                    index.entries[rid] = [lineno, offset, len(line), summary]
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


def _load_cache(cache: Path) -> dict[str, Any] | None:
    try:
        with open(cache, "rb") as f:
            value = json.load(f)
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _from_cache(path: Path, cached: dict[str, Any]) -> LineIndex:
    return LineIndex(
        path=path,
        entries=cached["entries"],
        errors=[RecordError(*e) for e in cached["errors"]],
        size=cached["size"],
        mtime_ns=cached["mtime_ns"],
        ino=cached.get("ino", 0),
        lines=cached["lines"],
    )


def save_cache(index: LineIndex, cache: Path) -> None:
    """Write the index next to the project's machine state; a failure only costs speed."""
    data = {
        "version": CACHE_VERSION,
        "size": index.size,
        "mtime_ns": index.mtime_ns,
        "ino": index.ino,
        "lines": index.lines,
        "entries": index.entries,
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


__all__ = ["LineIndex", "Summarise", "build_index", "iter_lines", "save_cache", "stat_key"]

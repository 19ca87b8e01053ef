"""Finding each record's id in a JSONL file by scanning its bytes, without parsing the records.

A project's files are written by ``jsonl.dumps`` with ``id`` as the first key, so nearly every
line starts ``{"id":"`` and its id runs to the next quote. For such a line the scan takes the
id from the bytes and leaves the record unparsed: a 100,000-line, 300 MB file is scanned at
about the speed it is read. A line the quick test does not fit (another key first, an escape
or a control character in the id, bytes that are not UTF-8, a line that does not end with
``}``, as a truncated last line does) is parsed and validated whole by the index kind's
``summarise``, so its id, or its ``path:line: reason``, is the one a full index gives.

What the scan does not check is whether a quickly-read line is a valid record; the full index
(``index.build_index``) checks every line, and a line read from a quick index is validated when
it is read (``index.LineIndex.lookup``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from annotator.core.errors import RecordError

BLOCK = 1 << 23  # bytes read at a time: memory stays flat whatever the file's size
_QUICK = re.compile(rb'\{"id":"([^"\\\x00-\x1f]+)"')
"""A line's start with a plain id: no quote, escape or control character in it."""


class ScannedLine(NamedTuple):
    """One line: where it is, and its id (``summary`` None: not parsed) or error; a blank
    line has neither."""

    line: int
    offset: int
    length: int
    """Bytes of the line without its line ending."""
    record_id: str | None
    summary: Any
    error: RecordError | None


def quick_id(line: bytes) -> str | None:
    """The id of a line that starts ``{"id":"<plain id>"`` and ends ``}``; None otherwise
    (the line must be parsed to know its id, or that it has none)."""
    found = _QUICK.match(line)
    if found is None or not line.endswith(b"}"):
        return None
    try:
        return found.group(1).decode("utf-8")
    except UnicodeDecodeError:
        return None


def scan_lines(
    path: Path,
    summarise: Callable[[str, int, bytes], tuple[str, Any]],
    start_offset: int = 0,
    start_line: int = 0,
) -> Iterator[ScannedLine]:
    """Every line of ``path`` from ``start_offset`` (which is line ``start_line`` + 1's
    start), with its id read quickly where it can be and parsed where it cannot.

    Line endings are ``\\n``; a ``\\r`` before it (and any run of them) is not part of the
    line, as in ``jsonl.iter_lines``. A last line without a newline is a line.
    """
    str_path = str(path)
    lineno, offset = start_line, start_offset
    quick = _QUICK.match
    # quick_id, inline and on the block read, without copying the line: this loop runs once
    # per line of a 100,000-line file
    for block, first, newline in _line_spans(path, start_offset):
        lineno += 1
        end = newline
        while end > first and block[end - 1] == 13:  # "\r"
            end -= 1
        record_id: str | None = None
        found = quick(block, first, end)
        if found is not None and block[end - 1] == 125:  # "}"
            try:
                record_id = found.group(1).decode("utf-8")
            except UnicodeDecodeError:
                record_id = None  # parsed below, and refused there
        if record_id is not None:
            yield ScannedLine(lineno, offset, end - first, record_id, None, None)
        else:
            line = block[first:end]
            if not line.strip():
                yield ScannedLine(lineno, offset, end - first, None, None, None)
            else:
                try:
                    record_id, summary = summarise(str_path, lineno, line)
                except RecordError as err:
                    yield ScannedLine(lineno, offset, end - first, None, None, err)
                else:
                    yield ScannedLine(lineno, offset, end - first, record_id, summary, None)
        offset += newline - first + 1  # one too many after a last line without a newline


def _line_spans(path: Path, start: int) -> Iterator[tuple[bytes, int, int]]:
    """``(buffer, first, newline)`` for each line of ``path`` from byte ``start``: the line
    is ``buffer[first:newline]``, without its newline. Read in blocks; a line that runs past a
    block is joined from its pieces. A file that ends with a newline has no line after it."""
    with open(path, "rb") as f:
        f.seek(start)
        pieces: list[bytes] = []  # the start of a line that runs past the blocks read so far
        while True:
            block = f.read(BLOCK)
            if not block:
                if pieces:
                    joined = b"".join(pieces)
                    yield joined, 0, len(joined)
                return
            find = block.find
            newline = find(b"\n")
            if newline < 0:
                pieces.append(block)
                continue
            pos = 0
            if pieces:
                pieces.append(block[:newline])
                joined = b"".join(pieces)
                pieces = []
                yield joined, 0, len(joined)
                pos = newline + 1
                newline = find(b"\n", pos)
            while newline >= 0:
                yield block, pos, newline
                pos = newline + 1
                newline = find(b"\n", pos)
            if pos < len(block):
                pieces.append(block[pos:])


__all__ = ["BLOCK", "ScannedLine", "quick_id", "scan_lines"]

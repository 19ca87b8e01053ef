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
PREFIX = b'{"id":"'
_NOT_PLAIN = re.compile(rb'[\x00-\x1f\\"]')  # what a plain JSON string's bytes never hold


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
    if not line.startswith(PREFIX) or not line.endswith(b"}"):
        return None
    end = line.find(b'"', len(PREFIX))
    if end <= len(PREFIX):
        return None
    raw = line[len(PREFIX) : end]
    if _NOT_PLAIN.search(raw):  # an escape (\" \u00e9 \\) or a raw control character
        return None
    try:
        return raw.decode("utf-8")
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
    plain = _NOT_PLAIN.search
    start = len(PREFIX)
    for raw in _raw_lines(path, start_offset):
        lineno += 1
        size = len(raw) + 1  # its newline (one too many for a last line without one)
        line = raw.rstrip(b"\r") if raw.endswith(b"\r") else raw
        record_id: str | None = None
        # quick_id, inline: this loop runs once per line of a 100,000-line file
        if line.startswith(PREFIX) and line.endswith(b"}"):
            end = line.find(b'"', start)
            if end > start and not plain(line, start, end):
                try:
                    record_id = line[start:end].decode("utf-8")
                except UnicodeDecodeError:
                    record_id = None  # parsed below, and refused there
        if record_id is not None:
            yield ScannedLine(lineno, offset, len(line), record_id, None, None)
        elif not line.strip():
            yield ScannedLine(lineno, offset, len(line), None, None, None)
        else:
            try:
                record_id, summary = summarise(str_path, lineno, line)
            except RecordError as err:
                yield ScannedLine(lineno, offset, len(line), None, None, err)
            else:
                yield ScannedLine(lineno, offset, len(line), record_id, summary, None)
        offset += size


def _raw_lines(path: Path, start: int) -> Iterator[bytes]:
    """The lines of ``path`` from byte ``start``, without their newline, read in blocks: a
    line longer than a block is joined from its pieces. A file that ends with a newline has
    no line after it."""
    with open(path, "rb") as f:
        f.seek(start)
        pieces: list[bytes] = []  # the start of a line that runs past the blocks read so far
        while True:
            block = f.read(BLOCK)
            if not block:
                if pieces:
                    yield b"".join(pieces)
                return
            lines = block.split(b"\n")
            if len(lines) == 1:
                pieces.append(block)
                continue
            if pieces:
                pieces.append(lines[0])
                lines[0] = b"".join(pieces)
            tail = lines.pop()  # b"" when the block ends with a newline
            pieces = [tail] if tail else []
            yield from lines


__all__ = ["BLOCK", "ScannedLine", "quick_id", "scan_lines"]

"""Reading input files safely: bounded lines, UTF-8 checks, JSON values with line numbers.

Nothing here holds more than one record in memory (except ``iter_json_values``, which needs the
whole file as one string, as a JSON array export is one value). A line longer than
``MAX_RECORD_BYTES`` is skipped by reading past it in blocks, never stored, so a 50 MB line
costs one pass over its bytes and a few blocks of memory.
"""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from annotator.core.errors import RecordError
from annotator.core.jsonl import UnstorableAt, decode_line, raw_decode

MAX_RECORD_BYTES = 10_000_000
"""The largest record (one JSONL line, one txt file, one JSON task) an import accepts.

A news article is a few kilobytes; ten megabytes is thousands of articles. Anything larger is
almost surely a file of the wrong kind, and would make the window crawl if it were imported.
"""

_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class RawLine:
    """One line of a file: its number, its bytes (``None`` when too long) and where it ends."""

    lineno: int
    data: bytes | None
    size: int
    end: int


def megabytes(size: int) -> str:
    """``52.4 MB``: a size for a message."""
    return f"{size / 1_000_000:.1f} MB"


def too_long(size: int) -> str:
    """The reason given for a record over the limit."""
    return (
        f"the record is {megabytes(size)}, more than the {megabytes(MAX_RECORD_BYTES)} "
        "one record may have; skipped"
    )


def iter_raw_lines(f: IO[bytes], limit: int = MAX_RECORD_BYTES) -> Iterator[RawLine]:
    """Yield every line of ``f`` without its line ending; lines over ``limit`` have no data."""
    lineno, pos = 0, 0
    while True:
        raw = f.readline(limit + 2)
        if not raw:
            return
        lineno += 1
        size = len(raw)
        if not raw.endswith(b"\n") and size > limit:
            while True:  # read past the rest of the line in blocks, keeping none of it
                more = f.readline(_BLOCK)
                size += len(more)
                if not more or more.endswith(b"\n"):
                    break
        pos += size
        if size > limit + 2:
            yield RawLine(lineno, None, size, pos)
        else:
            yield RawLine(lineno, raw.rstrip(b"\r\n"), size, pos)


def iter_jsonl(path: Path, display: str) -> Iterator[tuple[int, int, dict[str, Any]] | RecordError]:
    """Yield ``(line, end offset, object)`` per non-blank line, or a RecordError for a bad one.

    An empty file, or one of blank lines only, is one error on line 1.
    """
    seen = False
    with open_utf8(path, display) as f:
        lines = iter_raw_lines(f)
        while True:
            try:
                line = next(lines, None)
            except RecordError as err:  # broken UTF-16: the file ends here
                yield err
                return
            if line is None:
                break
            if line.data is None:
                seen = True
                yield RecordError(display, line.lineno, too_long(line.size))
                continue
            if not line.data.strip():
                continue
            seen = True
            try:
                yield line.lineno, line.end, decode_line(display, line.lineno, line.data)
            except RecordError as err:
                yield err
    if not seen:
        yield RecordError(display, 1, "the file is empty")


_SNIFF = 1 << 16


def utf16_kind(head: bytes) -> str | None:
    """``utf-16`` (a BOM), ``utf-16-le`` or ``-be`` (no BOM, told by its NULs), else None.

    Text in a Latin script saved as UTF-16 without a byte-order mark has a NUL in every other
    byte: the high byte of each ASCII character. UTF-8 text has no NUL at all.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even = head[0 : 2 * pairs : 2].count(0)
    odd = head[1 : 2 * pairs : 2].count(0)
    if odd >= 0.3 * pairs and even <= odd // 20:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= even // 20:
        return "utf-16-be"
    return None


def encoding_of(path: Path) -> str | None:
    """The UTF-16 variant a file is in (see ``utf16_kind``), or None for UTF-8."""
    with open(path, "rb") as f:
        return utf16_kind(f.read(_SNIFF))


class _Recoded(io.RawIOBase):
    """A UTF-16 file read as UTF-8 bytes, so line readers need to know one encoding only."""

    def __init__(self, f: IO[bytes], encoding: str, display: str) -> None:
        self.f = f
        self.display = display
        self.decoder = codecs.getincrementaldecoder(encoding)()
        self.pending = b""
        self.done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending and not self.done:
            block = self.f.read(_BLOCK)
            self.done = not block
            try:
                text = self.decoder.decode(block, final=self.done)
            except UnicodeDecodeError as exc:
                raise RecordError(
                    self.display, 1, f"not valid UTF-16 ({exc.reason}); save it as UTF-8"
                ) from None
            self.pending = text.encode("utf-8", "surrogatepass")
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n

    def close(self) -> None:
        self.f.close()
        super().close()


def open_utf8(path: Path, display: str) -> IO[bytes]:
    """``path`` opened for reading as UTF-8 bytes: as it is, or recoded from UTF-16.

    A recoded file's read raises RecordError if its UTF-16 is broken.
    """
    kind = encoding_of(path)
    f = open(path, "rb")  # noqa: SIM115 - the caller closes it
    if kind is None:
        return f
    return io.BufferedReader(_Recoded(f, kind, display), _BLOCK)


def decode_text(display: str, raw: bytes) -> str:
    """Decode a whole text file: UTF-8 (a BOM allowed), or UTF-16 with or without a BOM.

    Raises RecordError naming the line of the first byte that is not UTF-8, or saying the
    file holds NUL bytes (no text file does).
    """
    kind = utf16_kind(raw[:_SNIFF])
    if kind is not None:
        try:
            text = raw.decode(kind)
        except UnicodeDecodeError as exc:
            what = "UTF-16" if kind == "utf-16" else f"UTF-16 (no byte-order mark, read as {kind})"
            raise RecordError(display, 1, f"not valid {what}: byte {exc.start}") from None
        if "\x00" not in text:
            return text
        raw = text.encode("utf-8")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            raise RecordError(
                display, line, f"not UTF-8 (byte {exc.start}, column {column}); save it as UTF-8"
            ) from None
        if "\x00" not in text:
            return text
    nul = raw.index(b"\x00")
    raise RecordError(
        display,
        raw.count(b"\n", 0, nul) + 1,
        f"holds a NUL byte (byte {nul}): not a text file",
    )


def read_text_file(path: Path, display: str) -> str:
    """The decoded content of a text file, refusing one over the record limit."""
    with open(path, "rb") as f:
        raw = f.read(MAX_RECORD_BYTES + 1)
        if len(raw) > MAX_RECORD_BYTES:
            f.seek(0, 2)
            raise RecordError(display, 1, too_long(f.tell()))
    return decode_text(display, raw)


def iter_json_values(path: Path, display: str) -> Iterator[tuple[int, int, Any] | RecordError]:
    """Yield ``(line, end offset, value)`` for each element of a JSON array file.

    Also reads a file holding one object, or objects one after another (JSON Lines). The file
    is read in blocks and each value decoded as soon as it is whole, so memory holds one
    value at a time, whatever the size of the export. Each value's line is where it starts.
    A syntax error ends the file: the values before it are still yielded, then one error.
    """
    reader = _JsonStream(path, display)
    yield from reader.values()


class _JsonStream:
    """The elements of a JSON array (or a run of JSON values), decoded block by block."""

    def __init__(self, path: Path, display: str) -> None:
        self.path = path
        self.display = display
        self.buf = ""
        self.i = 0  # position in buf
        self.line = 1  # line number at buf[mark]
        self.mark = 0
        self.pos = 0  # bytes read from the file
        self.eof = False
        self.f: IO[bytes] | None = None
        self.decoder = codecs.getincrementaldecoder("utf-8")()

    def _more(self) -> None:
        """Read the next block, dropping the part of the buffer already used."""
        assert self.f is not None
        self.line = self._line_at(self.i)
        self.buf = self.buf[self.i :]
        self.i = self.mark = 0
        block = self.f.read(_BLOCK)
        self.pos += len(block)
        if not block:
            self.eof = True
        try:
            self.buf += self.decoder.decode(block, final=not block)
        except UnicodeDecodeError as exc:
            raise RecordError(
                self.display,
                self._line_at(len(self.buf)) + block.count(b"\n", 0, exc.start),
                f"not UTF-8 (byte {self.pos - len(block) + exc.start})",
            ) from None

    def _line_at(self, i: int) -> int:
        """Line number of ``buf[i]``; positions asked for only move forward."""
        if i >= self.mark:
            self.line += self.buf.count("\n", self.mark, i)
            self.mark = i
            return self.line
        return self.line - self.buf.count("\n", i, self.mark)

    def _skip(self) -> str:
        """Skip whitespace (reading on as needed); the next character, '' at the end."""
        while True:
            self.i = _skip_ws(self.buf, self.i)
            if self.i < len(self.buf) or self.eof:
                return self.buf[self.i] if self.i < len(self.buf) else ""
            self._more()

    def values(self) -> Iterator[tuple[int, int, Any] | RecordError]:
        with open_utf8(self.path, self.display) as self.f:
            try:
                yield from self._values()
            except RecordError as err:
                yield err

    def _values(self) -> Iterator[tuple[int, int, Any] | RecordError]:
        first = self._skip()
        if first == "\ufeff":
            self.i += 1
            first = self._skip()
        if not first:
            raise RecordError(self.display, 1, "the file is empty")
        in_array = first == "["
        if in_array:
            self.i += 1
        while True:
            c = self._skip()
            if not c:
                if in_array:
                    raise RecordError(
                        self.display, self._line_at(self.i), "invalid JSON: the array is not closed"
                    )
                return
            if in_array and c == "]":
                self.i += 1
                if self._skip():
                    raise RecordError(
                        self.display,
                        self._line_at(self.i),
                        "invalid JSON: extra data after the array",
                    )
                return
            value, start_line, unstorable = self._decode()
            if unstorable is None:
                yield start_line, self.pos, value
            else:  # a value that parses but cannot be stored: this one only is refused
                yield RecordError(self.display, start_line, unstorable)
            if in_array:
                c = self._skip()
                if c == ",":
                    self.i += 1
                elif c != "]":
                    raise RecordError(
                        self.display,
                        self._line_at(self.i),
                        "invalid JSON: expected ',' or ']' after a value",
                    )

    def _error(self, reason: str) -> RecordError:
        return RecordError(self.display, self._line_at(self.i), f"invalid JSON: {reason}")

    def _decode(self) -> tuple[Any, int, str | None]:
        """The next value, the line it starts on, and why it cannot be stored (or None)."""
        while True:
            unstorable = None
            try:
                value, end = raw_decode(self.buf, self.i)
            except UnstorableAt as exc:
                value, end, unstorable = None, exc.end, str(exc)
            except json.JSONDecodeError as exc:
                # cut short by the end of the buffer, more may mend it; else it is a real error
                near_end = exc.pos >= len(self.buf) - 1 or exc.msg.startswith("Unterminated")
                if self.eof or not near_end:
                    raise RecordError(
                        self.display,
                        self._line_at(exc.pos),
                        # the line is right, but a column would count from the block read
                        f"invalid JSON: {exc.msg.removesuffix(' starting at')}; the rest of the "
                        "file was not read",
                    ) from None
                if len(self.buf) - self.i > MAX_RECORD_BYTES:
                    raise RecordError(
                        self.display,
                        self._line_at(self.i),
                        too_long(len(self.buf) - self.i) + "; the rest of the file was not read",
                    ) from None
                self._more()
                continue
            except RecursionError:
                raise RecordError(
                    self.display, self._line_at(self.i), "invalid JSON: nested too deeply"
                ) from None
            if end == len(self.buf) and not self.eof:
                self._more()  # a number may go on in the next block
                continue
            start_line = self._line_at(self.i)
            self.i = end
            return value, start_line, unstorable


def _skip_ws(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i] in " \t\r\n":
        i += 1
    return i

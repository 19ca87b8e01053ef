"""The journal: one annotator's edits, appended and fsynced before anything shows them saved.

``.annotator/<name>.journal`` holds one JSON line per edit: the document's whole new state
(spans as ``[start, end, label]``, status, seconds, time stamp, meta, and the text only when
neither ``documents.jsonl`` nor the saved record holds it, found by its SHA-256), or the
*tombstone* ``{"id": ..., "untouched": true}`` when an undo took the document back to
untouched. Replaying a line twice changes nothing (decision 0001).

A line that cannot be applied when it is replayed (the document's text changed, a label was
removed from ``annotator.toml``, the line is damaged) is never dropped: it is moved, byte for
byte, to ``.annotator/<name>.unapplied`` before the journal is emptied, ``validate`` names it,
and it stays there until a person decides with ``annotator journal`` (decision 0061).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError, RecordError
from annotator.core.jsonl import decode_line, dumps
from annotator.core.model import Annotation, Span
from annotator.core.span_ops import changed_run

UNTOUCHED = "untouched"
"""The tombstone's key: ``{"id": "d1", "untouched": true}``."""

TextFor = Callable[[str, str], str | None]
"""``text_for(doc_id, sha256)``: the text with that hash, where the project holds it."""
Parse = Callable[[str, int, dict[str, Any]], Annotation]
"""Validate a record (as read from a line) into an Annotation, or raise RecordError."""


def encode(doc_id: str, state: Annotation | None, text_known: bool) -> bytes:
    """The journal line (with its newline) for ``doc_id`` now being ``state``."""
    return (dumps(entry(doc_id, state, text_known)) + "\n").encode("utf-8")


def entry(doc_id: str, state: Annotation | None, text_known: bool) -> dict[str, Any]:
    """The journal record for ``doc_id`` now being ``state`` (None: back to untouched); the
    text only where the reader cannot know it (``text_known`` False)."""
    if state is None:
        return {"id": doc_id, UNTOUCHED: True}
    record: dict[str, Any] = {
        "id": state.id,
        "text_sha256": state.text_sha256,
        "spans": [[s.start, s.end, s.label] for s in state.spans],
        "status": state.status,
        "seconds": state.seconds,
        "updated_at": state.updated_at,
        "meta": state.meta,
    }
    if not text_known:
        record["text"] = state.text
    return record


class LineEncoder:
    """``encode``, byte for byte, reusing the encoded spans of each document's last line.

    A label key on a 5,000-span document changes one span, and the line holds all of them:
    encoding it whole took 3-6 ms of the interpreter, taken from the window's paint while the
    journal's thread did it. This keeps the last line's span pieces (``[s,e,"LABEL"]``) of the
    few documents written last and encodes only the run of spans that changed (found by
    identity: unchanged spans are the same objects). Safe to call from any thread.
    """

    KEEP = 4  # documents whose pieces are kept (the open one, and a few left behind)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[str, tuple[tuple[Span, ...], list[bytes]]] = {}
        self._labels: dict[str, bytes] = {}

    def encode(self, doc_id: str, state: Annotation | None, text_known: bool) -> bytes:
        """The journal line of ``encode(doc_id, state, text_known)``."""
        if state is None:
            with self._lock:
                self._last.pop(doc_id, None)
            return encode(doc_id, state, text_known)
        spans = state.spans
        with self._lock:
            last = self._last.pop(doc_id, None)
            pieces = self._pieces(spans, last)
            self._last[doc_id] = (spans, pieces)
            while len(self._last) > self.KEEP:
                del self._last[next(iter(self._last))]
        head = dumps({"id": state.id, "text_sha256": state.text_sha256})
        rest: dict[str, Any] = {
            "status": state.status,
            "seconds": state.seconds,
            "updated_at": state.updated_at,
            "meta": state.meta,
        }
        if not text_known:
            rest["text"] = state.text
        return b"".join(
            (
                head[:-1].encode("utf-8"),
                b',"spans":[',
                b",".join(pieces),
                b"],",
                dumps(rest)[1:].encode("utf-8"),
                b"\n",
            )
        )

    def _pieces(
        self, spans: tuple[Span, ...], last: tuple[tuple[Span, ...], list[bytes]] | None
    ) -> list[bytes]:
        if last is None:
            return [self._piece(s) for s in spans]
        old, old_pieces = last
        head, tail = changed_run(old, spans)
        middle = [self._piece(s) for s in spans[head : len(spans) - tail]]
        return [*old_pieces[:head], *middle, *old_pieces[len(old) - tail :]]

    def _piece(self, span: Span) -> bytes:
        label = self._labels.get(span.label)
        if label is None:
            label = self._labels[span.label] = dumps({"": span.label})[4:-1].encode("utf-8")
        return b"[%d,%d,%s]" % (span.start, span.end, label)


@dataclass(frozen=True)
class Unapplied:
    """A journal line that could not be applied: where it was, its bytes, and why."""

    path: str
    line: int
    raw: bytes
    reason: str

    @property
    def doc_id(self) -> str | None:
        """The document the line is about, when it can be read at all."""
        with contextlib.suppress(RecordError):
            value = decode_line(self.path, self.line, self.raw).get("id")
            return value if isinstance(value, str) else None
        return None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


def decode(
    path: str, lineno: int, raw: bytes, annotator: str, text_for: TextFor, parse: Parse
) -> tuple[str, Annotation | None]:
    """``(doc_id, state)`` of one journal line (state None: the tombstone); raises RecordError."""
    entry = decode_line(path, lineno, raw)
    try:
        doc_id = entry["id"]
        if not isinstance(doc_id, str):
            raise TypeError("id is not a string")
        if entry.get(UNTOUCHED) is True:
            return doc_id, None
        text = entry.get("text") or text_for(doc_id, entry["text_sha256"])
        if text is None:
            raise RecordError(
                path, lineno, f"the text of {doc_id!r} it was made on is no longer in the project"
            )
        record = {
            "id": doc_id,
            "text": text,
            "spans": [
                {"start": s, "end": e, "label": lab, "text": text[s:e]}
                for s, e, lab in entry["spans"]
            ],
            "status": entry["status"],
            "annotator": annotator,
            "text_sha256": entry["text_sha256"],
            "updated_at": entry["updated_at"],
            "seconds": entry["seconds"],
            "meta": entry.get("meta", {}),
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise RecordError(path, lineno, f"not a journal entry ({exc})") from None
    return doc_id, parse(path, lineno, record)


def read_lines(path: Path, repair: bool) -> list[tuple[int, bytes]]:
    """The complete lines of a journal, numbered; an unterminated last line (an append cut
    short by a crash, never acknowledged) is left out, and cut off when ``repair``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    if not raw:
        return []
    complete, _, torn = raw.rpartition(b"\n")
    if torn and repair:
        with open(path, "r+b") as f:
            f.truncate(len(complete) + 1 if complete else 0)
    lines = complete.split(b"\n") if complete else []
    return [(n, line) for n, line in enumerate(lines, 1) if line.strip()]


def append(fd: int, data: bytes, since: int | None = None) -> None:
    """Append ``data`` to the journal and fsync; on failure cut it back (no torn line) to
    where it began, or to ``since``: where lines written before (``write``) and fsynced with
    it began."""
    pos = os.lseek(fd, 0, os.SEEK_END) if since is None else since
    try:
        _write_all(fd, data)
        os.fsync(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, pos)
        raise AnnotatorError(f"could not save the edit: {exc.strerror or exc}") from exc


def write(fd: int, data: bytes) -> int:
    """Append ``data`` to the journal without an fsync (``append`` makes it durable); where
    it began. On failure it is cut back (no torn line) and AnnotatorError raised."""
    pos = os.lseek(fd, 0, os.SEEK_END)
    try:
        _write_all(fd, data)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, pos)
        raise AnnotatorError(f"could not save the edit: {exc.strerror or exc}") from exc
    return pos


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def set_aside(path: Path, lines: Iterable[bytes]) -> None:
    """Append the lines not already in ``path`` (the unapplied file) and fsync it."""
    try:
        have = set(path.read_bytes().split(b"\n"))
    except FileNotFoundError:
        have = set()
    new = [line for line in dict.fromkeys(lines) if line not in have]
    if not new:
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
    try:
        append(fd, b"".join(line + b"\n" for line in new))
    finally:
        os.close(fd)


def read_unapplied(
    path: Path, annotator: str, text_for: TextFor, parse: Parse
) -> list[tuple[Unapplied, tuple[str, Annotation | None] | None]]:
    """Each line set aside in ``path``, with its state when it would apply now (else None)."""
    out: list[tuple[Unapplied, tuple[str, Annotation | None] | None]] = []
    for lineno, raw in read_lines(path, repair=False):
        try:
            state = decode(str(path), lineno, raw, annotator, text_for, parse)
        except RecordError as err:
            out.append((Unapplied(str(path), lineno, raw, err.reason), None))
        else:
            out.append((Unapplied(str(path), lineno, raw, "applies now"), state))
    return out

"""The desktop's outbox: a server project's edits, journaled here before anything else.

A server project keeps, per annotator, a folder on the desktop (``open_pg_project``'s
``cache_dir``) with:

- ``<name>.outbox``: one JSON line per edit, appended and fsynced before ``commit`` returns,
  exactly like a folder's journal (decision 0001): the journal entry (the document's whole new
  state, or the tombstone ``{"id", "untouched": true}``) plus the edit's number ``seq``, the
  server revision it was made on ``base`` and the desktop's previous edit of the document
  ``prev`` (decision 0080). A kill -9 loses nothing that was acknowledged.
- ``<name>.client.json``: the desktop's ``client_id`` (made once) and ``acked``, the number of
  the last edit the server confirmed when the outbox was last emptied. Written atomically
  before the outbox is emptied, so numbers are never reused.
- ``<name>.lock`` / ``<name>.owner``: one writer per annotator on this desktop.
- ``<name>.unapplied``: lines that cannot be read back any more, kept byte for byte.
- ``<name>.confirmed``: the last confirmed state of each document edited here, for a server
  restored from an older backup (``restored.py``, decision 0122).

Nothing here speaks to the server: ``sender.py`` sends the lines in order, the server applies
each exactly once (``apply_edit``), and ``PgSession.save`` empties the outbox once every line
is confirmed.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core import journal
from annotator.core.errors import AnnotatorError, RecordError
from annotator.core.journal import Parse, TextFor, Unapplied
from annotator.core.jsonl import atomic_write, dumps
from annotator.core.model import Annotation

FILE_MODE = 0o666


@dataclass(frozen=True)
class Outgoing:
    """One edit on its way to the server: its number, document, base, predecessor and state."""

    seq: int
    doc_id: str
    base: int
    prev: int | None
    state: Annotation | None  # None: back to untouched

    def line(self) -> bytes:
        """The outbox line, newline included."""
        entry: dict[str, Any] = {"seq": self.seq, "base": self.base, "prev": self.prev}
        entry.update(journal.entry(self.doc_id, self.state, True))
        return (dumps(entry) + "\n").encode("utf-8")

    def record(self) -> dict[str, Any]:
        """What the server stores: every field of the JSONL line but the text, id and name."""
        if self.state is None:
            return {journal.UNTOUCHED: True}
        return self.state.model_dump(mode="json", exclude={"text", "id", "annotator"})


class Outbox:
    """One annotator's outbox files in the desktop's folder for a server project."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.name = name
        self.path = folder / f"{name}.outbox"
        self.meta_path = folder / f"{name}.client.json"
        self.unapplied_path = folder / f"{name}.unapplied"
        self._fd: int | None = None

    # -- the desktop's identity and how far the server has confirmed ----------------------

    def meta(self) -> tuple[uuid.UUID | None, int]:
        """``(client_id, acked)``; ``(None, 0)`` before the first edit."""
        try:
            data = json.loads(self.meta_path.read_text("utf-8"))
            return uuid.UUID(str(data["client_id"])), int(data["acked"])
        except FileNotFoundError:
            return None, 0
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise AnnotatorError(f"{self.meta_path}: unreadable ({exc})") from None

    def write_meta(self, client_id: uuid.UUID, acked: int) -> None:
        """Record the desktop's id and the last confirmed edit, atomically and durably."""
        data = dumps({"client_id": str(client_id), "acked": acked}) + "\n"
        try:
            atomic_write(self.meta_path, [data.encode("utf-8")])
        except OSError as exc:
            raise AnnotatorError(f"{self.meta_path}: {exc.strerror or exc}") from None

    def client_id(self) -> uuid.UUID:
        """This desktop's id for this annotator, made (and saved) on first use."""
        found, _ = self.meta()
        if found is not None:
            return found
        made = uuid.uuid4()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.write_meta(made, 0)
        return made

    # -- reading ---------------------------------------------------------------------------

    def read(
        self, text_for: TextFor, parse: Parse, repair: bool = False
    ) -> tuple[list[Outgoing], list[Unapplied]]:
        """The edits not yet confirmed when the outbox was last emptied, in order, and the
        lines that could not be read. ``repair`` cuts off a torn last line (the writer only)."""
        _, acked = self.meta()
        return read_edits(self.path, self.name, acked, text_for, parse, repair)

    def signature(self) -> tuple[int, int] | None:
        """Size and mtime of the outbox (None: none), to tell when it changed."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return st.st_size, st.st_mtime_ns

    # -- writing (the lock holder only) ---------------------------------------------------

    def open(self) -> None:
        """Open the outbox for appending."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)

    def append(self, edits: list[Outgoing]) -> None:
        """Append the edits with one write and one fsync: all are durable, or none."""
        if self._fd is None:
            raise AnnotatorError(f"annotator {self.name!r} is open read-only")
        journal.append(self._fd, b"".join(e.line() for e in edits))

    def empty(self, client_id: uuid.UUID, acked: int) -> None:
        """Every line up to ``acked`` is confirmed: record that, then empty the outbox."""
        self.write_meta(client_id, acked)
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.fsync(self._fd)

    def set_aside(self, lines: list[Unapplied]) -> None:
        """Keep unreadable lines in ``<name>.unapplied`` (never dropped)."""
        if lines:
            journal.set_aside(self.unapplied_path, [u.raw for u in lines])

    def close(self) -> None:
        """Close the file (what was appended stays)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None


def read_edits(
    path: Path, name: str, after: int, text_for: TextFor, parse: Parse, repair: bool = False
) -> tuple[list[Outgoing], list[Unapplied]]:
    """The edits of a file of outbox lines numbered above ``after``, in order, and the lines
    that could not be read."""
    where = str(path)
    found: list[Outgoing] = []
    bad: list[Unapplied] = []
    for lineno, raw in journal.read_lines(path, repair=repair):
        try:
            entry = json.loads(raw)
            seq, base, prev = int(entry["seq"]), int(entry["base"]), entry.get("prev")
            if prev is not None and not isinstance(prev, int):
                raise TypeError("prev is not a number")
            doc_id, state = journal.decode(where, lineno, raw, name, text_for, parse)
        except RecordError as err:
            bad.append(Unapplied(where, lineno, raw, err.reason))
            continue
        except (ValueError, KeyError, TypeError) as exc:
            bad.append(Unapplied(where, lineno, raw, f"not an outbox entry ({exc})"))
            continue
        if seq > after:
            found.append(Outgoing(seq, doc_id, base, prev, state))
    return found, bad

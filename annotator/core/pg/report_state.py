"""What the lead's last agreement report was made of, kept on the desktop so the next one
reads and computes only what changed (decision 0098).

Per set of compared annotators: the version of every submitted annotation (as the server gave
it), the compared documents, every pair's per-document parts (decision 0089) and the
bootstrap's replicate sums with the contributions they were summed from
(``replicate_sums.Kept``), and what its warnings about spans left out were made of
(``report_notes.KeptNotes``, decision 0119). The next report reads the versions from the
server, takes each pair's parts of the documents whose two annotations are at the same
versions from here, asks the server for the rest (kept there by any lead, or computed and
kept), and updates the replicate sums by the difference of the contributions when the
compared documents are the same; so after an edit of a hundred documents it neither reads
every kept part again nor draws every replicate again.

The file (``state-<annotators>.bin``, no pickles: a JSON header naming each array, then the
arrays as they are in memory) is this desktop's own; one that cannot be read, or was made
under other labels, settings or version of annotator, is not used. It is read in one piece
and its arrays used where they lie (decision 0102; not mapped: a mapped file cannot be
replaced on Windows while the report still uses it); the parts are kept in 16 bits when they
fit, and used so, not widened to 32 (a copy of every part of the project cost more than the
rest of the report). A copy
is kept on the server for every lead (``agreement_states``, leads only), written when a
report had to read or compute many parts (a first report; a report after a large change): a
lead's first report on a new desktop starts from it, not from every part of the project.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import psycopg

from annotator import __version__
from annotator.core.agreement import intervals as iv
from annotator.core.agreement.replicate_sums import Kept
from annotator.core.jsonl import atomic_write_with
from annotator.core.pg.errors import server_error
from annotator.core.pg.report_notes import KeptNotes

if TYPE_CHECKING:
    from annotator.core.pg.store import PgProject

Rows = npt.NDArray[np.int32]  # (16 bits as read back, where every part fits them)
LAYOUT = 4  # of the file
MAGIC = b"annotator report state\n"
ALIGN = 64


@dataclass
class ReportState:
    """What one report of ``names`` was made of (see the module)."""

    versions: dict[str, dict[str, str]]  # annotator -> submitted document -> version
    doc_ids: list[str]  # the compared documents, in the report's order
    rows: list[Rows]  # per pair (in pair order): one row of parts per compared document
    sums: Kept | None  # the replicate sums, when exact
    documents: str = ""  # the project's documents as the report's digest saw them
    titles: list[str] = field(default_factory=list)  # per compared document (under documents)
    people: dict[str, str] = field(default_factory=dict)  # per annotator, the digest's part
    notes: KeptNotes | None = None  # the span warnings' counts and shown notes


class StateFile:
    """The kept ``ReportState`` of one set of annotators under one basis and settings: this
    desktop's file, and the copy every lead shares on the server (``agreement_states``)."""

    def __init__(
        self, store: PgProject, names: list[str], basis: str, settings: iv.Bootstrap
    ) -> None:
        self.store = store
        key = hashlib.sha256("\0".join(names).encode("utf-8")).hexdigest()[:16]
        self.path = store.cache_dir / f"state-{key}.bin"
        self.names = names
        self.made_under = json.dumps([LAYOUT, __version__, names, basis, repr(settings)])

    def read(self) -> ReportState | None:
        """The desktop's kept state, or None (missing, damaged, made under anything else)."""
        try:
            with open(self.path, "rb") as f:
                blob = bytearray(os.fstat(f.fileno()).st_size)
                if f.readinto(blob) != len(blob):
                    return None
        except OSError:
            return None
        return self.parse(blob)

    def parse(self, blob: Any) -> ReportState | None:
        """A state from its bytes (a writable buffer), or None."""
        try:
            view = memoryview(blob)
            if bytes(view[: len(MAGIC)]) != MAGIC:
                return None
            (size,) = struct.unpack_from("<Q", view, len(MAGIC))
            head = len(MAGIC) + 8
            header = json.loads(bytes(view[head : head + size]).decode("utf-8"))
            if header["made_under"] != self.made_under:
                return None
            first = head + size + (-(head + size) % ALIGN)
            data = {
                name: np.frombuffer(
                    view, np.dtype(dtype), int(np.prod(shape, dtype=np.int64)), first + offset
                ).reshape(shape)
                for name, dtype, shape, offset in header["arrays"]
            }
            return self._state(data, header)
        except (ValueError, KeyError, IndexError, TypeError, struct.error, UnicodeDecodeError):
            return None

    def _state(self, data: dict[str, Any], header: dict[str, Any]) -> ReportState:
        versions = {
            name: dict(zip(_lines(data[f"docs{i}"]), _lines(data[f"versions{i}"]), strict=True))
            for i, name in enumerate(self.names)
        }
        doc_ids = _lines(data["doc_ids"])
        pairs = len(self.names) * (len(self.names) - 1) // 2
        rows = [data[f"rows{p}"] for p in range(pairs)]
        sums = Kept(data["twice"], data["sums"]) if "sums" in data else None
        if any(len(r) != len(doc_ids) for r in rows) or (sums and len(sums.twice) != len(doc_ids)):
            raise ValueError("a kept state of other documents")
        titles = _lines(data["titles"])
        if len(titles) != len(doc_ids):  # (one document, titled "")
            titles = []
        people = {str(n): str(v) for n, v in dict(header["people"]).items()}
        counts = [data[f"notecounts{i}"] for i in range(len(self.names))]
        if any(c.shape != (len(doc_ids), 2) for c in counts):
            raise ValueError("kept notes of other documents")
        notes = KeptNotes.decoded(counts, data["noteshown"].tobytes())
        return ReportState(
            versions, doc_ids, rows, sums, str(header["documents"]), titles, people, notes
        )

    def write(self, state: ReportState, share: bool) -> None:
        """Keep ``state`` on the desktop (written whole, then put in place) and, with
        ``share``, on the server for every lead."""
        chunks = self._chunks(state)

        def out(f: IO[bytes]) -> None:
            for chunk in chunks:
                f.write(chunk)

        with contextlib.suppress(OSError):
            atomic_write_with(self.path, out, durable=False)
        if share:
            self._share(b"".join(chunks), len(state.doc_ids))

    def _chunks(self, state: ReportState) -> list[bytes | memoryview]:
        arrays: dict[str, Any] = {"doc_ids": _joined(state.doc_ids)}
        for i, name in enumerate(self.names):
            mine = state.versions.get(name, {})
            arrays[f"docs{i}"] = _joined(mine)
            arrays[f"versions{i}"] = _joined(mine.values())
        for p, rows in enumerate(state.rows):  # in 16 bits when they fit: half the bytes
            fits = not rows.size or (rows.max() < 2**15 and rows.min() >= -(2**15))
            arrays[f"rows{p}"] = rows.astype(np.int16, copy=False) if fits else rows
        if state.sums is not None:
            arrays["twice"] = state.sums.twice.astype(np.int32, copy=False)
            arrays["sums"] = state.sums.sums
        arrays["titles"] = _joined(state.titles)
        if state.notes is not None:
            for i, counts in enumerate(state.notes.counts):
                arrays[f"notecounts{i}"] = counts.astype(np.int32, copy=False)
            arrays["noteshown"] = np.frombuffer(state.notes.encoded(), np.uint8)
        listed, offset = [], 0  # each array's offset from the first, aligned
        for name, array in arrays.items():
            listed.append((name, array.dtype.str, list(array.shape), offset))
            offset += -(-array.nbytes // ALIGN) * ALIGN
        header = json.dumps(
            {
                "made_under": self.made_under,
                "documents": state.documents,
                "people": state.people,
                "arrays": listed,
            }
        ).encode("utf-8")
        head = len(MAGIC) + 8 + len(header)
        chunks: list[bytes | memoryview] = [
            MAGIC, struct.pack("<Q", len(header)), header, bytes(-head % ALIGN)
        ]  # fmt: skip
        for name, _, _, _ in listed:
            array = np.ascontiguousarray(arrays[name])
            chunks.append(array.data.cast("B"))
            chunks.append(bytes(-array.nbytes % ALIGN))
        return chunks

    def shared(self) -> ReportState | None:
        """The state a lead kept on the server for these annotators, or None."""
        store = self.store
        try:
            row = (
                store.connection()
                .execute(
                    "SELECT state FROM agreement_states WHERE project_id = %s"
                    " AND annotators = %s AND made_under = %s",
                    (store.project_id, json.dumps(self.names), self.made_under),
                    binary=True,  # the bytes as they are, not as hexadecimal text
                )
                .fetchone()
            )
        except psycopg.Error as exc:
            raise server_error(exc, who=store.who, doing="read") from None
        if row is None:
            return None
        try:
            return self.parse(bytearray(zlib.decompress(row[0])))
        except zlib.error:
            return None

    def _share(self, blob: bytes, documents: int) -> None:
        store = self.store
        packed = zlib.compress(blob, 1)  # most parts are zero: a tenth of the size, quickly
        conn = store.connection()
        try:
            with conn.transaction():
                conn.execute(
                    "INSERT INTO agreement_states (project_id, annotators, made_under, state,"
                    " documents) VALUES (%s, %s, %s, %s, %s)"
                    " ON CONFLICT (project_id, annotators) DO UPDATE SET"
                    " made_under = excluded.made_under, state = excluded.state,"
                    " documents = excluded.documents, computed_at = now()",
                    (store.project_id, json.dumps(self.names), self.made_under, packed, documents),
                )
        except psycopg.Error as exc:
            raise server_error(exc, who=store.who, doing="write") from None


def _joined(strings: Iterable[str]) -> npt.NDArray[np.uint8]:
    """Non-empty strings as UTF-8 bytes, each after the one before and a NUL (which no text
    on the server holds)."""
    return np.frombuffer("\0".join(strings).encode("utf-8"), np.uint8)


def _lines(data: npt.NDArray[np.uint8]) -> list[str]:
    text = data.tobytes().decode("utf-8")
    return text.split("\0") if text else []


class FromState:
    """What the kept state gives a report: each pair's rows moved to the present compared
    documents, and per annotator the documents whose submitted version is not the kept one
    (changed, newly submitted or no longer)."""

    def __init__(self, state: ReportState, done: dict[str, dict[str, str]], doc_ids: list[str]):
        self.state = state
        self.changed: dict[str, set[str]] = {}
        for name, now in done.items():
            before = state.versions.get(name, {})
            self.changed[name] = (
                set()
                if before == now
                else {d for d, v in now.items() if before.get(d) != v}
                | (before.keys() - now.keys())
            )
        self.same = state.doc_ids == doc_ids
        if not self.same and state.doc_ids and doc_ids:
            old = np.array(state.doc_ids)
            new = np.array(doc_ids)
            at = np.minimum(np.searchsorted(old, new), len(old) - 1)
            self.found = np.flatnonzero(old[at] == new)
            self.source = at[self.found]

    def rows(self, pair: int, n: int, w: int) -> npt.NDArray[np.int32]:
        """The pair's kept rows over the present compared documents (zero where none)."""
        kept = self.state.rows[pair]
        if self.same:
            return kept
        rows = np.zeros((n, w), np.int32)
        if self.state.doc_ids and n:
            rows[self.found] = kept[self.source]
        return rows

"""The server's side of the agreement parts (decisions 0089 and 0101): what a report or a
computing of parts reads and writes, as few round trips and as little decoding as can be.

The spans of many annotations are read as columns: each annotation's ``start``, ``end`` and
``label`` values, taken out of its JSON when the row is written (``span_columns``, schema step
9, decision 0107; at report time before, decision 0101), and the desktop turns the offsets of a
whole chunk into integers at once, rather than decoding a JSON object per span. The values are
the very ones the JSON holds: an annotation whose spans are not all objects with the three keys
has no columns and is read whole and taken apart as before, so what the core's checks see is
unchanged.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import psycopg

from annotator.core.agreement.corpus import SpanColumns
from annotator.core.agreement.spans import span_triples
from annotator.core.pg.connection import Connection, connect
from annotator.core.pg.errors import server_error

if TYPE_CHECKING:
    from annotator.core.pg.store import PgProject

# What a part was computed from, per side: the row version of the annotation (any change of
# the row makes a new version, a new xmin) and its revision.
_VERSION = "{t}.xmin::text || '/' || {t}.revision"
# The spans as columns, taken out of the JSON when the row was written (schema step 9): NULL
# where the spans are not all objects with the three keys, and the row is then read whole.
_SIDES = (
    f"SELECT a.annotator, a.document_id, {_VERSION.format(t='a')}, a.span_columns[1],"
    " a.span_columns[2], a.span_columns[3] FROM annotations a WHERE a.project_id = %(p)s"
    " AND a.annotator = ANY(%(names)s) AND a.document_id = ANY(%(docs)s)"
)
_INTEGER_CHARACTERS = b"-0123456789, "  # of JSON integer lists, joined (and no other value)
_LONG = 10**18  # from 19 digits on, an offset is read as JSON (beyond 64 bits: the core says so)
# A side: annotator -> document -> (version of the annotation, its spans)
Sides = dict[str, dict[str, tuple[str, SpanColumns]]]


@dataclass(frozen=True)
class SpanTable:
    """The spans of many annotations as arrays, when every offset is an integer: a row per
    annotation (``names``, ``docs``, ``versions``, ``sizes``: its number of spans), the spans
    of every row one after the other (``starts``, ``ends``, ``labels``)."""

    names: list[str]
    docs: list[str]
    versions: list[str]
    sizes: npt.NDArray[np.int64]
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]
    labels: list[Any]

    def sides(self) -> Sides:
        """The same spans, per annotator and document."""
        out: Sides = {}
        starts, ends = self.starts.tolist(), self.ends.tolist()
        at = 0
        for name, doc, version, n in zip(
            self.names, self.docs, self.versions, self.sizes.tolist(), strict=True
        ):
            columns = SpanColumns(starts[at : at + n], ends[at : at + n], self.labels[at : at + n])
            out.setdefault(name, {})[doc] = (version, columns)
            at += n
        return out


class Written:
    """The parts written to the server through a ``Server`` in this process, as the server
    would give them back: per pair and basis, each document's ``(version of a's annotation,
    of b's, parts)``. A bulk write keeps the parts of what it brought, then makes the lead's
    report (decision 0106): the report lays these in rather than reading them back."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._parts: dict[tuple[str, str, str], dict[str, tuple[str, str, bytes]]] = {}

    def add(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Parts the server now holds: ``(a, b, document, version of a's, of b's, basis,
        parts)`` each, as ``Server.write`` takes them."""
        with self._lock:
            for a, b, doc, va, vb, key, blob in rows:
                self._parts.setdefault((a, b, key), {})[doc] = (va, vb, bytes(blob))

    def of(self, a: str, b: str, key: str) -> Mapping[str, tuple[str, str, bytes]]:
        """The pair's parts written, by document (empty: none)."""
        with self._lock:
            return self._parts.get((a, b, key), {})


class Tally:
    """How many parts were written through a ``Server`` and its copies ``apart``, counted as
    each write commits (on whichever thread wrote it): what a computing kept, also when it
    failed after some of its chunks were written."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._parts = 0

    def add(self, parts: int) -> None:
        with self._lock:
            self._parts += parts

    @property
    def parts(self) -> int:
        with self._lock:
            return self._parts


class Server:
    """The queries of one report, or of one computing of parts: on the project's connection,
    or on one of their own (``apart``: for another thread). ``written``: what it writes is
    also noted there, for a report made next in the same process; ``tally``: counted there."""

    def __init__(
        self,
        store: PgProject,
        conn: Connection | None = None,
        written: Written | None = None,
        tally: Tally | None = None,
    ) -> None:
        self.store = store
        self.p = store.project_id
        self.own = conn
        self.written = written
        self.tally = tally

    def connection(self) -> Connection:
        return self.own if self.own is not None else self.store.connection()

    def apart(self) -> Server:
        """The same queries on a connection of their own; ``close`` it when done."""
        return Server(
            self.store,
            connect(self.store.url, timeouts=self.store.timeouts, autocommit=True),
            self.written,
            self.tally,
        )

    def close(self) -> None:
        if self.own is not None:
            self.own.close()

    def rows(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        try:
            return self.connection().execute(sql, {"p": self.p, **params}).fetchall()
        except psycopg.Error as exc:
            raise server_error(exc, who=self.store.who, doing="read") from None

    def versions(
        self, names: list[str] | None, docs: list[str] | None = None
    ) -> dict[str, dict[str, str]]:
        """Each annotator's submitted documents and the version of each annotation, as one
        text per annotator (300,000 rows as tuples cost the desktop more than the query);
        ``names`` None: every annotator, ``docs`` None: every document."""
        out: dict[str, dict[str, str]] = {n: {} for n in names or ()}
        for name, rows, joined in self.rows(
            "SELECT a.annotator, count(*), string_agg(a.document_id || chr(1) || "
            f"{_VERSION.format(t='a')}, chr(1)) FROM annotations a"
            " WHERE a.project_id = %(p)s" + _among(names, docs) + " AND a.status = 'done'"
            " AND NOT a.untouched GROUP BY a.annotator",
            {"names": names, "docs": docs},
        ):
            items = joined.split("\x01")
            if len(items) != 2 * rows:  # an id holding chr(1)
                return self._versions_by_row(names, docs)
            out[name] = dict(zip(items[0::2], items[1::2], strict=True))
        return out

    def _versions_by_row(
        self, names: list[str] | None, docs: list[str] | None
    ) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {n: {} for n in names or ()}
        for name, doc, version in self.rows(
            f"SELECT a.annotator, a.document_id, {_VERSION.format(t='a')} FROM annotations a"
            " WHERE a.project_id = %(p)s" + _among(names, docs) + " AND a.status = 'done'"
            " AND NOT a.untouched",
            {"names": names, "docs": docs},
        ):
            out.setdefault(name, {})[doc] = version
        return out

    def kept(self, a: str, b: str, key: str, docs: list[str] | None) -> list[tuple[Any, ...]]:
        """``(document, version of a's annotation, of b's, parts)`` kept for the pair (of
        ``docs``, or of every document)."""
        only = "" if docs is None else " AND document_id = ANY(%(docs)s)"
        return self.rows(
            "SELECT document_id, digest_a, digest_b, parts FROM agreement_parts"
            " WHERE project_id = %(p)s AND a = %(a)s AND b = %(b)s AND basis = %(basis)s" + only,
            {"a": a, "b": b, "basis": key, "docs": docs},
        )

    def kept_versions(
        self, key: str, docs: list[str] | None, pairs: list[tuple[str, str]] | None = None
    ) -> list[tuple[str, str, str, str, str]]:
        """``(a, b, document, version of a's annotation, of b's)`` of every part kept for
        ``docs`` (None: every document), of ``pairs`` (None: any pair).

        The parts' key leads with the pair (``project_id, a, b, document_id``): with the
        pairs named, a few documents are a few key look-ups (0.4 ms at 300,000 parts), where
        ``document_id`` alone scans every part of the project (27 ms, the server's two
        parallel workers): what a lead's keeper asked for each document finished (decision
        0109)."""
        only = "" if docs is None else " AND k.document_id = ANY(%(docs)s)"
        among = ""
        if pairs is not None:
            among = (
                " JOIN unnest(%(pa)s::text[], %(pb)s::text[]) AS w(a, b) ON k.a = w.a AND k.b = w.b"
            )
        return [
            (str(a), str(b), str(d), str(va), str(vb))
            for a, b, d, va, vb in self.rows(
                "SELECT k.a, k.b, k.document_id, k.digest_a, k.digest_b FROM agreement_parts k"
                + among
                + " WHERE k.project_id = %(p)s AND k.basis = %(basis)s"
                + only,
                {
                    "basis": key,
                    "docs": docs,
                    "pa": [a for a, _ in pairs or ()],
                    "pb": [b for _, b in pairs or ()],
                },
            )
        ]

    def sides(self, names: list[str], docs: list[str]) -> Sides:
        """The spans of ``names``' annotations of ``docs`` (any status), with their versions."""
        got = self.read_spans(names, docs)
        if isinstance(got, SpanTable):
            return {n: {} for n in names} | got.sides()
        return got

    def read_spans(self, names: list[str], docs: list[str]) -> Sides | SpanTable:
        """What ``sides`` gives, as a ``SpanTable`` when every annotation has its columns and
        every offset is an integer (no Python object per span), else per annotation."""
        rows = self.rows(_SIDES, {"names": names, "docs": docs})
        plain = [r for r in rows if r[3] is not None]
        whole = [(r[0], r[1]) for r in rows if r[3] is None]
        starts = _int_array([r[3] for r in plain])
        ends = _int_array([r[4] for r in plain])
        labels: list[Any] = json.loads(
            "[" + ",".join(r[5][1:-1] for r in plain if r[5] != "[]") + "]"
        )
        if not whole and starts is not None and ends is not None:
            return SpanTable(
                [r[0] for r in plain], [r[1] for r in plain], [r[2] for r in plain],
                np.array([0 if r[3] == "[]" else r[3].count(",") + 1 for r in plain], np.int64),
                starts, ends, labels,
            )  # fmt: skip
        out: Sides = {n: {} for n in names}
        starts_list, sizes = _integers([r[3] for r in plain])
        ends_list, _ = _integers([r[4] for r in plain])
        at = 0
        for (name, doc, version, *_), n in zip(plain, sizes, strict=True):
            columns = SpanColumns(
                starts_list[at : at + n], ends_list[at : at + n], labels[at : at + n]
            )
            out[name][doc] = (version, columns)
            at += n
        for name in {name for name, _ in whole}:
            for doc, (version, spans) in self.spans(
                name, [doc for who, doc in whole if who == name]
            ).items():
                out[name][doc] = (version, SpanColumns(*_columns(spans)))
        return out

    def spans(self, name: str, docs: list[str]) -> dict[str, tuple[str, list[Any]]]:
        """Annotations read whole, each span as the JSON holds it (a malformed one as
        ``span_triples`` reads it)."""
        rows = self.rows(
            f"SELECT a.document_id, {_VERSION.format(t='a')}, a.spans FROM annotations a"
            " WHERE a.project_id = %(p)s AND a.annotator = %(name)s"
            " AND a.document_id = ANY(%(docs)s)",
            {"name": name, "docs": docs},
        )
        return {d: (v, span_triples(spans)) for d, v, spans in rows}

    def notes(
        self, key: str, pairs: list[tuple[str, str]] | None = None, docs: list[str] | None = None
    ) -> list[tuple[str, str, str, str, str, dict[str, Any]]]:
        """The notes kept with parts of ``key``: ``(a, b, document, version of a's, of b's,
        notes)`` each (decision 0116; few: only where a span was left out); with ``pairs``
        and ``docs``, of those alone (key look-ups, decision 0119)."""
        if pairs is None or docs is None:
            rows = self.rows(
                "SELECT a, b, document_id, digest_a, digest_b, notes::text FROM agreement_parts"
                " WHERE project_id = %(p)s AND basis = %(key)s AND notes IS NOT NULL",
                {"key": key},
            )
        else:
            firsts, seconds = [a for a, _ in pairs], [b for _, b in pairs]
            rows = self.rows(
                "SELECT k.a, k.b, k.document_id, k.digest_a, k.digest_b, k.notes::text"
                " FROM agreement_parts k JOIN unnest(%(pa)s::text[], %(pb)s::text[]) AS w(a, b)"
                " ON k.a = w.a AND k.b = w.b WHERE k.project_id = %(p)s AND k.basis = %(key)s"
                " AND k.document_id = ANY(%(docs)s) AND k.notes IS NOT NULL",
                {"key": key, "docs": docs, "pa": firsts, "pb": seconds},
            )
        # one JSON text for them all: where every part has notes (a label taken out of the
        # project), decoding each row on its own was a fifth of the report
        decoded = json.loads("[" + ",".join(r[5] for r in rows) + "]")
        return [
            (str(a), str(b), str(d), str(va), str(vb), n)
            for (a, b, d, va, vb, _), n in zip(rows, decoded, strict=True)
        ]

    def texts(self, docs: list[str]) -> dict[str, str]:
        rows = self.rows(
            "SELECT id, text FROM documents WHERE project_id = %(p)s AND id = ANY(%(docs)s)",
            {"docs": docs},
        )
        return {str(r[0]): str(r[1]) for r in rows}

    def write(
        self, rows: Iterable[tuple[Any, ...]], notes: Sequence[tuple[str, str, str, str]] = ()
    ) -> None:
        """Keep parts: ``(a, b, document, version of a's, of b's, basis, parts)`` each, and
        the notes of those whose annotations have spans left out: ``(a, b, document, notes as
        JSON)`` (decision 0116; a part written again without notes loses its old ones)."""
        rows = list(rows)
        conn = self.connection()
        try:
            with conn.transaction():
                conn.execute(
                    "CREATE TEMPORARY TABLE IF NOT EXISTS new_parts"
                    " (LIKE agreement_parts INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
                )
                with conn.cursor().copy(
                    "COPY new_parts (project_id, a, b, document_id, digest_a, digest_b, basis,"
                    " parts, notes) FROM STDIN"
                ) as copy:  # the notes in the same rows: no second pass over the parts
                    noted = {(a, b, d): text for a, b, d, text in notes}
                    text = _copy_text(self.p, rows, noted)
                    for first in range(0, len(text), 1 << 20):
                        copy.write(text[first : first + (1 << 20)])
                conn.execute(
                    "INSERT INTO agreement_parts SELECT * FROM new_parts"
                    " ON CONFLICT (project_id, a, b, document_id) DO UPDATE SET"
                    " digest_a = excluded.digest_a, digest_b = excluded.digest_b,"
                    " basis = excluded.basis, parts = excluded.parts,"
                    " computed_at = excluded.computed_at, notes = excluded.notes"
                )
        except psycopg.Error as exc:
            raise server_error(exc, who=self.store.who, doing="write") from None
        if self.written is not None:  # committed
            self.written.add(rows)
        if self.tally is not None:
            self.tally.add(len(rows))


# COPY's text format: a backslash, and the characters that end a field or a row, escaped
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _copy_line(project: int, row: tuple[Any, ...], notes: str | None = None) -> str:
    """One row of parts in COPY's text format, each field escaped; ``notes``: its notes as
    JSON (None: NULL)."""
    *texts, blob = row
    fields = [str(project), *(str(t).translate(_COPY_ESCAPES) for t in texts)]
    last = "\\N" if notes is None else notes.translate(_COPY_ESCAPES)
    return "\t".join(fields) + "\t\\\\x" + bytes(blob).hex() + "\t" + last + "\n"


def _copy_text(
    project: int,
    rows: list[tuple[Any, ...]],
    notes: Mapping[tuple[str, str, str], str] | None = None,
) -> str:
    """Rows of parts in COPY's text format, with the notes of ``(a, b, document)`` in
    ``notes`` (JSON, decision 0119; NULL for the others). Made without escaping, then
    counted: a row with no tab, line end or backslash of its own holds eight tabs, one line
    end and the two backslashes of its bytes, and its notes' backslashes doubled (JSON holds
    no tab or line end of its own), and then nothing needed escaping (300,000 rows escaped
    field by field cost the desktop seconds, 3.5 times this)."""
    noted = notes or {}
    lasts = [noted.get((a, b, d)) for a, b, d, *_ in rows]
    tails = ["\\N" if t is None else t.replace("\\", "\\\\") for t in lasts]
    text = "".join(
        [f"{project}\t{a}\t{b}\t{d}\t{va}\t{vb}\t{key}\t\\\\x{bytes(blob).hex()}\t{tail}\n"
         for (a, b, d, va, vb, key, blob), tail in zip(rows, tails, strict=True)]
    )  # fmt: skip
    n = len(rows)
    own = sum(t.count("\\") for t in tails)
    if (text.count("\t"), text.count("\n"), text.count("\\"), text.count("\r")) == (
        8 * n, n, 2 * n + own, 0,
    ):  # fmt: skip
        return text
    return "".join(_copy_line(project, row, t) for row, t in zip(rows, lasts, strict=True))


def _among(names: list[str] | None, docs: list[str] | None) -> str:
    return ("" if names is None else " AND a.annotator = ANY(%(names)s)") + (
        "" if docs is None else " AND a.document_id = ANY(%(docs)s)"
    )


def _int_array(lists: list[str]) -> npt.NDArray[np.int64] | None:
    """The values of JSON lists (their texts), in order, when they are all integers that 64
    bits hold exactly (fewer than 19 digits); else None."""
    joined = ",".join(t[1:-1] for t in lists if t != "[]")
    if not joined:
        return np.zeros(0, np.int64)
    if not joined.isascii() or joined.encode("ascii").translate(None, _INTEGER_CHARACTERS):
        return None  # a character no JSON integer list holds (a regex: 8 times slower)
    values: npt.NDArray[np.int64] = np.fromstring(joined, np.int64, sep=",")
    if len(values) != joined.count(",") + 1 or ((values >= _LONG) | (values <= -_LONG)).any():
        return None  # 19 digits or more, decoded as JSON: exactly, and the core says so
    return values


def _integers(lists: list[str]) -> tuple[list[Any], list[int]]:
    """The values of JSON lists (their texts), in order, and how many each list holds."""
    values = _int_array(lists)
    if values is not None:
        return values.tolist(), [0 if t == "[]" else t.count(",") + 1 for t in lists]
    decoded = [json.loads(t) for t in lists]
    return [v for d in decoded for v in d], [len(d) for d in decoded]


def _columns(spans: list[Any]) -> tuple[list[Any], list[Any], list[Any]]:
    return [s[0] for s in spans], [s[1] for s in spans], [s[2] for s in spans]

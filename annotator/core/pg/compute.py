"""Computing the agreement parts of a server project (decisions 0089 and 0101).

A *part* is what one pair of annotators contributes to the agreement report on one document
both submitted (``parts`` says what it holds). This module lays out each pair's parts for a
report: from this desktop's kept state where both annotations are at the versions it was made
from, else from the parts kept on the server (``agreement_parts``), else computed again with
the core's own tokenizer and matcher and kept on the server. ``parts.fast_report`` assembles
the report from them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import psycopg

from annotator.core.agreement.corpus import Corpus, Submission, prepare
from annotator.core.agreement.spanarrays import compare_pair
from annotator.core.agreement.tokens import grouped_confusion, label_tokens
from annotator.core.pg.errors import server_error
from annotator.core.pg.report_state import ReportState

if TYPE_CHECKING:
    from annotator.core.pg.store import PgProject

VERSION = "1"  # of the parts' layout and the code that computes them
IntArray = npt.NDArray[np.int64]
Rows = npt.NDArray[np.int32]  # a pair's parts, a row per compared document: 32 bits suffice
# (``encode`` refuses a part beyond them, and then the report is computed the usual way)


def basis(labels: Sequence[str]) -> str:
    """What a part depends on besides the two annotations: the layout and the labels."""
    return hashlib.sha256("\0".join([VERSION, *labels]).encode("utf-8")).hexdigest()[:32]


def width(k: int) -> int:
    """Numbers in one part, ``k`` label codes (with ``O``)."""
    return 4 + 4 * k + 2 * k * k


def compute_parts(
    texts: dict[str, str], a: dict[str, Any], b: dict[str, Any], labels: tuple[str, ...]
) -> tuple[list[str], IntArray] | None:
    """Parts of the documents both ``a`` and ``b`` (document -> spans) submitted, one row
    per document in id order; None when a span would be left out with a warning."""
    corpus = Corpus(
        labels=labels,
        submissions={
            "a": {d: Submission(texts[d], spans) for d, spans in a.items()},
            "b": {d: Submission(texts[d], spans) for d, spans in b.items()},
        },
    )
    prep = prepare(corpus, ["a", "b"])
    if prep.warnings or prep.excluded:
        return None
    k = len(labels) + 1
    n = len(prep.doc_ids)
    codes = [
        label_tokens(prep.tokens, s.starts, s.ends, s.codes, prep.tie_rank) for s in prep.spans
    ]
    both = prep.submitted[0] & prep.submitted[1]
    stats = compare_pair(prep.spans[0], prep.spans[1], both, prep.key_base, prep.tie_rank, True)
    groups = np.repeat(np.arange(n, dtype=np.int64), prep.tokens.counts)
    tokens = grouped_confusion(codes[0], codes[1], groups, n, k).reshape(n, k * k)
    assert stats.doc_detail is not None
    return prep.doc_ids, np.hstack([stats.doc_detail, tokens])


# A kept part is its numbers that are not zero (most are), as (position, value) entries.
ENTRY = np.dtype([("i", "<u2"), ("v", "<i4")])
CHUNK = 2000  # documents computed again at once (their texts and spans in memory)
# What a part was computed from, per side: the row version of the annotation (any change of
# the row makes a new version, a new xmin) and its revision.
_VERSION = "{t}.xmin::text || '/' || {t}.revision"


def encode(row: IntArray) -> bytes | None:
    """A part as its entries; None when a count does not fit 32 bits."""
    nz = np.flatnonzero(row)
    entries = np.empty(len(nz), ENTRY)
    entries["i"] = nz
    entries["v"] = row[nz]
    if not np.array_equal(entries["v"], row[nz]):
        return None
    return entries.tobytes()


def decode_into(rows: Rows, targets: list[int], blobs: list[bytes]) -> None:
    """Lay kept parts into ``rows`` (``targets``: the row of each)."""
    if not blobs:
        return
    entries = np.frombuffer(b"".join(blobs), ENTRY)
    owner = np.repeat(np.array(targets, np.int64), [len(b) // ENTRY.itemsize for b in blobs])
    rows[owner, entries["i"].astype(np.int64)] = entries["v"]


class Server:
    """The queries of one report."""

    def __init__(self, store: PgProject) -> None:
        self.store = store
        self.p = store.project_id

    def rows(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        try:
            return self.store.connection().execute(sql, {"p": self.p, **params}).fetchall()
        except psycopg.Error as exc:
            raise server_error(exc, who=self.store.who, doing="read") from None

    def versions(self, names: list[str]) -> dict[str, dict[str, str]]:
        """Each annotator's submitted documents and the version of each annotation, as one
        text per annotator (300,000 rows as tuples cost the desktop more than the query)."""
        out: dict[str, dict[str, str]] = {n: {} for n in names}
        for name, rows, joined in self.rows(
            "SELECT a.annotator, count(*), string_agg(a.document_id || chr(1) || "
            f"{_VERSION.format(t='a')}, chr(1)) FROM annotations a"
            " WHERE a.project_id = %(p)s AND a.annotator = ANY(%(names)s)"
            " AND a.status = 'done' AND NOT a.untouched GROUP BY a.annotator",
            {"names": names},
        ):
            items = joined.split("\x01")
            if len(items) != 2 * rows:  # an id holding chr(1)
                return self._versions_by_row(names)
            out[name] = dict(zip(items[0::2], items[1::2], strict=True))
        return out

    def _versions_by_row(self, names: list[str]) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {n: {} for n in names}
        for name, doc, version in self.rows(
            f"SELECT a.annotator, a.document_id, {_VERSION.format(t='a')} FROM annotations a"
            " WHERE a.project_id = %(p)s AND a.annotator = ANY(%(names)s)"
            " AND a.status = 'done' AND NOT a.untouched",
            {"names": names},
        ):
            out[name][doc] = version
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

    def spans(self, name: str, docs: list[str]) -> dict[str, tuple[str, list[Any]]]:
        rows = self.rows(
            f"SELECT a.document_id, {_VERSION.format(t='a')}, a.spans FROM annotations a"
            " WHERE a.project_id = %(p)s AND a.annotator = %(name)s"
            " AND a.document_id = ANY(%(docs)s)",
            {"name": name, "docs": docs},
        )
        return {d: (v, [(s["start"], s["end"], s["label"]) for s in spans]) for d, v, spans in rows}

    def texts(self, docs: list[str]) -> dict[str, str]:
        rows = self.rows(
            "SELECT id, text FROM documents WHERE project_id = %(p)s AND id = ANY(%(docs)s)",
            {"docs": docs},
        )
        return {str(r[0]): str(r[1]) for r in rows}

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        conn = self.store.connection()
        try:
            with conn.transaction():
                conn.execute(
                    "CREATE TEMPORARY TABLE IF NOT EXISTS new_parts"
                    " (LIKE agreement_parts INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
                )
                with conn.cursor().copy(
                    "COPY new_parts (project_id, a, b, document_id, digest_a, digest_b, basis,"
                    " parts) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row((self.p, *row))
                conn.execute(
                    "INSERT INTO agreement_parts SELECT * FROM new_parts"
                    " ON CONFLICT (project_id, a, b, document_id) DO UPDATE SET"
                    " digest_a = excluded.digest_a, digest_b = excluded.digest_b,"
                    " basis = excluded.basis, parts = excluded.parts,"
                    " computed_at = excluded.computed_at"
                )
        except psycopg.Error as exc:
            raise server_error(exc, who=self.store.who, doing="write") from None


def fill_pairs(
    server: Server,
    names: list[str],
    key: str,
    labels: tuple[str, ...],
    done: dict[str, dict[str, str]],
    index: dict[str, int],
    kept: FromState | None,
) -> tuple[list[Rows], int, bool] | None:
    """Every pair's parts over the compared documents (``index``), in the order of
    ``combinations(names, 2)``; with how many were not from the kept state, and whether the
    kept state was used. None if a part cannot be computed or kept."""
    k = len(labels) + 1
    n = len(index)
    inputs: list[Rows] = []
    fetched = 0  # parts read from the server or computed, not taken from a kept state
    for p, (a, b) in enumerate(combinations(names, 2)):
        if kept is not None and kept.state.rows[p].shape[1] == width(k):
            rows = kept.rows(p, n, width(k))
        else:
            rows, kept = np.zeros((n, width(k)), np.int32), None
        got = _fill(server, a, b, key, labels, done, index, rows, kept)
        if got < 0:
            return None
        fetched += got
        inputs.append(rows)
    return inputs, fetched, kept is not None


def _fill(
    server: Server,
    a: str,
    b: str,
    key: str,
    labels: tuple[str, ...],
    done: dict[str, dict[str, str]],
    index: dict[str, int],
    rows: Rows,
    kept: FromState | None,
) -> int:
    """Lay the parts of the pair ``a``, ``b`` into ``rows``: from the kept state where both
    annotations are at the versions it was made from, else from the server's kept parts,
    else computed (and kept on the server). Returns how many were not from the kept state;
    -1 if one cannot be computed or kept."""
    va, vb = done[a], done[b]
    shared = va.keys() & vb.keys()
    wanted: list[str] | None = None  # the documents to ask the server for (None: every one)
    if kept is not None:
        moved = kept.changed[a] | kept.changed[b]
        for d in moved:  # no longer shared, or to be laid in again below
            if d in index:
                rows[index[d]] = 0
        wanted = sorted(shared & moved)
        if not wanted:
            return 0
    # still made from the present version of both annotations (comparing here, not in a
    # join on the server: 0.5 s instead of 2.4 s per pair at 100,000 documents)
    found = [
        (d, blob)
        for d, da, db, blob in server.kept(a, b, key, wanted)
        if va.get(d) == da and vb.get(d) == db
    ]
    decode_into(rows, [index[d] for d, _ in found], [blob for _, blob in found])
    have = {d for d, _ in found}
    stale = sorted(d for d in (shared if wanted is None else wanted) if d not in have)
    for first in range(0, len(stale), CHUNK):
        if not _recompute(server, stale[first : first + CHUNK], a, b, labels, rows, index, key):
            return -1
    return len(shared) if wanted is None else len(wanted)


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

    def rows(self, pair: int, n: int, w: int) -> Rows:
        """The pair's kept rows over the present compared documents (zero where none)."""
        kept = self.state.rows[pair]
        if self.same:
            return kept
        rows = np.zeros((n, w), np.int32)
        if self.state.doc_ids and n:
            rows[self.found] = kept[self.source]
        return rows


def _recompute(
    server: Server,
    stale: list[str],
    a: str,
    b: str,
    labels: tuple[str, ...],
    rows: Rows,
    index: dict[str, int],
    key: str,
) -> bool:
    """Compute the parts of ``stale`` documents again, lay them into ``rows`` and keep them
    (with the versions they were computed from); False if one cannot be kept."""
    side_a, side_b = server.spans(a, stale), server.spans(b, stale)
    made = compute_parts(
        server.texts(stale),
        {d: spans for d, (_, spans) in side_a.items()},
        {d: spans for d, (_, spans) in side_b.items()},
        labels,
    )
    if made is None:
        return False
    fresh = []
    for d, row in zip(*made, strict=True):
        rows[index[d]] = row
        blob = encode(row)
        if blob is None:
            return False
        fresh.append((a, b, d, side_a[d][0], side_b[d][0], key, blob))
    server.write(fresh)
    return True

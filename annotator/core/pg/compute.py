"""Computing the agreement parts of a server project (decisions 0089 and 0101).

A *part* is what one pair of annotators contributes to the agreement report on one document
both submitted (``parts`` says what it holds). This module lays out each pair's parts for a
report: from this desktop's kept state where both annotations are at the versions it was made
from, else from the parts kept on the server (``agreement_parts``), else computed again with
the core's own tokenizer and matcher and kept on the server. ``parts.fast_report`` assembles
the report from them; ``keep_parts`` computes and keeps the parts of documents before anybody
asks (a push, an import, the lead's window as documents are finished).

Every pair is computed in one pass over a chunk of documents: each text is read and tokenized
once, each annotator's spans read and their token labels made once, then each pair compared
(``compute_noted``). The result is the same as computing pair by pair (the tests hold the two
equal): a pair's comparison only ever looks at the documents both of its annotators submitted.
A chunk whose offsets are all integers is read and prepared as arrays, with no Python object
per span (``compute_table``, decision 0107), giving the same parts and the same notes
(decision 0119).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import combinations, pairwise
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from annotator.core.agreement.chartokens import CharTokens, label_spans, sparse_confusion
from annotator.core.agreement.corpus import (
    Corpus,
    Prepared,
    SpanNotes,
    Submission,
    gc_paused,
    prepare,
)
from annotator.core.agreement.spanarrays import compare_pair
from annotator.core.agreement.spans import SpanTuple
from annotator.core.agreement.tokens import grouped_confusion, label_tokens
from annotator.core.pg.part_codec import IntArray as IntArray
from annotator.core.pg.part_codec import Rows as Rows
from annotator.core.pg.part_codec import decode_into as decode_into
from annotator.core.pg.part_codec import encode as encode
from annotator.core.pg.part_codec import encode_rows as encode_rows
from annotator.core.pg.part_codec import notes_json
from annotator.core.pg.parts_server import Server as Server
from annotator.core.pg.parts_server import Sides, SpanTable
from annotator.core.pg.parts_server import Written as Written
from annotator.core.pg.report_state import FromState
from annotator.core.pg.table_prepare import prepare_table

if TYPE_CHECKING:
    from annotator.core.pg.store import PgProject

VERSION = "1"  # of the parts' layout and the code that computes them
# (``encode`` refuses a part beyond them, and then the report is computed the usual way)
Pair = tuple[str, str]  # two annotators, in sorted order
# Where computed parts go besides the server: the pair, its documents and their rows.
Lay = Callable[[Pair, list[str], IntArray], None]
# Where the notes of the records computed go: each annotator's version of each document
# computed, and their notes (decision 0119).
Note = Callable[[dict[str, dict[str, str]], dict[str, dict[str, SpanNotes]]], None]


def basis(labels: Sequence[str]) -> str:
    """What a part depends on besides the two annotations: the layout and the labels."""
    return hashlib.sha256("\0".join([VERSION, *labels]).encode("utf-8")).hexdigest()[:32]


def width(k: int) -> int:
    """Numbers in one part, ``k`` label codes (with ``O``)."""
    return 4 + 4 * k + 2 * k * k


Noted = dict[str, dict[str, SpanNotes]]  # annotator -> document -> its span warnings
Computed = tuple[list[str], dict[Pair, IntArray], Noted]  # documents, each pair's rows, notes


def compute_noted(
    texts: Mapping[str, str],
    sides: Mapping[str, Mapping[str, Sequence[SpanTuple]]],
    labels: tuple[str, ...],
    pairs: Sequence[Pair] | None = None,
) -> Computed | None:
    """Parts of ``pairs`` (default: every pair of ``sides``' annotators) over the documents
    two or more of them submitted (id order), from each annotator's spans (document ->
    spans); a pair's rows are zero where its two did not both submit. A span left out with a
    warning is left out of the parts as the report over the whole corpus leaves it out, and
    the warnings are given per annotator and document (decision 0116). None only where a
    document is left out (texts that differ between annotators): not on a server, whose
    documents have one text."""
    names = sorted(sides)
    corpus = Corpus(
        labels=labels,
        submissions={
            name: {d: Submission(texts[d], spans) for d, spans in sides[name].items()}
            for name in names
        },
    )
    prep = prepare(corpus, names)
    if prep.excluded:
        return None
    return prep.doc_ids, compare_all(prep, names, labels, pairs), prep.notes


def compute_table(
    texts: Mapping[str, str],
    table: SpanTable,
    needs: Mapping[str, set[str]],
    labels: tuple[str, ...],
    pairs: Sequence[Pair] | None = None,
) -> Computed:
    """``compute_noted`` of the spans of ``table`` whose annotator is in ``needs`` and whose
    document is among that annotator's ``needs`` and in ``texts``, taken as arrays as they
    are (no Python object per span), their tokens counted per character: the same parts,
    and the same notes of the spans left out with a warning (decision 0119)."""
    prep, chars = prepare_table(texts, table, needs, labels)
    return prep.doc_ids, compare_all(prep, sorted(needs), labels, pairs, chars), prep.notes


def compare_all(
    prep: Prepared,
    names: list[str],
    labels: tuple[str, ...],
    pairs: Sequence[Pair] | None,
    chars: CharTokens | None = None,
) -> dict[Pair, IntArray]:
    """Each pair's parts over the prepared documents (default: every pair of ``names``);
    with ``chars``, their tokens by counts and only the labelled ones looked at (the same
    numbers, ``chartokens``)."""
    k = len(labels) + 1
    n = len(prep.doc_ids)
    wanted = list(combinations(names, 2)) if pairs is None else list(pairs)
    at = {name: i for i, name in enumerate(names)}
    used = sorted({at[x] for pair in wanted for x in pair})
    confusion: Callable[[int, int, npt.NDArray[np.bool_]], IntArray]
    if chars is not None:
        sparse = {
            i: label_spans(
                chars, prep.spans[i].starts, prep.spans[i].ends, prep.spans[i].codes,
                prep.spans[i].docs, prep.tie_rank,
            )
            for i in used
        }  # fmt: skip

        def confusion(i: int, j: int, both: npt.NDArray[np.bool_]) -> IntArray:
            return sparse_confusion(chars, sparse[i], sparse[j], both, k)

    else:
        codes = {
            i: label_tokens(
                prep.tokens, prep.spans[i].starts, prep.spans[i].ends, prep.spans[i].codes,
                prep.tie_rank,
            )
            for i in used
        }  # fmt: skip
        groups = np.repeat(np.arange(n, dtype=np.int64), prep.tokens.counts)

        def confusion(i: int, j: int, both: npt.NDArray[np.bool_]) -> IntArray:
            mine = np.where(both[groups], groups, -1) if not both.all() else groups
            return grouped_confusion(codes[i], codes[j], mine, n, k).reshape(n, k * k)

    out: dict[Pair, IntArray] = {}
    for a, b in wanted:
        i, j = at[a], at[b]
        both = prep.submitted[i] & prep.submitted[j]
        stats = compare_pair(prep.spans[i], prep.spans[j], both, prep.key_base, prep.tie_rank, True)
        assert stats.doc_detail is not None
        out[a, b] = np.hstack([stats.doc_detail, confusion(i, j, both)])
    return out


CHUNK = 2000  # documents computed at once (their texts and spans in memory)
COMPUTING = threading.RLock()
"""Held while this process finds and computes parts (a report, the lead's window keeping
them as documents are finished): the one waits for the other and then finds its parts kept,
rather than both computing the same documents."""


def compute_stale(
    server: Server,
    labels: tuple[str, ...],
    key: str,
    stale: Mapping[Pair, Sequence[str]],
    lay: Lay | None = None,
    note: Note | None = None,
) -> bool:
    """Compute the parts of each pair's ``stale`` documents, all pairs in one pass per chunk
    of documents, keep them on the server (with the versions of the two annotations they
    were made from) and hand them to ``lay`` (and the records' notes to ``note``); False if
    one cannot be computed or kept.

    With more than one chunk, the server's work goes on beside the desktop's: while this
    thread computes a chunk, one thread reads the next chunk's texts and spans and another
    writes the parts of the last, each on a connection of its own."""
    with gc_paused():  # the collector's passes over each chunk's objects: a fifth of the work
        return _compute_stale(server, labels, key, stale, lay, note)


def _compute_stale(
    server: Server,
    labels: tuple[str, ...],
    key: str,
    stale: Mapping[Pair, Sequence[str]],
    lay: Lay | None,
    note: Note | None,
) -> bool:
    todo = {pair: set(docs) for pair, docs in stale.items() if docs}
    union = sorted(set().union(*todo.values()))
    edges = bounds(len(union))
    chunks = [_Chunk(union[first:end], todo) for first, end in pairwise(edges)]
    if len(chunks) <= 1:
        for chunk in chunks:
            fresh = chunk.compute(chunk.read(server), labels, key, lay, note)
            if fresh is None:
                return False
            server.write(*fresh)
        return True
    reader, writer = server.apart(), server.apart()
    reads = ThreadPoolExecutor(1, thread_name_prefix="parts-read")
    writes = ThreadPoolExecutor(1, thread_name_prefix="parts-write")
    try:
        written: list[Future[None]] = []
        ahead = reads.submit(chunks[0].read, reader)
        for at, chunk in enumerate(chunks):
            read = ahead.result()
            if at + 1 < len(chunks):
                ahead = reads.submit(chunks[at + 1].read, reader)
            fresh = chunk.compute(read, labels, key, lay, note)
            if fresh is None:
                return False
            written.append(writes.submit(writer.write, *fresh))
        for write in written:
            write.result()
        return True
    finally:
        reads.shutdown(cancel_futures=True)
        writes.shutdown(cancel_futures=True)
        reader.close()
        writer.close()


def bounds(n: int) -> list[int]:
    """Where the chunks of ``n`` documents begin (and the last ends): the first and the last
    an eighth of ``CHUNK``, the others ``CHUNK``. Nothing else runs while the first chunk is
    read or the last one's parts written; a small chunk there is a short wait."""
    small = max(1, CHUNK // 8)
    if n <= 2 * small:
        return [0, n] if n else [0]
    return [0, *range(small, n - small, CHUNK), n - small, n]


class _Chunk:
    """Documents computed in one pass: which pairs want which of them."""

    def __init__(self, docs: list[str], todo: Mapping[Pair, set[str]]) -> None:
        self.docs = docs
        self.needs: dict[str, set[str]] = {}
        self.pairs: dict[Pair, list[str]] = {}
        for pair, of_pair in todo.items():
            here = [d for d in docs if d in of_pair]
            if here:
                self.pairs[pair] = here
                for name in pair:
                    self.needs.setdefault(name, set()).update(here)

    def read(self, server: Server) -> tuple[Sides | SpanTable, dict[str, str]]:
        """The spans (with their versions) and the texts the chunk needs."""
        return server.read_spans(sorted(self.needs), self.docs), server.texts(self.docs)

    def compute(
        self,
        read: tuple[Sides | SpanTable, dict[str, str]],
        labels: tuple[str, ...],
        key: str,
        lay: Lay | None,
        note: Note | None = None,
    ) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, str, str]]] | None:
        """The parts to keep, laid out by ``lay`` too, and the notes of the parts whose
        annotations have spans left out, ``(a, b, document, notes as JSON)``; None if one
        cannot be computed."""
        got, texts = read
        # each annotator's version of each document it is computed with
        versions: dict[str, dict[str, str]] = {n: {} for n in self.needs}
        made: Computed | None
        if isinstance(got, SpanTable):
            for n, d, v in zip(got.names, got.docs, got.versions, strict=True):
                if n in versions and d in self.needs[n] and d in texts:
                    versions[n][d] = v
            made = compute_table(texts, got, self.needs, labels, list(self.pairs))
        else:  # an offset that is not an integer, or spans that are not all objects
            sides = {
                n: {d: sp for d, (_, sp) in got.get(n, {}).items() if d in need and d in texts}
                for n, need in self.needs.items()
            }
            versions = {n: {d: got[n][d][0] for d in of_n} for n, of_n in sides.items()}
            made = compute_noted(texts, sides, labels, list(self.pairs))
        if made is None:
            return None
        doc_ids, rows, noted = made
        at = {d: i for i, d in enumerate(doc_ids)}
        if note is not None:  # the records compared, with or without notes
            note({n: {d: v for d, v in of_n.items() if d in at} for n, of_n in versions.items()},
                 noted)  # fmt: skip
        fresh: list[tuple[Any, ...]] = []
        notes: list[tuple[str, str, str, str]] = []
        for (a, b), here in self.pairs.items():
            va, vb = versions[a], versions[b]
            docs = [d for d in here if d in va and d in vb]
            made_rows = rows[a, b][[at[d] for d in docs]]
            blobs = encode_rows(made_rows)
            if blobs is None:
                return None
            if lay is not None:
                lay((a, b), docs, made_rows)
            fresh += [
                (a, b, d, va[d], vb[d], key, blob) for d, blob in zip(docs, blobs, strict=True)
            ]
            of_a, of_b = noted.get(a, {}), noted.get(b, {})
            notes += [
                (a, b, d, notes_json({n: of[d] for n, of in ((a, of_a), (b, of_b)) if d in of}))
                for d in docs
                if d in of_a or d in of_b
            ]
        return fresh, notes


def keep_parts(
    store: PgProject,
    docs: Sequence[str] | None = None,
    annotators: Sequence[str] | None = None,
    server: Server | None = None,
) -> int | None:
    """Compute and keep the parts of ``docs`` (default: every document) for every pair of
    annotators who both submitted one (``annotators``: only the pairs with one of them),
    where none is kept for their present versions; how many were computed, None if one
    cannot be (a data warning: the report then computes it the usual way). Only a lead may;
    for anybody else nothing is done. ``server``: the queries on a connection of their own
    (another thread's)."""
    if not store.is_lead:
        return 0
    server = server or Server(store)
    labels = tuple(store.config.label_names)
    key = basis(labels)
    wanted = None if docs is None else sorted(set(docs))
    with COMPUTING:
        done = server.versions(None, wanted)
        pairs = [
            (a, b)
            for a, b in combinations(sorted(done), 2)
            if annotators is None or a in annotators or b in annotators
        ]
        kept: dict[tuple[str, str, str], tuple[str, str]] = {}
        if pairs:
            # the pairs named: a few documents are key look-ups, not a scan of every part
            listed = server.kept_versions(key, wanted, pairs)
            kept = {(a, b, d): (va, vb) for a, b, d, va, vb in listed}
        stale: dict[Pair, list[str]] = {}
        for a, b in pairs:
            va, vb = done[a], done[b]
            shared = sorted(va.keys() & vb.keys())
            stale[a, b] = [d for d in shared if kept.get((a, b, d)) != (va[d], vb[d])]
        if not compute_stale(server, labels, key, stale):
            return None
    return sum(len(d) for d in stale.values())


def fill_pairs(
    server: Server,
    names: list[str],
    key: str,
    labels: tuple[str, ...],
    done: dict[str, dict[str, str]],
    index: dict[str, int],
    kept: FromState | None,
    note: Note | None = None,
) -> tuple[list[Rows], int, bool] | None:
    """Every pair's parts over the compared documents (``index``), in the order of
    ``combinations(names, 2)``; with how many were not from the kept state, and whether the
    kept state was used. None if a part cannot be computed or kept. ``note``: where the
    notes of the records computed go."""
    with COMPUTING:  # never beside the keeper computing the same documents
        k = len(labels) + 1
        n = len(index)
        inputs: dict[Pair, Rows] = {}
        stale: dict[Pair, list[str]] = {}
        fetched = 0  # parts read from the server or computed, not taken from a kept state
        for p, (a, b) in enumerate(combinations(names, 2)):
            if kept is not None and kept.state.rows[p].shape[1] == width(k):
                rows = kept.rows(p, n, width(k))
            else:
                rows, kept = np.zeros((n, width(k)), np.int32), None
            stale[a, b], got = _from_kept(server, a, b, key, done, index, rows, kept)
            fetched += got
            inputs[a, b] = rows

        def lay(pair: Pair, docs: list[str], rows: IntArray) -> None:
            inputs[pair][[index[d] for d in docs]] = rows

        if not compute_stale(server, labels, key, stale, lay, note):
            return None
        return list(inputs.values()), fetched, kept is not None


def _from_kept(
    server: Server,
    a: str,
    b: str,
    key: str,
    done: dict[str, dict[str, str]],
    index: dict[str, int],
    rows: Rows,
    kept: FromState | None,
) -> tuple[list[str], int]:
    """Lay the kept parts of the pair ``a``, ``b`` into ``rows``: from the kept state where
    both annotations are at the versions it was made from, else from the server's kept
    parts. Returns the documents whose parts are to be computed, and how many parts were not
    from the kept state."""
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
            return [], 0
    # still made from the present version of both annotations (comparing here, not in a
    # join on the server: 0.5 s instead of 2.4 s per pair at 100,000 documents); first those
    # written from this process (a bulk write's parts, just kept: not read back), then the
    # server's, for the rest alone when they are fewer than half
    pool = shared if wanted is None else wanted
    here = server.written.of(a, b, key) if server.written is not None else {}
    found = []
    for d in pool if here else ():
        got = here.get(d)
        if got is not None and got[0] == va[d] and got[1] == vb[d]:
            found.append((d, got[2]))
    if len(found) < len(pool):
        taken = {d for d, _ in found}
        ask = wanted
        if 2 * (len(pool) - len(found)) <= len(pool):
            ask = sorted(d for d in pool if d not in taken)
        found += [
            (d, blob)
            for d, da, db, blob in server.kept(a, b, key, ask)
            if d not in taken and va.get(d) == da and vb.get(d) == db
        ]
    decode_into(rows, [index[d] for d, _ in found], [blob for _, blob in found])
    have = {d for d, _ in found}
    stale = sorted(d for d in (shared if wanted is None else wanted) if d not in have)
    return stale, len(shared) if wanted is None else len(wanted)

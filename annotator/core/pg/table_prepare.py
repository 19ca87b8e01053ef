"""A chunk's spans, read as arrays (``SpanTable``, decision 0107), made into what the core's
``prepare`` makes of them one by one: the compared documents, their tokens (counted per
character, ``CharTokens``, not listed), each annotator's valid spans sorted as ``prepare``
sorts them, and the notes of the spans it leaves out with a warning or removes as duplicates,
in its words and order (decision 0119: a chunk with such a span is no longer taken apart into
Python values); ``tests/pg/test_pg_span_columns.py`` holds the two equal."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.core.agreement.chartokens import CharTokens, char_tokens
from annotator.core.agreement.corpus import Prepared, SpanArrays, SpanNotes
from annotator.core.agreement.tokens import TokenTable, layout
from annotator.core.pg.parts_server import SpanTable


def prepare_table(
    texts: Mapping[str, str],
    table: SpanTable,
    needs: Mapping[str, set[str]],
    labels: tuple[str, ...],
) -> tuple[Prepared, CharTokens]:
    """What ``prepare`` makes of those spans: a span out of range, empty or reversed, or of
    an unknown label left out and a span given twice in one annotation removed, each with
    ``prepare``'s note (``Prepared.notes``; only of compared documents: a document only one
    annotator submitted is not looked at). The ``Prepared``'s token table holds the texts'
    layout and token counts, not the tokens: they are the ``CharTokens``'."""
    names = sorted(needs)
    at = {name: i for i, name in enumerate(names)}
    owner = np.array(
        [at[n] if n in at and d in needs[n] and d in texts else -1
         for n, d in zip(table.names, table.docs, strict=True)],
        np.int64,
    )  # fmt: skip
    submitters: dict[str, int] = {}
    for d in (d for d, o in zip(table.docs, owner.tolist(), strict=True) if o >= 0):
        submitters[d] = submitters.get(d, 0) + 1
    doc_ids = sorted(d for d, count in submitters.items() if count >= 2)
    index = {d: i for i, d in enumerate(doc_ids)}
    doc_texts = [texts[d] for d in doc_ids]
    submitted = np.zeros((len(names), len(doc_ids)), bool)
    row_doc = np.array([index.get(d, -1) for d in table.docs], np.int64)
    compared = (owner >= 0) & (row_doc >= 0)
    submitted[owner[compared], row_doc[compared]] = True
    order = sorted(range(len(labels)), key=lambda i: labels[i])
    tie_rank = np.zeros(len(labels) + 1, np.int16)
    tie_rank[[i + 1 for i in order]] = np.arange(len(labels), dtype=np.int16)
    offsets = layout(doc_texts)  # the texts' tokens are listed once no span is refused
    key_base = max((len(t) for t in doc_texts), default=0) + 1
    extent = int(offsets[-1]) + key_base if doc_texts else 1
    if extent * key_base * (len(labels) + 1) >= 2**62:
        raise ValueError("corpus too large for 64-bit span keys")
    span_row = np.repeat(np.arange(len(owner), dtype=np.int64), table.sizes)
    keep = compared[span_row]
    code_of = {label: i + 1 for i, label in enumerate(labels)}
    kept_labels = [table.labels[i] for i in np.flatnonzero(keep).tolist()]
    try:
        codes = np.array(list(map(code_of.get, kept_labels, repeat(0))), np.int16)
    except TypeError:  # an unhashable label (bad data): read as ``prepare`` reads it
        codes = np.array(
            [code_of.get(x, 0) if isinstance(x, str) else 0 for x in kept_labels], np.int16
        )
    docs = row_doc[span_row[keep]]
    start, end = table.starts[keep], table.ends[keep]
    who = owner[span_row[keep]]
    lengths = np.array([len(t) for t in doc_texts], np.int64)
    limit = lengths[docs]
    bad = (codes == 0) | (start < 0) | (end <= start) | (end > limit)
    notes: dict[str, dict[str, SpanNotes]] = {}
    if bad.any():  # left out, noted in the order each record lists them
        _note_left_out(notes, names, doc_ids, bad, codes, start, end, limit, who, docs, kept_labels)
        good = ~bad
        start, end, codes, docs, who = start[good], end[good], codes[good], docs[good], who[good]
    pos = start + offsets[docs]
    spans = []
    for i in range(len(names)):
        mine = who == i
        arrays = SpanArrays(pos[mine], end[mine] - start[mine] + pos[mine], codes[mine], docs[mine])
        sort = np.lexsort((tie_rank[arrays.codes], arrays.ends, arrays.starts))
        arrays = SpanArrays(
            arrays.starts[sort], arrays.ends[sort], arrays.codes[sort], arrays.docs[sort]
        )
        dup = np.zeros(len(arrays), bool)
        dup[1:] = (
            (arrays.starts[1:] == arrays.starts[:-1])
            & (arrays.ends[1:] == arrays.ends[:-1])
            & (arrays.codes[1:] == arrays.codes[:-1])
        )
        if dup.any():  # removed, noted in the order of their bounds
            for j in np.flatnonzero(dup).tolist():
                k = int(arrays.docs[j])
                s = int(arrays.starts[j] - offsets[k])
                e = s + int(arrays.ends[j] - arrays.starts[j])
                of_name = notes.setdefault(names[i], {})
                noted = of_name.setdefault(doc_ids[k], ([], []))
                noted[1].append(f"duplicate span {s}-{e} removed")
            arrays = arrays.take(~dup)
        spans.append(arrays)
    chars = char_tokens(doc_texts)
    nothing = np.zeros(0, np.int64)
    tokens = TokenTable(nothing, nothing, chars.offsets, chars.doc_first)
    prep = Prepared(
        annotators=names, labels=labels, doc_ids=doc_ids, texts=doc_texts, submitted=submitted,
        tokens=tokens, spans=spans, tie_rank=tie_rank, excluded=[],
        single=len(submitters) - len(doc_ids), total=len(submitters), warnings=[],
        key_base=key_base, notes=notes,
    )  # fmt: skip
    return prep, chars


def _note_left_out(
    notes: dict[str, dict[str, SpanNotes]],
    names: list[str],
    doc_ids: list[str],
    bad: npt.NDArray[np.bool_],
    codes: npt.NDArray[np.int16],
    start: npt.NDArray[np.int64],
    end: npt.NDArray[np.int64],
    limit: npt.NDArray[np.int64],
    who: npt.NDArray[np.int64],
    docs: npt.NDArray[np.int64],
    labels: list[Any],
) -> None:
    """``prepare``'s note of each span left out (``bad``), per annotator and document in the
    order the record lists them: a record's spans are one after the other, so each record's
    notes are one run of lines (where every record of a project has one, a label taken out
    of it, a line per span at a time was most of the chunk's preparing)."""
    out = np.flatnonzero(bad)
    s, e = start[out], end[out]
    kind = np.where(codes[out] == 0, 0, np.where((s < 0) | (e <= s), 1, 2)).tolist()
    lines = [
        f"span {a}-{b} {label} excluded: "
        + (f"unknown label {label!r}" if k == 0 else "empty or reversed" if k == 1
           else f"out of range (the text has {most} characters)")
        for a, b, label, k, most in zip(
            s.tolist(), e.tolist(), [labels[i] for i in out.tolist()], kind,
            limit[out].tolist(), strict=True,
        )
    ]  # fmt: skip
    key = who[out] * max(1, len(doc_ids)) + docs[out]
    firsts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = [*firsts[1:].tolist(), len(out)]
    for first, last, w, k in zip(
        firsts.tolist(), ends, who[out][firsts].tolist(), docs[out][firsts].tolist(), strict=True
    ):
        of_name = notes.setdefault(names[w], {})
        of_name.setdefault(doc_ids[k], ([], []))[0].extend(lines[first:last])

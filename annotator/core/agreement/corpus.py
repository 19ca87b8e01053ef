"""What agreement is computed from, and which documents and spans count (docs/agreement.md 3.0).

A ``Corpus`` holds each annotator's *submitted* annotations as plain ``(start, end, label)``
tuples per document; ``prepare`` decides eligibility once for every statistic:

- documents submitted by at least two of the chosen annotators are compared (``D_>=2``);
- a document whose text differs between its annotators is excluded, with the reason;
- invalid spans (out of range, empty, unknown label, offsets that are not integers) are
  dropped and listed as data warnings; exact duplicates are removed (set semantics);
- everything is laid out as numpy arrays: the compared texts end to end (``TokenTable``) and
  each annotator's spans as positions in that layout, sorted by ``(start, end, label)``.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from annotator.core.agreement.spans import SpanTuple
from annotator.core.agreement.tokens import IntArray, TokenTable, tokenize_corpus, untokenized
from annotator.core.model import DEFAULT_LABELS

DEFAULT_LABEL_NAMES: tuple[str, ...] = tuple(label[0] for label in DEFAULT_LABELS)
MAX_WARNINGS_PER_ANNOTATOR = 1000  # past this, one line says how many more


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector while building large acyclic structures (parsed records,
    per-document results): its repeated passes over them cost more than building them, and
    everything made here is freed by reference counting anyway."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class SpanColumns(Sequence[SpanTuple]):
    """Spans kept as three parallel lists, read as ``(start, end, label)`` tuples.

    What the loader makes: three lists per document instead of a tuple per span means far
    fewer objects for the garbage collector to walk, and no transposing later.
    """

    __slots__ = ("ends", "labels", "starts")

    def __init__(self, starts: list[Any], ends: list[Any], labels: list[Any]) -> None:
        self.starts = starts
        self.ends = ends
        self.labels = labels

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, index: int) -> SpanTuple: ...
    @overload
    def __getitem__(self, index: slice) -> list[SpanTuple]: ...
    def __getitem__(self, index: int | slice) -> SpanTuple | list[SpanTuple]:
        if isinstance(index, slice):
            return list(zip(self.starts[index], self.ends[index], self.labels[index], strict=True))
        return (self.starts[index], self.ends[index], self.labels[index])

    def __iter__(self) -> Iterator[SpanTuple]:
        return zip(self.starts, self.ends, self.labels, strict=True)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"SpanColumns({list(self)!r})"


@dataclass(frozen=True, slots=True)
class Submission:
    """One annotator's submitted annotation of one document.

    ``source`` says where it came from (``annotations/ani.jsonl:12``) for data warnings.
    """

    text: str
    spans: Sequence[SpanTuple]
    source: str = ""


@dataclass
class Corpus:
    """Every chosen annotator's submitted annotations: ``submissions[annotator][doc_id]``.

    Only submitted (``done``) annotations belong here: a document an annotator skipped, left
    in progress or never opened is simply absent (missing, never "no entities"). An annotator
    with no submission at all still takes part (their pairs have no documents).
    """

    labels: tuple[str, ...] = DEFAULT_LABEL_NAMES
    submissions: dict[str, dict[str, Submission]] = field(default_factory=dict)
    total_documents: int | None = None  # documents in the project; None: the ids seen here
    titles: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_spans(
        cls,
        texts: Mapping[str, str],
        annotations: Mapping[str, Mapping[str, Iterable[SpanTuple]]],
        labels: Sequence[str] = DEFAULT_LABEL_NAMES,
        total_documents: int | None = None,
    ) -> Corpus:
        """A corpus where every annotator saw the same ``texts[doc_id]``."""
        return cls(
            labels=tuple(labels),
            submissions={
                name: {doc: Submission(texts[doc], tuple(spans)) for doc, spans in docs.items()}
                for name, docs in annotations.items()
            },
            total_documents=total_documents,
        )

    @property
    def annotators(self) -> list[str]:
        """Annotator names, sorted."""
        return sorted(self.submissions)


@dataclass(frozen=True)
class Exclusion:
    """A document left out of every statistic, and why."""

    id: str
    reason: str


@dataclass(frozen=True)
class SpanArrays:
    """One annotator's valid spans of the compared documents, sorted by (start, end, label).

    ``starts``/``ends`` are positions in the ``TokenTable`` layout; ``codes`` are label codes
    (1..L in project order; 0 is ``O``); ``docs`` index ``Prepared.doc_ids``.
    """

    starts: IntArray
    ends: IntArray
    codes: npt.NDArray[np.int16]
    docs: IntArray

    def take(self, keep: npt.NDArray[np.bool_]) -> SpanArrays:
        """The spans where ``keep`` is true."""
        return SpanArrays(self.starts[keep], self.ends[keep], self.codes[keep], self.docs[keep])

    def __len__(self) -> int:
        return len(self.starts)


@dataclass
class Prepared:
    """The eligible data of a corpus for a group of annotators, as arrays."""

    annotators: list[str]
    labels: tuple[str, ...]
    doc_ids: list[str]  # compared documents (D_>=2), sorted by id
    texts: list[str]
    submitted: npt.NDArray[np.bool_]  # [annotator, document]
    tokens: TokenTable
    spans: list[SpanArrays]
    tie_rank: npt.NDArray[np.int16]  # alphabetical rank of each label code (ties, sorting)
    excluded: list[Exclusion]
    single: int  # documents submitted by exactly one of the annotators
    total: int
    warnings: list[str]
    key_base: int  # > any span length: (start * key_base + length) is a unique bounds key
    # each annotator's span warnings per compared document, without where they came from:
    # (spans left out, duplicates removed), as ``span_warnings`` makes them lines
    notes: dict[str, dict[str, SpanNotes]] = field(default_factory=dict)

    @property
    def raters(self) -> npt.NDArray[np.int64]:
        """How many of the annotators submitted each compared document."""
        counts: npt.NDArray[np.int64] = self.submitted.sum(axis=0).astype(np.int64)
        return counts


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _text_mismatch(doc_id: str, versions: list[tuple[str, str]]) -> str:
    groups: dict[str, list[str]] = {}
    for name, text in versions:
        groups.setdefault(_sha(text), []).append(name)
    parts = "; ".join(f"{', '.join(names)} saw text {sha}" for sha, names in groups.items())
    return f"text differs between annotators ({parts})"


def prepare(
    corpus: Corpus, annotators: Sequence[str] | None = None, tokens: bool = True
) -> Prepared:
    """Eligible documents, valid spans and their arrays for ``annotators`` (default: all).

    With ``tokens=False`` the texts are laid out but not tokenized (span F1 only).
    """
    names = sorted(set(annotators if annotators is not None else corpus.annotators))
    subs = [corpus.submissions.get(name, {}) for name in names]
    warnings = list(corpus.warnings)
    seen = sorted(set().union(*(s.keys() for s in subs)) if subs else set())
    doc_ids: list[str] = []
    texts: list[str] = []
    excluded: list[Exclusion] = []
    single = 0
    for doc_id in seen:
        versions = [
            (name, s[doc_id].text) for name, s in zip(names, subs, strict=True) if doc_id in s
        ]
        if len(versions) < 2:
            single += 1
            continue
        text = versions[0][1]
        if any(v != text for _, v in versions[1:]):
            excluded.append(Exclusion(doc_id, _text_mismatch(doc_id, versions)))
            continue
        doc_ids.append(doc_id)
        texts.append(text)
    submitted = np.array([[d in s for d in doc_ids] for s in subs], bool).reshape(
        len(names), len(doc_ids)
    )
    labels = tuple(corpus.labels)
    order = sorted(range(len(labels)), key=lambda i: labels[i])
    tie_rank = np.zeros(len(labels) + 1, np.int16)
    for rank, i in enumerate(order):
        tie_rank[i + 1] = rank
    table = tokenize_corpus(texts) if tokens else untokenized(texts)
    key_base = max((len(t) for t in texts), default=0) + 1
    layout = int(table.offsets[-1]) + key_base if texts else 1
    if layout * key_base * (len(labels) + 1) >= 2**62:
        raise ValueError("corpus too large for 64-bit span keys")
    code_of = {label: i + 1 for i, label in enumerate(labels)}
    notes: dict[str, dict[str, SpanNotes]] = {}
    spans = []
    for name, sub in zip(names, subs, strict=True):
        notes[name] = {}
        spans.append(_span_arrays(name, sub, doc_ids, texts, table, code_of, tie_rank, notes[name]))
        warnings += span_warnings(
            name, [(d, sub[d].source, notes[name][d]) for d in doc_ids if d in notes[name]]
        )
    total = corpus.total_documents if corpus.total_documents is not None else len(seen)
    return Prepared(
        annotators=names,
        labels=labels,
        doc_ids=doc_ids,
        texts=texts,
        submitted=submitted,
        tokens=table,
        spans=spans,
        tie_rank=tie_rank,
        excluded=excluded,
        single=single,
        total=max(total, len(seen)),
        warnings=warnings,
        key_base=key_base,
        notes={name: of_name for name, of_name in notes.items() if of_name},
    )


SpanNotes = tuple[list[str], list[str]]
"""One annotator's warnings about one document's spans, each without where it came from:
the spans left out (in the order the record lists them), then the duplicates removed (in
the order of their bounds)."""


def span_warnings(
    name: str, docs: Iterable[tuple[str, str, SpanNotes]], total: int | None = None
) -> list[str]:
    """The warning lines of ``name``'s spans: ``docs`` are (document, where its record came
    from, its notes), in the compared documents' order. Every span left out first, then every
    duplicate, each line naming where; past ``MAX_WARNINGS_PER_ANNOTATOR``, one line says
    how many more. The report from kept parts (decision 0116) makes its lines here too.
    ``total``: how many notes there are in all, where ``docs`` are only the documents whose
    lines are shown (decision 0119: every document whose notes come before the cut, in
    either list)."""
    left: list[str] = []
    dups: list[str] = []
    for doc_id, source, (out, twice) in docs:
        where = source or f"{name}, document {doc_id}"
        left += [f"{where}: {note}" for note in out]
        dups += [f"{where}: {note}" for note in twice]
    problems = left + dups
    count = len(problems) if total is None else total
    if count > MAX_WARNINGS_PER_ANNOTATOR:
        more = count - MAX_WARNINGS_PER_ANNOTATOR
        problems = [*problems[:MAX_WARNINGS_PER_ANNOTATOR], f"{name}: {more} more span warnings"]
    return problems


def _offsets(
    starts: list[Any], ends: list[Any]
) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
    """Offsets as int64 arrays, and which spans had proper integer offsets."""
    start, end = np.array(starts), np.array(ends)
    if start.dtype.kind in "iu" and end.dtype.kind in "iu":
        return start.astype(np.int64), end.astype(np.int64), np.ones(len(starts), bool)
    # the slow path, only for bad data: strings, floats, booleans or huge numbers
    fine = [
        type(x) is int and type(y) is int and abs(x) < 2**62 and abs(y) < 2**62
        for x, y in zip(starts, ends, strict=True)
    ]
    start = np.array([x if ok else 0 for x, ok in zip(starts, fine, strict=True)], np.int64)
    end = np.array([y if ok else 0 for y, ok in zip(ends, fine, strict=True)], np.int64)
    return start, end, np.array(fine, bool)


def _span_arrays(
    name: str,
    sub: Mapping[str, Submission],
    doc_ids: list[str],
    texts: list[str],
    table: TokenTable,
    code_of: Mapping[str, int],
    tie_rank: npt.NDArray[np.int16],
    notes: dict[str, SpanNotes],
) -> SpanArrays:
    """The valid spans of ``name``'s compared documents as arrays; what was left out or
    removed, per document, in ``notes``."""
    starts: list[Any] = []
    ends: list[Any] = []
    labels: list[Any] = []
    sizes: list[int] = []
    for doc_id in doc_ids:
        entry = sub.get(doc_id)
        spans = entry.spans if entry is not None else ()
        if isinstance(spans, SpanColumns):  # what the loader makes: no tuples to take apart
            starts += spans.starts
            ends += spans.ends
            labels += spans.labels
        elif spans:
            if any(len(x) != 3 for x in spans):
                raise ValueError(f"{name}, document {doc_id}: spans are (start, end, label)")
            starts += [x[0] for x in spans]
            ends += [x[1] for x in spans]
            labels += [x[2] for x in spans]
        sizes.append(len(spans))
    doc = np.repeat(np.arange(len(doc_ids), dtype=np.int64), sizes)
    start, end, numeric = _offsets(starts, ends)
    try:
        code = np.array(list(map(code_of.get, labels, repeat(0))), np.int16)
    except TypeError:  # an unhashable label (bad data): the slow way
        code = np.array([code_of.get(x, 0) if isinstance(x, str) else 0 for x in labels], np.int16)
    lengths = np.array([len(t) for t in texts], np.int64)
    limit = lengths[doc] if len(doc) else np.zeros(0, np.int64)
    bad = ~numeric | (code == 0) | (start < 0) | (end <= start) | (end > limit)
    for i in np.flatnonzero(bad).tolist():
        if not numeric[i]:
            reason = "offsets are not integers"
        elif code[i] == 0:
            reason = f"unknown label {labels[i]!r}"
        elif start[i] < 0 or end[i] <= start[i]:
            reason = "empty or reversed"
        else:
            reason = f"out of range (the text has {limit[i]} characters)"
        notes.setdefault(doc_ids[doc[i]], ([], []))[0].append(
            f"span {starts[i]}-{ends[i]} {labels[i]} excluded: {reason}"
        )
    good = ~bad
    pos = start[good] + table.offsets[doc[good]]
    arrays = SpanArrays(pos, end[good] - start[good] + pos, code[good], doc[good])
    order = np.lexsort((tie_rank[arrays.codes], arrays.ends, arrays.starts))
    arrays = SpanArrays(
        arrays.starts[order], arrays.ends[order], arrays.codes[order], arrays.docs[order]
    )
    dup = np.zeros(len(arrays), bool)
    dup[1:] = (
        (arrays.starts[1:] == arrays.starts[:-1])
        & (arrays.ends[1:] == arrays.ends[:-1])
        & (arrays.codes[1:] == arrays.codes[:-1])
    )
    for i in np.flatnonzero(dup).tolist():
        doc_id = doc_ids[arrays.docs[i]]
        s = int(arrays.starts[i] - table.offsets[arrays.docs[i]])
        e = s + int(arrays.ends[i] - arrays.starts[i])
        notes.setdefault(doc_id, ([], []))[1].append(f"duplicate span {s}-{e} removed")
    return arrays.take(~dup)

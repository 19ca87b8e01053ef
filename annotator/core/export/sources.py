"""Which spans an export holds for each document: one annotator's, gold's, or the merge.

Only ``done`` annotations count (docs/design.md section 3). ``merged`` takes gold where gold has
a done annotation, otherwise the spans that a strict majority of the annotators who submitted
the document agree on exactly (same start, end and label). A strict majority of flat annotations
never overlaps itself: two overlapping spans cannot each be held by more than half of the
annotators, since no annotator holds both. An annotation made on a text that has changed since
(its hash differs from the project's document) is left out and listed as stale.

Annotations are read through read-only sessions, so edits still in a journal count. Only the
resolved spans are kept, as flat integer arrays, never the texts: a 100,000-document corpus
fits in a few tens of megabytes.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from typing import BinaryIO

from annotator.core.errors import AnnotatorError, BadRecordError
from annotator.core.export.records import read_record_without_text
from annotator.core.model import GOLD, check_annotator_name
from annotator.core.model import MERGED as MERGED  # defined with GOLD; exported from here
from annotator.core.storage import AnnotatorStore, ProjectStore
from annotator.core.store import Session

SOURCES_HELP = "gold, merged, or an annotator's name"

Progress = Callable[[str, int, int], bool | None]
"""``progress(phase, done, total)``; returning False cancels the export."""

PROGRESS_EVERY = 256


class ExportCancelled(AnnotatorError):
    """The progress callback asked to stop; nothing was written."""

    def __init__(self) -> None:
        super().__init__("export cancelled; nothing was written")


@dataclass
class Resolved:
    """The spans of every exported document, in project order, and how they were chosen."""

    source: str
    labels: tuple[str, ...]
    spans: dict[str, array[int]] = field(default_factory=dict)  # id -> start, end, label idx...
    origin: dict[str, str] = field(default_factory=dict)  # id -> gold|majority|single|<name>
    origins: Counter[str] = field(default_factory=Counter)
    not_done: int = 0  # project documents the source has no done annotation for
    stale: list[tuple[str, str]] = field(default_factory=list)  # (id, annotator)
    orphans: int = 0  # done annotations of ids that are not project documents
    no_majority: int = 0  # distinct spans proposed in merged documents without a majority
    warnings: list[str] = field(default_factory=list)

    def triples(self, doc_id: str) -> list[tuple[int, int, str]]:
        """``(start, end, label)`` of ``doc_id``'s spans."""
        flat, labels = self.spans[doc_id], self.labels
        return [(flat[i], flat[i + 1], labels[flat[i + 2]]) for i in range(0, len(flat), 3)]

    def label_sets(self) -> dict[str, frozenset[str]]:
        """The labels present in each document (what stratification needs)."""
        labels = self.labels
        return {
            doc_id: frozenset(labels[flat[i]] for i in range(2, len(flat), 3))
            for doc_id, flat in self.spans.items()
        }


def resolve(project: ProjectStore, source: str, progress: Progress | None = None) -> Resolved:
    """Read the source's done annotations and decide the spans of every document."""
    labels = project.config.label_names
    label_index = {name: i for i, name in enumerate(labels)}
    result = Resolved(source, labels)
    available = project.annotators(include_gold=True)
    readers: list[_Reader | _StoreReader]
    if source == MERGED:
        if not available:
            raise AnnotatorError("nothing to export: the project has no annotations yet")
        gold = _reader(project.session(GOLD, read_only=True)) if GOLD in available else None
        raters = [
            _reader(project.session(name, read_only=True))
            for name in project.annotators(include_gold=False)
        ]
        readers = ([gold] if gold else []) + raters
    else:
        try:
            check_annotator_name(source)
        except ValueError as exc:
            raise AnnotatorError(f"--source: {exc}; or use {MERGED}") from None
        if source not in available:
            known = ", ".join(available) or "none yet"
            raise AnnotatorError(f"no annotations by {source!r} in this project (have: {known})")
        gold, raters = None, []
        readers = [_reader(project.session(source, read_only=True))]
    try:
        _resolve(project, source, readers, gold, raters, label_index, result, progress)
    finally:
        for reader in readers:
            reader.close()
    return result


def _resolve(
    project: ProjectStore,
    source: str,
    readers: list[_Reader | _StoreReader],
    gold: _Reader | _StoreReader | None,
    raters: list[_Reader | _StoreReader],
    label_index: dict[str, int],
    result: Resolved,
    progress: Progress | None,
) -> None:
    for reader in readers:
        result.warnings += reader.errors()
    result.warnings += project.warnings
    docs = project.documents
    total = len(docs)
    for n, doc_id in enumerate(docs.ids):
        if (
            progress is not None
            and n % PROGRESS_EVERY == 0
            and progress("reading", n, total) is False
        ):
            raise ExportCancelled
        sha = docs.sha(doc_id)
        if source != MERGED:
            spans = readers[0].done_spans(doc_id, sha, result)
            if spans is None:
                result.not_done += 1
                continue
            _keep(result, doc_id, source, spans, label_index)
            continue
        if gold is not None:
            spans = gold.done_spans(doc_id, sha, result)
            if spans is not None:
                _keep(result, doc_id, GOLD, spans, label_index)
                continue
        votes = [v for r in raters if (v := r.done_spans(doc_id, sha, result)) is not None]
        if not votes:
            result.not_done += 1
        elif len(votes) == 1:
            _keep(result, doc_id, "single", votes[0], label_index)
        else:
            # an annotation holds a span once (its spans never overlap): a plain count is a vote
            counts = Counter(chain.from_iterable(votes))
            agreed = [key for key, c in counts.items() if 2 * c > len(votes)]
            result.no_majority += len(counts) - len(agreed)
            _keep(result, doc_id, "majority", agreed, label_index)
    if progress is not None and progress("reading", total, total) is False:
        raise ExportCancelled
    for reader in readers:
        session = reader.session
        result.orphans += sum(
            1 for d in session.touched() if d not in docs and session.status(d) == "done"
        )


def _reader(session: AnnotatorStore) -> _Reader | _StoreReader:
    """The fast file reader for a folder's session, the interface reader for any other."""
    return _Reader(session) if isinstance(session, Session) else _StoreReader(session)


class _StoreReader:
    """One annotator's done annotations through any store's read-only annotator store."""

    def __init__(self, session: AnnotatorStore) -> None:
        self.session = session
        self.name = session.name

    def errors(self) -> list[str]:
        return []

    def close(self) -> None:
        self.session.close()

    def done_spans(
        self, doc_id: str, sha: str, result: Resolved
    ) -> list[tuple[int, int, str]] | None:
        """The spans of a done annotation on the current text, else None (stale ones listed)."""
        if self.session.status(doc_id) != "done":
            return None
        try:
            ann = self.session.annotation(doc_id)
        except BadRecordError as err:  # left out and named, as a folder's bad line is
            result.warnings.append(str(err))
            return None
        if ann is None or ann.status != "done":
            return None
        if ann.text_sha256 != sha:
            result.stale.append((doc_id, self.name))
            return None
        return [(s.start, s.end, s.label) for s in ann.spans]


class _Reader:
    """One annotator's done annotations through a read-only session, read fast.

    Edits still in the journal come from the session; saved records are read from the JSONL
    file at the offsets of the session's line index through one open handle. A line is in
    that index only if it validated when indexed (the index is rebuilt whenever the file's
    size or time changes), so it is parsed as plain JSON, not validated again: that halves
    the cost of reading a large project.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.name = session.name
        self.pending = session.pending()
        self.index = session.file.index
        self.path = session.file.path
        self.file: BinaryIO | None = open(self.path, "rb") if len(self.index) else None  # noqa: SIM115

    def errors(self) -> list[str]:
        return [str(e) for e in self.session.file.errors]

    def close(self) -> None:
        if self.file is not None:
            self.file.close()

    def done_spans(
        self, doc_id: str, sha: str, result: Resolved
    ) -> list[tuple[int, int, str]] | None:
        """The spans of a done annotation on the current text, else None (stale ones listed)."""
        if doc_id in self.pending:  # journaled, not yet compacted (None: back to untouched)
            ann = self.pending[doc_id]
            if ann is None or ann.status != "done":
                return None
            if ann.text_sha256 != sha:
                result.stale.append((doc_id, self.name))
                return None
            return [(s.start, s.end, s.label) for s in ann.spans]
        entry = self.index.entry(doc_id)
        if entry is None or entry.summary.status != "done" or self.file is None:
            return None
        if entry.summary.sha256 != sha:
            result.stale.append((doc_id, self.name))
            return None
        self.file.seek(entry.offset)
        raw = self.file.read(entry.length)
        record = read_record_without_text(str(self.path), entry.line, raw)  # spans and id
        if record.get("id") != doc_id:
            raise AnnotatorError(
                f"{self.path}:{entry.line}: changed during the export; run it again"
            )
        return [(s["start"], s["end"], s["label"]) for s in record["spans"]]


def _keep(
    result: Resolved,
    doc_id: str,
    origin: str,
    spans: list[tuple[int, int, str]],
    label_index: dict[str, int],
) -> None:
    result.spans[doc_id] = array(
        "i", [v for start, end, label in sorted(spans) for v in (start, end, label_index[label])]
    )
    result.origin[doc_id] = origin
    result.origins[origin] += 1

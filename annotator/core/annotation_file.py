"""``annotations/<name>.jsonl``: read through a cached line index, rewritten by compaction.

Compaction (``compact``) streams the old file into a temp file in the same folder, swapping in
the edited records and copying every other line byte for byte (bad lines included: they are
never rewritten away), dropping the lines of documents taken back to untouched, then fsyncs
and renames it over the old one (``jsonl.atomic_write``). The new line index is worked out
from the old one without reading the file back.
"""

from __future__ import annotations

import contextlib
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from pydantic import ValidationError

from annotator.core.errors import RecordError, describe
from annotator.core.index import (
    IndexEntry,
    IndexKind,
    LineIndex,
    StaleIndexError,
    build_index,
    save_cache,
)
from annotator.core.jsonl import atomic_write, decode_line, dumps
from annotator.core.model import Annotation, Status
from annotator.core.quick_index import quick_index

if TYPE_CHECKING:
    from annotator.core.project import Project


_STATUS = re.compile(rb'"status":"([a-z_]{1,12})"')
_STATUS_BYTES: dict[bytes, Status] = {
    b"in_progress": "in_progress",
    b"done": "done",
    b"skipped": "skipped",
}


class AnnotationSummary(NamedTuple):
    """What the index keeps of an annotation: enough for stats and the document list."""

    status: Status
    sha256: str
    """Hex SHA-256 of the text the annotation was made on."""
    seconds: float
    labels: dict[str, int]
    """How many spans carry each label."""


@lru_cache(maxsize=16)
def annotation_kind(labels: frozenset[str] | None) -> IndexKind[AnnotationSummary]:
    """The index of an annotator's file, validated against ``labels`` (one per label list).

    The labels are part of the cache key: a line that was valid may not be under another
    label list, so a cache made under one is not used under another.
    """
    context = {"labels": labels}

    def summarise(path: str, lineno: int, raw: bytes) -> tuple[str, AnnotationSummary]:
        try:  # the fast path: parse and validate in one pass
            ann = Annotation.model_validate_json(raw, context=context)
        except ValidationError:  # again the slow way, for a precise message
            ann = parse_annotation(path, lineno, decode_line(path, lineno, raw), labels)
        return ann.id, summary_of(ann)

    key = "\n".join(sorted(labels)) if labels is not None else "*"
    return IndexKind("annotations", AnnotationSummary, summarise, key)


def summary_of(ann: Annotation) -> AnnotationSummary:
    """The index summary of ``ann``."""
    counts = dict(Counter(s.label for s in ann.spans))
    return AnnotationSummary(ann.status, ann.text_sha256, ann.seconds, counts)


def parse_annotation(
    path: str, lineno: int, record: dict[str, Any], labels: frozenset[str] | None
) -> Annotation:
    """Validate one record, raising RecordError with ``path:lineno`` and the reason."""
    try:
        return Annotation.model_validate(record, context={"labels": labels})
    except ValidationError as exc:
        raise RecordError(path, lineno, describe(exc)) from None


class AnnotationFile:
    """Read access to ``annotations/<name>.jsonl`` through a cached line index.

    Raises AnnotatorError when the path is there but is not a file (a folder).
    """

    def __init__(self, project: Project, name: str) -> None:
        self.project = project
        self.name = name
        self.path = project.annotations_dir / f"{name}.jsonl"
        self.cache = project.index_cache(name)
        self.labels = frozenset(project.config.label_names)
        self.kind = annotation_kind(self.labels)
        self.kind_context = {"labels": self.labels}
        self.quick = project.quick
        self.index: LineIndex[AnnotationSummary] = self._build(use_cache=True)

    def _build(self, use_cache: bool) -> LineIndex[AnnotationSummary]:
        """The full index, or in a quick project a quick one (``quick_index.quick_index``)."""
        if self.quick:
            return quick_index(self.path, self.kind, self.cache if use_cache else None)
        return build_index(self.path, self.kind, self.cache, use_cache=use_cache)

    def reload(self) -> None:
        """Re-read the index if the file changed on disk."""
        self.index = self._build(use_cache=True)

    def adopt(self, full: LineIndex[AnnotationSummary]) -> bool:
        """Take ``full``, the full index of the file this quick index was made of (built off
        the window's thread); False when it is of another state of the file (a compaction
        came between), or of other labels."""
        if not full.complete or full.stamp != self.index.stamp or full.kind != self.kind:
            return False
        if full.path != self.path:
            return False
        self.index = full
        return True

    @property
    def errors(self) -> list[RecordError]:
        """Lines that failed to parse or validate (kept in the file, never rewritten away)."""
        return self.index.errors

    def ids(self) -> list[str]:
        """Ids of the documents with a valid record, in file order."""
        return self.index.ids()

    def status(self, doc_id: str) -> Status | None:
        """The stored status of ``doc_id``, None if there is no record.

        On a quick index a line not yet validated has its status read from its bytes (the
        ``"status":"..."`` key, as the app writes it), a twentieth of validating it: the list's
        icons and "next unfinished" walk many documents before the full index is in. The full
        index, when adopted, has the validated one."""
        row = self.index.rows.get(doc_id)
        if row is None:  # most documents, in a large project
            return None
        if row[3] is None and doc_id not in self.index.failed:
            quick = self._quick_status(row[0], row[1], row[2])
            if quick is not None:
                return quick
        summary = self.index.lookup(doc_id)
        return summary.status if summary is not None else None

    def _quick_status(self, line: int, offset: int, length: int) -> Status | None:
        try:
            raw = self.index.read_raw_at(line, offset, length)
        except (OSError, RecordError):
            return None
        found = _STATUS.search(raw)
        if found is None:
            return None
        return _STATUS_BYTES.get(found.group(1))

    def get(self, doc_id: str) -> Annotation | None:
        """The stored record of ``doc_id``, or None.

        The line is parsed and validated in one pass, in pydantic's core; only a line that
        fails is read again the slow way, for its message (or indexed again when the file
        changed under the index). A quick index's line that fails validation is absent, as
        it is from a full index."""
        if doc_id not in self.index or self.index.lookup(doc_id) is None:
            return None
        try:
            lineno, raw = self.index.read_raw(doc_id)
            ann = Annotation.model_validate_json(raw, context=self.kind_context)
            if ann.id == doc_id:
                return ann
        except (StaleIndexError, ValidationError):
            pass
        try:
            lineno, record = self.index.read_record(doc_id)
        except StaleIndexError:  # changed under us (or a cache lied): index it again
            self.index = self._build(use_cache=False)
            if doc_id not in self.index:
                return None
            lineno, record = self.index.read_record(doc_id)
        return parse_annotation(str(self.path), lineno, record, self.labels)

    def __iter__(self) -> Iterator[Annotation]:
        for doc_id in self.index.ids():
            ann = self.get(doc_id)
            if ann is not None:
                yield ann


def record_line(ann: Annotation) -> bytes:
    """The JSONL line of ``ann`` (no newline)."""
    return dumps(ann.model_dump(mode="json")).encode("utf-8")


def compact(file: AnnotationFile, pending: Mapping[str, Annotation | None]) -> None:
    """Rewrite ``file`` atomically with ``pending`` (None: remove that document's line).

    Untouched lines (bad ones included) are copied byte for byte in large blocks, so nothing
    before the first edited line moves and no line is parsed again. ``file.index`` follows.
    """
    path, old = file.path, file.index
    lines = {rid: record_line(ann) for rid, ann in pending.items() if ann is not None}
    edits: list[_LineEdit] = []
    appended: list[tuple[Annotation, bytes]] = []
    for rid, ann in pending.items():
        entry = old.entry(rid)
        if entry is None:
            if ann is not None:
                appended.append((ann, lines[rid]))
            continue
        edits.append(_LineEdit(entry.offset, entry.length, entry.line, rid, lines.get(rid)))
    edits.sort()
    old_size = path.stat().st_size if path.exists() else 0
    with open(path, "rb") if old_size else contextlib.nullcontext() as f:
        if f is not None:  # a deleted line takes its line ending with it
            edits = [e._replace(ending=_ending(f, e.offset + e.length)) for e in edits]

        def chunks() -> Iterator[bytes]:
            pos = 0
            for e in edits:
                yield from _copy_range(f, pos, e.offset)
                if e.line is not None:
                    yield e.line
                    pos = e.offset + e.length
                else:
                    pos = e.offset + e.length + e.ending
            if f is not None:
                yield from _copy_range(f, pos, old_size)
                if old_size and not _last_byte_is_newline(f, old_size):
                    yield b"\n"
            for _, line in appended:
                yield line + b"\n"

        atomic_write(path, chunks())
    file.index = _index_after(file, old, edits, appended, pending)
    save_cache(file.index, file.cache)


class _LineEdit(NamedTuple):
    """A line of the old file replaced by ``line``, or removed (``line`` None)."""

    offset: int
    length: int
    lineno: int
    rid: str
    line: bytes | None
    ending: int = 0
    """Bytes of the line ending after it (1 or 2; 0 at the end of the file)."""


def _ending(f: BinaryIO, pos: int) -> int:
    f.seek(pos)
    after = f.read(2)
    return 2 if after == b"\r\n" else 1 if after[:1] == b"\n" else 0


def _index_after(
    file: AnnotationFile,
    old: LineIndex[AnnotationSummary],
    edits: list[_LineEdit],
    appended: list[tuple[Annotation, bytes]],
    pending: Mapping[str, Annotation | None],
) -> LineIndex[AnnotationSummary]:
    """The line index of the rewritten file, derived without reading it back."""
    starts = [e.offset for e in edits]
    shift_bytes: list[int] = []
    shift_lines: list[int] = []
    total_bytes = total_lines = 0
    removed_lines: list[int] = []
    for e in edits:
        if e.line is None:
            total_bytes -= e.length + e.ending
            total_lines -= 1
            removed_lines.append(e.lineno)
        else:
            total_bytes += len(e.line) - e.length
        shift_bytes.append(total_bytes)
        shift_lines.append(total_lines)
    new_lines = {e.rid: e.line for e in edits}
    rows: dict[str, tuple[Any, ...]] = {}
    for rid, (lineno, offset, length, summary) in old.rows.items():
        if rid in old.failed:  # an error line (its error is in old.errors), copied as it was
            continue
        k = bisect_left(starts, offset)  # edited lines strictly before this one shift it
        moved = shift_bytes[k - 1] if k else 0
        renumbered = lineno + (shift_lines[k - 1] if k else 0)
        if rid in pending:
            ann, line = pending[rid], new_lines[rid]
            if ann is not None and line is not None:
                rows[rid] = IndexEntry(renumbered, offset + moved, len(line), summary_of(ann))
        else:
            rows[rid] = IndexEntry(renumbered, offset + moved, length, summary)
    removed_lines.sort()
    errors = [
        RecordError(e.path, e.line - bisect_right(removed_lines, e.line), e.reason)
        for e in old.errors
    ]
    st = file.path.stat()
    lines = old.lines + total_lines
    offset = st.st_size - sum(len(line) + 1 for _, line in appended)
    for ann, line in appended:
        lines += 1
        rows[ann.id] = IndexEntry(lines, offset, len(line), summary_of(ann))
        offset += len(line) + 1
    return LineIndex(
        path=file.path,
        kind=old.kind,
        rows=rows,
        errors=errors,
        size=st.st_size,
        mtime_ns=st.st_mtime_ns,
        ino=st.st_ino,
        lines=lines,
        complete=old.complete,
    )


def _copy_range(f: BinaryIO | None, start: int, end: int, block: int = 1 << 20) -> Iterator[bytes]:
    """Yield the bytes ``[start, end)`` of the open file ``f`` in blocks."""
    if f is None or end <= start:
        return
    f.seek(start)
    left = end - start
    while left > 0:
        data = f.read(min(block, left))
        if not data:
            raise OSError(f"{f.name} changed while it was being saved")
        left -= len(data)
        yield data


def _last_byte_is_newline(f: BinaryIO, size: int) -> bool:
    f.seek(size - 1)
    return f.read(1) == b"\n"


__all__ = [
    "AnnotationFile",
    "AnnotationSummary",
    "annotation_kind",
    "compact",
    "parse_annotation",
    "record_line",
    "summary_of",
]

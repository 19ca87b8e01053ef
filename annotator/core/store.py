"""One annotator's annotations: the clean JSONL file, the fsynced journal, and the lock.

docs/design.md section 6. Every edit is appended to ``.annotator/<name>.journal`` and fsynced before
``Session`` returns (only then may a window show it as saved). ``save()`` rewrites
``annotations/<name>.jsonl`` atomically from the old file plus the edited records (untouched
lines, bad ones included, are copied byte for byte) and then empties the journal. Opening
replays a journal left behind by a crash. Journal lines hold a document's whole new state, not
a diff, so replaying one twice (a crash between the rewrite and the truncation) is harmless.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import socket
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from filelock import FileLock, Timeout
from pydantic import ValidationError

from annotator.core.errors import AnnotatorError, LockedError, RecordError, describe
from annotator.core.index import (
    IndexEntry,
    IndexKind,
    LineIndex,
    StaleIndexError,
    build_index,
    save_cache,
)
from annotator.core.jsonl import atomic_write, decode_line, dumps
from annotator.core.model import (
    Annotation,
    Span,
    Status,
    check_annotator_name,
    make_span,
    now_iso,
    replace_overlapping,
)

if TYPE_CHECKING:
    from annotator.core.project import Project


class AnnotationSummary(NamedTuple):
    """What the index keeps of an annotation: enough for stats and the document list."""

    status: Status
    sha256: str
    """Hex SHA-256 of the text the annotation was made on."""
    seconds: float
    labels: dict[str, int]
    """How many spans carry each label."""


def annotation_kind(labels: frozenset[str] | None) -> IndexKind[AnnotationSummary]:
    """The index of an annotator's file, validated against ``labels``.

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
    """Read access to ``annotations/<name>.jsonl`` through a cached line index."""

    def __init__(self, project: Project, name: str) -> None:
        self.project = project
        self.name = name
        self.path = project.annotations_dir / f"{name}.jsonl"
        self.cache = project.state_dir / "cache" / f"{name}.idx.json"
        self.labels = frozenset(project.config.label_names)
        self.kind = annotation_kind(self.labels)
        self.index: LineIndex[AnnotationSummary] = build_index(self.path, self.kind, self.cache)

    def reload(self) -> None:
        """Re-read the index if the file changed on disk."""
        self.index = build_index(self.path, self.kind, self.cache)

    @property
    def errors(self) -> list[RecordError]:
        """Lines that failed to parse or validate (kept in the file, never rewritten away)."""
        return self.index.errors

    def ids(self) -> list[str]:
        """Ids of the documents with a valid record, in file order."""
        return self.index.ids()

    def status(self, doc_id: str) -> Status | None:
        """The stored status of ``doc_id``, None if there is no record."""
        entry = self.index.entry(doc_id)
        return entry.summary.status if entry else None

    def get(self, doc_id: str) -> Annotation | None:
        """The stored record of ``doc_id``, or None."""
        if doc_id not in self.index:
            return None
        try:
            lineno, record = self.index.read_record(doc_id)
        except StaleIndexError:  # changed under us (or a cache lied): index it again
            self.index = build_index(self.path, self.kind, self.cache, use_cache=False)
            if doc_id not in self.index:
                return None
            lineno, record = self.index.read_record(doc_id)
        return parse_annotation(str(self.path), lineno, record, self.labels)

    def __iter__(self) -> Iterator[Annotation]:
        for doc_id in self.index.ids():
            ann = self.get(doc_id)
            if ann is not None:
                yield ann


def _holder() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # getuser raises various errors where no user name is set
        user = "unknown"
    return f"{user}@{socket.gethostname()} pid {os.getpid()} since {now_iso()}"


class Session:
    """Everything one annotator does to a project, durably. The only place state changes.

    ``read_only`` sessions (a second instance, or a lock held elsewhere) see the saved file
    plus the holder's journal, and refuse edits.
    """

    def __init__(self, project: Project, name: str, read_only: bool = False) -> None:
        check_annotator_name(name)
        self.project = project
        self.name = name
        self.read_only = read_only
        self.holder: str | None = None
        state = project.state_dir
        self.journal_path = state / f"{name}.journal"
        self._lock: FileLock | None = None
        self._journal_fd: int | None = None
        self._dirty: dict[str, Annotation] = {}
        self.replayed = 0
        if not read_only:
            state.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(state / f"{name}.lock"), timeout=0)
            try:
                lock.acquire()
            except Timeout:
                holder = self._read_holder()
                raise LockedError(name, holder) from None
            self._lock = lock
            with contextlib.suppress(OSError):
                (state / f"{name}.owner").write_text(_holder(), encoding="utf-8")
        self.file = AnnotationFile(project, name)
        if not read_only:
            # a compaction cut short by a crash leaves its temp file; the lock makes it ours
            for stale in project.annotations_dir.glob(f".{name}.jsonl.*.tmp"):
                with contextlib.suppress(OSError):
                    stale.unlink()
        self._replay()
        if not read_only:
            # 0o666: the umask decides, as for any file (os.open's default 0o777 made it 0755)
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
            self._journal_fd = os.open(self.journal_path, flags, 0o666)
            if self._dirty:
                self.save()

    # -- reading -------------------------------------------------------------------------

    def _read_holder(self) -> str:
        try:
            return (self.project.state_dir / f"{self.name}.owner").read_text("utf-8").strip()
        except OSError:
            return "another instance"

    def annotation(self, doc_id: str) -> Annotation | None:
        """The latest annotation of ``doc_id`` by this annotator, or None if untouched."""
        if doc_id in self._dirty:
            return self._dirty[doc_id]
        return self.file.get(doc_id)

    def status(self, doc_id: str) -> Status | None:
        """The latest status of ``doc_id`` (None: not started), without reading the text."""
        if doc_id in self._dirty:
            return self._dirty[doc_id].status
        return self.file.status(doc_id)

    def seconds(self, doc_id: str) -> float:
        """Time recorded on ``doc_id`` so far."""
        ann = self.annotation(doc_id)
        return ann.seconds if ann else 0.0

    def touched(self) -> Iterator[str]:
        """Ids of every document this annotator has a record for."""
        seen = set(self._dirty)
        yield from self._dirty
        for doc_id in self.file.index.ids():
            if doc_id not in seen:
                yield doc_id

    def status_counts(self) -> Counter[str]:
        """How many documents have each status (``todo`` for untouched project documents)."""
        counts: Counter[str] = Counter()
        docs = self.project.documents
        for doc_id in docs.ids:
            counts[self.status(doc_id) or "todo"] += 1
        return counts

    def pending(self) -> dict[str, Annotation]:
        """Journaled edits not yet compacted into the JSONL file, by document id."""
        return self._dirty

    @property
    def dirty(self) -> bool:
        """True when edits are journaled but not yet compacted into the JSONL file."""
        return bool(self._dirty)

    # -- editing -------------------------------------------------------------------------

    def base(self, doc_id: str) -> Annotation:
        """The current annotation of ``doc_id``, or a fresh empty one from the document."""
        ann = self.annotation(doc_id)
        if ann is not None:
            return ann
        doc = self.project.documents.get(doc_id)
        return Annotation(id=doc.id, text=doc.text, annotator=self.name, status="in_progress")

    def put(self, ann: Annotation) -> Annotation:
        """Journal ``ann`` as the new state of its document (fsynced), then adopt it."""
        return self.put_many([ann])[0]

    def put_many(self, anns: Sequence[Annotation]) -> list[Annotation]:
        """Journal several documents' new states with one fsync (all or none), then adopt them.

        For bulk work such as an import, where one fsync per record would dominate; an edit
        in the window goes through ``put``.
        """
        if self.read_only or self._journal_fd is None:
            raise AnnotatorError(f"annotator {self.name!r} is open read-only")
        adopted: list[Annotation] = []
        lines: list[bytes] = []
        for ann in anns:
            if ann.annotator != self.name:
                ann = ann.model_copy(update={"annotator": self.name})
            unknown = {s.label for s in ann.spans} - self.file.labels
            if unknown:
                raise AnnotatorError(f"unknown label {sorted(unknown)[0]!r}")
            entry: dict[str, Any] = {
                "id": ann.id,
                "text_sha256": ann.text_sha256,
                "spans": [[s.start, s.end, s.label] for s in ann.spans],
                "status": ann.status,
                "seconds": ann.seconds,
                "updated_at": ann.updated_at,
                "meta": ann.meta,
            }
            if not self._text_known(ann.id, ann.text_sha256):
                entry["text"] = ann.text
            lines.append((dumps(entry) + "\n").encode("utf-8"))
            adopted.append(ann)
        if lines:
            _append(self._journal_fd, b"".join(lines))
        for ann in adopted:
            self._dirty[ann.id] = ann
        return adopted

    def set_spans(self, doc_id: str, spans: tuple[Span, ...]) -> Annotation:
        """Replace the spans of ``doc_id`` (a touched document becomes in progress)."""
        base = self.base(doc_id)
        status = base.status if base.status != "skipped" else "in_progress"
        return self.put(base.with_spans(spans, status=status))

    def add_span(self, doc_id: str, start: int, end: int, label: str) -> Annotation:
        """Add a span; any spans it overlaps are replaced (docs/design.md section 8)."""
        base = self.base(doc_id)
        span = make_span(base.text, start, end, label)
        return self.set_spans(doc_id, replace_overlapping(base.spans, span))

    def remove_span(self, doc_id: str, start: int, end: int) -> Annotation:
        """Remove the span at exactly ``[start, end)``."""
        base = self.base(doc_id)
        kept = tuple(s for s in base.spans if (s.start, s.end) != (start, end))
        return self.set_spans(doc_id, kept)

    def relabel(self, doc_id: str, start: int, end: int, label: str) -> Annotation:
        """Give the span at ``[start, end)`` a new label."""
        base = self.base(doc_id)
        spans = tuple(
            make_span(base.text, s.start, s.end, label) if (s.start, s.end) == (start, end) else s
            for s in base.spans
        )
        return self.set_spans(doc_id, spans)

    def set_status(self, doc_id: str, status: Status, add_seconds: float = 0.0) -> Annotation:
        """Mark ``doc_id`` in progress, done or skipped, adding time spent on it."""
        base = self.base(doc_id)
        seconds = round(base.seconds + max(0.0, add_seconds), 3)
        return self.put(base.with_spans(base.spans, status=status, seconds=seconds))

    def add_seconds(self, doc_id: str, seconds: float) -> Annotation | None:
        """Record time spent on a touched document (untouched ones stay untouched)."""
        base = self.annotation(doc_id)
        if base is None or seconds <= 0:
            return base
        total = round(base.seconds + seconds, 3)
        return self.put(base.with_spans(base.spans, seconds=total))

    # -- saving --------------------------------------------------------------------------

    def save(self) -> None:
        """Compact: rewrite the JSONL file atomically with every edit, then empty the journal.

        Untouched lines (bad ones included) are copied byte for byte in large blocks, so line
        numbers and offsets before the first edited line do not move and no line is re-parsed.
        """
        if self.read_only or not self._dirty:
            return
        assert self._journal_fd is not None
        path, pending = self.file.path, dict(self._dirty)
        old = self.file.index
        # edited records that replace an existing line, in file order
        replaced = sorted(
            (entry.offset, entry.length, rid)
            for rid in pending
            if (entry := old.entry(rid)) is not None
        )
        appended = [ann for rid, ann in pending.items() if rid not in old]
        new_lines = {rid: self._line(ann) for rid, ann in pending.items()}
        old_size = path.stat().st_size if path.exists() else 0

        def chunks() -> Iterator[bytes]:
            pos = 0
            with open(path, "rb") if old_size else contextlib.nullcontext() as f:
                for offset, length, rid in replaced:
                    yield from _copy_range(f, pos, offset)
                    yield new_lines[rid]
                    pos = offset + length
                if f is not None:
                    yield from _copy_range(f, pos, old_size)
                    if old_size and not _last_byte_is_newline(f, old_size):
                        yield b"\n"
            for ann in appended:
                yield new_lines[ann.id] + b"\n"

        atomic_write(path, chunks())
        self.file.index = self._index_after_save(old, replaced, appended, new_lines)
        save_cache(self.file.index, self.file.cache)
        os.ftruncate(self._journal_fd, 0)
        os.fsync(self._journal_fd)
        self._dirty.clear()

    def _index_after_save(
        self,
        old: LineIndex[AnnotationSummary],
        replaced: list[tuple[int, int, str]],
        appended: list[Annotation],
        new_lines: dict[str, bytes],
    ) -> LineIndex[AnnotationSummary]:
        """The line index of the rewritten file, derived without reading it back."""
        shifts = [(offset, len(new_lines[rid]) - length) for offset, length, rid in replaced]
        starts = [offset for offset, _ in shifts]
        cumulative: list[int] = []
        total = 0
        for _, delta in shifts:
            total += delta
            cumulative.append(total)
        rows: dict[str, tuple[Any, ...]] = {}
        for rid, (lineno, offset, length, summary) in old.rows.items():
            k = bisect_left(starts, offset)  # edited lines strictly before this one shift it
            shift = cumulative[k - 1] if k else 0
            if rid in new_lines:
                summary = summary_of(self._dirty[rid])
                rows[rid] = IndexEntry(lineno, offset + shift, len(new_lines[rid]), summary)
            else:
                rows[rid] = IndexEntry(lineno, offset + shift, length, summary)
        st = self.file.path.stat()
        size = st.st_size - sum(len(new_lines[a.id]) + 1 for a in appended)
        lineno = old.lines if old.lines else 0
        offset = size
        for ann in appended:
            lineno += 1
            rows[ann.id] = IndexEntry(lineno, offset, len(new_lines[ann.id]), summary_of(ann))
            offset += len(new_lines[ann.id]) + 1
        return LineIndex(
            path=self.file.path,
            kind=old.kind,
            rows=rows,
            errors=list(old.errors),
            size=st.st_size,
            mtime_ns=st.st_mtime_ns,
            ino=st.st_ino,
            lines=lineno,
        )

    def _line(self, ann: Annotation) -> bytes:
        return dumps(ann.model_dump(mode="json")).encode("utf-8")

    def _text_known(self, doc_id: str, sha: str) -> bool:
        docs = self.project.documents
        if doc_id in docs and docs.sha(doc_id) == sha:
            return True
        entry = self.file.index.entry(doc_id)
        return entry is not None and entry.summary.sha256 == sha

    def _text_for(self, doc_id: str, sha: str) -> str | None:
        docs = self.project.documents
        if doc_id in docs and docs.sha(doc_id) == sha:
            return docs.get(doc_id).text
        stored = self._dirty.get(doc_id) or self.file.get(doc_id)
        if stored is not None and stored.text_sha256 == sha:
            return stored.text
        return None

    def _replay(self) -> None:
        """Apply a journal left by a crash (or by the writing instance, when read-only)."""
        try:
            raw = self.journal_path.read_bytes()
        except FileNotFoundError:
            return
        if not raw:
            return
        complete, _, torn = raw.rpartition(b"\n")
        if torn and not self.read_only:
            # an append cut short by a crash was never acknowledged: drop it
            with open(self.journal_path, "r+b") as f:
                f.truncate(len(complete) + 1 if complete else 0)
        path = str(self.journal_path)
        for lineno, line in enumerate(complete.split(b"\n") if complete else [], 1):
            try:
                entry = decode_line(path, lineno, line)
                text = entry.get("text") or self._text_for(entry["id"], entry["text_sha256"])
                if text is None:
                    raise RecordError(path, lineno, f"text of {entry['id']!r} not found")
                record = {
                    "id": entry["id"],
                    "text": text,
                    "spans": [
                        {"start": s, "end": e, "label": lab, "text": text[s:e]}
                        for s, e, lab in entry["spans"]
                    ],
                    "status": entry["status"],
                    "annotator": self.name,
                    "text_sha256": entry["text_sha256"],
                    "updated_at": entry["updated_at"],
                    "seconds": entry["seconds"],
                    "meta": entry.get("meta", {}),
                }
                ann = parse_annotation(path, lineno, record, self.file.labels)
            except (RecordError, KeyError, TypeError, ValueError) as err:
                self.project.warnings.append(f"{path}:{lineno}: journal entry skipped ({err})")
                continue
            self._dirty[ann.id] = ann
            self.replayed += 1

    def close(self) -> None:
        """Save, then release the journal and the lock."""
        if not self.read_only:
            try:
                self.save()
            finally:
                if self._journal_fd is not None:
                    os.close(self._journal_fd)
                    self._journal_fd = None
                if self._lock is not None:
                    with contextlib.suppress(OSError):
                        (self.project.state_dir / f"{self.name}.owner").unlink()
                    self._lock.release()
                    self._lock = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _copy_range(f: Any, start: int, end: int, block: int = 1 << 20) -> Iterator[bytes]:
    """Yield the bytes ``[start, end)`` of the open file ``f`` in blocks."""
    f.seek(start)
    left = end - start
    while left > 0:
        data = f.read(min(block, left))
        if not data:
            raise OSError(f"{f.name} changed while it was being saved")
        left -= len(data)
        yield data


def _last_byte_is_newline(f: Any, size: int) -> bool:
    f.seek(size - 1)
    return bool(f.read(1) == b"\n")


def _append(fd: int, data: bytes) -> None:
    """Append ``data`` to the journal and fsync; on failure cut it back (no torn line)."""
    pos = os.lseek(fd, 0, os.SEEK_END)
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
        os.fsync(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, pos)
        raise AnnotatorError(f"could not save the edit: {exc.strerror or exc}") from exc

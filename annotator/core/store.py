"""The folder store's annotator store: one annotator's JSONL file, journal and lock.

``Session`` implements ``storage.AnnotatorStore`` on a project folder (docs/design.md,
saving; decision 0001). Every change is appended to ``.annotator/<name>.journal`` and
fsynced before ``commit`` returns (only then may a window show it as saved). ``save()``
compacts: it rewrites ``annotations/<name>.jsonl`` atomically with the changed records and
empties the journal. Opening replays a journal left behind by a crash; a line that cannot be
applied is kept (``journal.py``). A lock keeps a second writer out; it may open read-only,
seeing the saved file plus the holder's journal.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import platform
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from annotator.core import edit as intents  # each imported when first named (0100)
from annotator.core import journal
from annotator.core.annotation_file import AnnotationFile, compact, parse_annotation
from annotator.core.edit import (
    Change,
    EditContext,
    EditError,
    StaleEditError,
    apply_edit,
    same_state,
)
from annotator.core.errors import AnnotatorError, LockedError, RecordError
from annotator.core.journal import Unapplied
from annotator.core.journal_writer import JournalWriter, Listener
from annotator.core.jsonl import atomic_write
from annotator.core.model import Annotation, Status, check_annotator_name, now_iso
from annotator.core.span_ops import changed_run
from annotator.core.storage import SaveState
from annotator.core.writer_lock import Held, hold

if TYPE_CHECKING:
    from annotator.core.edit.intents import Edit
    from annotator.core.project import Project

FILE_MODE = 0o666  # the umask decides, as for any file (os.open's default 0o777 made it 0755)


def _holder() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # getuser raises various errors where no user name is set
        user = "unknown"
    return f"{user}@{platform.node()} pid {os.getpid()} since {now_iso()}"


class Session:
    """One annotator's annotations on a project folder; see the module docstring.

    ``read_only`` sessions (a second instance, or a lock held elsewhere) see the saved file
    plus the holder's journal, and refuse edits. ``unapplied`` lists the journal lines that
    could not be applied when they were replayed (they are kept, never dropped).
    """

    def __init__(self, project: Project, name: str, read_only: bool = False) -> None:
        check_annotator_name(name)
        self.project = project
        self._name = name
        self._read_only = read_only
        state = project.state_dir
        self.journal_path = state / f"{name}.journal"
        self.unapplied_path = state / f"{name}.unapplied"
        self._lock: Held | None = None
        self._journal_fd: int | None = None
        self._writer: JournalWriter | None = None
        self._encoder = journal.LineEncoder()
        self._checked: Annotation | None = None  # the last state _check passed
        self._dirty: dict[str, Annotation | None] = {}
        self.replayed = 0
        self.unapplied: list[Unapplied] = []
        if not read_only:
            state.mkdir(parents=True, exist_ok=True)
            self._lock = hold(state / f"{name}.lock")
            if self._lock is None:
                raise LockedError(name, self._read_holder())
            with contextlib.suppress(OSError):
                (state / f"{name}.owner").write_text(_holder(), encoding="utf-8")
        try:
            self.file = AnnotationFile(project, name)
            if not read_only:
                # a compaction cut short by a crash leaves its temp file; the lock makes it ours
                for stale in project.annotations_dir.glob(f".{name}.jsonl.*.tmp"):
                    with contextlib.suppress(OSError):
                        stale.unlink()
            self._replay()
            if not read_only:
                self._journal_fd = os.open(
                    self.journal_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE
                )
                self._settle()
                self._writer = JournalWriter(self._journal_fd)
        except BaseException:
            self._release()
            raise

    # -- reading -------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The annotator."""
        return self._name

    @property
    def read_only(self) -> bool:
        """True when edits are refused."""
        return self._read_only

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
            ann = self._dirty[doc_id]
            return ann.status if ann is not None else None
        return self.file.status(doc_id)

    def touched(self) -> Iterator[str]:
        """Ids of every document this annotator has a record for."""
        for doc_id, ann in self._dirty.items():
            if ann is not None:
                yield doc_id
        for doc_id in self.file.index.ids():
            if doc_id not in self._dirty:
                yield doc_id

    def status_counts(self) -> Counter[str]:
        """How many documents have each status (``todo`` for untouched project documents)."""
        docs = self.project.documents
        index = self.file.index
        rows = index.rows
        # the stored statuses of the project's documents, straight from the index's rows
        # (100,000 documents in a few ms), then the journaled states over them; a quick
        # index validates each line it has not yet (the window waits for the full one)
        if index.complete:
            counts: Counter[str] = Counter(
                row[3][0]
                for doc_id, row in rows.items()
                if doc_id in docs and doc_id not in self._dirty
            )
        else:
            counts = Counter()
            for doc_id in list(rows):
                if doc_id in docs and doc_id not in self._dirty:
                    summary = index.lookup(doc_id)
                    if summary is not None:
                        counts[summary.status] += 1
        for doc_id, ann in self._dirty.items():
            if doc_id in docs and ann is not None:
                counts[ann.status] += 1
        counts["todo"] = len(docs) - sum(counts.values())
        return +counts

    def pending(self) -> dict[str, Annotation | None]:
        """Journaled states not yet compacted into the JSONL file (None: back to untouched)."""
        return self._dirty

    @property
    def dirty(self) -> bool:
        """True when edits are journaled but not yet compacted into the JSONL file."""
        return bool(self._dirty)

    @property
    def save_state(self) -> SaveState:
        """Saved means journaled and fsynced; a folder has no server to sync to. Edits
        submitted (``submit``) and not yet fsynced are ``unsaved``."""
        unsaved = self._writer.unsaved if self._writer is not None else 0
        return SaveState(read_only=self.read_only, unsaved=unsaved, compacted=not self._dirty)

    @property
    def save_error(self) -> str | None:
        """Why the last journal append failed, while edits wait to be written again."""
        return self._writer.error if self._writer is not None else None

    def add_durable_listener(self, listener: Listener) -> None:
        """Call ``listener(durable, error)`` from the journal's thread after each append of
        submitted edits: every edit up to sequence ``durable`` is then fsynced."""
        if self._writer is not None:
            self._writer.add_listener(listener)

    def remove_durable_listener(self, listener: Listener) -> None:
        """Stop calling ``listener``."""
        if self._writer is not None:
            self._writer.remove_listener(listener)

    # -- editing -------------------------------------------------------------------------

    def context(self, doc_id: str) -> EditContext:
        """What an edit of ``doc_id`` needs: the document's text (read from disk)."""
        docs = self.project.documents
        if doc_id in docs:
            text = docs.get(doc_id).text
        else:  # an annotation whose document left the project can still be edited
            ann = self.annotation(doc_id)
            if ann is None:
                raise EditError(f"no document {doc_id!r} in the project")
            text = ann.text
        return EditContext(doc_id, text, self.name, self.file.labels)

    def prepare(self, edit: Edit) -> Change:
        """The change ``edit`` makes to the current state; nothing is written."""
        return self._prepare(edit, self.annotation(edit.doc_id))

    def _prepare(self, edit: Edit, current: Annotation | None) -> Change:
        if isinstance(edit, intents.Put):  # an import: its text is checked by hash, not read again
            ann, docs = edit.annotation, self.project.documents
            if ann.id in docs and docs.sha(ann.id) != ann.text_sha256:
                raise EditError(f"the annotation of {ann.id!r} is of another text")
            ctx = EditContext(ann.id, ann.text, self.name, self.file.labels)
        else:
            ctx = self.context(edit.doc_id)
        return apply_edit(current, edit, ctx)

    def apply(self, edit: Edit) -> Change:
        """Prepare and commit ``edit``; returns the change (unchanged ones write nothing)."""
        change = self.prepare(edit)
        self.commit([change])
        return change

    def apply_many(self, edits: Iterable[Edit]) -> list[Change]:
        """Prepare every edit (each seeing the ones before it), then commit them with one
        journal append and one fsync: all are saved, or none."""
        changes: list[Change] = []
        seen: dict[str, Annotation | None] = {}
        for edit in edits:
            doc_id = edit.doc_id
            current = seen[doc_id] if doc_id in seen else self.annotation(doc_id)
            change = self._prepare(edit, current)
            seen[doc_id] = change.after
            changes.append(change)
        self.commit(changes)
        return changes

    def set_status(self, doc_id: str, status: Status, seconds: float = 0.0) -> Change:
        """Mark ``doc_id`` in progress, done or skipped, crediting ``seconds``."""
        return self.apply(intents.SetStatus(doc_id, status, seconds))

    def commit(self, changes: Sequence[Change]) -> None:
        """Journal the changes with one append and fsync (all or none), then adopt them.

        Edits submitted before are made durable first; when they cannot be written, this
        one is refused too (AnnotatorError) and nothing changes."""
        writer = self._writable()
        states, data = self._encode(changes)
        if data:
            writer.write_now(data)
        self._dirty.update(states)

    def submit(self, changes: Sequence[Change]) -> int:
        """Adopt the changes now and queue their journal line (group commit, decision 0064):
        returns the sequence number that ``add_durable_listener`` reports once it is fsynced
        (0: nothing to write). Until then they count in ``save_state.unsaved``; a failed
        append is reported to the listeners and tried again, never dropped."""
        writer = self._writable()
        states, lines = self._check_all(changes)
        if not lines:
            return 0
        self._dirty.update(states)
        # the line (about 120 KB for 5,000 spans) is encoded on the journal's thread, from
        # the pieces of the document's last line (only the changed spans are encoded anew)
        encode = self._encoder.encode
        return writer.submit(lambda: b"".join(encode(*line) for line in lines))

    def flush(self) -> None:
        """Wait until every submitted edit is fsynced (AnnotatorError: it cannot be)."""
        if self._writer is not None:
            self._writer.flush()

    def _writable(self) -> JournalWriter:
        if self.read_only or self._writer is None:
            raise AnnotatorError(f"annotator {self.name!r} is open read-only")
        return self._writer

    def _encode(self, changes: Sequence[Change]) -> tuple[dict[str, Annotation | None], bytes]:
        """The states the changes leave and their journal lines (see ``_check_all``)."""
        states, lines = self._check_all(changes)
        return states, b"".join(self._encoder.encode(*line) for line in lines)

    def _check_all(
        self, changes: Sequence[Change]
    ) -> tuple[dict[str, Annotation | None], list[tuple[str, Annotation | None, bool]]]:
        """The states the changes leave, and what each journal line is made from (checked:
        a stale change or an unknown label raises, and nothing is adopted)."""
        states: dict[str, Annotation | None] = {}
        lines: list[tuple[str, Annotation | None, bool]] = []
        for change in changes:
            if not change.changed:
                continue
            doc_id, after = change.doc_id, change.after
            current = states.get(doc_id, _MISSING)
            if not self._is_current(doc_id, change.before, current):
                raise StaleEditError(f"{doc_id} has changed since the edit was prepared")
            if after is not None:
                self._check(after, change.before)
            text_known = after is None or self._text_known(doc_id, after.text_sha256)
            lines.append((doc_id, after, text_known))
            states[doc_id] = after
        return states, lines

    def _is_current(self, doc_id: str, before: Annotation | None, batch: object) -> bool:
        """True when ``before`` is the state now (quick: no record is read from disk)."""
        if batch is not _MISSING:
            return same_state(batch if isinstance(batch, Annotation) else None, before)
        if doc_id in self._dirty:
            return same_state(self._dirty[doc_id], before)
        entry = self.file.index.entry(doc_id)
        if entry is None or before is None:
            return entry is None and before is None
        return entry.summary.status == before.status and entry.summary.sha256 == before.text_sha256

    def _check(self, ann: Annotation, before: Annotation | None = None) -> None:
        """Refuse another annotator's record or an unknown label. When ``before`` is the
        state this check passed last, only the spans the edit changed are looked at (a key
        press on 5,000 spans changes one)."""
        if ann.annotator != self.name:
            raise EditError(f"an annotation of {ann.annotator!r} given to {self.name!r}")
        spans = ann.spans
        if before is not None and before is self._checked:
            head, tail = changed_run(before.spans, spans)
            spans = spans[head : len(spans) - tail]
        unknown = {s.label for s in spans} - self.file.labels
        if unknown:
            raise EditError(f"unknown label {sorted(unknown)[0]!r}")
        self._checked = ann

    # -- saving --------------------------------------------------------------------------

    def save(self) -> None:
        """Compact: rewrite the JSONL file atomically with every edit, then empty the journal."""
        if self.read_only or not self._dirty:
            return
        assert self._journal_fd is not None
        writer = self._writer  # None while a replayed journal is settled on open
        if writer is not None:
            writer.flush()  # the journal holds every edit before it is emptied
        with writer.locked() if writer is not None else contextlib.nullcontext():
            compact(self.file, self._dirty)
            os.ftruncate(self._journal_fd, 0)
            os.fsync(self._journal_fd)
        self._dirty.clear()

    def _settle(self) -> None:
        """After a replay: set unapplied lines aside, compact, empty the journal."""
        if self.unapplied:
            journal.set_aside(self.unapplied_path, [u.raw for u in self.unapplied])
        if self._dirty:
            self.save()
        elif self.unapplied:
            assert self._journal_fd is not None
            os.ftruncate(self._journal_fd, 0)
            os.fsync(self._journal_fd)

    def _text_known(self, doc_id: str, sha: str) -> bool:
        docs = self.project.documents
        if doc_id in docs and docs.sha(doc_id) == sha:
            return True
        entry = self.file.index.entry(doc_id)
        return entry is not None and entry.summary.sha256 == sha

    def text_for(self, doc_id: str, sha: str) -> str | None:
        """The text of ``doc_id`` with hash ``sha``, where the project holds it."""
        docs = self.project.documents
        if doc_id in docs and docs.sha(doc_id) == sha:
            return docs.get(doc_id).text
        stored = self._dirty.get(doc_id) or self.file.get(doc_id)
        if stored is not None and stored.text_sha256 == sha:
            return stored.text
        return None

    def parse(self, path: str, lineno: int, record: dict[str, object]) -> Annotation:
        """Validate a record of this annotator against the project's labels."""
        return parse_annotation(path, lineno, record, self.file.labels)

    def _replay(self) -> None:
        """Apply a journal left by a crash (or by the writing instance, when read-only)."""
        path = str(self.journal_path)
        for lineno, raw in journal.read_lines(self.journal_path, repair=not self.read_only):
            try:
                doc_id, state = journal.decode(
                    path, lineno, raw, self.name, self.text_for, self.parse
                )
            except RecordError as err:
                self.unapplied.append(Unapplied(path, lineno, raw, err.reason))
                self.project.warnings.append(
                    f"{err} (journal entry kept in {self.unapplied_path.name}: "
                    f"'annotator journal' decides what becomes of it)"
                )
                continue
            self._dirty[doc_id] = state
            self.replayed += 1

    # -- journal entries set aside -------------------------------------------------------

    def held(self) -> list[tuple[Unapplied, tuple[str, Annotation | None] | None]]:
        """The journal entries set aside in ``<name>.unapplied``, each with the state it
        would give its document if applied now (None: it still cannot be applied)."""
        return journal.read_unapplied(self.unapplied_path, self.name, self.text_for, self.parse)

    def retry_held(self) -> tuple[list[Unapplied], list[Unapplied]]:
        """Apply the entries set aside that fit now and are newer than the document's
        annotation (time stamps are to the second: a tie stays aside, for a person to
        compare); returns ``(applied, kept)``. The kept ones stay set aside."""
        applied: list[Unapplied] = []
        kept: list[Unapplied] = []
        changes: list[Change] = []
        seen: dict[str, Annotation | None] = {}
        for held, state in self.held():
            if state is None:
                kept.append(held)
                continue
            doc_id, after = state
            if doc_id in seen:  # the entry after one just applied: the next state, in order
                current = seen[doc_id]
            else:
                current = self.annotation(doc_id)
                if _edited_since(current, after):
                    kept.append(held)  # a person compares the two
                    continue
            changes.append(Change(doc_id, current, after, intents.Restore(doc_id, current, after)))
            seen[doc_id] = after
            applied.append(held)
        self.commit(changes)
        self._rewrite_held(kept)
        return applied, kept

    def discard_held(self) -> list[Unapplied]:
        """Drop every entry set aside (a person decided); returns what was dropped."""
        dropped = [held for held, _ in self.held()]
        self._rewrite_held([])
        return dropped

    def _rewrite_held(self, kept: list[Unapplied]) -> None:
        if self.read_only:
            raise AnnotatorError(f"annotator {self.name!r} is open read-only")
        if kept:
            atomic_write(self.unapplied_path, [b"".join(h.raw + b"\n" for h in kept)])
        else:
            with contextlib.suppress(FileNotFoundError):
                self.unapplied_path.unlink()

    def close(self) -> None:
        """Save, then release the journal and the lock."""
        if self.read_only:
            return
        try:
            self.save()
        finally:
            self._release()

    def _release(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
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


_MISSING = object()


def _edited_since(current: Annotation | None, entry: Annotation | None) -> bool:
    """True when ``current`` was written after (or in the same second as) ``entry``."""
    return current is not None and entry is not None and current.updated_at >= entry.updated_at

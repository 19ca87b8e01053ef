"""Importing into a project: documents deduplicated, annotations written through a Session.

    summary = import_paths(project, [Path("ani.jsonl")], ImportOptions(annotator="ani"))

Both ``annotator import`` and the window call this. A record is imported whole or not at all:
a bad line (bad JSON, a span that fits no unit, an unknown label, ...) is one ``path:line:
reason`` problem and nothing of it is written, while every good line is. Documents are appended
to ``documents.jsonl`` durably in batches; each annotation goes through the annotator's
``Session`` (journal, fsync, lock, atomic compaction), so an import that is cut short loses
nothing it reported as saved, and running it again adds only what is missing. A failure to
write (a full or read-only disk) stops the import with one problem naming the record where it
stopped. The choices are in ``docs/decisions/0010-import.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from pydantic import ValidationError

from annotator.core.documents import Appended, DocumentStore
from annotator.core.edit import Put
from annotator.core.errors import AnnotatorError, RecordError, describe
from annotator.core.importers.options import ImportOptions, ImportSummary, plural
from annotator.core.importers.records import ImportedRecord, Item, Source
from annotator.core.importers.registry import IMPORTERS
from annotator.core.importers.sources import plan_sources
from annotator.core.importers.spans import Note, finish_spans
from annotator.core.model import Annotation, Document, sha256_text
from annotator.core.project import Project
from annotator.core.storage import AnnotatorStore, ProjectStore
from annotator.core.store import Session
from annotator.core.transfer import send_stall, wait_sent

Progress = Callable[[int, int], None]
"""``progress(bytes read, bytes in all inputs)``, called as the import goes."""

BATCH = 1000  # records written together (one fsync for the documents, one for the annotations)
MAX_BATCH = 10_000
# Each append re-reads the documents' index, which grows with the project: batches grow with
# it (an eighth of the project's documents) so a 100,000-article import stays near linear.
SAVE_EVERY_CHARS = 25_000_000  # compact when this much text is pending (bounds memory)


def import_paths(
    project: ProjectStore,
    paths: Sequence[Path],
    options: ImportOptions,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import every input into ``project``; see the module docstring."""
    labels = frozenset(project.config.label_names)
    stall = send_stall()  # a setting that cannot be read stops the import before it starts
    sources = plan_sources(paths, options)
    sizes = [_size(source.path) for source, _ in sources]
    total = sum(sizes)
    summary = ImportSummary(annotator=options.annotator, files=len(sources))
    session = _open_session(project, options.annotator) if options.annotator else None
    run = _Run(project, session, options, summary, labels)
    done = 0
    try:
        for (source, kind), size in zip(sources, sizes, strict=True):
            run.read_file(source, IMPORTERS[kind].read(source), done, size, total, progress)
            done += size
            if progress is not None:
                progress(done, total)
        run.flush()
        if session is not None:
            wait_sent(session, stall)  # on a server: every edit there before it says so
    except _Stop as stop:
        summary.problems.append(str(stop))
        summary.stopped = True
    finally:
        if session is not None:
            run.close_session()
    return summary


def _open_session(project: ProjectStore, name: str) -> AnnotatorStore:
    """The annotator's session; a folder that cannot be written is one clear error."""
    try:
        return project.session(name)
    except OSError as exc:
        where = exc.filename or project.location
        raise AnnotatorError(
            f"{where}: cannot write the annotations of {name} ({exc.strerror or exc})"
        ) from None


def _nobody(who: str, people: Counter[str]) -> str:
    """The reason given when ``--source-user`` matched no record of a file."""
    if not people:
        return (
            f"--source-user {who} matched no record: no record of this file says who "
            "annotated it (import it without --source-user)"
        )
    named = ", ".join(f"{p} ({n:,})" for p, n in people.most_common(10))
    more = f" and {len(people) - 10:,} more" if len(people) > 10 else ""
    return (
        f"--source-user {who} matched no record; the annotators in this file (records): "
        f"{named}{more}"
    )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _documents_name(project: ProjectStore) -> str:
    """How a problem writing the documents names them."""
    return project.documents_path.name if isinstance(project, Project) else "documents"


def _annotations_name(session: AnnotatorStore) -> str:
    """How a problem saving an annotator's annotations names them."""
    if isinstance(session, Session):
        return str(session.file.path)
    return f"annotations of {session.name}"


class _Repeated(Exception):
    """A record repeats one this import already took, text, spans and status alike."""


class _Stop(Exception):
    """Writing failed: the import ends here (the message is the problem line)."""


class _Run:
    """The state of one import: what was seen, what waits to be written, and the counts."""

    def __init__(
        self,
        project: ProjectStore,
        session: AnnotatorStore | None,
        options: ImportOptions,
        summary: ImportSummary,
        labels: frozenset[str],
    ) -> None:
        self.project = project
        self.session = session
        self.options = options
        self.summary = summary
        self.labels = labels
        self.seen: dict[str, tuple[str, str, int]] = {}  # id -> (sha, path, line)
        # id -> (path, line, status, span keys) of the annotation this import took for it
        self.annotated: dict[str, tuple[str, int, str, list[tuple[int, int, str]]]] = {}
        self._by_sha: dict[str, str] | None = None
        self.docs: list[Document] = []
        self.doc_recs: dict[str, ImportedRecord] = {}  # id -> the record that queued it
        self.anns: list[tuple[ImportedRecord, Annotation]] = []
        self.batch_start: ImportedRecord | None = None
        self.pending_chars = 0

    # -- reading -------------------------------------------------------------------------

    def read_file(
        self,
        source: Source,
        items: Iterator[Item],
        done: int,
        size: int,
        total: int,
        progress: Progress | None,
    ) -> None:
        """Import every record of one file; a read error ends the file with one problem."""
        last = 0
        unannotated: list[int] = []
        people: Counter[str] = Counter()
        records = matched = 0
        while True:
            try:
                item = next(items)
            except StopIteration:
                break
            except OSError as exc:
                reason = exc.strerror or str(exc)
                self.problem(
                    RecordError(source.display, last + 1, f"could not read the file: {reason}")
                )
                break
            last = item.line
            if isinstance(item, RecordError):
                self.problem(item)
                continue
            if isinstance(item, Note):
                self.summary.note(item)
                continue
            if item.spans is not None and self.session is None:
                unannotated.append(item.line)
            records += 1
            matched += item.spans is not None
            people.update(item.people)
            self.add(item)
            if progress is not None:
                progress(done + min(item.pos, size), total)
        who = self.options.source_user
        if who is not None and records and not matched:
            self.problem(RecordError(source.display, 1, _nobody(who, people)))
        if unannotated:
            n = len(unannotated)
            self.problem(
                RecordError(
                    source.display,
                    unannotated[0],
                    f"the annotations of {n} record{plural(n)} (the first here) were not imported: "
                    "pass --annotator NAME to import them",
                )
            )

    def problem(self, error: RecordError) -> None:
        self.summary.problems.append(str(error))

    def by_sha(self) -> dict[str, str]:
        """Document id by text hash, over the project and this import (built on first use)."""
        if self._by_sha is None:
            self._by_sha = {}
            docs = self.project.documents
            if isinstance(docs, DocumentStore):  # the folder's index has every hash at hand
                for doc_id, entry in docs.index.items():
                    self._by_sha.setdefault(entry.summary.sha256, doc_id)
            else:
                for doc_id in docs.ids:
                    self._by_sha.setdefault(docs.sha(doc_id), doc_id)
            for doc_id, (sha, _, _) in self.seen.items():
                self._by_sha.setdefault(sha, doc_id)
        return self._by_sha

    # -- one record ----------------------------------------------------------------------

    def add(self, rec: ImportedRecord) -> None:
        """Check one record whole, then queue its document and annotation for writing."""
        self.summary.records += 1
        doc = rec.doc
        sha = sha256_text(doc.text)
        notes = list(rec.notes)
        if not rec.id_given:  # identified by its text: the document holding that text
            known = self.by_sha().get(sha)
            if known is not None and known != doc.id:
                doc = doc.model_copy(update={"id": known})
        docs = self.project.documents
        prior = self.seen.get(doc.id)
        new_doc = False
        if prior is not None:
            if prior[0] != sha:
                self.problem(
                    RecordError(
                        rec.path,
                        rec.line,
                        f"id {doc.id!r} was already imported from {prior[1]}:{prior[2]} "
                        "with a different text",
                    )
                )
                return
        elif doc.id in docs:
            if docs.sha(doc.id) != sha:
                self.problem(
                    RecordError(
                        rec.path,
                        rec.line,
                        f"document {doc.id!r} is already in the project with a different text",
                    )
                )
                return
        else:
            new_doc = True
            other = self.by_sha().get(sha) if rec.id_given else None
            if other is not None and other != doc.id:
                notes.append(
                    Note(
                        rec.path,
                        rec.line,
                        "same-text",
                        f"document {doc.id!r} has the same text as {other!r}; imported as a "
                        "document of its own (the input's id wins)",
                    )
                )
        ann: Annotation | None = None
        unchanged = False
        if rec.spans is not None and self.session is not None:
            try:
                ann, unchanged, span_notes = self._annotation(rec, doc, sha)
            except _Repeated as rep:
                self.summary.note(Note(rec.path, rec.line, "repeat", str(rep)))
                return
            except RecordError as err:
                self.problem(err)
                return
            notes += span_notes
        # the whole record is good: commit it
        if prior is None:
            self.seen[doc.id] = (sha, rec.path, rec.line)
            if new_doc:
                if self._by_sha is not None:
                    self._by_sha.setdefault(sha, doc.id)
                self._queue_doc(rec, doc)
            else:
                self.summary.documents_present += 1
        for note in notes:
            self.summary.note(note)
        if ann is not None:
            self.annotated[doc.id] = (
                rec.path, rec.line, ann.status, [s.key for s in ann.spans]
            )  # fmt: skip
            if unchanged:
                self.summary.annotations_unchanged += 1
            else:
                self.batch_start = self.batch_start or rec
                self.anns.append((rec, ann))
        batch = max(BATCH, min(MAX_BATCH, len(self.project.documents) // 8))
        if len(self.docs) >= batch or len(self.anns) >= batch:
            self.flush()

    def _annotation(
        self, rec: ImportedRecord, doc: Document, sha: str
    ) -> tuple[Annotation, bool, list[Note]]:
        """The annotation a record carries, checked; whether the annotator already has it."""
        assert self.session is not None
        assert rec.spans is not None
        spans, notes = finish_spans(
            rec.path, doc.text, rec.spans, self.labels, self.options.label_map,
            self.options.overlaps,
        )  # fmt: skip
        first = self.annotated.get(doc.id)
        if first is not None:
            where = f"{first[0]}:{first[1]}"
            if first[2] == rec.status and first[3] == [s.key for s in spans]:
                raise _Repeated(f"repeats {where} exactly (the same text and spans): imported once")
            reason = f"the annotation of {doc.id!r} was already imported from {where}"
            if not self.options.source_user:
                reason += " (a file of several people's? import one at a time: --source-user)"
            raise RecordError(rec.path, rec.line, reason)
        try:
            ann = Annotation(
                id=doc.id,
                text=doc.text,
                spans=tuple(spans),
                status=rec.status,
                annotator=self.session.name,
                seconds=rec.seconds,
                meta={"imported_from": f"{Path(rec.path).name}:{rec.line}"},
            )
        except ValidationError as exc:
            raise RecordError(rec.path, rec.line, describe(exc)) from None
        if self.session.status(doc.id) is None:
            return ann, False, notes
        old = self.session.annotation(doc.id)
        if old is None:
            return ann, False, notes
        if (
            old.text_sha256 == sha
            and old.status == ann.status
            and [s.key for s in old.spans] == [s.key for s in ann.spans]
        ):
            return ann, True, notes
        if not self.options.overwrite:
            raise RecordError(
                rec.path,
                rec.line,
                f"{self.session.name} already has a different annotation of {doc.id!r}; it "
                "was kept (pass --overwrite to replace it)",
            )
        return ann, False, notes

    def _queue_doc(self, rec: ImportedRecord, doc: Document) -> None:
        self.batch_start = self.batch_start or rec
        self.docs.append(doc)
        self.doc_recs[doc.id] = rec

    # -- writing -------------------------------------------------------------------------

    def _stop(self, rec: ImportedRecord, what: str, exc: BaseException) -> _Stop:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return _Stop(
            f"{rec.path}:{rec.line}: not saved ({what}: {reason}); the import stopped here, "
            "the records before this one are saved"
        )

    def flush(self) -> None:
        """Write the queued documents (one fsync), then the queued annotations (one more)."""
        if self.docs:
            assert self.batch_start is not None
            by_text = [d.id for d in self.docs if not self.doc_recs[d.id].id_given]
            try:
                appended = self.project.documents.append(self.docs, by_text)
            except (OSError, AnnotatorError) as exc:
                raise self._stop(self.batch_start, _documents_name(self.project), exc) from None
            self.summary.documents_added += appended.written
            self._meanwhile(appended)
            self.docs = []
            self.doc_recs = {}
        if self.anns:
            assert self.session is not None
            try:  # one journal append and fsync for the batch: all of it is saved, or none
                self.session.apply_many([Put(ann) for _, ann in self.anns])
            except (AnnotatorError, OSError) as exc:
                raise self._stop(
                    self.anns[0][0], f"annotations of {self.session.name}", exc
                ) from None
            self.summary.annotations_written += len(self.anns)
            self.pending_chars += sum(len(ann.text) for _, ann in self.anns)
        self.anns = []
        self.batch_start = None
        if self.session is not None and self.pending_chars > SAVE_EVERY_CHARS:
            self.pending_chars = 0
            try:
                self.session.save()
            except OSError as exc:
                raise _Stop(self._save_error(exc)) from None

    def _meanwhile(self, appended: Appended) -> None:
        """Settle the documents another writer added while this import ran (not written twice).

        The same document under the same id: already present. Found by its text under
        another id: the record's annotation goes to that id, unless the annotator already
        has one there. The same id with another text: that record is a problem.
        """
        moved: dict[str, str] = {}
        refused: set[str] = set()
        for doc_id, other in appended.present.items():
            self.summary.documents_present += 1
            if other == doc_id:
                continue
            rec = self.doc_recs[doc_id]
            queued = any(ann.id == other for _, ann in self.anns)
            if self.session is not None and (queued or self.session.status(other) is not None):
                refused.add(doc_id)
                self.problem(
                    RecordError(
                        rec.path,
                        rec.line,
                        f"another import added this text meanwhile as {other!r}, which "
                        f"{self.session.name} already has an annotation of; import again",
                    )
                )
            else:
                moved[doc_id] = other
        for doc_id in appended.conflicts:
            rec = self.doc_recs[doc_id]
            refused.add(doc_id)
            self.problem(
                RecordError(
                    rec.path,
                    rec.line,
                    f"document {doc_id!r} was added meanwhile (by another import) with a "
                    "different text; not imported",
                )
            )
        if moved or refused:
            self.anns = [
                (rec, ann.model_copy(update={"id": moved[ann.id]}) if ann.id in moved else ann)
                for rec, ann in self.anns
                if ann.id not in refused
            ]

    def _save_error(self, exc: OSError) -> str:
        assert self.session is not None
        return (
            f"{_annotations_name(self.session)}: could not be rewritten "
            f"({exc.strerror or exc}); the imported annotations are safe in the journal and "
            "are saved the next time the project is opened"
        )

    def close_session(self) -> None:
        """Compact and release the annotator's file; a failure keeps the journal."""
        assert self.session is not None
        try:
            self.session.close()
        except OSError as exc:
            self.summary.problems.append(self._save_error(exc))
            self.summary.stopped = True

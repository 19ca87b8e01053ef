"""Copying a project from one store to another: ``push`` (folder to server) and ``pull``.

Everything goes through the store interface, so any two stores can be copied into each other:
the documents in project order (ids, texts and meta as they are), then every annotator's
latest annotations (gold included) as whole records (``Put``: status, time spent and
``updated_at`` kept), then the assignment plan. A read-only session sees the saved records
plus the edits still in a journal, so work not yet compacted moves too.

The destination takes the source's state: an annotation the destination holds differently is
replaced (counted in ``replaced``), one it holds the same is left alone, and one the source
does not have is kept. The plan is merged: the source's entries replace the destination's for
the same documents. The labels must be the same, in the same order, or nothing is copied.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice

from annotator.core.assign_types import Assignment
from annotator.core.assignments import StoredPlan
from annotator.core.edit import Put, same_state
from annotator.core.errors import AnnotatorError, BadRecordError
from annotator.core.model import Annotation, Document
from annotator.core.printable import counted
from annotator.core.storage import AnnotatorStore, ProjectStore, RemoteStore

BATCH = 1000

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``: phase ``documents`` or an annotator's name."""


@dataclass
class Transferred:
    """What a copy did."""

    documents: int = 0  # documents written (not already there)
    present: int = 0  # documents the destination held already
    annotations: dict[str, int] = field(default_factory=dict)  # per annotator, written
    unchanged: int = 0  # annotations the destination held the same
    replaced: int = 0  # of those written, how many replaced a different one
    assigned: int = 0  # plan entries written
    conflicts: list[str] = field(default_factory=list)  # document ids taken by another text
    left_out: list[str] = field(default_factory=list)  # records that are no annotation, named

    def lines(self, source: str, destination: str) -> list[str]:
        """The summary a person reads."""
        total = sum(self.annotations.values())
        out = [
            f"copied {source} to {destination}: {counted(self.documents, 'document')} added "
            f"({self.present:,} already there), {counted(total, 'annotation')} written "
            f"({self.unchanged:,} already the same, {self.replaced:,} replaced), "
            f"{counted(self.assigned, 'assignment')}"
        ]
        out += [f"  {name}: {counted(n, 'annotation')}" for name, n in self.annotations.items()]
        return out


def check_labels(src: ProjectStore, dst: ProjectStore) -> None:
    """Refuse a copy between projects whose labels differ (spans would not fit)."""
    ours, theirs = src.config.label_names, dst.config.label_names
    if tuple(ours) != tuple(theirs):
        raise AnnotatorError(
            f"the labels differ: {src.location} has {', '.join(ours) or 'none'}, "
            f"{dst.location} has {', '.join(theirs) or 'none'}; nothing copied"
        )


def copy_project(
    src: ProjectStore, dst: ProjectStore, progress: Progress | None = None
) -> Transferred:
    """Copy ``src``'s documents, annotations and plan into ``dst`` (module docstring)."""
    check_labels(src, dst)
    stall = send_stall()  # a setting that cannot be read stops the copy before it starts
    out = Transferred()
    _copy_documents(src, dst, out, progress)
    for name in src.annotators(include_gold=True):
        _copy_annotations(src, dst, name, out, progress, stall)
    _copy_plan(src, dst, out)
    return out


def _batches(items: Iterator[Document], size: int = BATCH) -> Iterator[list[Document]]:
    while batch := list(islice(items, size)):
        yield batch


def _copy_documents(
    src: ProjectStore, dst: ProjectStore, out: Transferred, progress: Progress | None
) -> None:
    docs = src.documents
    total, done = len(docs), 0
    target = dst.documents
    for batch in _batches(iter(docs)):
        fresh = [d for d in batch if d.id not in target]
        for d in batch:
            if d.id in target and target.sha(d.id) != docs.sha(d.id):
                out.conflicts.append(d.id)
        fresh = [d for d in fresh if d.id not in out.conflicts]
        out.present += len(batch) - len(fresh)
        if fresh:
            appended = target.append(fresh)
            out.documents += appended.written
            out.conflicts += appended.conflicts
            out.present += len(appended.present)
        done += len(batch)
        if progress is not None:
            progress("documents", done, total)
    if out.conflicts:
        shown = ", ".join(repr(d) for d in out.conflicts[:5])
        raise AnnotatorError(
            f"{dst.location} holds other texts under the ids {shown}"
            + (f" and {len(out.conflicts) - 5:,} more" if len(out.conflicts) > 5 else "")
            + "; their annotations were not copied"
        )


def _copy_annotations(
    src: ProjectStore,
    dst: ProjectStore,
    name: str,
    out: Transferred,
    progress: Progress | None,
    stall: float,
) -> None:
    reader = src.session(name, read_only=True)
    ids = list(reader.touched())
    writer = dst.session(name)
    written = 0
    try:
        for start in range(0, len(ids), BATCH):
            puts: list[Put] = []
            for doc_id in ids[start : start + BATCH]:
                try:
                    ann = reader.annotation(doc_id)
                except BadRecordError as err:  # left out and named, as a folder's bad line
                    out.left_out.append(str(err))
                    continue
                if ann is None:
                    continue
                have = writer.annotation(doc_id)
                if _same(have, ann):
                    out.unchanged += 1
                    continue
                out.replaced += have is not None
                puts.append(Put(ann))
            if puts:
                writer.apply_many(puts)
                written += len(puts)
            if progress is not None:
                progress(name, min(start + BATCH, len(ids)), len(ids))
        writer.flush()
        wait_sent(writer, stall)
    finally:
        writer.close()
        reader.close()
    out.annotations[name] = written


SEND_STALL = 30.0
"""Seconds a bulk write waits for a server that takes none of its edits before it stops."""
STALL_SETTING = "ANNOTATOR_SEND_STALL"
"""The environment setting that replaces ``SEND_STALL`` (seconds, above 0): a team whose
server is often slow gives it longer; the tests shorten it rather than wait 30 s."""


def send_stall(environ: Mapping[str, str] | None = None) -> float:
    """The seconds ``wait_sent`` waits for an edit taken: ``ANNOTATOR_SEND_STALL`` when it
    is set, else ``SEND_STALL``; a value that is no number of seconds above 0 is refused in
    one line before anything is written."""
    raw = (os.environ if environ is None else environ).get(STALL_SETTING, "").strip()
    if not raw:
        return SEND_STALL
    try:
        seconds = float(raw)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < float("inf"):
        raise AnnotatorError(
            f"{STALL_SETTING}={raw!r}: not a number of seconds above 0 (by default"
            f" {SEND_STALL:g}: how long push and import wait for a server that takes none of"
            " their edits)"
        )
    return seconds


def wait_sent(store: AnnotatorStore, stall: float | None = None) -> None:
    """Return once the store of record holds every edit of ``store`` (at once for a folder).

    A server's session sends behind its outbox, and closing it waits a few seconds only (a
    window's backlog): what is left stays in the outbox until the annotator's next session
    on this computer. A command that writes thousands of edits (push, import) would print
    them written while most were still here; it waits for them as long as they keep going,
    and stops with an error when none went for ``stall`` seconds (default: ``send_stall()``,
    ``SEND_STALL`` unless the environment sets it)."""
    if not isinstance(store, RemoteStore):
        return
    stall = send_stall() if stall is None else stall
    left = store.save_state.unsynced
    while not store.wait_synced(stall):
        now = store.save_state.unsynced
        if now >= left:
            reason = f" ({store.sync_error})" if store.sync_error else ""
            raise AnnotatorError(
                f"{store.name}: {counted(now, 'edit')} not taken by the server in {stall:g} s"
                f"{reason}; they are kept on this computer and sent by the annotator's next"
                " session here (the same command run again)"
            )
        left = now


def _same(have: Annotation | None, ann: Annotation) -> bool:
    return (
        have is not None
        and same_state(have, ann)
        and have.seconds == ann.seconds
        and have.updated_at == ann.updated_at
    )


def _copy_plan(src: ProjectStore, dst: ProjectStore, out: Transferred) -> None:
    plan = src.assignments()
    if plan is None or not plan.entries:
        return
    plan.check_writable()
    entries: Mapping[str, Assignment] = plan.entries

    def change(current: StoredPlan | None) -> Mapping[str, Assignment]:
        merged: dict[str, Assignment] = dict(current.entries) if current is not None else {}
        merged.update(entries)
        return merged

    dst.update_assignments(change)
    out.assigned = len(entries)

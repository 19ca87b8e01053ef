"""Whole-project reads the lead's commands need, through the store interface, on any store.

Progress, assignment, stats, agreement and export read every annotator's latest state of every
document. Through ``storage.AnnotatorStore`` that is ``touched()`` then ``annotation(doc)``
per document, which any store can answer. A store may answer faster in bulk: when it has the
methods of ``BulkReads`` they are used instead (the server store answers each with one query).
The folder store keeps its own fast readers (``activity``'s line scanner, the agreement and
export file readers), which give the same results from its files.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol, runtime_checkable

from annotator.core.activity import read_activity, when
from annotator.core.assign_types import Touch
from annotator.core.errors import BadRecordError
from annotator.core.model import Annotation, Status
from annotator.core.project import Project
from annotator.core.storage import ProjectStore

SpanList = list[tuple[int, int, str]]


@runtime_checkable
class BulkReads(Protocol):
    """What a store may offer to answer the whole-project reads at once."""

    def activity(self, name: str) -> Mapping[str, Touch]:
        """Status, last edit and time of every document ``name`` has a record of."""
        ...

    def done_spans(
        self, name: str, skipped: list[str] | None = None
    ) -> Iterator[tuple[str, str, SpanList]]:
        """``(document id, text, spans)`` of ``name``'s latest ``done`` annotations; one line
        in ``skipped`` per record that cannot be read at all."""
        ...


def bulk_reads(store: ProjectStore) -> BulkReads | None:
    """The store's bulk reads: its own, or the server store's (``pg.bulk``); None for a folder
    (whose own readers are used) and for a store without them."""
    if isinstance(store, Project):
        return None
    if isinstance(store, BulkReads):
        return store
    server = sys.modules.get("annotator.core.pg.store")  # loaded only if a URL was opened
    if server is not None and isinstance(store, server.PgProject):
        from annotator.core.pg.bulk import PgBulkReads

        return PgBulkReads(store)
    return None


def touch_of(ann: Annotation) -> Touch:
    """What progress and assignment need of one annotation."""
    return Touch(ann.status, when(ann.updated_at), ann.seconds)


def activity(store: ProjectStore, name: str) -> dict[str, Touch]:
    """Every record of annotator ``name`` (status, last edit, seconds), by document id."""
    if isinstance(store, Project):
        return read_activity(store.root, name)
    bulk = bulk_reads(store)
    if bulk is not None:
        return dict(bulk.activity(name))
    session = store.session(name, read_only=True)
    out: dict[str, Touch] = {}
    try:
        for doc_id in session.touched():
            try:
                ann = session.annotation(doc_id)
            except (KeyError, BadRecordError):  # a document this person may no longer read,
                # or a server row that is no annotation (decision 0115): its status only
                status = session.status(doc_id)
                if status is not None:
                    out[doc_id] = Touch(status)
                continue
            if ann is not None:
                out[doc_id] = touch_of(ann)
    finally:
        session.close()
    return out


def work(store: ProjectStore, names: Iterable[str] | None = None) -> dict[str, dict[str, Touch]]:
    """``activity`` of every annotator but gold (or of ``names``)."""
    chosen = store.annotators(include_gold=False) if names is None else list(names)
    return {name: activity(store, name) for name in chosen}


def done_spans(
    store: ProjectStore, name: str, skipped: list[str] | None = None
) -> Iterator[tuple[str, str, SpanList]]:
    """``(document id, text, spans)`` of ``name``'s latest ``done`` annotations. A record that
    cannot be read at all (a server row the desktop cannot decode) is left out, and named by
    a line in ``skipped``, as a folder's unreadable line is (decision 0117)."""
    bulk = bulk_reads(store)
    if bulk is not None:
        yield from bulk.done_spans(name, skipped)
        return
    for ann in _done(store, name, spans_too=True):
        if isinstance(ann, Annotation):
            yield ann.id, ann.text, [(s.start, s.end, s.label) for s in ann.spans]
        elif ann.done is not None:  # its spans as stored: the report leaves the bad ones out
            yield ann.doc_id, *ann.done
        elif skipped is not None and ann.unreadable:
            skipped.append(f"{ann} (left out)")


def done_annotations(store: ProjectStore, name: str) -> Iterator[Annotation]:
    """``name``'s latest ``done`` annotations, journaled edits included."""
    for ann in _done(store, name, spans_too=False):
        assert isinstance(ann, Annotation)
        yield ann


def _done(store: ProjectStore, name: str, spans_too: bool) -> Iterator[Annotation | BadRecordError]:
    """``done_annotations``; with ``spans_too``, a stored record that is no annotation (a
    server row another client wrote, decision 0115) as its error, else raised."""
    session = store.session(name, read_only=True)
    try:
        for doc_id in list(session.touched()):
            if session.status(doc_id) == "done":
                try:
                    ann = session.annotation(doc_id)
                except KeyError:  # a document this person may no longer read
                    continue
                except BadRecordError as err:
                    if not spans_too:
                        raise
                    yield err
                    continue
                if ann is not None and ann.status == "done":
                    yield ann
    finally:
        session.close()


def stats(store: ProjectStore) -> dict[str, Any]:
    """``annotator stats``: documents, progress per annotator and spans per label.

    A folder answers from its cached per-file totals; any other store from ``activity`` and
    its done annotations.
    """
    if isinstance(store, Project):
        return store.stats()
    docs = store.documents
    ids = set(docs.ids)
    labels = store.config.label_names
    rows = []
    for name in store.annotators():
        touches = activity(store, name)
        statuses: Counter[Status] = Counter(t.status for t in touches.values())
        spans: Counter[str] = Counter()
        for _doc, _text, found in done_spans(store, name):
            spans.update(label for _s, _e, label in found)
        rows.append(
            {
                "name": name,
                "done": statuses.get("done", 0),
                "in_progress": statuses.get("in_progress", 0),
                "skipped": statuses.get("skipped", 0),
                "todo": max(0, len(ids) - sum(d in ids for d in touches)),
                "seconds": round(sum(t.seconds for t in touches.values()), 1),
                "spans": {label: spans.get(label, 0) for label in labels},
                "errors": 0,
            }
        )
    return {
        "project": store.config.name,
        "documents": len(docs),
        "document_errors": len(docs.errors),
        "labels": list(labels),
        "annotators": rows,
    }

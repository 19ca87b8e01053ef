"""Prodigy NER JSONL (``db-out``): ``text``, ``spans`` of ``start``/``end``/``label``, ``answer``.

Prodigy counts code points (Python strings); a span's ``text``, when present, is checked and
decides the unit. ``"answer": "accept"`` (or none) is ``done``, with no entities when the record
has no ``spans`` (``ner.manual`` leaves the key out when nothing was marked); ``"reject"`` and
``"ignore"`` are ``skipped``, without their spans (they are what the annotator turned down). A
dataset holding several annotators' answers (``_annotator_id`` / ``_session_id``) is imported
one person at a time with ``source_user``; the other people's records then give only documents.
The id is ``id`` or ``meta.id``, else the hash of the text (Prodigy's ``_input_hash`` is one
too, of its own making).

Only complete annotations are imported. Binary answers (``ner.teach``, ``ner.match``: view
``ner``, one suggested span accepted or rejected per record, the same text asked again and
again) say nothing about the entities nobody suggested: a file of them is refused with one
line, and so is any record from a view that is not a manual NER view (text classification,
choice...).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from annotator.core.errors import RecordError
from annotator.core.importers.jsonl import record_id, span_dicts
from annotator.core.importers.reading import iter_jsonl
from annotator.core.importers.records import (
    ImportedRecord,
    Item,
    Source,
    guard,
    list_of,
    make_record,
    meta_of,
    text_of,
    unread_note,
)
from annotator.core.importers.spans import Bad, Unit
from annotator.core.model import Status

NAME = "prodigy"
DESCRIPTION = 'Prodigy NER JSONL: "spans" with start/end/label, "answer"'
SUFFIXES: tuple[str, ...] = ()  # .jsonl, told apart from plain JSONL by its fields
MARKERS = ("answer", "_input_hash", "_task_hash", "_session_id", "_annotator_id", "_view_id")
_ANSWERS: dict[str, Status] = {"accept": "done", "reject": "skipped", "ignore": "skipped"}
MANUAL_VIEWS = frozenset({"ner_manual", "spans_manual", "review", "blocks"})
BINARY_VIEW = "ner"
_SNIFF_RECORDS = 500  # records looked at to tell a binary dataset from a manual one
BINARY = (
    "Prodigy binary answers (ner.teach or ner.match: each record accepts or rejects one "
    "suggested span), not complete annotations; nothing of this file was imported. Export "
    "complete ones from ner.manual, ner.correct or review"
)


def people(record: dict[str, Any]) -> set[str]:
    """Who gave this answer, in Prodigy's words."""
    return {str(record[k]) for k in ("_annotator_id", "_session_id") if record.get(k) is not None}


def binary_evidence(records: list[tuple[int, dict[str, Any]]]) -> int | None:
    """The line that shows a dataset is binary feedback, or None.

    Either most records say so (view ``ner``; a few among manual answers are refused one by
    one), or one input was asked several times as distinct tasks with at most one span each:
    how ``ner.teach`` asks about one suggestion at a time.
    """
    viewed = [(line, r["_view_id"]) for line, r in records if "_view_id" in r]
    binary = [line for line, view in viewed if view == BINARY_VIEW]
    if binary and 2 * len(binary) >= len(viewed):
        return binary[0]
    if any(len(r.get("spans") or ()) > 1 for _, r in records):
        return None
    tasks: dict[object, set[object]] = {}
    for line, record in records:
        key = record.get("_input_hash")
        if key is None or record.get("_task_hash") is None or "_view_id" in record:
            continue
        tasks.setdefault(key, set()).add(record["_task_hash"])
        if len(tasks[key]) > 1:
            return line
    return None


def _build(source: Source, line: int, pos: int, record: dict[str, Any]) -> ImportedRecord:
    view = record.get("_view_id")
    if view == BINARY_VIEW:
        raise Bad(
            f"a Prodigy binary answer (view {view!r}, ner.teach: one suggested span accepted or "
            "rejected), not a complete annotation; not imported"
        )
    if view is not None and view not in MANUAL_VIEWS:
        raise Bad(f"a Prodigy {view!r} answer holds no entity annotation; not imported")
    text = text_of(record)
    meta = meta_of(record.get("meta"))
    answer = record.get("answer", "accept")
    if answer not in _ANSWERS:
        raise Bad(f"answer must be accept, reject or ignore, got {answer!r}")
    status = _ANSWERS[answer]
    spans = list_of(record, "spans")
    raw = None if spans is None else span_dicts(spans)
    if raw is None and "answer" in record and status == "done":
        raw = []  # accepted with nothing marked: done, with no entities
    who = people(record)
    if source.source_user is not None and source.source_user not in who:
        raw, status = None, "done"  # someone else's answer: the document only
    elif status == "skipped":
        raw = []
    notes = unread_note(source, line, record, ("spans", "tokens"), "prodigy")
    return make_record(
        source,
        line,
        pos,
        text,
        record_id(record, meta),
        meta,
        raw,
        Unit.CODE_POINTS,
        status,
        notes=notes,
        people=sorted(who),
    )


def read(source: Source) -> Iterator[Item]:
    """Yield one record per line, and an error for each line that cannot be used."""
    head = [
        (item[0], item[2])
        for item in islice(iter_jsonl(source.path, source.display), _SNIFF_RECORDS)
        if isinstance(item, tuple)
    ]
    line = binary_evidence(head)
    if line is not None:
        yield RecordError(source.display, line, BINARY)
        return
    for item in iter_jsonl(source.path, source.display):
        if isinstance(item, tuple):
            yield guard(source, item[0], _build, source, *item)
        else:
            yield item

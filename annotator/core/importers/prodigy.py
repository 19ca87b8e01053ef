"""Prodigy NER JSONL (``db-out``): ``text``, ``spans`` of ``start``/``end``/``label``, ``answer``.

Prodigy counts code points (Python strings); a span's ``text``, when present, is checked and
decides the unit. ``"answer": "accept"`` (or none) is ``done``; ``"reject"`` and ``"ignore"``
are ``skipped``, without their spans (they are what the annotator turned down). A dataset
holding several annotators' answers (``_annotator_id`` / ``_session_id``) is imported one
person at a time with ``source_user``; the other people's records then give only documents.
The id is ``id`` or ``meta.id``, else the hash of the text (Prodigy's ``_input_hash`` is one
too, of its own making).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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
)
from annotator.core.importers.spans import Bad, Unit
from annotator.core.model import Status

NAME = "prodigy"
DESCRIPTION = 'Prodigy NER JSONL: "spans" with start/end/label, "answer"'
SUFFIXES: tuple[str, ...] = ()  # .jsonl, told apart from plain JSONL by its fields
MARKERS = ("answer", "_input_hash", "_task_hash", "_session_id", "_annotator_id", "_view_id")
_ANSWERS: dict[str, Status] = {"accept": "done", "reject": "skipped", "ignore": "skipped"}


def people(record: dict[str, Any]) -> set[str]:
    """Who gave this answer, in Prodigy's words."""
    return {str(record[k]) for k in ("_annotator_id", "_session_id") if record.get(k) is not None}


def _build(source: Source, line: int, pos: int, record: dict[str, Any]) -> ImportedRecord:
    text = text_of(record)
    meta = meta_of(record.get("meta"))
    answer = record.get("answer", "accept")
    if answer not in _ANSWERS:
        raise Bad(f"answer must be accept, reject or ignore, got {answer!r}")
    status = _ANSWERS[answer]
    spans = list_of(record, "spans")
    raw = None if spans is None else span_dicts(spans)
    if source.source_user is not None and source.source_user not in people(record):
        raw, status = None, "done"  # someone else's answer: the document only
    elif status == "skipped":
        raw = []
    return make_record(
        source, line, pos, text, record_id(record, meta), meta, raw, Unit.CODE_POINTS, status
    )


def read(source: Source) -> Iterator[Item]:
    """Yield one record per line, and an error for each line that cannot be used."""
    for item in iter_jsonl(source.path, source.display):
        if isinstance(item, tuple):
            yield guard(source, item[0], _build, source, *item)
        else:
            yield item

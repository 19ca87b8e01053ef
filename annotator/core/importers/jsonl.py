"""Plain JSONL: ``{"text", "id"?, "meta"?, "title"?}`` per line, and this tool's own records.

An optional ``spans`` list of ``{"start", "end", "label", "text"?}`` (code points, as in this
tool's annotation files and spaCy) becomes an annotation, with ``status`` (default ``done``)
and ``seconds`` if given; so one project's ``annotations/<name>.jsonl`` imports into another.
The id is ``id`` (or ``meta.id``); without one, the hash of the text. The text is ``text``, or
the field ``text_field`` names. Fields that look like another tool's annotations
(``entities``, ``annotations``...) are not read here, and a note says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from annotator.core.importers.reading import iter_jsonl
from annotator.core.importers.records import (
    ImportedRecord,
    Item,
    Source,
    guard,
    id_of,
    list_of,
    make_record,
    meta_of,
    seconds_of,
    text_of,
    unread_note,
)
from annotator.core.importers.spans import Bad, RawSpan, Unit
from annotator.core.model import STATUSES, Status

NAME = "jsonl"
DESCRIPTION = 'JSON Lines with a "text" field (and optionally "id", "meta", "spans")'
SUFFIXES = (".jsonl", ".ndjson")


def record_id(record: Mapping[str, Any], meta: Mapping[str, Any]) -> str | None:
    """``id``, else ``meta.id``, else None (the text's hash will do)."""
    if record.get("id") is not None:
        return id_of(record["id"])
    return id_of(meta.get("id"), "meta.id")


def span_dicts(value: list[Any], start: str = "start", end: str = "end") -> list[RawSpan]:
    """RawSpans from a list of ``{"start", "end", "label", "text"?}`` objects."""
    out = []
    for k, item in enumerate(value, 1):
        if not isinstance(item, dict):
            raise Bad(f"span {k} must be an object, got {type(item).__name__}")
        for key in (start, end, "label"):
            if key not in item:
                raise Bad(f"span {k} has no {key!r}")
        out.append(RawSpan(item[start], item[end], item["label"], item.get("text")))
    return out


def status_of(value: object) -> Status:
    """A status in this tool's words (default ``done``)."""
    if value is None:
        return "done"
    for status in STATUSES:
        if value == status:
            return status
    raise Bad(f"status must be one of {', '.join(STATUSES)}, got {value!r}")


def _build(source: Source, line: int, pos: int, record: dict[str, Any]) -> ImportedRecord:
    text = text_of(record, source.text_field or "text")
    meta = meta_of(record.get("meta"))
    if isinstance(record.get("title"), str) and "title" not in meta:
        meta["title"] = record["title"]
    spans = list_of(record, "spans")
    return make_record(
        source,
        line,
        pos,
        text,
        record_id(record, meta),
        meta,
        None if spans is None else span_dicts(spans),
        Unit.CODE_POINTS,
        status=status_of(record.get("status")),
        seconds=seconds_of(record.get("seconds")),
        notes=unread_note(source, line, record, ("spans",), "jsonl"),
    )


def read(source: Source) -> Iterator[Item]:
    """Yield one record per line, and an error for each line that cannot be used."""
    for item in iter_jsonl(source.path, source.display):
        if not isinstance(item, tuple):
            yield item
            continue
        line, pos, record = item
        yield guard(source, line, _build, source, line, pos, record)

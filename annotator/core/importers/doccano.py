"""doccano sequence-labelling JSONL: ``"label": [[start, end, "LABEL"], ...]`` or ``"entities"``.

doccano's offsets come from the browser, so they count UTF-16 code units (documented unit);
they carry no text to check against, so code points are taken only when they alone put every
span of a record on token boundaries. doccano cannot tell "looked at, no entities" from "never
opened", so a record with no spans is imported as a document without an annotation. The id is
the record's ``id``; other top-level fields (doccano's copy of the uploaded metadata) go to
``meta``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from annotator.core.importers.jsonl import record_id
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
from annotator.core.importers.spans import Bad, RawSpan, Unit

NAME = "doccano"
DESCRIPTION = 'doccano JSONL: "label": [[start, end, "LABEL"], ...] or "entities"'
SUFFIXES: tuple[str, ...] = ()  # .jsonl, told apart from plain JSONL by its fields
_KNOWN = {"id", "text", "label", "labels", "entities", "relations", "meta", "Comments"}


def spans_of(record: dict[str, Any]) -> list[RawSpan] | None:
    """The spans of either variant; None when the record has none."""
    entities = list_of(record, "entities")
    if entities is not None:
        out = []
        for k, item in enumerate(entities, 1):
            if not isinstance(item, dict):
                raise Bad(f"entity {k} must be an object, got {type(item).__name__}")
            for key in ("start_offset", "end_offset", "label"):
                if key not in item:
                    raise Bad(f"entity {k} has no {key!r}")
            out.append(RawSpan(item["start_offset"], item["end_offset"], item["label"]))
        return out or None
    triples = list_of(record, "label")
    if triples is None:
        triples = list_of(record, "labels")
    if triples is None:
        return None
    out = []
    for k, item in enumerate(triples, 1):
        if not isinstance(item, list) or len(item) != 3:
            raise Bad(f'label {k} must be [start, end, "LABEL"], got {item!r}')
        out.append(RawSpan(item[0], item[1], item[2]))
    return out or None


def _build(source: Source, line: int, pos: int, record: dict[str, Any]) -> ImportedRecord:
    text = text_of(record)
    meta = meta_of(record.get("meta"))
    meta.update({k: v for k, v in record.items() if k not in _KNOWN})
    return make_record(
        source, line, pos, text, record_id(record, meta), meta, spans_of(record), Unit.UTF16
    )


def read(source: Source) -> Iterator[Item]:
    """Yield one record per line, and an error for each line that cannot be used."""
    for item in iter_jsonl(source.path, source.display):
        if isinstance(item, tuple):
            yield guard(source, item[0], _build, source, *item)
        else:
            yield item

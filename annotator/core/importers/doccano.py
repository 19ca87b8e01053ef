"""doccano sequence-labelling JSONL, every layout it has written.

- ``"label": [[start, end, "LABEL"], ...]`` (1.x and later; ``labels`` in 1.0's "JSONL (text
  label)"), under another name with ``label_field`` (doccano lets a project rename it);
- ``"entities": [{"label", "start_offset", "end_offset"}]`` (the relation-extraction layout);
- ``"annotations": [{"label", "start_offset", "end_offset", "user"}]`` (1.0 and before):
  ``label`` is doccano's label *id* there, such as ``3``, which ``--map 3=PERSON`` names;
  ``user`` says whose span it is, and a record holding several users' spans is imported one
  user at a time with ``source_user``.

doccano's offsets come from the browser, so they count UTF-16 code units (documented unit);
they carry no text to check against, so code points are taken only when they alone put every
span of a record on token boundaries. doccano cannot tell "looked at, no entities" from "never
opened", so a record with no spans is imported as a document without an annotation. The text is
``text`` (or ``text_field``); the id is the record's ``id``; other top-level fields (doccano's
copy of the uploaded metadata) go to ``meta``.
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
    unread_note,
)
from annotator.core.importers.spans import Bad, Note, RawSpan, Unit

NAME = "doccano"
DESCRIPTION = 'doccano JSONL: "label": [[start, end, "LABEL"], ...] or "entities"'
SUFFIXES: tuple[str, ...] = ()  # .jsonl, told apart from plain JSONL by its fields
_KNOWN = {"id", "text", "label", "labels", "entities", "relations", "meta", "Comments"}
_KNOWN |= {"annotations", "annotation_approver", "comments"}
_READ = {"label", "labels", "entities", "annotations"}  # the fields spans are read from


def is_old_layout(record: dict[str, Any]) -> bool:
    """doccano 1.0 and before: ``annotations`` of ``{label, start_offset, end_offset}``."""
    value = record.get("annotations")
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(a, dict) and "start_offset" in a for a in value)
    )


def users(record: dict[str, Any]) -> list[str]:
    """The doccano users whose spans a 1.0 record holds."""
    items = record.get("annotations")
    if not isinstance(items, list):
        return []
    named = {str(a["user"]) for a in items if isinstance(a, dict) and a.get("user") is not None}
    return sorted(named)


def _old_spans(record: dict[str, Any], user: str | None) -> list[RawSpan] | None:
    items = list_of(record, "annotations") or []
    spans, users = [], set()
    for k, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise Bad(f"annotation {k} must be an object, got {type(item).__name__}")
        for key in ("start_offset", "end_offset", "label"):
            if key not in item:
                raise Bad(f"annotation {k} has no {key!r}")
        who = None if item.get("user") is None else str(item["user"])
        users.add(who)
        if user is not None and who != user:
            continue
        label = item["label"]
        if isinstance(label, int) and not isinstance(label, bool):
            label = str(label)  # a label id: --map 3=PERSON names it
        spans.append(RawSpan(item["start_offset"], item["end_offset"], label))
    named = sorted(u for u in users if u is not None)
    if user is None and len(named) > 1:
        raise Bad(
            f"the record holds the spans of {len(named)} doccano users ({', '.join(named)}); "
            "import one user's at a time with --source-user"
        )
    return spans or None


def spans_of(record: dict[str, Any], source: Source | None = None) -> list[RawSpan] | None:
    """The spans of any layout; None when the record has none."""
    field = source.label_field if source is not None else None
    if field:
        return _triples(record, field)
    if is_old_layout(record):
        return _old_spans(record, source.source_user if source is not None else None)
    if record.get("annotations") not in (None, []):
        raise Bad(
            "field 'annotations' must be a list of {label, start_offset, end_offset} objects "
            "(doccano 1.0), got " + repr(record["annotations"])[:60]
        )
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
    if "label" in record:
        return _triples(record, "label")
    return _triples(record, "labels")


def _triples(record: dict[str, Any], key: str) -> list[RawSpan] | None:
    triples = list_of(record, key)
    if triples is None:
        return None
    out = []
    for k, item in enumerate(triples, 1):
        if not isinstance(item, list) or len(item) != 3:
            raise Bad(f'{key} {k} must be [start, end, "LABEL"], got {item!r}')
        out.append(RawSpan(item[0], item[1], item[2]))
    return out or None


def _build(source: Source, line: int, pos: int, record: dict[str, Any]) -> ImportedRecord:
    text_key = source.text_field or "text"
    text = text_of(record, text_key)
    meta = meta_of(record.get("meta"))
    known = _KNOWN | {text_key, source.label_field or "label"}
    meta.update({k: v for k, v in record.items() if k not in known})
    spans = spans_of(record, source)
    read = _READ | ({source.label_field} if source.label_field else set())
    notes: list[Note] = unread_note(source, line, record, read, "doccano")
    return make_record(
        source, line, pos, text, record_id(record, meta), meta, spans, Unit.UTF16,
        notes=notes, people=users(record),
    )  # fmt: skip


def read(source: Source) -> Iterator[Item]:
    """Yield one record per line, and an error for each line that cannot be used."""
    for item in iter_jsonl(source.path, source.display):
        if isinstance(item, tuple):
            yield guard(source, item[0], _build, source, *item)
        else:
            yield item

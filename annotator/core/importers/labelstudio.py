"""Label Studio JSON export (a list of tasks), its ``JSON_MIN`` variant, and the pre-1.0 layout.

A task is ``{"id", "data": {"text", ...}, "annotations": [{"result": [{"type": "labels",
"value": {"start", "end", "text", "labels": [L]}}], "completed_by", "was_cancelled",
"lead_time"}]}``. Current Label Studio counts code points, older versions UTF-16 units: each
span's ``value.text`` decides. Only ``labels`` results are spans (choices, relations and the
like are counted and left out); ``predictions`` are a model's, not a person's, and are not
imported. A cancelled annotation is ``skipped``. A task annotated by several people is
imported one person at a time with ``source_user`` (a ``completed_by`` id or e-mail); without
it such a task is an error. Label Studio before 1.0 called annotations ``completions``; they
are read the same way. The text is ``data.text`` (or the field ``text_field`` names, or
``data``'s only string); the id is ``data.id`` when the uploaded data had one, else the task's
``id``. Drafts and predictions are not imported, and a note says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from annotator.core.importers.reading import iter_json_values
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
from annotator.core.importers.spans import Bad, Note, RawSpan, Unit
from annotator.core.model import Status

NAME = "labelstudio"
DESCRIPTION = "Label Studio JSON export (or JSON_MIN): tasks with annotations[].result[]"
SUFFIXES = (".json",)
_MIN_KNOWN = {"id", "label", "annotator", "annotation_id", "created_at", "updated_at"}
_MIN_KNOWN |= {"lead_time", "text"}


def person(value: object) -> set[str]:
    """The ways a ``completed_by`` (an id, or an object with id and e-mail) can be named."""
    if isinstance(value, dict):
        return {str(value[k]) for k in ("id", "email") if value.get(k) is not None}
    return set() if value is None else {str(value)}


def who(value: object) -> str | None:
    """One name for a ``completed_by``: the e-mail where there is one, else the id."""
    if isinstance(value, dict):
        for key in ("email", "id"):
            if value.get(key) is not None:
                return str(value[key])
        return None
    return None if value is None else str(value)


def _text_key(data: dict[str, Any], wanted: str | None) -> str:
    if wanted:
        if wanted not in data:
            raise Bad(f"'data' has no field {wanted!r} (fields: {', '.join(data)})")
        return wanted
    if "text" in data:
        return "text"
    strings = [k for k, v in data.items() if isinstance(v, str) and k != "id"]
    if len(strings) == 1:
        return strings[0]
    raise Bad(f"cannot tell which field of 'data' holds the text (fields: {', '.join(data)})")


def result_spans(result: list[Any], where: str) -> tuple[list[RawSpan], int]:
    """The ``labels`` results as spans, and how many other results were left out."""
    spans, other = [], 0
    for k, item in enumerate(result, 1):
        if not isinstance(item, dict):
            raise Bad(f"{where} result {k} must be an object, got {type(item).__name__}")
        value = item.get("value")
        kind = item.get("type")
        if not isinstance(value, dict) or (
            kind not in (None, "labels") or (kind is None and "labels" not in value)
        ):
            other += 1
            continue
        for key in ("start", "end", "labels"):
            if key not in value:
                raise Bad(f"{where} result {k} has no value.{key}")
        labels = value["labels"]
        if not isinstance(labels, list) or len(labels) != 1:
            raise Bad(
                f"{where} result {k} has labels {labels!r}; a span here has exactly one label"
            )
        spans.append(RawSpan(value["start"], value["end"], labels[0], value.get("text")))
    return spans, other


def _choose(annotations: list[Any], user: str | None) -> dict[str, Any] | None:
    """The one annotation to import (None: the document only)."""
    valid = [a for a in annotations if isinstance(a, dict)]
    if len(valid) != len(annotations):
        raise Bad("every annotation must be an object")
    if user is not None:
        valid = [a for a in valid if user in person(a.get("completed_by"))]
        if len(valid) > 1:
            raise Bad(f"the task has {len(valid)} annotations by {user}; keep one")
    if len(valid) > 1:
        who = ", ".join(sorted({p for a in valid for p in person(a.get("completed_by"))}))
        raise Bad(
            f"the task has {len(valid)} annotations (by {who or 'unknown'}); import one "
            "person's at a time with --source-user"
        )
    return valid[0] if valid else None


def _task(source: Source, line: int, pos: int, task: object) -> ImportedRecord:
    if not isinstance(task, dict):
        raise Bad(f"expected a task object, got {type(task).__name__}")
    if "data" not in task and (source.text_field or "text") in task:
        return _min_task(source, line, pos, task)
    data = task.get("data")
    if not isinstance(data, dict):
        raise Bad("missing field 'data' (an object holding the text)")
    key = _text_key(data, source.text_field)
    text = text_of(data, key, "data.")
    meta = meta_of(task.get("meta"))
    meta.update({k: v for k, v in data.items() if k not in (key, "id")})
    doc_id = id_of(data.get("id"), "data.id") or id_of(task.get("id"))
    annotations = list_of(task, "annotations")
    if annotations is None:
        annotations = list_of(task, "completions")  # Label Studio before 1.0
    annotations = annotations or []
    by = [who(a.get("completed_by")) for a in annotations if isinstance(a, dict)]
    names = sorted({n for n in by if n})
    chosen = _choose(annotations, source.source_user)
    spans: list[RawSpan] | None = None
    status: Status = "done"
    seconds = 0.0
    notes = unread_note(source, line, task, ("annotations", "completions"), NAME)
    if chosen is not None:
        seconds = seconds_of(chosen.get("lead_time"))
        if chosen.get("was_cancelled"):
            spans, status = [], "skipped"
        else:
            result = chosen.get("result", [])
            if not isinstance(result, list):
                raise Bad("annotation 'result' must be a list")
            spans, other = result_spans(result, "annotation")
            if other:
                notes.append(
                    Note(source.display, line, "ignored", f"{other} non-span results left out")
                )
    return make_record(
        source, line, pos, text, doc_id, meta, spans, Unit.CODE_POINTS, status, seconds, notes,
        people=names,
    )  # fmt: skip


def _min_task(source: Source, line: int, pos: int, task: dict[str, Any]) -> ImportedRecord:
    """``JSON_MIN``: one flat row per annotation, ``label`` a list of span values."""
    text_key, label_key = source.text_field or "text", source.label_field or "label"
    text = text_of(task, text_key)
    meta = {k: v for k, v in task.items() if k not in _MIN_KNOWN | {text_key, label_key}}
    doc_id = id_of(task.get("id"))
    name = who(task.get("annotator"))
    names = [name] if name else []
    if source.source_user is not None and source.source_user not in person(task.get("annotator")):
        return make_record(
            source, line, pos, text, doc_id, meta, None, Unit.CODE_POINTS, people=names
        )
    labels = list_of(task, label_key)
    spans = None
    if labels is not None:
        for k, value in enumerate(labels, 1):
            if not isinstance(value, dict) or "labels" not in value:
                raise Bad(
                    f"{label_key} {k} must be an object with start, end and labels, got {value!r}"
                )
        spans, _ = result_spans([{"value": v} for v in labels], "label")
    seconds = seconds_of(task.get("lead_time"))
    return make_record(
        source, line, pos, text, doc_id, meta, spans, Unit.CODE_POINTS, seconds=seconds,
        people=names,
    )  # fmt: skip


def read(source: Source) -> Iterator[Item]:
    """Yield one record per task, and an error for each task that cannot be used."""
    for item in iter_json_values(source.path, source.display):
        if isinstance(item, tuple):
            yield guard(source, item[0], _task, source, *item)
        else:
            yield item

"""What every importer yields: one record per input document, spans in stored code points."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import RecordError
from annotator.core.importers.spans import Bad, ImportedSpan, Note, RawSpan, Unit, resolve_offsets
from annotator.core.model import Document, Status, sha256_text
from annotator.core.text import Normalised, shorten


@dataclass(frozen=True)
class Source:
    """One input file: where it is, how to name it in messages, and what to read from it.

    ``id_base`` is the folder a ``.txt`` file was found in (its id is the path relative to it);
    ``source_user`` picks one person's annotations where a file holds several people's; the
    rest are the reading options of ``ImportOptions`` that a format may use.
    """

    path: Path
    display: str
    id_base: Path | None = None
    source_user: str | None = None
    sentences_per_doc: int | None = None  # CoNLL without -DOCSTART-; None: the default
    text_field: str | None = None  # the field holding the text, where the tool lets users rename it
    label_field: str | None = None  # the field holding the spans (doccano)


@dataclass(frozen=True)
class ImportedRecord:
    """One document read from an input, with the annotation it carries (if any).

    ``spans`` is None when the input holds no annotation for the document, and a (possibly
    empty) tuple when it does; offsets are code points of ``doc.text``, already normalised.
    ``id_given`` is False when the id is the hash of the text. ``pos`` is how many bytes of
    the file have been read (for progress). ``people`` names whoever annotated in the record
    (all of them, whether ``source_user`` picked one or not), so an import can say who is
    there when ``--source-user`` matched no one.
    """

    path: str
    line: int
    doc: Document
    id_given: bool
    spans: tuple[ImportedSpan, ...] | None = None
    status: Status = "done"
    seconds: float = 0.0
    pos: int = 0
    notes: tuple[Note, ...] = field(default_factory=tuple)
    people: tuple[str, ...] = ()  # who annotated in this record, as the input names them


Item = ImportedRecord | RecordError | Note
"""An importer yields records, errors for the lines it could not read (then goes on), and notes
about the whole file (how a CoNLL file was cut into documents)."""

Reader = Callable[[Source], Iterator[Item]]


def file_id(source: Source) -> str:
    """The id a file gives its document: its path relative to the folder it was found in (or
    its name), without the suffix, with ``/`` (``2024/03/banjir``)."""
    if source.id_base is not None:
        return source.path.relative_to(source.id_base).with_suffix("").as_posix()
    return source.path.stem


def hash_id(text: str) -> str:
    """The id of a document whose input gives none: ``sha-`` and 16 hex digits of its text."""
    return f"sha-{sha256_text(text)[:16]}"


def id_of(value: object, what: str = "id") -> str | None:
    """A document id from an input value: a non-empty string or an integer; None if absent."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise Bad(f"{what} must be a string or an integer, got {value!r}")
    out = str(value)
    if not out.strip():
        raise Bad(f"{what} is empty")
    return out


def text_of(record: Mapping[str, Any], key: str = "text", where: str = "") -> str:
    """The text field of a record, or Bad naming what is wrong with it."""
    name = f"{where}{key}"
    if key not in record:
        raise Bad(f"missing field {name!r}")
    value = record[key]
    if not isinstance(value, str):
        raise Bad(f"field {name!r} must be a string, got {type(value).__name__}")
    if not value.strip():
        raise Bad(f"field {name!r} is empty")
    return value


def meta_of(value: object) -> dict[str, Any]:
    """A ``meta`` field: a JSON object, or Bad."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Bad(f"field 'meta' must be an object, got {type(value).__name__}")
    return dict(value)


def list_of(record: Mapping[str, Any], key: str) -> list[Any] | None:
    """A list field (None when absent), or Bad."""
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise Bad(f"field {key!r} must be a list, got {type(value).__name__}")
    return value


def seconds_of(value: object) -> float:
    """Time spent, from a number (anything else counts as none); Bad when not finite."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return 0.0
    try:
        seconds = float(value)
    except OverflowError:  # an integer past the float range
        seconds = math.inf
    if math.isinf(seconds):
        raise Bad(f"the time spent ({shorten(str(value), 24)} seconds) is not a finite number")
    return max(0.0, seconds)


def make_record(
    source: Source,
    line: int,
    pos: int,
    raw_text: str,
    doc_id: str | None,
    meta: dict[str, Any],
    spans: Sequence[RawSpan] | None,
    documented: Unit,
    status: Status = "done",
    seconds: float = 0.0,
    notes: Sequence[Note] = (),
    people: Sequence[str] = (),
) -> ImportedRecord:
    """Normalise the text, resolve the spans' units and remap them; raises Bad."""
    norm = Normalised(raw_text)
    text = norm.text
    if not text.strip():
        raise Bad("the text is empty")
    out: tuple[ImportedSpan, ...] | None = None
    all_notes = list(notes)
    if spans is not None:
        resolved, unit = resolve_offsets(raw_text, spans, documented)
        out = tuple(
            ImportedSpan(norm.position(s), norm.position(e), label, where, span_line or line)
            for s, e, label, where, span_line in resolved
        )
        if unit is not None:
            all_notes.append(
                Note(
                    source.display,
                    line,
                    "unit",
                    f"offsets read as {unit}, not {documented}: only then do they fit the text",
                )
            )
    doc = Document(id=doc_id or hash_id(text), text=text, meta=meta)
    return ImportedRecord(
        path=source.display,
        line=line,
        doc=doc,
        id_given=doc_id is not None,
        spans=out,
        status=status,
        seconds=seconds,
        pos=pos,
        notes=tuple(all_notes),
        people=tuple(people),
    )


ANNOTATION_LIKE = (
    "spans", "entities", "label", "labels", "annotations", "completions", "predictions",
    "drafts", "result", "relations", "ner_tags", "tags", "ents", "accept", "cats",
)  # fmt: skip
"""Fields other tools keep annotations in: a record holding one that its format does not read
gets a note, so annotations are never left behind without a word."""


def unread_note(
    source: Source, line: int, record: Mapping[str, Any], read: Collection[str], fmt: str
) -> list[Note]:
    """A note naming the annotation-like fields of ``record`` that ``fmt`` does not read."""
    unread = [
        k for k in ANNOTATION_LIKE if k not in read and record.get(k) not in (None, [], {}, "")
    ]
    if not unread:
        return []
    names = ", ".join(repr(k) for k in unread)
    return [
        Note(
            source.display,
            line,
            "unread",
            f"{names} look{'s' if len(unread) == 1 else ''} like annotations, which the {fmt} "
            "format does not read: not imported",
        )
    ]


def guard(source: Source, line: int, build: Callable[..., ImportedRecord], *args: Any) -> Item:
    """``build(*args)``, or a RecordError at ``source:line`` when it raises Bad."""
    try:
        return build(*args)
    except Bad as exc:
        return RecordError(source.display, line, str(exc))

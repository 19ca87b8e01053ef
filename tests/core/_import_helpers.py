"""Small builders shared by the importer tests."""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.core.errors import RecordError
from annotator.core.importers import IMPORTERS, ImportedRecord, Note, Source
from annotator.core.project import Project

DATA = Path(__file__).resolve().parent.parent / "data" / "import"


def write_jsonl(path: Path, records: Iterable[Any]) -> Path:
    """Write one JSON value per line (UTF-8, non-ASCII kept)."""
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def u16(text: str, pos: int) -> int:
    """UTF-16 offset of code-point offset ``pos``, computed independently of Utf16Map."""
    return len(text[:pos].encode("utf-16-le")) // 2


def read(fmt: str, path: Path, **kw: Any) -> tuple[list[ImportedRecord], list[RecordError]]:
    """The records and errors one importer yields for ``path``, apart (file notes dropped)."""
    records, errors, _ = read_all(fmt, path, **kw)
    return records, errors


def read_all(
    fmt: str, path: Path, **kw: Any
) -> tuple[list[ImportedRecord], list[RecordError], list[Note]]:
    """Everything one importer yields for ``path``: records, errors and file notes apart."""
    records: list[ImportedRecord] = []
    errors: list[RecordError] = []
    notes: list[Note] = []
    for item in IMPORTERS[fmt].read(Source(path, path.name, **kw)):
        if isinstance(item, RecordError):
            errors.append(item)
        elif isinstance(item, Note):
            notes.append(item)
        else:
            records.append(item)
    return records, errors, notes


def spans_of(record: ImportedRecord) -> list[tuple[str, str]]:
    """``(covered text, label)`` of each span of a record."""
    assert record.spans is not None
    return [(record.doc.text[s.start : s.end], s.label) for s in record.spans]


def new_project(root: Path) -> Project:
    return Project.init(root)

"""Importers (docs/design.md section 7): txt, JSONL, doccano, Prodigy, Label Studio, CoNLL.

    summary = import_paths(project, [Path("ani.jsonl")], ImportOptions(annotator="ani"))

Each format is a module with a pure generator ``read(source)`` of ``ImportedRecord`` (a
document, the spans it carries in stored code points, a status) and ``RecordError`` for each
line it cannot use; ``IMPORTERS`` lists them and ``detect_format`` picks one for ``auto``.
``import_paths`` writes the records into a project through the store. Decisions:
``docs/decisions/0010-import.md`` and ``0011-import-spans.md``.
"""

from annotator.core.importers.detect import detect_format, jsonl_kind
from annotator.core.importers.options import (
    ImportOptions,
    ImportSummary,
    UsageError,
    parse_label_map,
)
from annotator.core.importers.reading import MAX_RECORD_BYTES
from annotator.core.importers.records import ImportedRecord, Item, Reader, Source, hash_id
from annotator.core.importers.registry import IMPORTERS, KNOWN_SUFFIXES, Importer
from annotator.core.importers.run import Progress, import_paths
from annotator.core.importers.sources import plan_sources
from annotator.core.importers.spans import (
    ImportedSpan,
    Note,
    RawSpan,
    Unit,
    finish_spans,
    resolve_offsets,
)

__all__ = [
    "IMPORTERS",
    "KNOWN_SUFFIXES",
    "MAX_RECORD_BYTES",
    "ImportOptions",
    "ImportSummary",
    "ImportedRecord",
    "ImportedSpan",
    "Importer",
    "Item",
    "Note",
    "Progress",
    "RawSpan",
    "Reader",
    "Source",
    "Unit",
    "UsageError",
    "detect_format",
    "finish_spans",
    "hash_id",
    "import_paths",
    "jsonl_kind",
    "parse_label_map",
    "plan_sources",
    "resolve_offsets",
]

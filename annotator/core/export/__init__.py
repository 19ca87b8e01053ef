"""Training-data exports (docs/design.md section 7): one registry of formats, one entry point.

    summary = export_project(project, ExportOptions(format="conll", split=(0.8, 0.1, 0.1)),
                             progress=lambda phase, done, total: None)

Both ``annotator export`` and the window's File > Export call ``export_project``. Formats live
in ``EXPORTERS``; ``records`` turns a document into tokens and token-aligned spans, ``sources``
picks the spans (gold, merged, one annotator), ``splits`` places documents, ``summary`` tells
what happened and writes ``meta.json`` and ``README.md``.
"""

from annotator.core.export.cutting import cut_records, sentence_ends
from annotator.core.export.formats import EXPORTERS, Exporter, FormatContext, text_format
from annotator.core.export.records import (
    SCHEMES,
    ExportDoc,
    ExportSpan,
    Misaligned,
    MisalignedSpan,
    Scheme,
    prepare,
    tag_names,
    tags,
)
from annotator.core.export.run import (
    DEFAULT_MAX_WORDS,
    DEFAULT_SOURCE,
    ExportOptions,
    MisalignedError,
    canonical_command,
    export_project,
)
from annotator.core.export.sources import MERGED, ExportCancelled, Progress
from annotator.core.export.splits import parse_split, plan_splits
from annotator.core.export.summary import ExportSummary, SplitStats

__all__ = [
    "DEFAULT_MAX_WORDS",
    "DEFAULT_SOURCE",
    "EXPORTERS",
    "MERGED",
    "SCHEMES",
    "ExportCancelled",
    "ExportDoc",
    "ExportOptions",
    "ExportSpan",
    "ExportSummary",
    "Exporter",
    "FormatContext",
    "Misaligned",
    "MisalignedError",
    "MisalignedSpan",
    "Progress",
    "Scheme",
    "SplitStats",
    "canonical_command",
    "cut_records",
    "export_project",
    "parse_split",
    "plan_splits",
    "prepare",
    "sentence_ends",
    "tag_names",
    "tags",
    "text_format",
]

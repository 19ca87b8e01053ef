"""``annotator import PROJECT PATH...``: documents, and the annotations they carry."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from annotator.commands.kept_parts import keep_for_reports
from annotator.commands.output import server_restored, warn
from annotator.core.errors import AnnotatorError
from annotator.core.importers import (
    IMPORTERS,
    ImportOptions,
    UsageError,
    import_paths,
    parse_label_map,
)
from annotator.core.model import check_annotator_name
from annotator.core.open import opened
from annotator.core.storage import ProjectStore


def _annotator(value: str) -> str:
    try:
        return check_annotator_name(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number 0 or more, got {value!r}")
    return n


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``import``."""
    parser.add_argument("project", help="project folder or postgresql:// URL")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    parser.add_argument(
        "--format",
        default="auto",
        choices=["auto", *IMPORTERS],
        help="input format (default: auto, from the file name and its first record). "
        + "; ".join(f"{imp.name}: {imp.description}" for imp in IMPORTERS.values()),
    )
    parser.add_argument(
        "--annotator",
        type=_annotator,
        metavar="NAME",
        help="the annotations in the input become NAME's (without it, documents only)",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="rename an input label to a project label (repeatable); OLD= drops OLD's spans",
    )
    parser.add_argument(
        "--overlaps",
        choices=["error", "longest"],
        default="error",
        help="overlapping spans in one record: an error (default), or keep the longest",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an annotation NAME already has that differs from the input's",
    )
    parser.add_argument(
        "--source-user",
        metavar="WHO",
        help="from a file of several people's annotations, take WHO's (Label Studio "
        "completed_by id or e-mail, Prodigy _annotator_id or _session_id, doccano 1.0 user "
        "id); a file where WHO matches no record is a problem that lists who is there",
    )
    parser.add_argument(
        "--sentences-per-doc",
        type=_count,
        metavar="N",
        help="CoNLL without -DOCSTART- lines: one document every N sentences (default 1, "
        "each sentence a document; 0: the whole file one document)",
    )
    parser.add_argument(
        "--text-field",
        metavar="NAME",
        help="the field holding the text, where it is not 'text' (doccano, JSONL, Label "
        "Studio 'data')",
    )
    parser.add_argument(
        "--label-field",
        metavar="NAME",
        help="the field holding the spans, where it is not 'label' (doccano "
        "[start, end, LABEL] lists, Label Studio JSON_MIN)",
    )


class _Bar:
    """A tqdm bar in bytes on a terminal (stderr); nothing otherwise."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if not sys.stderr.isatty():
                return
            from tqdm import tqdm

            self.bar = tqdm(
                total=total,
                unit="B",
                unit_scale=True,
                desc="importing",
                leave=False,
                file=sys.stderr,
                disable=None,
            )
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def run(args: argparse.Namespace) -> int:
    """Import, then list the problems (stderr) and the summary (stdout)."""
    with opened(args.project) as project:
        try:
            return _import(args, project)
        finally:
            server_restored(project)


def _import(args: argparse.Namespace, project: ProjectStore) -> int:
    try:
        options = ImportOptions(
            format=args.format,
            annotator=args.annotator,
            label_map=parse_label_map(args.map, project.config.label_names),
            overlaps=args.overlaps,
            overwrite=args.overwrite,
            source_user=args.source_user,
            sentences_per_doc=args.sentences_per_doc,
            text_field=args.text_field,
            label_field=args.label_field,
        )
    except UsageError as exc:
        warn(f"annotator import: {exc}")
        return 2
    bar = _Bar()
    try:
        summary = import_paths(project, args.paths, options, bar)
    except OSError as exc:  # reading a folder or a project file failed before any record
        raise AnnotatorError(f"{exc.filename or args.project}: {exc.strerror or exc}") from None
    finally:
        bar.close()
    for problem in summary.problems:
        warn(problem)
    for note in summary.notes:
        warn(f"{note.path}:{note.line}: note: {note.message}")
    hidden = sum(summary.note_counts.values()) - len(summary.notes)
    if hidden > 0:
        warn(f"... and {hidden} more notes")
    print("\n".join(summary.lines()))
    if summary.annotations_written or summary.documents_added:
        keep_for_reports(project, [options.annotator] if options.annotator else [])
    return 0 if summary.ok else 1

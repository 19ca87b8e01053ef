"""Which files an import reads, and the format each is read in.

A path on the command line is a file or a folder; a folder stands for its files. ``auto``
detects each file's format (``detect``); a format named on the command line applies to every
file. ``run.import_paths`` then reads them in this order.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.importers import conll
from annotator.core.importers.detect import detect_format
from annotator.core.importers.options import ImportOptions, UsageError
from annotator.core.importers.records import Source
from annotator.core.importers.registry import IMPORTERS, KNOWN_SUFFIXES


def plan_sources(paths: Sequence[Path], options: ImportOptions) -> list[tuple[Source, str]]:
    """The input files with their formats; raises AnnotatorError for a path that is not there.

    A folder stands for its files (hidden ones skipped), in sorted order: with ``auto``, those
    of a known suffix, each detected; with a format, those of that format's suffixes (and
    ``.txt`` for CoNLL, which IndoNLU's sets use).
    """
    fmt = options.format
    if fmt != "auto" and fmt not in IMPORTERS:
        raise UsageError(f"unknown format {fmt!r} (formats: auto, {', '.join(IMPORTERS)})")
    out: list[tuple[Source, str]] = []

    def source(path: Path, base: Path | None) -> Source:
        return Source(
            path,
            str(path),
            base,
            options.source_user,
            options.sentences_per_doc,
            options.text_field,
            options.label_field,
        )

    for path in paths:
        if path.is_dir():
            suffixes = KNOWN_SUFFIXES if fmt == "auto" else frozenset(IMPORTERS[fmt].suffixes)
            if fmt == conll.NAME:
                suffixes |= {".txt"}
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and (not suffixes or p.suffix.lower() in suffixes)
            )
            if not files:
                raise AnnotatorError(f"{path}: no files to import in this folder")
            for p in files:
                kind = detect_format(p, options.label_field) if fmt == "auto" else fmt
                out.append((source(p, path), kind))
        elif path.is_file():
            kind = detect_format(path, options.label_field) if fmt == "auto" else fmt
            out.append((source(path, None), kind))
        else:
            raise AnnotatorError(f"{path}: no such file or folder")
    return out

"""``annotator export PROJECT --format F``: training data with reproducible splits."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from annotator.commands.output import warn
from annotator.core.errors import AnnotatorError
from annotator.core.export import (
    DEFAULT_MAX_WORDS,
    DEFAULT_SOURCE,
    EXPORTERS,
    SCHEMES,
    ExportOptions,
    Misaligned,
    MisalignedError,
    canonical_command,
    export_project,
    parse_split,
)
from annotator.core.open import display_location, opened
from annotator.core.storage import ProjectStore


def _split(value: str) -> tuple[float, ...]:
    try:
        return parse_split(value)
    except AnnotatorError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix(f"--split {value!r}: ")) from None


def _max_words(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number 0 or more, got {value!r}")
    return n


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``export``."""
    parser.add_argument("project", help="project folder or postgresql:// URL")
    parser.add_argument(
        "--format",
        required=True,
        choices=list(EXPORTERS),
        help="; ".join(f"{e.name}: {e.description}" for e in EXPORTERS.values()),
    )
    parser.add_argument(
        "--source",
        default=DEFAULT_SOURCE,
        metavar="gold|merged|NAME",
        help="whose done annotations: gold, one annotator, or merged (gold where it exists, "
        "else the spans a strict majority of the annotators agree on; the default)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("exports"),
        metavar="DIR",
        help="output folder, one export per folder (default: exports/ in the current folder)",
    )
    parser.add_argument(
        "--split",
        type=_split,
        metavar="80,10,10",
        help="train,dev[,test] shares by document; without it one file, all.*",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the split (default: 0)")
    parser.add_argument(
        "--scheme", choices=SCHEMES, default="iob2", help="tags of conll and hf (default: iob2)"
    )
    parser.add_argument(
        "--max-words",
        type=_max_words,
        default=DEFAULT_MAX_WORDS,
        metavar="N",
        help=f"jsonl, conll, hf: records of at most N words (default {DEFAULT_MAX_WORDS}), a "
        "document cut at sentence ends, a longer sentence between entities, never inside one; "
        "0 keeps whole documents (conll: whole lines)",
    )
    parser.add_argument(
        "--misaligned",
        choices=[m.value for m in Misaligned],
        default=Misaligned.WIDEN.value,
        help="a span not on token boundaries: widen it to whole tokens (default), drop it, "
        "or refuse to export; each one is listed either way",
    )


class _Bar:
    """A tqdm bar per phase on a terminal; nothing when output is not a terminal."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        from tqdm import tqdm

        if phase != self.phase:
            self.close()
            self.bar = tqdm(total=total, desc=phase, unit="doc", leave=False, file=sys.stderr)
            self.phase = phase
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def run(args: argparse.Namespace) -> int:
    """Export, then print the summary."""
    with opened(args.project) as project:
        return _export(args, project)


def _export(args: argparse.Namespace, project: ProjectStore) -> int:
    options = ExportOptions(
        format=args.format,
        source=args.source,
        out=args.out,
        split=args.split,
        seed=args.seed,
        scheme=args.scheme,
        misaligned=Misaligned(args.misaligned),
        max_words=args.max_words,
    )
    options = replace(options, command=canonical_command(display_location(args.project), options))
    bar = _Bar()
    try:
        summary = export_project(project, options, bar)
    except MisalignedError as exc:
        bar.close()
        for span in exc.spans:
            warn(span.describe())
        raise
    finally:
        bar.close()
    print("\n".join(summary.lines()))
    return 0

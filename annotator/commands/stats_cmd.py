"""``annotator stats PROJECT [--json]``: documents, progress per annotator, spans per label."""

from __future__ import annotations

import argparse
import json
import math

from annotator.core import reads
from annotator.core.open import display_location, opened
from annotator.core.printable import counted, one_line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``stats``."""
    parser.add_argument("project", help="project folder or postgresql:// URL")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def run(args: argparse.Namespace) -> int:
    """Print the figures."""
    with opened(args.project) as project:
        stats = reads.stats(project)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    labels = stats["labels"]
    total = stats["documents"]
    print(f"project {one_line(stats['project'])}: {counted(total, 'document')}")
    if stats["document_errors"]:
        print(f"  {counted(stats['document_errors'], 'bad line')} in documents.jsonl, left out "
              f"(see 'annotator validate {display_location(args.project)}')")  # fmt: skip
    if not stats["annotators"]:
        print("no annotations yet")
        return 0
    head = ["annotator", "done", "in progress", "skipped", "todo", "hours", *labels]
    rows = [
        [
            a["name"],
            f"{a['done']} / {total}",
            str(a["in_progress"]),
            str(a["skipped"]),
            str(a["todo"]),
            _hours(a["seconds"]),
            *(str(a["spans"][label]) for label in labels),
        ]
        for a in stats["annotators"]
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    print("spans are counted over done documents")
    for a in stats["annotators"]:
        if a["errors"]:
            print(
                f"  {a['name']}: {counted(a['errors'], 'bad line')} in"
                f" annotations/{a['name']}.jsonl, not counted"
                f" (see 'annotator validate {display_location(args.project)}')"
            )
    return 0


def _hours(seconds: float) -> str:
    """Hours with one decimal; a value that is not a finite number shows as n/a."""
    return f"{seconds / 3600:.1f}" if math.isfinite(seconds) else "n/a"

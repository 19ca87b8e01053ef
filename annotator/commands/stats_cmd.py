"""``annotator stats PROJECT [--json]``: documents, progress per annotator, spans per label."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from annotator.core.project import Project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``stats``."""
    parser.add_argument("project", type=Path)
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def run(args: argparse.Namespace) -> int:
    """Print the figures."""
    stats = Project.open(args.project).stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    labels = stats["labels"]
    total = stats["documents"]
    print(f"project {stats['project']}: {total} documents")
    if stats["document_errors"]:
        print(f"  {stats['document_errors']} bad lines in documents.jsonl (see 'validate')")
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
            f"{a['seconds'] / 3600:.1f}",
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
    return 0

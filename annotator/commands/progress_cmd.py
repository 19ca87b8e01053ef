"""``annotator progress PROJECT [--json]``: the lead's table of who has done what."""

from __future__ import annotations

import argparse
import json
import sys

from annotator.core.assignments import iso_time
from annotator.core.open import opened
from annotator.core.printable import counted, escape_controls, one_line
from annotator.core.progress import Progress, progress_json, project_progress

SHOWN_PAIRS = 15


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``progress``."""
    parser.add_argument("project", help="project folder or postgresql:// URL")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def run(args: argparse.Namespace) -> int:
    """Print the table (or the JSON)."""
    with opened(args.project) as project:
        progress = project_progress(project)
    if args.json:
        print(escape_controls(json.dumps(progress_json(progress), ensure_ascii=False)))
        return 0
    for warning in progress.warnings:
        print(f"annotator: warning: {one_line(warning)}", file=sys.stderr)
    print("\n".join(table_lines(progress)))
    return 0


def _rows(head: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    return [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in [head, *rows]
    ]


def _have(count: int) -> str:
    return "has" if count == 1 else "have"


def table_lines(p: Progress) -> list[str]:
    """The terminal table, line by line."""
    plan = "with a plan" if p.planned else "no plan: everyone may annotate every document"
    out = [f"project {one_line(p.project)}: {counted(p.documents, 'document')}, {plan}"]
    if p.unassigned:
        out.append(
            f"  {counted(p.unassigned, 'document')} {_have(p.unassigned)} no annotator yet"
            " (run annotator assign)"
        )
    if not p.annotators:
        out.append("nobody has annotated yet")
        return out
    head = ["annotator", "assigned", "done", "skipped", "in progress", "not started"]
    head += ["hours", "docs/hour", "last activity", "overlap done"]
    rows = [
        [
            r.name,
            f"{r.assigned:,}",
            f"{r.done:,}",
            f"{r.skipped:,}",
            f"{r.in_progress:,}",
            f"{r.not_started:,}",
            f"{r.hours:.1f}",
            "n/a" if r.per_hour is None else f"{r.per_hour:.1f}",
            "never" if r.last_activity is None else iso_time(r.last_activity),
            f"{r.overlap_finished:,}/{r.overlap:,}" if r.overlap else "-",
        ]
        for r in p.annotators
    ]
    out += _rows(head, rows)
    outside = [r for r in p.annotators if r.outside_plan]
    if outside:
        out.append(
            "  outside the plan: "
            + ", ".join(f"{r.name} {r.outside_plan:,}" for r in outside)
            + " documents they worked on without being assigned"
        )
    out.append("")
    out.append(
        f"overlap: {counted(p.overlap_documents, 'document')} {_have(p.overlap_documents)} two"
        f" or more annotators, {p.overlap_finished:,} of them done by all of theirs"
    )
    out.append(
        f"agreement can be computed on {counted(p.comparable, 'document')}"
        " (done by two or more annotators)"
    )
    if p.pairs:
        out.append("pairs (documents assigned to both / done by both):")
        shown = sorted(p.pairs, key=lambda q: (q.finished, q.a, q.b))[:SHOWN_PAIRS]
        out += [f"  {q.a} - {q.b}  {q.shared:,} / {q.finished:,}" for q in shown]
        if len(p.pairs) > SHOWN_PAIRS:
            out.append(f"  ... and {len(p.pairs) - SHOWN_PAIRS:,} more pairs (all in --json)")
    return out

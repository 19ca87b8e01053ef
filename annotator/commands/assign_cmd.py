"""``annotator assign PROJECT --annotators a,b,c``: who annotates which document.

Gives every document not yet in the plan its annotators (a share ``--overlap`` of them
``--per-doc`` annotators, for agreement), changes the team with ``--add``, ``--remove`` and
``--reclaim-after``, and writes ``assignments.jsonl``. ``--dry-run`` shows the loads and pairs
without writing; ``--json`` prints the whole plan.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import Any

from annotator.core.assign import Outcome, parse_duration
from annotator.core.errors import AnnotatorError
from annotator.core.open import display_location, opened
from annotator.core.printable import counted, escape_controls, one_line
from annotator.core.storage import ProjectStore
from annotator.core.team import assign, assign_options, command_line, preview

SHOWN_PAIRS = 15


def _fraction(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 1")
    return number


def _duration(value: str) -> float:
    try:
        return parse_duration(value)
    except AnnotatorError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``assign``."""
    parser.add_argument("project", help="project folder or postgresql:// URL")
    parser.add_argument(
        "--annotators",
        metavar="A,B,...",
        help="the team (default: the team of the last assign)",
    )
    parser.add_argument(
        "--overlap",
        type=_fraction,
        metavar="F",
        help="share of the new documents given to several annotators (default 0.1, or the "
        "last assign's)",
    )
    parser.add_argument(
        "--per-doc",
        type=int,
        metavar="K",
        help="annotators of each overlap document (default 2, or the last assign's)",
    )
    parser.add_argument("--seed", type=int, metavar="N", help="random seed (default 0)")
    parser.add_argument(
        "--add",
        action="append",
        metavar="NAME",
        help="a newcomer: gets a fair share of the documents nobody has started (repeatable)",
    )
    parser.add_argument(
        "--remove",
        action="append",
        metavar="NAME",
        help="someone leaving: their documents not yet started go to the others (repeatable)",
    )
    parser.add_argument(
        "--reclaim-after",
        type=_duration,
        metavar="DURATION",
        help="hand on documents untouched that long (7d, 36h): never started since they were "
        "assigned, or in progress with no edit since; done and skipped ones never move",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would change; write nothing"
    )
    parser.add_argument("--json", action="store_true", help="print the whole plan as JSON")


def run(args: argparse.Namespace) -> int:
    """Plan (and write, unless ``--dry-run``), then print the summary or the JSON."""
    with opened(args.project) as project:
        return _assign(args, project)


def _assign(args: argparse.Namespace, project: ProjectStore) -> int:
    server = sys.modules.get("annotator.core.pg.store")  # loaded only if a URL was opened
    if server is not None and isinstance(project, server.PgProject):
        # an annotator reads only their part of the plan: no plan, not even a dry run's,
        # is made from it
        project.check_lead("plan assignments" if args.dry_run else "write assignments")
    if args.per_doc is not None and args.per_doc < 1:
        raise AnnotatorError(f"--per-doc must be at least 1, not {args.per_doc}")
    options = assign_options(
        project,
        annotators=args.annotators,
        overlap=args.overlap,
        per_doc=args.per_doc,
        seed=args.seed,
        add=args.add,
        remove=args.remove,
        reclaim_after=args.reclaim_after,
    )
    outcome = preview(project, options) if args.dry_run else assign(project, options)
    for warning in outcome.warnings:
        print(f"annotator: warning: {one_line(warning)}", file=sys.stderr)
    if args.json:
        data = plan_json(outcome, project.documents.ids)
        print(escape_controls(json.dumps(data, ensure_ascii=False)))
        return 0
    print("\n".join(summary_lines(outcome)))
    if args.dry_run:
        print("dry run: nothing written; to do it:")
        print(f"  {one_line(command_line(display_location(args.project), options))}")
    return 0


def plan_json(outcome: Outcome, doc_ids: list[str]) -> dict[str, Any]:
    """``{"documents": {id: [names]}, "load": {name: n}}`` for the whole project, then extras."""
    documents = {d: list(outcome.plan[d].annotators) for d in doc_ids if d in outcome.plan}
    return {
        "documents": documents,
        "load": dict(outcome.load),
        "pairs": [{"a": a, "b": b, "documents": n} for (a, b), n in outcome.pairs.items()],
        "team": list(outcome.team),
        "new_documents": len(outcome.new_documents),
        "overlap_documents": outcome.overlap_documents,
        "moved": [
            {"id": m.document, "from": m.taken_from, "to": m.given_to, "reason": m.reason}
            for m in outcome.moves
        ],
        "warnings": list(outcome.warnings),
    }


def summary_lines(outcome: Outcome) -> list[str]:
    """The short human summary: what changed, the loads and the pairs."""
    new = len(outcome.new_documents)
    out = []
    if new:
        out.append(
            f"assigned {counted(new, 'new document')}: {outcome.overlap_documents:,} to two or"
            f" more annotators, {new - outcome.overlap_documents:,} to one"
        )
    moved = Counter((m.reason, m.taken_from, m.given_to) for m in outcome.moves)
    for (reason, giver, taker), n in sorted(
        moved.items(), key=lambda kv: (kv[0][0], kv[0][1], str(kv[0][2]))
    ):
        to = f"to {taker}" if taker else "to nobody (everyone else already has it)"
        out.append(f"{reason}: {counted(n, 'document')} of {giver} {to}")
    if not out:
        out.append("nothing to assign: every document has its annotators")
    out.append(f"team: {', '.join(outcome.team)}")
    out.append("documents assigned per annotator:")
    out += _table([(name, n) for name, n in outcome.load.items()])
    pairs = outcome.pairs
    if pairs:
        low, high = min(pairs.values()), max(pairs.values())
        spread = f"{low:,}" if low == high else f"{low:,} to {high:,}"
        out.append(f"documents shared per pair ({counted(len(pairs), 'pair')}): {spread}")
        if len(pairs) <= SHOWN_PAIRS:
            out += _table([(f"{a} - {b}", n) for (a, b), n in pairs.items()])
        else:
            fewest = min(pairs, key=lambda p: (pairs[p], p))
            out.append(f"  fewest: {fewest[0]} - {fewest[1]}; every pair in --json")
    return out


def _table(rows: list[tuple[str, int]]) -> list[str]:
    left = max((len(name) for name, _ in rows), default=0)
    right = max((len(f"{n:,}") for _, n in rows), default=0)
    return [f"  {name.ljust(left)}  {n:>{right},}" for name, n in rows]

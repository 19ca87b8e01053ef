"""``annotator journal PROJECT [--annotator NAME] [--retry | --discard]``: edits set aside.

A journal entry that could not be applied when it was replayed (its document's text changed,
its label left ``annotator.toml``) is never dropped: it is set aside in
``.annotator/<name>.unapplied`` and ``validate`` names it. This command lists those entries,
applies the ones that fit now (``--retry``: after the text or the label is back; an entry
older than the annotation edited since stays set aside), or drops them (``--discard``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.model import ANNOTATOR_RE
from annotator.core.project import Project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``journal``."""
    parser.add_argument("project", type=Path)
    parser.add_argument("--annotator", metavar="NAME", help="only this annotator's entries")
    what = parser.add_mutually_exclusive_group()
    what.add_argument(
        "--retry", action="store_true", help="apply the entries that fit the project now"
    )
    what.add_argument("--discard", action="store_true", help="drop the entries for good")


def run(args: argparse.Namespace) -> int:
    """List, retry or discard the entries set aside."""
    project = Project.open(args.project)
    if (args.retry or args.discard) and not args.annotator:
        raise AnnotatorError("--retry and --discard need --annotator NAME")
    names = [args.annotator] if args.annotator else _with_entries(project)
    for name in names:
        if args.retry or args.discard:
            with project.session(name) as session:
                if args.retry:
                    applied, kept = session.retry_held()
                    print(f"{name}: {len(applied)} applied, {len(kept)} still set aside")
                    for entry in kept:
                        print(f"  {entry.path}:{entry.line}: {entry.doc_id!r} kept")
                else:
                    dropped = session.discard_held()
                    print(f"{name}: {len(dropped)} dropped")
            continue
        listed = project.session(name, read_only=True).held()
        print(f"{name}: {len(listed)} set aside")
        for entry, state in listed:
            reason = entry.reason if state is None else "would apply now (--retry)"
            print(f"  {entry.path}:{entry.line}: {entry.doc_id!r}: {reason}")
    if not names:
        print("no journal entries are set aside")
    return 0


def _with_entries(project: Project) -> list[str]:
    return sorted(
        p.name.removesuffix(".unapplied")
        for p in project.state_dir.glob("*.unapplied")
        if ANNOTATOR_RE.fullmatch(p.name.removesuffix(".unapplied")) and p.stat().st_size
    )

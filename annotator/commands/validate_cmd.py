"""``annotator validate PROJECT``: check every file; exit 1 with ``path:line`` on problems."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.commands.output import warn
from annotator.core.open import opened
from annotator.core.pg import is_server_url
from annotator.core.printable import counted
from annotator.core.validate import validate_project, validate_store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``validate``."""
    parser.add_argument("project", help="project folder or postgresql:// URL")


def run(args: argparse.Namespace) -> int:
    """Print one line per problem on stderr and a summary on stdout."""
    if is_server_url(args.project):
        with opened(args.project) as project:
            report = validate_store(project)
    else:
        report = validate_project(Path(args.project))
    for problem in report.problems:
        warn(problem)
    print(
        f"checked {counted(report.files, 'file')}, {counted(report.records, 'record')}: "
        f"{counted(len(report.problems), 'problem')}"
    )
    return 1 if report.problems else 0

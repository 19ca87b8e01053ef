"""``annotator init PROJECT``: a new project with the default five labels."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.core.project import Project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``init``."""
    parser.add_argument("project", type=Path, help="folder to create")
    parser.add_argument("--name", help="project name (default: the folder name)")


def run(args: argparse.Namespace) -> int:
    """Create the project."""
    project = Project.init(args.project, args.name)
    labels = ", ".join(f"{lab.name} ({lab.key})" for lab in project.labels)
    print(f"created project {project.config.name!r} in {args.project} with labels {labels}")
    return 0

"""``annotator pull URL FOLDER``: write a folder snapshot of a server project.

The folder becomes an ordinary project (``annotator.toml`` with the server project's labels,
``documents.jsonl``, ``annotations/<name>.jsonl``, ``assignments.jsonl``): the JSONL training
data for archives and git, read by every folder command. A new folder is made; pulling again
into a snapshot brings it up to date (the server's state replaces the folder's).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.commands.output import warn
from annotator.commands.push_cmd import Bar
from annotator.core.errors import AnnotatorError
from annotator.core.open import display_location, opened
from annotator.core.pg import is_server_url
from annotator.core.project import CONFIG, Project, render_config
from annotator.core.transfer import copy_project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``pull``."""
    parser.add_argument("url", help="the server project: postgresql://USER@HOST/DATABASE")
    parser.add_argument("folder", help="the folder to write (made if absent)")


def run(args: argparse.Namespace) -> int:
    """Copy the server project into the folder, print the summary."""
    if not is_server_url(args.url):
        raise AnnotatorError(f"{args.url}: not a postgresql:// URL (to copy a folder: push)")
    if is_server_url(args.folder):
        raise AnnotatorError(f"{display_location(args.folder)}: pull writes a folder")
    root = Path(args.folder)
    bar = Bar()
    try:
        with opened(args.url) as source:
            if (root / CONFIG).exists():
                target = Project.open(root)
            else:
                target = Project.init(root, source.config.name)
                (root / CONFIG).write_text(render_config(source.config), encoding="utf-8")
                target = Project.open(root)
            copied = copy_project(source, target, bar)
    finally:
        bar.close()
    print("\n".join(copied.lines(display_location(args.url), args.folder)))
    for line in copied.left_out:
        warn(f"annotator: warning: {line}: left out of the snapshot")
    return 0

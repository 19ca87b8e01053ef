"""``annotator push FOLDER URL``: move a folder project to a server.

The documents, every annotator's latest annotations (edits still in a journal included, gold
too) and the assignment plan are copied through the store interface (``core.transfer``). The
server's schema and project are made first when they do not exist, as ``init`` makes them,
with the folder's labels. Run it as the database's admin or a lead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from annotator.commands.kept_parts import keep_for_reports
from annotator.commands.output import server_restored
from annotator.core.errors import AnnotatorError
from annotator.core.open import display_location, opened
from annotator.core.pg import is_server_url, require_psycopg
from annotator.core.project import Project
from annotator.core.transfer import copy_project, send_stall


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``push``."""
    parser.add_argument("folder", help="the project folder to copy")
    parser.add_argument("url", help="the server project: postgresql://USER@HOST/DATABASE")


class Bar:
    """A tqdm bar per phase on a terminal; nothing when standard error is not a terminal."""

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
    """Prepare the server project, copy, print the summary."""
    if is_server_url(args.folder):
        raise AnnotatorError(f"{display_location(args.folder)}: push copies a folder; use pull")
    if not is_server_url(args.url):
        raise AnnotatorError(f"{args.url}: not a postgresql:// URL (to copy into a folder: pull)")
    source = Project.open(Path(args.folder))
    send_stall()  # a setting that cannot be read is refused before the server is touched
    require_psycopg()
    from annotator.core.pg import connection, schema
    from annotator.core.pg.prepare import prepare_project

    with connection.connect(args.url, autocommit=True) as conn:
        schema.migrate(conn)
        done = prepare_project(conn, source.config)
    print(f"{display_location(args.url)}: {done}")
    bar = Bar()
    try:
        with opened(args.url) as target:
            copied = copy_project(source, target, bar)
            bar.close()
            print("\n".join(copied.lines(args.folder, display_location(args.url))))
            keep_for_reports(target)
            server_restored(target)
    finally:
        bar.close()
    return 0

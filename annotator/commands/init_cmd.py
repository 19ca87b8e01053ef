"""``annotator init PROJECT``: a new project with the default five labels.

PROJECT is a folder, or a ``postgresql://`` URL: then the schema is created (or upgraded to
this version's) and the project added to the database.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.core.project import Project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``init``."""
    parser.add_argument("project", help="folder to create, or a postgresql:// URL")
    parser.add_argument("--name", help="project name (default: the folder or database name)")


def run(args: argparse.Namespace) -> int:
    """Create the project."""
    from annotator.core.pg import is_server_url

    if is_server_url(args.project):
        return _init_server(args.project, args.name)
    root = Path(args.project)
    before = _entries(root)
    project = Project.init(root, args.name)
    labels = ", ".join(f"{lab.name} ({lab.key})" for lab in project.labels)
    print(f"created project {project.config.name!r} in {args.project} with labels {labels}")
    if before:  # a folder that held files: say what was made and what was left alone
        made = [n for n in _LAYOUT if n not in before]
        kept = [n for n in _LAYOUT if n in before]
        others = len(before) - len(kept)
        print(f"  made: {', '.join(made)}")
        if kept:
            print(f"  kept as it was: {', '.join(kept)}")
        if "documents.jsonl" in kept:
            n = len(project.documents)
            print(f"  the documents.jsonl found there holds {n} document{'' if n == 1 else 's'}: "
                  "they are the project's")  # fmt: skip
        if others:
            print(
                f"  the folder already held {others} other "
                f"{'entry' if others == 1 else 'entries'}, left untouched (import articles "
                f"with 'annotator import {args.project} PATH')"
            )
    return 0


_LAYOUT = ("annotator.toml", "documents.jsonl", "annotations/", "exports/")
"""What ``Project.init`` makes, as the summary names it."""


def _entries(root: Path) -> set[str]:
    """The names in ``root`` (folders with a trailing slash); empty when it does not exist."""
    try:
        return {p.name + ("/" if p.is_dir() else "") for p in root.iterdir()}
    except (FileNotFoundError, NotADirectoryError):
        return set()


def _init_server(url: str, name: str | None) -> int:
    from annotator.core.pg import redact_url, require_psycopg

    require_psycopg()
    from annotator.core.model import ProjectConfig
    from annotator.core.pg import connection, projects, schema, users

    with connection.connect(url, autocommit=True) as conn:
        before, after = schema.migrate(conn)
        rights = users.connect_rights(conn) if before else False
        held = [] if name else projects.names(conn)
        config = ProjectConfig(name=name or conn.info.dbname)
        created = False
        if not held:  # a restored database keeps its project, whatever it is called now
            _, created = projects.create_project(conn, config)
            held = [config.name]
    where = redact_url(url)
    if before == 0:
        print(f"created the annotator schema (version {after}) in {where}")
    elif before < after:
        print(f"upgraded the annotator schema from version {before} to {after} in {where}")
    else:
        print(f"the annotator schema in {where} is up to date (version {after})")
    if rights:
        print(
            "only the project's two groups may connect again (a database restored with "
            "pg_restore into one made by createdb lets every login role connect)"
        )
    if created:
        labels = ", ".join(f"{lab.name} ({lab.key})" for lab in config.labels)
        print(f"created project {config.name!r} with labels {labels}")
    else:
        for one in held:
            print(f"project {one!r} exists")
    return 0

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
    project = Project.init(Path(args.project), args.name)
    labels = ", ".join(f"{lab.name} ({lab.key})" for lab in project.labels)
    print(f"created project {project.config.name!r} in {args.project} with labels {labels}")
    return 0


def _init_server(url: str, name: str | None) -> int:
    from annotator.core.pg import redact_url, require_psycopg

    require_psycopg()
    from annotator.core.model import ProjectConfig
    from annotator.core.pg import connection, projects, schema

    with connection.connect(url, autocommit=True) as conn:
        before, after = schema.migrate(conn)
        config = ProjectConfig(name=name or conn.info.dbname)
        _, created = projects.create_project(conn, config)
    where = redact_url(url)
    if before == 0:
        print(f"created the annotator schema (version {after}) in {where}")
    elif before < after:
        print(f"upgraded the annotator schema from version {before} to {after} in {where}")
    else:
        print(f"the annotator schema in {where} is up to date (version {after})")
    if created:
        labels = ", ".join(f"{lab.name} ({lab.key})" for lab in config.labels)
        print(f"created project {config.name!r} with labels {labels}")
    else:
        print(f"project {config.name!r} exists")
    return 0

"""Making a server project ready to receive a copy of a folder (``annotator push``).

The schema is created or upgraded as ``annotator init`` does. When the database holds no
project yet, one is made with the folder's name, language, labels and options. When it holds
the project the URL names and that project has no documents yet (made by ``init`` with the
default labels, say), its labels become the folder's; otherwise the labels must already be the
same, which the copy checks.
"""

from __future__ import annotations

from typing import Any

import psycopg

from annotator.core.model import ProjectConfig
from annotator.core.pg import ServerError
from annotator.core.pg.errors import server_error
from annotator.core.pg.projects import create_project, find_project


def prepare_project(conn: psycopg.Connection[Any], config: ProjectConfig) -> str:
    """Get the URL's project ready for ``config``'s data; returns what was done (one line).

    ``conn`` is in autocommit mode with the schema up to date.
    """
    try:
        project_id, name = find_project(conn)
    except ServerError as exc:
        if "holds no project" not in str(exc):
            raise
        _, created = create_project(conn, config)
        return f"created project {config.name!r}" if created else f"project {config.name!r} exists"
    try:
        with conn.transaction():
            empty = conn.execute(
                "SELECT NOT EXISTS (SELECT 1 FROM documents WHERE project_id = %s)", (project_id,)
            ).fetchone()
            current = [
                str(r[0])
                for r in conn.execute(
                    "SELECT name FROM labels WHERE project_id = %s ORDER BY position",
                    (project_id,),
                ).fetchall()
            ]
            if current == list(config.label_names) or not (empty and empty[0]):
                return f"project {name!r} exists"
            conn.execute("DELETE FROM labels WHERE project_id = %s", (project_id,))
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO labels (project_id, position, name, key, color, description)"
                    " VALUES (%s, %s, %s, %s, %s, %s)",
                    [
                        (project_id, i, lab.name, lab.key, lab.color, lab.description)
                        for i, lab in enumerate(config.labels)
                    ],
                )
    except psycopg.Error as exc:
        raise server_error(exc, doing="change the labels of") from None
    return f"project {name!r} had no documents: its labels are now the folder's"

"""Creating and finding the project a server URL names.

A database may hold several projects (every table is keyed by project, so that a busy server
can later partition them). A URL picks one with libpq's own ``options`` parameter,
``?options=-c%20annotator.project%3DNAME``; without it, the database's only project is meant.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Json

from annotator.core.model import ProjectConfig
from annotator.core.pg import ServerError
from annotator.core.pg.errors import server_error

SETTING = "annotator.project"


def create_project(conn: psycopg.Connection[Any], config: ProjectConfig) -> tuple[int, bool]:
    """The id of the project named ``config.name``, creating it with its labels if absent.

    Returns ``(id, created)``.
    """
    try:
        with conn.transaction():
            row = conn.execute(
                "INSERT INTO projects (name, language, options) VALUES (%s, %s, %s)"
                " ON CONFLICT (name) DO NOTHING RETURNING id",
                (config.name, config.language, Json(config.options)),
            ).fetchone()
            if row is None:
                found = conn.execute(
                    "SELECT id FROM projects WHERE name = %s", (config.name,)
                ).fetchone()
                assert found is not None
                return int(found[0]), False
            project_id = int(row[0])
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
        raise server_error(exc, doing="create") from None
    return project_id, True


def find_project(conn: psycopg.Connection[Any]) -> tuple[int, str]:
    """``(id, name)`` of the project the connection's URL names (see the module docstring)."""
    try:
        wanted = conn.execute("SELECT current_setting(%s, true)", (SETTING,)).fetchone()
        name = wanted[0] if wanted else None
        if name:
            rows = conn.execute("SELECT id, name FROM projects WHERE name = %s", (name,)).fetchall()
        else:
            rows = conn.execute("SELECT id, name FROM projects ORDER BY id LIMIT 2").fetchall()
    except psycopg.Error as exc:
        raise server_error(exc) from None
    if name and not rows:
        raise ServerError(f"no project named {name!r} in this database")
    if not rows:
        raise ServerError("this database holds no project: run 'annotator init URL'")
    if len(rows) > 1:
        raise ServerError(
            "this database holds several projects: name one in the URL with "
            "?options=-c%20annotator.project%3DNAME"
        )
    return int(rows[0][0]), str(rows[0][1])

"""Creating and finding the project a server URL names.

A database may hold several projects (every table is keyed by project, so that a busy server
can later partition them). A URL picks one with libpq's own ``options`` parameter,
``?options=-c%20annotator.project%3DNAME``; without it, the database's only project is meant.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Json

from annotator.core.model import Label, ProjectConfig
from annotator.core.pg import ServerError
from annotator.core.pg.errors import server_error
from annotator.core.pg.schema import judge

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


def names(conn: psycopg.Connection[Any]) -> list[str]:
    """The names of the projects the database holds, oldest first."""
    try:
        rows = conn.execute("SELECT name FROM projects ORDER BY id").fetchall()
    except psycopg.Error as exc:
        raise server_error(exc) from None
    return [str(r[0]) for r in rows]


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
    only = the_one_project(name, rows)
    return int(only[0]), str(only[1])


def the_one_project(wanted: str | None, rows: list[Any]) -> Any:
    """The one row of ``rows`` (the projects found for the URL), or the line that says why
    there is not one: the named project is missing, there is none, or there are several."""
    if wanted and not rows:
        raise ServerError(f"no project named {wanted!r} in this database")
    if not rows:
        raise ServerError("this database holds no project: run 'annotator init URL'")
    if len(rows) > 1:
        raise ServerError(
            "this database holds several projects: name one in the URL with "
            "?options=-c%20annotator.project%3DNAME"
        )
    return rows[0]


# Everything opening a project asks the server, in one round trip instead of seven (decision
# 0099): the schema's version, the project the URL names (``find_project``: its
# ``annotator.project`` setting, else the database's only project; two rows when there are
# several), who the login is, and the project's settings and labels.
_OPENING = (
    "SELECT (SELECT coalesce(max(version), 0) FROM schema_version),"
    " nullif(current_setting('annotator.project', true), ''), current_user::text, is_lead(),"
    " p.id, p.name, p.language, p.options,"
    " (SELECT coalesce(json_agg(json_build_array(l.name, l.key, l.color, l.description)"
    " ORDER BY l.position), '[]') FROM labels l WHERE l.project_id = p.id)"
    " FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT q.id, q.name, q.language, q.options"
    " FROM projects q WHERE q.name = coalesce("
    "nullif(current_setting('annotator.project', true), ''), q.name)"
    " ORDER BY q.id LIMIT 2) p ON true"
)


def opening(conn: psycopg.Connection[Any]) -> tuple[int, str, str, bool, ProjectConfig] | None:
    """``(project id, name, login, is lead, settings)`` from one query; None when that
    query fails (no schema, an unknown one, no right to it): the caller then asks step by
    step, which says what is wrong in one line, as before. A schema version this code does
    not work with, or a URL naming no single project, is refused here with the same line."""
    try:
        rows = conn.execute(_OPENING).fetchall()
    except psycopg.Error:
        return None
    if not rows:
        return None
    version, wanted, user, lead = rows[0][:4]
    judge(int(version))
    found = [r for r in rows if r[4] is not None]
    _, _, _, _, project_id, name, language, options, labels = the_one_project(wanted, found)
    config = ProjectConfig(
        name=name,
        language=language,
        options=options or {},
        labels=tuple(Label(name=n, key=k, color=c, description=d) for n, k, c, d in labels),
    )
    return int(project_id), str(name), str(user), bool(lead), config

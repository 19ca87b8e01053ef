"""The versioned schema: SQL migrations shipped in the package, applied in one transaction.

Migrations are ``migrations/NNNN_name.sql``, applied in number order; ``schema_version`` holds
one row per applied migration. ``migrate`` brings a database up to the newest version this
code knows, all pending steps in one transaction (so a failure leaves the old schema whole),
and refuses a database whose schema is newer than it knows: an older annotator must not write
into tables it does not understand. ``check`` is what a client runs when it opens a project.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import psycopg
from psycopg import sql

from annotator.core.pg import ServerError
from annotator.core.pg.connection import SCHEMA
from annotator.core.pg.errors import NOT_INITIALISED, server_error

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
# One number for every annotator process: two `init` runs at once take turns.
_MIGRATION_LOCK = 0x616E6E6F  # "anno"


@dataclass(frozen=True)
class Migration:
    """One step of the schema: its version number, name and SQL."""

    version: int
    name: str
    sql: str


@functools.cache
def packaged_migrations() -> tuple[Migration, ...]:
    """The migrations shipped with this version of annotator, in order."""
    folder = resources.files("annotator.core.pg").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        if match := _NAME.match(entry.name):
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    return ordered(found)


def ordered(migrations: list[Migration] | tuple[Migration, ...]) -> tuple[Migration, ...]:
    """``migrations`` sorted, checked to be numbered 1, 2, 3... without gaps."""
    result = tuple(sorted(migrations, key=lambda m: m.version))
    for expected, migration in enumerate(result, start=1):
        if migration.version != expected:
            raise ValueError(f"migration {migration.version} follows {expected - 1}")
    return result


def current_version(conn: psycopg.Connection[Any]) -> int:
    """The schema version of the connected database; 0 when it has no annotator schema."""
    exists = conn.execute(
        "SELECT to_regclass(%s) IS NOT NULL", (f"{SCHEMA}.schema_version",)
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute(
        sql.SQL("SELECT coalesce(max(version), 0) FROM {}.schema_version").format(
            sql.Identifier(SCHEMA)
        )
    ).fetchone()
    return int(row[0]) if row else 0


def _refuse_newer(version: int, known: int) -> None:
    if version > known:
        raise ServerError(
            f"the database's schema is version {version}, newer than this annotator knows "
            f"({known}): upgrade annotator"
        )


def migrate(
    conn: psycopg.Connection[Any], migrations: tuple[Migration, ...] | None = None
) -> tuple[int, int]:
    """Bring the schema to the newest version; returns ``(before, after)``.

    All pending migrations run in one transaction with the migration lock held; the
    connection must not be inside a transaction already.
    """
    steps = ordered(migrations) if migrations is not None else packaged_migrations()
    known = steps[-1].version if steps else 0
    failing: Migration | None = None
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            before = current_version(conn)
            _refuse_newer(before, known)
            if before == 0:
                conn.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(SCHEMA))
                )
                conn.execute(
                    sql.SQL(
                        "CREATE TABLE {}.schema_version ("
                        " version integer PRIMARY KEY, name text NOT NULL,"
                        " applied_at timestamptz NOT NULL DEFAULT now(),"
                        " applied_by name NOT NULL DEFAULT current_user)"
                    ).format(sql.Identifier(SCHEMA))
                )
            conn.execute(sql.SQL("SET LOCAL search_path = {}").format(sql.Identifier(SCHEMA)))
            # a step may rewrite or count every row (0007 counts each document once): minutes
            # at 100,000 documents, not the few seconds a desktop's statement is allowed
            conn.execute("SET LOCAL statement_timeout = 0")
            for step in steps[before:]:
                failing = step
                conn.execute(step.sql.encode("utf-8"))
                conn.execute(
                    "INSERT INTO schema_version (version, name) VALUES (%s, %s)",
                    (step.version, step.name),
                )
    except psycopg.Error as exc:
        if failing is None:
            raise server_error(exc, doing="change the schema of") from None
        reason = exc.diag.message_primary or str(exc).strip()
        raise ServerError(
            f"schema version {failing.version} ({failing.name}) failed, nothing was changed: "
            f"{reason}"
        ) from None
    return before, known


def check(conn: psycopg.Connection[Any], known: int | None = None) -> int:
    """The schema version, if this code can work with it; else a one-line ServerError."""
    try:
        version = current_version(conn)
    except psycopg.Error as exc:
        raise server_error(exc) from None
    return judge(version, known)


def judge(version: int, known: int | None = None) -> int:
    """``version`` if this code can work with a schema of it; else a one-line ServerError."""
    if known is None:
        known = packaged_migrations()[-1].version
    if version == 0:
        raise ServerError(NOT_INITIALISED)
    _refuse_newer(version, known)
    if version < known:
        raise ServerError(
            f"the database's schema is version {version}, older than this annotator's "
            f"({known}): a lead runs 'annotator init URL' to upgrade it"
        )
    return version

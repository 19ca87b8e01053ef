"""People of a server project: login roles in the database's two group roles.

A person is a PostgreSQL login role named like an annotator (``ani``); being a member of the
database's ``<db>_annotators`` or ``<db>_leads`` group is what the row-level policies look at.
Creating roles needs CREATEROLE (the admin who ran ``annotator init``). A password is hashed
on this side (SCRAM, with libpq's own function) so the clear text never reaches the server or
its logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, cast

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql

from annotator.core.model import GOLD, check_annotator_name
from annotator.core.pg import ServerError
from annotator.core.pg.errors import server_error

Kind = Literal["annotator", "lead"]
KINDS: tuple[Kind, ...] = ("annotator", "lead")
# The mark on roles `users add` created, so `users remove` never drops anyone else's role.
MARK = "annotator: a person of an annotator project"
_RESERVED = {GOLD, "public", "none", "current_user", "current_role", "session_user", "postgres"}


@dataclass(frozen=True)
class Member:
    """One person of the project: login role name, kind, and whether they can log in."""

    name: str
    kind: Kind
    can_login: bool


@dataclass(frozen=True)
class Identity:
    """Who a connection is, as the server sees it."""

    name: str
    kind: Kind | Literal["admin", "none"]

    @property
    def who(self) -> str:
        """``"annotator ani"``, ``"lead lea"``, ``"admin postgres"``: the subject of messages."""
        return f"{self.kind} {self.name}" if self.kind != "none" else f"user {self.name}"


def check_person_name(name: str) -> str:
    """``name`` if it can be both an annotator name and a login role, else ValueError."""
    check_annotator_name(name)
    if name in _RESERVED or name.startswith("pg_") or len(name.encode()) > 63:
        raise ValueError(f"{name!r} cannot be a person's name on the server")
    return name


def group_roles(conn: psycopg.Connection[Any]) -> dict[Kind, str]:
    """``{"annotator": "<db>_annotators", "lead": "<db>_leads"}`` of the connected database."""
    try:
        rows = conn.execute("SELECT kind, role_name FROM team_roles").fetchall()
    except psycopg.Error as exc:
        raise server_error(exc) from None
    return {cast(Kind, kind): str(role) for kind, role in rows}


def connect_rights(conn: psycopg.Connection[Any]) -> bool:
    """Only the database's two groups may connect: their rights put back when missing; True
    when they were. ``annotator init`` made them, but they belong to the database, not to its
    schema: ``pg_restore`` into a database made by ``createdb`` leaves them out, and the new
    database lets every login role of the server connect (decision 0122)."""
    groups = sorted(group_roles(conn).values())
    try:
        row = conn.execute(
            "SELECT has_database_privilege('public', current_database(), 'CONNECT')"
            " OR NOT bool_and(has_database_privilege(g, current_database(), 'CONNECT'))"
            " FROM unnest(%s::text[]) g",
            (groups,),
        ).fetchone()
        if not row or not row[0]:
            return False
        db = sql.Identifier(str(conn.info.dbname))
        with conn.transaction():
            conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(db))
            conn.execute(
                sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
                    db, sql.SQL(", ").join(sql.Identifier(g) for g in groups)
                )
            )
    except psycopg.Error as exc:
        raise server_error(exc, doing="change the rights of") from None
    return True


def identity(conn: psycopg.Connection[Any]) -> Identity:
    """The connected role and its kind (admin: owns the schema; none: not in the team)."""
    try:
        row = conn.execute(
            "SELECT current_user::text,"
            " pg_has_role(current_user, (SELECT nspowner FROM pg_namespace"
            "   WHERE nspname = 'annotator'), 'MEMBER'),"
            " coalesce((SELECT pg_has_role(current_user, role_name, 'MEMBER') FROM team_roles"
            "   WHERE kind = 'lead'), false),"
            " coalesce((SELECT pg_has_role(current_user, role_name, 'MEMBER') FROM team_roles"
            "   WHERE kind = 'annotator'), false)"
        ).fetchone()
    except psycopg.Error as exc:
        raise server_error(exc) from None
    assert row is not None
    name, admin, lead, annotator = row
    kind: Kind | Literal["admin", "none"] = (
        "admin" if admin else "lead" if lead else "annotator" if annotator else "none"
    )
    return Identity(str(name), kind)


def list_users(conn: psycopg.Connection[Any]) -> list[Member]:
    """Every person of the project, by name."""
    try:
        rows = conn.execute(
            "SELECT m.rolname::text, t.kind, m.rolcanlogin FROM team_roles t"
            " JOIN pg_roles g ON g.rolname = t.role_name"
            " JOIN pg_auth_members am ON am.roleid = g.oid"
            " JOIN pg_roles m ON m.oid = am.member ORDER BY 1, 2"
        ).fetchall()
    except psycopg.Error as exc:
        raise server_error(exc) from None
    return [Member(name, cast(Kind, kind), bool(login)) for name, kind, login in rows]


def add_user(conn: psycopg.Connection[Any], name: str, kind: Kind, password: str | None) -> bool:
    """Make ``name`` a ``kind`` of the project; True when the login role was created.

    An existing role is reused (its password replaced when one is given) and moved out of the
    other group, so a person is one kind at a time.
    """
    check_person_name(name)
    groups = group_roles(conn)
    if name in groups.values():
        raise ServerError(f"{name!r} is one of the project's group roles")
    role = sql.Identifier(name)
    try:
        with conn.transaction():
            row = conn.execute(
                "SELECT rolsuper FROM pg_roles WHERE rolname = %s", (name,)
            ).fetchone()
            if row is not None and row[0]:
                raise ServerError(f"{name!r} is a superuser: the project's rules cannot apply")
            created = row is None
            if created:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(role))
                conn.execute(sql.SQL("COMMENT ON ROLE {} IS {}").format(role, sql.Literal(MARK)))
            if password is not None:
                hashed = conn.pgconn.encrypt_password(password.encode(), name.encode())
                conn.execute(
                    sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(
                        role, sql.Literal(hashed.decode())
                    )
                )
            other = groups["lead" if kind == "annotator" else "annotator"]
            conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(other), role))
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(groups[kind]), role))
    except psycopg.Error as exc:
        raise server_error(exc, who=identity_or_user(conn), doing="add people to") from None
    return created


def remove_user(conn: psycopg.Connection[Any], name: str) -> bool:
    """Take ``name`` out of the project; True when the login role itself was dropped.

    The role is dropped only if ``users add`` created it and it belongs to no other group
    (another project's database, say). Their annotations stay: they are the team's data.
    """
    groups = group_roles(conn)
    role = sql.Identifier(name)
    try:
        with conn.transaction():
            row = conn.execute(
                "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = %s",
                (name,),
            ).fetchone()
            if row is None:
                raise ServerError(f"no person named {name!r} on this server")
            members = {m.name for m in list_users(conn)}
            if name not in members:
                raise ServerError(f"{name!r} is not a person of this project")
            for group in groups.values():
                conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(group), role))
            still = conn.execute(
                "SELECT count(*) FROM pg_auth_members am JOIN pg_roles m ON m.oid = am.member"
                " WHERE m.rolname = %s",
                (name,),
            ).fetchone()
            if row[0] != MARK or (still is not None and still[0] > 0):
                return False
        with conn.transaction():
            conn.execute(sql.SQL("DROP ROLE {}").format(role))
    except pg_errors.DependentObjectsStillExist:
        return False
    except psycopg.Error as exc:
        raise server_error(exc, who=identity_or_user(conn), doing="remove people from") from None
    return True


def identity_or_user(conn: psycopg.Connection[Any]) -> str:
    """The subject for an error message, even when the connection can no longer ask."""
    try:
        return f"user {conn.info.user}"
    except psycopg.Error:
        return "this user"

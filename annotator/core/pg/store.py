"""A project on a PostgreSQL server: the second implementation of ``storage.ProjectStore``.

``open_pg_project(url)`` connects (with the limits of ``connection.py``), checks the schema
version, finds the project the URL names and reads its settings and labels. Documents are
listed lazily (``documents.py``); each annotator's work opens as a ``PgSession``, journaled on
the desktop first and sent behind (``session.py``, ``sender.py``). The desktop's folder for the
project (``cache_dir``) holds the outboxes and locks; by default it is under the user's data
folder, one per server, database, project and login. The server enforces who may read and
write what (row-level security); this module checks nothing on the client's side.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import psycopg

from annotator.core.assign_types import Assignment
from annotator.core.assignments import StoredPlan
from annotator.core.errors import AnnotatorError
from annotator.core.model import (
    GOLD,
    Annotation,
    Label,
    ProjectConfig,
    check_annotator_name,
    now_iso,
)
from annotator.core.paths import user_data_dir
from annotator.core.pg import (
    PermissionRefused,
    ServerError,
    ServerUnreachable,
    local_copy,
    redact_url,
)
from annotator.core.pg import schema as pg_schema
from annotator.core.pg.connection import DEFAULT_TIMEOUTS, Connection, Timeouts
from annotator.core.pg.documents import PgDocuments
from annotator.core.pg.errors import server_error
from annotator.core.pg.link import Link
from annotator.core.pg.listen import Listener, Notice
from annotator.core.pg.outbox import Outbox
from annotator.core.pg.projects import find_project, opening
from annotator.core.pg.rows import read_row
from annotator.core.pg.session import PgSession

_PLAN_LOCK = 0x706C616E  # "plan", with the project id as the second key
_PLAN_CHUNK = 10_000  # plan rows written per statement (each statement counted at once)

SyncListener = Callable[[PgSession], None]


def default_cache_dir(conn: Connection, project: str) -> Path:
    """The desktop's folder for one project of one server, as one login."""
    info = conn.info
    key = f"{info.host}:{info.port}/{info.dbname}/{project}/{info.user}"
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{info.dbname}-{project}-{info.user}")[:60]
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return user_data_dir() / "servers" / f"{slug}-{digest}"


class PgProject:
    """``ProjectStore`` on a server; see the module docstring."""

    def __init__(
        self, url: str, cache_dir: Path | None = None, timeouts: Timeouts = DEFAULT_TIMEOUTS
    ) -> None:
        self.url = url
        self.timeouts = timeouts
        self._sessions: list[PgSession] = []
        self._sync_listeners: list[SyncListener] = []
        self.warnings: list[str] = []
        self.restored: list[str] = []  # sessions that found the server restored (0122)
        self._overlays: dict[str, tuple[object, dict[str, Annotation | None]]] = {}
        self.opened_from_copy: str | None = None  # when opened offline: the copy's date
        self.link = Link(url, timeouts)  # the desktop's one connection (decision 0103)
        try:
            conn = self.link.open()
        except ServerUnreachable as exc:
            self._open_copy(url, cache_dir, exc)
        else:
            self._open_online(conn, url, cache_dir)
        self.documents = PgDocuments(
            self.connection, self.project_id, self.who, self.user, copy=self.cache_dir
        )

    def _open_online(self, conn: Connection, url: str, cache_dir: Path | None) -> None:
        try:
            opened = opening(conn)
            if opened is None:  # no schema, another one, no right: the steps say which
                pg_schema.check(conn)
                self.project_id, name = find_project(conn)
                user, lead = conn.execute("SELECT current_user, is_lead()").fetchone() or (
                    "",
                    False,
                )
                self.config = self._read_config(name)
            else:
                self.project_id, name, user, lead, self.config = opened
            self.user = str(user)
            self.is_lead = bool(lead)
            self.who = f"{'lead' if lead else 'annotator'} {user}"
            self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir(conn, name)
        except psycopg.Error as exc:
            self.close()
            raise server_error(exc, url=url) from None
        except BaseException:
            self.close()
            raise
        local_copy.save_project(
            self.cache_dir,
            {
                "project_id": self.project_id,
                "name": name,
                "user": self.user,
                "is_lead": self.is_lead,
                "config": self.config.model_dump(mode="json"),
                "saved": now_iso(),
            },
        )
        local_copy.remember(url, self.cache_dir)

    def _open_copy(self, url: str, cache_dir: Path | None, exc: ServerUnreachable) -> None:
        """Open from this desktop's copy of the last session (``local_copy``), or raise
        ``exc`` when there is none."""
        folder = Path(cache_dir) if cache_dir else local_copy.recall(url)
        data = local_copy.load_project(folder) if folder is not None else None
        if folder is None or data is None:
            raise exc
        try:
            self.project_id = int(data["project_id"])
            self.user = str(data["user"])
            self.is_lead = bool(data["is_lead"])
            self.config = ProjectConfig.model_validate(data["config"])
        except (KeyError, TypeError, ValueError):
            raise exc from None
        self.who = f"{'lead' if self.is_lead else 'annotator'} {self.user}"
        self.cache_dir = folder
        self.opened_from_copy = str(data.get("saved", ""))
        self.link.away()
        self.warnings.append(
            f"{exc}: opened from this computer's copy ({self.opened_from_copy}); the documents "
            "read before can be annotated, the edits wait here until the server is back"
        )

    def _read_config(self, name: str) -> ProjectConfig:
        conn = self.connection()
        row = conn.execute(
            "SELECT language, options FROM projects WHERE id = %s", (self.project_id,)
        ).fetchone()
        labels = conn.execute(
            "SELECT name, key, color, description FROM labels WHERE project_id = %s"
            " ORDER BY position",
            (self.project_id,),
        ).fetchall()
        if row is None:
            raise ServerError(f"project {name!r} is gone from the server")
        return ProjectConfig(
            name=name,
            language=row[0],
            options=row[1] or {},
            labels=tuple(Label(name=n, key=k, color=c, description=d) for n, k, c, d in labels),
        )

    def connection(self) -> Connection:
        """The project's connection for reads on the calling thread, which the sessions'
        senders share (``link.py``)."""
        return self.link.get()

    # -- ProjectStore ----------------------------------------------------------------------

    @property
    def location(self) -> str:
        """The server URL, without any password."""
        return redact_url(self.url)

    @property
    def labels(self) -> tuple[Label, ...]:
        """The labels in order."""
        return self.config.labels

    def annotators(self, include_gold: bool = True) -> list[str]:
        """Annotators with a record on the server or unsent edits here, ``gold`` last."""
        try:
            rows = (
                self.connection()
                .execute(
                    "SELECT DISTINCT annotator FROM annotations WHERE project_id = %s"
                    " AND NOT untouched" + ("" if self.is_lead else " AND annotator = %s"),
                    # an annotator sees only their own rows: say so, and the index serves
                    (self.project_id,) if self.is_lead else (self.project_id, self.user),
                )
                .fetchall()
            )
            found = {r[0] for r in rows}
            if include_gold and self.is_lead:
                gold = (
                    self.connection()
                    .execute(
                        "SELECT EXISTS (SELECT 1 FROM gold"
                        " WHERE project_id = %s AND NOT untouched)",
                        (self.project_id,),
                    )
                    .fetchone()
                )
                if gold and gold[0]:
                    found.add(GOLD)
        except psycopg.Error as exc:
            raise server_error(exc, who=self.who, doing="read") from None
        for path in self.cache_dir.glob("*.outbox") if self.cache_dir.is_dir() else ():
            name = path.name.removesuffix(".outbox")
            overlay = self._overlay(name)
            if any(state is not None for state in overlay.values()):
                found.add(name)
            elif overlay and self._all_untouched(name, overlay):
                found.discard(name)
        names = sorted(found - {GOLD})
        return [*names, GOLD] if include_gold and GOLD in found else names

    def holds_unconfirmed(self) -> bool:
        """Whether this desktop holds edits, of anyone, the server has not confirmed yet."""
        folder = self.cache_dir
        return folder.is_dir() and any(
            self._overlay(path.name.removesuffix(".outbox")) for path in folder.glob("*.outbox")
        )

    def _all_untouched(self, name: str, overlay: dict[str, Annotation | None]) -> bool:
        try:
            rows = (
                self.connection()
                .execute(
                    "SELECT count(*) FROM annotations WHERE project_id = %s AND annotator = %s"
                    " AND NOT untouched AND NOT (document_id = ANY(%s))",
                    (self.project_id, name, list(overlay)),
                )
                .fetchone()
            )
        except psycopg.Error as exc:
            raise server_error(exc, who=self.who, doing="read") from None
        return rows is not None and rows[0] == 0

    def _overlay(self, annotator: str) -> dict[str, Annotation | None]:
        """This desktop's unconfirmed edits of ``annotator`` (latest state per document)."""
        outbox = Outbox(self.cache_dir, annotator)
        signature = (outbox.signature(), outbox.meta()[1])
        cached = self._overlays.get(annotator)
        if cached is not None and cached[0] == signature:
            return cached[1]
        labels = frozenset(self.config.label_names)
        from annotator.core.annotation_file import parse_annotation

        def text_for(doc_id: str, sha: str) -> str | None:
            try:
                doc = self.documents.get(doc_id)
            except KeyError:
                return None
            return doc.text if self.documents.sha(doc_id) == sha else None

        pending, _ = outbox.read(
            text_for, lambda p, n, r: parse_annotation(p, n, r, labels), repair=False
        )
        overlay = {e.doc_id: e.state for e in pending}
        self._overlays[annotator] = (signature, overlay)
        return overlay

    def annotation(self, annotator: str, doc_id: str) -> Annotation | None:
        """The latest annotation: this desktop's unconfirmed edit, else the server's row."""
        check_annotator_name(annotator)
        overlay = self._overlay(annotator)
        if doc_id in overlay:
            return overlay[doc_id]
        row = read_row(self.connection(), self, annotator, doc_id)
        if row is None:
            return None
        return row.annotation(doc_id, annotator, self.documents, self.config.label_names)

    def session(self, name: str, read_only: bool = False) -> PgSession:
        """Open ``name``'s annotations: for editing (this desktop's lock) or read-only."""
        check_annotator_name(name)
        made = PgSession(self, name, read_only=read_only)
        self._sessions.append(made)
        if not read_only and name == self.user and self.opened_from_copy is None:
            self.documents.read_ahead(name)  # their next documents open from the desktop
        return made

    def forget(self, session: PgSession) -> None:
        """A session closed."""
        if session in self._sessions:
            self._sessions.remove(session)

    # -- sync state, for the window --------------------------------------------------------

    def on_sync(self, listener: SyncListener) -> None:
        """Call ``listener(session)`` (on the sending thread) whenever edits are confirmed."""
        self._sync_listeners.append(listener)

    def off_sync(self, listener: SyncListener) -> None:
        """Stop calling ``listener``."""
        if listener in self._sync_listeners:
            self._sync_listeners.remove(listener)

    def sync_changed(self, session: PgSession) -> None:
        """A session's edits were confirmed or refused."""
        for listener in list(self._sync_listeners):
            listener(session)

    def listen(self, callback: Callable[[Notice], None]) -> Listener:
        """Start a ``Listener`` calling ``callback`` for each change of this project (on its
        thread); the caller stops it."""
        return Listener(self.url, self.project_id, callback, self.timeouts).start()

    # -- the plan ----------------------------------------------------------------------------

    def assignments(self) -> StoredPlan | None:
        """The plan (documents in project order), None when the project has none."""
        try:
            mine = None if self.is_lead else self.user
            rows = _plan_rows(self.connection(), self.project_id, mine)
        except psycopg.Error as exc:
            raise server_error(exc, who=self.who, doing="read") from None
        except ServerUnreachable:
            copied = local_copy.load_plan(self.cache_dir)
            if copied is None:
                raise
            return _plan_of(copied)
        local_copy.save_plan(self.cache_dir, rows)
        return _plan_of(rows)

    def check_lead(self, doing: str) -> None:
        """``PermissionRefused`` in the server's words when this login is no lead's."""
        if not self.is_lead:
            raise PermissionRefused(f"permission denied: {self.who} cannot {doing}")

    def update_assignments(
        self, change: Callable[[StoredPlan | None], Mapping[str, Assignment]]
    ) -> Mapping[str, Assignment]:
        """Replace the plan with ``change(current)`` in one transaction under the plan's lock.
        Refused at once for an annotator: they read only their own part of the plan, so a
        plan made from it would be wrong, and where it changed nothing the server would have
        nothing to refuse (the command said it assigned)."""
        self.check_lead("write assignments")
        conn = self.connection()
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (_PLAN_LOCK, self.project_id))
                current = _read_plan(conn, self.project_id)
                new = dict(change(current))
                for doc_id, entry in new.items():
                    for name in entry.annotators:
                        try:
                            check_annotator_name(name)
                        except ValueError as exc:
                            raise AnnotatorError(f"assignments of {doc_id!r}: {exc}") from None
                        if name == GOLD:
                            raise AnnotatorError(
                                f"assignments of {doc_id!r}: gold is not an annotator"
                            )
                _write_plan(conn, self.project_id, current, new)
        except psycopg.Error as exc:
            raise server_error(exc, who=self.who, doing="write") from None
        return new

    def close(self) -> None:
        """Close the sessions (each saves first) and the connection."""
        for session in list(self._sessions):
            session.close()
        self.link.close()


def _read_plan(conn: Connection, project_id: int, mine: str | None = None) -> StoredPlan | None:
    """The plan as this role may read it (see ``_plan_rows``)."""
    return _plan_of(_plan_rows(conn, project_id, mine))


def _plan_rows(
    conn: Connection, project_id: int, mine: str | None = None
) -> list[tuple[str, str, float | None]]:
    """The plan's rows as this role may read it. ``mine``: the caller, an annotator, whose view
    holds only their own rows; saying so lets the server read them through its index
    instead of filtering every row of the project by the policy (decision 0089)."""
    rows = conn.execute(
        "SELECT a.document_id, a.annotator, extract(epoch FROM a.assigned_at)"
        " FROM assignments a JOIN documents d"
        " ON d.project_id = a.project_id AND d.id = a.document_id"
        f" WHERE a.project_id = %s{'' if mine is None else ' AND a.annotator = %s'}"
        " ORDER BY d.position, a.place, a.annotator",
        (project_id,) if mine is None else (project_id, mine),
    ).fetchall()
    return [(d, n, float(e) if e is not None else None) for d, n, e in rows]


def _plan_of(rows: list[tuple[str, str, float | None]]) -> StoredPlan | None:
    if not rows:
        return None
    teams: dict[str, list[str]] = {}
    since: dict[str, float] = {}
    for doc_id, name, epoch in rows:
        teams.setdefault(doc_id, []).append(name)
        since.setdefault(doc_id, float(epoch) if epoch is not None else 0.0)
    return StoredPlan(entries={d: Assignment(tuple(n), since[d]) for d, n in teams.items()})


def _write_plan(
    conn: Connection,
    project_id: int,
    current: StoredPlan | None,
    new: Mapping[str, Assignment],
) -> None:
    """Write the difference between ``current`` and ``new``: rows that stay are not touched."""
    old = current.entries if current is not None else {}
    gone = [
        (doc_id, name)
        for doc_id, entry in old.items()
        for name in entry.annotators
        if doc_id not in new or name not in new[doc_id].annotators
    ]
    written: dict[tuple[str, str], tuple[Any, ...]] = {}  # a name twice: the last place
    for doc_id, entry in new.items():
        before = old.get(doc_id)
        if before == entry:
            continue
        for place, name in enumerate(entry.annotators):
            stamp = entry.since if entry.since else None
            written[doc_id, name] = (doc_id, name, place, stamp)
    rows = list(written.values())
    # whole chunks per statement: the progress counts are kept per statement (schema step
    # 0007), so a plan of 300,000 rows is counted in a few statements, not 300,000
    for start in range(0, len(gone), _PLAN_CHUNK):
        part = gone[start : start + _PLAN_CHUNK]
        conn.execute(
            "DELETE FROM assignments a USING unnest(%s::text[], %s::text[]) AS g(d, n)"
            " WHERE a.project_id = %s AND a.document_id = g.d AND a.annotator = g.n",
            ([d for d, _ in part], [n for _, n in part], project_id),
        )
    for start in range(0, len(rows), _PLAN_CHUNK):
        part = rows[start : start + _PLAN_CHUNK]
        conn.execute(
            "INSERT INTO assignments (project_id, document_id, annotator, place, assigned_at)"
            " SELECT %s, d, n, o, to_timestamp(s)"
            " FROM unnest(%s::text[], %s::text[], %s::smallint[], %s::float8[]) AS r(d, n, o, s)"
            " ON CONFLICT (project_id, document_id, annotator) DO UPDATE"
            " SET place = excluded.place, assigned_at = excluded.assigned_at",
            (project_id, *(list(column) for column in zip(*part, strict=True))),
        )


def open_pg_project(
    url: str, *, cache_dir: Path | None = None, timeouts: Timeouts = DEFAULT_TIMEOUTS
) -> PgProject:
    """Open the project ``url`` names (a ``postgresql://`` URL, libpq syntax).

    ``cache_dir`` is the desktop's folder for its outboxes and locks (default: under the
    user's data folder). Raises ServerError / ServerUnreachable / PermissionRefused (one line).
    """
    return PgProject(url, cache_dir=cache_dir, timeouts=timeouts)

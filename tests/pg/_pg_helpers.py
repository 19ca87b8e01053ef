"""Helpers of the PostgreSQL tests: the server, a fresh database, people and documents."""

from __future__ import annotations

import atexit
import os
import secrets
import shlex
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Json

from annotator.core.model import Document, ProjectConfig, sha256_text
from annotator.core.pg import connection, projects, schema, users

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "test-postgres.sh"


@dataclass
class Server:
    """The test server: superuser over the Unix socket, everyone else over TCP with a password."""

    admin_url: str
    params: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.params = conninfo_to_dict(self.admin_url)

    @property
    def port(self) -> str:
        return str(self.params.get("port", "5432"))

    @property
    def tcp_host(self) -> str:
        host = str(self.params.get("host", "127.0.0.1"))
        return "127.0.0.1" if host.startswith("/") or not host else host

    def admin_url_for(self, dbname: str) -> str:
        """The superuser's URL of ``dbname``."""
        params = dict(self.params, dbname=dbname)
        user = params.pop("user", "postgres")
        rest = "&".join(f"{k}={v}" for k, v in params.items() if k != "dbname")
        return f"postgresql://{user}@/{dbname}?{rest}"

    def url_for(self, dbname: str, user: str) -> str:
        """A person's URL of ``dbname`` over TCP; the password comes from libpq's sources."""
        return f"postgresql://{user}@{self.tcp_host}:{self.port}/{dbname}"


def start_cluster() -> tuple[str, str]:
    try:
        out = subprocess.run(
            ["bash", str(SCRIPT), "start"],
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        pytest.fail(
            "the PostgreSQL tests need a server: set ANNOTATOR_TEST_PG=postgresql://... or "
            f"install PostgreSQL (Debian: apt-get install postgresql). Starting one failed: "
            f"{detail.strip()}",
            pytrace=False,
        )
    found = {}
    for line in out.stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        found[name] = shlex.split(value)[0]
    return found["ANNOTATOR_TEST_PG"], found["ANNOTATOR_TEST_PG_DIR"]


def cluster_script(action: str, folder: str, check: bool = True) -> None:
    """Run ``scripts/test-postgres.sh ACTION FOLDER`` (crash, resume, stop) on a cluster."""
    subprocess.run(["bash", str(SCRIPT), action, folder], check=check, timeout=120)


def news_project(server: Server, name: str, *documents: Document) -> PgDb:
    """A new database ``name`` on ``server`` with the schema, the project "news", the
    ``documents`` and the annotator ani."""
    with psycopg.connect(server.admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    made = PgDb(server, name)
    with made.admin(autocommit=True) as conn:
        schema.migrate(conn)
        made.project_id, _ = projects.create_project(conn, ProjectConfig(name="news"))
    made.add_documents(*documents)
    made.add_person("ani", "annotator")
    return made


_SHARED: dict[str, str] = {}


def shared_server_url() -> str:
    """The test server's superuser URL: ``ANNOTATOR_TEST_PG``, else a cluster started once
    for the whole run with scripts/test-postgres.sh and stopped when the run ends."""
    if "url" not in _SHARED:
        url = os.environ.get("ANNOTATOR_TEST_PG")
        if not url:
            url, folder = start_cluster()
            atexit.register(
                subprocess.run, ["bash", str(SCRIPT), "stop", folder], check=False, timeout=120
            )
        try:
            psycopg.connect(url, connect_timeout=10).close()
        except psycopg.Error as exc:
            pytest.fail(f"cannot connect to the test server {url}: {exc}", pytrace=False)
        _SHARED["url"] = url
    return _SHARED["url"]


def marked_roles(conn: psycopg.Connection[Any]) -> set[str]:
    rows = conn.execute(
        "SELECT rolname FROM pg_roles WHERE shobj_description(oid, 'pg_authid') = %s",
        (users.MARK,),
    ).fetchall()
    return {r[0] for r in rows}


@dataclass
class PgDb:
    """A fresh database of the test server; ``project_id`` is set once the schema is made."""

    server: Server
    name: str
    project_id: int = 0
    passwords: dict[str, str] = field(default_factory=dict)

    @property
    def admin_url(self) -> str:
        return self.server.admin_url_for(self.name)

    def url_for(self, user: str) -> str:
        return self.server.url_for(self.name, user)

    def admin(self, **kwargs: Any) -> connection.Connection:
        """A connection as the superuser that created the schema (the project's admin)."""
        return connection.connect(self.admin_url, **kwargs)

    def add_person(self, name: str, kind: users.Kind) -> str:
        """Add ``name`` as ``kind`` with a new password; returns the password."""
        password = secrets.token_urlsafe(12)
        with self.admin(autocommit=True) as conn:
            users.add_user(conn, name, kind, password)
        self.passwords[name] = password
        return password

    def use_passfile(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Every person's password in a libpq password file at ``path``, as on their desktops,
        and ``PGPASSFILE`` naming it for this test."""
        server = self.server
        path.write_text(
            "".join(
                f"{server.tcp_host}:{server.port}:{self.name}:{n}:{p}\n"
                for n, p in self.passwords.items()
            )
        )
        path.chmod(0o600)
        monkeypatch.setenv("PGPASSFILE", str(path))

    def connect_as(self, name: str, **kwargs: Any) -> psycopg.Connection[Any]:
        """A plain psycopg connection as ``name`` over TCP, autocommit, search_path set."""
        return psycopg.connect(
            self.url_for(name),
            password=self.passwords[name],
            autocommit=True,
            options="-c search_path=annotator",
            **kwargs,
        )

    def add_documents(self, *docs: Document) -> None:
        with self.admin(autocommit=True) as conn, conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO documents (project_id, id, text, text_sha256, meta)"
                " VALUES (%s, %s, %s, %s, %s)",
                [(self.project_id, d.id, d.text, sha256_text(d.text), Json(d.meta)) for d in docs],
            )

    def assign(self, plan: dict[str, list[str]]) -> None:
        with self.admin(autocommit=True) as conn, conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO assignments (project_id, document_id, annotator) VALUES (%s, %s, %s)",
                [(self.project_id, d, a) for d, names in plan.items() for a in names],
            )


def waiting_on(db: PgDb, holder: int, timeout: float = 30.0) -> list[int]:
    """The server processes waiting for a lock the process ``holder`` holds, as the server
    sees them (``pg_blocking_pids``), once there is one; [] if none waits within
    ``timeout``. Each look is one query that lets the server's clock pass first (10 ms),
    never a sleep of the test's: it ends as soon as the server says so."""
    end = time.monotonic() + timeout
    with db.admin(autocommit=True) as conn:
        while True:
            row = conn.execute(
                "SELECT pg_sleep(0.01), array(SELECT pid FROM pg_stat_activity"
                " WHERE %s = ANY(pg_blocking_pids(pid)) ORDER BY pid)",
                (holder,),
            ).fetchone()
            assert row is not None
            if row[1] or time.monotonic() >= end:
                return [int(p) for p in row[1]]


def pg_program(name: str) -> str:
    """A PostgreSQL program (``pg_dump``, ``pg_restore``, ``createdb``...) of the server package,
    found as scripts/test-postgres.sh finds ``initdb``: ``PG_BINDIR``, else the newest
    /usr/lib/postgresql/*/bin, else the PATH."""
    folders = [os.environ["PG_BINDIR"]] if os.environ.get("PG_BINDIR") else []
    folders += sorted(
        (str(p) for p in Path("/usr/lib/postgresql").glob("*/bin")),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
        reverse=True,
    )
    for folder in folders:
        if (Path(folder) / name).is_file():
            return str(Path(folder) / name)
    import shutil

    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: it comes with PostgreSQL's server package", pytrace=False)
    return found


def run_program(server: Server, *argv: str) -> str:
    """Run a PostgreSQL program as the server's superuser, as an admin types it (the server
    named by PGHOST and PGPORT); its output, or the test fails with what it said."""
    env = dict(os.environ, PGHOST=str(server.params.get("host", "")), PGPORT=server.port,
               PGUSER=str(server.params.get("user", "postgres")))  # fmt: skip
    env.pop("PGDATABASE", None)
    done = subprocess.run(
        [pg_program(argv[0]), *argv[1:]], env=env, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        pytest.fail(f"{' '.join(argv)} failed: {done.stderr.strip()}", pytrace=False)
    return done.stdout + done.stderr

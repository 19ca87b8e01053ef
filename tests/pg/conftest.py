"""A real PostgreSQL server for the tests, and a fresh database with the schema for each test.

The server is the one ``ANNOTATOR_TEST_PG`` names (CI starts it with scripts/test-postgres.sh);
without that variable a throwaway cluster is started here with the same script and stopped at
the end. When neither works the tests fail, saying what is missing: they are never skipped.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from _pg_helpers import PgDb, Server, cluster_script, marked_roles, shared_server_url, start_cluster
from _proxy import Relay
from _tls import TlsTeam, start_tls_team
from psycopg import sql

from annotator.core.model import ProjectConfig
from annotator.core.pg import projects, schema
from annotator.core.pg.store import PgProject, open_pg_project

_COUNTER = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Server:
    """The server every PostgreSQL test uses."""
    return Server(shared_server_url())


@pytest.fixture
def pg_db(pg_server: Server) -> Iterator[PgDb]:
    """An empty database, dropped afterwards with the roles the test created."""
    name = f"t{os.getpid()}_{next(_COUNTER)}"
    with psycopg.connect(pg_server.admin_url, autocommit=True) as conn:
        before = marked_roles(conn)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield PgDb(pg_server, name)
    with psycopg.connect(pg_server.admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        leftovers = marked_roles(conn) - before
        leftovers |= {f"{name}_leads", f"{name}_annotators"}
        for role in sorted(leftovers):
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@pytest.fixture
def pg_project(pg_db: PgDb) -> PgDb:
    """A database with the schema and one project named ``news`` with the default labels."""
    with pg_db.admin(autocommit=True) as conn:
        schema.migrate(conn)
        pg_db.project_id, _ = projects.create_project(conn, ProjectConfig(name="news"))
    return pg_db


@pytest.fixture
def relay(pg_project: PgDb) -> Iterator[Relay]:
    """A relay in front of the project's server: it counts round trips and can stall or cut
    the line (tests/pg/_proxy.py)."""
    server = pg_project.server
    made = Relay(server.tcp_host, int(server.port))
    yield made
    made.close()


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[Server, str]]:
    """A cluster of the module's own, ``(server, folder)``, for tests that stop their server
    (``cluster_script("crash", folder)``); never the one the other tests share."""
    url, folder = start_cluster()
    yield Server(url), folder
    cluster_script("stop", folder, check=False)


@pytest.fixture(scope="session")
def tls_team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsTeam]:
    """A cluster of its own with TLS on as docs/server-operations.md says (tests/pg/_tls.py):
    the database ``news``, ani and bob with passwords, the certificates."""
    url, folder = start_cluster()
    try:
        yield start_tls_team(Server(url), folder, tmp_path_factory.mktemp("tls"))
    finally:
        cluster_script("stop", folder, check=False)


@pytest.fixture
def team_store(pg_project: PgDb, tmp_path: Path) -> Iterator[PgProject]:
    """A project holding the team corpus of tests/cli/_team_corpus.py (three annotators'
    done and in-progress documents), opened as its owner on a desktop folder of its own."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
    from _team_corpus import fill

    project = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / "desktop")
    fill(project)
    yield project
    project.close()


@pytest.fixture
def desktop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data folder of the desktop the commands run on (outboxes, models), inside the
    test's folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "desktop"))
    monkeypatch.setenv("ANNOTATOR_DATA", str(tmp_path / "desktop"))
    return tmp_path / "desktop"

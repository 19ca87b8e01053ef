"""The conformance suite's fixture: every store implementation, behind one small harness.

Each test takes ``harness`` and runs once per implementation listed in ``STORES``: the folder
and the PostgreSQL server (a real one: scripts/test-postgres.sh, as in tests/pg), which must
pass every test unchanged.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import psycopg
import pytest
from psycopg import sql

from annotator.core.model import Document, Label, ProjectConfig
from annotator.core.pg import projects, schema
from annotator.core.pg.session import PgSession
from annotator.core.pg.store import PgProject, open_pg_project
from annotator.core.project import CONFIG, Project, render_config
from annotator.core.storage import AnnotatorStore, ProjectStore
from annotator.core.store import Session


class StoreHarness(Protocol):
    """What a test needs from a store besides the interface itself."""

    name: str

    def create(self, texts: dict[str, str], labels: tuple[str, ...] | None = None) -> ProjectStore:
        """A new project holding these documents (ids in this order), with these labels."""
        ...

    def reopen(self) -> ProjectStore:
        """The same project as another process would open it now."""
        ...

    def crash(self, session: AnnotatorStore) -> None:
        """The process holding ``session`` dies: nothing more is saved, its locks go."""
        ...

    def cleanup(self) -> None:
        """Remove what ``create`` made."""
        ...


class FolderHarness:
    """The folder store: a project folder in a temporary directory."""

    name = "folder"

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="annotator-store-"))
        self.root = self.base / "project"

    def create(self, texts: dict[str, str], labels: tuple[str, ...] | None = None) -> ProjectStore:
        project = Project.init(self.root)
        if labels is not None:
            config = ProjectConfig(
                name=project.config.name, labels=tuple(Label(name=n) for n in labels)
            )
            (self.root / CONFIG).write_text(render_config(config), encoding="utf-8")
            project = Project.open(self.root)
        project.documents.append([Document(id=k, text=v) for k, v in texts.items()])
        return Project.open(self.root)

    def reopen(self) -> ProjectStore:
        return Project.open(self.root)

    def crash(self, session: AnnotatorStore) -> None:
        assert isinstance(session, Session)
        if session._journal_fd is not None:  # what was fsynced stays; nothing is compacted
            os.close(session._journal_fd)
            session._journal_fd = None
        if session._lock is not None:
            session._lock.release()
            session._lock = None

    def cleanup(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)


sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pg"))  # tests/pg's server
from _pg_helpers import Server, shared_server_url  # noqa: E402

_DATABASES = itertools.count(1)


class PgHarness:
    """The server store: a new database with the schema, as its owner (a lead); the
    desktop's folder for the project in a temporary directory."""

    name = "postgresql"

    def __init__(self) -> None:
        self.server = Server(shared_server_url())
        self.db = f"store{os.getpid()}_{next(_DATABASES)}"
        self.url = self.server.admin_url_for(self.db)
        self.cache = Path(tempfile.mkdtemp(prefix="annotator-desktop-"))
        self.opened: list[PgProject] = []
        with psycopg.connect(self.server.admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.db)))

    def create(self, texts: dict[str, str], labels: tuple[str, ...] | None = None) -> ProjectStore:
        config = ProjectConfig(name="news")
        if labels is not None:
            config = ProjectConfig(name="news", labels=tuple(Label(name=n) for n in labels))
        with psycopg.connect(self.url, autocommit=True) as conn:
            schema.migrate(conn)
            conn.execute("SET search_path = annotator")
            projects.create_project(conn, config)
        project = self.reopen()
        project.documents.append([Document(id=k, text=v) for k, v in texts.items()])
        return self.reopen()

    def reopen(self) -> ProjectStore:
        project = open_pg_project(self.url, cache_dir=self.cache)
        self.opened.append(project)
        return project

    def crash(self, session: AnnotatorStore) -> None:
        assert isinstance(session, PgSession)
        session.crash()

    def cleanup(self) -> None:
        for project in self.opened:
            for session in list(project._sessions):
                session.crash()
            project.close()
        with psycopg.connect(self.server.admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.db))
            )
            for role in (f"{self.db}_leads", f"{self.db}_annotators"):
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        shutil.rmtree(self.cache, ignore_errors=True)


STORES: dict[str, Callable[[], StoreHarness]] = {"folder": FolderHarness, "postgresql": PgHarness}
"""Every store implementation, by name."""


@pytest.fixture(params=sorted(STORES))
def harness(request: pytest.FixtureRequest) -> Iterator[StoreHarness]:
    made = STORES[request.param]()
    yield made
    made.cleanup()

"""Opening a project from where it is: a folder path or a ``postgresql://`` URL.

    store = open_store("news")                                  # the folder store
    store = open_store("postgresql://ani@db.example/news")      # the server store

Every command takes its project through here, so a URL works wherever a folder does. The
server store (``annotator.core.pg.store``) is imported only for a URL, and only once psycopg
is known to be installed: without the ``server`` extra a URL gives one line saying what to
install, and folder projects never load psycopg at all.

A few things a project makes are files on this desktop whatever its store: the trained model
and the stored suggestion sets (decision 0086). ``desktop_folder(store)`` is where they go:
the project folder itself for a folder store, a folder of this user's data for a server one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from annotator.core.errors import AnnotatorError
from annotator.core.model import Annotation, Label, ProjectConfig
from annotator.core.pg import is_server_url, redact_url, require_psycopg
from annotator.core.project import Project
from annotator.core.storage import AnnotatorStore, DocumentSource, ProjectStore

if TYPE_CHECKING:
    from annotator.core.assign import Assignment
    from annotator.core.assignments import StoredPlan


def open_store(location: str | os.PathLike[str]) -> ProjectStore:
    """The project at ``location``: a folder's ``Project`` or the server store for a URL.

    Raises AnnotatorError (one line) when it is not a project, the server cannot be reached,
    or psycopg is missing for a URL.
    """
    text = os.fspath(location)
    if is_server_url(text):
        return _open_server(text)
    return Project.open(Path(text))


def _open_server(url: str) -> ProjectStore:
    require_psycopg()
    try:
        from annotator.core.pg.store import open_pg_project
    except ImportError as exc:  # psycopg found but broken (a missing libpq, say)
        raise AnnotatorError(f"{redact_url(url)}: cannot load the server store ({exc})") from None
    return open_pg_project(url)


@contextlib.contextmanager
def opened(location: str | os.PathLike[str]) -> Iterator[ProjectStore]:
    """``open_store(location)``, closed at the end (a server store's connections)."""
    store = open_store(location)
    try:
        yield store
    finally:
        store.close()


def folder_of(store: ProjectStore) -> Path | None:
    """The project folder of a folder store; None for any other store."""
    return store.root if isinstance(store, Project) else None


def display_location(location: str | os.PathLike[str]) -> str:
    """How a location is shown in messages and recorded commands: a URL without password."""
    text = os.fspath(location)
    return redact_url(text) if is_server_url(text) else text


def desktop_folder(store: ProjectStore) -> Path:
    """Where this desktop keeps the project's own files (model, suggestion sets).

    The folder itself for a folder project. For a server project, the store's own folder on
    this desktop (``cache_dir``, where it keeps its outboxes) when it has one, else a folder
    per server, database, project and user under the user's data folder (``ANNOTATOR_DATA``
    overrides it), so two people or two projects on one desktop never share a model.
    """
    folder = folder_of(store)
    if folder is not None:
        return folder
    own = getattr(store, "cache_dir", None)  # the server store's folder for its outboxes
    if isinstance(own, Path):
        return own
    from platformdirs import user_data_path

    base = Path(os.environ.get("ANNOTATOR_DATA") or user_data_path("annotator", appauthor=False))
    from annotator.core.pg.desktop import server_key

    key = server_key(store.location)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    slug = re.sub(r"[^a-z0-9_.-]+", "-", store.config.name.lower()).strip("-")[:40] or "project"
    return base / "servers" / f"{slug}-{digest}"


class WithFolder(ProjectStore, Protocol):
    """A project with a folder on this desktop for its own files: the suggestion sets
    (``suggestions/``), the team's rules (``suggestions.toml``) and the model
    (``.annotator/models/``). A folder ``Project`` is one; ``with_folder`` makes one of any
    store."""

    @property
    def root(self) -> Path:
        """The folder."""
        ...

    @property
    def state_dir(self) -> Path:
        """``.annotator/`` inside it."""
        ...


class DesktopProject:
    """A project of another store, with ``desktop_folder(store)`` for its own files."""

    def __init__(self, store: ProjectStore, root: Path) -> None:
        self.store = store
        self.root = root
        self.state_dir = root / ".annotator"

    @property
    def location(self) -> str:
        return self.store.location

    @property
    def config(self) -> ProjectConfig:
        return self.store.config

    @property
    def labels(self) -> tuple[Label, ...]:
        return self.store.labels

    @property
    def documents(self) -> DocumentSource:
        return self.store.documents

    @property
    def warnings(self) -> list[str]:
        return self.store.warnings

    def annotators(self, include_gold: bool = True) -> list[str]:
        return self.store.annotators(include_gold)

    def annotation(self, annotator: str, doc_id: str) -> Annotation | None:
        return self.store.annotation(annotator, doc_id)

    def session(self, name: str, read_only: bool = False) -> AnnotatorStore:
        return self.store.session(name, read_only)

    def assignments(self) -> StoredPlan | None:
        return self.store.assignments()

    def update_assignments(
        self, change: Callable[[StoredPlan | None], Mapping[str, Assignment]]
    ) -> Mapping[str, Assignment]:
        return self.store.update_assignments(change)

    def close(self) -> None:
        self.store.close()


def reading_location(project: ProjectStore) -> Path | str:
    """Where a worker opens its own view of ``project`` (``core.reading``): the folder, or
    the server URL as this process holds it (its password included, if one was typed)."""
    folder = folder_of(project)
    if folder is not None:
        return folder
    inner = project.store if isinstance(project, DesktopProject) else project
    url = getattr(inner, "url", None)
    return url if isinstance(url, str) else inner.location


def with_folder(store: ProjectStore) -> WithFolder:
    """``store`` itself when it is a folder, else the store with this desktop's folder."""
    if isinstance(store, Project):
        return store
    return DesktopProject(store, desktop_folder(store))

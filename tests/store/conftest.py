"""The conformance suite's fixture: every store implementation, behind one small harness.

Each test takes ``harness`` and runs once per implementation listed in ``STORES``. A second
store (PostgreSQL) adds its harness here and must pass every test unchanged.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import pytest

from annotator.core.model import Document, Label, ProjectConfig
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


STORES: dict[str, Callable[[], StoreHarness]] = {"folder": FolderHarness}
"""Every store implementation, by name."""


@pytest.fixture(params=sorted(STORES))
def harness(request: pytest.FixtureRequest) -> Iterator[StoreHarness]:
    made = STORES[request.param]()
    yield made
    made.cleanup()

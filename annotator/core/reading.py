"""How work off the window's thread reads a project: its own read-only view, never the window's.

The window's ``Project`` (its document index, caches and sessions) belongs to the GUI thread:
it reloads its index when an import grows ``documents.jsonl`` and its annotator's session
changes with every key press. A worker thread (the agreement dashboard's recount, the
suggestions, training the model, an export) must not read those objects while the GUI thread
changes them. So every worker follows one policy (decision 0063):

- it reads through a ``ProjectReader`` of its own, made from the project's folder, which opens
  a separate ``Project``: separate indexes and caches, sessions only read-only (they take no
  lock and see the saved files plus the journals, so an annotator's unsaved-to-file edits
  count);
- a job that runs once (a recount, a training run, an export) reads the project as it is when
  the job starts; a long-lived worker (suggestions) asks its reader for the project before
  each job, and gets a new one when ``annotator.toml`` or ``documents.jsonl`` changed;
- it never writes annotations: what a worker produces (numbers, suggestions, a model, export
  files) goes back to the GUI thread by a queued signal, and edits are made there.
"""

from __future__ import annotations

from pathlib import Path

from annotator.core.index import stat_key
from annotator.core.project import CONFIG, Project


class ProjectReader:
    """One worker's own view of the project in ``root``; see the module docstring.

    Not shared between threads: each worker makes its own.
    """

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._project: Project | None = None
        self._stamp: tuple[tuple[int, int, int], ...] = ()

    def project(self) -> Project:
        """The project as it is now: the same object while its settings and documents file
        are unchanged, a newly opened one once either changed."""
        stamp = (stat_key(self.root / CONFIG), stat_key(self.root / "documents.jsonl"))
        if self._project is None or stamp != self._stamp:
            self._project = Project.open(self.root)
            self._stamp = stamp
        return self._project

    def renewed(self, since: Project | None) -> bool:
        """True when ``project()`` now gives another object than ``since``."""
        return self.project() is not since

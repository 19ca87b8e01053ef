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
- on a server project (a ``postgresql://`` location) the reader opens a store of its own from
  the URL (its own connections; sessions read-only, the desktop's unsent edits overlaid), kept
  for the reader's life; ``close()`` ends its connections;
- it never writes annotations: what a worker produces (numbers, suggestions, a model, export
  files) goes back to the GUI thread by a queued signal, and edits are made there.
"""

from __future__ import annotations

import os
from pathlib import Path

from annotator.core.index import stat_key
from annotator.core.open import WithFolder, open_store, with_folder
from annotator.core.pg import is_server_url
from annotator.core.project import CONFIG, Project


class ProjectReader:
    """One worker's own view of the project at ``location`` (a folder, or a server URL);
    see the module docstring.

    Not shared between threads: each worker makes its own.
    """

    def __init__(self, location: Path | str, quick: bool = False) -> None:
        text = os.fspath(location)
        self.url = text if is_server_url(text) else None
        self.root = Path(text)
        self.quick = quick
        """Open a folder's quick indexes (decision 0046): for a worker that reads a few
        documents by id, not every record (the suggestions of the open document)."""
        self._project: WithFolder | None = None
        self._stamp: tuple[tuple[int, int, int], ...] = ()

    def project(self) -> WithFolder:
        """The project as it is now: the same object while its settings and documents file
        are unchanged, a newly opened one once either changed (a server project: opened once,
        its document list read again at each call)."""
        if self.url is not None:
            if self._project is None:
                self._project = with_folder(open_store(self.url))
            else:
                reload = getattr(self._project.documents, "reload", None)
                if reload is not None:
                    reload()
            return self._project
        stamp = (stat_key(self.root / CONFIG), stat_key(self.root / "documents.jsonl"))
        if self._project is None or stamp != self._stamp:
            self._project = Project.open(self.root, quick=self.quick)
            self._stamp = stamp
        return self._project

    def renewed(self, since: WithFolder | None) -> bool:
        """True when ``project()`` now gives another object than ``since``."""
        return self.project() is not since

    def close(self) -> None:
        """End what the reader holds (a server store's connections)."""
        project, self._project = self._project, None
        if project is not None and self.url is not None:
            project.close()

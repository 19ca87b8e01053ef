"""The team's numbers the window shows a lead, counted off the GUI thread and kept live.

``TeamData`` counts ``project_progress`` (the table ``annotator progress`` prints) and, per
document, who is assigned and their status (``document_states``) in a worker thread that
reads through a project of its own (decision 0063). It recounts when the project's
``ProjectChanges`` source says others' work changed (a file watcher on a folder), and on
``refresh()``. A recount asked for while one runs starts when it ends: never two at once,
never a lost one.

Signals:
    started(): a recount began.
    updated(): ``numbers`` holds fresh figures.
    failed(str): the recount failed (one line); the old figures stay.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from annotator.core import reads
from annotator.core.activity import read_work
from annotator.core.errors import AnnotatorError
from annotator.core.model import Status
from annotator.core.progress import Progress, project_progress
from annotator.core.project import Project
from annotator.core.reading import ProjectReader
from annotator.core.team import document_states
from annotator.ui.review.project_changes import ProjectChanges

States = dict[str, tuple[tuple[str, Status | None], ...]]


@dataclass(frozen=True)
class TeamNumbers:
    """One recount: the progress table, each document's people, and what the count cost."""

    progress: Progress
    states: States
    seconds: float


class _Worker(QThread):
    done = Signal(object)
    failed = Signal(str)

    def __init__(self, root: Path | str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reader = ProjectReader(root)

    def run(self) -> None:
        start = time.perf_counter()
        try:
            project = self.reader.project()
            plan = project.assignments()
            # read once for both: a folder's files directly, a server's in bulk
            work = read_work(project.root) if isinstance(project, Project) else reads.work(project)
            progress = project_progress(project, work, plan)
            states = document_states(project, work, plan)
        except (AnnotatorError, OSError, ValueError) as exc:
            self.failed.emit(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return
        finally:
            self.reader.close()
        self.done.emit(TeamNumbers(progress, states, time.perf_counter() - start))


class TeamData(QObject):
    """See the module docstring."""

    started = Signal()
    updated = Signal()
    failed = Signal(str)

    def __init__(
        self, root: Path | str, changes: ProjectChanges, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.root = root
        self.numbers: TeamNumbers | None = None
        self.error: str | None = None
        self._worker: _Worker | None = None
        self._again = False
        self._stopped = False
        changes.changed.connect(self.refresh)

    @property
    def busy(self) -> bool:
        """True while a recount runs."""
        return self._worker is not None

    def refresh(self) -> None:
        """Recount now (or as soon as the running recount ends)."""
        if self._stopped:
            return
        if self._worker is not None:
            self._again = True
            return
        self._again = False
        worker = _Worker(self.root, self)
        worker.done.connect(self._done)
        worker.failed.connect(self._failed)
        worker.finished.connect(self._finished)
        self._worker = worker
        self.started.emit()
        worker.start()

    def stop(self) -> None:
        """Recount no more (the window closes); waits for a running recount."""
        self._stopped = True
        self._again = False
        worker = self._worker
        if worker is not None:
            worker.wait(60_000)

    def _done(self, numbers: TeamNumbers) -> None:
        self.numbers = numbers
        self.error = None
        self.updated.emit()

    def _failed(self, message: str) -> None:
        self.error = message
        self.failed.emit(message)

    def _finished(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.deleteLater()
        if self._again:
            self.refresh()

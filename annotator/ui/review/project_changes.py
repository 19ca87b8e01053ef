"""Where the window learns that others changed the project: the live-update source.

``ProjectChanges`` is the small interface every live view listens to (the agreement
dashboard, the Progress pane, an annotator's queue): one ``changed`` signal, emitted once for a
burst of changes (``DEBOUNCE_MS``), and ``stop()``. It says *that* something changed, not
what; the views recount from the store.

On a project folder (``FolderChanges``) a ``QFileSystemWatcher`` watches ``annotations/``
and the annotators' files, the journals in ``.annotator/`` and the plan
(``assignments.jsonl``). Files written by replacement are new files, so the watch list is
renewed after every change. A store on a server plugs in its own implementation (the server's
notifications) behind the same signal; ``changes_of`` picks the one that fits the project.

Signals:
    changed(): annotations, journals or the plan changed (debounced).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from annotator.core.project import Project
from annotator.core.storage import ProjectStore

DEBOUNCE_MS = 400


class ProjectChanges(QObject):
    """The interface: ``changed`` after others' work changed the project; ``stop()``."""

    changed = Signal()

    def stop(self) -> None:
        """Report no more changes (the window closes)."""


class FolderChanges(ProjectChanges):
    """``ProjectChanges`` of a project folder, from a file-system watcher."""

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self._stopped = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._seen)
        self.watcher.fileChanged.connect(self._seen)
        self.watch()

    def paths(self) -> list[str]:
        """What is watched now: the folders, each annotator's file and journal, the plan."""
        project = self.project
        paths: list[str] = [str(project.root)]
        for folder, pattern in (
            (project.annotations_dir, "*.jsonl"),
            (project.state_dir, "*.journal"),
        ):
            if folder.is_dir():
                paths.append(str(folder))
                paths += sorted(str(p) for p in folder.glob(pattern))
        plan = Path(project.assignments_path)
        if plan.is_file():
            paths.append(str(plan))
        return paths

    def watch(self) -> None:
        """Add the files that appeared since the last look (a replaced file is a new one)."""
        have = set(self.watcher.directories()) | set(self.watcher.files())
        new = [p for p in self.paths() if p not in have]
        if new:
            self.watcher.addPaths(new)

    def stop(self) -> None:
        self._stopped = True
        self._debounce.stop()
        self.watcher.blockSignals(True)

    def _seen(self, _path: str) -> None:
        if not self._stopped:
            self._debounce.start()

    def _emit(self) -> None:
        self.watch()
        if not self._stopped:
            self.changed.emit()


def changes_of(window: QObject, project: ProjectStore) -> ProjectChanges:
    """The window's one source of changes (made on first use): a folder's file watcher, a
    server's notifications; it stops when the window closes."""
    found = window.findChild(ProjectChanges, "project_changes")
    if isinstance(found, ProjectChanges):
        return found
    changes: ProjectChanges
    if isinstance(project, Project):
        changes = FolderChanges(project, window)
    else:
        from annotator.ui.server.server_changes import ServerChanges

        changes = ServerChanges(project, window)
    changes.setObjectName("project_changes")
    closed = getattr(window, "closed", None)
    if closed is not None:
        closed.connect(changes.stop)
    return changes

"""The project's full indexes, built behind the first paint (decision 0046).

The window opens its project with quick indexes (``core.quick_index``): each line's place
and id, from a byte scan or a small cache, so the first document shows at once. Everything that
needs every record's summary (the progress counts, the status and text filters, the list's
status icons of documents not yet looked at, the count of unreadable lines) waits for the full
indexes, which a worker thread builds through a project of its own (decision 0063), from their
caches when the files have not changed. The GUI thread then adopts them, if they are of the
files as the window has them; if not (a compaction or an import came between), they are built
again. Until then the documents pane says "Indexing…".

Edits made meanwhile go through the quick index, which validates a line the first time it is
read: nothing waits for the full index but the figures. Automatic compactions wait for it
(``AnnotatorWork.index_ready``), so the index built is of the file the window still has.

Signals:
    completed(bool): the full indexes were adopted; True when the document ids changed (lines
        the quick scan took for records were found unreadable).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal

from annotator.core.annotation_file import annotation_kind
from annotator.core.documents import DOCUMENTS
from annotator.core.errors import AnnotatorError, RecordError
from annotator.core.index import IndexStopped, build_index
from annotator.core.project import Project
from annotator.core.store import Session

if TYPE_CHECKING:
    from annotator.ui.annotating.annotator_work import AnnotatorWork

START_LATEST_MS = 1000  # the build starts after the first paint, or this long after opening


def unreadable_notice(errors: Sequence[RecordError]) -> str:
    """The notice of lines that could not be read ("" when there are none)."""
    if not errors:
        return ""
    return (
        QCoreApplication.translate(
            "app", "Lines that could not be read are left as they are (%1); the first: %2"
        )
        .replace("%1", str(len(errors)))
        .replace("%2", str(errors[0]))
    )


class _Build(QThread):
    built = Signal(object, object)
    failed = Signal(str)

    def __init__(self, root: Path, name: str, hold: Callable[[], Any] | None, parent: QObject):
        super().__init__(parent)
        self.root = root
        self.name = name
        self.hold = hold

    def run(self) -> None:
        if self.hold is not None:
            self.hold()
        stop = self.isInterruptionRequested  # the window closes: stop within a few lines
        try:
            # its own project and full indexes (decision 0063), as Project and AnnotationFile
            # make them, but able to stop
            project = Project.open(self.root)
            documents = build_index(
                project.documents_path, DOCUMENTS, project.index_cache("documents"), stop=stop
            )
            kind = annotation_kind(frozenset(project.config.label_names))
            path = project.annotations_dir / f"{self.name}.jsonl"
            annotations = build_index(path, kind, project.index_cache(self.name), stop=stop)
        except IndexStopped:
            return
        except (AnnotatorError, OSError) as exc:
            self.failed.emit(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return
        self.built.emit(documents, annotations)


class IndexWorker(QObject):
    """Builds and adopts the full indexes of ``work``'s project; see the module docstring."""

    completed = Signal(bool)
    failed = Signal(str)

    hold: ClassVar[Callable[[], Any] | None] = None
    """Called in the worker's thread before it builds (tests hold it back with an event)."""

    def __init__(self, work: AnnotatorWork, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.ready = work.indexes_complete()
        self._build: _Build | None = None
        self._started = False
        self._stopped = False

    def start(self) -> None:
        """Build the full indexes (once; nothing to do when they are there already)."""
        if self.ready or self._started or self._stopped:
            return
        self._started = True
        self._run()

    def start_later(self) -> None:
        """Start after ``START_LATEST_MS`` if nothing started it before (an empty text)."""
        QTimer.singleShot(START_LATEST_MS, self, self.start)

    def _run(self) -> None:
        build = _Build(self.work.project.root, self.work.name, type(self).hold, self)
        build.built.connect(self._built)
        build.failed.connect(self.failed)
        build.finished.connect(build.deleteLater)
        self._build = build
        build.start()

    def _built(self, documents: Any, annotations: Any) -> None:
        self._build = None
        if self._stopped:
            return
        project, store = self.work.project, self.work.store
        assert isinstance(project, Project)  # a server project is ready from the start
        assert isinstance(store, Session)
        file = store.file
        changed = project.documents.adopt(documents)
        if changed is None or not file.adopt(annotations):
            self._run()  # of another state of a file (an import, a compaction): again
            return
        self.ready = True
        self.completed.emit(changed)

    def stop(self) -> None:
        """The window closes: stop the worker (it only reads; it stops within a few
        hundred lines) and wait for it; adopt nothing more."""
        self._stopped = True
        build = self._build
        if build is not None:
            build.requestInterruption()
            build.wait()

"""The document filter's search of the documents' text, off the window's thread.

The filter box matches titles and ids at once (they are in the index); the text of 100,000
documents is searched by ``core.search.TextSearch`` in a worker thread, which reads through a
project of its own (decision 0063). The first search of a session may make the cached copy of
the texts (about as long as reading the documents file once, measured by
``bench/bench_search.py``); later ones take a small fraction of that. Only the latest query
counts: one asked for while a search runs is searched when it ends, and those typed in between
are dropped.

Signals:
    found(str, list): the query (as asked) and the rows whose text holds it, in list order.
    failed(str): the search could not be made (one line); the title filter still works.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

from annotator.core.documents import DocumentStore
from annotator.core.errors import AnnotatorError
from annotator.core.reading import ProjectReader
from annotator.core.search import TextSearch


class _Worker(QThread):
    done = Signal(str, object)
    failed = Signal(str)

    def __init__(self, owner: BodySearch, query: str) -> None:
        super().__init__(owner)
        self.owner = owner
        self.query = query

    def run(self) -> None:
        owner = self.owner
        try:
            project = owner.reader.project() if owner.reader is not None else None
            if project is None or not isinstance(project.documents, DocumentStore):
                raise AnnotatorError(
                    QCoreApplication.translate(
                        "BodySearch", "searching the texts needs a project folder"
                    )
                )
            if owner.search is None or owner.searched is not project:
                if owner.search is not None:
                    owner.search.close()
                    owner.search = None
                owner.search = TextSearch.open(project.documents, project.state_dir / "cache")
                owner.searched = project
            rows = owner.search.find(self.query)
            owner.rows_searched = owner.search.rows
        except (AnnotatorError, OSError, ValueError) as exc:
            self.failed.emit(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return
        self.done.emit(self.query, rows)


class BodySearch(QObject):
    """See the module docstring. ``stop()`` before the window goes away."""

    found = Signal(str, list)
    failed = Signal(str)

    def __init__(self, root: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reader = ProjectReader(root) if root is not None else None
        self.search: TextSearch | None = None  # used by one worker at a time
        self.searched: object = None  # the reader's project the search was made from
        self.rows_searched = -1  # how many documents the last search looked at
        self._worker: _Worker | None = None
        self._pending: str | None = None
        self._result: tuple[str, list[int]] | None = None
        self._error: str | None = None
        self._stopped = False

    @property
    def busy(self) -> bool:
        """True while a search runs or waits."""
        return self._worker is not None or self._pending is not None

    def request(self, query: str) -> None:
        """Search for ``query`` now, or when the running search ends."""
        if self._stopped:
            return
        if self._worker is not None:
            self._pending = query
            return
        self._pending = None
        worker = _Worker(self, query)
        worker.done.connect(self._done)
        worker.failed.connect(self._failed)
        worker.finished.connect(self._finished)
        self._worker = worker
        worker.start()

    def _done(self, query: str, rows: object) -> None:
        if isinstance(rows, list):
            self._result = (query, rows)

    def _failed(self, message: str) -> None:
        self._error = message

    def _finished(self) -> None:
        """Told once the worker is done (so ``busy`` is already false for the listeners)."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.deleteLater()
        result, error, self._result, self._error = self._result, self._error, None, None
        if self._pending is not None:
            self.request(self._pending)
        elif self._stopped:
            return
        elif result is not None:
            self.found.emit(*result)
        elif error is not None:
            self.failed.emit(error)

    def stop(self) -> None:
        """Search no more: wait for a running search, release the copy of the texts."""
        self._stopped = True
        self._pending = None
        worker = self._worker
        if worker is not None:
            worker.wait()
        if self.search is not None:
            self.search.close()
            self.search = None

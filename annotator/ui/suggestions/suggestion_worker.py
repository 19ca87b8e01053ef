"""A document's suggestions computed off the window's thread, the newest request first.

Rules take 1-3 ms on a 3 KB article but 200 ms or more on a 200 KB one, and loading the
project's model imports spaCy (about a second): neither may hold up opening a document. A
``BackgroundSuggester`` owns one worker thread; ``ask`` queues a request, and a request that
a newer one has overtaken before it started is skipped, so paging quickly through documents
computes only the one the annotator stops on. The worker reads through a project of its own
(``core.reading``, decision 0063), renewed when the documents or the settings change.

Signals of ``BackgroundSuggester``:
    computed(int, str, object, str): request number, document id, the suggestions (all of
        them: the window filters them against its annotation, which may have changed
        meanwhile), and an error message ("" if none).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from annotator.core.errors import AnnotatorError
from annotator.core.open import WithFolder, reading_location
from annotator.core.reading import ProjectReader
from annotator.core.suggest.record import Suggestion

if TYPE_CHECKING:
    from annotator.core.suggest import Suggester


class _Worker(QObject):
    """Lives in the worker thread; one Suggester per source, each with its own caches."""

    computed = Signal(int, str, object, str)

    def __init__(self, root: Path | str, annotator: str) -> None:
        super().__init__()
        # quick indexes: one document is read at a time, by id (decision 0046)
        self.reader = ProjectReader(root, quick=True)
        self.project: WithFolder | None = None  # the one the suggesters were made for
        self.annotator = annotator
        self.latest = 0  # written by the window's thread: older requests are skipped
        self._suggesters: dict[str, Suggester] = {}

    @Slot(int, str, str)
    def compute(self, request: int, doc_id: str, mode: str) -> None:
        if request != self.latest:
            return  # the annotator has moved on
        found: list[Suggestion] = []
        error = ""
        try:
            found = self._suggester(mode).for_document(doc_id, None, self.annotator)
        except Exception as exc:  # the worker must answer, whatever went wrong
            error = str(exc) if isinstance(exc, AnnotatorError) else f"{type(exc).__name__}: {exc}"
            if mode == "both":  # the model failed (no spaCy?): the rules still work
                try:
                    found = self._suggester("rules").for_document(doc_id, None, self.annotator)
                except Exception:  # the first error is the one to report
                    found = []
        self.computed.emit(request, doc_id, found, error)

    def _suggester(self, mode: str) -> Suggester:
        if self.reader.renewed(self.project):  # an import, a new label: start afresh
            self.project = self.reader.project()
            self._suggesters.clear()
        if mode not in self._suggesters:
            assert self.project is not None
            # the rules and the model are imported here, in this thread, not while the
            # window starts
            from annotator.core.suggest.engine import Suggester

            self._suggesters[mode] = Suggester(self.project, mode)
        return self._suggesters[mode]


class BackgroundSuggester(QObject):
    """See the module docstring."""

    computed = Signal(int, str, object, str)
    _requested = Signal(int, str, str)

    def __init__(self, project: WithFolder, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = _Worker(reading_location(project), annotator)
        self._thread = QThread(self)
        self._thread.setObjectName("suggestions_thread")
        self._worker.moveToThread(self._thread)
        self._requested.connect(self._worker.compute, Qt.ConnectionType.QueuedConnection)
        self._worker.computed.connect(self.computed, Qt.ConnectionType.QueuedConnection)
        self._thread.start()

    def ask(self, request: int, doc_id: str, mode: str) -> None:
        """Compute the suggestions of ``doc_id`` from ``mode``; ``computed`` answers."""
        self._worker.latest = request
        self._requested.emit(request, doc_id, mode)

    def stop(self) -> None:
        """End the thread (after the request it is working on, if any)."""
        self._thread.quit()
        self._thread.wait()
        self._worker.reader.close()  # a server project's connections (the thread has ended)

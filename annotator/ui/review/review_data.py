"""The numbers Review mode shows, computed off the GUI thread and refreshed when files change.

``ReviewData`` is the one source both review panes read: the agreement dashboard and the
adjudication queue. It loads every annotator's done annotations (journals included, so an
annotator's unsaved-to-JSONL edits count) with the same core functions as
``annotator agreement``, computes the report and each annotator's accuracy against gold in a
worker thread, and emits ``updated`` on the GUI thread when they are ready. The worker reads
through a project of its own (``core.reading``, decision 0063), never the window's.

Annotators usually work on their own machines and share the project folder (a network drive,
a synced folder). The project's ``ProjectChanges`` source (``project_changes``: on a folder a
file watcher on ``annotations/``, the journals and the plan) says when their files change,
once per burst, so a burst of journal appends costs one recount; a recount asked for while one
runs starts when it ends (never two at once, never a lost one).
``refresh()`` recounts on demand (Review > Reload).

Signals:
    started(): a recount began.
    updated(): ``report``/``gold`` hold fresh numbers.
    failed(str): the recount failed (one line: what and where); the old numbers stay.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from annotator.core.agreement import (
    AgreementReport,
    Corpus,
    GoldScores,
    against_gold,
    agreement_report,
    load_corpus,
)
from annotator.core.errors import AnnotatorError
from annotator.core.open import WithFolder, reading_location
from annotator.core.reading import ProjectReader
from annotator.ui.review.project_changes import FolderChanges, ProjectChanges, changes_of


@dataclass(frozen=True)
class ReviewNumbers:
    """One recount: the corpus it read, the report, accuracy against gold, and its cost."""

    corpus: Corpus
    report: AgreementReport
    gold: list[GoldScores]
    seconds: float


class _Worker(QThread):
    """Computes one ``ReviewNumbers`` for a project; emits it (or an error line) at the end."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, root: Path | str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reader = ProjectReader(root)

    def run(self) -> None:
        start = time.perf_counter()
        try:
            corpus = load_corpus(self.reader.project())
            report = agreement_report(corpus)
            gold = against_gold(corpus)
        except (AnnotatorError, OSError, ValueError) as exc:
            self.failed.emit(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return
        finally:
            self.reader.close()
        self.done.emit(ReviewNumbers(corpus, report, gold, time.perf_counter() - start))


class ReviewData(QObject):
    """See the module docstring."""

    started = Signal()
    updated = Signal()
    failed = Signal(str)

    def __init__(
        self,
        project: WithFolder,
        parent: QObject | None = None,
        changes: ProjectChanges | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.numbers: ReviewNumbers | None = None
        self.error: str | None = None
        self._worker: _Worker | None = None
        self._again = False
        self._stopped = False
        self.changes = changes if changes is not None else changes_of(self, project)
        self.changes.changed.connect(self.refresh)

    # -- what the panes read -------------------------------------------------------------

    @property
    def report(self) -> AgreementReport | None:
        """The latest agreement report, or None before the first recount ends."""
        return self.numbers.report if self.numbers is not None else None

    @property
    def gold(self) -> list[GoldScores]:
        """Each annotator against gold ([] without gold or before the first recount)."""
        return self.numbers.gold if self.numbers is not None else []

    @property
    def busy(self) -> bool:
        """True while a recount runs."""
        return self._worker is not None

    # -- recounting ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Recount now (or as soon as the running recount ends)."""
        if self._stopped:
            return
        if self._worker is not None:
            self._again = True
            return
        self._again = False
        worker = _Worker(reading_location(self.project), self)
        worker.done.connect(self._done)
        worker.failed.connect(self._failed)
        worker.finished.connect(self._finished)
        self._worker = worker
        self.started.emit()
        worker.start()

    def wait(self, ms: int = 60_000) -> bool:
        """Block until the running recount ends (for closing the window); True if none runs."""
        worker = self._worker
        return worker is None or worker.wait(ms)

    def stop(self) -> None:
        """Recount no more (the window closes): drop pending recounts, wait for a running one.

        A recount started after this point could outlive the window that owns this object.
        """
        self._stopped = True
        self._again = False
        self.changes.changed.disconnect(self.refresh)
        self.wait()

    def _done(self, numbers: ReviewNumbers) -> None:
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
        if isinstance(self.changes, FolderChanges):
            self.changes.watch()  # files written by replacement are new files: watch them again
        if self._again:
            self.refresh()


def review_data_of(window: QObject, project: WithFolder) -> ReviewData:
    """The window's one ``ReviewData`` (made on first use), shared by every review pane; it
    stops recounting when the window closes."""
    found = window.findChild(ReviewData, "review_data")
    if isinstance(found, ReviewData):
        return found
    data = ReviewData(project, window, changes_of(window, project))
    data.setObjectName("review_data")
    closed = getattr(window, "closed", None)  # MainWindow's: no recount may outlive it
    if closed is not None:
        closed.connect(data.stop)
    return data

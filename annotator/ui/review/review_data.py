"""The numbers Review mode shows, computed off the GUI thread and refreshed when files change.

``ReviewData`` is the one source both review panes read: the agreement dashboard and the
adjudication queue. It loads every annotator's done annotations (journals included, so an
annotator's unsaved-to-JSONL edits count) with the same core functions as
``annotator agreement``, computes the report and each annotator's accuracy against gold in a
worker thread, and emits ``updated`` on the GUI thread when they are ready. The worker reads
through a project of its own (``core.reading``, decision 0063), never the window's.

Annotators usually work on their own machines and share the project folder (a network drive,
a synced folder). A ``QFileSystemWatcher`` on ``annotations/`` and the journals notices their
files change; changes are gathered for ``DEBOUNCE_MS`` so a burst of journal appends costs one
recount, and a recount asked for while one runs starts when it ends (never two at once, never a
lost one).
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

from PySide6.QtCore import QFileSystemWatcher, QObject, QThread, QTimer, Signal

from annotator.core.agreement import (
    AgreementReport,
    Corpus,
    GoldScores,
    against_gold,
    agreement_report,
    load_corpus,
)
from annotator.core.errors import AnnotatorError
from annotator.core.project import Project
from annotator.core.reading import ProjectReader

DEBOUNCE_MS = 400


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

    def __init__(self, root: Path, parent: QObject | None = None) -> None:
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
        self.done.emit(ReviewNumbers(corpus, report, gold, time.perf_counter() - start))


class ReviewData(QObject):
    """See the module docstring."""

    started = Signal()
    updated = Signal()
    failed = Signal(str)

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.numbers: ReviewNumbers | None = None
        self.error: str | None = None
        self._worker: _Worker | None = None
        self._again = False
        self._stopped = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._changed)
        self.watcher.fileChanged.connect(self._changed)
        self._watch()

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
        self._debounce.stop()
        if self._stopped:
            return
        if self._worker is not None:
            self._again = True
            return
        self._again = False
        worker = _Worker(self.project.root, self)
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
        self._debounce.stop()
        self.watcher.blockSignals(True)
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
        self._watch()  # files written by replacement are new files: watch them again
        if self._again:
            self.refresh()

    # -- watching ------------------------------------------------------------------------

    def _watch(self) -> None:
        paths: list[str] = []
        for folder, pattern in (
            (self.project.annotations_dir, "*.jsonl"),
            (self.project.state_dir, "*.journal"),
        ):
            if folder.is_dir():
                paths.append(str(folder))
                paths += sorted(str(p) for p in folder.glob(pattern))
        have = set(self.watcher.directories()) | set(self.watcher.files())
        new = [p for p in paths if p not in have]
        if new:
            self.watcher.addPaths(new)

    def _changed(self, _path: str) -> None:
        self._debounce.start()


def review_data_of(window: QObject, project: Project) -> ReviewData:
    """The window's one ``ReviewData`` (made on first use), shared by every review pane; it
    stops recounting when the window closes."""
    found = window.findChild(ReviewData, "review_data")
    if isinstance(found, ReviewData):
        return found
    data = ReviewData(project, window)
    data.setObjectName("review_data")
    closed = getattr(window, "closed", None)  # MainWindow's: no recount may outlive it
    if closed is not None:
        closed.connect(data.stop)
    return data

"""``ProjectChanges`` of a server project: the server's notifications (LISTEN/NOTIFY).

The store's ``Listener`` thread hears each commit's notice (decision 0083); here it is posted
to the window's thread and, after a short pause that gathers a burst (``GATHER_MS``), the
views are told once: ``changed`` (recount), ``documents_changed`` (the list of documents this
person may read changed: a document assigned or taken away, an import), and the plan's
version goes up when an assignment changed. After a reconnection (``resync``) everything is
re-read once, since notices sent meanwhile were lost.

On a lead's window the changed documents also go to a ``PartsKeeper`` (decision 0101): on a
thread of its own it computes the agreement parts of those now done by two or more
annotators, so the lead's next report finds them; it catches up over the whole project when
the window opens and after a reconnection. A document it cannot compute is skipped and named,
and the keeper or the listener stopping on a fault (an error that is not the server's) is told
(``problem``) rather than left to look alive (decision 0112): the window says so, and parts
are no longer kept, or notices no longer heard, until it is opened again.

Signals:
    changed(): someone's annotations, gold, the plan or the documents changed.
    documents_changed(): the plan or the documents changed (the list is read again).
    problem(str): the keeper skipped a document or stopped, or the listener stopped (one
        line; ``problems`` keeps them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from annotator.core.storage import ProjectStore
from annotator.ui.review.project_changes import ProjectChanges
from annotator.ui.server import server_store

if TYPE_CHECKING:
    from annotator.core.pg.keeper import PartsKeeper
    from annotator.core.pg.listen import Listener, Notice

GATHER_MS = 60
"""A burst of notices (a backlog of 50 edits arrives in one commit) is one recount."""


class ServerChanges(ProjectChanges):
    """See the module docstring."""

    documents_changed = Signal()
    problem = Signal(str)
    _heard = Signal(object)  # from the listener's thread
    _warned = Signal(str)  # from the keeper's thread

    def __init__(self, project: ProjectStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan_version = 0
        self.heard = 0  # notices received (for tests and the status bar)
        self.problems: list[str] = []
        self._documents = False
        self._stopped = False
        self._gather = QTimer(self)
        self._gather.setSingleShot(True)
        self._gather.setInterval(GATHER_MS)
        self._gather.timeout.connect(self._emit)
        self._heard.connect(self._arrived, Qt.ConnectionType.QueuedConnection)
        self._warned.connect(self._told, Qt.ConnectionType.QueuedConnection)
        store = server_store(project)
        self.keeper: PartsKeeper | None = None
        if store is not None and store.is_lead:
            from annotator.core.pg.keeper import PartsKeeper

            self.keeper = PartsKeeper(store, warned=self._warned.emit)
        self.listener: Listener | None = store.listen(self._heard.emit) if store else None

    def _arrived(self, notice: Notice) -> None:
        if self._stopped:
            return
        if notice.kind == "stopped":  # the listener ended on a fault
            listener = self.listener
            self._told(f"the server's notices are no longer heard: {listener and listener.fault}")
            return
        self.heard += 1
        if self.keeper is not None:
            if notice.kind == "annotations":
                self.keeper.add(notice.document)
            elif notice.kind == "resync":
                self.keeper.add(None)
        if notice.kind in ("assignments", "documents", "labels", "resync"):
            self._documents = True
            if notice.kind in ("assignments", "resync"):
                self.plan_version += 1
        self._gather.start()

    def _told(self, line: str) -> None:
        if self._stopped:
            return
        self.problems.append(line)
        self.problem.emit(line)

    def _emit(self) -> None:
        if self._stopped:
            return
        if self._documents:
            self._documents = False
            self.documents_changed.emit()
        self.changed.emit()

    def stop(self) -> None:
        self._stopped = True
        self._gather.stop()
        listener, self.listener = self.listener, None
        if listener is not None:
            listener.stop()
        keeper, self.keeper = self.keeper, None
        if keeper is not None:
            keeper.stop()

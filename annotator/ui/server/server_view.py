"""What a window on a server project adds: saved and synced apart in the title, refusals and
conflicts shown, and the document list following the plan (decision 0084).

``install(window)`` runs as the window opens and does nothing on a folder project. On a server
project it follows the sender (``SyncWatch``): the title says "saved · 3 waiting to sync",
"offline · 12 waiting"; an edit the server's rules refused is a message; when the server
kept a version aside the banner says so and File > Resolve conflicts… opens the chooser. The
server's notices (``ServerChanges``) make the list of documents follow the plan: a document
newly assigned appears, one the lead took away goes. What goes wrong behind the window (the
lead's keeper skipped a document or stopped, the notices are no longer heard) is the banner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from annotator.ui.review.project_changes import changes_of
from annotator.ui.server import server_store
from annotator.ui.server.server_changes import ServerChanges
from annotator.ui.server.sync_state import SyncWatch
from annotator.ui.widgets.boxes import open_warning

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow


class ServerView(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("server_view")
        self.window = window
        work = window.work
        project = server_store(work.project)
        assert project is not None
        from annotator.core.pg.session import PgSession

        self.session = work.store if isinstance(work.store, PgSession) else None
        self.watch: SyncWatch | None = None
        if self.session is not None and not self.session.read_only:
            self.watch = SyncWatch(project, self.session, self)
            self.watch.changed.connect(self._sync_changed)
            self.watch.refused.connect(self._refused)
            self.watch.conflicts_appeared.connect(self._conflicts_appeared)
            self.watch.restored.connect(self._restored)
            window.registry.bind("file.conflicts", self.open_conflicts)
            self._sync_changed()
            if self.session.save_state.conflicts:
                self._conflicts_appeared(self.session.save_state.conflicts)
        self.changes = changes_of(window, work.project)
        if isinstance(self.changes, ServerChanges):
            self.changes.documents_changed.connect(self._documents_changed)
            self.changes.problem.connect(self._background_problem)
        window.closed.connect(self._stop)

    def _sync_changed(self) -> None:
        self.window.update_title()
        state = self.session.save_state if self.session is not None else None
        self.window.registry["file.conflicts"].setEnabled(bool(state and state.conflicts))

    def _refused(self, reason: str) -> None:
        self.window.statusBar().showMessage(reason, 10_000)
        open_warning(
            self.window,
            self.tr("The server refused an edit"),
            self.tr("%1\n\nThe edit is kept on this computer and will not be sent again.").replace(
                "%1", reason
            ),
            "server_refused_box",
        )

    def _conflicts_appeared(self, count: int) -> None:
        self.window.show_notice(
            self.tr(
                "%n document(s) were also changed on another computer. Both versions are kept: "
                "File > Resolve conflicts… shows them and you choose.",
                "",
                count,
            )
        )

    def _restored(self, count: int) -> None:
        """The server lost edits of this desktop in a restore; they were sent again (0122)."""
        self.window.show_notice(
            QCoreApplication.translate(
                "app", "The server was restored from a backup: edits sent again: %1."
            ).replace("%1", str(count))
        )

    def open_conflicts(self) -> None:
        """File > Resolve conflicts…: the chooser."""
        if self.session is None:
            return
        from annotator.ui.server.conflicts_dialog import ConflictsDialog

        dialog = ConflictsDialog(self.session, self.window)
        dialog.resolved.connect(self._resolved)
        dialog.exec()
        dialog.deleteLater()
        self._sync_changed()
        if self.session.save_state.conflicts == 0:
            self.window.notice.hide()

    def _resolved(self, doc_id: str) -> None:
        work = self.window.work
        if work.doc_id == doc_id:
            work.refresh_document()
        self.window.document_model.status_updated(doc_id)

    def _background_problem(self, line: str) -> None:
        """The keeper or the listener behind the window went wrong: the banner says it."""
        self.window.show_notice(self.tr("In the background: %1").replace("%1", line))

    def _documents_changed(self) -> None:
        """The plan or the documents changed on the server: the list is read again."""
        self.window.document_model.reload()

    def _stop(self) -> None:
        if self.watch is not None:
            self.watch.stop()


def install(window: MainWindow) -> ServerView | None:
    """On a server project, the ``ServerView`` of ``window``; None on a folder."""
    if server_store(window.work.project) is None:
        return None
    return ServerView(window)

"""The window's team features: Review > Progress, Review > Assign, a lead's document list, and
an annotator's queue that follows the plan (decision 0073).

``install(window)`` runs as the window opens. For an annotator of a planned project (blind)
Progress and Assign stay disabled (a lead's tools), and suggestions come from the rules only
(the project's model learns from everyone's work). For the others they open a
Progress dock (``progress_pane``, counted by ``TeamData``) and the Assign dialog
(``assign_dialog``). A lead's document list shows, after each title, who is assigned and each
one's status, refreshed with every recount. When the lead changes the plan, everyone's window
follows it: the list, the queue and the progress bar are worked out again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt

from annotator.core.open import reading_location
from annotator.core.project import Project
from annotator.core.work_scope import WorkScope, people_text
from annotator.ui.review.project_changes import ProjectChanges, changes_of
from annotator.ui.review.review_menu import BLIND_TIP
from annotator.ui.window.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from annotator.ui.review.progress_pane import ProgressPane
    from annotator.ui.review.team_data import TeamData
    from annotator.ui.window.main_window import MainWindow


class TeamView(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("team_view")
        self.window = window
        self.data: TeamData | None = None
        self.pane: ProgressPane | None = None
        project = window.work.project
        self.changes: ProjectChanges = changes_of(window, project)
        self._plan_stamp = self._stamp()
        self.changes.changed.connect(self._plan_maybe_changed)
        window.closed.connect(self._stop)
        registry = window.registry
        if window.scope.blind:
            tip = QCoreApplication.translate("review", BLIND_TIP)

            # the model learns from everyone's work: on a shared document it would echo what
            # the other annotator labelled, so a blind annotator gets rule suggestions only
            def rules_only() -> None:
                if window.suggestions.mode in ("model", "both"):
                    window.suggestions.set_mode("rules")

            window.after_start(rules_only)  # the suggestions are built after the first paint
            for action_id in (
                "review.progress",
                "review.assign",
                "suggest.train",
                "suggest.from.model",
                "suggest.from.both",
            ):
                registry[action_id].setEnabled(False)
                registry[action_id].setToolTip(tip)
        else:
            for action_id, handler in (
                ("review.progress", self.open_progress),
                ("review.assign", self.open_assign),
            ):
                registry[action_id].setEnabled(True)
                registry.bind(action_id, handler)
            registry["review.reload"].triggered.connect(self._reload)
        if window.scope.lead:
            data = self.ensure_data()
            data.updated.connect(self._show_people)
            data.refresh()

    # -- Progress --------------------------------------------------------------------------

    def ensure_data(self) -> TeamData:
        """The window's TeamData (made on first use)."""
        if self.data is None:
            from annotator.ui.review.team_data import TeamData  # the planning code: on use

            self.data = TeamData(reading_location(self.window.work.project), self.changes, self)
        return self.data

    def open_progress(self) -> None:
        """Review > Progress: show the dock, counting first if nothing was counted yet."""
        from annotator.ui.review.progress_pane import ProgressPane

        data = self.ensure_data()
        if self.pane is None:
            self.pane = ProgressPane(self.window)
            self.pane.status.set_reload_action(self.window.registry["review.reload"])
            self.pane.attach(data)
            self.window.add_dock(
                self.pane,
                "progress_dock",
                QT_TRANSLATE_NOOP("MainWindow", "Progress"),
                Qt.DockWidgetArea.BottomDockWidgetArea,
            )
        dock = self.window.docks["progress_dock"]
        dock.show()
        dock.raise_()
        if data.numbers is None and not data.busy:
            data.refresh()

    def _reload(self) -> None:
        if self.data is not None:
            self.data.refresh()

    # -- Assign ----------------------------------------------------------------------------

    def open_assign(self) -> None:
        """Review > Assign: the dialog; after writing, the window follows the new plan."""
        from annotator.ui.review.assign_dialog import AssignDialog

        dialog = AssignDialog(self.window.work.project, self.window.work.name, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._assigned)
        dialog.open()

    def _assigned(self) -> None:
        self._plan_maybe_changed()
        self.window.statusBar().showMessage(
            self.tr("The plan is written and recorded in the assign history."), 8000
        )
        if self.data is not None:
            self.data.refresh()

    # -- a lead's list, and the plan changing under everyone ------------------------------------

    def _show_people(self) -> None:
        data = self.data
        numbers = data.numbers if data is not None else None
        if numbers is None:
            return
        states = numbers.states
        self.window.document_model.set_people(lambda d: people_text(states.get(d, ())))

    def _stamp(self) -> tuple[int, int] | None:
        project = self.window.work.project
        if not isinstance(project, Project):  # a server's notices count the plan's changes
            return (getattr(self.changes, "plan_version", 0), 0)
        try:
            st = project.assignments_path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _plan_maybe_changed(self) -> None:
        stamp = self._stamp()
        if stamp == self._plan_stamp:
            return
        self._plan_stamp = stamp
        window = self.window
        project = window.work.project
        old = window.scope
        window.scope = WorkScope(project.documents.ids, old.name, project.assignments(), old.lead)
        window.documents.set_scope(window.scope, window.work.status)

    def _stop(self) -> None:
        self.changes.stop()
        if self.data is not None:
            self.data.stop()


def install(window: MainWindow) -> TeamView:
    """Bind Review > Progress and Review > Assign in ``window`` (see the module docstring)."""
    return TeamView(window)

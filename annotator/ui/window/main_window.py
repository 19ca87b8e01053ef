"""The workbench window: composes the panes around the text. Behaviour lives elsewhere.

Layout: the text in the middle under a header (document title, status); documents on the
left; the label palette, the document's spans and the guideline on the right. Every pane is a
dock (users move, stack or hide them; the layout is remembered), and every command is an
action from ``actions.ACTIONS``.

The window's own actions (open, quit, zoom, theme, language, help) are bound by
``window_controller``, the annotating keys and panes by ``annotating/annotating_controller``.
Features that plug in after those (each module's ``install(window)``):
- ``export/export_dialog``: File > Export.
- ``suggestions/suggestions_controller``: outlined suggestions, their keys, Review > Train
  suggestion model. Built just after the text's first paint (``finish_start``, decision
  0091); the window binds its actions (``SUGGESTION_ACTIONS``) from the start.
- ``review/review_menu``: the Review actions; on first use they build ``review_docks``
  (Agreement dashboard, Annotators against gold, Reload: docks) or ``adjudication_mode``
  (Adjudicate, F7: the page that builds the gold set).
A new feature adds its actions to ``actions.ACTIONS``, its docks with
``window.add_dock(widget, object_name, title, area)`` and its hook after those.

Signals:
    open_project_requested(str): the user chose another project folder.
    closed(): the window closed (its session is saved and released).
    start_finished(): the parts built behind the first paint are in (``finish_start``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from annotator.core.work_scope import WorkScope
from annotator.ui.annotating.annotator_work import AnnotatorWork
from annotator.ui.annotating.document_model import DocumentListModel
from annotator.ui.annotating.documents_pane import DocumentsPane
from annotator.ui.annotating.guidelines import GuidelinePane
from annotator.ui.annotating.palette import LabelModel, LabelPalette, label_icon
from annotator.ui.annotating.span_list import SpanList, SpanListModel
from annotator.ui.server import server_store
from annotator.ui.server.sync_state import sync_text
from annotator.ui.suggestions import SUGGESTION_ACTIONS
from annotator.ui.widgets.focus_ring import FocusRing
from annotator.ui.widgets.text_view import TextView
from annotator.ui.window.actions import ACTIONS, ActionRegistry, label_spec
from annotator.ui.window.i18n import QT_TRANSLATE_NOOP, Translations
from annotator.ui.window.settings import Settings

if TYPE_CHECKING:
    from annotator.ui.server.server_view import ServerView
    from annotator.ui.suggestions.suggestions_controller import SuggestionsController

TOOLBAR = (
    "doc.previous",
    "doc.next",
    "-",
    "doc.done_next",
    "doc.skip",
    "-",
    "edit.undo",
    "edit.redo",
    "-",
    "edit.label_all",
    "edit.delete_span",
    "-",
    "edit.exact",
)


class TitleLabel(QLabel):
    """One line of text, elided to fit; its size never depends on the text.

    A label that wraps or grows with its text makes the window lay itself out again on every
    document switch; this one keeps its height, and the whole title is in its tooltip.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def set_title(self, text: str) -> None:
        """Show ``text`` (elided if it does not fit)."""
        self.full_text = text
        self._elide()

    def text(self) -> str:
        """The whole title, not the elided one shown."""
        return self.full_text

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        margins = self.contentsMargins()
        width = max(0, self.width() - margins.left() - margins.right())
        shown = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, width)
        super().setText(shown)


class MainWindow(QMainWindow):
    """See the module docstring."""

    open_project_requested = Signal(str)
    closed = Signal()
    start_finished = Signal()

    def __init__(
        self,
        work: AnnotatorWork,
        settings: Settings,
        translations: Translations,
        parent: QWidget | None = None,
        lead: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.work = work
        self.settings = settings
        self.translations = translations
        project = work.project
        self.labels = project.labels
        # what this person sees of a planned project: an annotator their own documents,
        # blind to others' work; a lead everything (decision 0073)
        self.scope = WorkScope(project.documents.ids, work.name, project.assignments(), lead)

        # -- the text, under its header ---------------------------------------------------
        self.text = TextView(self)
        self.header = TitleLabel(self)
        self.header.setObjectName("document_header")
        font = self.header.font()
        font.setPointSize(font.pointSize() + 2)
        font.setBold(True)
        self.header.setFont(font)
        self.header.setContentsMargins(10, 8, 10, 4)
        self.notice = QLabel(self)
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(
            "QLabel { background: #fff3cd; color: #5c4400; padding: 8px;"
            " border-bottom: 1px solid #e0c36c; }"
        )
        self.notice.hide()
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.notice)
        layout.addWidget(self.header)
        layout.addWidget(self.text, 1)
        self.setCentralWidget(central)

        # -- panes ------------------------------------------------------------------------
        self.document_model = DocumentListModel(project.documents, work.status, self)
        self.documents = DocumentsPane(self.document_model, self)
        self.closed.connect(self.documents.body.stop)  # no search may outlive the window
        # quick indexes: the full ones are built behind the first paint (index_worker)
        self.documents.indexing = not work.indexes_complete()
        self.documents.set_scope(self.scope, work.status)
        self.registry = ActionRegistry(self, self.text, settings)
        self.label_model = LabelModel(self.labels, self._label_key, self)
        self.palette_view = LabelPalette(self.label_model, self)
        self.label_icons = {
            label.name: label_icon(label.color, i) for i, label in enumerate(self.labels)
        }
        self._icons_for = _swatch_colours()  # the palette's colours the swatches are ringed for
        self.span_model = SpanListModel(self.label_icons.get, self)
        self.span_list = SpanList(self.span_model, self)
        self.guidelines = GuidelinePane(project.root, self)
        self.docks: dict[str, QDockWidget] = {}
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.add_dock(
            self.documents, "documents_dock", QT_TRANSLATE_NOOP("MainWindow", "Documents"), left
        )
        self.add_dock(
            self.palette_view, "labels_dock", QT_TRANSLATE_NOOP("MainWindow", "Labels"), right
        )
        self.add_dock(self.span_list, "spans_dock", QT_TRANSLATE_NOOP("MainWindow", "Spans"), right)
        self.add_dock(
            self.guidelines, "guideline_dock", QT_TRANSLATE_NOOP("MainWindow", "Guideline"), right
        )
        # where the keys go is always drawn: a ring round the pane with the focus
        self.focus_ring = FocusRing(
            self, (self.text, self.documents.view, self.palette_view, self.span_list)
        )
        # the side panes keep the window's whole height: a pane at the bottom (the agreement
        # dashboard) sits under the text only
        self.setCorner(Qt.Corner.BottomLeftCorner, left)
        self.setCorner(Qt.Corner.BottomRightCorner, right)
        self.resizeDocks([self.docks["documents_dock"]], [300], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["labels_dock"]], [320], Qt.Orientation.Horizontal)
        self.resizeDocks(
            [self.docks[d] for d in ("labels_dock", "spans_dock", "guideline_dock")],
            [170, 220, 380],
            Qt.Orientation.Vertical,
        )

        # -- actions, menus, toolbar --------------------------------------------------------
        self.registry.add_all(ACTIONS)
        # Undo/Redo are ordinary actions rather than QUndoStack.createUndoAction ones: those
        # keep the prefix ("Undo") of the language they were made in; these are retranslated.
        stack = work.undo_stack
        self.registry.bind("edit.undo", lambda: self._undo_step(redo=False))
        self.registry.bind("edit.redo", lambda: self._undo_step(redo=True))
        stack.canUndoChanged.connect(self.registry["edit.undo"].setEnabled)
        stack.canRedoChanged.connect(self.registry["edit.redo"].setEnabled)
        stack.undoTextChanged.connect(self._undo_texts_later)
        stack.redoTextChanged.connect(self._undo_texts_later)
        self.registry["edit.undo"].setEnabled(False)
        self.registry["edit.redo"].setEnabled(False)
        for label in self.labels:
            self.registry.add(label_spec(label.name, label.key))
        self.registry.build_menus(self.menuBar(), self._fill_submenu)
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for item in TOOLBAR:
            if item == "-":
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(self.registry[item])
        self.addToolBar(self.toolbar)

        # -- status bar -------------------------------------------------------------------
        self.position_label = QLabel(self)
        self.position_label.setObjectName("position_label")
        self.selection_label = QLabel(self)
        self.selection_label.setObjectName("selection_label")
        self.mode_label = QLabel(self)
        self.mode_label.setObjectName("mode_label")
        self.statusBar().addWidget(self.selection_label, 1)
        self.statusBar().addPermanentWidget(self.mode_label)
        self.statusBar().addPermanentWidget(self.position_label)

        # behaviour: the window's own actions, then each feature's (they import this module)
        from annotator.ui.annotating.annotating_controller import AnnotatingController
        from annotator.ui.window.window_controller import WindowController

        self.window_controller = WindowController(self)
        self.annotating = AnnotatingController(self)
        from annotator.ui import export  # File > Export (the dialog is made on first use)

        export.install(self)
        # outlines, accept/reject keys, Train model: built just after the text's first paint
        # (``finish_start``); their actions are bound now, so a key pressed before that
        # builds them first and is not lost
        self._suggestions: SuggestionsController | None = None
        self._after_start: list[Callable[[], None]] | None = []
        self._closing = False
        for spec in ACTIONS:
            if spec.id in SUGGESTION_ACTIONS:
                self.registry.bind(spec.id, partial(self._suggestion_action, spec.id))
        self.text.after_paint(self._start_behind)
        from annotator.ui.review import review_menu  # Review: dashboard, against gold, adjudicate

        review_menu.install(self)
        from annotator.ui.review import team_view  # Review: Progress, Assign; a lead's list

        team_view.install(self)
        self.server_view: ServerView | None = None  # a server project: sync, live, conflicts
        if server_store(project) is not None:  # (a folder's window never imports it)
            from annotator.ui.server import server_view

            self.server_view = server_view.install(self)
        self.retranslate()
        geometry, state = settings.geometry(), settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        if state is not None:
            self.restoreState(state)

    # -- behind the first paint (decision 0091) -------------------------------------------

    @property
    def suggestions(self) -> SuggestionsController:
        """The suggestions' controller (built now if the window has not painted yet)."""
        self.finish_start()
        assert self._suggestions is not None
        return self._suggestions

    @property
    def started(self) -> bool:
        """True once the parts built behind the first paint are in."""
        return self._after_start is None

    def after_start(self, job: Callable[[], None]) -> None:
        """Run ``job`` once the parts built behind the first paint are in (now if they are)."""
        if self._after_start is None:
            job()
        else:
            self._after_start.append(job)

    def _start_behind(self) -> None:
        if not self._closing:  # closed at once: no worker thread is started for nothing
            self.finish_start()

    def finish_start(self) -> None:
        """Build what the first paint did not need (decisions 0091, 0096): the suggestions,
        the guideline's Markdown and the watch on the person's activity. Once, just after the
        first paint, or when something needs it."""
        jobs = self._after_start
        if jobs is None:
            return
        self._after_start = None
        # keys and clicks keep the document's clock running: an application-wide filter sees
        # every event of every object (their types made in Python: ms of a start), so from now
        app = QApplication.instance()
        assert app is not None  # a window exists only inside a running application
        app.installEventFilter(self)
        from annotator.ui.suggestions import suggestions_controller

        self._suggestions = suggestions_controller.install(self)
        self.restoreDockWidget(self.docks["suggestions_dock"])  # where the person left it
        self.guidelines.start()  # its Markdown, rendered
        for job in jobs:
            job()
        self._suggestions.refresh_document()  # the document shown: its suggestions now
        self.start_finished.emit()

    def _suggestion_action(self, action_id: str) -> None:
        """A suggestion action triggered: build the suggestions first if need be, keeping the
        check the person just set (building them sets the remembered ones)."""
        action = self.registry[action_id]
        checked = action.isChecked()
        if not self.started:
            self.finish_start()
            if action.isCheckable():
                action.setChecked(checked)
        self.suggestions.handlers[action_id]()

    # -- composition helpers -------------------------------------------------------------

    def add_dock(
        self, widget: QWidget, object_name: str, title: str, area: Qt.DockWidgetArea
    ) -> QDockWidget:
        """Put ``widget`` in a dock; ``title`` is marked with QT_TRANSLATE_NOOP("MainWindow")."""
        dock = QDockWidget(self)
        dock.setObjectName(object_name)
        dock.setWidget(widget)
        dock.setProperty("source_title", title)
        dock.setWindowTitle(QCoreApplication.translate("MainWindow", title))
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        self.docks[object_name] = dock
        return dock

    def _fill_submenu(self, name: str, menu: QMenu) -> None:
        if name == "labels":
            for label in self.labels:
                menu.addAction(self.registry[f"label.{label.name}"])
        elif name == "theme":
            for theme in ("system", "light", "dark"):
                menu.addAction(self.registry[f"view.theme.{theme}"])
        elif name == "language":
            menu.addAction(self.registry["view.language.en"])
            menu.addAction(self.registry["view.language.id"])
        elif name == "panels":
            for dock in self.docks.values():
                action = dock.toggleViewAction()
                action.setObjectName(f"view.panel.{dock.objectName()}")
                menu.addAction(action)
        elif name == "recent":
            menu.aboutToShow.connect(lambda: self._fill_recent(menu))

    def _fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        for path in self.settings.recent_projects():
            action = menu.addAction(path)
            action.triggered.connect(
                lambda _checked=False, p=path: self.open_project_requested.emit(p)
            )
        if menu.isEmpty():
            menu.addAction(self.tr("No recent projects")).setEnabled(False)

    def _label_key(self, name: str) -> str:
        action_id = f"label.{name}"
        if action_id not in self.registry.actions:
            return ""
        return self.registry.key_text(action_id)

    # -- state shown -------------------------------------------------------------------------

    def show_notice(self, text: str) -> None:
        """A banner above the text that stays (e.g. why the window is read-only)."""
        self.notice.setText(text)
        self.notice.show()

    def update_title(self, *_unused: object) -> None:
        """Project — annotator — saved state: "saving…" until the journal's fsync of every
        edit shown has returned, "saved" only then (docs/design.md 6, decision 0064)."""
        state = self.work.saved_state()
        texts = {
            "saved": self.tr("saved"),
            "unsaved": self.tr("saving…"),
            "journaled": self.tr("saved (journaled)"),
            "read_only": self.tr("read-only"),
        }
        synced = self.work.sync_state()  # a server project: saved and synced apart
        shown = sync_text(synced) if synced is not None else texts[state]
        name = self.work.project.config.name
        self.setWindowTitle(f"{name} — {self.work.name} — {shown}")

    def _undo_step(self, redo: bool) -> None:
        """Undo or redo: the spans it changes and the span it selects, each block of the
        text re-highlighted once."""
        stack = self.work.undo_stack
        with self.text.highlighter.held():
            (stack.redo if redo else stack.undo)()

    def _undo_texts_later(self, *_unused: object) -> None:
        self.annotating.later("undo texts", self._undo_texts)  # after the key's span is shown

    def _undo_texts(self, *_unused: object) -> None:
        stack = self.work.undo_stack
        for action_id, what in (("edit.undo", stack.undoText()), ("edit.redo", stack.redoText())):
            action = self.registry[action_id]
            base = QCoreApplication.translate("actions", self.registry.specs[action_id].text)
            action.setText(f"{base} {what}" if what else base)
            action.setIconText(base.replace("&", ""))

    def theme_changed(self) -> None:
        """The theme changed: the label swatches are ringed for the new palette (unless they
        already are: the theme is applied before the window is built, and again as it is)."""
        colours = _swatch_colours()
        if colours == self._icons_for:
            return
        self._icons_for = colours
        for i, label in enumerate(self.labels):
            self.label_icons[label.name] = label_icon(label.color, i)
        self.label_model.theme_changed()
        self.span_list.viewport().update()

    def retranslate(self) -> None:
        """Re-read every text in the current language."""
        self.registry.retranslate()
        self._undo_texts()
        for dock in self.docks.values():
            title = str(dock.property("source_title"))
            dock.setWindowTitle(QCoreApplication.translate("MainWindow", title))
        self.toolbar.setWindowTitle(self.tr("Toolbar"))
        self.annotating.retranslate()
        self.update_title()

    # -- events ----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.ActivationChange:
            self.work.set_active(self.isActiveWindow())
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.isActiveWindow():
            self.work.note_activity()
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.settings.save_layout(self.saveGeometry(), self.saveState())
        self.annotating.shutdown()
        self.settings.sync()
        super().closeEvent(event)
        self.closed.emit()


def _swatch_colours() -> tuple[str, ...]:
    """The application palette's colours that a label's swatch depends on (``label_icon``)."""
    palette, role = QGuiApplication.palette(), QPalette.ColorRole
    roles = (role.Base, role.Highlight, role.HighlightedText)
    return tuple(palette.color(r).name() for r in roles)


_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel}

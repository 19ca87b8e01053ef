"""What the window's own actions do: open a project, quit, zoom, theme, language, help.

These belong to no feature: each feature binds its own actions (``annotating_controller``,
``suggestions_controller``, ``review_menu``, ``export_dialog``). This object also tells the
user when an edit could not be saved, whichever work of the window (annotator or gold) it
was made on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from annotator import __version__
from annotator.ui.widgets.boxes import open_warning
from annotator.ui.window import theme as themes

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow

STATUS_MESSAGE_MS = 4000


class WindowController(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.text = window.text
        self.settings = window.settings
        self._theme_kind = "light"
        handlers = {
            "file.open": self.open_project,
            "file.open_server": self.open_server_project,
            "file.quit": window.close,
            "view.zoom_in": lambda: self.zoom(self.text.zoom + 1),
            "view.zoom_out": lambda: self.zoom(self.text.zoom - 1),
            "view.zoom_reset": lambda: self.zoom(0),
            "view.theme.system": lambda: self.set_theme("system"),
            "view.theme.light": lambda: self.set_theme("light"),
            "view.theme.dark": lambda: self.set_theme("dark"),
            "view.language.en": lambda: self.set_language("en"),
            "view.language.id": lambda: self.set_language("id"),
            "help.shortcuts": self.show_shortcuts,
            "help.about": self.about,
        }
        for action_id, handler in handlers.items():
            window.registry.bind(action_id, handler)
        window.work.edit_failed.connect(self.edit_failed)
        window.work.document_opened.connect(self.saved_record_problem)
        self.text.zoom_changed.connect(self._zoom_changed)
        self.set_theme(self.settings.theme)
        window.registry[f"view.language.{window.translations.language}"].setChecked(True)
        window.guidelines.set_language(window.translations.language)
        self.text.set_zoom(self.settings.zoom)

    # -- view ------------------------------------------------------------------------------

    def zoom(self, step: int) -> None:
        """Text size, remembered."""
        self.text.set_zoom(step)

    def _zoom_changed(self, step: int) -> None:
        self.settings.zoom = step

    def set_theme(self, name: str) -> None:
        """Light, dark or the system's, remembered."""
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self._theme_kind = themes.apply(app, name)
        self.settings.theme = name
        self.w.registry[f"view.theme.{name}"].setChecked(True)
        base = app.palette().color(QPalette.ColorRole.Base)
        self.text.set_labels(self.w.labels, base, themes.SPAN_ALPHA[self._theme_kind])
        self.w.theme_changed()

    def set_language(self, code: str) -> None:
        """Switch the interface language (remembered); texts update in place."""
        code = self.w.translations.install(code)
        self.settings.language = code
        self.w.registry[f"view.language.{code}"].setChecked(True)
        self.w.guidelines.set_language(code)

    # -- files and help ----------------------------------------------------------------------

    def open_project(self) -> None:
        """Ctrl+O: choose a project folder."""
        from PySide6.QtWidgets import QFileDialog  # the dialogs' classes: on use

        folder = QFileDialog.getExistingDirectory(self.w, self.tr("Open project"))
        if folder:
            self.w.open_project_requested.emit(folder)

    def open_server_project(self) -> None:
        """Ctrl+Shift+O: a server project's URL (the connection is made by the launcher)."""
        from annotator.ui.server.opening import ServerDialog

        dialog = ServerDialog(self.settings.recent_servers(), self.w)
        accepted = dialog.exec() == ServerDialog.DialogCode.Accepted.value
        url = dialog.url
        dialog.deleteLater()
        if accepted:
            self.w.open_project_requested.emit(url)

    def show_shortcuts(self) -> None:
        """F1: the keyboard cheat-sheet (keys can be rebound there)."""
        from annotator.ui.window.shortcuts_dialog import ShortcutsDialog  # on first use

        dialog = ShortcutsDialog(self.w.registry, self.settings, self.w)
        dialog.exec()
        dialog.deleteLater()
        self.w.label_model.keys_changed()
        self.w.activateWindow()  # back to annotating (some platforms leave focus nowhere)
        self.text.setFocus()

    def about(self) -> None:
        """Help > About."""
        from PySide6.QtWidgets import QMessageBox

        work = self.w.work
        QMessageBox.about(
            self.w,
            self.tr("About annotator"),
            self.tr(
                "annotator %1\n\nNamed-entity annotation of Indonesian news.\n"
                "Annotator: %2\nProject: %3"
            )
            .replace("%1", __version__)
            .replace("%2", work.name)
            .replace("%3", work.project.location),
        )

    # -- messages ----------------------------------------------------------------------------

    def message(self, text: str) -> None:
        """A message in the status bar, for a few seconds."""
        self.w.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    def edit_failed(self, message: str) -> None:
        """Tell the user an edit was not saved (any work of the window: annotator or gold)."""
        self.message(self.tr("Not saved: %1").replace("%1", message))
        open_warning(self.w, self.tr("The edit was not saved"), message, "edit_failed_box")

    def saved_record_problem(self, doc_id: str) -> None:
        """The annotator's own saved record of the document just opened is no annotation (a
        row their script wrote, decision 0117): the document is open with what can be read of
        it; say what is wrong, and what the next change does, without stopping the work."""
        problem = self.w.work.editor.problem
        if problem is None or problem.doc_id != doc_id:
            return
        shown = self.w.work.editor.annotation
        spans = 0 if shown is None else len(shown.spans)
        message = (
            self.tr(
                "Your saved annotation of %1 is not valid as saved: %2.\n\nShown: the %3 "
                "span(s) of it that can be read. It stays saved as it is until you change this "
                "document; your next change saves what is shown, without the rest."
            )
            .replace("%1", doc_id)
            .replace("%2", problem.reason)
            .replace("%3", str(spans))
        )
        self.message(self.tr("%1: saved annotation not valid as saved").replace("%1", doc_id))
        open_warning(self.w, self.tr("Saved annotation not valid"), message, "saved_record_box")

"""Starting the window: the application, the annotator's name, the project, the lock.

``run_app`` is what ``annotator [PROJECT] [--annotator NAME]`` calls. Without a project it
opens the demo project (made on first run in the user's data folder). Without a name it uses
the one remembered from an earlier run, else asks once (and remembers it). If the user
cancels that question on the demo project, the window opens as ``guest`` (not remembered), so
trying the app never dead-ends; on a real project it quits, because the name is the file
every edit goes to. A second instance for the same annotator opens read-only, and says who
holds the project.
"""

from __future__ import annotations

import getpass
import re
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox, QWidget

from annotator import __version__
from annotator.core.demo import demo_project
from annotator.core.errors import AnnotatorError, LockedError
from annotator.core.model import GOLD, check_annotator_name
from annotator.core.project import Project
from annotator.ui.i18n import Translations, system_language
from annotator.ui.main_window import MainWindow
from annotator.ui.session import WorkSession
from annotator.ui.settings import APPLICATION, ORGANISATION, Settings

GUEST = "guest"


def application() -> QApplication:
    """The QApplication (made if needed), named so QSettings finds its file."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    return app


def suggested_name() -> str:
    """A valid annotator name from the login name (``Ani Rahma`` -> ``ani.rahma``)."""
    try:
        login = getpass.getuser()
    except Exception:  # getuser raises various errors where no user name is set
        login = ""
    name = re.sub(r"[^a-z0-9_.-]+", ".", login.lower()).strip(".")[:64]
    return name if name and name != GOLD else ""


def ask_name(parent: QWidget | None = None) -> str | None:
    """Ask for the annotator's name until it is valid; None when the user cancels."""
    text, prompt = (
        suggested_name(),
        QCoreApplication.translate("app", "Your annotator name (a-z, 0-9, _ . -):"),
    )
    while True:
        text, ok = QInputDialog.getText(
            parent,
            QCoreApplication.translate("app", "Who is annotating?"),
            prompt,
            QLineEdit.EchoMode.Normal,
            text,
        )
        if not ok:
            return None
        text = text.strip()
        try:
            if text == GOLD:
                raise ValueError(
                    QCoreApplication.translate(
                        "app", "“gold” is reserved for adjudicated annotations"
                    )
                )
            return check_annotator_name(text)
        except ValueError as exc:
            prompt = QCoreApplication.translate(
                "app", "Not a valid name: %1\nYour annotator name:"
            ).replace("%1", str(exc))


class Launcher(QObject):
    """Opens project windows and swaps them when the user opens another project."""

    def __init__(self, settings: Settings, translations: Translations) -> None:
        super().__init__()
        self.settings = settings
        self.translations = translations
        self.windows: list[MainWindow] = []

    def open(self, project: str | Path | None, annotator: str | None) -> MainWindow | None:
        """Open a window on ``project`` (None: the demo) as ``annotator`` (None: ask)."""
        proj = demo_project() if project is None else Project.open(Path(project))
        name = self.resolve_name(annotator, demo=project is None)
        if name is None:
            return None
        notices: list[str] = []
        try:
            session = proj.session(name)
        except LockedError as exc:
            session = proj.session(name, read_only=True)
            notices.append(
                QCoreApplication.translate(
                    "app",
                    "%1 is already open in another window (%2). This window is read-only: "
                    "nothing you do here is saved.",
                )
                .replace("%1", name)
                .replace("%2", exc.holder)
            )
        errors = [*proj.documents.errors, *session.file.errors]
        if errors:
            # bad lines stay in their files untouched (docs/design.md section 6); say where they are
            notices.append(
                QCoreApplication.translate(
                    "app", "Lines that could not be read are left as they are (%1); the first: %2"
                )
                .replace("%1", str(len(errors)))
                .replace("%2", str(errors[0]))
            )
        work = WorkSession(proj, session)
        window = MainWindow(work, self.settings, self.translations)
        work.setParent(window)
        if notices:
            window.show_notice("\n".join(notices))
        for warning in proj.warnings:
            window.statusBar().showMessage(warning, 8000)
        window.open_project_requested.connect(lambda path, w=window: self.switch(w, path))
        window.closed.connect(lambda w=window: self._forget(w))
        window.controller.open_first()
        self.settings.add_recent_project(proj.root)
        self.windows.append(window)
        return window

    def resolve_name(self, annotator: str | None, demo: bool) -> str | None:
        """The name given, else the remembered one, else asked (see the module docstring)."""
        if annotator is not None:
            try:
                return check_annotator_name(annotator)
            except ValueError as exc:
                raise AnnotatorError(str(exc)) from None
        remembered = self.settings.annotator
        if remembered:
            try:
                return check_annotator_name(remembered)
            except ValueError:
                pass
        name = ask_name()
        if name is not None:
            self.settings.annotator = name
            self.settings.sync()
            return name
        return GUEST if demo else None

    def switch(self, old: MainWindow, path: str) -> None:
        """Open ``path`` as the same annotator, then close ``old``."""
        if Path(path).resolve() == old.work.project.root.resolve():
            old.raise_()  # already open here (opening it again would find our own lock)
            return
        try:
            new = self.open(path, old.work.name)
        except AnnotatorError as exc:
            QMessageBox.warning(
                old, QCoreApplication.translate("app", "Cannot open the project"), str(exc)
            )
            return
        if new is not None:
            new.show()
            old.close()

    def _forget(self, window: MainWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)
        window.deleteLater()


def run_app(project: str | None, annotator: str | None) -> int:
    """Open the window and run until it closes; the exit code."""
    app = application()
    settings = Settings()
    translations = Translations.shared(app)
    translations.install(settings.language or system_language())
    launcher = Launcher(settings, translations)
    window = launcher.open(project, annotator)
    if window is None:
        print("annotator: no annotator name given (use --annotator NAME)", file=sys.stderr)
        return 1
    window.show()
    return int(app.exec())

"""Starting the window: the application, the annotator's name, the project, the lock.

``run_app`` is what ``annotator [PROJECT] [--annotator NAME]`` calls. Without a project it
opens the demo project (made on first run in the user's data folder). Without a name it uses
the one remembered from an earlier run, else asks once (and remembers it). If the user
cancels that question on the demo project, the window opens as ``guest`` (not remembered), so
trying the app never dead-ends; on a real project it quits, because the name is the file
every edit goes to. A second instance for the same annotator opens read-only, and says who
holds the project; so does a project whose folder cannot be written (read-only, full disk),
saying why. With no display to open the window on, one line says what is missing and how to
run it, instead of Qt aborting the process.
"""

from __future__ import annotations

import getpass
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QObject,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QWidget

from annotator import __version__
from annotator.core.demo import demo_project
from annotator.core.errors import AnnotatorError, LockedError
from annotator.core.model import GOLD, check_annotator_name
from annotator.core.open import with_folder
from annotator.core.pg import is_server_url, strip_password
from annotator.core.project import Project
from annotator.core.storage import AnnotatorStore
from annotator.core.store import Session
from annotator.ui.annotating.annotator_work import AnnotatorWork
from annotator.ui.annotating.index_worker import unreadable_notice
from annotator.ui.window import theme as themes
from annotator.ui.window.i18n import Translations, system_language
from annotator.ui.window.main_window import MainWindow
from annotator.ui.window.settings import APPLICATION, ORGANISATION, Settings

GUEST = "guest"


NO_DISPLAY_HINT = (
    "run it in a desktop session (or over 'ssh -X'); the commands need no display: "
    "'annotator --help' lists them"
)


def display_problem(env: Mapping[str, str] | None = None, platform: str = sys.platform) -> str:
    """Why the window cannot be shown on this machine, before Qt tries (``""``: it can).

    On Linux Qt draws through X11 (``DISPLAY``) or Wayland (``WAYLAND_DISPLAY``); with neither
    it aborts the process. A platform chosen in ``QT_QPA_PLATFORM`` (offscreen, vnc...) is the
    user's call and is not second-guessed.
    """
    env = os.environ if env is None else env
    if not platform.startswith("linux"):
        return ""
    chosen = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0]
    if chosen.startswith("wayland"):
        needed = ["WAYLAND_DISPLAY"]
    elif chosen == "xcb":
        needed = ["DISPLAY"]
    elif not chosen:
        needed = ["DISPLAY", "WAYLAND_DISPLAY"]
    else:
        return ""
    if any(env.get(name) for name in needed):
        return ""
    unset = (
        f"neither {needed[0]} nor {needed[1]} is set"
        if len(needed) == 2
        else (f"{needed[0]} is not set")
    )
    return f"no display to open the window on ({unset}): {NO_DISPLAY_HINT}"


class _QtStartGuard:
    """Turns Qt's fatal start-up message (no platform plugin) into one line and exit 1.

    Qt aborts the process (exit 134) when no platform plugin starts, after logging why. While
    the application is made, its messages are kept; a fatal one prints a single line naming
    the reasons and ends the process with status 1. Afterwards the kept messages are passed on
    and Qt's own handler is back.
    """

    def __init__(self) -> None:
        self.kept: list[str] = []

    def __call__(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        category = f"{context.category}: " if context.category not in (None, "default") else ""
        if kind != QtMsgType.QtFatalMsg:
            self.kept.append(f"{category}{message}")
            return
        reasons = [m.split(": ", 1)[-1] for m in self.kept if "qt.qpa" in m]
        first = message.strip().splitlines()[0] if message.strip() else "Qt could not start"
        detail = "; ".join([*reasons, first])
        print(
            f"annotator: the window cannot start ({detail}); {NO_DISPLAY_HINT}",
            file=sys.stderr,
            flush=True,
        )
        os._exit(1)  # Qt would abort() as soon as this returns

    def release(self) -> None:
        for message in self.kept:
            print(message, file=sys.stderr)


def application() -> QApplication:
    """The QApplication (made if needed), named so QSettings finds its file.

    Qt's raster engine hands every fill 96 or more lines tall (a scroll bar's groove, a
    pane's background) to its GUI thread pool and waits for it; for a window's widgets the
    hand-off costs more than the fill, five times more for the text's scroll bar on two
    cores (decision 0095). ``QT_NO_GUI_THREADPOOL``, read by Qt at its first such fill,
    keeps them on the thread that paints.
    """
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        guard = _QtStartGuard()
        previous = qInstallMessageHandler(guard)
        try:
            # made in the style every theme uses (``theme.apply`` then need not ask for it)
            app = QApplication([*(sys.argv[:1] or ["annotator"]), "-style", themes.STYLE])
        finally:
            qInstallMessageHandler(previous)
        guard.release()
        app.setProperty(themes.FUSION_MADE, True)
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
    from PySide6.QtWidgets import QInputDialog, QLineEdit  # a dialog's classes: on use

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

    def open(
        self, project: str | Path | None, annotator: str | None, lead: bool = False
    ) -> MainWindow | None:
        """Open a window on ``project`` (None: the demo; a ``postgresql://`` URL: a server
        project) as ``annotator`` (None: ask); a ``lead`` sees every document and everyone's
        work (decision 0073)."""
        if project is not None and is_server_url(str(project)):
            return self.open_server(str(project), annotator)
        try:
            # quick indexes: the full ones are built behind the first paint (decision 0046)
            proj = demo_project() if project is None else Project.open(Path(project), quick=True)
        except OSError as exc:
            where = exc.filename or project or "the demo project"
            raise AnnotatorError(f"{where}: cannot be opened ({exc.strerror or exc})") from None
        name = self.resolve_name(annotator, demo=project is None)
        if name is None:
            return None
        notices: list[str] = []
        try:
            session = proj.session(name)
        except OSError as exc:  # a read-only folder, a full disk: look, but do not edit
            session = self._read_only(proj, name)
            notices.append(
                QCoreApplication.translate(
                    "app",
                    "This project cannot be written here (%1: %2). This window is read-only: "
                    "nothing you do here is saved; edits saved earlier are safe.",
                )
                .replace("%1", str(exc.filename or proj.root))
                .replace("%2", exc.strerror or str(exc))
            )
        except LockedError as exc:
            session = self._read_only(proj, name)
            notices.append(_locked_notice(name, exc.holder))
        errors = [*proj.documents.errors, *session.file.errors]
        if errors:
            # bad lines stay in their files untouched (docs/design.md section 6); say where they
            # are (those the quick indexes found; the window adds any the full ones find)
            notices.append(unreadable_notice(errors))
        window = self._window(AnnotatorWork(proj, session), lead, notices)
        for warning in proj.warnings:
            window.statusBar().showMessage(warning, 8000)
        return self._shown(window, proj.root)

    def open_server(self, url: str, annotator: str | None) -> MainWindow | None:
        """Open a window on the server project ``url`` (None: the person cancelled). The
        annotator is the login role; a lead role sees everyone's work (decision 0084)."""
        from annotator.ui.server import server_store
        from annotator.ui.server.opening import open_server

        store = open_server(url, self.windows[-1] if self.windows else None)
        if store is None:
            return None
        try:
            pg = server_store(store)
            assert pg is not None
            name = pg.user
            if annotator is not None and annotator != name:
                raise AnnotatorError(
                    QCoreApplication.translate(
                        "app", "on a server project you annotate as your login, %1, not %2"
                    )
                    .replace("%1", name)
                    .replace("%2", annotator)
                )
            notices: list[str] = []
            try:
                session: AnnotatorStore = store.session(name)
            except LockedError as exc:
                session = store.session(name, read_only=True)
                notices.append(_locked_notice(name, exc.holder))
            resent = getattr(session, "resent", 0)
            if resent:  # decision 0122
                notices.append(
                    QCoreApplication.translate(
                        "app", "The server was restored from a backup: edits sent again: %1."
                    ).replace("%1", str(resent))
                )
        except BaseException:
            store.close()
            raise
        project = with_folder(store)
        window = self._window(AnnotatorWork(project, session), pg.is_lead, notices)
        window.closed.connect(store.close)  # after the session: its backlog gets its chance
        return self._shown(window, url)

    def _window(self, work: AnnotatorWork, lead: bool, notices: list[str]) -> MainWindow:
        """The window on ``work``, owning it, with the ``notices`` shown and its signals tied."""
        app = QApplication.instance()
        if isinstance(app, QApplication):  # the theme first: the widgets are made in it
            themes.apply(app, self.settings.theme)
        window = MainWindow(work, self.settings, self.translations, lead=lead)
        work.setParent(window)
        if notices:
            window.show_notice("\n".join(notices))
        window.open_project_requested.connect(lambda path, w=window: self.switch(w, path))
        window.closed.connect(lambda w=window: self._forget(w))
        return window

    def _shown(self, window: MainWindow, recent: str | Path) -> MainWindow:
        """``window`` on its first document, remembered among the windows and recent projects."""
        window.annotating.open_first()
        self.settings.add_recent_project(recent)
        self.windows.append(window)
        return window

    @staticmethod
    def _read_only(proj: Project, name: str) -> Session:
        """A read-only session; a project that cannot even be read is one clear error."""
        try:
            return proj.session(name, read_only=True)
        except OSError as exc:
            where = exc.filename or proj.root
            raise AnnotatorError(f"{where}: cannot be read ({exc.strerror or exc})") from None

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
        here = old.work.project
        if (is_server_url(path) and strip_password(path) == strip_password(here.location)) or (
            not is_server_url(path)
            and isinstance(here, Project)
            and Path(path).resolve() == here.root.resolve()
        ):
            old.raise_()  # already open here (opening it again would find our own lock)
            return
        try:
            if is_server_url(path):  # the login names the annotator, the role the lead
                new = self.open(path, None)
            else:
                new = self.open(path, old.work.name, old.scope.lead)
        except AnnotatorError as exc:
            from PySide6.QtWidgets import QMessageBox

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


def run_app(project: str | None, annotator: str | None, lead: bool = False) -> int:
    """Open the window and run until it closes; the exit code."""
    problem = display_problem()
    if problem:
        raise AnnotatorError(problem)
    app = application()
    settings = Settings()
    translations = Translations.shared(app)
    translations.install(settings.language or system_language())
    launcher = Launcher(settings, translations)
    window = launcher.open(project, annotator, lead)
    if window is None:
        if project is not None and is_server_url(project):
            print("annotator: not connected (cancelled)", file=sys.stderr)
        else:
            print("annotator: no annotator name given (use --annotator NAME)", file=sys.stderr)
        return 1
    window.show()
    return int(app.exec())


def _locked_notice(name: str, holder: str) -> str:
    """The notice of a window opened read-only because ``holder`` has ``name``'s work open."""
    return (
        QCoreApplication.translate(
            "app",
            "%1 is already open in another window (%2). This window is read-only: "
            "nothing you do here is saved.",
        )
        .replace("%1", name)
        .replace("%2", holder)
    )

"""Helpers of the window tests on a server project: open the real window on a URL, act as a
person (mouse and keys), answer modal dialogs, read what the server holds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from annotator.ui.app import Launcher, application
from annotator.ui.window.i18n import Translations
from annotator.ui.window.main_window import MainWindow
from annotator.ui.window.settings import Settings

LAUNCHERS: list[Launcher] = []
WAIT_MS = 60_000  # generous: the tests wait for signals and states, they never time anything


def launcher_at(folder: Path) -> Launcher:
    settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    translations = Translations.shared(application())
    translations.install("en")
    launcher = Launcher(settings, translations)
    LAUNCHERS.append(launcher)  # alive as long as the test session
    return launcher


def show(qtbot: QtBot, window: MainWindow) -> MainWindow:
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.text.setFocus()
    return window


def open_url(qtbot: QtBot, folder: Path, url: str) -> MainWindow:
    window = launcher_at(folder).open(url, None)
    assert window is not None
    return show(qtbot, window)


def action(window: MainWindow, action_id: str) -> QAction:
    found = window.findChild(QAction, action_id)
    assert found is not None, action_id
    return found


def select(window: MainWindow, start: int, end: int) -> None:
    """Drag the mouse over ``[start, end)`` of the open text."""
    viewport = window.text.viewport()
    a, b = window.text.point_of(start), window.text.point_of(end)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    QTest.mouseMove(viewport, QPoint((a.x() + b.x()) // 2, b.y()))
    QTest.mouseMove(viewport, b)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def label(qtbot: QtBot, window: MainWindow, word: str, key: str) -> None:
    """Select ``word`` in the open text and press the label's key (``"1"``: PERSON...)."""
    doc = window.work.doc
    assert doc is not None
    start = doc.text.index(word)
    select(window, start, start + len(word))
    qtbot.keyClick(window.text, key)


def when_modal(
    kind: type,
    act: Callable[[QWidget], None],
    seen: list[QWidget],
    given_up: Callable[[], bool] = lambda: False,
) -> None:
    """Once a modal dialog of ``kind`` shows (one not handled yet), let ``act`` use it; no
    longer once ``given_up()`` says so (a dialog that may never come)."""

    def step() -> None:
        if given_up():
            return
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible() and dialog not in seen:
            seen.append(dialog)
            act(dialog)
        else:
            QTimer.singleShot(10, step)

    QTimer.singleShot(0, step)

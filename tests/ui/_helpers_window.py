"""Helpers for the window tests: build a project, open the real window, act as a person."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from annotator.core.demo import normalise_text
from annotator.core.model import Annotation, Document
from annotator.core.project import Project
from annotator.ui.annotating.annotator_work import AnnotatorWork
from annotator.ui.annotating.document_clock import DocumentClock
from annotator.ui.app import Launcher, application
from annotator.ui.window.i18n import Translations
from annotator.ui.window.main_window import MainWindow
from annotator.ui.window.settings import Settings

ARTICLE = (
    "Laporan Fikar W.Eda/Jakarta\n"
    "TRIBUNGAYO.COM, JAKARTA - Kementerian Dalam Negeri (Kemendagri) mengajak kota-kota "
    "berkolaborasi.\n"
    "Direktur Jenderal Kemendagri, Dr Safrizal ZA MSi, hadir di Jakarta pada Selasa "
    "(30/08/2022)."
)


_LAUNCHERS: list[Launcher] = []


def make_project(root: Path, docs: Sequence[tuple[str, str]]) -> Project:
    """A fresh project at ``root`` with documents ``(id, raw text)`` imported as text."""
    project = Project.init(root)
    project.documents.append(
        [Document(id=doc_id, text=normalise_text(raw)) for doc_id, raw in docs]
    )
    return project


def settings_at(path: Path) -> Settings:
    """Settings in an ini file of the test's own (no test sees another's choices)."""
    return Settings(QSettings(str(path), QSettings.Format.IniFormat))


def open_window(
    qtbot: QtBot,
    root: Path,
    name: str = "ani",
    settings: Settings | None = None,
    lead: bool = False,
) -> MainWindow:
    """Open the real window on ``root`` as ``name`` (a ``lead``, or not), shown and active."""
    app = application()
    settings = settings or settings_at(root.parent / "settings.ini")
    translations = Translations.shared(app)
    translations.install(settings.language or "en")
    launcher = Launcher(settings, translations)
    window = launcher.open(root, name, lead)
    assert window is not None
    _LAUNCHERS.append(launcher)  # alive as long as the test session
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.text.setFocus()
    return window


@contextmanager
def window_on(
    qtbot: QtBot,
    root: Path,
    name: str = "ani",
    settings: Settings | None = None,
    lead: bool = False,
) -> Iterator[MainWindow]:
    """A window that is closed (saving and releasing the lock) after the block."""
    window = open_window(qtbot, root, name, settings, lead)
    try:
        yield window
    finally:
        if window.isVisible():
            window.close()


def action(window: MainWindow, action_id: str) -> QAction:
    """The window's action by id (its objectName)."""
    found = window.findChild(QAction, action_id)
    assert found is not None, action_id
    return found


def point(window: MainWindow, pos: int) -> QPoint:
    """The viewport point of the caret before code point ``pos``."""
    return window.text.point_of(pos)


def drag_select(qtbot: QtBot, window: MainWindow, start: int, end: int) -> None:
    """Select ``[start, end)`` by pressing the mouse at start and releasing it at end."""
    viewport = window.text.viewport()
    a, b = point(window, start), point(window, end)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    QTest.mouseMove(viewport, QPoint((a.x() + b.x()) // 2, b.y()))
    QTest.mouseMove(viewport, b)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def click(qtbot: QtBot, window: MainWindow, pos: int) -> None:
    """Click inside the character at code point ``pos`` (just right of its left edge)."""
    rect = window.text.cursorRect(window.text.cursor_at(pos))
    target = QPoint(rect.center().x() + 2, rect.center().y())
    QTest.mouseClick(
        window.text.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target
    )


def key(
    qtbot: QtBot,
    window: MainWindow,
    k: Qt.Key | str,
    mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Press a key while the text has the focus."""
    qtbot.keyClick(window.text, k, mods)


def flush_windows() -> None:
    """Wait until every edit shown in an open window is written (the journal's thread
    fsyncs right after the paint, decision 0064)."""
    for launcher in _LAUNCHERS:
        for window in launcher.windows:
            for work in window.findChildren(AnnotatorWork):
                if not work.read_only:
                    work.store.flush()


def stored(root: Path, name: str, doc_id: str) -> Annotation | None:
    """What a fresh reader sees on disk once the open windows' edits are written: the saved
    file plus the replayed journal."""
    flush_windows()
    session = Project.open(root).session(name, read_only=True)
    return session.annotation(doc_id)


def spans_on_disk(root: Path, name: str, doc_id: str) -> list[tuple[int, int, str, str]]:
    """``(start, end, label, text)`` of the stored spans."""
    ann = stored(root, name, doc_id)
    return [] if ann is None else [(s.start, s.end, s.label, s.text) for s in ann.spans]


def backdate(clock: DocumentClock) -> None:
    """A running document clock given a second, as if it had started a second ago, rather
    than waiting for time to pass; it stays running."""
    assert clock.running
    now = time.monotonic()
    clock.pause(now)
    clock.resume(now - 1.0)
    assert clock.elapsed(now) >= 1.0

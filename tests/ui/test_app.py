"""Starting up: the annotator's name, the demo project, switching projects, F1, zoom, theme."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from _helpers_window import (
    ARTICLE,
    action,
    drag_select,
    key,
    make_project,
    settings_at,
    spans_on_disk,
    window_on,
)
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QKeySequenceEdit, QLineEdit
from pytestqt.qtbot import QtBot

from annotator.cli import main
from annotator.ui.app import GUEST, Launcher, application
from annotator.ui.window.i18n import Translations

CTRL = Qt.KeyboardModifier.ControlModifier


def when_modal(kind: type, act: Callable[[QDialog], None], seen: list[QDialog]) -> None:
    """Once a modal dialog of ``kind`` shows (one not handled yet), let ``act`` use it."""

    def step() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible() and dialog not in seen:
            seen.append(dialog)  # type: ignore[arg-type]
            act(dialog)  # type: ignore[arg-type]
        else:
            QTimer.singleShot(10, step)  # the dialog is not up yet: look again soon

    QTimer.singleShot(0, step)


def type_name(qtbot: QtBot, seen: list[QDialog], *names: str) -> None:
    """Answer the name question with each of ``names`` in turn, as typed keys."""
    remaining = list(names)

    def answer(dialog: QDialog) -> None:
        edit = dialog.findChild(QLineEdit)
        assert edit is not None
        edit.selectAll()
        qtbot.keyClicks(edit, remaining.pop(0))
        if remaining:
            when_modal(QInputDialog, answer, seen)
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    when_modal(QInputDialog, answer, seen)


def launcher(tmp_path: Path) -> Launcher:
    return Launcher(settings_at(tmp_path / "settings.ini"), Translations.shared(application()))


def test_first_run_asks_for_a_valid_name_once(qtbot: QtBot, tmp_path: Path) -> None:
    first = launcher(tmp_path)
    seen: list[QDialog] = []
    type_name(qtbot, seen, "Ani Rahma", "gold", "ani.rahma")
    assert first.resolve_name(None, demo=False) == "ani.rahma"
    assert len(seen) == 3  # two invalid answers were asked again
    again = launcher(tmp_path)  # the next start reads the remembered name: no question
    assert again.resolve_name(None, demo=False) == "ani.rahma"
    assert len(seen) == 3


def test_cancelling_the_name_opens_the_demo_as_guest_but_not_a_project(
    qtbot: QtBot, tmp_path: Path
) -> None:
    seen: list[QDialog] = []
    when_modal(QInputDialog, lambda d: d.reject(), seen)
    assert launcher(tmp_path).resolve_name(None, demo=True) == GUEST
    when_modal(QInputDialog, lambda d: d.reject(), seen)
    assert launcher(tmp_path).resolve_name(None, demo=False) is None
    assert settings_at(tmp_path / "settings.ini").annotator is None


def test_a_bad_annotator_name_on_the_command_line_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    make_project(tmp_path / "p", [("d1", ARTICLE)])
    assert main([str(tmp_path / "p"), "--annotator", "Ani Rahma"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("annotator: annotator name 'Ani Rahma' must be")
    assert "\n" not in err


def test_the_demo_project_opens_with_the_sample_article(qtbot: QtBot, tmp_path: Path) -> None:
    window = launcher(tmp_path).open(None, "ani")
    assert window is not None
    try:
        assert window.work.project.documents.ids == ["000_ce769e1c30ebc085"]
        assert "Kemendagri" in window.text.toPlainText()
        qtbot.waitUntil(lambda: window.span_model.rowCount() > 0)  # ani's demo annotations
    finally:
        window.close()


def test_open_recent_switches_project_as_the_same_annotator(qtbot: QtBot, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    make_project(a, [("a1", "Proyek A di Jakarta.")])
    make_project(b, [("b1", "Proyek B di Medan.")])
    settings = settings_at(tmp_path / "settings.ini")
    with window_on(qtbot, a, settings=settings):
        pass
    with window_on(qtbot, b, settings=settings) as win:
        recent = win.registry.menu("recent")
        recent.aboutToShow.emit()
        entries = {act.text(): act for act in recent.actions()}
        assert str(a.resolve()) in entries
        entries[str(b.resolve())].trigger()  # the project already open: nothing changes
        assert win.isVisible()
        assert not win.work.read_only
        entries[str(a.resolve())].trigger()
        qtbot.waitUntil(lambda: not win.isVisible())
    new = [w for w in QApplication.topLevelWidgets() if w.objectName() == "main_window"]
    switched = [w for w in new if w.isVisible()]
    assert len(switched) == 1
    assert switched[0].work.project.root == a  # type: ignore[attr-defined]
    assert switched[0].work.name == "ani"  # type: ignore[attr-defined]
    switched[0].close()


def test_f1_lists_the_keys_and_rebinds_a_label(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    settings = settings_at(tmp_path / "settings.ini")
    with window_on(qtbot, root, settings=settings) as win:
        seen: list[QDialog] = []

        def rebind(dialog: QDialog) -> None:
            rows = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]  # type: ignore[attr-defined]
            assert "Done, next unfinished" in rows
            assert "PERSON" in rows
            edit = dialog.findChild(QKeySequenceEdit, "keys.label.PERSON")
            assert edit is not None
            edit.setFocus()
            qtbot.keyClick(edit, Qt.Key.Key_Q)
            edit.editingFinished.emit()
            dialog.accept()

        when_modal(QDialog, rebind, seen)
        key(qtbot, win, Qt.Key.Key_F1)
        assert seen
        assert win.label_model.index(0, 0).data() == "Q"
        qtbot.waitUntil(win.isActiveWindow)  # back from the dialog
        start = ARTICLE.index("Fikar")
        drag_select(qtbot, win, start, start + len("Fikar"))
        key(qtbot, win, Qt.Key.Key_Q)
    assert spans_on_disk(root, "ani", "d1") == [(start, start + 5, "PERSON", "Fikar")]
    assert settings.shortcuts("label.PERSON", ("1",))[0].toString() == "Q"


def test_zoom_keys_and_dark_theme(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    with window_on(qtbot, root) as win:
        size = win.text.font().pointSize()
        key(qtbot, win, Qt.Key.Key_Equal, CTRL)
        key(qtbot, win, Qt.Key.Key_Equal, CTRL)
        assert win.text.font().pointSize() == size + 2
        key(qtbot, win, Qt.Key.Key_Minus, CTRL)
        assert win.text.font().pointSize() == size + 1
        action(win, "view.theme.dark").trigger()
        base = QApplication.palette().color(QPalette.ColorRole.Base)
        assert base.lightness() < 60
        action(win, "view.theme.light").trigger()
        assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() > 200


def test_the_application_paints_without_qts_gui_thread_pool(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Qt reads the variable at its first large fill; a value the user set is kept
    monkeypatch.delenv("QT_NO_GUI_THREADPOOL", raising=False)
    assert application() is qapp
    assert os.environ["QT_NO_GUI_THREADPOOL"] == "1"
    monkeypatch.setenv("QT_NO_GUI_THREADPOOL", "yes")
    application()
    assert os.environ["QT_NO_GUI_THREADPOOL"] == "yes"

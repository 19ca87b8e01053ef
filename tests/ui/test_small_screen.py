"""At 1280x800, the smallest laptop screen the team has, the window is fully usable with every
pane open: all five labels in sight, the text keeps enough lines, every pane has room."""

from __future__ import annotations

from pathlib import Path

from _helpers_window import action, open_window
from PySide6.QtCore import QModelIndex
from pytestqt.qtbot import QtBot

from annotator.core.demo import demo_project
from annotator.ui.window.main_window import MainWindow

MIN_TEXT_LINES = 18


def text_lines(win: MainWindow) -> float:
    return win.text.viewport().height() / win.text.fontMetrics().lineSpacing()


def labels_in_sight(win: MainWindow) -> list[str]:
    view = win.palette_view
    area = view.viewport().rect()
    model = view.model()
    return [
        model.index(r, 1, QModelIndex()).data()
        for r in range(model.rowCount())
        if area.contains(view.visualRect(model.index(r, 1, QModelIndex())))
    ]


def test_every_pane_open_at_1280x800(qtbot: QtBot, tmp_path: Path) -> None:
    root = demo_project(tmp_path / "demo").root
    win = open_window(qtbot, root, "guest")
    try:
        win.resize(1280, 800)
        qtbot.waitUntil(lambda: win.width() == 1280 and win.height() == 800)
        assert labels_in_sight(win) == ["PERSON", "AGENCY", "CITY", "DATE", "PROGRAM"]
        assert text_lines(win) >= 25
        # every pane open: the agreement dashboard and the against-gold view too
        action(win, "review.agreement").trigger()
        action(win, "review.gold").trigger()
        docks = win.docks
        qtbot.waitUntil(lambda: docks["agreement_dock"].isVisible())
        for name in ("documents_dock", "labels_dock", "spans_dock", "guideline_dock"):
            assert docks[name].isVisible(), name
            assert docks[name].height() >= 100, name
        front = docks["gold_dock"]  # opened last: in front of the agreement tab
        assert not front.visibleRegion().isEmpty()
        assert front.height() >= 180
        qtbot.waitUntil(lambda: win.text.viewport().height() > 0)
        assert labels_in_sight(win) == ["PERSON", "AGENCY", "CITY", "DATE", "PROGRAM"]
        assert text_lines(win) >= MIN_TEXT_LINES
        # the side panes keep their height: the review panes sit under the text only
        assert front.geometry().left() >= docks["documents_dock"].geometry().right()
        assert front.geometry().right() <= docks["labels_dock"].geometry().left()
        assert win.documents.view.viewport().height() >= 300
    finally:
        win.close()

"""What a label key, Delete, undo and redo do to the text's blocks: each block they change is
re-highlighted once (the edit and the selection of the span it made touch the same block), only
that paragraph is repainted, and what the screen then shows is what a fresh highlight and a
whole repaint show."""

from __future__ import annotations

from pathlib import Path

import pytest
from _helpers_window import action, drag_select, key, make_project, window_on
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QImage, QPaintEvent, QTextBlock
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from annotator.ui.window.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
TEXT = "Wali Kota 🇮🇩 Bogor hadir.\nDi Jakarta pada Selasa e\u0301.\r\nKemendagri RI."


def formats(win: MainWindow) -> list[list[tuple[int, int, str, str]]]:
    """Every block's formats as drawn: (start, length, background, foreground)."""
    out = []
    block = win.text.document().begin()
    while block.isValid():
        out.append(
            [
                (
                    r.start,
                    r.length,
                    r.format.background().color().name(),
                    r.format.foreground().color().name(),
                )
                for r in block.layout().formats()
            ]
        )
        block = block.next()
    return out


def counted(win: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The numbers of the blocks re-highlighted from now on."""
    seen: list[int] = []
    light = win.text.highlighter
    original = light.rehighlightBlock

    def spy(block: QTextBlock) -> None:
        seen.append(block.blockNumber())
        original(block)

    monkeypatch.setattr(light, "rehighlightBlock", spy)
    return seen


def test_each_key_rehighlights_the_block_it_changed_once(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "p"
    make_project(root, [("a", TEXT)])
    with window_on(qtbot, root) as win:
        text = win.work.doc.text if win.work.doc is not None else ""
        start = text.index("Jakarta")
        seen = counted(win, monkeypatch)
        drag_select(qtbot, win, start, start + len("Jakarta"))
        key(qtbot, win, Qt.Key.Key_3)  # labels it and selects the span made
        assert [(s.start, s.text) for s in win.work.spans] == [(start, "Jakarta")]
        assert win.text.selected_span == win.work.spans[0]
        assert seen == [1]
        drawn = formats(win)
        assert drawn[1]
        assert drawn[1][0][3] != drawn[1][0][2]  # solid: selected (a foreground of its own)
        steps = [
            (Qt.Key.Key_2, Qt.KeyboardModifier.NoModifier),  # relabel the selected span
            (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
            (Qt.Key.Key_Z, CTRL),
            (Qt.Key.Key_Z, CTRL),
            (Qt.Key.Key_Y, CTRL),
        ]
        for pressed, modifiers in steps:
            seen.clear()
            key(qtbot, win, pressed, modifiers)
            assert seen == [1], pressed
            # what the kept index drew is what a fresh highlight of the same spans draws
            kept = formats(win)
            win.text.highlighter.rehighlight()
            assert formats(win) == kept


# twelve short paragraphs with a flag emoji (two code points, four UTF-16 units) in each
PARAGRAPHS = [f"Paragraf {i} dari Jakarta 🇮🇩 dan Bogor pada hari Selasa." for i in range(12)]


class PaintRects(QObject):
    """The rectangles of the paint events a widget gets."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.rects: list[QRect] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(event, QPaintEvent):
            self.rects.append(event.rect())
        return False


def test_a_label_key_repaints_its_paragraph_not_the_screen(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("a", "\n".join(PARAGRAPHS))])
    with window_on(qtbot, root) as win:
        view = win.text
        text = win.work.doc.text if win.work.doc is not None else ""
        start = text.index("Bogor", len(PARAGRAPHS[0]) + len(PARAGRAPHS[1]) + 2)  # in block 2
        # what follows the first paint is done: the full indexes, the suggestions
        qtbot.waitUntil(lambda: win.annotating.index.ready and win.suggestions.ready)
        painted = PaintRects(view.viewport())
        drag_select(qtbot, win, start, start + len("Bogor"))
        qtbot.waitUntil(lambda: bool(painted.rects))  # the selection shown
        block = view.document().findBlockByNumber(2)
        area = view.blockBoundingGeometry(block).translated(view.contentOffset()).toAlignedRect()
        painted.rects.clear()
        key(qtbot, win, Qt.Key.Key_3)
        qtbot.waitUntil(lambda: bool(painted.rects))
        assert [(s.start, s.label) for s in win.work.spans] == [(start, "CITY")]
        # the paragraph was repainted, never the screen (a stray caret or selection rectangle
        # may come with it)
        screen = view.viewport().rect()
        assert any(rect.intersects(area) for rect in painted.rects)
        for rect in painted.rects:
            assert rect.height() < screen.height() / 2, rect


def on_screen(win: MainWindow) -> QImage:
    """The text's viewport as the window's backing store holds it (what was last painted,
    partial repaints included), not a fresh rendering."""
    view = win.text.viewport()
    corner = view.mapTo(win, QPoint(0, 0))
    shot = win.screen().grabWindow(win.winId())
    return shot.copy(QRect(corner, view.size())).toImage()


def test_what_a_key_repaints_is_what_a_whole_repaint_shows(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("a", "\n".join(PARAGRAPHS))])
    with window_on(qtbot, root) as win:
        view = win.text
        qtbot.waitUntil(lambda: win.annotating.index.ready and win.suggestions.ready)
        action(win, "view.suggestions").trigger()  # no outline moving with the caret
        qtbot.waitUntil(lambda: not win.suggestions.layer.visible)
        painted = PaintRects(view.viewport())
        text = win.work.doc.text if win.work.doc is not None else ""

        def block_painted(n: int) -> bool:
            block = view.document().findBlockByNumber(n)
            area = view.blockBoundingGeometry(block).translated(view.contentOffset())
            return any(r.intersects(area.toAlignedRect()) for r in painted.rects)

        for n, word in ((2, "Bogor"), (5, "Jakarta"), (2, "Selasa")):
            start = text.index(word, sum(len(p) + 1 for p in PARAGRAPHS[:n]))
            drag_select(qtbot, win, start, start + len(word))
            painted.rects.clear()
            key(qtbot, win, Qt.Key.Key_3)
            qtbot.waitUntil(lambda n=n: block_painted(n))
        painted.rects.clear()
        key(qtbot, win, Qt.Key.Key_Z, CTRL)  # the last one undone: its block repainted
        qtbot.waitUntil(lambda: len(win.work.spans) == 2 and block_painted(2))
        shown = on_screen(win)
        painted.rects.clear()
        view.viewport().update()
        qtbot.waitUntil(lambda: any(r == view.viewport().rect() for r in painted.rects))
        assert on_screen(win) == shown

"""Where the keys go is always visible, and a click in the document list hands the keyboard
back to the text, where Tab moves between spans."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from _helpers_window import drag_select, key, make_project, window_on
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from annotator.ui.widgets.focus_ring import FocusRing
from annotator.ui.window.main_window import MainWindow

T1 = "Presiden Joko Widodo tiba di Makassar bersama Kemendagri."
T2 = "🇮🇩 Wali Kota Makassar Danny Pomanto membuka pasar di Makassar."


def ring_round(win: MainWindow) -> object:
    ring = win.findChild(FocusRing, "focus_ring")
    assert isinstance(ring, FocusRing)
    return ring.target if ring.isVisible() else None


def ring_pixel(win: MainWindow) -> str:
    """The colour drawn on the ring's left edge, as the window shows it."""
    ring = win.findChild(FocusRing, "focus_ring")
    assert isinstance(ring, FocusRing)
    image = win.grab().toImage()
    left = ring.mapTo(win, QPoint(1, ring.height() // 2))
    return str(image.pixelColor(left.x(), left.y()).name())


def test_focus_is_drawn_and_a_click_in_the_list_gives_it_back_to_the_text(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", T1), ("d2", T2)])
    with window_on(qtbot, root) as win:
        highlight = win.palette().color(QPalette.ColorRole.Highlight).name()
        qtbot.waitUntil(lambda: ring_round(win) is win.text)
        assert ring_pixel(win) == highlight
        # the documents list: arrow keys browse and the ring shows it has the keys
        view = win.documents.view
        view.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(lambda: ring_round(win) is view)
        assert ring_pixel(win) == highlight
        # a click on a document opens it and the keyboard is back in the text
        rect = view.visualRect(win.documents.proxy.index(1, 0))
        QTest.mouseClick(
            view.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            rect.center(),
        )
        qtbot.waitUntil(lambda: win.work.doc_id == "d2")
        assert win.text.hasFocus()
        assert ring_round(win) is win.text
        # label two spans, then Tab walks them (not the widgets)
        for word, label_key in (("Makassar", Qt.Key.Key_3), ("Danny Pomanto", Qt.Key.Key_1)):
            start = T2.index(word)
            drag_select(qtbot, win, start, start + len(word))
            key(qtbot, win, label_key)
        key(qtbot, win, Qt.Key.Key_Escape)
        win.text.setTextCursor(win.text.cursor_at(0))
        key(qtbot, win, Qt.Key.Key_Tab)
        assert win.text.hasFocus()
        assert win.text.selected_span is not None
        assert win.text.selected_span.text == "Makassar"
        key(qtbot, win, Qt.Key.Key_Tab)
        assert win.text.selected_span is not None
        assert win.text.selected_span.text == "Danny Pomanto"


class PaintCount(QObject):
    """How many paint events a widget got."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_the_ring_is_not_painted_again_when_the_pane_inside_it_is(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    make_project(root, [("a", T1), ("b", T2)])
    with window_on(qtbot, root) as win:
        highlight = win.palette().color(QPalette.ColorRole.Highlight).name()
        qtbot.waitUntil(lambda: ring_round(win) is win.text)
        ring = win.findChild(FocusRing, "focus_ring")
        assert isinstance(ring, FocusRing)
        ring.repaint()
        painted = PaintCount(ring)
        win.text.viewport().repaint()  # the whole text, as a document switch paints it
        win.text.verticalScrollBar().repaint()
        assert painted.count == 0
        ring.repaint()  # the ring itself still paints, and shows
        assert painted.count == 1
        assert ring_pixel(win) == highlight


def test_the_ring_lets_go_of_a_pane_deleted_under_it(qtbot: QtBot) -> None:
    """A pane the ring followed may be deleted first as its window is torn down (the window's
    children go one by one and the focus moves between them): the next focus change must not
    reach into the deleted pane."""
    window = QWidget()
    qtbot.addWidget(window)
    pane, other = QPlainTextEdit(window), QPlainTextEdit(window)
    other.move(0, 120)
    ring = FocusRing(window, [pane, other])
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    pane.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: ring.target is pane)
    shiboken6.delete(pane)
    other.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: ring.target is other)
    assert ring.isVisible()

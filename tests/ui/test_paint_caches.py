"""The underlines and suggestion outlines drawn from their per-block caches are the ones a
fresh drawing makes, after every change that moves or recolours them: edits, relabels, an
accepted suggestion, zoom, a narrower window, another theme."""

from __future__ import annotations

from pathlib import Path

from _helpers_window import action, click, drag_select, key, make_project, window_on
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from annotator.ui.window.main_window import MainWindow

TEXT = (
    "🇮🇩📌 Berita: Kementerian Dalam Negeri (Kemendagri) meminta Pemerintah Kota Makassar "
    "bersiap. Dr Budi Santoso hadir pada Selasa (30/08/2022) di Kota Makassar.\n"
    "Kemendagri akan kembali pekan depan. Wali Kota Bogor tiba di Jakarta, lalu ke Bandung."
)


def drawn(win: MainWindow) -> QImage:
    """The text as painted now (caches used as they are)."""
    viewport = win.text.viewport()
    viewport.repaint()
    return viewport.grab().toImage()


def fresh(win: MainWindow) -> QImage:
    """The text painted with every cached underline and outline made again."""
    win.text._underline_cache.clear()
    win.suggestions.layer._drawn_for = ()
    return drawn(win)


def same_as_fresh(qtbot: QtBot, win: MainWindow) -> QImage:
    """The drawing from the caches, once it equals a fresh one (after the work that follows
    a paint, such as hiding the outlines an edit covered, has run)."""
    drawn(win)
    qtbot.waitUntil(lambda: not win.annotating._jobs)
    cached = drawn(win)
    assert cached == fresh(win)
    return cached


def coloured(image: QImage, colour: str) -> int:
    """Pixels of exactly ``colour`` (an underline or an outline in a label's colour)."""
    rgb = QColor(colour).rgb()
    return sum(
        image.pixelColor(x, y).rgb() == rgb
        for x in range(0, image.width(), 1)
        for y in range(0, image.height(), 2)
    )


def test_cached_drawing_follows_every_change(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", TEXT), ("d2", "Berita kedua.")])
    with window_on(qtbot, root) as win:
        qtbot.waitUntil(lambda: win.suggestions.ready, timeout=10_000)
        assert win.suggestions.shown.count > 0
        win.resize(1400, 800)
        qtbot.waitUntil(lambda: win.text.viewport().width() > 500)
        first = same_as_fresh(qtbot, win)

        # a label key on a word: its block's underlines are made again
        start = TEXT.index("kembali")
        drag_select(qtbot, win, start, start + 7)
        key(qtbot, win, "3")
        qtbot.waitUntil(lambda: len(win.work.spans) == 1)
        labelled = same_as_fresh(qtbot, win)
        assert labelled != first

        # relabelled: same place, another pattern and colour
        click(qtbot, win, start + 1)
        qtbot.waitUntil(lambda: win.text.selected_span is not None)
        key(qtbot, win, "1")
        qtbot.waitUntil(lambda: win.work.spans[0].label == "PERSON")
        assert same_as_fresh(qtbot, win) != labelled
        key(qtbot, win, Qt.Key.Key_Escape)  # not selected: its underline shows whole
        qtbot.waitUntil(lambda: win.text.selected_span is None)
        assert same_as_fresh(qtbot, win) != labelled

        # an accepted suggestion: an outline goes, an underline comes
        budi = TEXT.index("Budi")
        click(qtbot, win, budi + 1)
        key(qtbot, win, "a")
        qtbot.waitUntil(lambda: len(win.work.spans) == 2)
        same_as_fresh(qtbot, win)

        # zoom in and out: every line moves
        before_zoom = drawn(win)
        action(win, "view.zoom_in").trigger()
        zoomed = same_as_fresh(qtbot, win)
        assert zoomed != before_zoom
        action(win, "view.zoom_out").trigger()
        assert same_as_fresh(qtbot, win) == before_zoom

        # a narrower window wraps the lines elsewhere
        wide = win.text.viewport().width()
        win.resize(1150, 800)
        qtbot.waitUntil(lambda: win.text.viewport().width() < wide)
        same_as_fresh(qtbot, win)

        # another theme recolours the underlines
        action(win, "view.theme.light").trigger()
        light = same_as_fresh(qtbot, win)
        action(win, "view.theme.dark").trigger()
        underline = QColor(win.text._labels["PERSON"][0]).name()
        dark = same_as_fresh(qtbot, win)
        assert coloured(dark, underline) > 0
        assert coloured(light, underline) == 0

        # another document, and back
        key(qtbot, win, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: win.work.doc_id == "d2")
        same_as_fresh(qtbot, win)
        key(qtbot, win, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: win.work.doc_id == "d1" and win.suggestions.ready)
        same_as_fresh(qtbot, win)

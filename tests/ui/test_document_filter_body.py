"""The document filter finds words in the documents' text, not only titles and ids, and says
when nothing matches."""

from __future__ import annotations

from pathlib import Path

from _helpers_window import make_project, window_on
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.ui.annotating.document_model import ID_ROLE
from annotator.ui.window.main_window import MainWindow

DOCS = [
    ("d1", "Rapat di Jakarta\nPresiden membuka rapat kabinet."),
    ("d2", "Pasar baru dibuka\nWali Kota MAKASSAR meresmikan pasar 🇮🇩 café."),
    ("d3", "Makassar dalam judul\nBerita singkat."),
    ("d4", "Berita lain\nTidak ada kota di sini."),
]


def shown(win: MainWindow) -> list[str]:
    proxy = win.documents.proxy
    return [proxy.index(r, 0).data(ID_ROLE) for r in range(proxy.rowCount())]


def type_filter(qtbot: QtBot, win: MainWindow, text: str) -> None:
    box = win.documents.filter_edit
    box.setFocus()
    box.selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Delete)
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_filter_searches_the_text_and_says_when_nothing_matches(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    make_project(root, DOCS)
    with window_on(qtbot, root) as win:
        pane = win.documents
        type_filter(qtbot, win, "makassar")
        # the title match shows at once; the one in d2's text follows from the search
        qtbot.waitUntil(lambda: shown(win) == ["d2", "d3"], timeout=10_000)
        qtbot.waitUntil(lambda: not pane.empty_label.isVisible())
        type_filter(qtbot, win, "membuka rapat")  # across words, in the body only
        qtbot.waitUntil(lambda: shown(win) == ["d1"], timeout=10_000)
        type_filter(qtbot, win, "kota di")
        qtbot.waitUntil(lambda: shown(win) == ["d4"], timeout=10_000)
        type_filter(qtbot, win, "Surabaya")
        qtbot.waitUntil(lambda: pane.empty_label.isVisible(), timeout=10_000)
        qtbot.waitUntil(lambda: "No matches" in pane.empty_label.text(), timeout=10_000)
        assert "Surabaya" in pane.empty_label.text()
        assert shown(win) == []
        type_filter(qtbot, win, "")
        qtbot.waitUntil(lambda: shown(win) == ["d1", "d2", "d3", "d4"])
        assert not pane.empty_label.isVisible()

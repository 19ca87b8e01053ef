"""Ctrl+L (label all occurrences) says what it left alone and why, and follows the guideline's
longer-name rule: a bare "Kemendagri" inside "Kemendagri RI" is not tagged."""

from __future__ import annotations

from pathlib import Path

from _helpers_window import action, drag_select, key, make_project, spans_on_disk, window_on
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.ui.window.main_window import MainWindow

TEXT = (
    "Kemendagri menggelar rapat. Menurut Kemendagri RI, rapat dihadiri 🇮🇩 Pemprov "
    "Kemendagri Sulsel. Warga memuji Kemendagri."
)


def message(win: MainWindow) -> str:
    return win.statusBar().currentMessage()


def test_label_all_reports_what_it_skipped_and_why(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", TEXT)])
    first = TEXT.index("Kemendagri")
    rapat_end = first + len("Kemendagri menggelar rapat")
    last = TEXT.rindex("Kemendagri")
    longer = TEXT.index("Kemendagri RI")
    with window_on(qtbot, root) as win:
        # an existing span touching the third occurrence ("Pemprov Kemendagri Sulsel")
        pemprov = TEXT.index("Pemprov")
        drag_select(qtbot, win, pemprov, pemprov + len("Pemprov Kemendagri Sulsel"))
        key(qtbot, win, Qt.Key.Key_2)
        drag_select(qtbot, win, first, first + len("Kemendagri"))
        key(qtbot, win, Qt.Key.Key_2)
        assert win.text.selected_span is not None
        action(win, "edit.label_all").trigger()
        got = [(s, e) for s, e, _, _ in spans_on_disk(root, "ani", "d1")]
        # the last one is labelled; the one in "Kemendagri RI" is left for a person
        assert (last, last + len("Kemendagri")) in got
        assert (longer, longer + len("Kemendagri")) not in got
        assert len(got) == 3
        text = message(win)
        assert "Labelled 1 more occurrence(s)." in text
        assert "1 left alone: it overlaps a span already there" in text
        assert "1 left alone: part of a longer name" in text
        assert "Kemendagri RI" in text
        assert rapat_end > first
        # nothing more to label: it says why, not just "0"
        win.text.select_span(win.work.spans[0], scroll=False)
        action(win, "edit.label_all").trigger()
        text = message(win)
        assert "Labelled 0 more occurrence(s)" in text
        assert "longer name" in text

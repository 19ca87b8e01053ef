"""Work that follows the text's paint: it runs, it coalesces, and nothing is lost if the window
closes before it ran. Waits on conditions and signals, never on time."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from _helpers_window import backdate, drag_select, key, make_project, stored, window_on
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.core.project import Project
from annotator.ui.annotating import annotator_work
from annotator.ui.window.main_window import MainWindow

ALT = Qt.KeyboardModifier.AltModifier
DOCS = [
    ("a", "Berita satu dari Jakarta 🇮🇩 dan Bogor."),
    ("b", "Berita dua dari Surabaya."),
    ("c", "Berita tiga dari Medan dan Makassar."),
]


@pytest.fixture
def costly_compaction(monkeypatch: pytest.MonkeyPatch) -> None:
    """A switch never compacts (as in a large project), so the time spent on the document
    left is written by the work that follows the paint, not by a compaction."""
    monkeypatch.setattr(annotator_work.AnnotatorWork, "_cheap_to_compact", lambda _self: False)


def spent_on(qtbot: QtBot, win: MainWindow) -> None:
    """The open document's clock has run (it counts only while the window is active)."""
    win.work.set_active(True)
    backdate(win.work.clock)


def seconds(root: Path, doc_id: str) -> float:
    ann = stored(root, "ani", doc_id)
    return ann.seconds if ann is not None else 0.0


@pytest.mark.usefixtures("costly_compaction")
def test_time_on_the_documents_left_is_written_after_the_paint(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    make_project(root, DOCS)
    with window_on(qtbot, root) as win:
        drag_select(qtbot, win, len("Berita satu dari "), len("Berita satu dari Jakarta"))
        key(qtbot, win, Qt.Key.Key_3)  # a has a record, so its time can be added to it
        spent_on(qtbot, win)
        key(qtbot, win, Qt.Key.Key_Right, ALT)
        key(qtbot, win, Qt.Key.Key_Right, ALT)  # b left at once, before any paint
        assert win.work.doc_id == "c"
        qtbot.waitUntil(lambda: seconds(root, "a") > 0.0)
        assert not win.work._owed
        assert stored(root, "ani", "b") is None  # untouched documents stay untouched
        assert win.header.text() == "Berita tiga dari Medan dan Makassar."
        qtbot.waitUntil(lambda: "3 / 3" in win.position_label.text())


@pytest.mark.usefixtures("costly_compaction")
def test_time_owed_when_the_window_closes_is_written(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, DOCS)
    with window_on(qtbot, root) as win:
        drag_select(qtbot, win, len("Berita satu dari "), len("Berita satu dari Jakarta"))
        key(qtbot, win, Qt.Key.Key_3)
        spent_on(qtbot, win)
        key(qtbot, win, Qt.Key.Key_Right, ALT)
        assert win.work._owed  # not written yet: the window closes now
    ann = Project.open(root).annotation_file("ani").get("a")
    assert ann is not None
    assert ann.seconds > 0.0


def test_panes_follow_many_quick_keys_once_each(qtbot: QtBot, tmp_path: Path) -> None:
    """Keys faster than paints: the span list and counts, filled after the paint, end up
    right, and each kind of follow-up ran once for the keys that came together."""
    root = tmp_path / "p"
    make_project(root, DOCS)
    with window_on(qtbot, root) as win:
        ran: Counter[str] = Counter()
        controller = win.annotating
        original = controller.later

        def counted(what: str, job: object) -> None:
            def run() -> None:
                ran[what] += 1
                job()  # type: ignore[operator]

            original(what, run)

        controller.later = counted  # type: ignore[method-assign]
        ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        # three words labelled by keys alone, no event handled in between (no paint)
        key(qtbot, win, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
        for label in (Qt.Key.Key_1, Qt.Key.Key_3, Qt.Key.Key_3):
            key(qtbot, win, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
            key(qtbot, win, Qt.Key.Key_Right, ctrl_shift)
            key(qtbot, win, label)
        assert [(s.text, s.label) for s in win.work.spans] == [
            ("satu", "PERSON"),
            ("dari", "CITY"),
            ("Jakarta", "CITY"),
        ]
        assert ran["palette"] == 0  # nothing of it ran before the paint
        qtbot.waitUntil(lambda: not controller._jobs)
        qtbot.waitUntil(lambda: win.span_model.rowCount() == 3)
        assert win.label_model.counts == Counter({"CITY": 2, "PERSON": 1})
        assert ran["palette"] == 1  # three keys, one update of the palette's current label
        assert win.palette_view.currentIndex().siblingAtColumn(1).data() == "CITY"

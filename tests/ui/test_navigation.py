"""Moving between documents: done-and-next, skip, Alt+arrows, the list, filters, progress, time."""

from __future__ import annotations

from pathlib import Path

from _helpers_window import backdate, drag_select, key, make_project, stored, window_on
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.ui.annotating.document_model import ID_ROLE, STATUS_ROLE

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
DOCS = [
    ("a", "Berita satu dari Jakarta."),
    ("b", "Berita dua dari Surabaya."),
    ("c", "Berita tiga dari Medan."),
    ("d", "Kabar empat dari Banyuwangi."),
]


def visible_ids(win: object) -> list[str]:
    proxy = win.documents.proxy  # type: ignore[attr-defined]
    return [proxy.index(r, 0).data(ID_ROLE) for r in range(proxy.rowCount())]


def test_done_and_next_opens_the_next_unfinished(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, DOCS)
    with window_on(qtbot, root) as win:
        assert win.work.doc_id == "a"
        key(qtbot, win, Qt.Key.Key_Return, CTRL)
        assert win.work.doc_id == "b"
        key(qtbot, win, Qt.Key.Key_Return, CTRL | Qt.KeyboardModifier.ShiftModifier)  # skip
        assert win.work.doc_id == "c"
        assert win.documents.progress_label.text() == "1 / 4 done"
        assert win.documents.progress_bar.value() == 1
        key(qtbot, win, Qt.Key.Key_Return, CTRL)
        key(qtbot, win, Qt.Key.Key_Return, CTRL)
        assert win.work.doc_id == "d"  # the last: nothing unfinished is left to open
        assert "done or skipped" in win.statusBar().currentMessage()
        assert win.documents.progress_label.text() == "3 / 4 done"
        model = win.document_model
        assert [model.index(r, 0).data(STATUS_ROLE) for r in range(4)] == [
            "done",
            "skipped",
            "done",
            "done",
        ]
    statuses = [stored(root, "ani", d).status for d, _ in DOCS]  # type: ignore[union-attr]
    assert statuses == ["done", "skipped", "done", "done"]


def test_undo_of_done_reopens_that_document(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, DOCS)
    with window_on(qtbot, root) as win:
        key(qtbot, win, Qt.Key.Key_Return, CTRL)
        assert win.work.doc_id == "b"
        key(qtbot, win, Qt.Key.Key_Z, CTRL)
        assert win.work.doc_id == "a"
        assert win.work.status("a") == "todo"  # exactly as before: untouched
        assert win.documents.progress_label.text() == "0 / 4 done"
    assert stored(root, "ani", "a") is None  # no record of it is left


def test_undo_of_a_skip_made_on_another_document_restores_the_status_it_had(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    make_project(root, DOCS)
    shift = Qt.KeyboardModifier.ShiftModifier
    with window_on(qtbot, root) as win:
        drag_select(qtbot, win, len("Berita satu dari "), len("Berita satu dari Jakarta"))
        key(qtbot, win, Qt.Key.Key_3)  # a is in progress, with a span
        key(qtbot, win, Qt.Key.Key_Return, CTRL)  # a done; b opens
        key(qtbot, win, Qt.Key.Key_Return, CTRL | shift)  # b (untouched) skipped; c opens
        assert win.work.doc_id == "c"
        key(qtbot, win, Qt.Key.Key_Z, CTRL)  # undo the skip: back to b, untouched as it was
        assert win.work.doc_id == "b"
        assert win.work.status("b") == "todo"
        assert stored(root, "ani", "b") is None
        key(qtbot, win, Qt.Key.Key_Z, CTRL)  # undo the done: back to a, in progress
        assert win.work.doc_id == "a"
        assert win.work.status("a") == "in_progress"
        assert [s.text for s in win.work.spans] == ["Jakarta"]
        key(qtbot, win, Qt.Key.Key_Z, CTRL | shift)  # redo: done again, exactly
        assert win.work.status("a") == "done"
        model = win.document_model
        assert [model.index(r, 0).data(STATUS_ROLE) for r in range(2)] == ["done", "todo"]
    saved = stored(root, "ani", "a")
    assert saved is not None
    assert saved.status == "done"


def test_alt_arrows_move_through_the_list(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, DOCS)
    with window_on(qtbot, root) as win:
        key(qtbot, win, Qt.Key.Key_Right, ALT)
        key(qtbot, win, Qt.Key.Key_Right, ALT)
        assert win.work.doc_id == "c"
        # the list's current row follows once the text has painted
        qtbot.waitUntil(lambda: win.documents.view.currentIndex().data(ID_ROLE) == "c")
        key(qtbot, win, Qt.Key.Key_Left, ALT)
        assert win.work.doc_id == "b"
        assert "Surabaya" in win.header.text()


def test_clicking_a_row_opens_the_document(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, DOCS)
    with window_on(qtbot, root) as win:
        view = win.documents.view
        rect = view.visualRect(win.documents.proxy.index(3, 0))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert win.work.doc_id == "d"
        assert win.text.toPlainText() == DOCS[3][1]


def test_text_and_status_filters(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, DOCS)
    with window_on(qtbot, root) as win:
        key(qtbot, win, Qt.Key.Key_Return, CTRL)  # a done
        key(qtbot, win, Qt.Key.Key_F, CTRL)
        assert win.documents.filter_edit.hasFocus()
        qtbot.keyClicks(win.documents.filter_edit, "berita")
        qtbot.waitUntil(lambda: visible_ids(win) == ["a", "b", "c"])
        win.documents.set_status_filter("done")
        assert visible_ids(win) == ["a"]
        win.documents.set_status_filter("todo")
        assert visible_ids(win) == ["b", "c"]
        win.documents.filter_edit.clear()
        qtbot.waitUntil(lambda: visible_ids(win) == ["b", "c", "d"])
        win.text.setFocus()
        key(qtbot, win, Qt.Key.Key_Return, CTRL)  # b done: it leaves the "todo" list
        assert visible_ids(win) == ["c", "d"]
        assert win.work.doc_id == "c"
        win.documents.set_status_filter(None)
        assert visible_ids(win) == ["a", "b", "c", "d"]


def test_time_on_a_document_is_recorded_when_leaving_it(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, DOCS)
    with window_on(qtbot, root) as win:
        drag_select(qtbot, win, len("Berita satu dari "), len("Berita satu dari Jakarta"))
        key(qtbot, win, Qt.Key.Key_3)
        assert stored(root, "ani", "a").seconds == 0.0  # type: ignore[union-attr]
        win.work.set_active(True)
        backdate(win.work.clock)
        key(qtbot, win, Qt.Key.Key_Right, ALT)
        # written (with a compaction of a's edits) once b has painted
        qtbot.waitUntil(lambda: stored(root, "ani", "a").seconds > 0.0)  # type: ignore[union-attr]
        assert stored(root, "ani", "b") is None  # untouched documents stay untouched

"""Selecting spans, relabelling, deleting, overlaps, label-all and undo/redo, by keys and mouse."""

from __future__ import annotations

from pathlib import Path

from _helpers_window import (
    ARTICLE,
    action,
    click,
    drag_select,
    key,
    make_project,
    spans_on_disk,
    window_on,
)
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def label(qtbot: QtBot, win: object, start: int, end: int, k: Qt.Key) -> None:
    drag_select(qtbot, win, start, end)  # type: ignore[arg-type]
    key(qtbot, win, k)  # type: ignore[arg-type]


def test_click_a_span_then_relabel_and_delete(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    kem = ARTICLE.index("Kemendagri)")
    end = kem + len("Kemendagri")
    with window_on(qtbot, root) as win:
        label(qtbot, win, kem, end, Qt.Key.Key_1)  # wrong label first
        key(qtbot, win, Qt.Key.Key_Escape)
        assert win.text.selected_span is None
        click(qtbot, win, kem + 2)
        assert win.text.selected_span is not None
        assert win.text.selected_span.text == "Kemendagri"
        key(qtbot, win, Qt.Key.Key_2)  # relabel
        assert spans_on_disk(root, "ani", "d1") == [(kem, end, "AGENCY", "Kemendagri")]
        qtbot.waitUntil(lambda: "AGENCY" in win.selection_label.text())  # after the paint
        key(qtbot, win, Qt.Key.Key_Delete)
        assert win.work.spans == ()
        assert spans_on_disk(root, "ani", "d1") == []


def test_a_new_span_replaces_the_spans_it_overlaps(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    start = ARTICLE.index("Kementerian")
    dalam = ARTICLE.index("Dalam")
    negeri_end = ARTICLE.index("Negeri") + len("Negeri")
    with window_on(qtbot, root) as win:
        label(qtbot, win, start, start + len("Kementerian"), Qt.Key.Key_2)
        label(qtbot, win, dalam, negeri_end, Qt.Key.Key_3)
        assert len(win.work.spans) == 2
        label(qtbot, win, start, negeri_end, Qt.Key.Key_2)
        qtbot.waitUntil(lambda: win.span_model.rowCount() == 1)  # the list follows
    name = "Kementerian Dalam Negeri"
    assert spans_on_disk(root, "ani", "d1") == [(start, negeri_end, "AGENCY", name)]


def test_label_all_occurrences_is_one_undo_step(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    text = "Jakarta hari ini. Warga Jakarta dan JakartaBaru. Pemprov DKI Jakarta hadir."
    make_project(root, [("d1", text)])
    first = text.index("Jakarta")
    pemprov = text.index("Pemprov")
    with window_on(qtbot, root) as win:
        # "Pemprov DKI Jakarta" is already an AGENCY: its Jakarta stays as it is
        label(qtbot, win, pemprov, pemprov + len("Pemprov DKI Jakarta"), Qt.Key.Key_2)
        label(qtbot, win, first, first + len("Jakarta"), Qt.Key.Key_3)
        before_undo = win.work.undo_stack.count()
        action(win, "edit.label_all").trigger()
        assert win.work.undo_stack.count() == before_undo + 1
        second = text.index("Jakarta dan")
        assert spans_on_disk(root, "ani", "d1") == [
            (first, first + 7, "CITY", "Jakarta"),
            (second, second + 7, "CITY", "Jakarta"),  # not inside "JakartaBaru"
            (pemprov, pemprov + len("Pemprov DKI Jakarta"), "AGENCY", "Pemprov DKI Jakarta"),
        ]
        key(qtbot, win, Qt.Key.Key_Z, CTRL)
        assert [s.text for s in win.work.spans] == ["Jakarta", "Pemprov DKI Jakarta"]


def test_undo_and_redo_walk_back_to_the_start_and_forward_again(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    fikar = ARTICLE.index("Fikar")
    kem = ARTICLE.index("Kemendagri)")
    with window_on(qtbot, root) as win:
        label(qtbot, win, fikar, fikar + len("Fikar W.Eda"), Qt.Key.Key_1)
        label(qtbot, win, kem, kem + len("Kemendagri"), Qt.Key.Key_1)
        key(qtbot, win, Qt.Key.Key_2)  # relabel the span just made (it is selected)
        key(qtbot, win, Qt.Key.Key_Delete)
        final: list[tuple[int, int, str, str]] = [(fikar, fikar + 11, "PERSON", "Fikar W.Eda")]
        assert spans_on_disk(root, "ani", "d1") == final
        states = []
        for _ in range(4):
            key(qtbot, win, Qt.Key.Key_Z, CTRL)
            states.append(spans_on_disk(root, "ani", "d1"))  # every undo is journaled
        assert states[-1] == []
        assert states[0] == [*final, (kem, kem + 10, "AGENCY", "Kemendagri")]
        assert not action(win, "edit.undo").isEnabled()
        for _ in range(4):
            key(qtbot, win, Qt.Key.Key_Z, CTRL | SHIFT)
        assert spans_on_disk(root, "ani", "d1") == final
        assert not action(win, "edit.redo").isEnabled()


def test_tab_and_shift_tab_walk_through_the_spans(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    words = ["Fikar", "Kemendagri", "Safrizal"]
    with window_on(qtbot, root) as win:
        for word in words:
            start = ARTICLE.index(word)
            label(qtbot, win, start, start + len(word), Qt.Key.Key_1)
        key(qtbot, win, Qt.Key.Key_Escape)
        click(qtbot, win, 0)
        seen = []
        for _ in range(4):
            key(qtbot, win, Qt.Key.Key_Tab)
            seen.append(win.text.selected_span.text)  # type: ignore[union-attr]
        assert seen == [*words, "Fikar"]  # wraps around
        key(qtbot, win, Qt.Key.Key_Backtab, SHIFT)
        assert win.text.selected_span.text == "Safrizal"  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: win.span_list.currentIndex().row() == 2)  # the list follows


def test_span_list_click_selects_the_span_in_the_text(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    with window_on(qtbot, root) as win:
        for word in ("Fikar", "Safrizal"):
            start = ARTICLE.index(word)
            label(qtbot, win, start, start + len(word), Qt.Key.Key_1)
        qtbot.waitUntil(lambda: win.span_model.rowCount() == 2)
        view = win.span_list
        rect = view.visualRect(win.span_model.index(0, 0))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert win.text.selected_span is not None
        assert win.text.selected_span.text == "Fikar"
        assert win.text.caret() == ARTICLE.index("Fikar")


def test_editing_a_span_repaints_only_its_block(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    with window_on(qtbot, root) as win:
        start = ARTICLE.index("Safrizal")
        label(qtbot, win, start, start + len("Safrizal"), Qt.Key.Key_1)
        block = win.text.document().findBlock(win.text.umap.to_utf16(start))
        formats = block.layout().formats()
        assert any(f.start <= start - block.position() < f.start + f.length for f in formats)
        other = win.text.document().firstBlock()
        assert other.layout().formats() == []

"""Selecting text with the mouse or keyboard and pressing a label key makes the right span."""

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

EMOJI_TEXT = "🇮🇩📌 Berita: 👩🏽‍💻 Gubernur Anies Baswedan meresmikan JakLingko di Jakarta."
CRLF_TEXT = "Judul berita\r\n\r\nWali Kota Surabaya Eri Cahyadi hadir.\r\nAcara di Surabaya."


def test_mouse_drag_and_label_key_saves_exact_code_points(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    start = len("Laporan ")
    end = start + len("Fikar W.Eda")
    with window_on(qtbot, root) as win:
        drag_select(qtbot, win, start, end)
        key(qtbot, win, Qt.Key.Key_1)
        assert win.text.selection_range() is None  # the selection clears for the next one
        qtbot.waitUntil(lambda: win.windowTitle().endswith("saved (journaled)"))  # once fsynced
    assert spans_on_disk(root, "ani", "d1") == [(start, end, "PERSON", "Fikar W.Eda")]
    saved = (root / "annotations" / "ani.jsonl").read_text(encoding="utf-8")
    assert '"start":8,"end":19' in saved.replace(" ", "")  # compacted on close


def test_emoji_before_the_span_does_not_shift_it(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("e", EMOJI_TEXT)])
    start = EMOJI_TEXT.index("Anies")
    end = start + len("Anies Baswedan")
    city = EMOJI_TEXT.index("Jakarta")
    with window_on(qtbot, root) as win:
        drag_select(qtbot, win, start, end)
        key(qtbot, win, Qt.Key.Key_1)
        drag_select(qtbot, win, city, city + len("Jakarta"))
        key(qtbot, win, Qt.Key.Key_3)
    assert spans_on_disk(root, "ani", "e") == [
        (start, end, "PERSON", "Anies Baswedan"),
        (city, city + len("Jakarta"), "CITY", "Jakarta"),
    ]


def test_crlf_imported_text_keeps_offsets_of_the_stored_text(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("c", CRLF_TEXT)])
    stored_text = CRLF_TEXT.replace("\r\n", "\n")
    person = stored_text.index("Eri Cahyadi")
    city = stored_text.rindex("Surabaya")
    with window_on(qtbot, root) as win:
        drag_select(qtbot, win, person, person + len("Eri Cahyadi"))
        key(qtbot, win, Qt.Key.Key_1)
        drag_select(qtbot, win, city, city + len("Surabaya"))
        key(qtbot, win, Qt.Key.Key_3)
    assert spans_on_disk(root, "ani", "c") == [
        (person, person + len("Eri Cahyadi"), "PERSON", "Eri Cahyadi"),
        (city, city + len("Surabaya"), "CITY", "Surabaya"),
    ]


def test_keyboard_selection_by_word_then_label(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("e", EMOJI_TEXT)])
    start = EMOJI_TEXT.index("Gubernur")
    with window_on(qtbot, root) as win:
        click(qtbot, win, start)  # the caret before "Gubernur"
        key(qtbot, win, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)  # after it
        for _ in range(len("Anies")):
            key(qtbot, win, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
        assert win.text.selection_range() is not None
        key(qtbot, win, Qt.Key.Key_1)
    begin = start + len("Gubernur ")
    assert spans_on_disk(root, "ani", "e") == [(begin, begin + len("Anies"), "PERSON", "Anies")]


def test_ctrl_shift_right_selects_whole_words(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    start = ARTICLE.index("Kementerian")
    with window_on(qtbot, root) as win:
        click(qtbot, win, start)
        for _ in range(3):
            key(
                qtbot,
                win,
                Qt.Key.Key_Right,
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
            )
        key(qtbot, win, Qt.Key.Key_2)
    name = "Kementerian Dalam Negeri"
    assert spans_on_disk(root, "ani", "d1") == [(start, start + len(name), "AGENCY", name)]


def test_partial_selection_snaps_out_to_tokens_unless_exact(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    word = ARTICLE.index("Kemendagri)")
    with window_on(qtbot, root) as win:
        # "endag" inside "Kemendagri", with the space before "(": snapped to the word
        drag_select(qtbot, win, word + 3, word + 8)
        key(qtbot, win, Qt.Key.Key_2)
        assert [s.text for s in win.work.spans] == ["Kemendagri"]
        exact = action(win, "edit.exact")
        exact.trigger()
        assert exact.isChecked()
        safrizal = ARTICLE.index("Safrizal")
        drag_select(qtbot, win, safrizal, safrizal + 4)  # "Safr", kept as selected
        key(qtbot, win, Qt.Key.Key_1)
    assert spans_on_disk(root, "ani", "d1") == [
        (word, word + len("Kemendagri"), "AGENCY", "Kemendagri"),
        (safrizal, safrizal + 4, "PERSON", "Safr"),
    ]


def test_whitespace_around_a_selection_is_trimmed(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    city = ARTICLE.index("Jakarta pada")
    with window_on(qtbot, root) as win:
        action(win, "edit.exact").trigger()
        drag_select(qtbot, win, city - 1, city + len("Jakarta "))
        key(qtbot, win, Qt.Key.Key_3)
    assert spans_on_disk(root, "ani", "d1") == [(city, city + len("Jakarta"), "CITY", "Jakarta")]


def test_label_key_without_selection_changes_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    with window_on(qtbot, root) as win:
        key(qtbot, win, Qt.Key.Key_1)
        assert win.work.spans == ()
        assert "Select some text" in win.statusBar().currentMessage()
    assert spans_on_disk(root, "ani", "d1") == []


def test_combining_marks_and_zwj_emoji_keep_code_point_offsets(
    qtbot: QtBot, tmp_path: Path
) -> None:
    # "é" written as e + COMBINING ACUTE, after a ZWJ emoji sequence of 4 code points
    text = "👩🏽‍💻 Pak Jose\u0301 Rizal dari Bogor dan Anies."
    root = tmp_path / "p"
    make_project(root, [("m", text)])
    name = text.index("Jose\u0301")
    end = name + len("Jose\u0301 Rizal")
    city = text.index("Bogor")
    with window_on(qtbot, root) as win:
        drag_select(qtbot, win, name, end)
        key(qtbot, win, Qt.Key.Key_1)
        click(qtbot, win, city)
        key(qtbot, win, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
        key(
            qtbot,
            win,
            Qt.Key.Key_Left,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        key(qtbot, win, Qt.Key.Key_3)
    assert spans_on_disk(root, "ani", "m") == [
        (name, end, "PERSON", "Jose\u0301 Rizal"),
        (city, city + len("Bogor"), "CITY", "Bogor"),
    ]

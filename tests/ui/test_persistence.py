"""Saving, reopening, the title's saved state, and a read-only second instance."""

from __future__ import annotations

import json
from pathlib import Path

from _helpers_window import (
    ARTICLE,
    action,
    drag_select,
    key,
    make_project,
    settings_at,
    spans_on_disk,
    window_on,
)
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

CTRL = Qt.KeyboardModifier.ControlModifier
DOCS = [("d1", ARTICLE), ("d2", "Kabupaten Banyuwangi meluncurkan aplikasi baru.")]


def test_title_follows_journal_and_save(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, DOCS)
    journal = root / ".annotator" / "ani.journal"
    with window_on(qtbot, root) as win:
        assert win.windowTitle() == "p — ani — saved"
        start = ARTICLE.index("Jakarta")
        drag_select(qtbot, win, start, start + len("Jakarta"))
        key(qtbot, win, Qt.Key.Key_3)
        qtbot.waitUntil(lambda: win.windowTitle() == "p — ani — saved (journaled)")  # once fsynced
        assert journal.stat().st_size > 0  # the edit is on disk before the title says so
        key(qtbot, win, Qt.Key.Key_S, CTRL)
        assert win.windowTitle() == "p — ani — saved"
        assert journal.stat().st_size == 0
        line = (root / "annotations" / "ani.jsonl").read_text(encoding="utf-8").splitlines()[0]
        record = json.loads(line)
        assert record["spans"] == [
            {"start": start, "end": start + 7, "label": "CITY", "text": "Jakarta"}
        ]


def test_reopening_restores_spans_status_document_and_view(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, DOCS)
    settings = settings_at(tmp_path / "settings.ini")
    kab = DOCS[1][1].index("Banyuwangi")
    with window_on(qtbot, root, settings=settings) as win:
        key(qtbot, win, Qt.Key.Key_Return, CTRL)  # d1 done, on to d2
        drag_select(qtbot, win, 0, kab + len("Banyuwangi"))
        key(qtbot, win, Qt.Key.Key_3)
        action(win, "edit.exact").trigger()
        action(win, "view.zoom_in").trigger()
        action(win, "view.theme.dark").trigger()
        win.docks["guideline_dock"].hide()
    with window_on(qtbot, root, settings=settings) as again:
        assert again.work.doc_id == "d2"
        assert [(s.start, s.end, s.label) for s in again.work.spans] == [
            (0, kab + len("Banyuwangi"), "CITY")
        ]
        assert again.work.status("d1") == "done"
        assert again.documents.progress_label.text() == "1 / 2 done"
        assert action(again, "edit.exact").isChecked()
        assert again.text.zoom == 1
        assert action(again, "view.theme.dark").isChecked()
        assert again.docks["guideline_dock"].isHidden()
        qtbot.waitUntil(lambda: again.span_model.rowCount() == 1)
        action(again, "view.theme.light").trigger()  # leave the application light


def test_second_instance_is_read_only_and_names_the_holder(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, DOCS)
    start = ARTICLE.index("Kemendagri)")
    with window_on(qtbot, root) as first:
        drag_select(qtbot, first, start, start + len("Kemendagri"))
        key(qtbot, first, Qt.Key.Key_2)
        # a second instance reads what is written: the edit once the first says it is saved
        qtbot.waitUntil(lambda: first.windowTitle().endswith("saved (journaled)"))
        with window_on(qtbot, root) as second:
            assert second.work.read_only
            assert second.windowTitle().endswith("read-only")
            assert second.notice.isVisible()
            assert "ani is already open in another window" in second.notice.text()
            assert " pid " in second.notice.text()  # who holds it
            # the second window sees the first one's journaled edit
            assert [s.text for s in second.work.spans] == ["Kemendagri"]
            assert not action(second, "label.PERSON").isEnabled()
            other = ARTICLE.index("Fikar")
            drag_select(qtbot, second, other, other + 5)
            key(qtbot, second, Qt.Key.Key_1)
            key(qtbot, second, Qt.Key.Key_Return, CTRL)
            assert [s.text for s in second.work.spans] == ["Kemendagri"]
        assert spans_on_disk(root, "ani", "d1") == [(start, start + 10, "AGENCY", "Kemendagri")]
        # the first window still writes after the second one closed
        other = ARTICLE.index("Fikar")
        with qtbot.waitActive(first):
            first.activateWindow()
        drag_select(qtbot, first, other, other + len("Fikar W.Eda"))
        key(qtbot, first, Qt.Key.Key_1)
    assert [s[2] for s in spans_on_disk(root, "ani", "d1")] == ["PERSON", "AGENCY"]


def test_a_killed_window_loses_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    """What the journal holds when the process dies is what the next window shows."""
    root = tmp_path / "p"
    make_project(root, DOCS)
    with window_on(qtbot, root) as win:
        start = ARTICLE.index("Safrizal")
        drag_select(qtbot, win, start, start + len("Safrizal ZA"))
        key(qtbot, win, Qt.Key.Key_1)
        # no Save and no close yet: a reader now sees what a crash would leave behind
        assert spans_on_disk(root, "ani", "d1") == [(start, start + 11, "PERSON", "Safrizal ZA")]
        assert not (root / "annotations" / "ani.jsonl").exists()


def test_bad_lines_are_named_and_left_alone(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, DOCS)
    saved = root / "annotations" / "ani.jsonl"
    saved.write_text('{"id": "d1", "text": "broken\n', encoding="utf-8")
    with window_on(qtbot, root) as win:
        assert win.notice.isVisible()
        assert f"{saved}:1:" in win.notice.text()
        start = ARTICLE.index("Jakarta")
        drag_select(qtbot, win, start, start + len("Jakarta"))
        key(qtbot, win, Qt.Key.Key_3)
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert lines[0] == '{"id": "d1", "text": "broken'  # kept byte for byte
    assert json.loads(lines[1])["spans"][0]["text"] == "Jakarta"

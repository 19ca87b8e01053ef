"""Suggestions in the real window: outlined, accepted and rejected by key, never annotations.

Every test opens a project whose text holds entities the rules know, with an emoji before
them so that code points and Qt's UTF-16 positions differ.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from _helpers_window import action, click, key, make_project, spans_on_disk, stored, window_on
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from annotator.core.agreement.loading import load_corpus
from annotator.core.edit import AddSpan
from annotator.core.export.run import ExportOptions, export_project
from annotator.core.model import Document
from annotator.core.project import Project
from annotator.core.suggest import load_model, model_info
from annotator.core.suggest.model import model_dir
from annotator.core.tokens import Snap
from annotator.ui.window.main_window import MainWindow
from annotator.ui.window.shortcuts_dialog import cheat_sheet_rows

TEXT = (
    "🇮🇩📌 Berita: Kementerian Dalam Negeri (Kemendagri) meminta Pemerintah Kota Makassar "
    "bersiap. Dr Budi Santoso hadir pada Selasa (30/08/2022) di Kota Makassar.\n"
    "Kemendagri akan kembali pekan depan."
)
EXPECTED = [
    ("AGENCY", "Kementerian Dalam Negeri"),
    ("AGENCY", "Kemendagri"),
    ("AGENCY", "Pemerintah Kota Makassar"),
    ("PERSON", "Budi Santoso"),
    ("DATE", "Selasa (30/08/2022)"),
    ("CITY", "Kota Makassar"),
    ("AGENCY", "Kemendagri"),
]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def shown(win: MainWindow) -> list[tuple[str, str]]:
    """``(label, covered text)`` of the suggestions the window shows."""
    return [(s.label, TEXT[s.start : s.end]) for s in win.suggestions.shown.items]


def ready(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: win.suggestions.ready, timeout=10_000)


def project_with_text(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    make_project(root, [("d1", TEXT), ("d2", "Berita kedua tanpa nama.")])
    return root


def pixels(win: MainWindow, start: int, end: int, label: str) -> tuple[int, int]:
    """In the box of ``[start, end)`` (on one line): pixels of the label's colour, and inside
    it, pixels of a colour that is not grey (text is grey or black; a fill is a tint).

    An outline gives the first and none of the second; a span's fill gives the second.
    """
    text = win.text
    text.viewport().repaint()
    image: QImage = text.viewport().grab().toImage()
    a, b = text.cursorRect(text.cursor_at(start)), text.cursorRect(text.cursor_at(end))
    assert a.top() == b.top()
    colour = QColor(next(lab.color for lab in win.labels if lab.name == label)).rgb()
    outline = sum(
        image.pixelColor(x, y).rgb() == colour
        for x in range(a.left() - 2, b.right() + 3)
        for y in range(a.top() - 1, a.bottom() + 2)
    )
    inside = sum(
        image.pixelColor(x, y).saturation() > 20
        for x in range(a.left() + 3, b.left() - 2)
        for y in range(a.top() + 3, a.bottom() - 2)
    )
    return outline, inside


def test_suggestions_are_outlined_and_are_not_annotations(qtbot: QtBot, tmp_path: Path) -> None:
    root = project_with_text(tmp_path)
    with window_on(qtbot, root) as win:
        ready(qtbot, win)
        assert shown(win) == EXPECTED
        assert win.findChild(type(win.suggestions.count_label), "suggestion_count_label")
        assert win.suggestions.count_label.text() == "7 suggestion(s) left"
        assert win.suggestions.pane.count_label.text() == "7 suggestion(s) left"
        assert win.work.spans == ()
        # drawn as a dashed outline in the label colour, with no fill
        start = TEXT.index("Budi Santoso")
        outline, inside = pixels(win, start, start + len("Budi Santoso"), "PERSON")
        assert outline > 20
        assert inside == 0
        # accepted, a suggestion becomes a span: filled
        city = TEXT.index("Kota Makassar", TEXT.index("di Kota"))
        assert pixels(win, city, city + 13, "CITY")[1] == 0
        click(qtbot, win, city + 1)
        key(qtbot, win, "a")
        assert pixels(win, city, city + 13, "CITY")[1] > 100
        # hidden with View > Show suggestions: nothing drawn, nothing to accept
        action(win, "view.suggestions").trigger()
        assert pixels(win, start, start + len("Budi Santoso"), "PERSON") == (0, 0)
        assert not action(win, "suggest.accept").isEnabled()
        assert win.suggestions.count_label.text() == ""
        action(win, "view.suggestions").trigger()
        ready(qtbot, win)
        assert len(shown(win)) == 6
    # nothing but the accepted one was ever saved
    assert [s[3] for s in spans_on_disk(root, "ani", "d1")] == ["Kota Makassar"]


def test_accept_key_saves_exact_code_points(qtbot: QtBot, tmp_path: Path) -> None:
    root = project_with_text(tmp_path)
    start = TEXT.index("Budi Santoso")
    end = start + len("Budi Santoso")
    assert len(TEXT[:start].encode("utf-16-le")) // 2 != start  # the emoji shift Qt's count
    with window_on(qtbot, root) as win:
        ready(qtbot, win)
        click(qtbot, win, start + 2)
        key(qtbot, win, "a")
        assert ("PERSON", "Budi Santoso") not in shown(win)
        assert win.suggestions.count_label.text() == "6 suggestion(s) left"
        selected = win.text.selected_span  # selected, so a label key would relabel it
        assert selected is not None
        assert (selected.start, selected.end) == (start, end)
        qtbot.waitUntil(lambda: win.windowTitle().endswith("saved (journaled)"))  # once fsynced
        # the next key acts on the next suggestion after the caret: the date
        key(qtbot, win, "a")
        assert ("DATE", "Selasa (30/08/2022)") not in shown(win)
    date = TEXT.index("Selasa")
    assert spans_on_disk(root, "ani", "d1") == [
        (start, end, "PERSON", "Budi Santoso"),
        (date, date + len("Selasa (30/08/2022)"), "DATE", "Selasa (30/08/2022)"),
    ]
    saved = (root / "annotations" / "ani.jsonl").read_text(encoding="utf-8")
    assert f'"start":{start},"end":{end}' in saved.replace(" ", "")


def test_reject_key_is_remembered_and_undoable(qtbot: QtBot, tmp_path: Path) -> None:
    root = project_with_text(tmp_path)
    date = TEXT.index("Selasa")
    with window_on(qtbot, root) as win:
        ready(qtbot, win)
        click(qtbot, win, date + 1)
        key(qtbot, win, "r")
        assert ("DATE", "Selasa (30/08/2022)") not in shown(win)
        assert len(shown(win)) == 6
        key(qtbot, win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert ("DATE", "Selasa (30/08/2022)") in shown(win)
        key(
            qtbot,
            win,
            Qt.Key.Key_Z,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        assert ("DATE", "Selasa (30/08/2022)") not in shown(win)
    ann = stored(root, "ani", "d1")
    assert ann is not None
    assert ann.spans == ()
    assert ann.meta["rejected_suggestions"] == [[date, date + 19, "DATE"]]
    with window_on(qtbot, root) as win:  # opened again: it stays gone
        ready(qtbot, win)
        assert win.work.doc_id == "d1"
        assert shown(win) == [s for s in EXPECTED if s[0] != "DATE"]


def test_accept_all_is_one_undo_step(qtbot: QtBot, tmp_path: Path) -> None:
    root = project_with_text(tmp_path)
    with window_on(qtbot, root) as win:
        ready(qtbot, win)
        key(qtbot, win, Qt.Key.Key_A, CTRL_SHIFT)
        assert shown(win) == []
        assert [(s.label, s.text) for s in win.work.spans] == EXPECTED
        assert win.suggestions.count_label.text() == "0 suggestion(s) left"
        key(qtbot, win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert win.work.spans == ()
        qtbot.waitUntil(lambda: shown(win) == EXPECTED)  # the outlines follow the paint
        key(qtbot, win, Qt.Key.Key_Z, CTRL_SHIFT)  # redo
        assert len(win.work.spans) == 7
    assert [(s[2], s[3]) for s in spans_on_disk(root, "ani", "d1")] == EXPECTED


def test_next_and_previous_move_the_caret_and_typing_in_the_filter_accepts_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = project_with_text(tmp_path)
    with window_on(qtbot, root) as win:
        ready(qtbot, win)
        key(qtbot, win, "n")
        assert win.text.caret() == TEXT.index("Kementerian")
        key(qtbot, win, "n")
        assert win.text.caret() == TEXT.index("Kemendagri")
        key(qtbot, win, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
        assert win.text.caret() == TEXT.index("Kementerian")
        assert "AGENCY" in win.selection_label.text()
        # plain letters typed into the documents filter stay text
        win.documents.filter_edit.setFocus()
        QTest.keyClicks(win.documents.filter_edit, "ra")
        assert win.documents.filter_edit.text() == "ra"
        assert win.work.spans == ()
        assert len(shown(win)) == 7


def test_suggestions_never_reach_export_or_agreement(qtbot: QtBot, tmp_path: Path) -> None:
    root = project_with_text(tmp_path)
    start = TEXT.index("Budi Santoso")
    with window_on(qtbot, root) as win:
        ready(qtbot, win)
        click(qtbot, win, start + 1)
        key(qtbot, win, "a")
        click(qtbot, win, TEXT.index("Selasa") + 1)
        key(qtbot, win, "r")
        key(qtbot, win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # done
    project = Project.open(root)
    summary = export_project(
        project, ExportOptions(format="jsonl", source="ani", out=tmp_path / "x")
    )
    assert summary is not None
    lines = [json.loads(x) for x in (tmp_path / "x" / "all.jsonl").read_text().splitlines()]
    assert [(s["start"], s["end"], s["label"]) for s in lines[0]["spans"]] == [
        (start, start + 12, "PERSON")
    ]
    corpus = load_corpus(project, ["ani"])
    assert [tuple(s)[:3] for s in corpus.submissions["ani"]["d1"].spans] == [
        (start, start + 12, "PERSON")
    ]
    assert not (root / "suggestions").exists()


def test_keys_do_not_clash_and_are_in_the_cheat_sheet(qtbot: QtBot, tmp_path: Path) -> None:
    root = project_with_text(tmp_path)
    with window_on(qtbot, root) as win:
        reg = win.registry
        keys = Counter(
            k.toString(QKeySequence.SequenceFormat.PortableText)
            for a in reg.actions.values()
            for k in a.shortcuts()
        )
        assert [k for k, n in keys.items() if n > 1] == []
        assert reg.key_text("suggest.accept") == "A"
        assert reg.key_text("suggest.reject") == "R"
        assert reg.key_text("suggest.accept_all") == "Ctrl+Shift+A"
        rows = dict(cheat_sheet_rows(reg))
        for action_id in ("suggest.accept", "suggest.reject", "suggest.accept_all", "suggest.next"):
            assert action_id in rows
        # the source can be chosen; "nothing" shows nothing
        action(win, "suggest.from.none").trigger()
        assert win.suggestions.count_label.text() == ""
        assert shown(win) == []
        action(win, "suggest.from.rules").trigger()
        ready(qtbot, win)
        assert len(shown(win)) == 7


# -- training ---------------------------------------------------------------------------------

PEOPLE = ["Budi Santoso", "Siti Aminah", "Rina Hapsari", "Andi Wijaya", "Dewi Lestari"]
CITIES = ["Makassar", "Surabaya", "Bandung", "Medan", "Padang", "Kupang"]


def tiny_article(i: int) -> tuple[str, list[tuple[int, int, str]]]:
    person, city = PEOPLE[i % len(PEOPLE)], CITIES[i % len(CITIES)]
    text = f"Wali Kota {city} {person} hadir.\nWarga {city} menyambut {person}."
    spans = []
    for word, label in ((city, "CITY"), (person, "PERSON")):
        at = text.index(word)
        spans.append((at, at + len(word), label))
        at = text.index(word, at + 1)
        spans.append((at, at + len(word), label))
    return text, sorted(spans)


def trained_project(root: Path, n: int = 24) -> Path:
    project = Project.init(root)
    articles = [tiny_article(i) for i in range(n)]
    project.documents.append(Document(id=f"d{i:03d}", text=t) for i, (t, _) in enumerate(articles))
    with project.session("lead") as session:
        for i, (_, spans) in enumerate(articles):
            for s, e, label in spans:
                session.apply(AddSpan(f"d{i:03d}", s, e, label, Snap.EXACT))
            session.set_status(f"d{i:03d}", "done")
    return root


def test_training_from_the_window_makes_a_model_and_shows_its_f1(
    qtbot: QtBot, tmp_path: Path
) -> None:
    pytest.importorskip("spacy")
    root = trained_project(tmp_path / "p")
    with window_on(qtbot, root) as win:
        ready(qtbot, win)
        assert "No model" in win.suggestions.pane.model_label.text()
        before = len(win.suggestions.shown.items)
        with qtbot.waitSignal(win.suggestions.training_finished, timeout=60_000) as done:
            action(win, "suggest.train").trigger()
            dialog = win.findChild(QProgressDialog, "training_dialog")
            assert dialog is not None
            assert dialog.isVisible()
            # the window stays usable meanwhile: a key press accepts a suggestion
            assert win.suggestions.training is not None
            assert win.suggestions.training.running
            if before:
                key(qtbot, win, "a")
                assert len(win.work.spans) == 1
        result, error = done.args
        assert error == ""
        assert result is not None
        assert not result.cancelled
        info = model_info(Project.open(root))
        assert info is not None
        assert info.f1 is not None
        assert load_model(Project.open(root)) is not None
        f1 = f"{info.f1:.2f}"
        assert f"F1 {f1}" in win.suggestions.pane.model_label.text()
        assert win.suggestions.pane.table.rowCount() == len(info.labels)
        assert action(win, "suggest.from.both").isChecked()  # the model now suggests too
        ready(qtbot, win)
        assert f"F1 {f1}" in win.suggestions.count_label.text()
        assert not dialog.isVisible()


def test_cancel_stops_training_and_keeps_no_model(qtbot: QtBot, tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    root = trained_project(tmp_path / "p")
    with window_on(qtbot, root) as win:
        with qtbot.waitSignal(win.suggestions.training_finished, timeout=60_000) as done:
            action(win, "suggest.train").trigger()
            dialog = win.findChild(QProgressDialog, "training_dialog")
            assert dialog is not None
            cancel = dialog.findChild(QPushButton)
            assert cancel is not None
            cancel.click()
        result, error = done.args
        assert error == ""
        assert result is not None
        assert result.cancelled
        assert "cancelled" in win.suggestions.pane.model_label.text()
    assert not model_dir(Project.open(root)).exists()


def test_training_without_spacy_says_so_in_one_line(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project_with_text(tmp_path)
    monkeypatch.setitem(sys.modules, "spacy", None)
    with window_on(qtbot, root) as win:
        action(win, "suggest.train").trigger()
        message = win.statusBar().currentMessage()
        assert "pip install 'annotator[spacy]'" in message
        assert "\n" not in message
        assert win.suggestions.training is None
        assert win.findChild(QProgressDialog, "training_dialog") is None


def test_a_read_only_window_shows_suggestions_but_accepts_none(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = project_with_text(tmp_path)
    with window_on(qtbot, root) as first, window_on(qtbot, root) as second:
        assert second.work.read_only
        assert not first.work.read_only
        ready(qtbot, second)
        assert len(shown(second)) == 7
        assert not action(second, "suggest.accept").isEnabled()
        assert not action(second, "suggest.accept_all").isEnabled()
        key(qtbot, second, "a")
        key(qtbot, second, Qt.Key.Key_A, CTRL_SHIFT)
        assert second.work.spans == ()
        assert len(shown(second)) == 7
    assert stored(root, "ani", "d1") is None

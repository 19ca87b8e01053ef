"""Review state is read back from saved gold and the annotators' files whenever the review page
shows a document: after F7 out and in, a restart, switching documents, undo after re-entry,
and another lead's save."""

from __future__ import annotations

from pathlib import Path

from _helpers_window import action, open_window, spans_on_disk, window_on
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_adjudication import (
    ALT,
    CTRL,
    T1,
    at,
    build,
    click_row,
    gold_keys,
    open_review,
    press,
)

from annotator.core.edit import TakeVersion
from annotator.core.model import GOLD
from annotator.core.project import Project
from annotator.core.store import Session
from annotator.ui.review.adjudication_mode import AdjudicationMode

JOKO, JAKARTA = at(T1, "Joko Widodo", "PERSON"), at(T1, "Jakarta", "CITY")
AGENCY, SENIN = at(T1, "Kemendagri", "AGENCY"), at(T1, "Senin", "DATE")
# d1's three disagreements, in text order: Joko Widodo / Widodo, Kemendagri, Senin


def f7(qtbot: QtBot, mode: AdjudicationMode) -> None:
    qtbot.keyClick(mode.page.gold.text, Qt.Key.Key_F7)


def resolved_marks(mode: AdjudicationMode) -> set[tuple[int, int]]:
    return set(mode.page.gold.text.resolved)


def decide_two(qtbot: QtBot, mode: AdjudicationMode) -> None:
    """On d1: ani's Joko Widodo, and neither for Kemendagri; Senin stays open."""
    assert mode.doc_id == "d1"
    assert mode.doc.current == 0  # the first open disagreement is in focus
    press(qtbot, mode, Qt.Key.Key_1, ALT)
    assert mode.doc.current == 0  # taking does not move: Tab does
    assert "resolved: gold has ani's version" in mode.page.candidate.text()
    press(qtbot, mode, Qt.Key.Key_Tab)
    assert mode.doc.current == 1
    press(qtbot, mode, Qt.Key.Key_0, ALT)
    assert gold_keys(mode) == [JOKO, JAKARTA]
    assert mode.doc.state.resolved == (True, True, False)


def assert_left_as_decided(mode: AdjudicationMode) -> None:
    assert mode.doc_id == "d1"
    assert gold_keys(mode) == [JOKO, JAKARTA]
    assert mode.doc.state.resolved == (True, True, False)
    assert mode.doc.current == 2  # where the lead left off: the one still open
    first_line = mode.page.candidate.text().splitlines()[0]
    assert "Disagreement 3 of 3" in first_line
    assert "still open: 1" in first_line
    joko = (JOKO[0], JOKO[1])
    agency = (AGENCY[0], AGENCY[1])
    assert resolved_marks(mode) == {joko, agency}  # drawn resolved, "neither" included
    assert "spans: 2" in mode.page.gold.title.text()


def test_f7_out_and_in_shows_gold_as_saved(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    build(root)
    with window_on(qtbot, root, "lead") as window:
        mode = open_review(qtbot, window)
        decide_two(qtbot, mode)
        f7(qtbot, mode)
        assert not mode.active
        f7(qtbot, mode)  # from the annotating view: F7 is a window action
        assert mode.active
        qtbot.waitUntil(lambda: mode.doc_id == "d1")
        assert_left_as_decided(mode)
        # the keys act on what is shown: Alt+1 takes ani's Senin, journaled
        press(qtbot, mode, Qt.Key.Key_1, ALT)
        assert SENIN in gold_keys(mode)
        assert [s[:3] for s in spans_on_disk(root, GOLD, "d1")] == [JOKO, JAKARTA, SENIN]
        assert mode.doc.state.open_count == 0
        # undo after re-entry: Senin is open again, the rest as saved
        press(qtbot, mode, Qt.Key.Key_Z, CTRL)
        assert gold_keys(mode) == [JOKO, JAKARTA]
        assert mode.doc.state.resolved == (True, True, False)
        assert [s[:3] for s in spans_on_disk(root, GOLD, "d1")] == [JOKO, JAKARTA]
        # Tab from the last wraps to the first, one step at a time
        press(qtbot, mode, Qt.Key.Key_Tab)
        assert mode.doc.current == 0
        press(qtbot, mode, Qt.Key.Key_Tab)
        assert mode.doc.current == 1


def test_a_restart_shows_gold_as_saved_even_when_everything_is_adjudicated(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    build(root)
    with window_on(qtbot, root, "lead") as window:
        mode = open_review(qtbot, window)
        decide_two(qtbot, mode)
    with window_on(qtbot, root, "lead") as window:
        mode = open_review(qtbot, window)
        assert_left_as_decided(mode)
        for _ in range(3):  # adjudicated, next: every document
            press(qtbot, mode, Qt.Key.Key_Return, CTRL)
        assert all(mode._adjudicated(d) for d in ("d1", "d2", "d3"))
    with window_on(qtbot, root, "lead") as window:
        mode = open_review(qtbot, window)
        assert mode.doc_id is not None  # not a blank page
        click_row(mode, "d1")
        assert mode.doc_id == "d1"
        assert len(mode.doc.adj.disputed) == 3
        assert "agree on every span" not in mode.page.candidate.text()
        assert mode.doc.state.open_count == 0  # adjudicated: all resolved
        assert gold_keys(mode) == [JOKO, JAKARTA]


def test_switching_documents_reads_each_back(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    build(root)
    with window_on(qtbot, root, "lead") as window:
        mode = open_review(qtbot, window)
        decide_two(qtbot, mode)
        mode.page.queue.setFocus()
        click_row(mode, "d3")
        assert mode.doc_id == "d3"
        assert mode.doc.state.resolved == (False,)
        # the click hands the keys back to gold, and the focus ring says so
        assert mode.page.gold.text.hasFocus()
        assert window.focus_ring.target is mode.page.gold.text
        assert window.focus_ring.isVisible()
        click_row(mode, "d1")
        assert_left_as_decided(mode)


def test_another_leads_save_shows_in_a_read_only_review(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    build(root)
    project = Project.open(root)
    other = Session(project, GOLD)  # the other lead, on another machine, holds gold
    try:
        window = open_window(qtbot, root, "lead2")
        try:
            mode = open_review(qtbot, window)
            assert mode.gold is not None
            assert mode.gold.read_only
            assert mode.doc_id == "d1"
            assert mode.doc.state.open_count == 3
            joko = mode.doc.adj.disputed[0]
            other.apply(TakeVersion("d1", joko.start, joko.end, joko.versions[0]))
            qtbot.waitUntil(lambda: mode.doc.state.resolved[0], timeout=20_000)
            assert mode.doc.state.decisions[0] == 0
            assert mode.gold is not None
            assert mode.gold.read_only
        finally:
            window.close()
    finally:
        other.close()


def test_status_bar_and_language_follow_the_review(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    build(root)
    with window_on(qtbot, root, "lead") as window:
        position = window.position_label
        assert position.isVisible()
        mode = open_review(qtbot, window)
        # the status bar tells of the review, not of the annotating view
        assert not position.isVisible()
        assert not window.mode_label.isVisible()
        line = mode.status.label
        assert line.isVisible()
        assert line.text().startswith("🇮🇩 Presiden Joko Widodo")  # the document's title
        assert " · disagreement 1 of 3 · 3 still open · gold in progress" in line.text()
        press(qtbot, mode, Qt.Key.Key_1, ALT)
        assert "2 still open" in line.text()
        # Bahasa Indonesia while reviewing: every text of the page
        action(window, "view.language.id").trigger()
        qtbot.waitUntil(lambda: "F1 ketat" in mode.page.header.text())
        assert "rentang" in mode.page.panels[0].title.text()
        assert mode.page.gold.title.text().startswith("Gold · rentang: 2")
        assert "strict" not in mode.page.header.text()
        assert "spans" not in mode.page.panels[0].title.text()
        assert "Ketidaksepakatan 1 dari 3" in mode.page.candidate.text()
        assert "masih terbuka" in line.text()
        f7(qtbot, mode)  # leave, and come back in Indonesian: still Indonesian
        assert position.isVisible()
        assert not line.isVisible()
        f7(qtbot, mode)
        qtbot.waitUntil(lambda: mode.doc_id == "d1")
        assert "F1 ketat" in mode.page.header.text()
        assert "rentang" in mode.page.gold.title.text()

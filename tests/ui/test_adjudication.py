"""Review mode: the disagreement queue and adjudicating a document into gold from the keyboard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _helpers_window import action, make_project, open_window, spans_on_disk, stored, window_on
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from annotator.core.agreement import match_spans
from annotator.core.edit import Put
from annotator.core.export.run import ExportOptions, export_project
from annotator.core.model import Annotation, make_span
from annotator.core.project import Project
from annotator.core.store import Session
from annotator.ui.review.adjudication_mode import AdjudicationMode
from annotator.ui.review.adjudication_page import ReviewText
from annotator.ui.review.queue_model import DOC_ID_ROLE, VALUE_ROLE, QueueModel
from annotator.ui.window.main_window import MainWindow

T1 = "🇮🇩 Presiden Joko Widodo tiba di Jakarta bersama Kemendagri pada Senin di Bandung."
T2 = "Walikota Bandung, Yana Mulyana, meluncurkan program Bandung Smart City pada 2022."
T3 = "Rapat Kemendagri berlangsung di Surabaya hingga sore."
TEXTS = {"d1": T1, "d2": T2, "d3": T3}

Spans = list[tuple[int, int, str]]


def at(text: str, word: str, label: str, nth: int = 0) -> tuple[int, int, str]:
    """``word``'s code-point span in ``text`` (its ``nth`` occurrence)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return (start, start + len(word), label)


ANNOTATIONS: dict[str, dict[str, Spans]] = {
    "ani": {
        "d1": [
            at(T1, "Joko Widodo", "PERSON"),
            at(T1, "Jakarta", "CITY"),
            at(T1, "Kemendagri", "PROGRAM"),
            at(T1, "Senin", "DATE"),
        ],
        "d2": [
            at(T2, "Bandung", "CITY"),
            at(T2, "Yana Mulyana", "PERSON"),
            at(T2, "Bandung Smart City", "PROGRAM"),
            at(T2, "2022", "DATE"),
        ],
        "d3": [at(T3, "Kemendagri", "AGENCY"), at(T3, "Surabaya", "CITY")],
    },
    "budi": {
        "d1": [
            at(T1, "Widodo", "PERSON"),
            at(T1, "Jakarta", "CITY"),
            at(T1, "Kemendagri", "AGENCY"),
        ],
        "d2": [
            at(T2, "Bandung", "CITY"),
            at(T2, "Yana Mulyana", "PERSON"),
            at(T2, "Bandung Smart City", "PROGRAM"),
            at(T2, "2022", "DATE"),
        ],
        "d3": [at(T3, "Kemendagri", "AGENCY")],
    },
    "cita": {  # the third annotator, on one document only
        "d2": [
            at(T2, "Bandung", "CITY"),
            at(T2, "Yana Mulyana", "PERSON"),
            at(T2, "Bandung", "CITY", nth=1),
            at(T2, "2022", "DATE"),
        ],
    },
}


def build(root: Path) -> Project:
    project = make_project(root, list(TEXTS.items()))
    for name, docs in ANNOTATIONS.items():
        session = Session(project, name)
        try:
            for doc_id, spans in docs.items():
                text = TEXTS[doc_id]
                made = tuple(make_span(text, s, e, label) for s, e, label in spans)
                session.apply(
                    Put(Annotation(id=doc_id, text=text, annotator=name, status="done", spans=made))
                )
        finally:
            session.close()
    return project


def expected_queue() -> list[str]:
    """The documents by per-document strict F1 (mean over the pairs), computed here."""
    f1: dict[str, float] = {}
    for doc_id in TEXTS:
        names = sorted(n for n, docs in ANNOTATIONS.items() if doc_id in docs)
        values = []
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                value = match_spans(ANNOTATIONS[a][doc_id], ANNOTATIONS[b][doc_id], "strict")
                values.append(value.counts.f1)
        f1[doc_id] = sum(v for v in values if v is not None) / len(values)
    # by hand: d1 2/7 (one match of 4 and 3 spans), d3 2/3, d2 (1 + 3/4 + 3/4)/3
    assert f1 == pytest.approx({"d1": 2 / 7, "d3": 2 / 3, "d2": (1 + 0.75 + 0.75) / 3})
    return sorted(f1, key=lambda d: f1[d])


# -- acting as the lead --------------------------------------------------------------------


def mode_of(window: MainWindow) -> AdjudicationMode:
    found = window.findChild(AdjudicationMode, "review_mode")
    assert isinstance(found, AdjudicationMode)
    return found


def open_review(qtbot: QtBot, window: MainWindow) -> AdjudicationMode:
    """F7, then wait for the queue to fill."""
    qtbot.keyClick(window.text, Qt.Key.Key_F7)
    mode = mode_of(window)
    assert mode.active
    assert mode.stack.currentWidget() is mode.page
    qtbot.waitUntil(lambda: mode.queue.rowCount() == len(TEXTS) and mode.doc_id is not None)
    return mode


def queue_ids(model: QueueModel) -> list[str]:
    return [model.index(r, 0).data(DOC_ID_ROLE) for r in range(model.rowCount())]


def press(
    qtbot: QtBot,
    mode: AdjudicationMode,
    k: Qt.Key,
    mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    qtbot.keyClick(mode.page.gold.text, k, mods)


ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def drag(text: ReviewText, start: int, end: int) -> None:
    viewport = text.viewport()
    a, b = text.point_of(start), text.point_of(end)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    QTest.mouseMove(viewport, QPoint((a.x() + b.x()) // 2, b.y()))
    QTest.mouseMove(viewport, b)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def click(text: ReviewText, pos: int) -> None:
    rect = text.cursorRect(text.cursor_at(pos))
    QTest.mouseClick(
        text.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(rect.center().x() + 2, rect.center().y()),
    )


def gold_keys(mode: AdjudicationMode) -> list[tuple[int, int, str]]:
    assert mode.gold is not None
    return [s.key for s in mode.gold.spans]


# -- tests -----------------------------------------------------------------------------


def test_queue_follows_per_document_f1_and_the_view_marks_disagreements(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    build(root)
    with window_on(qtbot, root, "lead") as window:
        assert action(window, "review.adjudicate").isEnabled()
        docks = window.docks
        assert docks["documents_dock"].isVisible()
        mode = open_review(qtbot, window)
        assert queue_ids(mode.queue) == expected_queue() == ["d1", "d3", "d2"]
        assert not docks["documents_dock"].isVisible()  # annotating panes make room
        assert not window.toolbar.isVisible()
        # the most disputed document opens first, gold pre-filled with what both agree on
        assert mode.doc_id == "d1"
        assert gold_keys(mode) == [at(T1, "Jakarta", "CITY")]
        titles = [p.title.text() for p in mode.page.panels]
        assert titles == ["Alt+1 ani · spans: 4", "Alt+2 budi · spans: 3"]
        ani_marks = mode.page.panels[0].text.marks
        assert (at(T1, "Jakarta", "CITY")[0], at(T1, "Jakarta", "CITY")[1]) not in ani_marks
        assert at(T1, "Senin", "DATE")[:2] in ani_marks  # only ani marked Senin
        # the keys are on the page
        keys = mode.page.keys.text()
        assert "Tab" in keys
        assert "Alt+1" in keys
        assert "Ctrl+Return" in keys
        # d2 has three annotators: three panels side by side
        click_row(mode, "d2")
        assert mode.doc_id == "d2"
        assert len(mode.page.panels) == 3
        assert "Alt+1…Alt+3" in mode.page.keys.text()
        assert mode.page.annotators.orientation() == Qt.Orientation.Horizontal
        # F7 again: back to annotating, panes as they were
        qtbot.keyClick(mode.page.gold.text, Qt.Key.Key_F7)
        assert not mode.active
        assert docks["documents_dock"].isVisible()
        assert window.toolbar.isVisible()
        assert action(window, "label.PERSON").isEnabled()
        assert window.work.name == "lead"


def test_adjudicating_from_the_keyboard_writes_gold(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = build(root)
    joko, jakarta = at(T1, "Joko Widodo", "PERSON"), at(T1, "Jakarta", "CITY")
    agency, bandung = at(T1, "Kemendagri", "AGENCY"), at(T1, "Bandung", "CITY")
    with window_on(qtbot, root, "lead") as window:
        mode = open_review(qtbot, window)
        gold_text = mode.page.gold.text
        assert mode.doc_id == "d1"
        # the first disagreement (Joko Widodo / Widodo) is in focus from the start
        assert "Disagreement 1 of 3" in mode.page.candidate.text()
        press(qtbot, mode, Qt.Key.Key_1, ALT)  # ani's: "Joko Widodo"; the focus stays
        assert gold_keys(mode) == [joko, jakarta]
        assert "Disagreement 1 of 3" in mode.page.candidate.text()
        press(qtbot, mode, Qt.Key.Key_Tab)
        assert "Disagreement 2 of 3" in mode.page.candidate.text()
        press(qtbot, mode, Qt.Key.Key_2, ALT)  # budi's: Kemendagri as AGENCY
        assert gold_keys(mode) == [joko, jakarta, agency]
        press(qtbot, mode, Qt.Key.Key_Tab)
        press(qtbot, mode, Qt.Key.Key_1, ALT)  # ani's "Senin" (the last disagreement)...
        assert at(T1, "Senin", "DATE") in gold_keys(mode)
        assert "gold has ani's version" in mode.page.candidate.text()
        press(qtbot, mode, Qt.Key.Key_0, ALT)  # ...then neither after all
        assert gold_keys(mode) == [joko, jakarta, agency]
        # by hand: nobody marked Bandung; drag over it and press CITY's key
        drag(gold_text, bandung[0] + 1, bandung[1] - 1)  # snaps to the whole word
        press(qtbot, mode, Qt.Key.Key_3)
        assert gold_keys(mode) == [joko, jakarta, agency, bandung]
        # and Jakarta goes: click it, Delete
        click(gold_text, jakarta[0] + 2)
        assert gold_text.selected_span is not None
        press(qtbot, mode, Qt.Key.Key_Delete)
        expected = [joko, agency, bandung]
        assert gold_keys(mode) == expected
        # journaled before it shows: a fresh reader sees it, in progress
        assert [s[:3] for s in spans_on_disk(root, "gold", "d1")] == expected
        assert stored(root, "gold", "d1").status == "in_progress"  # type: ignore[union-attr]

        press(qtbot, mode, Qt.Key.Key_Return, CTRL)  # adjudicated, next
        assert stored(root, "gold", "d1").status == "done"  # type: ignore[union-attr]
        assert mode.doc_id == "d3"  # the queue moved on
        row = mode.queue.row_of("d1")
        assert mode.queue.index(row, 3).data(VALUE_ROLE) is True
        assert mode.queue.index(row, 3).data() == "yes"

        # undo: the document comes back, not adjudicated; then Jakarta comes back
        press(qtbot, mode, Qt.Key.Key_Z, CTRL)
        assert mode.doc_id == "d1"
        assert stored(root, "gold", "d1").status == "in_progress"  # type: ignore[union-attr]
        press(qtbot, mode, Qt.Key.Key_Z, CTRL)
        assert gold_keys(mode) == [joko, jakarta, agency, bandung]
        press(qtbot, mode, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
        press(qtbot, mode, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
        assert gold_keys(mode) == expected
        assert stored(root, "gold", "d1").status == "done"  # type: ignore[union-attr]

        qtbot.keyClick(gold_text, Qt.Key.Key_F7)  # leaving compacts gold into its file
        assert not mode.active
    lines = [
        json.loads(line)
        for line in (root / "annotations" / "gold.jsonl").read_text("utf-8").splitlines()
    ]
    record = next(r for r in lines if r["id"] == "d1")
    assert record["status"] == "done"
    assert record["annotator"] == "gold"
    got = [(s["start"], s["end"], s["label"], s["text"]) for s in record["spans"]]
    assert got == [(s, e, label, T1[s:e]) for s, e, label in expected]
    assert got[0][3] == "Joko Widodo"
    assert got[0][0] == len("🇮🇩 Presiden ")
    # the other documents stay not adjudicated (in progress or untouched)
    assert all(r["status"] != "done" for r in lines if r["id"] != "d1")

    # what `annotator export --source gold` writes is this gold
    out = tmp_path / "out"
    export_project(project, ExportOptions(format="jsonl", source="gold", out=out))
    exported = [json.loads(line) for line in (out / "all.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in exported] == ["d1"]
    assert [(s["start"], s["end"], s["label"]) for s in exported[0]["spans"]] == expected

    # reopening: d1 shows adjudicated and the queue starts at the first one that is not
    with window_on(qtbot, root, "lead") as window:
        mode = open_review(qtbot, window)
        row = mode.queue.row_of("d1")
        assert mode.queue.index(row, 3).data(VALUE_ROLE) is True
        assert mode.doc_id == "d3"
        mode.page.queue.setCurrentIndex(mode.queue.index(row, 0))
        assert gold_keys(mode) == expected
        assert "adjudicated" in mode.page.gold.title.text()


def click_row(mode: AdjudicationMode, doc_id: str) -> None:
    view = mode.page.queue
    rect = view.visualRect(mode.queue.index(mode.queue.row_of(doc_id), 0))
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
    )


def test_the_queue_follows_recounts_and_keeps_the_lead_on_their_document(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    project = build(root)
    with window_on(qtbot, root, "lead") as window:
        mode = open_review(qtbot, window)
        click_row(mode, "d3")
        assert mode.doc_id == "d3"
        assert [p.title.text() for p in mode.page.panels][1] == "Alt+2 budi · spans: 1"
        # budi, on another machine, adds Surabaya to d3: d3 now agrees fully and moves down
        session = Session(project, "budi")
        try:
            spans = (make_span(T3, *at(T3, "Kemendagri", "AGENCY")),)
            spans += (make_span(T3, *at(T3, "Surabaya", "CITY")),)
            session.apply(
                Put(Annotation(id="d3", text=T3, annotator="budi", status="done", spans=spans))
            )
        finally:
            session.close()
        qtbot.waitUntil(lambda: queue_ids(mode.queue) == ["d1", "d2", "d3"], timeout=20_000)
        assert mode.doc_id == "d3"  # the lead's place is kept
        assert mode.page.queue.currentIndex().row() == mode.queue.row_of("d3") == 2
        assert [p.title.text() for p in mode.page.panels][1] == "Alt+2 budi · spans: 2"
        assert mode.page.panels[1].text.marks == []  # nothing disputed any more
        assert "agree on every span" in mode.page.candidate.text()


def test_a_second_lead_reviews_read_only(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    build(root)
    with window_on(qtbot, root, "lead") as first:
        first_mode = open_review(qtbot, first)
        assert first_mode.gold is not None
        assert not first_mode.gold.read_only
        second = open_window(qtbot, root, "lead2")
        try:
            mode = open_review(qtbot, second)
            assert mode.gold is not None
            assert mode.gold.read_only
            assert mode.page.notice.isVisible()
            assert "Gold is being adjudicated in another window" in mode.page.notice.text()
            assert " pid " in mode.page.notice.text()
            before = spans_on_disk(root, "gold", "d1")
            press(qtbot, mode, Qt.Key.Key_Tab)
            press(qtbot, mode, Qt.Key.Key_1, ALT)
            press(qtbot, mode, Qt.Key.Key_Return, CTRL)
            assert spans_on_disk(root, "gold", "d1") == before
            assert stored(root, "gold", "d1").status == "in_progress"  # type: ignore[union-attr]
            assert not mode.actions["take.1"].isEnabled()
        finally:
            second.close()
    # both windows closed while reviewing: the layout they saved has the annotating panes,
    # and the gold lock was released
    with window_on(qtbot, root, "lead") as window:
        assert window.docks["documents_dock"].isVisible()
        assert window.toolbar.isVisible()
        mode = open_review(qtbot, window)
        assert mode.gold is not None
        assert not mode.gold.read_only
        assert not mode.page.notice.isVisible()


def test_more_than_three_annotators_are_stacked(qtbot: QtBot) -> None:
    from PySide6.QtGui import QColor

    from annotator.core.model import ProjectConfig
    from annotator.ui.review.adjudication_page import AdjudicationPage

    page = AdjudicationPage(QueueModel(lambda _doc: False))
    qtbot.addWidget(page)
    labels = ProjectConfig().labels
    page.set_panel_count(4, labels, QColor("white"), 0.3)
    assert len(page.panels) == 4
    assert page.annotators.orientation() == Qt.Orientation.Vertical
    page.set_panel_count(2, labels, QColor("white"), 0.3)
    assert len(page.panels) == 2
    assert page.annotators.orientation() == Qt.Orientation.Horizontal


def test_queue_model_passes_the_model_tester(qtbot: QtBot, qtmodeltester, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from annotator.core.agreement import agreement_report, load_corpus

    project = build(tmp_path / "p")
    report = agreement_report(load_corpus(project))
    model = QueueModel(lambda doc_id: doc_id == "d3")
    model.set_rows(report.queue())
    qtmodeltester.check(model)
    assert queue_ids(model) == expected_queue()
    assert [model.index(r, 3).data(VALUE_ROLE) for r in range(3)] == [False, True, False]
    assert model.index(0, 1).data() == f"{2 / 7:.2f}"

"""Review numbers: computed off the GUI thread, and recounted when annotators' files change."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from _helpers_window import make_project
from pytestqt.qtbot import QtBot

from annotator.core.agreement import Corpus
from annotator.core.edit import Put
from annotator.core.model import Annotation, make_span
from annotator.core.project import Project
from annotator.core.store import Session
from annotator.ui.review.review_data import ReviewData

TEXT = "Gubernur Anies Baswedan tiba di Jakarta pada Senin."


def put(root: Path, name: str, spans: list[tuple[int, int, str]]) -> None:
    from annotator.core.project import Project

    project = Project.open(root)
    session = Session(project, name)
    try:
        made = [make_span(TEXT, s, e, label) for s, e, label in spans]
        session.apply(
            Put(Annotation(id="d1", text=TEXT, annotator=name, status="done", spans=tuple(made)))
        )
    finally:
        session.close()


def test_numbers_arrive_and_follow_a_changed_file(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = make_project(root, [("d1", TEXT)])
    put(root, "ani", [(9, 23, "PERSON"), (32, 39, "CITY")])
    put(root, "budi", [(9, 23, "PERSON")])
    data = ReviewData(project)
    with qtbot.waitSignal(data.updated, timeout=20_000):
        data.refresh()
    report = data.report
    assert report is not None
    pair = report.pair("ani", "budi")
    assert pair is not None
    assert pair.f1("strict") == 2 * 1 / (2 + 1)  # one match of two and one spans

    # budi catches up on another machine: the watcher notices and the numbers follow
    with qtbot.waitSignal(data.updated, timeout=20_000):
        put(root, "budi", [(9, 23, "PERSON"), (32, 39, "CITY")])
    report = data.report
    assert report is not None
    pair = report.pair("ani", "budi")
    assert pair is not None
    assert pair.f1("strict") == 1.0
    assert data.wait()


def test_the_recount_reads_a_project_of_its_own_off_the_gui_thread(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotator.ui.review.review_data as review_data

    root = tmp_path / "p"
    project = make_project(root, [("d1", TEXT)])
    put(root, "ani", [(9, 23, "PERSON")])
    put(root, "budi", [(9, 23, "PERSON")])
    calls: list[tuple[object, threading.Thread]] = []
    real = review_data.load_corpus

    def spy(read: Project) -> Corpus:
        calls.append((read, threading.current_thread()))
        return real(read)

    monkeypatch.setattr(review_data, "load_corpus", spy)
    data = ReviewData(project)
    with qtbot.waitSignal(data.updated, timeout=20_000):
        data.refresh()
    ((read, thread),) = calls
    assert read is not project  # never the window's Project (decision 0063)
    assert thread is not threading.main_thread()
    assert data.wait()


def test_the_window_shares_one_source(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtCore import QObject

    from annotator.ui.review.review_data import review_data_of

    project = make_project(tmp_path / "p", [("d1", TEXT)])
    owner = QObject()
    first = review_data_of(owner, project)
    assert review_data_of(owner, project) is first
    assert review_data_of(QObject(), project) is not first

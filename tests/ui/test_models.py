"""The item models pass pytest-qt's model tester and stay lazy over large projects."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from _helpers_window import make_project
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from annotator.core.model import Document, Label, make_span
from annotator.core.project import Project
from annotator.ui.annotating.document_model import (
    ID_ROLE,
    STATUS_ROLE,
    DocumentFilter,
    DocumentListModel,
)
from annotator.ui.annotating.palette import LabelModel
from annotator.ui.annotating.span_list import SpanListModel

TEXT = "Gubernur Anies Baswedan 🇮🇩 di Jakarta, Kemendagri dan JakLingko, 8 Juli 2018."


def spans_of(*words: tuple[str, str]) -> tuple:  # type: ignore[type-arg]
    return tuple(make_span(TEXT, TEXT.index(w), TEXT.index(w) + len(w), lab) for w, lab in words)


def test_document_model_and_filter(
    qtmodeltester: ModelTester, qtbot: QtBot, tmp_path: Path
) -> None:
    project = make_project(
        tmp_path / "p",
        [(f"d{i}", f"Berita {i} dari {'Jakarta' if i % 3 else 'Medan'}.") for i in range(30)],
    )
    statuses = {"d1": "done", "d2": "skipped", "d4": "in_progress"}
    model = DocumentListModel(project.documents, lambda d: statuses.get(d, "todo"))
    qtmodeltester.check(model)
    assert model.index(4, 0).data(STATUS_ROLE) == "in_progress"
    assert model.index(4, 0).data() == "Berita 4 dari Jakarta."
    proxy = DocumentFilter()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_filter(text="MEDAN")
    assert [proxy.index(r, 0).data(ID_ROLE) for r in range(proxy.rowCount())] == [
        f"d{i}" for i in range(0, 30, 3)
    ]
    proxy.set_filter(text="", status="done")
    assert proxy.rowCount() == 1
    statuses["d7"] = "done"
    proxy.status_updated("d7")
    assert [proxy.index(r, 0).data(ID_ROLE) for r in range(proxy.rowCount())] == ["d1", "d7"]
    qtmodeltester.check(proxy)
    proxy.set_filter(status=None)
    assert proxy.rowCount() == 30


def test_document_model_reads_titles_from_the_index_only(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "big")
    project.documents.append(
        Document(id=f"doc-{i:06d}", text=f"Judul {i}\n" + "isi " * 50) for i in range(20_000)
    )
    docs = project.documents
    reads: list[str] = []
    original = docs.get
    docs.get = lambda doc_id: reads.append(doc_id) or original(doc_id)  # type: ignore[method-assign]
    model = DocumentListModel(docs, lambda _d: "todo")
    assert model.rowCount() == 20_000
    assert model.index(19_999, 0).data() == "Judul 19999"
    assert model.index(12_345, 0).data(ID_ROLE) == "doc-012345"
    assert reads == []  # no document text was read


def test_label_model(qtmodeltester: ModelTester, qtbot: QtBot) -> None:
    labels = [Label(name="PERSON", key="1", color="#4e79a7"), Label(name="CITY", key="3")]
    model = LabelModel(labels, lambda name: {"PERSON": "1", "CITY": "3"}[name])
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.dataChanged):
        model.set_counts(Counter({"CITY": 2}))
    assert model.index(1, 2).data() == "2"
    assert model.index(0, 0).data() == "1"
    qtmodeltester.check(model)


def test_span_list_model_changes_only_the_rows_that_differ(
    qtmodeltester: ModelTester, qtbot: QtBot
) -> None:
    model = SpanListModel(lambda _label: None)
    qtmodeltester.check(model)
    first = spans_of(("Anies Baswedan", "PERSON"), ("Jakarta", "CITY"), ("JakLingko", "PROGRAM"))
    model.set_spans(first)
    assert model.rowCount() == 3
    second = (first[0], *spans_of(("Kemendagri", "AGENCY")), first[1], first[2])
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        model.update(second)
    assert blocker.args[1:] == [1, 1]  # one row inserted at row 1, nothing reset
    assert [model.index(r, 0).data() for r in range(4)] == [
        "PERSON  Anies Baswedan",
        "AGENCY  Kemendagri",
        "CITY  Jakarta",
        "PROGRAM  JakLingko",
    ]
    third = (second[0], second[1], *spans_of(("8 Juli 2018", "DATE")))
    model.update(third)
    assert [model.index(r, 0).data() for r in range(3)][-1] == "DATE  8 Juli 2018"
    qtmodeltester.check(model)
    assert model.row_of(third[1]) == 1

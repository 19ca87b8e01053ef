"""A big project opens on quick indexes: the first document shows and can be edited while the
full indexes are built behind it; the figures and filters follow once they are in (decision
0046). The build is held back by an event, so "before" and "after" are states, not timings."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from _helpers_window import ARTICLE, drag_select, key, make_project, spans_on_disk, window_on
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.core import quick_index as quick_module
from annotator.core.jsonl import dumps
from annotator.core.model import Annotation, make_span
from annotator.ui.annotating.index_worker import IndexWorker

DOCS = [
    ("d1", ARTICLE),
    ("d2", "🇮🇩 Wali Kota Surabaya Eri Cahyadi hadir di Surabaya."),
    ("d3", "Pemprov DKI Jakarta meluncurkan Jakarta Smart City."),
    ("d4", "Bupati Banyuwangi meresmikan pasar e\u0301 baru."),
    ("d5", "Gubernur Anies Baswedan meresmikan JakLingko."),
]


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Quick indexes whatever the size, and an index build that waits for the event."""
    monkeypatch.setattr(quick_module, "QUICK_FROM_BYTES", 0)
    gate = threading.Event()
    # bounded: a test that fails before setting it closes its window, which waits for the
    # worker, so the worker must not wait for ever
    monkeypatch.setattr(IndexWorker, "hold", lambda: gate.wait(timeout=30))
    return gate


def annotations_of_ani(root: Path) -> None:
    """d2 done (a valid line); d4 a line whose hash does not match its text: its id is read
    quickly, and only the full index (or reading it) finds it unreadable."""
    text2 = dict(DOCS)["d2"]
    city = text2.index("Surabaya")
    done = Annotation(
        id="d2",
        text=text2,
        annotator="ani",
        status="done",
        spans=(make_span(text2, city, city + len("Surabaya"), "CITY"),),
    )
    bad = Annotation(id="d4", text=dict(DOCS)["d4"], annotator="ani").model_dump(mode="json")
    bad["text_sha256"] = "0" * 64
    lines = [dumps(done.model_dump(mode="json")), dumps(bad)]  # as the app writes them
    (root / "annotations" / "ani.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_first_document_is_editable_before_the_index_is_built(
    qtbot: QtBot, tmp_path: Path, held: threading.Event
) -> None:
    root = tmp_path / "p"
    make_project(root, DOCS)
    annotations_of_ani(root)
    start = len("Laporan ")
    end = start + len("Fikar W.Eda")
    try:
        with window_on(qtbot, root) as win:
            pane = win.documents
            # the first document is on screen, the full index not yet built
            assert win.work.doc_id == "d1"
            assert win.text.toPlainText() == win.work.doc.text  # type: ignore[union-attr]
            assert not win.annotating.index.ready
            assert not win.work.store.file.index.complete
            assert pane.progress_label.text() == "Indexing 5 documents…"
            assert pane.proxy.rowCount() == 5
            assert "d4" not in win.notice.text()  # its line is not validated yet

            # an edit now is made, shown and journaled
            drag_select(qtbot, win, start, end)
            key(qtbot, win, Qt.Key.Key_1)
            assert [(s.start, s.end, s.label) for s in win.work.spans] == [(start, end, "PERSON")]
            qtbot.waitUntil(lambda: win.windowTitle().endswith("saved (journaled)"))
            assert not win.annotating.index.ready  # still held back

            # a filter typed now is kept, and says it waits
            pane.filter_edit.setText("surabaya")
            qtbot.keyClick(pane.filter_edit, Qt.Key.Key_Return)
            assert pane.proxy.rowCount() == 5
            assert pane.empty_label.text().startswith("Indexing the project")

            held.set()
            with qtbot.waitSignal(win.annotating.index.completed, timeout=20_000):
                pass
            # the figures count the edit made meanwhile; the filter applies; the line the
            # quick scan took for a record is reported
            assert win.annotating.index.ready
            assert win.work.store.file.index.complete
            assert pane.progress_label.text() == "1 / 5 done"
            assert "In progress: 1" in pane.progress_label.toolTip()
            qtbot.waitUntil(lambda: pane.proxy.rowCount() == 1)
            assert pane.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole + 1) == "d2"
            assert "ani.jsonl:2: text_sha256 does not match the text" in win.notice.text()
            assert [(s.start, s.end, s.label) for s in win.work.spans] == [(start, end, "PERSON")]
    finally:
        held.set()  # never leave the worker waiting
    assert spans_on_disk(root, "ani", "d1") == [(start, end, "PERSON", "Fikar W.Eda")]
    lines = (root / "annotations" / "ani.jsonl").read_text(encoding="utf-8").splitlines()
    assert sum('"id":"d4"' in line for line in lines) == 1  # the bad line is kept as it was


def test_a_small_project_has_its_full_index_at_once(qtbot: QtBot, tmp_path: Path) -> None:
    """Under ``QUICK_FROM_BYTES`` nothing waits: the counts are there on the first paint."""
    root = tmp_path / "p"
    make_project(root, DOCS)
    annotations_of_ani(root)
    with window_on(qtbot, root) as win:
        assert win.annotating.index.ready
        assert win.documents.progress_label.text() == "1 / 5 done"
        assert "text_sha256 does not match the text" in win.notice.text()

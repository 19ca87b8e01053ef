"""The window for a team: an annotator's queue and blind work, a lead's view of everyone."""

from __future__ import annotations

from pathlib import Path

from _helpers_window import key, make_project, stored, window_on
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.core.assign import Assignment
from annotator.core.assignments import write_plan
from annotator.core.edit import Put
from annotator.core.model import Annotation, make_span
from annotator.core.project import Project
from annotator.ui.annotating.document_model import ID_ROLE
from annotator.ui.window.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
TEXTS = {
    "d1": "Gubernur Anies Baswedan tiba di Jakarta pada Senin.",
    "d2": "Presiden Joko Widodo meresmikan jalan tol di Medan 🇮🇩.",
    "d3": "Kementerian Dalam Negeri (Kemendagri) mengajak kota berkolaborasi.",
    "d4": "Wali Kota Surabaya Eri Cahyadi hadir pada Selasa (30/08/2022).",
    "d5": "Badan Pusat Statistik mencatat inflasi Desember.",
    "d6": "Program Makan Bergizi Gratis dimulai di Bandung.",
}
PLAN = {
    "d1": ("ani",),
    "d2": ("budi",),
    "d3": ("ani", "budi"),
    "d4": ("budi",),
    "d5": ("ani",),
}  # d6: nobody yet


def planned(root: Path) -> Project:
    project = make_project(root, list(TEXTS.items()))
    write_plan(root, {d: Assignment(a, 1.0) for d, a in PLAN.items()}, project.documents.ids)
    return project


def annotate(root: Path, name: str, doc_id: str, spans: list[tuple[str, str]]) -> None:
    """``name`` annotates ``doc_id`` (done) in a session of their own, as on their desktop."""
    text = TEXTS[doc_id]
    project = Project.open(root)
    made = []
    for words, label in spans:
        start = text.index(words)
        made.append(make_span(text, start, start + len(words), label))
    with project.session(name) as session:
        session.apply(
            Put(Annotation(id=doc_id, text=text, annotator=name, status="done", spans=tuple(made)))
        )


def listed(win: MainWindow) -> list[str]:
    proxy = win.documents.proxy
    return [proxy.index(r, 0).data(ID_ROLE) for r in range(proxy.rowCount())]


def test_an_annotator_works_through_their_queue_and_never_sees_anothers_spans(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    planned(root)
    # budi has already done the document he shares with ani
    annotate(root, "budi", "d3", [("Kementerian Dalam Negeri", "AGENCY")])
    with window_on(qtbot, root, "ani") as win:
        assert listed(win) == ["d1", "d3", "d5"]  # hers, unfinished: "My queue"
        # typing in the filter never brings up a document that is not hers
        win.documents.set_status_filter(None)
        qtbot.keyClicks(win.documents.filter_edit, "Presiden")  # d2, budi's
        qtbot.waitUntil(lambda: win.documents.proxy.text == "presiden", timeout=5_000)
        assert listed(win) == []
        win.documents.filter_edit.clear()
        qtbot.keyClicks(win.documents.filter_edit, "Badan")  # d5, hers
        qtbot.waitUntil(lambda: listed(win) == ["d5"], timeout=5_000)
        win.documents.filter_edit.clear()
        qtbot.waitUntil(lambda: listed(win) == ["d1", "d3", "d5"], timeout=5_000)
        win.documents.set_status_filter("queue")
        win.text.setFocus()
        assert win.work.doc_id == "d1"
        assert win.documents.progress_label.text() == "0 / 3 done"
        opened = [win.work.doc_id]
        for _ in range(2):
            key(qtbot, win, Qt.Key.Key_Return, CTRL)
            opened.append(win.work.doc_id)
            # on the shared document: none of budi's spans, in the list or under the text
            assert win.span_model.rowCount() == 0
            assert win.work.spans == ()
        assert opened == ["d1", "d3", "d5"]
        assert win.documents.progress_label.text() == "2 / 3 done"
        key(qtbot, win, Qt.Key.Key_Return, CTRL)
        assert "done or skipped" in win.statusBar().currentMessage()
        assert win.documents.progress_label.text() == "3 / 3 done"
        assert listed(win) == []  # the queue is empty
        # blind: every view that shows others' spans is a lead's
        for action_id in (
            "review.agreement",
            "review.gold",
            "review.adjudicate",
            "review.progress",
            "review.assign",
        ):
            act = win.registry[action_id]
            assert not act.isEnabled(), action_id
            act.trigger()
        assert "agreement_dock" not in win.docks
        assert "progress_dock" not in win.docks
        # Alt+arrows never leave her documents either
        key(qtbot, win, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
        assert win.work.doc_id in ("d1", "d3", "d5")
    assert [stored(root, "ani", d).status for d in ("d1", "d3", "d5")] == ["done"] * 3  # type: ignore[union-attr]
    assert stored(root, "ani", "d2") is None
    assert stored(root, "ani", "d3").spans == ()  # type: ignore[union-attr]


def test_without_a_plan_the_window_is_as_before(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, list(TEXTS.items()))
    with window_on(qtbot, root, "ani") as win:
        assert listed(win) == list(TEXTS)
        assert win.documents.progress_label.text() == "0 / 6 done"
        assert win.registry["review.agreement"].isEnabled()


def test_a_lead_sees_every_document_with_its_people(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    planned(root)
    annotate(root, "budi", "d3", [("Kementerian Dalam Negeri", "AGENCY")])
    with window_on(qtbot, root, "lead", lead=True) as win:
        assert listed(win) == list(TEXTS)
        model = win.document_model

        def shown(doc_id: str) -> str:
            return str(model.index(list(TEXTS).index(doc_id), 0).data())

        qtbot.waitUntil(lambda: "budi ✓" in shown("d3"), timeout=20_000)
        assert "ani ○ · budi ✓" in shown("d3")
        assert "budi ○" in shown("d2")
        assert "ani" not in shown("d6")
        # another annotator finishes a document: the lead's list follows
        annotate(root, "ani", "d1", [])
        qtbot.waitUntil(lambda: "ani ✓" in shown("d1"), timeout=20_000)

"""Review > Progress and Review > Assign in a lead's window."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from _helpers_window import make_project, window_on
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.core.assign import Assignment
from annotator.core.assignments import plan_path, read_plan, write_plan
from annotator.core.edit import Put
from annotator.core.model import Annotation, make_span
from annotator.core.project import Project
from annotator.core.team import history
from annotator.ui.review.assign_dialog import AssignDialog
from annotator.ui.review.dashboard import AgreementDashboard
from annotator.ui.review.progress_pane import ProgressPane
from annotator.ui.review.review_data import ReviewData
from annotator.ui.review.team_data import TeamData

DOCS = [(f"d{i}", f"Berita {i} dari Jakarta pada Senin 📌.") for i in range(1, 9)]

FINISH = """
import sys
from annotator.core.project import Project
project = Project.open(sys.argv[1])
with project.session(sys.argv[2]) as session:
    session.set_status(sys.argv[3], "done", 90.0)
"""


def row(pane: ProgressPane, name: str) -> dict[str, object]:
    p = pane.progress
    assert p is not None
    found = [r for r in p.annotators if r.name == name]
    assert found, name
    r = found[0]
    return {"assigned": r.assigned, "done": r.done, "overlap_finished": r.overlap_finished}


def cell_text(pane: ProgressPane, name: str, column: int) -> str:
    model = pane.model
    for r in range(model.rowCount()):
        if model.index(r, 0).data() == name:
            return str(model.index(r, column).data())
    raise AssertionError(name)


def test_progress_follows_a_document_finished_by_another_process(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    project = make_project(root, DOCS)
    plan = {"d1": ("ani", "budi"), "d2": ("ani",), "d3": ("budi",), "d4": ("budi",)}
    write_plan(root, {d: Assignment(a, 1.0) for d, a in plan.items()}, project.documents.ids)
    with window_on(qtbot, root, "lead", lead=True) as win:
        win.registry["review.progress"].trigger()
        pane = win.findChild(ProgressPane, "progress_pane")
        assert pane is not None
        assert win.docks["progress_dock"].isVisible()
        qtbot.waitUntil(lambda: pane.progress is not None, timeout=20_000)
        assert row(pane, "budi") == {"assigned": 3, "done": 0, "overlap_finished": 0}
        assert cell_text(pane, "budi", 1) == "3"
        assert cell_text(pane, "budi", 2) == "0"
        data = win.findChild(TeamData)
        assert data is not None
        # budi, on his own desktop (another process), finishes the shared document; ani too
        for name in ("budi", "ani"):
            subprocess.run(
                [sys.executable, "-c", FINISH, str(root), name, "d1"], check=True, timeout=60
            )
        qtbot.waitUntil(
            lambda: row(pane, "budi")["done"] == 1 and row(pane, "ani")["done"] == 1,
            timeout=20_000,
        )
        qtbot.waitUntil(lambda: cell_text(pane, "budi", 2) == "1", timeout=20_000)
        assert row(pane, "budi")["overlap_finished"] == 1
        assert cell_text(pane, "ani", 9) == "1 of 1"
        assert "1 of them done by all" in pane.summary.text()


def test_assign_dialog_previews_before_writing_and_records_the_command(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    make_project(root, DOCS)
    with window_on(qtbot, root, "lead", lead=True) as win:
        win.registry["review.assign"].trigger()  # Review > Assign documents…
        dialog = win.findChild(AssignDialog, "assign_dialog")
        assert dialog is not None
        qtbot.waitUntil(dialog.isVisible, timeout=5_000)
        assert dialog.previewed is None  # no team yet: the preview says so, Assign is off
        assert "--annotators" in dialog.summary.text()
        assert not dialog.assign_button.isEnabled()
        qtbot.keyClicks(dialog.team, "ani,budi")
        dialog.overlap.selectAll()
        qtbot.keyClicks(dialog.overlap.lineEdit(), "50")
        # the preview follows the fields (after a pause in the typing)
        qtbot.waitUntil(lambda: "--overlap 0.5 " in dialog.command.text(), timeout=5_000)
        assert dialog.previewed is not None
        assert dialog.loads.rowCount() == 2
        assert not plan_path(root).exists()  # a preview writes nothing
        loads = {dialog.loads.item(r, 0).text(): dialog.loads.item(r, 1).text() for r in range(2)}
        assert loads == {"ani": "6", "budi": "6"}  # 8 documents, 4 of them to both
        assert dialog.pairs.item(0, 1).text() == "4"
        assert "--annotators ani,budi --overlap 0.5" in dialog.command.text()
        command = dialog.command.text()
        with qtbot.waitSignal(dialog.accepted, timeout=10_000):
            qtbot.mouseClick(dialog.assign_button, Qt.MouseButton.LeftButton)
        plan = read_plan(root)
        assert plan is not None
        assert len(plan.entries) == 8
        assert [(by, line) for _, by, line in history(root)] == [("lead", command)]
        assert "recorded" in win.statusBar().currentMessage()


def annotate_all(root: Path, name: str, docs: list[tuple[str, str]], labels: list[str]) -> None:
    """``name`` marks every document done with one span on its first word."""
    project = Project.open(root)
    with project.session(name) as session:
        for (doc_id, text), label in zip(docs, labels, strict=True):
            end = text.index(" ")
            span = make_span(text, 0, end, label)
            session.apply(
                Put(Annotation(id=doc_id, text=text, annotator=name, status="done", spans=(span,)))
            )


def test_dashboard_shows_each_figures_interval_or_too_few_documents(
    qtbot: QtBot, tmp_path: Path
) -> None:
    many = [(f"d{i}", f"Jakarta {i} Senin.") for i in range(14)]
    labels = ["CITY"] * 14
    other = ["CITY"] * 10 + ["PERSON"] * 4  # budi disagrees on four documents
    root = tmp_path / "many"
    make_project(root, many)
    annotate_all(root, "ani", many, labels)
    annotate_all(root, "budi", many, other)
    with window_on(qtbot, root, "ani") as win:
        win.registry["review.agreement"].trigger()
        data = win.findChild(ReviewData, "review_data")
        assert data is not None
        qtbot.waitUntil(lambda: data.report is not None and not data.busy, timeout=20_000)
        report = data.report
        assert report is not None
        group = report.intervals
        assert group is not None
        dash = win.findChild(AgreementDashboard)
        assert dash is not None
        low, high = group.span_f1["strict"].bounds  # type: ignore[misc]
        assert low < high
        assert dash.f1_cells["ci_strict"].text() == f"[{low:.3f}, {high:.3f}]"
        alpha = group.alpha.bounds
        assert alpha is not None
        assert dash.figures["alpha"].interval.text() == f"95% CI [{alpha[0]:.3f}, {alpha[1]:.3f}]"
        pair = report.pairs[0].ci["strict"].bounds
        assert pair is not None
        assert dash.pair_model.index(0, 9).data() == f"[{pair[0]:.3f}, {pair[1]:.3f}]"

    few = many[:4]
    root = tmp_path / "few"
    make_project(root, few)
    annotate_all(root, "ani", few, labels[:4])
    annotate_all(root, "budi", few, other[:4])
    with window_on(qtbot, root, "ani") as win:
        win.registry["review.agreement"].trigger()
        data = win.findChild(ReviewData, "review_data")
        assert data is not None
        qtbot.waitUntil(lambda: data.report is not None and not data.busy, timeout=20_000)
        dash = win.findChild(AgreementDashboard)
        assert dash is not None
        assert dash.f1_cells["mean_strict"].text() == "1.000"  # the figure is still shown
        assert dash.f1_cells["ci_strict"].text() == "too few documents"
        assert "4 documents" in dash.f1_cells["ci_strict"].toolTip()
        assert dash.figures["alpha"].interval.text() == "too few documents"
        assert dash.pair_model.index(0, 9).data() == "too few documents"

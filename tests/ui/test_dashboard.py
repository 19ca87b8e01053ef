"""Review mode: the agreement dashboard and the against-gold view, driven through the window.

The project follows docs/agreement.md's worked example ex2: ani and budi annotate T1 (ani the
reference spans G1, budi with shifted boundaries on three of five), cici submits only another
document. So ani-budi has the spec's numbers, the pairs with cici have no shared document, and
no document was submitted by everyone (Fleiss' kappa is undefined).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from _helpers_window import action, make_project, open_window, window_on
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from annotator.core.agreement import against_gold, agreement_report, load_corpus
from annotator.core.edit import Put
from annotator.core.model import Annotation, make_span
from annotator.core.project import Project
from annotator.core.store import Session
from annotator.ui.app import application
from annotator.ui.review.agreement_models import VALUE_ROLE, WEAK_ROLE
from annotator.ui.review.agreement_plots import ink_on, scale_colour
from annotator.ui.review.dashboard import AgreementDashboard
from annotator.ui.review.gold_view import GoldView
from annotator.ui.review.review_data import ReviewData
from annotator.ui.window.i18n import Translations
from annotator.ui.window.main_window import MainWindow

T1 = "Joko Widodo visited Jakarta on 5 May 2023 with Kemendagri for the Smart City program."
T4 = "Rapat berlangsung hingga sore."


def at(word: str, label: str, text: str = T1) -> tuple[int, int, str]:
    start = text.index(word)
    return (start, start + len(word), label)


G1 = [
    at("Joko Widodo", "PERSON"),
    at("Jakarta", "CITY"),
    at("5 May 2023", "DATE"),
    at("Kemendagri", "AGENCY"),
    at("Smart City", "PROGRAM"),
]
EX2_B = [
    at("Widodo", "PERSON"),
    at("Jakarta", "CITY"),
    at("May 2023", "DATE"),
    at("Kemendagri", "AGENCY"),
    at("Smart City program", "PROGRAM"),
]


def put(root: Path, name: str, doc_id: str, text: str, spans: list[tuple[int, int, str]]) -> None:
    """Submit ``spans`` as ``name`` through the store, as that annotator's own machine would."""
    session = Session(Project.open(root), name)
    try:
        made = tuple(make_span(text, s, e, label) for s, e, label in spans)
        session.apply(
            Put(Annotation(id=doc_id, text=text, annotator=name, status="done", spans=made))
        )
    finally:
        session.close()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    make_project(root, [("d1", T1), ("d2", T4)])
    put(root, "ani", "d1", T1, G1)
    put(root, "budi", "d1", T1, EX2_B)
    put(root, "cici", "d2", T4, [])
    return root


def review_data(window: MainWindow) -> ReviewData:
    found = window.findChild(ReviewData, "review_data")
    assert isinstance(found, ReviewData)
    return found


def dashboard_of(window: MainWindow) -> AgreementDashboard:
    found = window.findChild(AgreementDashboard, "agreement_dashboard")
    assert isinstance(found, AgreementDashboard)
    return found


def label(widget: AgreementDashboard | GoldView, name: str) -> QLabel:
    found = widget.findChild(QLabel, name)
    assert isinstance(found, QLabel), name
    return found


def row_of(model: object, first: str) -> int:
    rows = model.rowCount()  # type: ignore[attr-defined]
    for r in range(rows):
        if model.index(r, 0).data() == first:  # type: ignore[attr-defined]
            return r
    raise AssertionError(first)


def cell(model: object, first: str, column: int) -> QModelIndex:
    return model.index(row_of(model, first), column)  # type: ignore[attr-defined,no-any-return]


def open_dashboard(qtbot: QtBot, window: MainWindow) -> AgreementDashboard:
    """Press F6 and wait for the first numbers."""
    assert window.findChild(ReviewData, "review_data") is None  # nothing counted before asked
    assert "agreement_dock" not in window.docks  # built on first use, not at start-up
    qtbot.keyClick(window.text, Qt.Key.Key_F6)
    data = review_data(window)
    qtbot.waitUntil(lambda: data.report is not None and not data.busy, timeout=20_000)
    dash = dashboard_of(window)
    assert window.docks["agreement_dock"].isVisible()
    return dash


def test_dashboard_shows_the_reports_numbers(
    qtbot: QtBot, qtmodeltester: ModelTester, root: Path
) -> None:
    with window_on(qtbot, root) as window:
        dash = open_dashboard(qtbot, window)
        report = review_data(window).report
        assert report is not None
        # the same numbers as the core computes from the same files ...
        expected = agreement_report(load_corpus(Project.open(root)))
        assert [(p.a, p.b) for p in report.pairs] == [(p.a, p.b) for p in expected.pairs]
        pairs = dash.pair_model
        qtmodeltester.check(pairs)
        qtmodeltester.check(dash.confusion_model)
        for p in expected.pairs:
            name = f"{p.a} \u2013 {p.b}"
            for column, scheme in enumerate(("strict", "exact", "type", "partial"), 2):
                assert cell(pairs, name, column).data(VALUE_ROLE) == p.f1(scheme)
            assert cell(pairs, name, 6).data(VALUE_ROLE) == p.cohen.value
            assert cell(pairs, name, 7).data(VALUE_ROLE) == p.cohen.observed
            assert cell(pairs, name, 1).data(VALUE_ROLE) == p.documents
            assert dash.heatmap.value(p.a, p.b) == p.f1("strict")
        assert label(dash, "alpha_value").text() == f"{expected.alpha.value:.3f}"
        assert label(dash, "f1_mean_strict").text() == f"{expected.span_f1['strict']:.3f}"

        # ... and docs/agreement.md's worked example ex2, by hand: 2 of 5 spans agree strictly
        ani_budi = "ani \u2013 budi"
        assert cell(pairs, ani_budi, 2).data() == "0.400"  # strict F1 = 2*2 / (5+5)
        assert cell(pairs, ani_budi, 4).data() == "1.000"  # type: every span overlaps its twin
        assert cell(pairs, ani_budi, 5).data() == "0.700"  # partial: (2 + 3 * 0.5) / 5
        assert cell(pairs, ani_budi, 6).data(VALUE_ROLE) == pytest.approx(17 / 23, abs=1e-6)
        assert cell(pairs, ani_budi, 7).data() == "0.812"  # 13 of 16 tokens agree
        assert dash.heatmap.value("budi", "ani") == pytest.approx(0.4)
        assert dash.heatmap.cell_text("ani", "budi") == "0.40"
        # alpha over the one document two annotators submitted: 91/122 (cici is missing)
        assert label(dash, "alpha_value").text() == "0.746"
        assert label(dash, "f1_min_strict").text() == "0.400 (ani \u2013 budi)"
        assert label(dash, "kappa_value").text() == f"{17 / 23:.3f}"
        assert label(dash, "observed_value").text() == "observed agreement 0.812"
        assert label(dash, "documents_value").text() == "1 of 2"
        assert dash.bars.values()["CITY"] == (1.0, 1.0)
        assert dash.bars.values()["PERSON"] == (0.0, 1.0)

        # undefined is "—" with its reason, never 0
        assert expected.fleiss.value is None
        assert label(dash, "fleiss_value").text() == "—"
        assert (
            label(dash, "fleiss_value").toolTip() == "no document was submitted by every annotator"
        )
        assert label(dash, "fleiss_note").text() == "no document was submitted by every annotator"
        ani_cici = cell(pairs, "ani \u2013 cici", 2)
        assert ani_cici.data() == "—"
        assert ani_cici.data(VALUE_ROLE) is None
        assert ani_cici.data(Qt.ItemDataRole.ToolTipRole) == "no documents submitted by both"
        assert dash.heatmap.cell_text("cici", "ani") == "—"

        # the heatmap's scheme chooser and a click on a cell choose what is drawn
        dash.scheme_box.setCurrentIndex(dash.scheme_box.findData("partial"))
        assert dash.heatmap.value("ani", "budi") == pytest.approx(0.7)
        rect = dash.heatmap._rect(0, 1)  # ani's row, budi's column
        qtbot.mouseClick(dash.heatmap, Qt.MouseButton.LeftButton, pos=rect.center())
        assert dash.pair_box.currentText() == ani_budi
        pair = report.pair("ani", "budi")
        assert pair is not None
        assert dash.bars.values()["PERSON"] == (pair.per_label["PERSON"]["strict"].f1, 1.0)
        assert not dash.grab().isNull()  # paints


def test_dashboard_follows_files_changed_elsewhere_and_reloads(qtbot: QtBot, root: Path) -> None:
    with window_on(qtbot, root) as window:
        dash = open_dashboard(qtbot, window)
        data = review_data(window)
        pairs = dash.pair_model
        updated = label(dash.status, "review_updated")
        assert re.fullmatch(r"Updated \d\d:\d\d:\d\d · counted in \d+\.\d s", updated.text())
        assert cell(pairs, "ani \u2013 budi", 2).data() == "0.400"

        # budi fixes the boundaries on their own machine: the numbers follow, no refresh
        put(root, "budi", "d1", T1, G1)
        qtbot.waitUntil(lambda: cell(pairs, "ani \u2013 budi", 2).data() == "1.000", timeout=20_000)
        assert dash.heatmap.value("ani", "budi") == 1.0
        assert label(dash, "f1_max_strict").text() == "1.000 (ani \u2013 budi)"

        # a shared drive that sends no change notices: F5 reloads
        qtbot.waitUntil(lambda: not data.busy, timeout=20_000)
        data.changes.watcher.blockSignals(True)
        put(root, "cici", "d1", T1, G1[:4])  # cici now shares d1 with both
        assert cell(pairs, "ani \u2013 cici", 2).data() == "—"
        with qtbot.waitSignal(data.updated, timeout=20_000):
            qtbot.keyClick(window.text, Qt.Key.Key_F5)
            assert data.busy
            assert not dash.status.busy.isHidden()  # busy, ...
            assert cell(pairs, "ani \u2013 budi", 2).data() == "1.000"  # ... old numbers shown
        data.changes.watcher.blockSignals(False)
        assert cell(pairs, "ani \u2013 cici", 2).data() == f"{2 * 4 / (5 + 4):.3f}"
        assert label(dash, "fleiss_value").text() != "—"  # d1 is now everyone's
        assert dash.status.busy.isHidden()

        # a file that cannot be read: one line says so, the last numbers stay
        error = label(dash.status, "review_error")
        assert error.isHidden()
        budi = root / "annotations" / "budi.jsonl"
        budi.rename(root / "budi.jsonl.away")
        budi.mkdir()
        with qtbot.waitSignal(data.failed, timeout=20_000):
            qtbot.keyClick(window.text, Qt.Key.Key_F5)
        assert not error.isHidden()
        assert error.text().startswith("Could not count: ")
        assert "budi.jsonl" in error.text()
        assert "\n" not in error.text()
        assert cell(pairs, "ani \u2013 cici", 2).data() == f"{2 * 4 / (5 + 4):.3f}"
        budi.rmdir()
        (root / "budi.jsonl.away").rename(budi)
        with qtbot.waitSignal(data.updated, timeout=20_000):
            qtbot.keyClick(window.text, Qt.Key.Key_F5)
        assert error.isHidden()


def test_closing_the_window_while_counting_waits_and_counts_no_more(
    qtbot: QtBot, root: Path
) -> None:
    window = open_window(qtbot, root)
    open_dashboard(qtbot, window)
    data = review_data(window)
    action(window, "review.reload").trigger()
    assert data.busy
    put(root, "budi", "d1", T1, G1)  # a change arrives as the window closes
    # no recount starts once the window closes: one running when it is deleted would abort
    # the process ("QThread: Destroyed while thread is still running")
    started: list[bool] = []
    data.started.connect(lambda: started.append(True))
    with qtbot.waitSignal(data.destroyed, timeout=20_000):  # the window is deleted after close
        window.close()
        assert data.wait(0)  # a recount that was running has ended
        data.refresh()  # a late file notice or key press
    assert started == []


def test_against_gold_view(qtbot: QtBot, qtmodeltester: ModelTester, root: Path) -> None:
    with window_on(qtbot, root) as window:
        assert "gold_dock" not in window.docks
        action(window, "review.gold").trigger()
        data = review_data(window)
        qtbot.waitUntil(lambda: data.report is not None and not data.busy, timeout=20_000)
        view = window.findChild(GoldView, "gold_view")
        assert isinstance(view, GoldView)
        assert window.docks["gold_dock"].isVisible()
        # no gold yet: say so, and how to make it
        assert view.stack.currentWidget() is view.empty
        assert view.empty.text().startswith("No gold yet.")

        put(root, "gold", "d1", T1, G1)  # the lead adjudicated d1
        qtbot.waitUntil(lambda: view.stack.currentWidget() is view.table, timeout=20_000)
        model = view.model
        qtmodeltester.check(model)
        scores = {s.annotator: s for s in against_gold(load_corpus(Project.open(root)))}
        assert [model.index(r, 0).data() for r in range(model.rowCount())] == sorted(scores)
        # ani marked the gold spans: 1, 1, 1; budi has 2 of gold's 5 and 2 of their own 5 right
        assert [cell(model, "ani", c).data() for c in (2, 3, 4)] == ["1.000"] * 3
        assert [cell(model, "budi", c).data() for c in (2, 3, 4)] == ["0.400"] * 3
        assert cell(model, "budi", 4).data(VALUE_ROLE) == scores["budi"].f1("strict")
        headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(14)]
        person_f1 = headers.index("PERSON F1")
        assert cell(model, "budi", person_f1).data() == "0.000"
        assert cell(model, "ani", person_f1).data() == "1.000"
        # the weakest cells are marked: budi overall and on PERSON, nobody on CITY
        assert cell(model, "budi", 4).data(WEAK_ROLE) is True
        assert cell(model, "budi", person_f1).data(WEAK_ROLE) is True
        assert cell(model, "ani", person_f1).data(WEAK_ROLE) is None
        city_f1 = headers.index("CITY F1")
        assert cell(model, "budi", city_f1).data(WEAK_ROLE) is None
        assert "budi may need guidance on PERSON" in cell(model, "budi", person_f1).data(
            Qt.ItemDataRole.ToolTipRole
        )
        # cici shares no document with gold: "—" with the reason
        assert cell(model, "cici", 4).data() == "—"
        assert cell(model, "cici", 4).data(Qt.ItemDataRole.ToolTipRole) == (
            "no documents submitted by both"
        )
        # the type scheme counts budi's shifted boundaries as found
        view.scheme_box.setCurrentIndex(view.scheme_box.findData("type"))
        assert cell(model, "budi", 4).data() == "1.000"
        qtmodeltester.check(model)


def test_dashboard_speaks_indonesian(qtbot: QtBot, root: Path) -> None:
    translations = Translations.shared(application())
    try:
        with window_on(qtbot, root) as window:
            dash = open_dashboard(qtbot, window)
            action(window, "view.language.id").trigger()
            qtbot.waitUntil(lambda: window.docks["agreement_dock"].windowTitle() != "Agreement")
            assert window.docks["agreement_dock"].windowTitle() == "Kesepakatan"
            assert dash.figures["fleiss"].caption.text() == "Kappa Fleiss"
            pairs = dash.pair_model
            assert cell(pairs, "ani \u2013 budi", 2).data() == "0,400"  # Indonesian decimals
            assert label(dash, "fleiss_value").toolTip() == (
                "tidak ada dokumen yang diserahkan oleh semua anotator"
            )
    finally:
        translations.install("en")


def test_heatmap_digits_are_readable_on_every_colour() -> None:
    def luminance(c: QColor) -> float:
        def ch(x: int) -> float:
            v = x / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.red()) + 0.7152 * ch(c.green()) + 0.0722 * ch(c.blue())

    for step in [*range(101), None]:
        bg = scale_colour(None if step is None else step / 100)
        ink = ink_on(bg)
        hi, lo = sorted((luminance(bg), luminance(ink)), reverse=True)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5, (step, bg.name(), ink.name())


def test_review_panes_stay_out_of_sight_until_asked_and_give_way_to_adjudication(
    qtbot: QtBot, root: Path
) -> None:
    from PySide6.QtWidgets import QTabBar

    def tab_titles(window: MainWindow) -> set[str]:
        bars = [b for b in window.findChildren(QTabBar) if b.isVisible()]
        return {b.tabText(i) for b in bars for i in range(b.count())}

    with window_on(qtbot, root) as window:
        docks = window.docks
        # an annotator never sees the agreement panes, not even as an empty tab bar
        assert "agreement_dock" not in docks
        assert "Agreement" not in tab_titles(window)
        open_dashboard(qtbot, window)
        assert docks["agreement_dock"].isVisible()
        assert {"Agreement", "Against gold"} <= tab_titles(window)
        # adjudicating needs the height: the dashboard steps aside and comes back afterwards
        action(window, "review.adjudicate").trigger()
        qtbot.waitUntil(lambda: not docks["agreement_dock"].isVisible())
        action(window, "review.adjudicate").trigger()
        qtbot.waitUntil(lambda: docks["agreement_dock"].isVisible())


def test_an_annotators_window_does_not_load_the_agreement_engine(tmp_path: Path) -> None:
    """Review's numbers need numpy; a window that never opens Review must not import it."""
    code = (
        "import sys; from pathlib import Path\n"
        "from annotator.core.demo import demo_project\n"
        "from annotator.ui.app import Launcher, application\n"
        "from annotator.ui.window.i18n import Translations\n"
        "from annotator.ui.window.settings import Settings\n"
        "from PySide6.QtCore import QSettings\n"
        "tmp = Path(sys.argv[1]); project = demo_project(tmp / 'demo')\n"
        "app = application()\n"
        "settings = Settings(QSettings(str(tmp / 's.ini'), QSettings.Format.IniFormat))\n"
        "window = Launcher(settings, Translations.shared(app)).open(project.root, 'citra')\n"
        "assert window is not None\n"
        "print(sorted(m for m in ('numpy', 'annotator.core.agreement') if m in sys.modules))\n"
        "window.close()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"

"""Benchmark of Review > Adjudicate, offscreen, on a big article three annotators disagree on.

    python bench/bench_adjudication.py [--chars 200000] [--spans 3000] [--presses 30]

Figures printed:
- enter: F7 to the queue filled and the most disputed document shown (the agreement count runs
  in a worker thread first);
- open: choosing the big article in the queue to its panels painted (gold, three annotators);
- Tab: to the next disagreement, framed and scrolled into view in every panel;
- take: Alt+1 (take the first annotator's version) to the gold span journaled and repainted.
Everything runs in a temporary project with its own settings, so the user's are never touched.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.edit import Put  # noqa: E402
from annotator.core.model import Annotation, Document, make_span  # noqa: E402
from annotator.core.project import Project  # noqa: E402
from annotator.core.store import Session  # noqa: E402
from annotator.core.tokens import tokenize  # noqa: E402
from annotator.ui.app import Launcher, application  # noqa: E402
from annotator.ui.review.adjudication_mode import AdjudicationMode  # noqa: E402
from annotator.ui.window.i18n import Translations  # noqa: E402
from annotator.ui.window.settings import Settings  # noqa: E402

SENTENCE = (
    "Direktur Jenderal Kemendagri Safrizal hadir di Jakarta pada Selasa 30 Agustus 2022 "
    "bersama Walikota Bandung Yana Mulyana untuk program Bandung Smart City. "
)
LABELS = ("PERSON", "AGENCY", "CITY", "DATE", "PROGRAM")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def report(name: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p90 = samples[min(len(samples) - 1, int(len(samples) * 0.9))]
    print(
        f"{name:<40} median {ms(statistics.median(samples))}  p90 {ms(p90)}"
        f"  max {ms(samples[-1])}  (n={len(samples)})"
    )


def wait_until(app: QApplication, done: Callable[[], bool], limit: float = 120.0) -> None:
    end = time.perf_counter() + limit
    while not done():
        app.processEvents()
        if time.perf_counter() > end:
            raise SystemExit("timed out")


def build(root: Path, chars: int, n_spans: int, seed: int) -> None:
    rng = random.Random(seed)
    paragraph = SENTENCE * 3 + "\n"  # news articles come in short paragraphs
    text = (paragraph * (chars // len(paragraph) + 1))[:chars]
    text = text[: text.rfind(" ")] + "."
    small = "Rapat Kemendagri berlangsung di Surabaya hingga sore."
    project = Project.init(root)
    project.documents.append([Document(id="big", text=text), Document(id="small", text=small)])
    words = [(s, e) for s, e in tokenize(text) if text[s:e].isalpha()]
    chosen = sorted(rng.sample(range(len(words)), min(n_spans, len(words))))
    base = [(*words[i], rng.choice(LABELS)) for i in chosen]
    for k, name in enumerate(("ani", "budi", "cita")):
        spans = []
        for s, e, label in base:
            r = rng.random()
            if k and r < 0.1:
                continue  # missed
            if k and r < 0.2:
                label = LABELS[(LABELS.index(label) + k) % len(LABELS)]  # another label
            spans.append(make_span(text, s, e, label))
        session = Session(project, name)
        try:
            session.apply(
                Put(
                    Annotation(
                        id="big", text=text, annotator=name, status="done", spans=tuple(spans)
                    )
                )
            )
            span = make_span(small, 6, 16, "AGENCY")
            session.apply(
                Put(
                    Annotation(id="small", text=small, annotator=name, status="done", spans=(span,))
                )
            )
        finally:
            session.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=200_000)
    parser.add_argument("--spans", type=int, default=3_000)
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    app = application()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        build(root, args.chars, args.spans, args.seed)
        settings = Settings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        translations = Translations.shared(app)
        translations.install("en")
        launcher = Launcher(settings, translations)
        window = launcher.open(root, "lead")
        assert window is not None
        window.show()
        window.activateWindow()
        app.processEvents()

        started = time.perf_counter()
        QTest.keyClick(window.text, Qt.Key.Key_F7)
        mode = window.findChild(AdjudicationMode, "review_mode")
        assert isinstance(mode, AdjudicationMode)
        wait_until(app, lambda: mode.doc_id is not None)
        app.processEvents()
        print(
            f"{'enter (F7 to the disputed document shown)':<40} {ms(time.perf_counter() - started)}"
        )
        disputed = len(mode.doc.adj.disputed)
        print(f"big article: {args.chars} characters, {disputed} disagreements, 3 annotators")

        opens = []
        for _ in range(5):
            view = mode.page.queue
            small_row, big_row = mode.queue.row_of("small"), mode.queue.row_of("big")
            view.setCurrentIndex(mode.queue.index(small_row, 0))
            app.processEvents()
            started = time.perf_counter()
            view.setCurrentIndex(mode.queue.index(big_row, 0))
            mode.page.gold.text.viewport().repaint()
            for panel in mode.page.panels:
                panel.text.viewport().repaint()
            opens.append(time.perf_counter() - started)
        report("open the big article (4 panels painted)", opens)

        gold_text = mode.page.gold.text
        steps, takes = [], []
        for _ in range(args.presses):
            started = time.perf_counter()
            QTest.keyClick(gold_text, Qt.Key.Key_Tab)
            gold_text.viewport().repaint()
            steps.append(time.perf_counter() - started)
        for _ in range(args.presses):
            started = time.perf_counter()
            QTest.keyClick(gold_text, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
            gold_text.viewport().repaint()
            takes.append(time.perf_counter() - started)
        report("Tab (next disagreement)", steps)
        report("Alt+1 (take a version, journaled)", takes)
        window.close()
        app.processEvents()


if __name__ == "__main__":
    main()

"""Benchmark of suggestions in the window, offscreen: opening documents with them, the keys.

    python bench/bench_ui_suggest.py [--runs 5] [--presses 30] [--articles 30]

Figures printed (rule suggestions, the default source):
- open a 3 KB article: the key press to the text painted, and to its suggestions drawn;
- open the 200 KB article with 5,000 spans (bench_ui.py's): to the text painted (target
  < 150 ms, as without suggestions) and to its suggestions drawn (they are computed in a
  worker thread after the first paint, so the text never waits for them);
- on that article: the accept key (A) and the reject key (R), each from the key press to the
  journaled edit repainted (target < 16 ms), and a label key with suggestions shown (the
  figure bench_ui.py measures without them).
Everything runs with its own settings and data folders, so the user's are never touched.
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import bench_ui  # noqa: E402
import make_corpus  # noqa: E402
from bench_ui import ms  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from ui_floor import PaintProbe, repainted, timed_paint  # noqa: E402

from annotator.core.model import Document  # noqa: E402
from annotator.core.tokens import tokenize  # noqa: E402
from annotator.ui.app import application  # noqa: E402
from annotator.ui.window.main_window import MainWindow  # noqa: E402


def summary(name: str, samples: list[float], target: float) -> None:
    samples = sorted(samples)
    p90 = samples[min(len(samples) - 1, int(len(samples) * 0.9))]
    median = statistics.median(samples)
    verdict = "ok" if median < target else "OVER"
    print(
        f"{name:<44} median {ms(median)}  p90 {ms(p90)}  max {ms(samples[-1])}"
        f"  (target < {target * 1000:.0f} ms: {verdict}, n={len(samples)})"
    )


def until_suggested(app: QApplication, window: MainWindow) -> None:
    """Run the event loop until the open document's suggestions are drawn."""
    deadline = time.perf_counter() + 30
    while window.registry["view.suggestions"].isChecked() and not window.suggestions.ready:
        app.processEvents()
        if time.perf_counter() > deadline:
            raise RuntimeError("the suggestions never arrived")


def open_twice(
    app: QApplication, window: MainWindow, probe: PaintProbe, doc_id: str, other: str
) -> tuple[float, float]:
    """Seconds from opening ``doc_id`` to its text painted, and to its suggestions drawn."""
    window.annotating.open(other)
    until_suggested(app, window)
    t0 = time.perf_counter()
    painted = timed_paint(app, probe, lambda: window.annotating.open(doc_id), lambda: True)
    until_suggested(app, window)
    app.processEvents()
    return painted, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--articles", type=int, default=30, help="3 KB articles to open")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="annotator-bench-ui-suggest-"))
    atexit.register(shutil.rmtree, tmp, True)  # the project, settings and XDG folders
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(tmp / var.lower())
    print(f"annotator window suggestions benchmark (offscreen, {os.cpu_count()} CPUs)")
    app = application()
    project, text, _ = bench_ui.big_project(tmp / "big")
    articles = [make_corpus.generate_article(i, 11) for i in range(args.articles)]
    project.documents.append(Document(id=doc_id, text=t) for doc_id, t, _ in articles)
    window = bench_ui.open_window(project.root, "bench", tmp / "settings.ini")
    probe = PaintProbe(window.text.viewport())
    until_suggested(app, window)

    painted, drawn, counts = [], [], []
    for doc_id, _, _ in articles:
        p, d = open_twice(app, window, probe, doc_id, "small")
        painted.append(p)
        drawn.append(d)
        counts.append(window.suggestions.shown.count)
    print(f"3 KB articles: {sum(counts) / len(counts):.1f} suggestions each on average")
    summary("open a 3 KB article: text painted", painted, 0.05)
    summary("open a 3 KB article: suggestions drawn", drawn, 0.1)

    painted, drawn, hidden = [], [], []
    show = window.registry["view.suggestions"]
    for _ in range(args.runs):
        p, d = open_twice(app, window, probe, "big", "small")
        painted.append(p)
        drawn.append(d)
        show.trigger()  # the same, with suggestions hidden: the figure to compare with
        hidden.append(open_twice(app, window, probe, "big", "small")[0])
        show.trigger()
        until_suggested(app, window)
    print(f"big article: {len(text):,} characters, {window.suggestions.shown.count:,} suggestions")
    summary("open the 200 KB article: text painted", painted, 0.15)
    summary("  the same with suggestions hidden", hidden, 0.15)
    summary("open the 200 KB article: suggestions drawn", drawn, 1.0)

    window.text.setFocus()
    rng = random.Random(7)

    def press_on_suggestions(letter: Qt.Key) -> list[float]:
        samples = []
        chosen = rng.sample(window.suggestions.shown.items, args.presses)
        for sug in chosen:
            window.text.setTextCursor(window.text.cursor_at(sug.start))
            window.text.ensureCursorVisible()
            repainted(app, probe)
            before = len(window.work.spans), window.suggestions.shown.count
            press = lambda: QTest.keyClick(window.text, letter)  # noqa: E731
            samples.append(timed_paint(app, probe, press, lambda: True))
            after = len(window.work.spans), window.suggestions.shown.count
            assert after[1] == before[1] - 1, "every key press took a suggestion away"
        return samples

    summary(
        "accept key (A) -> journaled, repainted span", press_on_suggestions(Qt.Key.Key_A), 0.016
    )
    summary("reject key (R) -> journaled, repainted", press_on_suggestions(Qt.Key.Key_R), 0.016)

    covered = {(s.start, s.end) for s in window.work.spans}
    free = [
        t
        for t in tokenize(text)
        if text[t.start].isalpha()
        and (t.start, t.end) not in covered
        and not window.suggestions.shown.in_range(t.start, t.end)
    ]
    shown_samples, hidden_samples = [], []
    for i, token in enumerate(rng.sample(free, 2 * args.presses)):
        if i % 2:
            show.trigger()  # every other press with suggestions hidden, to compare under one load
        cursor = window.text.cursor_at(token.start)
        cursor.setPosition(window.text.umap.to_utf16(token.end), QTextCursor.MoveMode.KeepAnchor)
        window.text.setTextCursor(cursor)
        window.text.ensureCursorVisible()
        repainted(app, probe)
        press = lambda: QTest.keyClick(window.text, Qt.Key.Key_4)  # noqa: E731
        sample = timed_paint(app, probe, press, lambda: True)
        (hidden_samples if i % 2 else shown_samples).append(sample)
        if i % 2:
            show.trigger()
    summary("label key with suggestions shown", shown_samples, 0.016)
    summary("  the same with suggestions hidden", hidden_samples, 0.016)
    print(f"{'(spans on the big article now)':<44} {len(window.work.spans):,}")
    t0 = time.perf_counter()
    window.close()
    print(f"{'close (worker thread stopped, saved)':<44} {ms(time.perf_counter() - t0)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

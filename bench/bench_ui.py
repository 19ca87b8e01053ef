"""Benchmark of the workbench window, offscreen: start-up, a big article, a key press, switching.

    python bench/bench_ui.py [--corpus DIR] [--articles 100000] [--runs 5] [--presses 30]

Figures printed (targets, issue 3, on a 2-core machine):
- cold start: a new process to the first painted document of the demo project (< 1.5 s);
- open: a 200 KB article with 5,000 spans, from the key press to its first paint (< 150 ms);
- label key: selection -> journaled span -> repainted, at that size (< 16 ms);
- switch: Alt+Right in the 100,000-article project, to the next document painted (< 50 ms).
``--corpus`` is a project made by ``bench/make_corpus.py`` (made in a temporary folder with
``--articles`` articles and one annotator when not given). Everything runs with its own
settings and data folders, so the user's are never touched.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import make_corpus  # noqa: E402
from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from annotator.core.model import Document, make_span  # noqa: E402
from annotator.core.project import Project  # noqa: E402
from annotator.core.tokens import tokenize  # noqa: E402
from annotator.ui.app import Launcher, application  # noqa: E402
from annotator.ui.i18n import Translations  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402
from annotator.ui.settings import Settings  # noqa: E402

BIG_CHARS = 200_000
BIG_SPANS = 5_000


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def summary(name: str, samples: list[float], target: float) -> None:
    samples = sorted(samples)
    p90 = samples[min(len(samples) - 1, int(len(samples) * 0.9))]
    median = statistics.median(samples)
    verdict = "ok" if median < target else "OVER"
    print(
        f"{name:<44} median {ms(median)}  p90 {ms(p90)}  max {ms(samples[-1])}"
        f"  (target < {target * 1000:.0f} ms: {verdict}, n={len(samples)})"
    )


class PaintCounter(QObject):
    """Counts paint events of one widget (the text view's viewport)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def until_painted(app: QApplication, counter: PaintCounter, before: int) -> None:
    """Run the event loop until the widget has painted again (it paints synchronously)."""
    deadline = time.perf_counter() + 10
    while counter.count == before:
        app.processEvents()
        if time.perf_counter() > deadline:
            raise RuntimeError("the text view never painted")


def timed(app: QApplication, counter: PaintCounter, act: Callable[[], None]) -> float:
    before = counter.count
    t0 = time.perf_counter()
    act()
    until_painted(app, counter, before)
    return time.perf_counter() - t0


# -- cold start (child process) ---------------------------------------------------------------


def child_start() -> int:
    """Open the demo project; print "painted" once the text view first paints a document."""
    app = application()
    settings = Settings(QSettings(os.environ["BENCH_SETTINGS"], QSettings.Format.IniFormat))
    launcher = Launcher(settings, Translations.shared(app))
    window = launcher.open(None, "bench")
    assert window is not None
    done = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and window.work.doc is not None and not done:
                done.append(True)
                QTimer.singleShot(0, report)
            return False

    def report() -> None:
        print("painted", flush=True)
        window.close()  # saves and releases the lock, as a person closing it would
        app.quit()

    probe = FirstPaint(window)
    window.text.viewport().installEventFilter(probe)
    window.show()
    app.exec()
    return 0


def cold_start(runs: int, env: dict[str, str]) -> None:
    samples = []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, __file__, "--child-start"],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        line = child.stdout.readline()
        elapsed = time.perf_counter() - t0
        child.wait()
        if line.strip() != "painted":
            raise RuntimeError("the child never painted")
        if i == 0:
            print(f"{'first start (demo project created)':<44} {ms(elapsed)}")
        else:
            samples.append(elapsed)
    summary("cold start to first painted document", samples, 1.5)


# -- a 200 KB article with 5,000 spans ----------------------------------------------------------


def big_article() -> str:
    parts: list[str] = []
    i = 0
    while sum(len(p) + 1 for p in parts) < BIG_CHARS:
        parts.append(make_corpus.generate_article(i, 7)[1])
        i += 1
    return "\n".join(parts)[:BIG_CHARS]


def big_project(root: Path) -> tuple[Project, str]:
    text = big_article()
    project = Project.init(root)
    project.documents.append(
        [Document(id="small", text="Berita pendek dari Jakarta."), Document(id="big", text=text)]
    )
    words = [t for t in tokenize(text) if text[t.start].isalpha()]
    rng = random.Random(3)
    chosen = sorted(rng.sample(range(0, len(words), 2), BIG_SPANS))  # every other word at most
    labels = project.config.label_names
    spans = tuple(
        make_span(text, words[k].start, words[k].end, labels[k % len(labels)]) for k in chosen
    )
    with project.session("bench") as session:
        session.set_spans("big", spans)
    return project, text


def open_window(root: Path, name: str, settings_path: Path) -> MainWindow:
    app = application()
    settings = Settings(QSettings(str(settings_path), QSettings.Format.IniFormat))
    launcher = Launcher(settings, Translations.shared(app))
    window = launcher.open(root, name)
    assert window is not None
    _KEEP.append(launcher)
    window.show()
    window.activateWindow()
    for _ in range(5):
        app.processEvents()
    return window


_KEEP: list[Launcher] = []


def bench_big(tmp: Path, runs: int, presses: int) -> None:
    app = application()
    project, text = big_project(tmp / "big")
    lines = text.count("\n") + 1
    print(f"big article: {len(text):,} characters, {lines:,} paragraphs, {BIG_SPANS:,} spans")
    window = open_window(project.root, "bench", tmp / "big-settings.ini")
    counter = PaintCounter(window.text.viewport())
    samples = []
    for _ in range(runs):
        window.controller.open("small")
        until_painted(app, counter, counter.count - 1)
        samples.append(timed(app, counter, lambda: window.controller.open("big")))
    summary("open the 200 KB article with 5,000 spans", samples, 0.15)

    # label key presses on unlabelled words, each timed from the key to the repainted span
    covered = {(s.start, s.end) for s in window.work.spans}
    free = [
        t for t in tokenize(text) if text[t.start].isalpha() and (t.start, t.end) not in covered
    ]
    rng = random.Random(5)
    journal_times: list[float] = []
    put = window.work.session.put

    def timed_put(ann: object) -> object:
        t0 = time.perf_counter()
        result = put(ann)  # type: ignore[arg-type]
        journal_times.append(time.perf_counter() - t0)
        return result

    window.work.session.put = timed_put  # type: ignore[method-assign]
    samples = []
    for token in rng.sample(free, presses):
        cursor = window.text.cursor_at(token.start)
        cursor.setPosition(window.text.umap.to_utf16(token.end), QTextCursor.MoveMode.KeepAnchor)
        window.text.setTextCursor(cursor)
        window.text.ensureCursorVisible()
        until_painted(app, counter, counter.count - 1)
        app.processEvents()
        samples.append(timed(app, counter, lambda: QTest.keyClick(window.text, Qt.Key.Key_4)))
    assert len(window.work.spans) == BIG_SPANS + presses, "every key press made a span"
    summary("label key -> journaled, repainted span", samples, 0.016)
    summary("  of which the journaled write (fsync)", journal_times, 0.016)
    window.close()


# -- switching documents in the 100,000-article project ----------------------------------------


def bench_switch(corpus: Path, tmp: Path, switches: int) -> None:
    app = application()
    project = Project.open(corpus)
    names = [n for n in project.annotators(include_gold=False)]
    name = names[0] if names else "bench"
    t0 = time.perf_counter()
    window = open_window(corpus, name, tmp / "switch-settings.ini")
    opened = time.perf_counter() - t0
    print(f"{len(project.documents):,}-article project opened as {name} in {ms(opened)}")
    counter = PaintCounter(window.text.viewport())
    window.text.setFocus()
    alt = Qt.KeyboardModifier.AltModifier
    samples = []
    for _ in range(switches):
        samples.append(
            timed(app, counter, lambda: QTest.keyClick(window.text, Qt.Key.Key_Right, alt))
        )
    summary(f"switch document (Alt+Right), {len(project.documents):,} articles", samples, 0.05)
    for text, what in (
        ("Jakarta", "first: case-folds every title"),
        ("Surabaya", "next"),
        ("", "cleared"),
    ):
        t0 = time.perf_counter()
        window.documents.filter_edit.setText(text)
        window.documents.filter_edit.returnPressed.emit()
        app.processEvents()
        label = f"filter the list by text ({what})"
        print(
            f"{label:<44} {ms(time.perf_counter() - t0)}"
            f"  ({window.documents.proxy.rowCount():,} rows shown)"
        )
    window.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, help="a make_corpus project (default: made)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--switches", type=int, default=50)
    parser.add_argument("--child-start", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_start:
        return child_start()
    tmp = Path(tempfile.mkdtemp(prefix="annotator-bench-ui-"))
    env = dict(os.environ)
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp / var.lower())
        os.environ[var] = env[var]
    env["BENCH_SETTINGS"] = str(tmp / "cold-settings.ini")
    print(f"annotator window benchmark (offscreen, {os.cpu_count()} CPUs)")
    cold_start(args.runs, env)
    bench_big(tmp, args.runs, args.presses)
    corpus = args.corpus
    if corpus is None:
        corpus = tmp / "corpus"
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(BENCH / "make_corpus.py"),
                str(corpus),
                "--articles",
                str(args.articles),
                "--annotators",
                "1",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"made a {args.articles:,}-article corpus in {time.perf_counter() - t0:.1f} s")
    bench_switch(corpus, tmp, args.switches)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

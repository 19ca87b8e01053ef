"""Benchmark of the workbench window, offscreen: every figure beside its floor, bare PySide6.

    python bench/bench_ui.py [--corpus DIR] [--articles 100000] [--runs 5] [--presses 30]
                             [--switches 50] [--open-runs 3] [--keep]
                             [--only {all,cold-start,100k-open,keys,switch}]

A floor is the same work done by bare PySide6 in the same run, on the same data, at the same
widget and font size (``bench/ui_floor.py``); runs of ours and of the floor alternate, so a busy
machine slows both alike. Each figure prints ``ours X ms, floor Y ms, ratio R`` for the median
and the p90 over the runs:

- cold start: a new process to the first painted document of the demo project, its bytecode
  compiled by the first start as an install would have it; floor: a new process showing a
  bare QPlainTextEdit holding that article, at the same size, to its first paint; beside it,
  the CPU time each process had used by then;
- open: a 200 KB article with 5,000 spans (its annotation compacted into the annotator's file),
  from ``open`` to the first paint that shows a span;
  floor: a QPlainTextEdit + QSyntaxHighlighter reading a per-block span index, setPlainText;
- label key: a key press on a selected word, to the first paint where the word is coloured;
  floor: the bare widget indexes one span and re-highlights its block, to that paint;
- key to saved: the key press to the return of the fsync that made the edit durable (the
  journal's thread reports it; the window says "saved" then); floor: the label key's floor
  plus the fsync's floor;
- fsync: our journaled write, from the edit handed to the store to its fsync's return;
  floor: append a line of the same size to a file beside the journal and fsync it;
- 100k open: a new process to the first painted document of the 100,000-article project, with
  no index cache (cold) and with it (warm); floor: read ``documents.jsonl`` once, no parsing;
- switch: Alt+Right to the next document painted; floor: setPlainText of that document's text.
Memory is the 100k open's resident set at its first painted document. Every wait ends at a real
paint event of the viewport at which what should show is there (``ui_floor.PaintProbe``).

``--corpus``: a ``bench/make_corpus.py`` project (else one is made, ``--articles`` articles, one
annotator). Settings and data folders are the run's own, in a temporary folder (``--keep``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the window's processes paint without Qt's GUI thread pool (annotator.ui.app.application):
# so does every floor, in this process and in the new ones started below
os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")

import make_corpus  # noqa: E402
from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from ui_floor import (  # noqa: E402
    BareView,
    PaintProbe,
    append_fsync,
    desktop_screen,
    formatted_at,
    read_once,
    repainted,
    run_until,
    settle,
    timed_paint,
)

from annotator.core.edit import SetSpans  # noqa: E402
from annotator.core.model import Document, make_span  # noqa: E402
from annotator.core.offsets import Utf16Map  # noqa: E402
from annotator.core.project import Project  # noqa: E402
from annotator.core.store import Session  # noqa: E402
from annotator.core.tokens import tokenize  # noqa: E402
from annotator.ui.app import Launcher, application  # noqa: E402
from annotator.ui.window.i18n import Translations  # noqa: E402
from annotator.ui.window.main_window import MainWindow  # noqa: E402
from annotator.ui.window.settings import Settings  # noqa: E402

BIG_CHARS = 200_000
BIG_SPANS = 5_000
CHILD = BENCH / "ui_child.py"


# -- printing ------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:>8,.1f} ms"


def p90(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]


def pair(name: str, ours: Sequence[float], floor: Sequence[float]) -> None:
    """``ours X ms, floor Y ms, ratio R``, for the median and the p90."""
    for i, (what, stat) in enumerate((("median", statistics.median), ("p90", p90))):
        o, f = stat(ours), stat(floor)
        ratio = o / f if f > 0 else float("inf")
        head = name if i == 0 else ""
        tail = f"  (n={len(ours)})" if i == 1 else ""
        print(f"{head:<34} {what:<6} ours {ms(o)}, floor {ms(f)}, ratio {ratio:5.1f}{tail}")


def alone(name: str, samples: Sequence[float]) -> None:
    """A figure with no floor of its own (a part of one above)."""
    print(
        f"{name:<34} median ours {ms(statistics.median(samples))}, p90 {ms(p90(samples))}"
        f"  (n={len(samples)})"
    )


# -- event loop ----------------------------------------------------------------------------------


def quiet(app: QApplication, window: MainWindow) -> None:
    """Settle, and wait for the open document's suggestions, computed in a worker thread after
    the paint, and for the full indexes, built in one (decision 0046): left running, such a
    thread would take a core from the next figure timed."""
    settle(app)
    run_until(app, lambda: window.annotating.index.ready, "the full indexes", 300)
    run_until(
        app,
        lambda: not window.registry["view.suggestions"].isChecked() or window.suggestions.ready,
        "the suggestions",
        60,
    )
    settle(app)


def activate(app: QApplication, window: QWidget) -> None:
    """Window shortcuts fire only in the active window: make ours active again."""
    window.activateWindow()
    settle(app)
    if app.activeWindow() is not window:
        raise RuntimeError("the window could not be made active (its key shortcuts would not fire)")


def hook_saves(session: Session) -> list[tuple[float, float]]:
    """Record ``(start, end)`` of every journaled write: from the call that hands the edit to
    the store (``submit``, or a synchronous ``commit``) to the return of its fsync, as the
    journal's thread reports it (the moment the window may say "saved"). The report may come
    before ``submit`` has returned (the fsync of a small write is quick): its time is kept."""
    saves: list[tuple[float, float]] = []
    started: dict[int, float] = {}
    reports: list[tuple[int, float]] = []  # (durable, when reported)
    lock = threading.Lock()
    original_submit, original_commit = session.submit, session.commit

    def submit(changes: Any) -> int:
        t0 = time.perf_counter()
        seq = original_submit(changes)
        with lock:
            reported = [end for upto, end in reports if upto >= seq]
            if seq and reported:  # durable before submit returned
                saves.append((t0, reported[0]))
            elif seq:
                started[seq] = t0
        return seq

    def durable(upto: int, error: str | None) -> None:
        end = time.perf_counter()
        with lock:
            if error is None:
                reports.append((upto, end))
            for seq in sorted(s for s in started if s <= upto):
                saves.append((started.pop(seq), end))

    def commit(changes: Any) -> None:
        t0 = time.perf_counter()
        original_commit(changes)
        with lock:
            saves.append((t0, time.perf_counter()))

    session.submit = submit  # type: ignore[method-assign]
    session.commit = commit  # type: ignore[method-assign]
    session.add_durable_listener(durable)
    return saves


# -- new processes -------------------------------------------------------------------------------


def run_child(args: Sequence[str], env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    """Seconds from starting ``ui_child.py args`` to its painted line, and that line."""
    t0 = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(CHILD), *args], env=env, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - t0
    child.wait()
    if not line.strip():
        raise RuntimeError(f"{args[0]}: the new process never painted (exit {child.returncode})")
    return elapsed, json.loads(line)


def cold_start(runs: int, env: dict[str, str]) -> float:
    """The cold start pair, and the CPU time each process had used at its paint (its own
    work, which the machine's load stretches less than the wall time); the bare window's
    resident memory (MB) for reference."""
    first, _ = run_child(["ours-start"], env)
    print(f"{'first start (demo project created)':<34} {'':<6} ours {ms(first)}")
    ours: list[float] = []
    floor: list[float] = []
    ours_cpu: list[float] = []
    floor_cpu: list[float] = []
    memory: list[float] = []
    for _ in range(runs):
        seconds, seen = run_child(["ours-start"], env)
        ours.append(seconds)
        ours_cpu.append(seen["cpu_seconds"])
        width, height = seen["size"]
        args = [seen["documents"], seen["doc"], width, height, seen["point_size"]]
        seconds, bare = run_child(["floor-start", *map(str, args)], env)
        floor.append(seconds)
        floor_cpu.append(bare["cpu_seconds"])
        memory.append(bare["rss_mb"])
    pair("cold start to first paint", ours, floor)
    pair("  the process's CPU time then", ours_cpu, floor_cpu)
    return statistics.median(memory)


# -- a 200 KB article with 5,000 spans -----------------------------------------------------------


def big_article() -> str:
    parts: list[str] = []
    i = 0
    while sum(len(p) + 1 for p in parts) < BIG_CHARS:
        parts.append(make_corpus.generate_article(i, 7)[1])
        i += 1
    return "\n".join(parts)[:BIG_CHARS]


def big_project(root: Path) -> tuple[Project, str, list[tuple[int, int, str]]]:
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
        session.apply(SetSpans("big", tuple(s.key for s in spans)))
    return project, text, [(s.start, s.end, s.label) for s in spans]


def open_window(root: Path, name: str, settings_path: Path) -> MainWindow:
    app = application()
    settings = Settings(QSettings(str(settings_path), QSettings.Format.IniFormat))
    launcher = Launcher(settings, Translations.shared(app))
    window = launcher.open(root, name)
    assert window is not None
    _KEEP.append(launcher)
    window.show()
    activate(app, window)
    quiet(app, window)
    return window


_KEEP: list[Launcher] = []


def bare_beside(window: MainWindow) -> BareView:
    """The floor's widget, the size of ours and with its font size, shown."""
    view = window.text
    labels = [label.name for label in window.labels]
    bare = BareView(labels, (view.width(), view.height()), view.font().pointSize())
    bare.show()
    return bare


def bench_big(tmp: Path, runs: int, presses: int) -> None:
    app = application()
    project, text, spans = big_project(tmp / "big")
    lines = text.count("\n") + 1
    print(f"big article: {len(text):,} characters, {lines:,} paragraphs, {BIG_SPANS:,} spans")
    window = open_window(project.root, "bench", tmp / "big-settings.ini")
    view = window.text
    probe = PaintProbe(view.viewport())
    bare = bare_beside(window)
    activate(app, window)
    first16 = Utf16Map(text).to_utf16(spans[0][0])
    if spans[0][0] > 500:
        raise RuntimeError("the first span is not on the first screen")

    ours: list[float] = []
    floor: list[float] = []
    for _ in range(runs):
        window.annotating.open("small")
        repainted(app, probe)
        quiet(app, window)
        window.work.save()  # the article's annotation is read from its file, not the journal
        ours.append(
            timed_paint(
                app,
                probe,
                lambda: window.annotating.open("big"),
                lambda: formatted_at(view.document(), first16),
            )
        )
        quiet(app, window)
        bare.show_text("Berita pendek dari Jakarta.")
        repainted(app, bare.probe)
        floor.append(
            timed_paint(
                app,
                bare.probe,
                lambda: bare.show_text(text, spans),
                lambda: formatted_at(bare.document(), first16),
            )
        )
        settle(app)
    pair("open 200 KB, 5,000 spans", ours, floor)
    bench_keys(app, window, bare, probe, text, tmp, presses)
    window.close()
    bare.close()


def bench_keys(
    app: QApplication,
    window: MainWindow,
    bare: BareView,
    probe: PaintProbe,
    text: str,
    tmp: Path,
    presses: int,
) -> None:
    """Label keys on unlabelled words: ours and the bare widget's, pair by pair."""
    view = window.text
    covered = {(s.start, s.end) for s in window.work.spans}
    free = [
        t for t in tokenize(text) if text[t.start].isalpha() and (t.start, t.end) not in covered
    ]
    tokens = random.Random(5).sample(free, presses)
    label = next(lab.name for lab in window.labels if lab.key == "4")
    session = window.work.store
    saves = hook_saves(session)
    floor_journal = session.journal_path.with_name("floor.journal")
    journal_line: bytes | None = None
    painted, saved, written = [], [], []
    bare_painted, bare_fsync = [], []
    for token in tokens:
        cursor = view.cursor_at(token.start)
        cursor.setPosition(view.umap.to_utf16(token.end), QTextCursor.MoveMode.KeepAnchor)
        view.setTextCursor(cursor)
        view.ensureCursorVisible()
        repainted(app, probe)
        pos16 = view.umap.to_utf16(token.start)
        count = len(saves)
        probe.arm(lambda pos16=pos16: formatted_at(view.document(), pos16))
        t0 = time.perf_counter()
        QTest.keyClick(view, Qt.Key.Key_4)
        painted.append(probe.wait(app) - t0)
        # the edit may be journaled after the paint rather than on the key itself
        run_until(app, lambda c=count: len(saves) > c, "a journaled write (commit)", 30)
        start, end = saves[count]
        saved.append(end - t0)
        written.append(end - start)
        quiet(app, window)

        if journal_line is None:  # our journal line for this document, as written
            journal_line = session.journal_path.read_bytes().splitlines(keepends=True)[-1]
        bare_cursor = QTextCursor(bare.document())
        bare_cursor.setPosition(pos16)
        bare.setTextCursor(bare_cursor)
        bare.ensureCursorVisible()
        repainted(app, bare.probe)
        bare_painted.append(
            timed_paint(
                app,
                bare.probe,
                lambda token=token: bare.add_span(token.start, token.end, label),
                lambda pos16=pos16: formatted_at(bare.document(), pos16),
            )
        )
        bare_fsync.append(append_fsync(floor_journal, journal_line))
        settle(app)
    if len(window.work.spans) != BIG_SPANS + presses:
        raise RuntimeError("a key press did not make a span")
    pair("label key -> span painted", painted, bare_painted)
    both = [p + f for p, f in zip(bare_painted, bare_fsync, strict=True)]
    pair("label key -> saved (fsynced)", saved, both)
    size = len(journal_line or b"")
    pair(f"fsync, a {size / 1000:,.0f} KB journal line", written, bare_fsync)


# -- the 100,000-article project -----------------------------------------------------------------


def bench_open_big_project(
    corpus: Path, name: str, tmp: Path, runs: int, env: dict[str, str], bare_mb: float
) -> None:
    """New processes opening the project without its index cache, then with it."""
    documents = corpus / "documents.jsonl"
    cache = corpus / ".annotator" / "cache"
    settings = str(tmp / "open-settings.ini")
    n = len(Project.open(corpus).documents)
    memory: list[float] = []
    peak: list[float] = []
    for cold in (True, False):
        ours: list[float] = []
        inside: list[float] = []
        floor: list[float] = []
        for _ in range(runs):
            if cold:
                shutil.rmtree(cache, ignore_errors=True)
            seconds, seen = run_child(["ours-open", str(corpus), name, settings], env)
            ours.append(seconds)
            inside.append(seen["open_seconds"])
            memory.append(seen["rss_mb"])
            peak.append(seen["peak_mb"])
            floor.append(read_once(documents)[0])
        what = "cold, no cache" if cold else "warm"
        pair(f"{n // 1000:,}k open, {what}", ours, floor)
        alone("  of which the project's open", inside)
    print(
        f"{'memory at ' + f'{n:,}' + ' articles':<34} {'':<6} ours {statistics.median(memory):,.0f}"
        f" MB resident at the first document (peak {max(peak):,.0f} MB);"
        f" a bare window with one article {bare_mb:,.0f} MB"
    )


def bench_switch(corpus: Path, name: str, tmp: Path, switches: int) -> None:
    app = application()
    window = open_window(corpus, name, tmp / "switch-settings.ini")
    view = window.text
    probe = PaintProbe(view.viewport())
    bare = bare_beside(window)
    activate(app, window)
    view.setFocus()
    alt = Qt.KeyboardModifier.AltModifier
    ours: list[float] = []
    floor: list[float] = []
    for _ in range(switches):
        before = window.work.doc_id
        ours.append(
            timed_paint(
                app,
                probe,
                lambda: QTest.keyClick(view, Qt.Key.Key_Right, alt),
                lambda before=before: window.work.doc_id != before,
            )
        )
        quiet(app, window)
        doc = window.work.doc
        assert doc is not None
        show = lambda text=doc.text: bare.setPlainText(text)  # noqa: E731
        floor.append(timed_paint(app, bare.probe, show, lambda: True))
        settle(app)
    pair(f"switch (Alt+Right), {len(window.work.project.documents):,}", ours, floor)
    bare.close()
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
            f"{label:<41} ours {ms(time.perf_counter() - t0)}"
            f"  ({window.documents.proxy.rowCount():,} rows shown)"
        )
    window.close()


def make_big_corpus(tmp: Path, articles: int) -> Path:
    corpus = tmp / "corpus"
    t0 = time.perf_counter()
    subprocess.run(
        [
            *(sys.executable, str(BENCH / "make_corpus.py"), str(corpus)),
            *("--articles", str(articles), "--annotators", "1"),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"made a {articles:,}-article corpus in {time.perf_counter() - t0:.1f} s")
    return corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--corpus", type=Path, help="a make_corpus project (default: made)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="cold starts and opens")
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--switches", type=int, default=50)
    parser.add_argument("--open-runs", type=int, default=3, help="opens of the big project")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--only",
        choices=("all", "cold-start", "100k-open", "keys", "switch"),
        default="all",
        help=(
            "cold-start: only the cold start pair (--runs of each);"
            " 100k-open: only the 100,000-article project's cold and warm opens and memory;"
            " keys: only the 200 KB open, the label key, saved and fsync;"
            " switch: only the switch among the corpus's documents"
        ),
    )
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="annotator-bench-ui-"))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(tmp / var.lower())
    desktop_screen(tmp / "offscreen.json")
    env = dict(os.environ)
    env["BENCH_SETTINGS"] = str(tmp / "cold-settings.ini")
    # an installed app starts from compiled bytecode: keep it (out of the source tree) even
    # where the environment says not to write it, or every start compiles the sources again
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "bytecode")
    try:
        cpus = os.cpu_count()
        print(f"annotator window benchmark (offscreen, {cpus} CPUs), each beside its floor")
        only = args.only
        if only in ("all", "cold-start", "100k-open"):
            bare_mb = cold_start(args.runs if only != "100k-open" else 1, env)
        if only in ("all", "keys"):
            bench_big(tmp, args.runs, args.presses)
        if only in ("all", "100k-open", "switch"):
            corpus = args.corpus or make_big_corpus(tmp, args.articles)
            names = Project.open(corpus).annotators(include_gold=False)
            name = names[0] if names else "bench"
            if only != "switch":
                bench_open_big_project(corpus, name, tmp, args.open_runs, env, bare_mb)
            if only in ("all", "switch"):
                bench_switch(corpus, name, tmp, args.switches)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

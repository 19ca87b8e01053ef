"""How quickly a cancelled export stops: the window's Cancel waits for the core's next check.

    python bench/bench_export_cancel.py [DIR] [--articles 5000] [--annotators 3] [--format conll]

DIR is a project made by ``bench/make_corpus.py`` (made there if missing). First a whole
export runs with a progress callback that records when it is called: the largest gap between
two calls of a phase is the longest a cancel can wait. Then the same export runs in a thread,
as the window's worker runs it, and is cancelled halfway through the whole run's time; the
figure is the time from the cancel to the thread's end, and the output folder must be as it
was (the previous export, not a half-written one).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_corpus  # noqa: E402

from annotator.core.export import ExportCancelled, ExportOptions, export_project  # noqa: E402
from annotator.core.project import Project  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--format", default="conll")
    args = parser.parse_args()
    scratch = None if args.dir else Path(tempfile.mkdtemp(prefix="bench-export-cancel-"))
    root = args.dir or scratch / "corpus"
    if not (root / "annotator.toml").exists():
        make_corpus.main([str(root), "--articles", str(args.articles),
                          "--annotators", str(args.annotators)])  # fmt: skip
    out = Path(tempfile.mkdtemp(prefix="bench-export-cancel-out-"))
    options = ExportOptions(format=args.format, out=out, split=(0.8, 0.1, 0.1))

    calls: list[tuple[str, int, float]] = []

    def record(phase: str, done: int, total: int) -> bool:
        calls.append((phase, done, time.perf_counter()))
        return True

    started = time.perf_counter()
    summary = export_project(Project.open(root), options, record)
    whole = time.perf_counter() - started
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    print(f"whole export: {summary.documents:,} documents, {whole:.2f} s, {len(calls)} checks")
    for phase in ("reading", "writing"):
        times = [t for p, _, t in calls if p == phase]
        gaps = [b - a for a, b in pairwise(times)]
        if gaps:
            print(f"  {phase}: longest gap between checks {max(gaps) * 1000:.1f} ms")

    stop = threading.Event()
    outcome: list[str] = []

    def check(phase: str, done: int, total: int) -> bool:
        return not stop.is_set()

    def work() -> None:
        try:
            export_project(Project.open(root), options, check)
            outcome.append("finished")
        except ExportCancelled:
            outcome.append("cancelled")

    thread = threading.Thread(target=work)
    thread.start()
    time.sleep(whole / 2)  # a benchmark, not a test: cancel halfway through
    asked = time.perf_counter()
    stop.set()
    thread.join()
    latency = time.perf_counter() - asked
    after = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    print(f"cancel halfway: {outcome[0]} {latency * 1000:.1f} ms after the cancel; "
          f"output folder unchanged: {after == before}")  # fmt: skip
    shutil.rmtree(out)
    if scratch is not None:
        shutil.rmtree(scratch)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

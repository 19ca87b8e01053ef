"""Benchmark of the project store: open, stats, journaled edits, compaction, memory.

    python bench/bench_store.py [DIR] [--articles 100000] [--edits 2000]

DIR is a project made by ``bench/make_corpus.py`` (made there if missing). Prints the
figures; targets (issue: foundation): first document shown within 2 s of opening on a warm
cache, stats within 2 s, one edit journaled in under 5 ms (p99), compaction of one
annotator's 100,000-line file under 3 s, peak memory under 1 GB.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core.edit import AddSpan  # noqa: E402
from annotator.core.project import Project  # noqa: E402
from annotator.core.tokens import Snap, TokenIndex  # noqa: E402


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def open_and_show_first(root: Path, name: str) -> float:
    """Time from nothing to the first document's text and annotation in hand."""
    t0 = time.perf_counter()
    project = Project.open(root)
    docs = project.documents
    first = docs.ids[0]
    _ = [docs.title(d) for d in docs.ids[:50]]  # what a list shows on screen
    session = project.session(name, read_only=True)
    _ = docs.get(first).text, session.annotation(first)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--annotators", type=int, default=2)
    parser.add_argument("--edits", type=int, default=2000)
    args = parser.parse_args()
    tmp = None
    root: Path = args.project
    if root is None:
        tmp = Path(tempfile.mkdtemp(prefix="bench-store-"))
        root = tmp / "corpus"
    if not (root / "annotator.toml").exists():
        t = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "make_corpus.py"),
                str(root),
                "--articles",
                str(args.articles),
                "--annotators",
                str(args.annotators),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"generated corpus in {time.perf_counter() - t:.1f} s")
    try:
        size = sum(p.stat().st_size for p in root.rglob("*.jsonl"))
        shutil.rmtree(root / ".annotator", ignore_errors=True)
        name = Project.open(root).annotators()[0]
        cold = open_and_show_first(root, name)
        t = time.perf_counter()
        Project.open(root).stats()  # builds the other annotators' indexes
        stats_cold = time.perf_counter() - t
        warm = min(open_and_show_first(root, name) for _ in range(3))
        t = time.perf_counter()
        stats = Project.open(root).stats()
        stats_s = time.perf_counter() - t
        project = Project.open(root)
        docs = project.documents
        print(
            f"project: {len(docs):,} documents, {len(stats['annotators'])} annotators, "
            f"{size / 1e6:,.0f} MB of JSONL"
        )
        print(f"open, first document shown (cold, builds indexes) {ms(cold)}")
        print(f"open, first document shown (warm cache)           {ms(warm)}   target < 2000 ms")
        print(f"stats (cold, builds indexes)                      {ms(stats_cold)}")
        print(f"stats (warm cache)                                {ms(stats_s)}   target < 2000 ms")

        session = project.session(name)
        rng = random.Random(7)
        labels = list(project.config.label_names)
        picks = [rng.choice(docs.ids) for _ in range(50)]
        texts = {d: docs.get(d).text for d in picks}
        times = []
        for _ in range(args.edits):
            doc = rng.choice(picks)
            text = texts[doc]
            a = rng.randrange(len(text) - 20)
            s, e = TokenIndex(text).snap(a, a + rng.randrange(1, 20))
            if s >= e:
                continue
            t = time.perf_counter()
            session.apply(AddSpan(doc, s, e, rng.choice(labels), Snap.EXACT))
            times.append(time.perf_counter() - t)
        times.sort()
        p99 = times[int(len(times) * 0.99) - 1]
        print(
            f"edit journaled (fsync), {len(times)} edits: median {ms(statistics.median(times))},"
            f" p99 {ms(p99)}   target p99 < 5 ms"
        )
        t = time.perf_counter()
        session.save()
        compaction = time.perf_counter() - t
        lines = session.file.index.lines
        print(
            f"compaction of {lines:,}-line annotator file          {ms(compaction)}"
            "   target < 3000 ms"
        )
        session.close()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"peak memory (max RSS)                              {peak:8.0f} MB   target < 1024 MB"
        )
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of the exports: each format's time beside bare tokenization, and peak memory.

    python bench/bench_export.py [DIR] [--articles 100000] [--annotators 3] [--gold]
                                 [--source merged] [--formats jsonl,conll,spacy,hf] [--keep]

DIR is a project made by ``bench/make_corpus.py`` (made there if missing). Each format runs in
a fresh process that first times the floor, bare tokenization of the same texts
(``annotator.core.tokens.tokenize`` over every document's text, the texts streamed from
``documents.jsonl``; reading them is timed apart), then the export itself, split 80/10/10.
Both are timed in CPU seconds of the process (``time.process_time``: other work on a shared
machine does not count) and in wall seconds (which also hold the disk: the jsonl export of
100,000 articles writes 3 GB; the floor's wall time includes reading the texts). Targets
(issue 5): every format within 2x of the floor, the spaCy DocBin within 3x, judged on CPU
time; peak memory (``ru_maxrss`` of that process) under 1 GB. Outputs are deleted after each
format unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from annotator.core.export import ExportOptions, export_project  # noqa: E402
from annotator.core.project import Project  # noqa: E402
from annotator.core.tokens import tokenize  # noqa: E402

TARGETS = {"jsonl": 2.0, "conll": 2.0, "hf": 2.0, "spacy": 3.0}
MEMORY_MB = 1024


def floor(root: Path) -> dict[str, float]:
    """CPU seconds reading the texts and tokenizing them, wall seconds of both, tokens."""
    read = tok = 0.0
    tokens = 0
    w0 = time.perf_counter()
    with open(root / "documents.jsonl", "rb") as f:
        for line in f:
            t0 = time.process_time()
            text = json.loads(line)["text"]
            t1 = time.process_time()
            tokens += len(tokenize(text))
            t2 = time.process_time()
            read += t1 - t0
            tok += t2 - t1
    return {"read": read, "tokenize": tok, "wall": time.perf_counter() - w0, "tokens": tokens}


def child(root: Path, fmt: str, source: str, out: Path) -> None:
    """Time the floor, then the export, in this process; print the figures as JSON."""
    base = floor(root)
    c0, w0 = time.process_time(), time.perf_counter()
    summary = export_project(
        Project.open(root),
        ExportOptions(format=fmt, source=source, out=out, split=(0.8, 0.1, 0.1), seed=0),
    )
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    size = sum(f.bytes for f in summary.files)
    print(
        json.dumps(
            {
                "format": fmt,
                "cpu": cpu,
                "wall": wall,
                "floor_wall": base["wall"],
                "read": base["read"],
                "tokenize": base["tokenize"],
                "tokens": base["tokens"],
                "documents": summary.documents,
                "origins": dict(summary.origins),
                "misaligned": len(summary.misaligned),
                "bytes": size,
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--gold", action="store_true", help="the corpus gets a gold file")
    parser.add_argument("--source", default="merged")
    parser.add_argument("--formats", default="jsonl,conll,spacy,hf")
    parser.add_argument("--keep", action="store_true", help="keep the exported files")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.project, args.child, args.source, args.out)
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    root: Path = args.project or work / "corpus"
    if not (root / "annotator.toml").exists():
        import make_corpus

        t = time.perf_counter()
        make_corpus.write_project(root, args.articles, args.annotators, 0, 0.1, args.gold)
        print(f"made the corpus in {time.perf_counter() - t:.1f} s: {root}")
    project = Project.open(root)
    t = time.perf_counter()
    for name in project.annotators():  # index once, as opening the project in the app does
        project.annotation_file(name)
    print(f"indexed documents and annotations (cached after the first run) in "
          f"{time.perf_counter() - t:.1f} s")  # fmt: skip
    print(
        f"corpus: {len(project.documents):,} documents, annotators "
        f"{', '.join(project.annotators())}; source {args.source}; split 80/10/10"
    )
    print("CPU seconds of the process (wall seconds in brackets)")
    print(
        f"{'format':7} {'export':>16} {'tokenize':>16} {'ratio':>13} {'target':>6} "
        f"{'read':>5} {'peak MB':>7} {'output MB':>9}"
    )
    failed = False
    r: dict[str, Any] = {}
    for fmt in args.formats.split(","):
        out = subprocess.run(
            [sys.executable, __file__, str(root), "--child", fmt, "--source", args.source,
             "--out", str(work / f"out-{fmt}")],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if not args.keep:
            shutil.rmtree(work / f"out-{fmt}", ignore_errors=True)
        if out.returncode:
            print(f"{fmt}: failed\n{out.stderr}")
            failed = True
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        ratio = r["cpu"] / r["tokenize"]
        wall_ratio = r["wall"] / r["floor_wall"]
        ok = ratio <= TARGETS[fmt] and r["maxrss_mb"] < MEMORY_MB
        failed |= not ok
        print(
            f"{fmt:7} {r['cpu']:6.1f}s ({r['wall']:6.1f}s) {r['tokenize']:6.1f}s "
            f"({r['floor_wall']:6.1f}s) {ratio:4.2f}x ({wall_ratio:4.2f}x) {TARGETS[fmt]:5.1f}x "
            f"{r['read']:4.1f}s {r['maxrss_mb']:7.0f} {r['bytes'] / 2**20:9.0f}  "
            f"{'ok' if ok else 'MISSED'}"
        )
    if r:
        print(f"documents exported: {r['documents']:,} ({r['origins']}), tokens {r['tokens']:,}")
    if args.keep:
        print(f"outputs in {work}")
    if args.project is None:
        print(f"the corpus stays in {root}: pass it as DIR to run again without remaking it")
    elif not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

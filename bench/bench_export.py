"""Benchmark of the exports: each format's time beside bare tokenization, and peak memory.

    python bench/bench_export.py [DIR] [--articles 100000] [--annotators 3] [--gold]
                                 [--source merged] [--formats jsonl,conll,spacy,hf]

DIR is a project made by ``bench/make_corpus.py`` (made there if missing). Each format runs in
a fresh process that first times the floor, bare tokenization of the same texts
(``annotator.core.tokens.tokenize`` over every exported document's text, the texts streamed
from ``documents.jsonl``; reading them is timed apart), then the export itself, split
80/10/10. The two are timed back to back because other work on the machine moves both.
Targets (issue 5): every format within 2x of the floor, the spaCy DocBin within 3x; peak
memory (``ru_maxrss`` of that process) under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from annotator.core.export import ExportOptions, export_project  # noqa: E402
from annotator.core.project import Project  # noqa: E402
from annotator.core.tokens import tokenize  # noqa: E402

TARGETS = {"jsonl": 2.0, "conll": 2.0, "hf": 2.0, "spacy": 3.0}
MEMORY_MB = 1024


def floor(root: Path) -> tuple[float, float, int, int]:
    """Seconds reading the texts, seconds tokenizing them, documents, tokens."""
    read = tok = 0.0
    docs = tokens = 0
    with open(root / "documents.jsonl", "rb") as f:
        for line in f:
            t0 = time.perf_counter()
            text = json.loads(line)["text"]
            t1 = time.perf_counter()
            tokens += len(tokenize(text))
            t2 = time.perf_counter()
            read += t1 - t0
            tok += t2 - t1
            docs += 1
    return read, tok, docs, tokens


def child(root: Path, fmt: str, source: str, out: Path) -> None:
    """Time the floor, then the export, in this process; print the figures as JSON."""
    read, tok, _, tokens = floor(root)
    t0 = time.perf_counter()
    summary = export_project(
        Project.open(root),
        ExportOptions(format=fmt, source=source, out=out, split=(0.8, 0.1, 0.1), seed=0),
    )
    seconds = time.perf_counter() - t0
    size = sum(f.bytes for f in summary.files)
    print(
        json.dumps(
            {
                "format": fmt,
                "seconds": seconds,
                "read": read,
                "tokenize": tok,
                "tokens": tokens,
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
    head = f"{'format':7} {'export':>9} {'tokenize':>9} {'ratio':>6} {'target':>7} "
    head += f"{'read':>7} {'peak MB':>8} {'output MB':>10}"
    print(head)
    failed = False
    for fmt in args.formats.split(","):
        out = subprocess.run(
            [sys.executable, __file__, str(root), "--child", fmt, "--source", args.source,
             "--out", str(work / f"out-{fmt}")],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if out.returncode:
            print(f"{fmt}: failed\n{out.stderr}")
            failed = True
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        ratio = r["seconds"] / r["tokenize"]
        ok = ratio <= TARGETS[fmt] and r["maxrss_mb"] < MEMORY_MB
        failed |= not ok
        print(
            f"{fmt:7} {r['seconds']:8.1f}s {r['tokenize']:8.1f}s {ratio:5.2f}x "
            f"{TARGETS[fmt]:6.1f}x {r['read']:6.1f}s {r['maxrss_mb']:8.0f} "
            f"{r['bytes'] / 2**20:10.0f}  {'ok' if ok else 'MISSED'}"
        )
    print(f"documents exported: {r['documents']:,} ({r['origins']}), tokens {r['tokens']:,}")
    print(f"outputs in {work}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

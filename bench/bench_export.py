"""Benchmark of the exports: each format's time beside bare reading and tokenization.

    python bench/bench_export.py [DIR] [--articles 100000] [--annotators 3] [--gold]
                                 [--source merged] [--formats jsonl,conll,spacy,hf]
                                 [--max-words 256] [--repeat 3] [--keep]

DIR is a project made by ``bench/make_corpus.py`` (made there if missing). Each format runs in
a fresh process that first times the floor, bare reading and tokenization of the same
documents: every line of ``documents.jsonl`` and of the annotation files the source takes
(every annotator's for ``merged``) parsed with the JSON reader the export uses
(pydantic-core's), and every text tokenized with ``annotator.core.tokens.tokenize``. Then
the export itself, split 80/10/10, with ``--max-words`` (default 256: the records a model
takes). Both are timed in CPU seconds of the process (``time.process_time``: other work on a
shared machine does not count) and in wall seconds (which also hold the disk: the jsonl
export of 100,000 articles writes 3 GB). The floor and the export are timed ``--repeat``
times in turn (default 3) and the best of each kept, since a shared machine slows either at
random. The ratio is the export's CPU time over the floor's; the target is 2x for every
format. The floor's parts (documents read, annotations read, tokenizing) are printed too.
Peak memory (``ru_maxrss`` of that process) must stay under 1 GB. Outputs are deleted after
each format unless ``--keep``.
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

from pydantic_core import from_json  # noqa: E402

from annotator.core.export import DEFAULT_MAX_WORDS, ExportOptions, export_project  # noqa: E402
from annotator.core.project import Project  # noqa: E402
from annotator.core.tokens import tokenize  # noqa: E402

TARGETS = {"jsonl": 2.0, "conll": 2.0, "hf": 2.0, "spacy": 2.0}
MEMORY_MB = 1024


def floor(root: Path, source: str) -> dict[str, float]:
    """CPU seconds reading what the export reads and tokenizing the texts; wall seconds; tokens.

    Reading is every line of ``documents.jsonl`` and of the annotation files the source takes
    (all annotators' and gold for ``merged``), each parsed with the JSON reader the export
    uses; tokenizing is ``tokenize`` over every document's text.
    """
    tok = annotations = 0.0
    tokens = 0
    w0 = time.perf_counter()
    # Reading is the whole loop less the tokenizing: the file's bytes count as well as the
    # parsing (timing only ``from_json`` would leave the reads out of the floor).
    r0 = time.process_time()
    with open(root / "documents.jsonl", "rb") as f:
        for line in f:
            text = from_json(line)["text"]
            t1 = time.process_time()
            tokens += len(tokenize(text))
            tok += time.process_time() - t1
    read = time.process_time() - r0 - tok
    folder = root / "annotations"
    files = sorted(folder.glob("*.jsonl")) if source == "merged" else [folder / f"{source}.jsonl"]
    for path in files:
        t0 = time.process_time()
        with open(path, "rb") as f:
            for line in f:
                from_json(line)
        annotations += time.process_time() - t0
    return {
        "read": read,
        "read_annotations": annotations,
        "tokenize": tok,
        "wall": time.perf_counter() - w0,
        "tokens": tokens,
    }


def child(root: Path, fmt: str, source: str, out: Path, max_words: int, repeat: int) -> None:
    """Time the floor, then the export, ``repeat`` times in turn in this process; print the
    best of each (the least disturbed by other work on the machine) as JSON."""
    best: dict[str, float] = {}
    cpu = wall = float("inf")
    for _ in range(repeat):
        base = floor(root, source)
        for key, value in base.items():
            best[key] = min(best.get(key, value), value)
        c0, w0 = time.process_time(), time.perf_counter()
        summary = export_project(
            Project.open(root),
            ExportOptions(
                format=fmt, source=source, out=out, split=(0.8, 0.1, 0.1), seed=0,
                max_words=max_words,
            ),
        )  # fmt: skip
        cpu, wall = min(cpu, time.process_time() - c0), min(wall, time.perf_counter() - w0)
    base = best
    size = sum(f.bytes for f in summary.files)
    print(
        json.dumps(
            {
                "format": fmt,
                "cpu": cpu,
                "wall": wall,
                "floor_wall": base["wall"],
                "read": base["read"],
                "read_annotations": base["read_annotations"],
                "tokenize": base["tokenize"],
                "tokens": base["tokens"],
                "documents": summary.documents,
                "records": summary.records,
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
    parser.add_argument("--max-words", type=int, default=DEFAULT_MAX_WORDS)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="floor and export timed this many times in turn; the best of each is kept (default 3)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the exported files")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.project, args.child, args.source, args.out, args.max_words, args.repeat)
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
        f"{', '.join(project.annotators())}; source {args.source}; split 80/10/10; "
        f"--max-words {args.max_words}"
    )
    print(
        "CPU seconds of the process (wall seconds in brackets); floor = reading the documents "
        "and the source's annotations + tokenizing"
    )
    print(
        f"{'format':7} {'export':>16} {'floor':>16} {'ratio':>13} {'target':>6} "
        f"{'docs':>5} {'annots':>6} {'tokenize':>8} {'peak MB':>7} {'output MB':>9} "
        f"{'records':>9}"
    )
    failed = False
    r: dict[str, Any] = {}
    for fmt in args.formats.split(","):
        out = subprocess.run(
            [sys.executable, __file__, str(root), "--child", fmt, "--source", args.source,
             "--out", str(work / f"out-{fmt}"), "--max-words", str(args.max_words),
             "--repeat", str(args.repeat)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if not args.keep:
            shutil.rmtree(work / f"out-{fmt}", ignore_errors=True)
        if out.returncode:
            print(f"{fmt}: failed\n{out.stderr}")
            failed = True
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        base = r["read"] + r["read_annotations"] + r["tokenize"]
        ratio = r["cpu"] / base
        wall_ratio = r["wall"] / r["floor_wall"]
        ok = ratio <= TARGETS[fmt] and r["maxrss_mb"] < MEMORY_MB
        failed |= not ok
        print(
            f"{fmt:7} {r['cpu']:6.1f}s ({r['wall']:6.1f}s) {base:6.1f}s "
            f"({r['floor_wall']:6.1f}s) {ratio:4.2f}x ({wall_ratio:4.2f}x) {TARGETS[fmt]:5.1f}x "
            f"{r['read']:4.1f}s {r['read_annotations']:5.1f}s {r['tokenize']:7.1f}s "
            f"{r['maxrss_mb']:7.0f} "
            f"{r['bytes'] / 2**20:9.0f} {r['records']:9,}  {'ok' if ok else 'MISSED'}"
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

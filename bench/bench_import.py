"""Benchmark of ``annotator import``: records per second and memory, per input format.

    python bench/bench_import.py [--articles 20000] [--formats doccano,prodigy,labelstudio]

Writes N synthetic articles (``make_corpus.generate_article``, about 3 KB and 20 entities
each, some with emoji) in each format with that format's own offset unit (doccano in UTF-16
units, Prodigy in code points, Label Studio with ``value.text``), imports each into a fresh
project as one annotator, then imports the same file again (which must add nothing), and
prints the figures. Peak memory is the process's maximum RSS after all runs.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import make_corpus  # noqa: E402

from annotator.core.importers import ImportOptions, import_paths  # noqa: E402
from annotator.core.project import Project  # noqa: E402


def u16(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-16-le")) // 2


def records(fmt: str, n: int) -> Iterator[Any]:
    for i in range(n):
        doc_id, text, spans = make_corpus.generate_article(i)
        if fmt == "doccano":
            yield {
                "id": doc_id,
                "text": text,
                "label": [[u16(text, s), u16(text, e), lab] for s, e, lab in spans],
            }
        elif fmt == "prodigy":
            yield {
                "text": text,
                "meta": {"id": doc_id},
                "answer": "accept",
                "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans],
            }
        else:
            result = [
                {
                    "type": "labels",
                    "value": {"start": s, "end": e, "text": text[s:e], "labels": [lab]},
                }
                for s, e, lab in spans
            ]
            yield {
                "id": i,
                "data": {"id": doc_id, "text": text},
                "annotations": [{"completed_by": 1, "result": result}],
            }


def write(path: Path, fmt: str, n: int) -> None:
    with open(path, "w", encoding="utf-8") as f:
        if fmt == "labelstudio":
            f.write("[\n")
            for k, rec in enumerate(records(fmt, n)):
                f.write(("," if k else "") + json.dumps(rec, ensure_ascii=False) + "\n")
            f.write("]\n")
        else:
            for rec in records(fmt, n):
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--formats", default="doccano,prodigy,labelstudio")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        for fmt in args.formats.split(","):
            suffix = ".json" if fmt == "labelstudio" else ".jsonl"
            src = tmp / f"{fmt}{suffix}"
            write(src, fmt, args.articles)
            size = src.stat().st_size
            project = Project.init(tmp / f"p-{fmt}")
            options = ImportOptions(format=fmt, annotator="ann01")
            t = time.perf_counter()
            summary = import_paths(project, [src], options)
            first = time.perf_counter() - t
            assert summary.ok, summary.problems[:3]
            assert summary.annotations_written == args.articles
            t = time.perf_counter()
            again = import_paths(Project.open(project.root), [src], options)
            second = time.perf_counter() - t
            assert again.documents_added == 0
            assert again.annotations_written == 0
            print(
                f"{fmt:12s} {args.articles:,} articles, {size / 1e6:6.1f} MB: import "
                f"{first:6.1f} s ({args.articles / first:6.0f} records/s, "
                f"{size / 1e6 / first:5.1f} MB/s); again (adds nothing) {second:6.1f} s"
            )
            shutil.rmtree(project.root)
            src.unlink()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (max RSS) {peak:6.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

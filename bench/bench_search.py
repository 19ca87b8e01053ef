"""Benchmark of the document filter's body-text search on a big project.

    python bench/bench_search.py [DIR] [--articles 100000]

DIR is a project made by ``bench/make_corpus.py`` (made there if missing, without
annotators). Prints, for the copy of the texts (``annotator.core.search``) and for a few
searches, the time taken and its ratio to the reference measured in the same run: a plain
scan of ``documents.jsonl`` that decodes every line and looks for the word in the case-folded
text (what a filter without the copy would have to do on every key press).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import make_corpus  # noqa: E402

from annotator.core.project import Project  # noqa: E402
from annotator.core.search import CACHE_NAME, TextSearch  # noqa: E402

QUERIES = ("Makassar", "kemendagri ri", "pemerintah", "tidak ada di korpus")


def plain_scan(path: Path, query: str) -> list[int]:
    """The reference: read and decode every line, search the case-folded text."""
    needle = query.casefold()
    found = []
    with open(path, "rb") as f:
        for row, line in enumerate(f):
            if needle in json.loads(line)["text"].casefold():
                found.append(row)
    return found


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path)
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    tmp = None
    root: Path = args.project
    if root is None:
        tmp = Path(tempfile.mkdtemp(prefix="bench-search-"))
        root = tmp / "corpus"
    try:
        if not (root / "annotator.toml").exists():
            t = time.perf_counter()
            make_corpus.write_project(root, args.articles, 1, seed=0)
            print(f"generated corpus in {time.perf_counter() - t:.1f} s")
        project = Project.open(root)
        docs = project.documents
        cache = project.state_dir / "cache"
        (cache / CACHE_NAME).unlink(missing_ok=True)
        size = docs.path.stat().st_size
        print(f"{len(docs)} documents, documents.jsonl {size / 1e6:.0f} MB")

        scan = best(lambda: plain_scan(docs.path, QUERIES[0]), 1)
        t = time.perf_counter()
        TextSearch.open(docs, cache).close()
        build = time.perf_counter() - t
        copy_size = (cache / CACHE_NAME).stat().st_size
        t = time.perf_counter()
        search = TextSearch.open(docs, cache)
        reopen = time.perf_counter() - t
        print(f"reference: plain scan of documents.jsonl   {scan * 1000:9.1f} ms")
        print(
            f"making the copy (once per file change)      {build * 1000:9.1f} ms "
            f"({build / scan:.2f}x the scan; copy {copy_size / 1e6:.0f} MB)"
        )
        print(f"opening the cached copy                     {reopen * 1000:9.1f} ms")
        for query in QUERIES:
            rows = search.find(query)
            expected = plain_scan(docs.path, query) if query == QUERIES[0] else None
            assert expected is None or rows == expected, "search and scan disagree"
            took = best(lambda q=query: search.find(q), 5)
            print(
                f"search {query!r:24} {len(rows):7d} documents {took * 1000:9.1f} ms "
                f"(1/{scan / took:.0f} of the scan)"
            )
        search.close()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (RSS) {peak:.0f} MB")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of the agreement report against the three reference libraries.

    python bench/bench_agreement.py [DIR] [--articles 10000] [--annotators 3] [--repeat 3]

DIR is a project made by ``bench/make_corpus.py`` (made there if missing; a temporary folder
if not given). Prints, as the best of ``--repeat`` runs: the full report with loading
(``Project.open`` to the JSON document, the work of ``annotator agreement --json``), the
computation alone, and the three oracle libraries (scikit-learn ``cohen_kappa_score`` per
pair, statsmodels ``aggregate_raters`` + ``fleiss_kappa``, ``krippendorff.alpha``) fed the
same token label arrays, with their values beside ours. Target (issue 4): the full report for
3 annotators x 10,000 articles under 3 s, and faster than the oracles.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import make_corpus  # noqa: E402

from annotator.core.agreement.corpus import prepare  # noqa: E402
from annotator.core.agreement.loading import load_corpus  # noqa: E402
from annotator.core.agreement.report import agreement_report, report_json  # noqa: E402
from annotator.core.agreement.tokens import label_tokens  # noqa: E402
from annotator.core.project import Project  # noqa: E402


def best(runs: int, work: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU seconds of the fastest of ``runs`` calls of ``work()``, and its result.

    CPU time is printed beside wall time: on a shared machine the two part ways.
    """
    timings, result = [], None
    for _ in range(runs):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        timings.append((time.perf_counter() - wall, time.process_time() - cpu))
    wall_s, cpu_s = min(timings)
    return wall_s, cpu_s, result


def oracle_inputs(corpus: Any) -> tuple[list[Any], list[Any], Any, Any]:
    """The token label arrays the oracles are fed: per pair (y_a, y_b) over D_ab, the items x
    raters codes of D_all, and the (annotators, units) float array of D_>=2 with NaN."""
    prep = prepare(corpus, [n for n in corpus.annotators if n != "gold"])
    codes = [
        label_tokens(prep.tokens, s.starts, s.ends, s.codes, prep.tie_rank).astype(np.int64)
        for s in prep.spans
    ]
    per_token = [np.repeat(sub, prep.tokens.counts) for sub in prep.submitted]
    pairs = []
    for i, j in combinations(range(len(codes)), 2):
        both = per_token[i] & per_token[j]
        pairs.append((codes[i][both], codes[j][both]))
    everyone = np.logical_and.reduce(per_token)
    items = np.column_stack([c[everyone] for c in codes])
    rows = np.array([np.where(m, c, np.nan) for c, m in zip(codes, per_token, strict=True)])
    return pairs, [(i, j) for i, j in combinations(prep.annotators, 2)], items, rows


def run_oracles(pairs: list[Any], items: Any, rows: Any) -> dict[str, Any]:
    import krippendorff
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cohen = [float(cohen_kappa_score(a, b)) for a, b in pairs]
        table, _ = aggregate_raters(items)
        fleiss = float(fleiss_kappa(table, method="fleiss"))
        alpha = float(krippendorff.alpha(reliability_data=rows, level_of_measurement="nominal"))
    return {"cohen": cohen, "fleiss": fleiss, "alpha": alpha}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("project", nargs="?", type=Path)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tmp = None
    root: Path = args.project
    if root is None:
        tmp = Path(tempfile.mkdtemp(prefix="bench-agreement-"))
        root = tmp / "corpus"
    try:
        if not (root / "annotator.toml").exists():
            t = time.perf_counter()
            make_corpus.write_project(root, args.articles, args.annotators, args.seed)
            print(f"corpus written in {time.perf_counter() - t:.1f} s: {root}")

        splits: list[tuple[float, float, float]] = []

        def full() -> dict[str, Any]:
            t0 = time.perf_counter()
            corpus = load_corpus(Project.open(root), include_gold=False)
            t1 = time.perf_counter()
            report = agreement_report(corpus)
            t2 = time.perf_counter()
            data = report_json(report)
            splits.append((t1 - t0, t2 - t1, time.perf_counter() - t2))
            return data

        full_s, full_cpu, data = best(args.repeat, full)
        load_s, compute_s, json_s = min(splits, key=sum)
        ours_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        corpus = load_corpus(Project.open(root), include_gold=False)
        pairs, names, items, rows = oracle_inputs(corpus)
        oracle_s, oracle_cpu, oracle = best(args.repeat, lambda: run_oracles(pairs, items, rows))
        n_docs = data["documents"]["total"]
        annotators = data["annotators"]
        tokens = sum(p["tokens"] for p in data["pairs"])
        print(f"project       {root}")
        print(
            f"corpus        {n_docs:,} documents, {len(annotators)} annotators, "
            f"{data['documents']['compared']:,} compared, {tokens:,} token pairs"
        )
        print(
            f"full report   {full_s:7.3f} s   (open, load done records, compute, JSON; "
            f"CPU {full_cpu:.3f} s)"
        )
        print(f"  loading     {load_s:7.3f} s")
        print(f"  computing   {compute_s:7.3f} s   (every pair and scheme, kappas, alpha)")
        print(f"  JSON        {json_s:7.3f} s")
        print(
            f"oracles       {oracle_s:7.3f} s   (scikit-learn x {len(pairs)}, statsmodels, "
            f"krippendorff on the same token label arrays; CPU {oracle_cpu:.3f} s)"
        )
        print(f"ratio         oracles / computing = {oracle_s / compute_s:5.1f}x")
        print(f"              oracles / full report = {oracle_s / full_s:5.1f}x")
        print("values        ours vs oracle")
        for (a, b), pair, theirs in zip(names, data["pairs"], oracle["cohen"], strict=True):
            print(f"  Cohen {a}-{b}   {pair['cohen_kappa']:.9f}  {theirs:.9f}")
        print(f"  Fleiss        {data['fleiss_kappa']:.9f}  {oracle['fleiss']:.9f}")
        print(f"  alpha         {data['krippendorff_alpha']:.9f}  {oracle['alpha']:.9f}")
        print(f"  span F1       strict {data['span_f1']['strict']:.4f}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory   {ours_peak:,.0f} MB before the oracles ran, {peak:,.0f} MB after")
        target = "met" if full_s < 3.0 and oracle_s > full_s else "NOT met"
        print(f"target        full report < 3 s and faster than the oracles: {target}")
        if hasattr(os, "getloadavg"):
            cores = os.cpu_count()
            print(f"machine load  {os.getloadavg()[0]:.2f} (1-minute average; {cores} cores)")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of the lead's two views: progress, and agreement with its 95% intervals.

    python bench/bench_progress.py [DIR] [--articles 10000] [--annotators 3] [--repeat 3]

DIR is a project made by ``bench/make_corpus.py`` (made there if missing; a temporary folder
if not given); a plan is made on it with ``annotator assign`` (every document already has all
three annotators' records, so each is assigned to all three). Prints, each the best of
``--repeat`` runs, wall and CPU time:

- progress: ``project_progress`` (the plan, every annotator's file read) and its JSON;
- agreement with intervals: loading the done annotations, the report (every pair, scheme,
  kappa, alpha and their intervals), the JSON;
- what the intervals cost: the report computed with the 1,000 resamples and with one, in turn
  on the same loaded corpus (CPU time, the best of each);
- the total of progress and agreement, against the target of 3 s;
- the lead's window recount (Review > Progress and the document list): ``project_progress``
  and ``document_states``, as the window's worker thread runs them when a file changes;
- both as commands (``annotator progress --json``, ``annotator agreement --json``), each in a
  fresh process.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import make_corpus  # noqa: E402

from annotator.core.activity import read_work  # noqa: E402
from annotator.core.agreement.intervals import Bootstrap  # noqa: E402
from annotator.core.agreement.loading import load_corpus  # noqa: E402
from annotator.core.agreement.report import agreement_report, report_json  # noqa: E402
from annotator.core.progress import progress_json, project_progress  # noqa: E402
from annotator.core.project import Project  # noqa: E402
from annotator.core.team import document_states  # noqa: E402


def best(runs: int, work: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU seconds of the fastest of ``runs`` calls of ``work()``, and its result."""
    timings, result = [], None
    for _ in range(runs):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        timings.append((time.perf_counter() - wall, time.process_time() - cpu))
    wall_s, cpu_s = min(timings)
    return wall_s, cpu_s, result


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def command(runs: int, *args: str) -> tuple[float, float]:
    """Wall and CPU seconds of the fastest of ``runs`` ``annotator`` processes."""
    timings = []
    for _ in range(runs):
        cpu, wall = children_cpu(), time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "annotator", *args], check=True, stdout=subprocess.DEVNULL
        )
        timings.append((time.perf_counter() - wall, children_cpu() - cpu))
    return min(timings)


one = Bootstrap(resamples=1)


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
        tmp = Path(tempfile.mkdtemp(prefix="bench-progress-"))
        root = tmp / "corpus"
    try:
        if not (root / "annotator.toml").exists():
            t = time.perf_counter()
            make_corpus.write_project(root, args.articles, args.annotators, args.seed)
            print(f"corpus written in {time.perf_counter() - t:.1f} s: {root}")
        if not (root / "assignments.jsonl").exists():
            names = ",".join(make_corpus.annotator_names(args.annotators))
            command(1, "assign", str(root), "--annotators", names)
        command(1, "stats", str(root))  # the document index built, as any first open does

        def progress() -> dict[str, Any]:
            return progress_json(project_progress(Project.open(root)))

        splits: list[tuple[float, float, float]] = []

        def agreement() -> dict[str, Any]:
            t0 = time.perf_counter()
            corpus = load_corpus(Project.open(root), include_gold=False)
            t1 = time.perf_counter()
            report = agreement_report(corpus)
            t2 = time.perf_counter()
            data = report_json(report)
            splits.append((t1 - t0, t2 - t1, time.perf_counter() - t2))
            return data

        def window_recount() -> int:  # what the lead's window recounts when a file changes
            project = Project.open(root)
            plan = project.assignments()
            work = read_work(project.root)  # read once for both, as the window does
            project_progress(project, work, plan)
            return len(document_states(project, work, plan))

        prog_s, prog_cpu, prog = best(args.repeat, progress)
        window_s, window_cpu, _ = best(args.repeat, window_recount)
        agree_s, agree_cpu, data = best(args.repeat, agreement)
        load_s, compute_s, json_s = min(splits, key=sum)
        corpus = load_corpus(Project.open(root), include_gold=False)
        with_ci: list[float] = []
        without: list[float] = []
        for _ in range(args.repeat):  # interleaved, so that the machine's load hits both alike
            with_ci.append(best(1, lambda: agreement_report(corpus))[1])
            without.append(best(1, lambda: agreement_report(corpus, bootstrap=one))[1])
        cmd_prog = command(args.repeat, "progress", str(root), "--json")
        cmd_agree = command(args.repeat, "agreement", str(root), "--json")
        total = prog_s + agree_s
        rows = prog["annotators"]
        print(f"project       {root}")
        print(
            f"corpus        {prog['documents']:,} documents, {len(rows)} annotators, "
            f"{prog['overlap']['comparable']:,} done by two or more"
        )
        print(f"progress      {prog_s:6.3f} s   (plan and every file read; CPU {prog_cpu:.3f} s)")
        print(
            f"window        {window_s:6.3f} s   (the lead's recount off the GUI thread: progress "
            f"and each document's people; CPU {window_cpu:.3f} s)"
        )
        print(
            f"agreement     {agree_s:6.3f} s   (load, report with intervals, JSON; "
            f"CPU {agree_cpu:.3f} s)"
        )
        print(f"  loading     {load_s:6.3f} s")
        print(f"  computing   {compute_s:6.3f} s   (every pair, scheme, kappa, alpha, intervals)")
        print(f"  JSON        {json_s:6.3f} s")
        cost = min(with_ci) - min(without)
        print(
            f"intervals     {cost:6.3f} s   of CPU: the report with {Bootstrap().resamples:,} "
            f"resamples ({min(with_ci):.3f} s) less the same with one ({min(without):.3f} s)"
        )
        print(f"total         {total:6.3f} s   (progress + agreement with intervals)")
        print(
            f"commands      progress --json {cmd_prog[0]:.2f} s, "
            f"agreement --json {cmd_agree[0]:.2f} s (fresh processes)"
        )
        low, high = data["ci95"]["span_f1"]["strict"]
        a_low, a_high = data["ci95"]["krippendorff_alpha"]
        print(
            f"values        strict F1 {data['span_f1']['strict']:.4f} [{low:.4f}, {high:.4f}], "
            f"alpha {data['krippendorff_alpha']:.4f} [{a_low:.4f}, {a_high:.4f}]"
        )
        target = "met" if total < 3.0 else "NOT met"
        print(f"target        progress and agreement with intervals under 3 s: {target}")
        if hasattr(os, "getloadavg"):
            print(
                f"machine load  {os.getloadavg()[0]:.2f} (1-minute average; {os.cpu_count()} cores)"
            )
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of ``annotator assign`` on 100,000 documents and 20 annotators.

    python bench/bench_assign.py [--documents 100000] [--annotators 20] [--repeat 3]

Writes a project of short documents in a temporary folder (assignment never reads the texts),
indexes it once (as any first open does), then prints, each the best of ``--repeat`` runs:

- the whole command, ``annotator assign PROJECT --annotators ...`` in a fresh process (start-up,
  reading the project, planning, writing ``assignments.jsonl`` and the team settings), wall and
  CPU time; the target is under 2 s;
- its parts in this process: planning alone (``plan_assignments``), writing the plan, reading
  it back;
- a second run after 1,000 more documents arrive (the plan is read, 1,000 are added);
- ``--dry-run`` (the preview the window's Assign dialog shows);
- ``annotator stats`` on the same project, as a reference measured in the same run.
"""

from __future__ import annotations

import argparse
import json
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core.assign import AssignOptions, plan_assignments  # noqa: E402
from annotator.core.assignments import read_plan, write_plan  # noqa: E402
from annotator.core.project import Project  # noqa: E402


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def command(*args: str) -> tuple[float, float]:
    """Wall and CPU seconds of one ``annotator`` process."""
    cpu = children_cpu()
    wall = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return time.perf_counter() - wall, children_cpu() - cpu


def best(runs: int, work: Callable[[], Any]) -> tuple[float, float]:
    """Wall and CPU seconds of the fastest of ``runs`` calls."""
    timings = []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        timings.append((time.perf_counter() - wall, time.process_time() - cpu))
    return min(timings)


def write_documents(path: Path, start: int, count: int) -> None:
    with open(path, "a", encoding="utf-8") as f:
        for i in range(start, start + count):
            f.write(json.dumps({"id": f"doc-{i:06d}", "text": f"Berita nomor {i} dari Jakarta."}))
            f.write("\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--annotators", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-assign-"))
    try:
        root = tmp / "project"
        Project.init(root)
        write_documents(root / "documents.jsonl", 0, args.documents)
        team = ",".join(f"ann{i:02d}" for i in range(1, args.annotators + 1))
        first_open = command("stats", str(root))  # builds the document index, as any first open
        stats = min(command("stats", str(root)) for _ in range(args.repeat))

        def fresh() -> tuple[float, float]:
            for name in ("assignments.jsonl", ".annotator/team.json"):
                (root / name).unlink(missing_ok=True)
            return command("assign", str(root), "--annotators", team)

        whole = min(fresh() for _ in range(args.repeat))
        dry = min(command("assign", str(root), "--dry-run") for _ in range(args.repeat))
        project = Project.open(root)
        ids = project.documents.ids
        options = AssignOptions(tuple(team.split(",")))
        plan = plan_assignments(ids, {}, options, {}, time.time())
        planning = best(args.repeat, lambda: plan_assignments(ids, {}, options, {}, time.time()))
        writing = best(args.repeat, lambda: write_plan(root, plan.plan, ids))
        reading = best(args.repeat, lambda: read_plan(root))
        write_documents(root / "documents.jsonl", args.documents, 1_000)
        command("stats", str(root))  # the new lines indexed
        second = command("assign", str(root))
        data = read_plan(root)
        assert data is not None
        assert len(data.entries) == args.documents + 1_000
        loads: dict[str, int] = {}
        for entry in data.entries.values():
            for name in entry.annotators:
                loads[name] = loads.get(name, 0) + 1
        pairs = len(plan.pairs)
        print(
            f"project       {args.documents:,} documents, {args.annotators} annotators, "
            f"overlap 0.1 x 2 ({pairs} pairs, {min(plan.pairs.values())}-"
            f"{max(plan.pairs.values())} documents each)"
        )
        print(f"first open    {first_open[0]:6.2f} s   (annotator stats, indexing the documents)")
        print(f"stats         {stats[0]:6.2f} s   (reference: annotator stats, warm)")
        print(f"assign        {whole[0]:6.2f} s   (the whole command; CPU {whole[1]:.2f} s)")
        print(f"  planning    {planning[0]:6.2f} s   (plan_assignments; CPU {planning[1]:.2f} s)")
        print(f"  writing     {writing[0]:6.2f} s   (assignments.jsonl, atomically)")
        print(f"  reading     {reading[0]:6.2f} s   (read_plan)")
        print(f"dry run       {dry[0]:6.2f} s   (preview of loads and pairs, nothing written)")
        print(f"+1,000 docs   {second[0]:6.2f} s   (assign again: plan read, 1,000 added; one run)")
        print(f"loads after   {min(loads.values()):,}-{max(loads.values()):,} per annotator")
        print(f"ratio         assign / stats = {whole[0] / stats[0]:.1f}x")
        target = "met" if whole[0] < 2.0 else "NOT met"
        print(f"target        assign on {args.documents:,} x {args.annotators} under 2 s: {target}")
        if hasattr(os, "getloadavg"):
            print(
                f"machine load  {os.getloadavg()[0]:.2f} (1-minute average; {os.cpu_count()} cores)"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

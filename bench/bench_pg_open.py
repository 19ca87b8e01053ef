"""What opening a desktop on a server project costs, in processor time, waits and flushes.

    python bench/bench_pg_open.py [--desktops 20] [--documents 10000]

Starts a throwaway cluster as ``bench_team.py`` does (its team database: a 100-character
password per login in a password file, ``--documents`` articles of three annotators, 40 more
assigned to each desktop's annotator) and opens ``--desktops`` desktops one after the other,
each as ``bench_team.py``'s simulated annotator does: the project, the annotator's session,
the plan and the queue, then the sender's connection. For each it measures the processor
time the desktop's process used (every thread: ``os.times``) and the server's (every process
of the cluster, ended ones included: ``cpu_share.Clock``), the times the desktop waited on a
connection (round trips), the disk flushes it asked for (``os.fsync``), and then its first
edit: how long from the edit to synced, and the server's processor time for it. Processor
time, not the clock, is what opening takes from the edits of the desktops already open on
the same processors, and other work on the machine changes it little (decision 0099).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import bench_team  # noqa: E402
import cpu_share  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--desktops", type=int, default=20)
    parser.add_argument("--documents", type=int, default=10_000)
    args = parser.parse_args()
    people = [f"p{k:02d}" for k in range(1, args.desktops + 2)]
    with bench_team.loaded_team(people, args.documents, 3 * args.desktops + 20) as (
        url,
        folder,
        work,
    ):
        os.environ["XDG_DATA_HOME"] = str(work / "desktops")
        samples = measure(url, people, folder)
    print(
        f"{args.desktops} desktops opened one after the other ({args.documents:,} documents, "
        "40 assigned to each), then each made two edits; per desktop:"
    )
    # processor time is counted in 10 ms ticks: its figures are the totals over all desktops
    # divided by their number; the others are medians and ranges
    for key, label in (
        ("client", "opening: the desktop's processor time, ms"),
        ("server", "opening: the server's processor time, ms"),
        ("first_server", "first edit: the server's processor time, ms"),
    ):
        print(f"  {label:46} {statistics.fmean(s[key] for s in samples):7.1f} (mean)")
    for key, label in (
        ("trips", "opening: waits on a connection (round trips)"),
        ("flushes", "opening: disk flushes (fsync) asked for"),
        ("open_ms", "opening: by the clock, ms"),
        ("first_ms", "first edit to synced, ms"),
        ("second_ms", "second edit to synced, ms"),
    ):
        values = [s[key] for s in samples]
        print(
            f"  {label:46} {statistics.median(values):7.1f} ({min(values):.1f}-{max(values):.1f})"
        )
    return 0


def measure(url: str, people: list[str], folder: str) -> list[dict[str, float]]:
    from annotator.core.edit import AddSpan
    from annotator.core.open import open_store
    from annotator.core.pg import connection

    waits = [0]
    flushes = [0]
    real_wait, real_fsync = connection.Connection.wait, os.fsync

    def wait(self: Any, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        waits[0] += 1
        return real_wait(self, gen, interval=interval, timeout=timeout)

    def fsync(fd: int) -> None:
        flushes[0] += 1
        real_fsync(fd)

    connection.Connection.wait = wait
    os.fsync = fsync

    def cluster_seconds() -> float:
        return cpu_share.cluster_seconds(folder)

    samples = []
    opened = []
    try:
        for n, name in enumerate(people):
            waits[0] = flushes[0] = 0
            s0, c0, t0 = cluster_seconds(), cpu_share.process_seconds(), time.perf_counter()
            store = open_store(url.format(name))
            session = store.session(name)
            plan = store.assignments()
            assert plan is not None
            queue = [d for d in plan.documents_of(name) if session.status(d) != "done"]
            session.wait_connected(30.0)
            t1, c1, s1 = time.perf_counter(), cpu_share.process_seconds(), cluster_seconds()
            trips, flushed = waits[0], flushes[0]
            doc = store.documents.get(queue[0])
            words = [m.span() for m in re.finditer(r"\w{3,}", doc.text)]
            edits = []
            for i in range(2):
                e0 = time.perf_counter()
                session.apply(AddSpan(doc.id, *words[i], store.config.label_names[0]))
                session.wait_synced(30.0)
                edits.append((time.perf_counter() - e0) * 1000)
                if i == 0:
                    s2 = cluster_seconds()
            opened.append((store, session))
            if n == 0:
                continue  # the first desktop of the process pays its imports
            samples.append(
                {
                    "client": (c1 - c0) * 1000,
                    "server": (s1 - s0) * 1000,
                    "trips": float(trips),
                    "flushes": float(flushed),
                    "open_ms": (t1 - t0) * 1000,
                    "first_ms": edits[0],
                    "first_server": (s2 - s1) * 1000,
                    "second_ms": edits[1],
                }
            )
    finally:
        for store, session in opened:
            session.close()
            store.close()
        connection.Connection.wait = real_wait
        os.fsync = real_fsync
    return samples


if __name__ == "__main__":
    raise SystemExit(main())

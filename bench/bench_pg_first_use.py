"""What a new server process costs the server's processor, by what it does first.

    python bench/bench_pg_first_use.py --cluster FOLDER --url URL --people p01,p02,... \
        [--rounds 3] [--explain]
    python bench/bench_pg_first_use.py --documents 10000 [--annotators 20] [--rounds 3]

On a cluster already loaded (``bench_team.py --keep`` leaves one, with its password file in
``PGPASSFILE``), or, with ``--documents``, on a throwaway cluster loaded as ``bench_team.py``
loads its own (``--documents`` articles of three annotators, 40 new ones assigned to each of
``--annotators`` people, stopped at the end), connects as each of the people in turn, each
time a new server process, and measures the cluster's processor time (every process, from
``/proc``: other work on the machine changes it little) around each action, the kinds
alternating in every round:

- ``connect``: connecting (TCP, SCRAM, a new process, the app's settings) and ``SELECT 1``;
- ``opening``: connecting and the desktop's opening query (``store._opening``);
- ``warm``: connecting and the sender's warm-up (``sender._WARM``, rolled back);
- ``opening+warm``: both, as a desktop's one connection does them.

``--explain`` prints, for one new process, ``EXPLAIN (ANALYZE, BUFFERS, VERBOSE)`` of the
warm-up (its planning and execution are the new process's first), then its times the second
time on the same process. ``--kinds 'connect|sql:SELECT ...'`` measures any statements instead
(rolled back; ``%me`` is the login). Decision 0110 has the figures, and the breakdown by
``perf`` of where such a process spends its processor.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import uuid
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import bench_team  # noqa: E402
import cpu_share  # noqa: E402


def _project(conn: Any) -> int:
    return int(conn.execute("SELECT min(id) FROM projects").fetchone()[0])


def run(url: str, name: str, kind: str) -> None:
    from annotator.core.pg import projects, sender
    from annotator.core.pg.connection import connect

    with connect(url.format(name), autocommit=True) as conn:
        if kind == "connect":
            conn.execute("SELECT 1").fetchall()
            return
        if kind.startswith("sql:"):
            with conn.transaction(force_rollback=True):
                for statement in kind[4:].split(";"):
                    conn.execute(statement.replace("%me", name)).fetchall()
            return
        if "opening" in kind:
            projects.opening(conn)
        if "warm" in kind:
            params = {"p": _project(conn), "me": name, "client": uuid.uuid4()}
            with conn.transaction(force_rollback=True):
                conn.execute(sender._WARM, params).fetchall()


def explain(url: str, name: str) -> None:
    from annotator.core.pg import sender
    from annotator.core.pg.connection import connect

    with connect(url.format(name), autocommit=True) as conn:
        params = {"p": _project(conn), "me": name, "client": uuid.uuid4()}
        with conn.transaction(force_rollback=True):
            rows = conn.execute(
                "EXPLAIN (ANALYZE, BUFFERS, VERBOSE) " + sender._WARM, params
            ).fetchall()
        print("\n".join(r[0] for r in rows))
        with conn.transaction(force_rollback=True):
            rows = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sender._WARM, params).fetchall()
        print("the same on the same process, second time:")
        print("\n".join(r[0] for r in rows if "Time" in r[0] or "Trigger" in r[0]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cluster")
    parser.add_argument("--url", help="postgresql://{}@host:port/db")
    parser.add_argument("--people")
    parser.add_argument(
        "--documents", type=int, help="load a throwaway cluster of this many documents instead"
    )
    parser.add_argument("--annotators", type=int, default=20, help="with --documents")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--kinds",
        default="connect,opening,warm,opening+warm",
        help="comma-separated; 'sql:STATEMENT;STATEMENT' runs those (%%me: the login) in a "
        "transaction rolled back",
    )
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    if args.documents is None:
        if not (args.cluster and args.url and args.people):
            parser.error("--cluster, --url and --people, or --documents")
        return measure(args, args.cluster, args.url, args.people.split(","))
    people = [f"p{k:02d}" for k in range(1, args.annotators + 1)]
    with bench_team.loaded_team(people, args.documents, args.annotators + 20) as (url, folder, _):
        return measure(args, folder, url, people)


def measure(args: argparse.Namespace, cluster: str, url: str, people: list[str]) -> int:
    kinds = args.kinds.split("|") if "|" in args.kinds else args.kinds.split(",")
    if args.explain:
        explain(url, people[0])
        return 0
    run(url, people[0], "connect")  # this process's own imports
    spent: dict[str, list[float]] = {k: [] for k in kinds}
    for r in range(args.rounds):
        order = kinds[r % len(kinds) :] + kinds[: r % len(kinds)]
        for kind in order:
            s0 = cpu_share.cluster_seconds(cluster)
            for name in people:
                run(url, name, kind)
            spent[kind].append((cpu_share.cluster_seconds(cluster) - s0) * 1000 / len(people))
    print(
        f"the server's processor per new server process, ms ({len(people)} each, "
        f"{args.rounds} rounds):"
    )
    for kind in kinds:
        v = spent[kind]
        print(
            f"  {kind:14} median {statistics.median(v):6.1f}  ({', '.join(f'{x:.1f}' for x in v)})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

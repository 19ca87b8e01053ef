"""What row-level security costs an edit on the server, and what a schema step changes of it.

    python bench/bench_pg_rls.py [--rounds 40] [--edits 1000] [--step own_rows_first]

Two databases on one server (``ANNOTATOR_TEST_PG``, else a throwaway cluster): one migrated up
to the step before ``--step``, the other up to and with it. In each, an annotator role (over
TCP with a SCRAM password, as a desktop) with one assigned 3 KB article sends ``--edits``
edits of 40 spans through ``apply_edit``, pipelined in one transaction that is rolled back
(the server's work per edit without the commit's flush, which is the same for all). The
server process's own processor time is read from ``/proc`` before and after (the cluster
runs on this machine), so other work on the machine changes little. The table owner, whom
the policies do not apply to, does the same as the reference. The three run in turn,
``--rounds`` times, each round starting with the next one: the figures are the median per
edit and the paired difference per round (decision 0099).
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import psycopg  # noqa: E402
from bench_pg_edit import article  # noqa: E402
from pg_scratch import scratch_database  # noqa: E402
from psycopg.types.json import Json  # noqa: E402

from annotator.core.model import ProjectConfig  # noqa: E402
from annotator.core.pg import connection, projects, schema, users  # noqa: E402
from annotator.core.pg.sync import Edit  # noqa: E402

APPLY = "SELECT outcome FROM apply_edit(%s, %s, %s, %s, %s, %s, %s, %s)"


def prepare(db_admin: str, steps: tuple[schema.Migration, ...], role: str) -> tuple[int, Any]:
    """The schema of ``steps``, a project with the article assigned to ``role``."""
    doc, states = article(40)
    with connection.connect(db_admin, autocommit=True) as conn:
        schema.migrate(conn, steps)
        project_id, _ = projects.create_project(conn, ProjectConfig(name="bench"))
        conn.execute(
            "INSERT INTO documents (project_id, id, text, text_sha256) VALUES (%s, %s, %s, %s)",
            (project_id, doc.id, doc.text, states[0].text_sha256),
        )
        users.add_user(conn, role, "annotator", PASSWORD)
        conn.execute(
            "INSERT INTO assignments (project_id, document_id, annotator) VALUES (%s, %s, %s)",
            (project_id, doc.id, role),
        )
    return project_id, states


def server_cpu(pid: int) -> float:
    """Processor seconds the server process ``pid`` has used (Linux ``/proc``): what the
    server spent, whatever else the machine's processors were doing meanwhile."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def per_edit(conn: Any, project_id: int, states: Any, annotator: str, n: int) -> float:
    """The server process's processor milliseconds per edit of ``n`` pipelined edits in a
    transaction rolled back."""
    desk = uuid.uuid4()
    edits = [Edit.of(states[i % len(states)], desk, i + 1, i) for i in range(n)]
    pid = conn.info.backend_pid
    t0 = server_cpu(pid)
    with conn.transaction(force_rollback=True), conn.pipeline():
        for e in edits:
            conn.execute(
                APPLY,
                (project_id, e.client_id, e.seq, annotator, e.document_id, e.base_revision,
                 e.prev_seq, Json(e.record)),
            )  # fmt: skip
    return (server_cpu(pid) - t0) / n * 1000


PASSWORD = secrets.token_urlsafe(12)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--step", default="own_rows_first", help="the schema step measured")
    args = parser.parse_args()
    steps = schema.packaged_migrations()
    k = [m.name for m in steps].index(args.step)
    os.environ["PGPASSWORD"] = PASSWORD
    with scratch_database("rls_before", roles=("bench_b",)) as before:
        os.environ["ANNOTATOR_TEST_PG"] = before.admin_url  # both on the same server
        with scratch_database("rls_with", roles=("bench_a",)) as after:
            p_before, states = prepare(before.db_admin, steps[:k], "bench_b")
            p_after, _ = prepare(after.db_admin, steps[: k + 1], "bench_a")
            runs = {
                f"annotator, before step {args.step}": (
                    connection.connect(before.login_url("bench_b"), autocommit=True),
                    p_before,
                    "bench_b",
                ),
                f"annotator, with step {args.step}": (
                    connection.connect(after.login_url("bench_a"), autocommit=True),
                    p_after,
                    "bench_a",
                ),
                "table owner (no policies)": (
                    connection.connect(after.db_admin, autocommit=True),
                    p_after,
                    "bench_a",
                ),
            }
            try:
                compare(runs, states, args.rounds, args.edits)
            finally:
                for conn, _, _ in runs.values():
                    conn.close()
    return 0


def compare(
    runs: dict[str, tuple[psycopg.Connection[Any], int, str]], states: Any, rounds: int, n: int
) -> None:
    """Run each of ``runs`` in turn, ``rounds`` times, and print the figures."""
    version = next(iter(runs.values()))[0].execute("SHOW server_version").fetchone()
    print(
        f"server: PostgreSQL {version[0] if version else '?'}; {n} edits of a 3 KB article "
        f"with 40 spans per run, pipelined, rolled back; {rounds} rounds; the server "
        "process's own processor time per edit (/proc), in ms"
    )
    times: dict[str, list[float]] = {name: [] for name in runs}
    for conn, project_id, who in runs.values():  # warm up each server process
        per_edit(conn, project_id, states, who, 50)
    for round_ in range(rounds):  # the order turns each round: none always goes first
        order = list(runs.items())
        for name, (conn, project_id, who) in order[round_ % 3 :] + order[: round_ % 3]:
            times[name].append(per_edit(conn, project_id, states, who, n))
    owner = statistics.median(times["table owner (no policies)"])
    for name, samples in times.items():
        med = statistics.median(samples)
        print(
            f"  {name:40} median {med:6.3f} ms per edit ({med / owner:4.2f}x the owner), "
            f"min {min(samples):6.3f}, max {max(samples):6.3f}"
        )
    names = list(runs)
    diffs = [b - a for b, a in zip(times[names[0]], times[names[1]], strict=True)]
    share = statistics.median(d / b for d, b in zip(diffs, times[names[0]], strict=True))
    print(
        f"  paired, before minus with the step: median {statistics.median(diffs):6.3f} ms "
        f"per edit ({share:.0%}); with it cheaper in {sum(d > 0 for d in diffs)} of "
        f"{len(diffs)} rounds"
    )


if __name__ == "__main__":
    raise SystemExit(main())

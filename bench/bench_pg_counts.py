"""Benchmark of what the kept progress counts (schema step 0007, decision 0097) cost a write.

    python bench/bench_pg_counts.py [--documents 300] [--rounds 4] [--plan 20000]

Uses the server ANNOTATOR_TEST_PG names, else a throwaway cluster (scripts/test-postgres.sh,
fsync on). An annotator role connects over TCP with a SCRAM password, as a desktop does, and
works through ``--documents`` articles (3 KB, each assigned to them and two others whose
records exist), each edit through ``apply_edit`` committed on its own:
- first: the document's first edit (a new row: the insert trigger counts it);
- span: five span edits of the document in progress (nothing is counted: no trigger runs
  but the statement's insert trigger, which finds no new row);
- done: marking it done with the time spent (the update trigger counts the document again).
The same edits run with the counting triggers on and, as the reference in the same run, off
(``ALTER TABLE ... DISABLE TRIGGER``), in alternating rounds. Then a lead's plan of ``--plan``
rows in statements of 10,000 (``PgProject.update_assignments``'s way), on and off.
Prints medians and p99 per kind and the ratio on/off.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from pg_scratch import scratch_database  # noqa: E402

from annotator.core.model import ProjectConfig, sha256_text  # noqa: E402
from annotator.core.pg import connection, projects, schema, users  # noqa: E402

TEXT = (
    "Direktur Jenderal Kemendagri Safrizal hadir di Jakarta pada Selasa 30 Agustus 2022 "
    "bersama Walikota Bandung Yana Mulyana untuk program Bandung Smart City. "
) * 20
SHA = sha256_text(TEXT)
TRIGGERS = {
    "annotations": ("annotations_progress_insert", "annotations_progress_delete",
                    "annotations_progress_update"),
    "assignments": ("assignments_progress_insert", "assignments_progress_delete",
                    "assignments_progress_update"),
    "documents": ("documents_progress_insert", "documents_progress_delete",
                  "documents_progress_update"),
}  # fmt: skip


def counting(conn: psycopg.Connection[Any], on: bool) -> None:
    for table, names in TRIGGERS.items():
        for name in names:
            verb = "ENABLE" if on else "DISABLE"
            conn.execute(f"ALTER TABLE {table} {verb} TRIGGER {name}")


def record(status: str, spans: int, seconds: float) -> str:
    import json

    found = [{"start": 9 + 40 * i, "end": 19 + 40 * i, "label": "AGENCY"} for i in range(spans)]
    return json.dumps({"text_sha256": SHA, "spans": found, "status": status,
                       "updated_at": "2026-05-01T10:00:00Z", "seconds": seconds})  # fmt: skip


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--plan", type=int, default=20000)
    args = parser.parse_args()
    password = secrets.token_urlsafe(12)
    per_round = args.documents // args.rounds
    total = per_round * args.rounds * 2
    with (
        scratch_database("counts", roles=("bench",)) as db,
        connection.connect(db.db_admin, autocommit=True) as admin,
    ):
        schema.migrate(admin)
        p, _ = projects.create_project(admin, ProjectConfig(name="bench"))
        ids = [f"d{i:06d}" for i in range(total + args.plan)]
        admin.execute(
            "INSERT INTO documents (project_id, id, text, text_sha256)"
            " SELECT %s, i, %s, %s FROM unnest(%s::text[]) i",
            (p, TEXT, SHA, ids),
        )
        work = ids[:total]
        for name in ("bench", "ani", "budi"):
            admin.execute(
                "INSERT INTO assignments (project_id, document_id, annotator)"
                " SELECT %s, i, %s FROM unnest(%s::text[]) i",
                (p, name, work),
            )
        admin.execute(
            "INSERT INTO annotations (project_id, document_id, annotator, text_sha256,"
            " status, updated_at, seconds) SELECT %s, i, n, %s, 'done',"
            " '2026-05-01T10:00:00Z', 60 FROM unnest(%s::text[]) i,"
            " unnest('{ani,budi}'::text[]) n",
            (p, SHA, work),
        )
        admin.execute("VACUUM ANALYZE")
        users.add_user(admin, "bench", "annotator", password)
        version = admin.execute("SHOW server_version").fetchone()
        os.environ["PGPASSWORD"] = password
        times: dict[tuple[str, bool], list[float]] = {}
        with connection.connect(db.login_url("bench"), autocommit=True) as conn:
            desk, seq = uuid.uuid4(), 0

            def edit(doc: str, body: str, kind: str, on: bool) -> None:
                nonlocal seq
                seq += 1
                t0 = time.perf_counter()
                conn.execute(
                    "SELECT * FROM apply_edit(%s, %s, %s, 'bench', %s, 0, %s, %s)",
                    (p, desk, seq, doc, seq - 1 if seq > 1 else None, body),
                )
                times.setdefault((kind, on), []).append(time.perf_counter() - t0)

            docs = iter(work)
            for _ in range(args.rounds):
                for on in (True, False):
                    counting(admin, on)
                    for _ in range(per_round):
                        doc = next(docs)
                        edit(doc, record("in_progress", 1, 0.0), "first", on)
                        for spans in range(2, 7):
                            edit(doc, record("in_progress", spans, 0.0), "span", on)
                        edit(doc, record("done", 6, 95.5), "done", on)
        counting(admin, True)
        print(
            f"server {version[0] if version else '?'}; an annotator over TCP; {total:,}"
            f" documents each edited 7 times, counting on and off in {args.rounds}"
            f" alternating rounds; load {os.getloadavg()[0]:.1f}"
        )
        for kind in ("first", "span", "done"):
            on, off = times[kind, True], times[kind, False]
            print(
                f"{kind:<6} on: median {statistics.median(on) * 1000:6.2f} ms"
                f"  p99 {pct(on, 0.99) * 1000:6.2f} ms   off: median"
                f" {statistics.median(off) * 1000:6.2f} ms  p99 {pct(off, 0.99) * 1000:6.2f}"
                f" ms   ratio {statistics.median(on) / statistics.median(off):.2f}"
                f"  (n={len(on)})"
            )
        rest = ids[total:]
        half = len(rest) // 2
        for on, part in ((True, rest[:half]), (False, rest[half:])):
            counting(admin, on)
            t0 = time.perf_counter()
            with admin.transaction():
                for start in range(0, len(part), 10_000):
                    admin.execute(
                        "INSERT INTO assignments (project_id, document_id, annotator)"
                        " SELECT %s, i, 'bench' FROM unnest(%s::text[]) i",
                        (p, part[start : start + 10_000]),
                    )
            print(
                f"plan of {len(part):,} rows, counting {'on ' if on else 'off'}:"
                f" {time.perf_counter() - t0:.2f} s"
            )
        counting(admin, True)
        admin.execute("SELECT progress_fold(%s)", (p,))
        check = admin.execute(
            "SELECT sum(assigned) FROM progress_people WHERE project_id = %s"
            " AND annotator = 'bench'",
            (p,),
        ).fetchone()
        print(f"(the kept count after the runs on: {check[0] if check else '?'} assigned)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of one synced edit on a local PostgreSQL server: the edit log insert plus upsert.

    python bench/bench_pg_edit.py [--edits 2000] [--spans 40] [--backlog 1000]

Uses the server ANNOTATOR_TEST_PG names, else starts a throwaway cluster with
scripts/test-postgres.sh (fsync on) and stops it at the end. An annotator role connects over
TCP on 127.0.0.1 with a SCRAM password, as a desktop does, and sends:
- edit: one edit of a 3 KB article with ``--spans`` spans through ``apply_edit`` (edit log row,
  upsert of the annotation, notification), committed on its own: the round trip a desktop waits
  for before it shows "synced";
- reference: a single-row INSERT committed on its own on the same connection, the floor any
  durable write pays (the ratio says what the edit log costs on top);
- backlog: ``--backlog`` edits sent after a time offline, pipelined in one transaction.
Target (issue 14, with 50 annotators at once, measured later by bench_team.py): edit to synced
under 50 ms at p99.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from pg_scratch import scratch_database  # noqa: E402
from psycopg import sql  # noqa: E402

from annotator.core.model import Annotation, Document, ProjectConfig, make_span  # noqa: E402
from annotator.core.pg import connection, projects, schema, users  # noqa: E402
from annotator.core.pg.sync import Edit, apply_edit  # noqa: E402

SENTENCE = (
    "Direktur Jenderal Kemendagri Safrizal hadir di Jakarta pada Selasa 30 Agustus 2022 "
    "bersama Walikota Bandung Yana Mulyana untuk program Bandung Smart City. "
)
WORDS = [("Kemendagri", "AGENCY"), ("Safrizal", "PERSON"), ("Jakarta", "CITY"), ("Bandung", "CITY")]


def article(spans: int) -> tuple[Document, list[Annotation]]:
    """A ~3 KB article and 40 successive states of an annotation with ``spans`` spans."""
    text = SENTENCE * max(20, spans // len(WORDS) + 1)
    found = []
    offset = 0
    while len(found) < spans:
        for word, label in WORDS:
            start = text.index(word, offset)
            found.append(make_span(text, start, start + len(word), label))
            offset = start + len(word)
            if len(found) == spans:
                break
    states = [
        Annotation(
            id="a1",
            text=text,
            spans=tuple(found[: spans - i % 2]),
            annotator="bench",
            seconds=float(i),
        )
        for i in range(40)
    ]
    return Document(id="a1", text=text), states


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def report(name: str, samples: list[float]) -> None:
    print(
        f"{name:<34} median {statistics.median(samples) * 1000:6.2f} ms"
        f"  p99 {percentile(samples, 0.99) * 1000:6.2f} ms"
        f"  max {max(samples) * 1000:6.2f} ms  (n={len(samples)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=2000)
    parser.add_argument("--spans", type=int, default=40)
    parser.add_argument("--backlog", type=int, default=1000)
    args = parser.parse_args()

    password = secrets.token_urlsafe(12)
    with scratch_database("edit", roles=("bench",)) as db:
        db_admin = db.db_admin
        doc, states = article(args.spans)
        with connection.connect(db_admin, autocommit=True) as conn:
            schema.migrate(conn)
            project_id, _ = projects.create_project(conn, ProjectConfig(name="bench"))
            conn.execute(
                "INSERT INTO documents (project_id, id, text, text_sha256) VALUES (%s, %s, %s, %s)",
                (project_id, doc.id, doc.text, states[0].text_sha256),
            )
            users.add_user(conn, "bench", "annotator", password)
            group = users.group_roles(conn)["annotator"]
            conn.execute("CREATE TABLE public.bench_ref (id bigserial PRIMARY KEY, payload text)")
            conn.execute(
                sql.SQL("GRANT INSERT, SELECT ON public.bench_ref TO {}").format(
                    sql.Identifier(group)
                )
            )
            conn.execute(
                sql.SQL("GRANT USAGE ON SEQUENCE public.bench_ref_id_seq TO {}").format(
                    sql.Identifier(group)
                )
            )
            settings = {
                name: conn.execute(sql.SQL("SHOW {}").format(sql.Identifier(name))).fetchone()
                for name in ("server_version", "fsync", "synchronous_commit")
            }
        os.environ["PGPASSWORD"] = password
        url = db.login_url("bench")
        print(
            f"server: {', '.join(f'{k} {v[0]}' for k, v in settings.items() if v)}; "
            f"annotator over TCP with SCRAM; article {len(doc.text)} characters, "
            f"{args.spans} spans"
        )
        with connection.connect(url, autocommit=True) as conn:
            desk = uuid.uuid4()
            for i in range(50):  # warm up: connection caches, prepared statements
                apply_edit(conn, project_id, Edit.of(states[i % 40], desk, i + 1, i))
                conn.execute("INSERT INTO public.bench_ref (payload) VALUES ('x')")
            seq = 50
            edit_times, ref_times = [], []
            for i in range(args.edits):
                seq += 1
                edit = Edit.of(states[i % 40], desk, seq, seq - 1)
                t0 = time.perf_counter()
                applied = apply_edit(conn, project_id, edit)
                edit_times.append(time.perf_counter() - t0)
                assert applied.outcome == "applied"
                t0 = time.perf_counter()
                conn.execute("INSERT INTO public.bench_ref (payload) VALUES ('x')")
                ref_times.append(time.perf_counter() - t0)
            report("edit (log + upsert), committed", edit_times)
            report("reference: 1-row INSERT, committed", ref_times)
            print(
                f"{'ratio edit / reference (median)':<34} "
                f"{statistics.median(edit_times) / statistics.median(ref_times):6.2f}x"
            )

            backlog = [
                Edit.of(states[i % 40], desk, seq + 1 + i, seq + i) for i in range(args.backlog)
            ]
            t0 = time.perf_counter()
            with conn.transaction(), conn.pipeline():
                cursors = [
                    conn.execute(
                        "SELECT outcome FROM apply_edit(%s, %s, %s, %s, %s, %s, %s, %s)",
                        (
                            project_id,
                            e.client_id,
                            e.seq,
                            e.annotator,
                            e.document_id,
                            e.base_revision,
                            e.prev_seq,
                            psycopg.types.json.Json(e.record),
                        ),
                    )
                    for e in backlog
                ]
            elapsed = time.perf_counter() - t0
            assert all(c.fetchone() == ("applied",) for c in cursors)
            print(
                f"{'backlog, pipelined, one commit':<34} {elapsed * 1000:8.1f} ms for "
                f"{args.backlog} edits ({elapsed / args.backlog * 1000:.2f} ms each)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

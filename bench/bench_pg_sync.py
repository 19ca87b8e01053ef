"""Benchmark of edit -> saved and edit -> synced through the server store, as a desktop edits.

    python bench/bench_pg_sync.py [--edits 1000] [--burst 5]

Uses the server ANNOTATOR_TEST_PG names, else starts a throwaway cluster with
scripts/test-postgres.sh (fsync on) and stops it at the end. An annotator logs in over TCP on
127.0.0.1 with a SCRAM password and opens the project with ``open_pg_project``; each edit of a
3 KB article with 40 spans goes through ``PgSession.apply``:
- saved: ``apply`` returns (the edit is fsynced in the desktop's outbox; the window may say
  "saved");
- synced: the sender thread has had it confirmed by the server (``wait_synced``), one edit at a
  time, as a person editing at a normal pace sees it;
- burst: ``--burst`` edits at once (a person's quick keys), from the first edit to all synced;
- heard: from ``apply`` to the lead's listener (``PgProject.listen``) being called about the
  document, the path a done document takes to the lead's Progress view (target: under 1 s).
Reference, measured in the same run: the same edit on a folder project (``Session.apply``, a
journal append and fsync), the floor any durable local save pays.
Target (issue 14): edit to synced under 50 ms at p99.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_pg_edit import article, percentile, report  # noqa: E402
from pg_scratch import scratch_database  # noqa: E402

from annotator.core.edit import Put  # noqa: E402
from annotator.core.model import ProjectConfig  # noqa: E402
from annotator.core.pg import connection, projects, schema, users  # noqa: E402
from annotator.core.pg.listen import Notice  # noqa: E402
from annotator.core.pg.store import open_pg_project  # noqa: E402
from annotator.core.project import Project  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--burst", type=int, default=5)
    args = parser.parse_args()

    password = secrets.token_urlsafe(12)
    with scratch_database("sync", roles=("bench",)) as db:
        db_admin, work = db.db_admin, db.work
        doc, states = article(40)
        states = [s.model_copy(update={"annotator": "bench"}) for s in states]
        with connection.connect(db_admin, autocommit=True) as conn:
            schema.migrate(conn)
            projects.create_project(conn, ProjectConfig(name="bench"))
            users.add_user(conn, "bench", "annotator", password)
            version = conn.execute("SHOW server_version").fetchone()
        os.environ["PGPASSWORD"] = password
        url = db.login_url("bench")
        store = open_pg_project(db_admin, cache_dir=work / "lead")
        store.documents.append([doc])
        store.close()
        print(
            f"server: PostgreSQL {version[0] if version else '?'}, fsync on; annotator over TCP "
            f"with SCRAM; article {len(doc.text)} characters, 40 spans"
        )

        local = Project.init(work / "folder")
        local.documents.append([doc])
        folder_times = []
        with Project.open(work / "folder").session("bench") as session:
            for i in range(args.edits):
                t0 = time.perf_counter()
                session.apply(Put(states[i % 40]))
                folder_times.append(time.perf_counter() - t0)

        project = open_pg_project(url, cache_dir=work / "desk")
        session = project.session("bench")
        for i in range(50):  # warm up: connections, caches
            session.apply(Put(states[i % 40]))
        assert session.wait_synced(30), session.sync_error
        saved, synced = [], []
        for i in range(args.edits):
            t0 = time.perf_counter()
            session.apply(Put(states[(i + 1) % 40]))
            saved.append(time.perf_counter() - t0)
            assert session.wait_synced(30), session.sync_error
            synced.append(time.perf_counter() - t0)
        lead = open_pg_project(db_admin, cache_dir=work / "lead")
        heard_at: list[float] = []
        news = threading.Event()

        def on_notice(notice: Notice) -> None:
            if notice.kind == "annotations":
                heard_at.append(time.perf_counter())
                news.set()

        ears = lead.listen(on_notice)
        assert ears.listening.wait(30)
        heard = []
        for i in range(min(args.edits, 300)):
            news.clear()
            t0 = time.perf_counter()
            session.apply(Put(states[(i + 2) % 40]))
            assert news.wait(30)
            heard.append(heard_at[-1] - t0)
        ears.stop()
        lead.close()
        bursts = []
        for b in range(max(1, args.edits // args.burst)):
            t0 = time.perf_counter()
            for k in range(args.burst):
                session.apply(Put(states[(b * args.burst + k) % 40]))
            assert session.wait_synced(30), session.sync_error
            bursts.append(time.perf_counter() - t0)
        session.close()
        project.close()

        report("reference: folder edit saved", folder_times)
        report("server edit saved (outbox)", saved)
        report("server edit synced", synced)
        report(f"burst of {args.burst}, first edit to synced", bursts)
        report("edit heard by the lead's listener", heard)
        print(
            f"{'ratio synced / folder saved (med)':<34} "
            f"{statistics.median(synced) / statistics.median(folder_times):6.2f}x; "
            f"p99 synced {percentile(synced, 0.99) * 1000:.2f} ms against the 50 ms target"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

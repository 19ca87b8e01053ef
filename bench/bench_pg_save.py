"""Benchmark of a desktop's save on a server project: what emptying the outbox costs.

    python bench/bench_pg_save.py [--documents 2000] [--saves 60]

Uses the server ANNOTATOR_TEST_PG names, else starts a throwaway cluster with
scripts/test-postgres.sh (fsync on) and stops it at the end. An annotator has edited
``--documents`` documents (a 3 KB article with 40 spans each) on this desktop, all confirmed
and saved; then, ``--saves`` times, one edit is made and confirmed and ``save()`` is timed: it
writes the annotator's rows and (decision 0122) appends the confirmed states to
``<name>.confirmed``, both flushed to disk, then empties the outbox. The window saves so when
it is idle after edits.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_pg_edit import article, report  # noqa: E402
from pg_scratch import scratch_database  # noqa: E402

from annotator.core.edit import Put  # noqa: E402
from annotator.core.model import ProjectConfig  # noqa: E402
from annotator.core.pg import connection, projects, schema, users  # noqa: E402
from annotator.core.pg.store import open_pg_project  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--saves", type=int, default=60)
    args = parser.parse_args()

    password = secrets.token_urlsafe(12)
    with scratch_database("save", roles=("bench",)) as db:
        doc, states = article(40)
        docs = [doc.model_copy(update={"id": f"doc-{i:05d}"}) for i in range(args.documents)]
        with connection.connect(db.db_admin, autocommit=True) as conn:
            schema.migrate(conn)
            projects.create_project(conn, ProjectConfig(name="bench"))
            users.add_user(conn, "bench", "annotator", password)
        os.environ["PGPASSWORD"] = password
        store = open_pg_project(db.db_admin, cache_dir=db.work / "lead")
        store.documents.append(docs)
        store.close()

        project = open_pg_project(db.login_url("bench"), cache_dir=db.work / "desk")
        session = project.session("bench")

        def put(i: int, n: int) -> Put:
            state = states[n % 40].model_copy(update={"annotator": "bench", "id": docs[i].id})
            return Put(state)

        session.apply_many([put(i, i) for i in range(args.documents)])
        assert session.wait_synced(600), session.sync_error
        session.save()
        times = []
        for k in range(args.saves):
            session.apply(put(k * 7 % args.documents, k + 1))
            assert session.wait_synced(30), session.sync_error
            t0 = time.perf_counter()
            session.save()
            times.append(time.perf_counter() - t0)
        session.close()
        project.close()
        sizes = {
            p.name: p.stat().st_size for p in (db.work / "desk").iterdir() if p.name[:6] == "bench."
        }
        print(f"{args.documents} documents edited here, 40 spans each; files: {sizes}")
        report("save after one edit (outbox emptied)", times)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of the lead's reports on a server project, alone: progress and agreement over
3 annotators x ``--documents`` documents, with nobody else working.

    python bench/bench_lead.py [--documents 100000] [--reports 3]
    python bench/bench_lead.py --prepare DIR     # load once into a cluster in DIR, keep it
    python bench/bench_lead.py --reuse DIR       # time the reports on that cluster again
    python bench/bench_lead.py --stop DIR        # stop it and delete DIR

The corpus is ``bench_team.py``'s (the same generator, schema, roles and COPY load). Each
report runs in a fresh process, as ``bench_team.py``'s lead does: the first one computes and
keeps every agreement part (decision 0089), the later ones read them back. After the reports,
``--edits N`` changes N documents of one of the three annotators (a new span, through the
table owner: what a desktop's edits leave on the server) and times one more report, which
computes only what changed (decision 0098: the parts and replicate sums kept on the
desktop); then N more and a first report on a new desktop, which starts from the state a
lead kept on the server. The figures print beside the target (issue 14: under 3 s).

    python bench/bench_lead.py --reuse DIR --from-nothing [--ahead]

``--from-nothing`` forgets every kept part and state first (on the server and this desktop), so
the first report computes every part again: the worst case, data that arrived around every
product path, which ``bench_team.py``'s COPY load also makes (decision 0101). ``--ahead`` then
first keeps what ``annotator push`` or ``import`` keeps after writing, on the desktop the
command runs on: the parts, then the lead's report state shared on the server (decision
0106), timed and printed as what it adds to that command; then the first report after it on
the lead's desktop, another one ("the first report after a push"). ``--parts-only`` keeps the
parts alone, as the commands did before decision 0106 (and the lead's window does as
documents are finished).

    python bench/bench_lead.py --reuse DIR --reports 1 --edits 0 --compared 3

``--compared N`` then, N times, has one annotator finish a document another one finished (so
one more document is compared) and times a report after each: the bootstrap draws n of n
documents, so a new n is a new draw and fresh sums (the state's other parts are kept); what a
lead's open window pays each time a document gets its second annotator.

    python bench/bench_lead.py --reuse DIR --from-nothing --keep

``--keep`` instead runs ``annotator keep URL --once`` (decision 0109: what a lead's service
beside the server keeps while no lead's window is open), timed as a whole process on a
desktop of its own, then the lead's first report on a fresh desktop after it.

    python bench/bench_lead.py --reuse DIR --from-nothing --warn label [--take PROGRAM]
    python bench/bench_lead.py --reuse DIR --from-nothing --warn beyond

``--warn`` first makes spans the report leaves out with a warning (decisions 0116, 0119):
``label`` takes a label out of the project (``--take``, default PROGRAM: every annotation
that uses it then warns), ``beyond`` adds a span beyond its text to every done record of one
annotator (a script of theirs). Both are put right first, so that every run starts from the
same data (the label back in its place; the spans beyond the texts taken out; ``none``:
only that); with
``--from-nothing`` the first report then computes every part again, with the warnings, and
the reports after the edits read the notes of what changed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import bench_team  # noqa: E402


def prepare(folder: str | None, documents: int, seed: int) -> dict[str, str]:
    """A cluster with the corpus loaded; returns what the reports need (kept in ``state``)."""
    import psycopg

    admin_url, cluster = bench_team.start_cluster(max_connections=40)
    if folder:  # keep the state beside the cluster for --reuse
        os.makedirs(folder, exist_ok=True)
    work = Path(folder or cluster)
    t0 = time.perf_counter()
    db_admin, project_id, port, passfile = bench_team.team_database(admin_url, work, [])
    with psycopg.connect(db_admin, options="-c search_path=annotator") as conn:
        bench_team.load_corpus(conn, project_id, documents, seed)
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    print(
        f"data: {documents:,} documents x 3 annotators loaded in {time.perf_counter() - t0:.0f} s"
    )
    state = {
        "cluster": cluster,
        "admin": admin_url,
        "db_admin": db_admin,
        "url": f"postgresql://lead@127.0.0.1:{port}/{bench_team.TEAM_DB}",
        "passfile": str(passfile),
        "desktops": str(work / "desktops"),
        "project_id": str(project_id),
    }
    (work / "state.json").write_text(json.dumps(state), "utf-8")
    return state


def edit(state: dict[str, str], count: int, seed: int) -> None:
    """``count`` done documents of one annotator lose their last span (as if edited)."""
    import psycopg

    with psycopg.connect(state["db_admin"], options="-c search_path=annotator") as conn:
        conn.execute(
            "UPDATE annotations SET spans = spans - (jsonb_array_length(spans) - 1),"
            " revision = revision + 1"
            " WHERE (project_id, document_id, annotator) IN (SELECT project_id, document_id,"
            " annotator FROM annotations WHERE annotator = %s AND status = 'done'"
            " AND jsonb_array_length(spans) > 0"
            " AND project_id = %s ORDER BY md5(document_id || %s) LIMIT %s)",
            (bench_team.LEAD_NAMES[0], int(state["project_id"]), str(seed), count),
        )


def compare_one(state: dict[str, str]) -> str | None:
    """One more document compared: an annotator finishes a document another one finished
    (its record marked done, as their desktop's Done leaves it); the document, or None."""
    import psycopg

    names = list(bench_team.LEAD_NAMES)
    with psycopg.connect(state["db_admin"], options="-c search_path=annotator") as conn:
        row = conn.execute(
            "SELECT b.document_id, b.annotator FROM annotations a JOIN annotations b"
            " ON b.project_id = a.project_id AND b.document_id = a.document_id"
            " WHERE a.project_id = %s AND a.annotator = ANY(%s) AND a.status = 'done'"
            " AND b.annotator = ANY(%s) AND b.annotator <> a.annotator AND b.status <> 'done'"
            " LIMIT 1",
            (int(state["project_id"]), names, names),
        ).fetchone()
        if row is None:
            return None
        conn.execute(
            "UPDATE annotations SET status = 'done', revision = revision + 1"
            " WHERE project_id = %s AND document_id = %s AND annotator = %s",
            (int(state["project_id"]), row[0], row[1]),
        )
    return str(row[0])


BEYOND = 10**7  # the end of a span beyond any text of the corpus


def warn(state: dict[str, str], how: str, label: str) -> None:
    """Spans the report leaves out with a warning (see the module), the last run's first
    put right."""
    import psycopg

    from annotator.core.model import DEFAULT_LABELS

    project = int(state["project_id"])
    with psycopg.connect(state["db_admin"], options="-c search_path=annotator") as conn:
        strip = (
            "UPDATE annotations SET spans = (SELECT coalesce(jsonb_agg(x ORDER BY i), '[]')"
            " FROM jsonb_array_elements(spans) WITH ORDINALITY AS s(x, i)"
            " WHERE (x->>'end')::bigint < %s), revision = revision + 1"
            " WHERE project_id = %s AND spans @> %s::jsonb"
        )
        conn.execute(strip, (BEYOND, project, json.dumps([{"end": BEYOND}])))
        conn.execute(
            "INSERT INTO labels (project_id, position, name) SELECT %s, %s, %s"
            " WHERE NOT EXISTS (SELECT 1 FROM labels WHERE project_id = %s AND name = %s)",
            (project, [n for n, *_ in DEFAULT_LABELS].index(label), label, project, label),
        )
        if how == "label":
            used = conn.execute(
                "SELECT count(*) FROM annotations WHERE project_id = %s AND spans @> %s::jsonb",
                (project, json.dumps([{"label": label}])),
            ).fetchone()
            conn.execute("DELETE FROM labels WHERE project_id = %s AND name = %s", (project, label))
            print(f"label {label} taken out of the project: {used[0] if used else 0:,}"
                  " annotations use it")  # fmt: skip
        elif how == "beyond":
            done = conn.execute(
                "UPDATE annotations SET spans = spans || %s::jsonb, revision = revision + 1"
                " WHERE project_id = %s AND annotator = %s AND status = 'done'",
                (json.dumps([{"start": 0, "end": BEYOND, "label": "PERSON"}]), project,
                 bench_team.LEAD_NAMES[0]),
            )  # fmt: skip
            print(f"a span beyond its text added to {done.rowcount:,} done records of"
                  f" {bench_team.LEAD_NAMES[0]}")  # fmt: skip


def forget(state: dict[str, str]) -> None:
    """No agreement part or state kept anywhere: the next report computes from nothing."""
    import psycopg

    with psycopg.connect(state["db_admin"], options="-c search_path=annotator") as conn:
        conn.execute("DELETE FROM agreement_parts")
        conn.execute("DELETE FROM agreement_states")
    subprocess.run(["rm", "-rf", state["desktops"]], check=False)


def keep_ahead(state: dict[str, str], parts_only: bool) -> float:
    """Seconds to keep what a lead's ``annotator push`` or ``import`` keeps after writing
    (``commands.kept_parts``: the agreement parts, then the report's state on the server for
    every lead, decision 0106), in a fresh process on a desktop of its own (the one the
    command ran on); ``parts_only``: the parts alone, as before decision 0106."""
    code = (
        "import sys, time; from annotator.core.open import open_store; "
        "from annotator.commands.kept_parts import keep_for_reports; "
        "from annotator.core.pg.compute import keep_parts; s = open_store(sys.argv[1]); "
        "t = time.perf_counter(); n = keep_parts(s) if sys.argv[2] == 'parts' else "
        "keep_for_reports(s); print(f'agreement parts: {n:,} computed' if n else '', "
        "time.perf_counter() - t)"
    )
    with tempfile.TemporaryDirectory() as desktop:
        env = dict(os.environ, PGPASSFILE=state["passfile"], XDG_DATA_HOME=desktop)
        done = subprocess.run(
            [sys.executable, "-c", code, state["url"], "parts" if parts_only else "all"],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
    *said, last = done.stdout.strip().splitlines()
    *counted, seconds = last.split()
    what = "parts kept ahead" if parts_only else "parts and state kept ahead"
    print(f"{what + ' (push, import)':34} {float(seconds):.2f} s in all, added to the command"
          " that brought the data:")  # fmt: skip
    for line in [*said, " ".join(counted)]:
        if line:
            print(f"{'':36}{line}")
    return float(seconds)


def keep_once(state: dict[str, str]) -> float:
    """Seconds of ``annotator keep URL --once`` in a process of its own, start to exit, on a
    desktop of its own; its output line printed below."""
    with tempfile.TemporaryDirectory() as desktop:
        env = dict(os.environ, PGPASSFILE=state["passfile"], XDG_DATA_HOME=desktop,
                   ANNOTATOR_DATA=desktop)  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "annotator", "keep", state["url"], "--once"],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
        seconds = time.perf_counter() - started
    print(f"{'annotator keep URL --once':34} {seconds:.2f} s, the process start to exit:")
    for line in done.stdout.strip().splitlines():
        print(f"{'':36}{line}")
    return seconds


def report(state: dict[str, str], desktop: str | None = None) -> dict[str, float]:
    """One report in a fresh process, on the kept desktop or on ``desktop`` (a new one)."""
    env = dict(os.environ, PGPASSFILE=state["passfile"], XDG_DATA_HOME=desktop or state["desktops"])
    return bench_team.run_lead(state["url"], env)


def show(label: str, lead: dict[str, float]) -> float:
    total = lead["progress"] + lead["compute"]
    met = "met" if total < bench_team.TARGETS["lead_seconds"] else "NOT met"
    print(
        f"{label:34} open {lead['open']:.2f} s, progress {lead['progress']:.2f} s + agreement "
        f"{lead['compute']:.2f} s ({'kept parts' if lead['fast'] else 'recomputed'}) = "
        f"{total:.2f} s (target < {bench_team.TARGETS['lead_seconds']:g} s: {met}); "
        f"{int(lead['documents']):,} documents, {int(lead['comparable']):,} comparable, "
        f"peak RSS {bench_team.mb(lead['rss'])}"
    )
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=3, help="reports after the first")
    parser.add_argument("--edits", type=int, default=100, help="documents edited, then a report")
    parser.add_argument(
        "--compared", type=int, default=0,
        help="then this many times: one more document compared (a second annotator finishes"
        " it), a report after each",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=0)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--prepare", metavar="DIR", help="load into a kept cluster, then report")
    where.add_argument("--reuse", metavar="DIR", help="report on the cluster --prepare kept")
    where.add_argument("--stop", metavar="DIR", help="stop the kept cluster, delete DIR")
    parser.add_argument("--from-nothing", action="store_true", help="forget every kept part first")
    parser.add_argument("--ahead", action="store_true", help="then keep them as push would")
    parser.add_argument("--keep", action="store_true", help="then run annotator keep --once")
    parser.add_argument(
        "--parts-only", action="store_true", help="with --ahead: the parts alone (before 0106)"
    )
    parser.add_argument("--warn", choices=["label", "beyond", "none"], help="spans left out, first")
    parser.add_argument("--take", default="PROGRAM", help="with --warn label: the label")
    args = parser.parse_args()
    if args.stop:
        state = json.loads((Path(args.stop) / "state.json").read_text("utf-8"))
        bench_team.stop_cluster(state["cluster"])
        subprocess.run(["rm", "-rf", args.stop], check=False)
        return 0
    if args.reuse:
        state = json.loads((Path(args.reuse) / "state.json").read_text("utf-8"))
    else:
        state = prepare(args.prepare, args.documents, args.seed)
    print(f"load: {os.getloadavg()[0]:.1f} (1-minute average, 2 cores shared)")
    try:
        first = "first report" if not args.reuse else "report"
        if args.warn:
            warn(state, args.warn, args.take)
        if args.from_nothing:
            forget(state)
            first = "first report, from nothing"
            if args.keep:
                keep_once(state)
                first = "first report after keep --once"
            elif args.ahead:
                keep_ahead(state, args.parts_only)
                first = "first report after a push" + (" (parts only)" if args.parts_only else "")
        show(first, report(state))
        for k in range(args.reports):
            show(f"report {k + 2}, nothing changed", report(state))
        if args.edits:
            edit(state, args.edits, args.seed + int(time.time()))
            show(f"after {args.edits} documents edited", report(state))
            edit(state, args.edits, args.seed + int(time.time()) + 1)
            with tempfile.TemporaryDirectory() as desktop:
                show(f"a new desktop, {args.edits} more edited", report(state, desktop))
        for k in range(args.compared):
            if compare_one(state) is None:
                print("no document left that one annotator finished and another did not")
                break
            show(f"one more document compared ({k + 1})", report(state))
    finally:
        if not args.prepare and not args.reuse:
            bench_team.stop_cluster(state["cluster"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

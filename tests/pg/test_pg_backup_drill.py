"""The backup and restore drill of docs/server-operations.md, run as the page writes it.

A project with three annotators, gold and a plan is dumped (``pg_dump -Fc``, ``pg_dumpall
--roles-only``) and restored on a new server into a new database (``createdb``, the roles file
through ``psql``, ``pg_restore``); the restored project must give the same agreement, stats
and exports, ``annotator init`` must say it is up to date without making another project and
put back the database's connect rights, and an annotator must log in with their password and
still read only their own rows.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from _pg_helpers import PgDb, Server, run_program
from psycopg import errors as pg_errors

from annotator.cli import main
from annotator.core.export import EXPORTERS
from annotator.core.pg.schema import packaged_migrations
from annotator.core.pg.store import PgProject

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def as_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return json.loads(out)


def _exports(capsys: pytest.CaptureFixture[str], url: str, into: Path) -> dict[str, bytes]:
    """Every export format of ``url``: file name to bytes (meta.json without its time and
    where it was made)."""
    found: dict[str, bytes] = {}
    for fmt in EXPORTERS:
        out = into / fmt
        code, _, err = run(capsys, "export", url, "--format", fmt, "--out", str(out),
                           "--split", "80,20", "--seed", "4")  # fmt: skip
        assert code == 0, err
        for path in sorted(out.iterdir()):
            data = path.read_bytes()
            if path.name == "meta.json":
                meta = json.loads(data)
                for key in ("created_at", "seconds", "command", "out", "project"):
                    meta.pop(key, None)
                data = json.dumps(meta, sort_keys=True).encode()
            elif path.name == "README.md":
                continue
            found[f"{fmt}/{path.name}"] = data
    return found


def test_the_drill_as_written_restores_everything_on_a_new_server(
    team_store: PgProject,
    pg_project: PgDb,
    cluster: tuple[Server, str],
    tmp_path: Path,
    desktop: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pg_project.add_person("ani", "annotator")
    pg_project.add_person("budi", "annotator")
    old, name = pg_project.server, pg_project.name
    url = pg_project.admin_url
    before = {c: as_json(capsys, c, url, "--json") for c in ("agreement", "stats", "progress")}
    assert before["agreement"]["documents"]["compared"] >= 5
    exported = _exports(capsys, url, tmp_path / "before")

    dump, roles = tmp_path / "news.dump", tmp_path / "roles.sql"
    run_program(old, "pg_dump", "-Fc", "-d", name, "-f", str(dump))
    run_program(old, "pg_dumpall", "--roles-only", "-f", str(roles))

    new, _ = cluster  # the server is lost: a new one, the people from the roles file
    restored = f"{name}_restored"
    run_program(new, "createdb", restored)
    run_program(new, "psql", "-q", "-d", "postgres", "-f", str(roles))
    run_program(new, "pg_restore", "-d", restored, str(dump))
    there = new.admin_url_for(restored)

    code, out, err = run(capsys, "init", there)
    assert code == 0, err
    latest = packaged_migrations()[-1].version
    assert out.splitlines()[0].endswith(f"is up to date (version {latest})")
    assert "project 'news' exists" in out, out  # not a second project named after the database
    assert "created project" not in out
    for command, result in before.items():
        assert as_json(capsys, command, there, "--json") == result, command
    assert _exports(capsys, there, tmp_path / "after") == exported

    people = PgDb(new, restored, pg_project.project_id, dict(pg_project.passwords))
    with people.connect_as("ani") as ani:  # the password hash came with the roles file
        own = ani.execute("SELECT DISTINCT annotator FROM annotations").fetchall()
        assert own == [("ani",)]
        changed = ani.execute(
            "UPDATE annotations SET status = 'skipped' WHERE annotator = 'budi' RETURNING 1"
        ).fetchall()
        assert changed == []  # another's rows are out of reach, as before the restore
        with pytest.raises(pg_errors.InsufficientPrivilege):
            ani.execute("SELECT count(*) FROM gold")
    with people.admin(autocommit=True) as conn:  # pg_restore leaves the database's rights out
        conn.execute("CREATE ROLE stranger LOGIN PASSWORD 'not-a-secret'")
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        psycopg.connect(people.url_for("stranger"), password="not-a-secret").close()

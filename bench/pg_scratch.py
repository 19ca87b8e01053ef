"""A scratch database for the server benchmarks, dropped when they end.

On the server ``ANNOTATOR_TEST_PG`` names, or on a throwaway cluster started for the run
(``scripts/test-postgres.sh``, stopped at the end). The database, the project's two group roles
and the roles the benchmark names are dropped when the ``with`` block ends, failed or not; so
is the scratch folder it gets (``Scratch.work``).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "test-postgres.sh"


@dataclass(frozen=True)
class Scratch:
    """Where the benchmark works: the cluster's superuser URL, the same on the scratch
    database, the database's name, the superuser URL's parts and a scratch folder."""

    admin_url: str
    db_admin: str
    dbname: str
    params: dict[str, Any]
    work: Path

    def login_url(self, role: str) -> str:
        """The scratch database for ``role``, over TCP as a team's desktops connect."""
        host = self.params.get("host", "")
        host = "127.0.0.1" if not host or str(host).startswith("/") else host
        return f"postgresql://{role}@{host}:{self.params.get('port', 5432)}/{self.dbname}"


@contextmanager
def scratch_database(kind: str, roles: Sequence[str] = ()) -> Iterator[Scratch]:
    """A new database ``bench_<kind>_<pid>``; ``roles`` are dropped with it at the end."""
    admin_url = os.environ.get("ANNOTATOR_TEST_PG")
    cluster = None
    if not admin_url:
        out = subprocess.run(
            ["bash", str(SCRIPT), "start"], capture_output=True, text=True, check=True
        ).stdout
        found = dict(line.removeprefix("export ").split("=", 1) for line in out.splitlines())
        admin_url = shlex.split(found["ANNOTATOR_TEST_PG"])[0]
        cluster = shlex.split(found["ANNOTATOR_TEST_PG_DIR"])[0]
    params = conninfo_to_dict(admin_url)
    dbname = f"bench_{kind}_{os.getpid()}"
    db_admin = admin_url.replace(f"/{params.get('dbname', 'postgres')}?", f"/{dbname}?", 1)
    work = Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    try:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
        try:
            yield Scratch(admin_url, db_admin, dbname, params, work)
        finally:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(dbname)
                    )
                )
                for role in (*roles, f"{dbname}_leads", f"{dbname}_annotators"):
                    conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if cluster:
            subprocess.run(["bash", str(SCRIPT), "stop", cluster], check=False)

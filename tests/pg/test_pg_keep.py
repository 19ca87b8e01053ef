"""``annotator keep URL`` (decision 0109): a lead's service that keeps the agreement parts of
finished documents and the state of the lead's report on the server while no lead's window
is open. ``--once`` catches up and keeps the state: every part is kept for the present
versions and the first report on a fresh lead's desktop starts from the state and is the
report computed afresh. Run as a service, it keeps the parts of documents finished while it
runs, goes on after its server went away and came back, and stops on SIGTERM with exit 0.
An annotator and a folder project are refused."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import psycopg
import pytest
from _pg_helpers import PgDb, Server, cluster_script, news_project
from psycopg import sql
from test_pg_bulk_state import first_report_elsewhere
from test_pg_keeper import done_pairs, kept
from test_pg_link import WAIT

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from _team_corpus import fill

from annotator.cli import main
from annotator.core.edit import AddSpan, SetStatus
from annotator.core.model import Document
from annotator.core.pg.store import PgProject, open_pg_project
from annotator.core.project import Project
from annotator.core.tokens import Snap


@pytest.fixture
def worked(pg_project: PgDb, tmp_path: Path, desktop: Path) -> Iterator[PgProject]:
    """Three annotators' work sent through the store (no gold: the lead's report is then made
    from kept parts); no lead's window ever opened, so no part is kept."""
    project = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / "annotators")
    fill(project, gold=False)
    assert not kept(pg_project)
    yield project
    project.close()


def test_once_keeps_every_part_and_the_first_report_starts_from_its_state(
    worked: PgProject, pg_project: PgDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keep", pg_project.admin_url, "--once"]) == 0
    out = capsys.readouterr().out.splitlines()
    pairs = done_pairs(worked)
    assert len(out) == 1
    assert out[0].startswith(f"parts: {len(worked.documents.ids):,} documents, {len(pairs):,} ")
    assert "; report state shared in " in out[0]
    assert set(kept(pg_project)) == pairs
    first_report_elsewhere(pg_project, tmp_path)  # parts forgotten: none computed again
    assert main(["keep", pg_project.admin_url, "--once"]) == 0
    assert ", 0 parts kept in " not in capsys.readouterr().out, "the parts were forgotten"
    assert main(["keep", pg_project.admin_url, "--once"]) == 0
    assert ", 0 parts kept in " in capsys.readouterr().out, "nothing changed, nothing computed"


def _finish(project: PgProject, name: str, other: str) -> str:
    """``name`` finishes a document ``other`` finished and ``name`` had not; its id."""
    with project.session(other, read_only=True) as them, project.session(name) as me:
        doc = next(
            d for d in project.documents.ids
            if them.status(d) == "done" and me.status(d) != "done"
        )  # fmt: skip
        text = project.documents.get(doc).text
        me.apply(AddSpan(doc, 0, text.index(" "), "PERSON", Snap.EXACT))
        me.apply(SetStatus(doc, "done", seconds=3.0))
        assert me.wait_synced(WAIT), me.sync_error
    return doc


def test_the_service_keeps_what_is_finished_while_it_runs_and_stops_on_sigterm(
    worked: PgProject, pg_project: PgDb, tmp_path: Path
) -> None:
    service = Service(pg_project.admin_url, tmp_path / "lead")
    try:
        service.wait_count("listening", 1, "no listening")
        service.wait_count("parts: ", 1, "no catch-up")
        assert "; report state shared in " in service.lines[-1]
        assert set(kept(pg_project)) == done_pairs(worked)
        mark = len(service.lines)
        doc = _finish(worked, "budi", "ani")
        service.wait_parts_after(mark, "no part kept after the document was finished")
        assert ("ani", "budi", doc) in kept(pg_project)
        # once quiet the state is made again: a lead's first report starts from it
        service.wait_count("report state shared", 1, "no state once quiet")
        assert set(kept(pg_project)) == done_pairs(worked)
        first_report_elsewhere(pg_project, tmp_path)
    finally:
        code, err = service.stop()
    assert code == 0, err
    assert "Traceback" not in err
    assert service.count("parts: ") >= 2


def test_the_service_catches_up_on_what_was_finished_while_it_heard_nothing(
    worked: PgProject, pg_project: PgDb, tmp_path: Path
) -> None:
    """The server's notices sent while the listener is away are lost: once it listens again
    the keeper catches up over the whole project. Here two annotators finish a document
    while every connection of the service is cut and none may be made again."""
    with (
        worked.session("ani", read_only=True) as ani,
        worked.session("budi", read_only=True) as budi,
    ):
        doc = next(
            d for d in worked.documents.ids
            if ani.annotation(d) is not None and budi.annotation(d) is not None
            and "done" not in (ani.status(d), budi.status(d))
        )  # fmt: skip
    service = Service(pg_project.admin_url, tmp_path / "lead")
    gate = sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS {}")
    name = sql.Identifier(pg_project.name)
    try:
        service.wait_count("listening", 1, "no listening")
        service.wait_count("parts: ", 1, "no catch-up")
        assert set(kept(pg_project)) == done_pairs(worked)
        mark = len(service.lines)
        with (
            pg_project.admin(autocommit=True) as writer,
            psycopg.connect(pg_project.server.admin_url, autocommit=True) as admin,
        ):
            admin.execute(gate.format(name, sql.SQL("false")))
            try:
                gone = writer.execute(
                    "SELECT bool_and(pg_terminate_backend(pid, 30000)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchone()
                assert gone == (True,), "the service's connections are still there"
                writer.execute(
                    "UPDATE annotations SET status = 'done' WHERE document_id = %s"
                    " AND annotator IN ('ani', 'budi')",
                    (doc,),
                )  # its notice goes to nobody
                assert service.count("listening") == 1
            finally:
                admin.execute(gate.format(name, sql.SQL("true")))
        service.wait_count("listening", 2, "not listening again")
        service.wait_parts_after(mark, "nothing caught up after listening again")
        assert ("ani", "budi", doc) in kept(pg_project)
    finally:
        code, err = service.stop()
    assert code == 0, err
    assert "Traceback" not in err


_SOME_PARTS = re.compile(r"parts: [\d,]+ documents?, [1-9][\d,]* parts? kept")


class Service:
    """``annotator keep URL [ARGS]`` in a process of its own; its output lines (``lines``,
    and ``errors`` of standard error) as they come."""

    def __init__(self, url: str, desktop: Path, *args: str) -> None:
        env = dict(os.environ, ANNOTATOR_DATA=str(desktop), XDG_DATA_HOME=str(desktop))
        self.child = subprocess.Popen(
            [sys.executable, "-m", "annotator", "keep", url, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        self.errors: list[str] = []
        self._came = threading.Condition()
        assert self.child.stdout is not None
        assert self.child.stderr is not None
        self._readers = [
            threading.Thread(target=self._read, args=(stream, into), daemon=True)
            for stream, into in ((self.child.stdout, self.lines), (self.child.stderr, self.errors))
        ]
        for reader in self._readers:
            reader.start()

    def _read(self, stream: IO[str], into: list[str]) -> None:
        for line in stream:
            with self._came:
                into.append(line)
                self._came.notify_all()

    def count(self, start: str) -> int:
        return sum(line.startswith(start) for line in list(self.lines))

    def wait_count(self, start: str, n: int, what: str) -> None:
        """Wait (woken by each line the service prints) until ``n`` lines start with
        ``start``; fails with ``what`` after WAIT."""
        with self._came:
            assert self._came.wait_for(lambda: self.count(start) == n, WAIT), what

    def wait_parts_after(self, mark: int, what: str) -> None:
        """Wait until a computing printed after line ``mark`` kept at least one part (its
        parts are written before its line is printed)."""
        with self._came:
            assert self._came.wait_for(
                lambda: any(_SOME_PARTS.match(line) for line in self.lines[mark:]), WAIT
            ), what

    def wait_error(self, part: str, what: str) -> None:
        """Wait (woken by each line) until a line of standard error holds ``part``."""
        with self._came:
            assert self._came.wait_for(lambda: any(part in e for e in self.errors), WAIT), what

    def ended(self) -> tuple[int, str]:
        """Wait for the process to end by itself; the exit code and standard error."""
        code = self.child.wait(WAIT)
        for reader in self._readers:
            reader.join(WAIT)
        assert self.child.stdout is not None
        assert self.child.stderr is not None
        self.child.stdout.close()
        self.child.stderr.close()
        return code, "".join(self.errors)

    def stop(self) -> tuple[int, str]:
        """SIGTERM; the exit code and standard error."""
        if self.child.poll() is None:
            self.child.send_signal(signal.SIGTERM)
        return self.ended()


def test_the_service_goes_on_after_its_server_went_away(
    cluster: tuple[Server, str], tmp_path: Path
) -> None:
    server, folder = cluster
    text = "Banjir besar di Medan kemarin sore."
    db = news_project(server, f"k{os.getpid()}", *(Document(id=f"d{i}", text=text) for i in (1, 2)))
    service = Service(db.admin_url, tmp_path / "lead")
    try:
        service.wait_count("listening", 1, "no listening")
        service.wait_count("parts: ", 1, "no catch-up")
        cluster_script("crash", folder)
        cluster_script("resume", folder)
        service.wait_count("listening", 2, "not listening again")
        mark = len(service.lines)
        project = open_pg_project(db.admin_url, cache_dir=tmp_path / "annotators")
        try:
            for name in ("ani", "budi"):
                with project.session(name) as session:
                    session.apply(AddSpan("d1", 0, 6, "PERSON", Snap.EXACT))
                    session.apply(SetStatus("d1", "done", seconds=2.0))
                    assert session.wait_synced(WAIT), session.sync_error
        finally:
            project.close()
        service.wait_parts_after(mark, "no part kept after the server came back")
        assert ("ani", "budi", "d1") in kept(db)
        service.wait_count("report state shared", 1, "the state kept again")
    finally:
        code, err = service.stop()
    assert code == 0, err
    assert "Traceback" not in err
    assert "trying again" in err


def test_an_annotator_is_refused(
    pg_project: PgDb,
    desktop: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PGPASSWORD", pg_project.add_person("ani", "annotator"))
    assert main(["keep", pg_project.url_for("ani"), "--once"]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert len(out.err.splitlines()) == 1
    assert "keep runs as a lead; ani is an annotator" in out.err


def test_a_folder_project_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = Project.init(tmp_path / "news", "news")
    assert main(["keep", str(folder.root)]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert len(out.err.splitlines()) == 1
    assert "keep works on a server project (postgresql://...)" in out.err

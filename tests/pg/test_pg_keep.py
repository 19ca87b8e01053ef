"""``annotator keep URL`` (decision 0109): a lead's service that keeps the agreement parts of
finished documents and the state of the lead's report on the server while no lead's window
is open. ``--once`` catches up and keeps the state: every part is kept for the present
versions and the first report on a fresh lead's desktop starts from the state and is the
report computed afresh. Run as a service, it keeps the parts of documents finished while it
runs and stops on SIGTERM with exit 0. An annotator and a folder project are refused."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from _pg_helpers import PgDb
from test_pg_bulk_state import first_report_elsewhere
from test_pg_keeper import done_pairs, kept
from test_pg_link import WAIT, until

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from _team_corpus import fill

from annotator.cli import main
from annotator.core.edit import AddSpan, SetStatus
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
    env = dict(os.environ, ANNOTATOR_DATA=str(tmp_path / "lead"), XDG_DATA_HOME=str(tmp_path))
    child = subprocess.Popen(
        [sys.executable, "-m", "annotator", "keep", pg_project.admin_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: list[str] = []
    assert child.stdout is not None
    reader = threading.Thread(target=lambda: lines.extend(child.stdout or []), daemon=True)
    reader.start()
    try:
        until(lambda: any(line.startswith("listening") for line in lines), "no listening")
        until(lambda: any("report state shared" in line for line in lines), "no catch-up")
        until(lambda: set(kept(pg_project)) == done_pairs(worked), "the catch-up kept all")
        doc = _finish(worked, "budi", "ani")
        until(lambda: ("ani", "budi", doc) in kept(pg_project), "the finished one kept")
        # once quiet the state is made again: a lead's first report starts from it
        until(lambda: sum("report state shared" in line for line in lines) >= 2, "no state")
        assert set(kept(pg_project)) == done_pairs(worked)
        first_report_elsewhere(pg_project, tmp_path)
    finally:
        child.send_signal(signal.SIGTERM)
        code = child.wait(WAIT)
        reader.join(WAIT)
    assert child.stderr is not None
    err = child.stderr.read()
    child.stdout.close()
    child.stderr.close()
    assert code == 0, err
    assert "Traceback" not in err
    assert sum(line.startswith("parts: ") for line in lines) >= 2


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

"""Annotation rows with malformed spans, written by an annotator with plain SQL (their
row-level policies let them) or by the admin: no command ends in a traceback (decision 0115).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from _pg_helpers import PgDb
from _pg_window import WAIT_MS, action, open_url
from psycopg import errors as pg_errors
from psycopg.types.json import Json
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from _team_corpus import fill

from annotator.cli import main
from annotator.core.agreement.loading import load_corpus
from annotator.core.agreement.report import agreement_report, report_json
from annotator.core.pg import parts
from annotator.core.pg.store import open_pg_project
from annotator.core.project import Project

# span lists a script could write; each one malformed in its own way
BAD = [
    [{"start": 0, "end": 3}],  # no label
    [{"label": "CITY", "end": 3}],  # no start
    ["oops", [0, 3, "CITY"]],  # not objects: a string, a list
    [{"start": "0", "end": "3", "label": "CITY"}],  # offsets as strings
    [{"start": 0.0, "end": 3.5, "label": "CITY"}],  # offsets as floats
    [{"start": 0, "end": 3, "label": None}],  # a label that is no string
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _make_bad(pg_db: PgDb, tmp_path: Path, gold: bool) -> list[str]:
    """A pushed team project where ani wrote malformed spans, with plain SQL as themself,
    into done rows of documents others also finished (and, with ``gold``, the admin wrote a
    gold row without offsets); returns the documents ani made bad."""
    folder = Project.init(tmp_path / "news", "news")
    fill(folder, gold=gold)
    assert main(["push", str(folder.root), pg_db.admin_url]) == 0
    pg_db.add_person("ani", "annotator")
    with pg_db.admin() as conn:
        shared = [
            r[0]
            for r in conn.execute(
                "SELECT a.document_id FROM annotations a JOIN assignments s ON s.project_id ="
                " a.project_id AND s.document_id = a.document_id AND s.annotator = 'ani'"
                " WHERE a.status = 'done' GROUP BY 1"
                " HAVING count(*) > 1 AND bool_or(a.annotator = 'ani') ORDER BY 1"
            ).fetchall()
        ]
    assert len(shared) >= len(BAD)
    docs = shared[: len(BAD)]
    write_bad(pg_db, docs, BAD)
    if gold:
        with pg_db.admin() as conn:
            conn.execute(
                "UPDATE gold SET spans = %s WHERE document_id = 'doc-000'",
                (Json([{"label": "CITY"}]),),
            )
            conn.commit()
    return docs


def write_bad(pg_db: PgDb, docs: list[str], shapes: list[Any]) -> None:
    """ani's rows of ``docs`` given the malformed ``shapes``, written as ani."""
    with pg_db.connect_as("ani") as ani:
        for doc, spans in zip(docs, shapes, strict=True):
            ani.execute(
                "UPDATE annotations SET spans = %s, revision = revision + 1"
                " WHERE annotator = 'ani' AND document_id = %s",
                (Json(spans), doc),
            )


def test_spans_that_are_no_list_are_refused_by_the_server(
    pg_db: PgDb, tmp_path: Path, desktop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = _make_bad(pg_db, tmp_path, gold=False)
    with (
        pg_db.connect_as("ani") as ani,
        pytest.raises((pg_errors.CheckViolation, pg_errors.InvalidParameterValue)),
    ):
        ani.execute(
            "UPDATE annotations SET spans = %s WHERE annotator = 'ani' AND document_id = %s",
            (Json({"start": 0, "end": 3, "label": "CITY"}), docs[0]),
        )


def _one_line_each(err: str, messages: int) -> None:
    """Standard error holds exactly ``messages`` messages, each one line of the app's own
    (no traceback, no continued line)."""
    lines = err.splitlines()
    assert len(lines) == messages, err
    assert all(line.startswith(("annotator: ", "annotator keep: ")) for line in lines), err


def test_every_command_on_bad_rows_reports_them_in_lines(
    pg_db: PgDb, tmp_path: Path, desktop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = _make_bad(pg_db, tmp_path, gold=True)
    url = pg_db.admin_url
    named = [f"server project, annotator ani, document {d}: " for d in docs]
    named.append("server project, annotator gold, document doc-000: ")

    code, out, err = run(capsys, "agreement", url)
    assert code == 0, err
    _one_line_each(err, 0)
    for doc in docs:  # each bad span excluded with a warning naming annotator and document
        assert f"(ani, {doc}): span " in out, doc
    code, out, err = run(capsys, "agreement", url, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["documents"]["compared"] >= 5
    assert sum(f"(ani, {d}): span " in w for w in report["warnings"] for d in docs) == 7

    for command, plan_warnings in (("stats", 0), ("progress", 3)):
        code, out, err = run(capsys, command, url)
        assert code == 0, err
        _one_line_each(err, plan_warnings)  # progress: three annotators' records outside the plan
        assert err.count(" documents not assigned to them\n") == plan_warnings

    code, out, err = run(capsys, "validate", url)
    assert code == 1
    assert "Traceback" not in err
    assert "7 problems" in out
    for line in named:
        assert err.count(line) == 1, line
    assert f"{named[0]}spans.0.label: Field required" in err
    assert f"{named[2]}spans.0: Input should be a valid dictionary" in err

    for fmt in ("jsonl", "conll", "spacy", "hf"):
        code, out, err = run(capsys, "export", url, "--format", fmt, "--out", str(tmp_path / fmt))
        assert code == 0, err
        _one_line_each(err, 0)
        assert "1 unreadable line skipped (see 'annotator validate'):" in out
        assert f"  {named[-1]}spans.0.start: Field required" in out
    code, out, err = run(
        capsys, "export", url, "--source", "ani", "--format", "jsonl", "--out", str(tmp_path / "a")
    )
    assert code == 0, err
    for line in named[:-1]:
        assert out.count(f"  {line}") == 1, line

    snapshot = tmp_path / "snapshot"
    code, out, err = run(capsys, "pull", url, str(snapshot))
    assert code == 0, err
    _one_line_each(err, len(named))
    for line in named:
        assert err.count(f"annotator: warning: {line}") == 1, line
    assert err.count(": left out of the snapshot\n") == len(named)
    code, out, err = run(capsys, "validate", str(snapshot))
    assert code == 0, err

    code, out, err = run(capsys, "keep", url, "--once")
    assert code == 0, err
    _one_line_each(err, 0)


def _fresh(url: str, names: list[str]) -> dict[str, Any]:
    store = open_pg_project(url)
    try:
        return report_json(agreement_report(load_corpus(store, names), names))
    finally:
        store.close()


def _fast(url: str, names: list[str]) -> dict[str, Any] | None:
    store = open_pg_project(url)
    try:
        report = parts.fast_report(store, names)
        return None if report is None else report_json(report)
    finally:
        store.close()


def test_the_kept_parts_and_the_plain_path_agree_on_bad_rows(
    pg_db: PgDb, tmp_path: Path, desktop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = _make_bad(pg_db, tmp_path, gold=False)
    url, names = pg_db.admin_url, ["ani", "budi", "citra"]
    for turn in range(3):  # each document given another malformed shape, kept parts updated
        if turn:
            write_bad(pg_db, docs, BAD[turn:] + BAD[:turn])
        fresh = json.loads(json.dumps(_fresh(url, names)))
        assert sum(f"(ani, {d}): span " in w for w in fresh["warnings"] for d in docs) == 7
        capsys.readouterr()
        assert main(["agreement", url, "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == fresh, turn
        assert json.loads(json.dumps(_fast(url, names))) == fresh, turn
    code, _, err = run(capsys, "keep", url, "--once")
    assert code == 0, err
    _one_line_each(err, 0)


def test_the_leads_window_shows_the_report_and_its_warnings_on_bad_rows(
    qtbot: QtBot,
    pg_db: PgDb,
    tmp_path: Path,
    desktop: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from annotator.ui.review.progress_pane import ProgressPane
    from annotator.ui.review.review_data import ReviewData

    docs = _make_bad(pg_db, tmp_path, gold=False)
    monkeypatch.setenv("PGPASSWORD", pg_db.add_person("lea", "lead"))
    lead = open_url(qtbot, tmp_path / "lead", pg_db.url_for("lea"))
    action(lead, "review.agreement").trigger()
    data = lead.findChild(ReviewData, "review_data")
    assert data is not None
    qtbot.waitUntil(
        lambda: (data.report is not None or data.error is not None) and not data.busy,
        timeout=WAIT_MS,
    )
    assert data.error is None, data.error
    report = data.report
    assert report is not None
    assert report.documents_compared >= 5
    assert sum(f"(ani, {d}): span " in w for w in report.warnings for d in docs) == 7
    shown = lead.findChild(QLabel, "warnings_label")
    assert shown is not None
    qtbot.waitUntil(shown.isVisible, timeout=WAIT_MS)
    assert shown.text().startswith("7 data warnings")
    action(lead, "review.progress").trigger()
    pane = lead.findChild(ProgressPane, "progress_pane")
    assert pane is not None
    qtbot.waitUntil(lambda: pane.progress is not None, timeout=WAIT_MS)
    assert lead.isVisible()
    lead.close()

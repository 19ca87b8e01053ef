"""Push and import against a server that takes none of their edits (decision 0118).

Another client holds rows every edit of the command needs (a long transaction, a desktop
stuck mid-commit): the command waits ``ANNOTATOR_SEND_STALL`` seconds (2 here, 30 by default)
for an edit taken, then stops with one line and exit 1; what the server held is as it was;
the edits left are kept on the desktop, and the same command run again once the rows are let
go sends them, each applied once.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from _pg_helpers import PgDb

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from _team_corpus import fill

from annotator.cli import main
from annotator.core.edit import AddSpan
from annotator.core.model import Document
from annotator.core.pg import sender as pg_sender
from annotator.core.pg.connection import Timeouts
from annotator.core.pg.store import open_pg_project
from annotator.core.project import Project
from annotator.core.tokens import Snap
from annotator.core.transfer import STALL_SETTING, wait_sent

STALL = "2"
WAIT = 30.0  # generous: the tests wait for events, they never measure time
Key = tuple[str, str]  # annotator, document


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def rows(db: PgDb) -> dict[Key, tuple[Any, ...]]:
    """Every annotation the server holds (gold's too), as it holds it."""
    with db.admin(autocommit=True) as conn:
        got = conn.execute(
            "SELECT annotator, document_id, revision, spans::text, status, updated_at, seconds"
            " FROM annotations UNION ALL SELECT 'gold', document_id, revision, spans::text,"
            " status, updated_at, seconds FROM gold"
        ).fetchall()
    return {(r[0], r[1]): tuple(r[2:]) for r in got}


def applied(db: PgDb) -> Counter[Key]:
    """Edits the server applied, per annotation: a doubled edit would count twice."""
    with db.admin(autocommit=True) as conn:
        got = conn.execute(
            "SELECT annotator, document_id FROM edits WHERE outcome = 'applied'"
        ).fetchall()
    return Counter((str(a), str(d)) for a, d in got)


@pytest.fixture
def pushed(
    pg_db: PgDb, tmp_path: Path, desktop: Path, capsys: pytest.CaptureFixture[str]
) -> Project:
    """The team's folder project, pushed whole to a fresh database."""
    folder = Project.init(tmp_path / "news", "news")
    fill(folder)
    code, _, err = run(capsys, "push", str(folder.root), pg_db.admin_url)
    assert code == 0, err
    return folder


def more_work(folder: Project, names: tuple[str, ...], per_name: int = 4) -> set[Key]:
    """Each of ``names`` labels one more word of ``per_name`` documents they annotated, in
    the folder; the annotations changed."""
    changed: set[Key] = set()
    for name in names:
        session = folder.session(name)
        try:
            docs = [d for d in folder.documents.ids if session.annotation(d) is not None]
            for doc in docs[:per_name]:
                text = folder.documents.get(doc).text
                start = text.rindex(" ") + 1
                session.apply(AddSpan(doc, start, len(text) - 1, "CITY", Snap.EXACT))
                changed.add((name, doc))
        finally:
            session.close()
    return changed


def the_stall_line(err: str, name: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"annotator: {name}: "), err
    assert re.search(rf": \d+ edits? not taken by the server in {STALL} s", lines[0]), err
    assert lines[0].endswith(
        "they are kept on this computer and sent by the annotator's next session here"
        " (the same command run again)"
    )
    assert "Traceback" not in err


def test_a_push_the_server_takes_nothing_of_stops_in_one_line_and_its_edits_go_once_later(
    pushed: Project,
    pg_db: PgDb,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    changed = more_work(pushed, ("ani", "budi"))
    before, edits_before = rows(pg_db), applied(pg_db)
    monkeypatch.setenv(STALL_SETTING, STALL)
    with pg_db.admin() as holder:
        # every desktop's place in the edit log, held: each edit waits for it
        holder.execute("SELECT 1 FROM clients FOR UPDATE")
        code, _, err = run(capsys, "push", str(pushed.root), pg_db.admin_url)
        assert code == 1
        the_stall_line(err, "ani")
        assert rows(pg_db) == before, "the server's rows changed"
        holder.rollback()
    code, _, err = run(capsys, "push", str(pushed.root), pg_db.admin_url)
    assert code == 0, err
    after = rows(pg_db)
    assert {k for k in after if after[k] != before.get(k)} == changed
    assert all(after[k][0] == before[k][0] + 1 for k in changed), "an edit applied twice"
    assert applied(pg_db) - edits_before == Counter(changed)
    for name, doc in changed:
        held = json.loads(after[name, doc][1])
        ann = pushed.annotation(name, doc)
        assert ann is not None
        assert len(held) == len(ann.spans)


def test_an_import_the_server_takes_nothing_of_stops_in_one_line_and_its_edits_go_once_later(
    pushed: Project,
    pg_db: PgDb,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = tmp_path / "dewi.jsonl"
    chosen = {}
    for doc in pushed.documents.ids:
        text = pushed.documents.get(doc).text
        if "\r" not in text and unicodedata.is_normalized("NFC", text):
            chosen[doc] = text
    records = [
        {"id": d, "text": t, "label": [[0, t.index(" "), "CITY"]]} for d, t in chosen.items()
    ][:6]
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    docs = [str(r["id"]) for r in records]
    before, edits_before = rows(pg_db), applied(pg_db)
    monkeypatch.setenv(STALL_SETTING, STALL)
    with pg_db.admin() as holder:
        # the documents' rows, held: a new annotation of one waits for its document
        holder.execute("SELECT 1 FROM documents WHERE id = ANY(%s) FOR UPDATE", (docs,))
        code, _, err = run(capsys, "import", pg_db.admin_url, str(source), "--annotator", "dewi")
        assert code == 1
        the_stall_line(err, "dewi")
        assert rows(pg_db) == before, "the server's rows changed"
        holder.rollback()
    code, _, err = run(capsys, "import", pg_db.admin_url, str(source), "--annotator", "dewi")
    assert code == 0, err
    after = rows(pg_db)
    assert {k for k in after if after[k] != before.get(k)} == {("dewi", d) for d in docs}
    assert all(after["dewi", d][0] == 1 for d in docs), "an edit applied twice"
    assert applied(pg_db) - edits_before == Counter(("dewi", d) for d in docs)


@pytest.mark.parametrize("value", ["0", "-3", "soon", "nan", "inf"])
def test_a_stall_setting_that_is_no_number_of_seconds_is_refused_before_anything_is_written(
    pg_db: PgDb,
    tmp_path: Path,
    desktop: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    value: str,
) -> None:
    folder = Project.init(tmp_path / "news", "news")
    fill(folder)
    monkeypatch.setenv(STALL_SETTING, value)
    code, out, err = run(capsys, "push", str(folder.root), pg_db.admin_url)
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        f"annotator: {STALL_SETTING}={value!r}: not a number of seconds above 0 (by default"
        " 30: how long push and import wait for a server that takes none of their edits)"
    ]
    with pg_db.admin(autocommit=True) as conn:
        found = conn.execute(
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'annotator'"
        ).fetchone()
    assert found == (0,), "the server was written to"


def test_a_bulk_write_waits_on_while_the_server_takes_its_edits_however_slowly(
    pg_project: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``wait_sent`` stops only after a whole stall with no edit taken: one edit per stall
    is slow, not stopped. Each edit is its own batch here, the first held up by a lock on
    its document's row and the second by another; each lock is let go as a wait begins, so
    each wait sees one edit taken and ends without all of them."""
    monkeypatch.setattr(pg_sender, "BATCH", 1)
    text = "Wali Kota Medan 😀 meresmikan Kartu Prakerja di Medan.\r\nSelesai."
    pg_project.add_documents(Document(id="d1", text=text), Document(id="d2", text=text))
    monkeypatch.setenv("PGPASSWORD", pg_project.add_person("ani", "annotator"))
    limits = Timeouts(lock=60.0, statement=60.0, answer=90.0)
    project = open_pg_project(pg_project.url_for("ani"), cache_dir=tmp_path / "d", timeouts=limits)
    session = project.session("ani")
    try:
        at = text.index("Medan")
        session.apply_many([AddSpan(d, at, at + 5, "CITY") for d in ("d1", "d2")])
        assert session.wait_synced(WAIT), session.sync_error
        holders = [pg_project.admin(), pg_project.admin()]
        for holder, doc in zip(holders, ("d1", "d2"), strict=True):
            holder.execute(
                "SELECT 1 FROM annotations WHERE annotator = 'ani' AND document_id = %s FOR UPDATE",
                (doc,),
            )
        at = text.index("Kartu Prakerja")
        session.apply_many([AddSpan(d, at, at + 14, "PROGRAM") for d in ("d1", "d2")])
        waits: list[bool] = []
        real = session.wait_synced

        def wait_synced(timeout: float) -> bool:  # the server takes one more edit
            if len(waits) < len(holders):
                holders[len(waits)].rollback()
            waits.append(real(timeout))
            return waits[-1]

        monkeypatch.setattr(session, "wait_synced", wait_synced)
        wait_sent(session, 5.0)  # a stall as long as a loaded machine could need
        assert waits == [False, True], "the server took every edit in one stall"
        for holder in holders:
            holder.close()
        assert session.save_state.unsynced == 0
    finally:
        session.close()
        project.close()

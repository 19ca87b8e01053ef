"""A desktop whose server is restored from a backup older than what it confirmed (decision 0122).

The server is dumped with ``pg_dump -Fc``, edits go on and are confirmed (the outbox emptied),
then the database is restored from the dump in place, as docs/server-operations.md says. The
desktop that connects again must show and send again what the server had confirmed to it, and
what its outbox still held; a change another desktop of the person made on the restored server
is a conflict, both versions kept.
"""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from _pg_helpers import PgDb, run_program
from _pg_window import WAIT_MS, label, open_url
from psycopg import sql
from pytestqt.qtbot import QtBot

from annotator.cli import main
from annotator.core.edit import AddSpan, SetStatus
from annotator.core.model import Annotation, Document
from annotator.core.pg import restored
from annotator.core.pg.session import PgSession
from annotator.core.pg.store import PgProject, open_pg_project

WAIT = 60.0  # generous: the tests wait for the server's answers, they never measure time
TEXTS = {
    "d1": "Gubernur Anies Baswedan di Jakarta 😀 pada Senin.",
    "d2": "Kartu Prakerja\r\ndibagikan di Surabaya.",
    "d3": "Cafe\u0301 milik Sri Mulyani di Bandung.",
    "d4": "Warga Makassar menghadiri program BPJS Kesehatan.",
}


@pytest.fixture
def team(pg_project: PgDb, monkeypatch: pytest.MonkeyPatch) -> PgDb:
    pg_project.add_documents(*(Document(id=k, text=v) for k, v in TEXTS.items()))
    monkeypatch.setenv("PGPASSWORD", pg_project.add_person("ani", "annotator"))
    return pg_project


def mark(session: PgSession, doc_id: str, word: str, label: str) -> None:
    start = TEXTS[doc_id].index(word)
    session.apply(AddSpan(doc_id, start, start + len(word), label))


def open_desktop(db: PgDb, folder: Path | None) -> tuple[PgProject, PgSession]:
    project = open_pg_project(db.url_for("ani"), cache_dir=folder)
    return project, project.session("ani")


def dump(db: PgDb, path: Path) -> None:
    run_program(db.server, "pg_dump", "-Fc", "-d", db.name, "-f", str(path))


def restore(db: PgDb, path: Path) -> None:
    """The database lost and restored under its name from ``path``, as the page says."""
    drop(db)
    run_program(db.server, "createdb", db.name)
    run_program(db.server, "pg_restore", "-d", db.name, str(path))
    assert main(["init", db.admin_url]) == 0


def drop(db: PgDb) -> None:
    with psycopg.connect(db.server.admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(db.name)))


def on_server(db: PgDb, folder: Path) -> dict[str, Annotation | None]:
    """ani's annotations as the restored server holds them, read by the lead."""
    lead = open_pg_project(db.admin_url, cache_dir=folder)
    try:
        return {d: lead.annotation("ani", d) for d in TEXTS}
    finally:
        lead.close()


def test_edits_confirmed_after_the_backup_are_sent_again(team: PgDb, tmp_path: Path) -> None:
    project, ani = open_desktop(team, tmp_path / "laptop")
    mark(ani, "d1", "Anies Baswedan", "PERSON")
    mark(ani, "d2", "Surabaya", "CITY")
    assert ani.wait_synced(WAIT)
    ani.save()
    dump(team, tmp_path / "news.dump")
    mark(ani, "d2", "Kartu Prakerja", "PROGRAM")  # confirmed after the backup
    mark(ani, "d3", "Bandung", "CITY")
    ani.set_status("d3", "done", seconds=12.5)
    mine = {d: ani.annotation(d) for d in TEXTS}
    assert ani.wait_synced(WAIT)
    ani.close()  # every edit confirmed: the outbox is emptied
    project.close()
    assert (tmp_path / "laptop" / "ani.outbox").read_bytes() == b""

    restore(team, tmp_path / "news.dump")
    assert on_server(team, tmp_path / "lead-before")["d3"] is None  # the backup's state

    project, ani = open_desktop(team, tmp_path / "laptop")
    try:
        assert {d: ani.annotation(d) for d in TEXTS} == mine
        assert ani.resent == 2
        assert "ani: the server was restored from a backup: 2 edits sent again" in (
            project.warnings
        )
        assert ani.wait_synced(WAIT)
        assert ani.save_state.conflicts == 0
        mark(ani, "d4", "Makassar", "CITY")  # and editing goes on as before
        assert ani.wait_synced(WAIT)
        mine["d4"] = ani.annotation("d4")
    finally:
        ani.close()
        project.close()
    assert on_server(team, tmp_path / "lead") == mine
    project, ani = open_desktop(team, tmp_path / "laptop")  # once only: the server knows it now
    try:
        assert ani.resent == 0
        assert not any("restored" in w for w in project.warnings)
    finally:
        ani.close()
        project.close()


def test_edits_unsent_at_the_restore_are_sent_on_the_restored_server(
    team: PgDb, tmp_path: Path
) -> None:
    project, ani = open_desktop(team, tmp_path / "laptop")
    mark(ani, "d1", "Jakarta", "CITY")
    assert ani.wait_synced(WAIT)
    ani.save()
    dump(team, tmp_path / "news.dump")
    mark(ani, "d1", "Anies Baswedan", "PERSON")  # confirmed after the backup
    assert ani.wait_synced(WAIT)
    ani.save()
    for doc_id in TEXTS:  # the texts read, as a window reads its next documents
        project.documents.get(doc_id)
    drop(team)  # the server is lost; the person goes on annotating
    mark(ani, "d2", "Surabaya", "CITY")
    ani.apply(SetStatus("d1", "done", seconds=3.0))
    mine = {d: ani.annotation(d) for d in TEXTS}
    ani.crash()  # the window closed with the edits still in the outbox
    project.close()

    run_program(team.server, "createdb", team.name)
    run_program(team.server, "pg_restore", "-d", team.name, str(tmp_path / "news.dump"))
    project, ani = open_desktop(team, tmp_path / "laptop")
    try:
        assert {d: ani.annotation(d) for d in TEXTS} == mine
        assert ani.resent == 2  # d1's latest state and d2's
        assert ani.wait_synced(WAIT)
        assert ani.save_state.conflicts == 0
    finally:
        ani.close()
        project.close()
    assert on_server(team, tmp_path / "lead") == mine


def test_another_desktops_change_on_the_restored_server_is_a_conflict(
    team: PgDb, tmp_path: Path
) -> None:
    project, ani = open_desktop(team, tmp_path / "laptop")
    mark(ani, "d3", "Sri Mulyani", "PERSON")
    assert ani.wait_synced(WAIT)
    ani.save()
    dump(team, tmp_path / "news.dump")
    mark(ani, "d2", "Surabaya", "CITY")  # both confirmed after the backup
    mark(ani, "d3", "Bandung", "CITY")
    mine = {d: ani.annotation(d) for d in TEXTS}
    assert ani.wait_synced(WAIT)
    ani.close()
    project.close()
    restore(team, tmp_path / "news.dump")

    office, there = open_desktop(team, tmp_path / "office")  # the same person, another desktop
    try:
        there.set_status("d3", "skipped")
        theirs = there.annotation("d3")
        assert there.wait_synced(WAIT)
    finally:
        there.close()
        office.close()

    project, ani = open_desktop(team, tmp_path / "laptop")
    try:
        assert ani.resent == 2
        assert ani.wait_synced(WAIT)
        assert ani.annotation("d3") == mine["d3"]  # this desktop still shows its own
        assert ani.save_state.conflicts == 1
        (conflict,) = ani.conflicts()
        assert (conflict.doc_id, conflict.theirs, conflict.mine) == ("d3", theirs, mine["d3"])
    finally:
        ani.close()
        project.close()
    held = on_server(team, tmp_path / "lead")
    assert held["d2"] == mine["d2"]
    assert held["d3"] == theirs


def test_the_window_says_the_server_was_restored(
    qtbot: QtBot, team: PgDb, tmp_path: Path, desktop: Path
) -> None:
    project, ani = open_desktop(team, None)  # the window's own folder on this desktop
    mark(ani, "d1", "Jakarta", "CITY")
    assert ani.wait_synced(WAIT)
    ani.save()
    dump(team, tmp_path / "news.dump")
    mark(ani, "d1", "Anies Baswedan", "PERSON")
    assert ani.wait_synced(WAIT)
    mine = ani.annotation("d1")
    ani.close()
    project.close()
    restore(team, tmp_path / "news.dump")

    window = open_url(qtbot, tmp_path, team.url_for("ani"))
    try:
        assert window.notice.isVisible()
        assert window.notice.text() == "The server was restored from a backup: edits sent again: 1."
        assert window.work.store.annotation("d1") == mine
    finally:
        window.close()


def test_a_command_says_the_server_was_restored(
    team: PgDb, tmp_path: Path, desktop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def imported(doc_id: str, word: str, *extra: str) -> str:
        start = TEXTS[doc_id].index(word)
        label = [[start, start + len(word), "CITY"]]
        record = {"id": doc_id, "text": TEXTS[doc_id], "label": label}
        path = tmp_path / f"{doc_id}-{word}.jsonl"
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        capsys.readouterr()
        assert main(["import", team.admin_url, str(path), "--annotator", "ani", *extra]) == 0
        return capsys.readouterr().err

    imported("d1", "Jakarta")  # the lead's desktop writes ani's annotations
    dump(team, tmp_path / "news.dump")
    imported("d4", "Makassar")  # confirmed after the backup
    restore(team, tmp_path / "news.dump")
    said = imported("d1", "Anies", "--overwrite")
    assert "annotator: ani: the server was restored from a backup: 1 edit sent again\n" in said
    held = on_server(team, tmp_path / "lead")
    assert [d for d, ann in held.items() if ann is not None] == ["d1", "d4"]


def test_a_crash_while_sending_again_loses_nothing_and_reuses_no_number(
    team: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, ani = open_desktop(team, tmp_path / "laptop")
    mark(ani, "d1", "Jakarta", "CITY")
    assert ani.wait_synced(WAIT)
    ani.save()
    dump(team, tmp_path / "news.dump")
    mark(ani, "d2", "Surabaya", "CITY")
    mark(ani, "d3", "Bandung", "CITY")
    mine = {d: ani.annotation(d) for d in TEXTS}
    assert ani.wait_synced(WAIT)
    ani.close()
    project.close()
    restore(team, tmp_path / "news.dump")

    def power_cut(*_args: object) -> None:
        raise RuntimeError("power cut")  # after the outbox was replaced, before the server skips

    project = open_pg_project(team.url_for("ani"), cache_dir=tmp_path / "laptop")
    with monkeypatch.context() as cut:
        cut.setattr(restored, "_step_over", power_cut)
        with pytest.raises(RuntimeError, match="power cut"):
            project.session("ani")
    project.close()

    project, ani = open_desktop(team, tmp_path / "laptop")
    try:
        assert ani.resent == 2
        assert {d: ani.annotation(d) for d in TEXTS} == mine
        assert ani.wait_synced(WAIT)
    finally:
        ani.close()
        project.close()
    assert on_server(team, tmp_path / "lead") == mine
    with team.admin(autocommit=True) as conn:
        seqs = [r[0] for r in conn.execute("SELECT seq FROM edits ORDER BY seq").fetchall()]
        (last,) = conn.execute("SELECT last_seq FROM clients").fetchone() or (0,)
    assert seqs == [1, 6, 7]  # 1 from the backup; 2-3 lost; 4-5 written once, never sent
    assert last == 7


@pytest.mark.parametrize("emptied", [True, False], ids=["outbox-emptied", "outbox-kept"])
def test_a_session_open_across_the_restore_sends_again_and_goes_on(
    team: PgDb, tmp_path: Path, emptied: bool
) -> None:
    project, ani = open_desktop(team, tmp_path / "laptop")
    try:
        mark(ani, "d1", "Jakarta", "CITY")
        assert ani.wait_synced(WAIT)
        ani.save()
        dump(team, tmp_path / "news.dump")
        mark(ani, "d2", "Surabaya", "CITY")  # confirmed after the backup
        mark(ani, "d1", "Anies Baswedan", "PERSON")
        assert ani.wait_synced(WAIT)
        if emptied:
            ani.save()
        for doc_id in TEXTS:  # the texts read, as a window reads its next documents
            project.documents.get(doc_id)
        restore(team, tmp_path / "news.dump")  # the window stays open meanwhile
        mark(ani, "d3", "Bandung", "CITY")
        mine = {d: ani.annotation(d) for d in TEXTS}
        assert ani.wait_synced(WAIT)
        assert ani.sync_error is None
        assert ani.save_state.conflicts == 0
        assert ani.resent == (3 if emptied else 0)  # kept: the outbox's own lines, as they were
        assert {d: ani.annotation(d) for d in TEXTS} == mine
        mark(ani, "d4", "Makassar", "CITY")
        assert ani.wait_synced(WAIT)
        mine["d4"] = ani.annotation("d4")
    finally:
        ani.close()
        project.close()
    assert on_server(team, tmp_path / "lead") == mine


def test_an_open_window_says_the_server_was_restored(
    qtbot: QtBot, team: PgDb, tmp_path: Path, desktop: Path
) -> None:
    window = open_url(qtbot, tmp_path, team.url_for("ani"))
    try:
        session = window.work.store
        assert isinstance(session, PgSession)
        assert window.work.doc_id == "d1"
        label(qtbot, window, "Anies Baswedan", "1")
        assert session.wait_synced(WAIT)
        session.save()
        dump(team, tmp_path / "news.dump")
        label(qtbot, window, "Jakarta", "3")  # confirmed after the backup
        assert session.wait_synced(WAIT)
        session.save()
        restore(team, tmp_path / "news.dump")  # the window stays open meanwhile
        label(qtbot, window, "Senin", "4")
        qtbot.waitUntil(window.notice.isVisible, timeout=WAIT_MS)
        assert window.notice.text() == "The server was restored from a backup: edits sent again: 1."
        assert session.wait_synced(WAIT)
        mine = session.annotation("d1")
    finally:
        window.close()
    assert mine is not None
    assert [s.label for s in mine.spans] == ["PERSON", "CITY", "DATE"]
    held = on_server(team, tmp_path / "lead")["d1"]  # with the time the window adds as it closes
    assert held is not None
    assert held.spans == mine.spans

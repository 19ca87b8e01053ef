"""Opening a desktop on a server project, made cheap (decision 0099): one round trip for the
project, the same one-line refusals as before, a warm-up of the sender's server process that
keeps nothing, and a local copy that does not wait for the disk (but before an outbox is
emptied).

The desktop reaches the server through a relay that counts the server's answers
(``_proxy.Relay.round_trips``).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
from _pg_helpers import PgDb
from _proxy import Relay

from annotator.core.edit import AddSpan
from annotator.core.model import Document
from annotator.core.pg import ServerError, connection
from annotator.core.pg.store import open_pg_project

TEXT = "Walikota Bandung Yana Mulyana 🙂 hadir di Jakarta pada Selasa.\r\nKemendagri datang."
WAIT = 30.0  # generous: the tests wait for events, they never measure time


def span(word: str, label: str = "PERSON") -> AddSpan:
    start = TEXT.index(word)
    return AddSpan("d1", start, start + len(word), label)


def test_opening_a_project_asks_the_server_once(
    pg_project: PgDb, relay: Relay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", pg_project.add_person("ani", "annotator"))
    url = f"postgresql://ani@127.0.0.1:{relay.port}/{pg_project.name}"
    relay.round_trips = 0
    connection.connect(url).close()
    connecting = relay.round_trips  # the start-up and authentication alone
    relay.round_trips = 0
    project = open_pg_project(url, cache_dir=tmp_path / "desk")
    try:
        assert relay.round_trips == connecting + 1
        assert (project.user, project.is_lead, project.who) == ("ani", False, "annotator ani")
        assert project.project_id == pg_project.project_id
        assert project.config.name == "news"
        assert project.config.label_names == ("PERSON", "AGENCY", "CITY", "DATE", "PROGRAM")
        assert project.config.labels[1].key == "2"
    finally:
        project.close()


def _newer(db: PgDb, conn: Any) -> str:
    conn.execute("INSERT INTO annotator.schema_version (version, name) VALUES (999, 'future')")
    return db.admin_url


def _older(db: PgDb, conn: Any) -> str:
    conn.execute(
        "DELETE FROM annotator.schema_version"
        " WHERE version = (SELECT max(version) FROM annotator.schema_version)"
    )
    return db.admin_url


def _several(db: PgDb, conn: Any) -> str:
    conn.execute("INSERT INTO annotator.projects (name) VALUES ('sport')")
    return db.admin_url


def _unnamed(db: PgDb, conn: Any) -> str:
    return db.admin_url + "&options=-c%20annotator.project%3Dnope"


def _no_project(db: PgDb, conn: Any) -> str:
    conn.execute("DELETE FROM annotator.projects")
    return db.admin_url


def _no_schema(db: PgDb, conn: Any) -> str:
    conn.execute("DROP SCHEMA annotator CASCADE")
    return db.admin_url


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_newer, r"schema is version 999, newer than this annotator knows .*: upgrade annotator"),
        (_older, r"older than this annotator's \(\d+\): a lead runs 'annotator init URL'"),
        (_several, "this database holds several projects: name one in the URL"),
        (_unnamed, "no project named 'nope' in this database"),
        (_no_project, "this database holds no project: run 'annotator init URL'"),
        (_no_schema, "no annotator project in this database: a lead runs 'annotator init URL'"),
    ],
)
def test_opening_refuses_in_one_line_what_it_cannot_open(
    pg_project: PgDb, tmp_path: Path, change: Any, message: str
) -> None:
    with pg_project.admin(autocommit=True) as conn:
        url = change(pg_project, conn)
    with pytest.raises(ServerError, match=message) as refused:
        open_pg_project(url, cache_dir=tmp_path / "desk")
    assert "\n" not in str(refused.value)


def server_state(db: PgDb) -> list[Any]:
    with db.admin(autocommit=True) as conn:
        return [
            conn.execute(
                "SELECT document_id, annotator, revision, xmin::text, spans::text"
                " FROM annotator.annotations ORDER BY 1, 2"
            ).fetchall(),
            conn.execute("SELECT client_id, last_seq FROM annotator.clients ORDER BY 1").fetchall(),
            conn.execute("SELECT count(*) FROM annotator.edits").fetchall(),
        ]


def test_the_sender_warm_up_keeps_nothing_and_notifies_nobody(
    pg_project: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm-up is an empty edit of one of the annotator's documents through
    ``apply_edit``, rolled back: the rows, the desktops and the edit log stay as they were,
    a lead's listener hears nothing of it, and the edits after it are numbered and applied
    as ever."""
    pg_project.add_documents(Document(id="d1", text=TEXT), Document(id="d2", text="Lain."))
    pg_project.assign({"d1": ["ani"], "d2": ["ani"]})
    monkeypatch.setenv("PGPASSWORD", pg_project.add_person("ani", "annotator"))
    first = open_pg_project(pg_project.url_for("ani"), cache_dir=tmp_path / "one")
    with first.session("ani") as session:
        session.apply(span("Bandung", "CITY"))
        assert session.wait_synced(WAIT), session.sync_error
    first.close()
    before = server_state(pg_project)
    heard: list[Any] = []
    marked = threading.Event()  # the lead's listener heard the marker sent after all of it

    def hear(notice: Any) -> None:
        heard.append(notice)
        if notice.document == "marker":
            marked.set()

    lead = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / "lead")
    listener = lead.listen(hear)
    try:
        assert listener.listening.wait(WAIT)
        second = open_pg_project(pg_project.url_for("ani"), cache_dir=tmp_path / "two")
        try:
            session = second.session("ani")
            assert session.wait_connected(WAIT)
            assert server_state(pg_project) == before
            session.apply(span("Jakarta", "CITY"))  # the first edit of this desktop
            assert session.wait_synced(WAIT), session.sync_error
            ann = session.annotation("d1")
            assert ann is not None
            assert sorted(s.text for s in ann.spans) == ["Bandung", "Jakarta"]
            session.close()
        finally:
            second.close()
        after = server_state(pg_project)
        assert after[0][0][2] == before[0][0][2] + 1  # one revision more, no other
        assert sorted(seq for _, seq in after[1]) == [1, 1]  # each desktop numbered from 1
        assert after[2][0][0] == before[2][0][0] + 1
        with pg_project.admin(autocommit=True) as conn:  # a marker after all of it
            conn.execute(
                "SELECT pg_notify('annotator_annotations',"
                " json_build_object('project', %s::integer, 'document', 'marker')::text)",
                (pg_project.project_id,),
            )
        assert marked.wait(WAIT), "the lead never heard the marker"
    finally:
        listener.stop()
        lead.close()
    # none for the warm-up, none for a span edit in progress (decision 0094): the marker only
    assert [n.document for n in heard if n.kind == "annotations"] == ["marker"]


def fsynced_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file or folder ``os.fsync`` is called on from now (the call still happens)."""
    seen: list[str] = []
    real = os.fsync

    def spy(fd: int) -> None:
        try:
            seen.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            seen.append("?")
        real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    return seen


def test_the_local_copy_waits_for_the_disk_only_before_an_outbox_is_emptied(
    pg_project: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pg_project.add_documents(Document(id="d1", text=TEXT))
    pg_project.assign({"d1": ["ani"]})
    monkeypatch.setenv("PGPASSWORD", pg_project.add_person("ani", "annotator"))
    desk = tmp_path / "desk"
    project = open_pg_project(pg_project.url_for("ani"), cache_dir=desk)
    seen = fsynced_paths(monkeypatch)
    session = project.session("ani")
    project.assignments()
    assert session.wait_connected(WAIT)
    copy_files = {"project.json", "documents.json", "plan.json", "ani.rows.json", "texts.jsonl"}
    written = {p.name for p in desk.iterdir()}
    assert {"project.json", "plan.json", "ani.rows.json", "texts.jsonl"} <= written
    assert not [t for t in map(target, seen) if t in copy_files]
    assert "ani.client.json" in map(target, seen)  # the desktop's number: made once, kept
    session.apply(span("Yana Mulyana"))  # the outbox line: flushed before apply returns
    assert "ani.outbox" in map(target, seen)
    assert session.wait_synced(WAIT), session.sync_error
    del seen[:]
    session.save()  # the outbox is emptied: the rows it stood on are on disk first
    flushed = [target(p) for p in seen]
    assert flushed.index("ani.rows.json") < flushed.index("ani.client.json")
    assert flushed[-1] == "ani.outbox"  # emptied last
    session.close()
    project.close()


def target(path: str) -> str:
    """The file a flushed path stands for: ``atomic_write``'s temporary ``.NAME.XXXX.tmp``
    is NAME."""
    name = Path(path).name
    if name.startswith(".") and name.endswith(".tmp"):
        return name[1:].rsplit(".", 2)[0]
    return name

"""The server store as the people use it: each logs in as themselves, through the store's API.

Row-level security holds through the app (an annotator neither reads nor writes another's
work), two desktops of one annotator keep both versions, and a lead's listener hears the
annotators' work. ani and bob annotate, lea and leo lead; the plan gives ani d1 and d2, bob d2
and d3.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from _pg_helpers import PgDb

from annotator.core.assign_types import Assignment
from annotator.core.edit import AddSpan, SetStatus
from annotator.core.errors import AnnotatorError
from annotator.core.model import Document
from annotator.core.pg import PermissionRefused, connection
from annotator.core.pg.listen import Notice
from annotator.core.pg.session import PgSession
from annotator.core.pg.store import PgProject, open_pg_project
from annotator.core.pg.sync import Edit, apply_edit

DOCS = {
    "d1": "Walikota Bandung Yana Mulyana hadir.",
    "d2": "Kemendagri 🙂 meluncurkan program Bandung Smart City.",
    "d3": "Pada Selasa 30 Agustus 2022 di Jakarta.",
}
PLAN = {"d1": ["ani"], "d2": ["ani", "bob"], "d3": ["bob"]}
WAIT = 30.0  # generous: a test waits for an event, it never measures time


def at(doc: str, word: str) -> tuple[int, int]:
    start = DOCS[doc].index(word)
    return start, start + len(word)


Opener = Callable[..., PgProject]


@pytest.fixture
def team(pg_project: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PgDb:
    pg_project.add_documents(*(Document(id=i, text=t) for i, t in DOCS.items()))
    people = (("ani", "annotator"), ("bob", "annotator"), ("lea", "lead"), ("leo", "lead"))
    for name, kind in people:
        pg_project.add_person(name, kind)
    pg_project.assign(PLAN)
    pg_project.use_passfile(tmp_path / "pgpass", monkeypatch)
    return pg_project


@pytest.fixture
def open_as(team: PgDb, tmp_path: Path) -> Iterator[Opener]:
    """``open_as(name, desktop="a")``: the project as ``name`` on one of their desktops."""
    opened: list[PgProject] = []

    def open_(name: str, desktop: str = "a") -> PgProject:
        project = open_pg_project(team.url_for(name), cache_dir=tmp_path / f"{name}-{desktop}")
        opened.append(project)
        return project

    yield open_
    for project in opened:
        project.close()


def admin_row(db: PgDb, annotator: str, doc: str) -> tuple[object, ...] | None:
    with db.admin(autocommit=True) as conn:
        return conn.execute(
            "SELECT revision, spans, status, untouched FROM annotations"
            " WHERE annotator = %s AND document_id = %s",
            (annotator, doc),
        ).fetchone()


def synced(session: PgSession) -> PgSession:
    assert session.wait_synced(WAIT), session.sync_error
    return session


def test_an_annotator_reads_only_their_documents_and_annotations(
    team: PgDb, open_as: Opener
) -> None:
    bob = open_as("bob").session("bob")
    synced(bob).apply(AddSpan("d2", *at("d2", "Kemendagri"), "AGENCY"))
    synced(bob)
    ani = open_as("ani")
    assert ani.documents.ids == ["d1", "d2"]
    assert "d3" not in ani.documents
    assert ani.annotation("bob", "d2") is None  # blind: bob's work is invisible to ani
    assert ani.annotators() == []
    viewer = ani.session("bob", read_only=True)
    assert list(viewer.touched()) == []
    plan = ani.assignments()
    assert plan is not None
    assert plan.entries == {
        "d1": Assignment(("ani",), plan.entries["d1"].since),
        "d2": Assignment(("ani",), plan.entries["d2"].since),
    }


def test_an_annotator_cannot_write_another_annotators_work_through_the_store(
    team: PgDb, open_as: Opener
) -> None:
    bob = open_as("bob").session("bob")
    bob.apply(AddSpan("d2", *at("d2", "Kemendagri"), "AGENCY"))
    synced(bob)
    before = admin_row(team, "bob", "d2")
    ani = open_as("ani")
    posing = ani.session("bob")  # the desktop lets her try; the server refuses
    posing.apply(SetStatus("d2", "done"))
    posing.apply(AddSpan("d1", *at("d1", "Bandung"), "CITY"))
    synced(posing)
    assert [reason for _, reason in posing.refused] == [
        "permission denied: annotator ani cannot write another annotator's annotations "
        "(or a document not assigned to them)"
    ] * 2
    assert all("\n" not in w for w in ani.warnings)
    assert admin_row(team, "bob", "d2") == before
    assert admin_row(team, "bob", "d1") is None
    assert posing.outbox.unapplied_path.read_bytes().count(b"\n") == 2  # kept, not dropped
    own = ani.session("ani")  # her own work goes on
    own.apply(AddSpan("d1", *at("d1", "Bandung"), "CITY"))
    synced(own)
    assert admin_row(team, "ani", "d1") is not None


def test_a_tombstone_for_another_annotators_row_is_refused(team: PgDb, open_as: Opener) -> None:
    bob = open_as("bob").session("bob")
    bob.apply(AddSpan("d2", *at("d2", "Kemendagri"), "AGENCY"))
    synced(bob)
    before = admin_row(team, "bob", "d2")
    with connection.connect(team.url_for("ani"), autocommit=True) as conn:
        gone = Edit(uuid.uuid4(), 1, "bob", "d2", 1, None, {"untouched": True})
        with pytest.raises(PermissionRefused, match="cannot write another annotator"):
            apply_edit(conn, team.project_id, gone, who="annotator ani")
    assert admin_row(team, "bob", "d2") == before


def test_an_undo_to_untouched_is_a_tombstone_on_the_server(team: PgDb, open_as: Opener) -> None:
    ani = open_as("ani")
    session = ani.session("ani")
    made = session.apply(AddSpan("d1", *at("d1", "Bandung"), "CITY"))
    synced(session)
    session.apply(made.undo())
    synced(session)
    row = admin_row(team, "ani", "d1")
    assert row is not None
    assert row[0] == 2
    assert row[3] is True
    session.close()
    again = open_as("ani")
    assert again.annotation("ani", "d1") is None
    assert again.annotators() == []


def test_a_text_the_server_cannot_hold_is_refused_in_one_line(team: PgDb, open_as: Opener) -> None:
    lea = open_as("lea")
    with pytest.raises(
        AnnotatorError, match=r"^document 'd9': its text holds the character U\+0000"
    ):
        lea.documents.append([Document(id="d9", text="a\x00b")])
    assert "d9" not in open_as("lea").documents


def test_two_desktops_of_one_annotator_keep_both_versions_and_the_person_chooses(
    team: PgDb, open_as: Opener
) -> None:
    laptop = open_as("ani", "laptop").session("ani")
    office = open_as("ani", "office").session("ani")  # both read revision 0
    laptop.apply(AddSpan("d1", *at("d1", "Bandung"), "CITY"))
    synced(laptop)
    office.apply(AddSpan("d1", *at("d1", "Yana Mulyana"), "PERSON"))
    synced(office)
    assert office.save_state.conflicts == 1
    [conflict] = office.conflicts()
    assert conflict.theirs is not None
    assert conflict.mine is not None
    assert [s.text for s in conflict.theirs.spans] == ["Bandung"]
    assert [s.text for s in conflict.mine.spans] == ["Yana Mulyana"]
    row = admin_row(team, "ani", "d1")
    assert row is not None
    assert row[0] == 1
    office.resolve(conflict, conflict.mine)
    synced(office)
    assert office.conflicts() == []
    final = open_as("ani", "third").annotation("ani", "d1")
    assert final is not None
    assert [s.text for s in final.spans] == ["Yana Mulyana"]
    laptop.close()
    office.close()


def test_a_lead_hears_an_annotators_work_and_an_annotator_the_plan(
    team: PgDb, open_as: Opener
) -> None:
    lea = open_as("lea")
    ani = open_as("ani")
    heard: list[Notice] = []
    done = threading.Event()
    queued = threading.Event()

    def on_lead(notice: Notice) -> None:
        heard.append(notice)
        if notice == Notice("annotations", document="d1"):
            done.set()

    def on_ani(notice: Notice) -> None:
        if notice == Notice("assignments", annotator="ani"):
            queued.set()

    lead_ears = lea.listen(on_lead)
    ani_ears = ani.listen(on_ani)
    try:
        assert lead_ears.listening.wait(WAIT)
        assert ani_ears.listening.wait(WAIT)
        session = ani.session("ani")
        session.set_status("d1", "done")
        assert done.wait(WAIT)
        assert lea.annotation("ani", "d1") is not None
        lea.update_assignments(
            lambda plan: {**(plan.entries if plan else {}), "d3": Assignment(("bob", "ani"))}
        )
        assert queued.wait(WAIT)
        assert ani.assignments() is not None
        ani.documents.reload()
        assert ani.documents.ids == ["d1", "d2", "d3"]
    finally:
        lead_ears.stop()
        ani_ears.stop()


def test_a_restore_of_a_conflict_to_the_server_version_sends_nothing(
    team: PgDb, open_as: Opener
) -> None:
    laptop = open_as("ani", "laptop").session("ani")
    office = open_as("ani", "office").session("ani")
    laptop.apply(AddSpan("d1", *at("d1", "Bandung"), "CITY"))
    synced(laptop)
    office.apply(AddSpan("d1", *at("d1", "Walikota"), "PERSON"))
    synced(office)
    [conflict] = office.conflicts()
    office.resolve(conflict, conflict.theirs)
    synced(office)
    assert office.conflicts() == []
    row = admin_row(team, "ani", "d1")
    assert row is not None
    assert row[0] == 1


def test_two_leads_assigning_at_once_lose_nothing(team: PgDb, open_as: Opener) -> None:
    stores = {"lea": open_as("lea"), "leo": open_as("leo")}
    started = threading.Barrier(2)
    failures: list[BaseException] = []

    def assign(lead: str, docs: list[str], name: str) -> None:
        try:
            started.wait()
            for doc in docs:
                stores[lead].update_assignments(
                    lambda plan, doc=doc: {
                        **(plan.entries if plan else {}),
                        doc: Assignment((name,), 1_767_225_600.0),
                    }
                )
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    threads = [
        threading.Thread(target=assign, args=("lea", ["d1", "d3"], "cici")),
        threading.Thread(target=assign, args=("leo", ["d2"], "dodi")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT)
    assert not failures
    plan = open_as("lea").assignments()
    assert plan is not None
    assert {d: e.annotators for d, e in plan.entries.items()} == {
        "d1": ("cici",),
        "d2": ("dodi",),
        "d3": ("cici",),
    }


def test_an_annotator_cannot_change_the_plan_and_is_told_in_one_line(
    team: PgDb, open_as: Opener
) -> None:
    ani = open_as("ani")
    with pytest.raises(PermissionRefused) as info:
        ani.update_assignments(lambda plan: {"d1": Assignment(("ani", "bob"))})
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("permission denied: annotator ani")
    plan = open_as("lea").assignments()
    assert plan is not None
    assert plan.annotators_of("d1") == ("ani",)

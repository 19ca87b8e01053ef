"""The edit log: a backlog sent twice is applied once, in order; conflicting versions are kept."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from _pg_helpers import PgDb

from annotator.core.model import Annotation, Document, make_span
from annotator.core.pg import PermissionRefused, ServerError, connection
from annotator.core.pg.sync import CHANNELS, Applied, Edit, apply_edit, last_sent

TEXT = "Walikota Bandung Yana Mulyana 🙂 hadir di Jakarta."
WORDS = ["Walikota", "Bandung", "Yana Mulyana", "Jakarta"]
LABELS = ["PERSON", "CITY", "PERSON", "CITY"]


def version(n: int, annotator: str = "ani") -> Annotation:
    """The n-th state of the document: its first n words labelled."""
    spans = []
    for word, label in list(zip(WORDS, LABELS, strict=True))[:n]:
        start = TEXT.index(word)
        spans.append(make_span(TEXT, start, start + len(word), label))
    return Annotation(id="d1", text=TEXT, spans=tuple(spans), annotator=annotator)


@dataclass
class Team:
    """The project's database and ``connect(name)``: the app's connection as that person."""

    db: PgDb
    connect: Callable[[str], connection.Connection]


@pytest.fixture
def team(pg_project: PgDb, monkeypatch: pytest.MonkeyPatch) -> Team:
    """ani and bob annotate, lea leads; they connect with PGPASSWORD, as libpq reads it."""
    pg_project.add_documents(Document(id="d1", text=TEXT))
    pg_project.add_person("ani", "annotator")
    pg_project.add_person("bob", "annotator")
    pg_project.add_person("lea", "lead")

    def connect(name: str) -> connection.Connection:
        monkeypatch.setenv("PGPASSWORD", pg_project.passwords[name])
        return connection.connect(pg_project.url_for(name), autocommit=True)

    return Team(pg_project, connect)


def stored(db: PgDb, annotator: str = "ani") -> tuple[Any, ...]:
    with db.admin(autocommit=True) as conn:
        row = conn.execute(
            "SELECT revision, jsonb_array_length(spans), client_seq FROM annotations"
            " WHERE annotator = %s",
            (annotator,),
        ).fetchone()
        count = conn.execute("SELECT count(*) FROM edits").fetchone()
    assert count is not None
    return (*(row or (None, None, None)), count[0])


def backlog(client: uuid.UUID, n: int, base: int = 0) -> list[Edit]:
    """n edits of one desktop on d1, each following the previous one."""
    return [
        Edit.of(version(i), client, i, base, prev_seq=i - 1 if i > 1 else None)
        for i in range(1, n + 1)
    ]


def test_a_backlog_sent_twice_is_applied_once(team: Team) -> None:
    db = team.db
    desk = uuid.uuid4()
    with team.connect("ani") as ani:
        first = [apply_edit(ani, db.project_id, e) for e in backlog(desk, 4)]
        assert first == [Applied("applied", r) for r in (1, 2, 3, 4)]
        again = [apply_edit(ani, db.project_id, e) for e in backlog(desk, 4)]
        assert again == first
        assert last_sent(ani, db.project_id, desk) == 4
    assert stored(db) == (4, 4, 4, 4)


def test_an_edit_that_skips_ahead_is_refused(team: Team) -> None:
    db = team.db
    desk = uuid.uuid4()
    edits = backlog(desk, 3)
    with team.connect("ani") as ani:
        apply_edit(ani, db.project_id, edits[0])
        with pytest.raises(ServerError, match=r"edit 3 of desktop .* arrived before edit 2"):
            apply_edit(ani, db.project_id, edits[2])
        assert apply_edit(ani, db.project_id, edits[1]) == Applied("applied", 2)
    assert stored(db) == (2, 2, 2, 2)


def test_a_send_cut_off_before_commit_leaves_nothing_and_is_resent_once(
    team: Team,
) -> None:
    db = team.db
    desk = uuid.uuid4()
    edits = backlog(desk, 3)
    with team.connect("ani") as ani:
        apply_edit(ani, db.project_id, edits[0])
    cut = team.connect("ani")
    cut.autocommit = False
    apply_edit(cut, db.project_id, edits[1])
    apply_edit(cut, db.project_id, edits[2])
    cut.close()  # the desktop dies before COMMIT
    assert stored(db) == (1, 1, 1, 1)
    with team.connect("ani") as ani:
        start = last_sent(ani, db.project_id, desk)
        assert start == 1
        for e in edits[start:]:
            apply_edit(ani, db.project_id, e)
    assert stored(db) == (3, 3, 3, 3)


def test_the_same_backlog_from_two_connections_at_once_is_applied_once(
    team: Team,
) -> None:
    db = team.db
    desk = uuid.uuid4()
    edits = backlog(desk, 4)
    errors: list[BaseException] = []
    conns = [team.connect("ani"), team.connect("ani")]

    def send(conn: connection.Connection) -> None:
        try:
            for e in edits:
                apply_edit(conn, db.project_id, e)
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(c,)) for c in conns]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for c in conns:
        c.close()
    assert not errors
    assert stored(db) == (4, 4, 4, 4)


def test_two_desktops_of_one_annotator_keep_both_versions(team: Team) -> None:
    db = team.db
    office, laptop = uuid.uuid4(), uuid.uuid4()
    with team.connect("ani") as ani:
        # Both desktops start from nothing on the server (revision 0) and edit offline.
        assert apply_edit(ani, db.project_id, Edit.of(version(1), office, 1, 0)) == Applied(
            "applied", 1
        )
        mine = [Edit.of(version(3), laptop, 1, 0), Edit.of(version(4), laptop, 2, 0, 1)]
        assert [apply_edit(ani, db.project_id, e) for e in mine] == [
            Applied("conflict", 1),
            Applied("conflict", 1),
        ]
        # The office version stays; the laptop's is in the log, whole.
        assert stored(db) == (1, 1, 1, 3)
        kept = ani.execute(
            "SELECT record FROM edits WHERE client_id = %s AND outcome = 'conflict'"
            " ORDER BY seq DESC LIMIT 1",
            (laptop,),
        ).fetchone()
        assert kept is not None
        assert len(kept[0]["spans"]) == 4
        # The person chooses the laptop's version: sent again on the server's revision.
        choice = Edit.of(version(4), laptop, 3, base_revision=1)
        assert apply_edit(ani, db.project_id, choice) == Applied("applied", 2)
    assert stored(db) == (2, 4, 3, 4)


def test_a_desktops_own_offline_edits_follow_each_other(team: Team) -> None:
    db = team.db
    desk = uuid.uuid4()
    with team.connect("ani") as ani:
        apply_edit(ani, db.project_id, Edit.of(version(1), desk, 1, 0))
        # Offline again: two more edits, both made while the desktop knew revision 1.
        later = [Edit.of(version(2), desk, 2, 1, 1), Edit.of(version(3), desk, 3, 1, 2)]
        assert [apply_edit(ani, db.project_id, e) for e in later] == [
            Applied("applied", 2),
            Applied("applied", 3),
        ]


def test_an_annotator_cannot_send_edits_in_another_name(team: Team) -> None:
    db = team.db
    with team.connect("ani") as ani:
        edit = Edit.of(version(2, "bob"), uuid.uuid4(), 1, 0)
        with pytest.raises(PermissionRefused, match="annotator ani cannot write another"):
            apply_edit(ani, db.project_id, edit, who="annotator ani")
        gold = Edit.of(version(2), uuid.uuid4(), 1, 0, gold=True)
        with pytest.raises(PermissionRefused) as caught:
            apply_edit(ani, db.project_id, gold, who="annotator ani")
        assert str(caught.value) == "permission denied: annotator ani cannot write gold"
    assert stored(db, "bob") == (None, None, None, 0)


def test_a_lead_writes_gold_through_the_log(team: Team) -> None:
    db = team.db
    with team.connect("lea") as lea:
        edit = Edit.of(version(3, "lea"), uuid.uuid4(), 1, 0, gold=True)
        assert apply_edit(lea, db.project_id, edit) == Applied("applied", 1)
        row = lea.execute("SELECT jsonb_array_length(spans), written_by FROM gold").fetchone()
    assert row == (3, "lea")


def test_an_applied_edit_notifies_without_its_content(team: Team) -> None:
    db = team.db
    with team.connect("lea") as lea, team.connect("ani") as ani:
        lea.execute(f"LISTEN {CHANNELS['annotations']}")
        apply_edit(ani, db.project_id, Edit.of(version(2), uuid.uuid4(), 1, 0))
        got = list(lea.notifies(timeout=10, stop_after=1))
    assert [n.channel for n in got] == [CHANNELS["annotations"]]
    assert json.loads(got[0].payload) == {"project": db.project_id, "document": "d1"}


def test_annotations_notify_only_the_changes_a_view_shows(team: Team) -> None:
    """Listeners use an annotation's existence, status and time, and the spans of a done
    document: a span edit of a document in progress notifies nobody (decision 0094)."""
    db = team.db
    desk = uuid.uuid4()
    in_progress = version(1)
    steps: list[tuple[str, Annotation | None, bool]] = [
        ("first edit", in_progress, True),
        ("a span added, in progress", version(2), False),
        ("a span removed, in progress", version(1), False),
        ("time spent", version(1).model_copy(update={"seconds": 4.5}), True),
        ("a span, same time", version(3).model_copy(update={"seconds": 4.5}), False),
        ("done", version(3).model_copy(update={"status": "done", "seconds": 4.5}), True),
        ("a span of a done document", version(4).model_copy(update={"status": "done"}), True),
        ("back in progress", version(4), True),
        ("skipped", version(4).model_copy(update={"status": "skipped"}), True),
        ("a span of a skipped document", version(2).model_copy(update={"status": "skipped"}),
         True),
        ("in progress again", version(2), True),
        ("back to untouched", None, True),
        ("touched again", version(1), True),
    ]  # fmt: skip
    heard: list[tuple[str, bool]] = []
    with team.connect("lea") as lea, team.connect("ani") as ani:
        lea.execute(f"LISTEN {CHANNELS['annotations']}")
        for seq, (what, state, _) in enumerate(steps, start=1):
            record = (
                {"untouched": True}
                if state is None
                else Edit.of(state, desk, seq, 0).record
            )  # fmt: skip
            edit = Edit(desk, seq, "ani", "d1", 0, seq - 1 if seq > 1 else None, record)
            assert apply_edit(ani, db.project_id, edit).outcome == "applied", what
            # a marker committed after the edit: what arrives before it is the edit's notice
            ani.execute("SELECT pg_notify(%s, 'marker')", (CHANNELS["annotations"],))
            payloads = []
            for note in lea.notifies(timeout=10):
                if note.payload == "marker":
                    break
                payloads.append(json.loads(note.payload))
            assert all(p == {"project": db.project_id, "document": "d1"} for p in payloads)
            heard.append((what, bool(payloads)))
    assert heard == [(what, expected) for what, _, expected in steps]


def test_a_record_keeps_every_field_of_the_jsonl_line(team: Team) -> None:
    db = team.db
    ann = version(2).model_copy(
        update={"status": "done", "seconds": 12.25, "meta": {"b": 1, "a": [2]}}
    )
    with team.connect("ani") as ani:
        apply_edit(ani, db.project_id, Edit.of(ann, uuid.uuid4(), 1, 0))
        row = ani.execute(
            "SELECT a.document_id, d.text, a.spans, a.status, a.annotator, a.text_sha256,"
            " a.updated_at, a.seconds, a.meta::text FROM annotations a JOIN documents d"
            " ON d.project_id = a.project_id AND d.id = a.document_id"
        ).fetchone()
    assert row is not None
    keys = ("id", "text", "spans", "status", "annotator", "text_sha256", "updated_at", "seconds")
    record: dict[str, Any] = dict(zip(keys, row[:8], strict=True))
    record["meta"] = json.loads(row[8])
    assert Annotation.model_validate(record) == ann
    assert list(record["meta"]) == ["b", "a"]  # the line's key order survives

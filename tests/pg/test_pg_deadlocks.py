"""Rows held in opposite order by two connections, for real: the server detects the deadlock,
ends one side's transaction, and the side that claims to try again does (decision 0112:
``ServerBusy`` passes by itself).

Each test holds a row the code under test is about to take, waits until the server says that
code waits for it (``waiting_on``), then asks for a row that code took first: a cycle. The
holder sets ``deadlock_timeout`` to a minute and the code under test a few seconds, so the
server always ends the code's transaction, never the holder's. The holder then getting its
second row is the proof: the code held it until the server ended its transaction. What is
then asserted is the work done once: every edit applied once, every part kept once and
counted once, no plan entry lost.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import psycopg
import pytest
from _pg_helpers import PgDb, waiting_on
from test_pg_keep import worked as worked  # the fixture, used by name
from test_pg_keep_faults import with_options
from test_pg_keeper import done_pairs, kept
from test_pg_link import WAIT

from annotator.cli import main
from annotator.core.assign_types import Assignment
from annotator.core.assignments import StoredPlan
from annotator.core.edit import AddSpan
from annotator.core.model import Document
from annotator.core.pg import RETRY, ServerBusy, passing
from annotator.core.pg.connection import Timeouts
from annotator.core.pg.errors import server_error
from annotator.core.pg.store import PgProject, open_pg_project

TEXT = "Bupati Sleman 😀 bertemu Sri Sultan di Ngayogyakarta.\r\nMe\u0301dan menyusul."
DETECTS = "3s"  # the code under test's deadlock_timeout: the server ends its transaction
PATIENT = "60s"  # the holder's: never the one ended


class Holder:
    """A connection of the admin's, on a thread of its own, in one transaction: it takes
    ``first``, waits until another server process waits for it, then asks for ``second``
    (each a query locking rows), records what happened, and lets everything go."""

    def __init__(self, db: PgDb, first: str, second: str, params: object = None) -> None:
        self.db = db
        self.first, self.second, self.params = first, second, params
        self.held = threading.Event()  # ``first`` is held
        self.waiters: list[int] = []  # who waited for ``first``
        self.got_second = False
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        assert self.held.wait(WAIT), f"the holder did not take its rows: {self.error}"

    def _run(self) -> None:
        try:
            with self.db.admin() as conn:
                conn.execute(f"SET deadlock_timeout = '{PATIENT}'")
                conn.execute(self.first, self.params).fetchall()
                self.held.set()
                self.waiters = waiting_on(self.db, conn.info.backend_pid)
                if self.waiters:
                    conn.execute(self.second, self.params).fetchall()
                    self.got_second = True
                conn.rollback()
        except BaseException as exc:  # handed to the test's thread
            self.error = exc
            self.held.set()

    def join(self) -> None:
        self._thread.join(WAIT)
        assert not self._thread.is_alive(), "the holder still waits"
        assert self.error is None, self.error
        assert self.waiters, "nobody waited for the holder's rows"
        assert self.got_second, "the holder never got the rows the other side took first"


def _desk(db: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PgProject:
    """ani's desktop; ani's server processes detect a deadlock after ``DETECTS``, and wait
    for a lock far longer, so a deadlock, not a lock timeout, ends the wait."""
    monkeypatch.setenv("PGPASSWORD", db.add_person("ani", "annotator"))
    with db.admin(autocommit=True) as conn:
        conn.execute(f"ALTER ROLE ani SET deadlock_timeout = '{DETECTS}'")
    limits = Timeouts(lock=60.0, statement=60.0, answer=90.0)
    return open_pg_project(db.url_for("ani"), cache_dir=tmp_path / "desk", timeouts=limits)


@pytest.fixture
def desk(pg_project: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PgProject]:
    pg_project.add_documents(Document(id="d1", text=TEXT), Document(id="d2", text=TEXT))
    project = _desk(pg_project, tmp_path, monkeypatch)
    yield project
    project.close()


def word(doc: str, text: str, label: str = "PERSON") -> AddSpan:
    start = TEXT.index(text)
    return AddSpan(doc, start, start + len(text), label)


def test_a_batch_the_server_ends_in_a_deadlock_is_sent_again_and_applied_once(
    pg_project: PgDb, desk: PgProject
) -> None:
    session = desk.session("ani")
    session.apply_many([word("d1", "Sleman", "CITY"), word("d2", "Sleman", "CITY")])
    assert session.wait_synced(WAIT), session.sync_error
    row = "SELECT 1 FROM annotations WHERE annotator = 'ani' AND document_id = '{}' FOR UPDATE"
    # the batch below updates d1, then waits for d2; the holder then asks for d1
    holder = Holder(pg_project, row.format("d2"), row.format("d1"))
    session.apply_many([word("d1", "Sri Sultan"), word("d2", "Sri Sultan")])  # one batch
    holder.join()
    assert session.wait_synced(WAIT), session.sync_error
    with pg_project.admin(autocommit=True) as conn:
        edits = conn.execute(
            "SELECT seq, document_id, outcome FROM edits WHERE owner = 'ani' ORDER BY seq"
        ).fetchall()
        revisions = conn.execute(
            "SELECT document_id, revision, jsonb_array_length(spans) FROM annotations"
            " WHERE annotator = 'ani' ORDER BY 1"
        ).fetchall()
    assert edits == [(1, "d1", "applied"), (2, "d2", "applied"),
                     (3, "d1", "applied"), (4, "d2", "applied")]  # fmt: skip
    assert revisions == [("d1", 2, 2), ("d2", 2, 2)]
    for doc in ("d1", "d2"):
        ann = session.annotation(doc)
        assert ann is not None
        assert [TEXT[s.start : s.end] for s in ann.spans] == ["Sleman", "Sri Sultan"]
    session.close()


def test_once_tries_a_deadlock_again_and_keeps_each_part_once(
    worked: PgProject, pg_project: PgDb, desktop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = with_options(pg_project.admin_url, f"-c deadlock_timeout={DETECTS} -c lock_timeout=60s")
    assert main(["keep", url, "--once"]) == 0
    everything = kept(pg_project)
    assert set(everything) == done_pairs(worked)
    a, b, x = min(everything)
    y = min(d for (p, q, d) in everything if (p, q) == (a, b) and d > x)
    with pg_project.admin(autocommit=True) as conn:  # two parts out of date: written again
        conn.execute(
            "UPDATE agreement_parts SET digest_a = 'old' WHERE a = %s AND b = %s"
            " AND document_id = ANY(%s)",
            (a, b, [x, y]),
        )
    capsys.readouterr()
    part = "SELECT 1 FROM agreement_parts WHERE a = %(a)s AND b = %(b)s AND document_id = %({})s"
    # the keeper's write takes x's part, then waits for y's; the holder then asks for x's
    holder = Holder(
        pg_project,
        part.format("y") + " FOR UPDATE",
        part.format("x") + " FOR UPDATE",
        {"a": a, "b": b, "x": x, "y": y},
    )
    assert main(["keep", url, "--once"]) == 0
    holder.join()
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"annotator keep: busy: deadlock detected; trying again in {RETRY:g} s (1 of 3)"
    ]
    [line] = out.splitlines()
    assert line.startswith(f"parts: {len(worked.documents.ids)} documents, 2 parts kept in ")
    after = kept(pg_project)
    assert set(after) == set(everything)
    assert sorted(k for k in after if after[k] != everything[k]) == [(a, b, x), (a, b, y)]
    with pg_project.admin(autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM agreement_parts WHERE digest_a = 'old'").fetchone()
    assert row == (0,)


def test_two_leads_assigning_at_once_take_turns_and_neither_change_is_lost(
    pg_project: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/team.md: the plan is safe against two leads assigning at once. The second
    lead's change is made from the plan the first one left, never beside it."""
    pg_project.add_documents(*(Document(id=f"d{i}", text=TEXT) for i in range(1, 4)))
    leads = {}
    for name in ("lea", "lia"):
        pg_project.add_person(name, "lead")
    pg_project.use_passfile(tmp_path / "pgpass", monkeypatch)
    for name in ("lea", "lia"):
        leads[name] = open_pg_project(pg_project.url_for(name), cache_dir=tmp_path / name)
    try:
        inside, go = threading.Event(), threading.Event()
        seen: dict[str, dict[str, tuple[str, ...]]] = {}

        def change(
            who: str, doc: str, name: str, hold: bool
        ) -> Callable[[StoredPlan | None], Mapping[str, Assignment]]:
            def made(current: StoredPlan | None) -> Mapping[str, Assignment]:
                entries = dict(current.entries) if current is not None else {}
                seen[who] = {d: e.annotators for d, e in entries.items()}
                if hold:
                    inside.set()
                    assert go.wait(WAIT)
                entries[doc] = Assignment((name,), 1.7e9)
                return entries

            return made

        pid = leads["lea"].connection().execute("SELECT pg_backend_pid()").fetchone()
        assert pid is not None
        first = threading.Thread(
            target=leads["lea"].update_assignments, args=(change("lea", "d1", "ani", True),)
        )
        first.start()
        assert inside.wait(WAIT)
        second = threading.Thread(
            target=leads["lia"].update_assignments, args=(change("lia", "d2", "budi", False),)
        )
        second.start()
        try:
            waiters = waiting_on(pg_project, int(pid[0]))
        finally:
            go.set()
            first.join(WAIT)
            second.join(WAIT)
        assert len(waiters) == 1, "the second lead did not wait for the first"
        assert not first.is_alive()
        assert not second.is_alive()
        assert seen["lia"] == {"d1": ("ani",)}, "the second lead's change missed the first's"
        with pg_project.admin(autocommit=True) as conn:
            plan = conn.execute(
                "SELECT document_id, annotator FROM assignments ORDER BY 1"
            ).fetchall()
        assert plan == [("d1", "ani"), ("d2", "budi")]
    finally:
        for project in leads.values():
            project.close()


def test_a_serialization_failure_is_busy_and_may_pass(pg_project: PgDb) -> None:
    """The app's transactions are READ COMMITTED, where a concurrent update waits rather than
    fails; one run at REPEATABLE READ (a script's, a future one's) fails with a serialization
    failure instead, which is ``ServerBusy``: tried again by whatever tries a passing failure."""
    change = "UPDATE annotator.projects SET name = name WHERE id = %s"
    with (
        psycopg.connect(pg_project.admin_url) as late,
        psycopg.connect(pg_project.admin_url) as soon,
    ):
        late.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        late.execute("SELECT count(*) FROM annotator.projects").fetchall()  # its snapshot
        soon.execute(change, (pg_project.project_id,))
        soon.commit()
        with pytest.raises(psycopg.errors.SerializationFailure) as info:
            late.execute(change, (pg_project.project_id,))
    made = server_error(info.value, who="lead lea", doing="write")
    assert isinstance(made, ServerBusy)
    assert passing(made)
    assert str(made) == "busy: could not serialize access due to concurrent update"

"""What goes wrong behind ``annotator keep`` and the lead's keeper (decision 0112), on a real
server: ``--once`` tries a statement timeout again and succeeds once the rows are let go; a
failure that lasts, or a refusal, is one line and exit 1; a document whose spans the keeper
cannot take is skipped and named while the others are kept; more such documents than a few
stop the keeper, and the service then ends with one line and exit 1 (its manager starts it
again); a listener ending on a fault says so; the lead's window shows the keeper's problem."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest
from _pg_helpers import PgDb, Server, cluster_script, news_project
from _pg_window import WAIT_MS, open_url
from pytestqt.qtbot import QtBot
from test_pg_keep import Service
from test_pg_keep import worked as worked  # the fixture, used by name
from test_pg_keeper import done_pairs, kept
from test_pg_link import WAIT

from annotator.cli import main
from annotator.core.model import Document
from annotator.core.pg import RETRY, compute
from annotator.core.pg import keeper as keeper_module
from annotator.core.pg.keeper import SKIP_AT_MOST, PartsKeeper
from annotator.core.pg.listen import Listener, Notice
from annotator.core.pg.store import PgProject

LABEL_LEFT_OUT = '[{"start": 0, "end": 4}]'  # a span without its label: the report leaves it out
# a label nested deeper than Python's JSON decoder goes: the keeper cannot read it
UNREADABLE = '[{"start": 0, "end": 4, "label": ' + "[" * 2000 + "]" * 2000 + "}]"


def with_options(url: str, options: str) -> str:
    """``url`` with server settings of its own (they win over the desktop's limits)."""
    return f"{url}{'&' if '?' in url else '?'}options={quote(options, safe='')}"


def paired(project: PgProject, name: str) -> list[str]:
    """The documents ``name`` finished that someone else finished too (each has parts)."""
    return sorted({d for pair in done_pairs(project) if name in pair[:2] for d in [pair[2]]})


def spoil(db: PgDb, name: str, docs: list[str], spans: str = UNREADABLE) -> None:
    """``name``'s annotations of ``docs`` hold ``spans`` (by default a span the keeper cannot
    read), as a hand-made write (or an old client) could leave them: the schema takes any
    array of spans."""
    with db.admin(autocommit=True) as conn:
        conn.execute(
            "UPDATE annotations SET spans = %s::jsonb WHERE annotator = %s"
            " AND document_id = ANY(%s)",
            (spans, name, docs),
        )


def test_once_tries_a_statement_timeout_again_and_succeeds_once_the_rows_are_let_go(
    worked: PgProject, pg_project: PgDb, tmp_path: Path
) -> None:
    url = with_options(pg_project.admin_url, "-c statement_timeout=2000 -c lock_timeout=0")
    with pg_project.admin() as holder:
        holder.execute("LOCK TABLE agreement_parts IN SHARE MODE")  # the keeper's writes wait
        once = Service(url, tmp_path / "lead", "--once")
        once.wait_error("trying again", "no second try announced")
        holder.rollback()  # the rows are let go before the second try
    code, err = once.ended()
    assert code == 0, err
    assert err.splitlines() == [
        f"annotator keep: the server gave up on the request (canceling statement due to"
        f" statement timeout); trying again in {RETRY:g} s (1 of 3)"
    ]
    assert len(once.lines) == 1
    assert once.lines[0].startswith(f"parts: {len(worked.documents.ids)} documents, ")
    assert "; report state shared in " in once.lines[0]
    assert set(kept(pg_project)) == done_pairs(worked)


def test_once_waits_for_a_server_starting_again(
    cluster: tuple[Server, str], tmp_path: Path
) -> None:
    """A cron job on a desktop that never opened the project (no copy of it to open from)
    while the server restarts."""
    server, folder = cluster
    text = "Banjir besar di Medan kemarin sore."
    db = news_project(server, f"o{os.getpid()}", *(Document(id=f"d{i}", text=text) for i in (1, 2)))
    cluster_script("crash", folder)
    try:
        once = Service(db.admin_url, tmp_path / "lead", "--once")
        once.wait_error("trying again in", "no second try announced")
    finally:
        cluster_script("resume", folder)
    code, err = once.ended()
    assert code == 0, err
    assert "cannot reach the server" in err.splitlines()[0]
    assert "Traceback" not in err
    assert len(once.lines) == 1
    assert once.lines[0].startswith("parts: 2 documents, 0 parts kept in ")


def test_once_gives_up_on_rows_held_for_good_with_one_line(
    worked: PgProject, pg_project: PgDb, desktop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = with_options(pg_project.admin_url, "-c lock_timeout=200")
    with pg_project.admin() as holder:
        holder.execute("LOCK TABLE agreement_parts IN SHARE MODE")
        assert main(["keep", url, "--once"]) == 1
        holder.rollback()
    out = capsys.readouterr()
    assert out.out == ""
    lines = out.err.splitlines()
    assert [line.endswith(f"trying again in {RETRY:g} s ({n} of 3)") for n, line in
            enumerate(lines[:-1], 1)] == [True] * 3  # fmt: skip
    assert lines[-1].startswith("annotator: agreement parts not kept: busy: another client")
    assert lines[-1].endswith(f"(tried 4 times, {RETRY:g} s apart)")
    assert not kept(pg_project)


def test_once_stops_at_a_refusal_without_trying_again(
    worked: PgProject,
    pg_project: PgDb,
    desktop: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PGPASSWORD", pg_project.add_person("lea", "lead"))
    with pg_project.admin(autocommit=True) as conn:
        (leads,) = conn.execute("SELECT role_name FROM team_roles WHERE kind = 'lead'").fetchone()  # type: ignore[misc]
        conn.execute(f'REVOKE INSERT, UPDATE ON agreement_parts FROM "{leads}"')
    assert main(["keep", pg_project.url_for("lea"), "--once"]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.splitlines() == [
        "annotator: agreement parts not kept: permission denied: lead lea cannot write"
        " agreement_parts"
    ]


def test_once_stops_at_no_such_database_without_trying_again(
    pg_project: PgDb, desktop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_project.server.admin_url_for(f"{pg_project.name}_none")
    assert main(["keep", url, "--once"]) == 1
    out = capsys.readouterr()
    assert len(out.err.splitlines()) == 1, out.err
    assert "does not exist" in out.err
    assert "trying again" not in out.err


def test_a_document_the_keeper_cannot_read_is_skipped_and_named_and_the_rest_kept(
    worked: PgProject, pg_project: PgDb, desktop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = paired(worked, "ani")[1]
    others = {p for p in done_pairs(worked) if p[2] != bad}  # read while all can be
    spoil(pg_project, "ani", [bad])
    assert main(["keep", pg_project.admin_url, "--once"]) == 1  # the report cannot take it
    out = capsys.readouterr()
    skipped, share = out.err.splitlines()
    assert skipped.startswith(f"annotator keep: agreement parts of document {bad} not kept: ")
    assert "RecursionError: maximum recursion depth exceeded while decoding a JSON" in skipped
    assert share.startswith("annotator: report state not shared (RecursionError: ")
    assert out.out.startswith(f"parts: {len(worked.documents.ids)} documents, ")
    assert set(kept(pg_project)) == others


def test_the_parts_line_counts_what_was_kept_before_a_bad_document_was_singled_out(
    worked: PgProject, pg_project: PgDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A computing writes its parts a chunk at a time; the chunks written before the bad
    document's failed are kept, and counted, although the halves then find them kept."""
    monkeypatch.setattr(compute, "CHUNK", 8)  # the keeper's one computing, several chunks
    bad = paired(worked, "ani")[-1]  # in the last chunk: the ones before it written first
    others = {d for _, _, d in done_pairs(worked)} - {bad}  # read while all can be
    spoil(pg_project, "ani", [bad])
    said: list[tuple[int, int]] = []
    keeper = PartsKeeper(worked, catch_up=0.0, kept=lambda d, p, _: said.append((d, p)))
    try:
        assert keeper.wait_idle(WAIT)
    finally:
        keeper.stop()
    assert keeper.fault is None
    assert list(keeper.skipped) == [bad]
    held = kept(pg_project)
    assert {d for _, _, d in held} == others
    assert said == [(len(worked.documents.ids), len(held))]
    assert keeper.computed == len(held)


def test_documents_with_a_span_the_report_leaves_out_are_kept_and_no_fault(
    worked: PgProject, pg_project: PgDb, desktop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Decision 0115: a span without its label is the report's data warning, no error; the
    keeper keeps the parts of such documents as of any other (the warning kept with them,
    decision 0116), names none and never stops for them."""
    docs = paired(worked, "ani")
    everything = done_pairs(worked)
    assert len(docs) > SKIP_AT_MOST
    spoil(pg_project, "ani", docs, LABEL_LEFT_OUT)
    told: list[str] = []
    keeper = PartsKeeper(worked, catch_up=0.0, warned=told.append)
    try:
        assert keeper.wait_idle(WAIT)
    finally:
        keeper.stop()
    assert keeper.fault is None
    assert told == []
    assert set(kept(pg_project)) == everything
    assert main(["keep", pg_project.admin_url, "--once"]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    assert "; report state shared in " in out.out


def test_more_bad_documents_than_a_few_stop_the_keeper_and_it_says_so(
    worked: PgProject, pg_project: PgDb
) -> None:
    docs = paired(worked, "ani")
    assert len(docs) > SKIP_AT_MOST
    spoil(pg_project, "ani", docs)
    told: list[str] = []
    keeper = PartsKeeper(worked, catch_up=0.0, warned=told.append)
    try:
        assert keeper.wait_idle(WAIT)
        keeper.add(docs[0])  # a notice after it stopped: nothing to wait for
        assert keeper.wait_idle(0), "a keeper that stopped is idle for good"
    finally:
        keeper.stop()
    assert keeper.fault is not None
    assert keeper.fault.startswith(f"more than {SKIP_AT_MOST} documents failed in one computing")
    assert "RecursionError: " in keeper.fault
    assert len(keeper.skipped) == SKIP_AT_MOST
    assert told[-1] == f"agreement parts no longer kept: {keeper.fault}"
    assert len(told) == SKIP_AT_MOST + 1


def test_the_service_ends_with_one_line_when_its_keeper_stops_on_a_fault(
    worked: PgProject, pg_project: PgDb, tmp_path: Path
) -> None:
    spoil(pg_project, "ani", paired(worked, "ani"))
    service = Service(pg_project.admin_url, tmp_path / "lead")
    try:
        code, err = service.ended()  # by itself: no signal sent
    finally:
        service.stop()
    assert code == 1
    assert "Traceback" not in err
    last = err.splitlines()[-1]
    assert last.startswith(
        f"annotator: agreement parts no longer kept: more than {SKIP_AT_MOST} documents failed"
    )
    assert sum(" not kept: RecursionError: " in e for e in err.splitlines()) == SKIP_AT_MOST


def test_a_listener_ending_on_a_fault_says_so_and_hears_nothing_more(
    team_store: PgProject, pg_project: PgDb
) -> None:
    heard: list[Notice] = []

    def callback(notice: Notice) -> None:
        heard.append(notice)
        if notice.kind == "annotations":
            raise ValueError("a view could not take it")

    listener = Listener(pg_project.admin_url, team_store.project_id, callback).start()
    try:
        assert listener.listening.wait(WAIT)
        with pg_project.admin(autocommit=True) as conn:
            conn.execute("UPDATE annotations SET seconds = seconds + 1 WHERE annotator = 'ani'")
        assert listener.ended.wait(WAIT), "the listener's thread went on"
    finally:
        listener.stop()
    assert listener.fault is not None
    assert listener.fault.startswith("ValueError: a view could not take it (")
    assert not listener.listening.is_set()
    assert heard[-1] == Notice("stopped")


def test_the_leads_window_says_its_keeper_stopped_and_goes_on(
    qtbot: QtBot,
    team_store: PgProject,
    pg_project: PgDb,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing(*_: object) -> int:  # a fault of the computing itself, on every document
        raise RuntimeError("a computing that fails")

    # data the keeper cannot read stops the window's other readers too (decision 0115)
    monkeypatch.setattr(keeper_module, "keep_parts", failing)
    monkeypatch.setenv("PGPASSWORD", pg_project.add_person("lea", "lead"))
    lead = open_url(qtbot, tmp_path, pg_project.url_for("lea"))
    changes = lead.server_view.changes
    keeper = changes.keeper
    assert keeper is not None
    # the keeper starts its catch-up seconds after the window opened
    qtbot.waitUntil(lambda: "no longer kept" in lead.notice.text(), timeout=WAIT_MS)
    assert keeper.fault is not None
    assert len(changes.problems) == SKIP_AT_MOST + 1
    assert changes.problems[0].startswith("agreement parts of document ")
    assert changes.problems[-1] == f"agreement parts no longer kept: {keeper.fault}"
    assert lead.notice.isVisible()
    assert lead.notice.text() == f"In the background: {changes.problems[-1]}"
    assert lead.isVisible()
    lead.close()
    assert changes.keeper is None

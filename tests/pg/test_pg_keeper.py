"""The lead's desktop keeps the agreement parts of documents as they are finished (decision
0101): a ``PartsKeeper`` given a document computes the parts of the pairs that both finished
it, nothing for one still in progress, catches up over a whole project, and the next report
finds every part kept (it computes none) and is the full report. An annotator's keeper does
nothing; a report and a keeper never compute at once."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from _pg_helpers import PgDb

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from _team_corpus import PEOPLE

from annotator.core.agreement.loading import load_corpus
from annotator.core.agreement.report import agreement_report, report_json
from annotator.core.edit import AddSpan, SetStatus
from annotator.core.pg import compute, parts
from annotator.core.pg.keeper import PartsKeeper
from annotator.core.pg.store import PgProject, open_pg_project
from annotator.core.tokens import Snap

WAIT = 60.0


def kept(db: PgDb) -> dict[tuple[str, str, str], Any]:
    with db.admin() as conn:
        rows = conn.execute("SELECT a, b, document_id, computed_at FROM agreement_parts").fetchall()
    return {(a, b, d): when for a, b, d, when in rows}


def done_pairs(team_store: PgProject) -> set[tuple[str, str, str]]:
    """(a, b, document) of every document both a and b finished."""
    done: dict[str, set[str]] = {}
    for name in PEOPLE:
        with team_store.session(name, read_only=True) as session:
            done[name] = {d for d in team_store.documents.ids if session.status(d) == "done"}
    return {
        (a, b, d) for i, a in enumerate(PEOPLE) for b in PEOPLE[i + 1 :] for d in done[a] & done[b]
    }


def test_the_catch_up_keeps_every_part_and_the_report_computes_none(
    team_store: PgProject, pg_project: PgDb, tmp_path: Path
) -> None:
    keeper = PartsKeeper(team_store, catch_up=0.0)
    try:
        assert keeper.wait_idle(WAIT)
    finally:
        keeper.stop()
    assert keeper.problem is None
    first = kept(pg_project)
    assert set(first) == done_pairs(team_store)
    assert keeper.computed == len(first) > 0
    names = list(PEOPLE)
    other = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / "other")
    try:
        report = parts.fast_report(other, names)
        assert report is not None
        full = agreement_report(load_corpus(other, names, include_gold=False), names)
        assert report_json(report) == report_json(full)
    finally:
        other.close()
    assert kept(pg_project) == first, "the report found every part kept"
    again = PartsKeeper(team_store, catch_up=0.0)  # nothing changed: nothing computed again
    try:
        assert again.wait_idle(WAIT)
    finally:
        again.stop()
    assert again.computed == 0
    assert kept(pg_project) == first


def test_a_document_given_is_computed_when_two_finished_it(
    team_store: PgProject, pg_project: PgDb
) -> None:
    keeper = PartsKeeper(team_store, catch_up=None)
    try:
        assert keeper.wait_idle(1.0), "nothing given, nothing to do"
        with team_store.session("ani", read_only=True) as ani, team_store.session("budi") as budi:
            doc = next(
                d for d in team_store.documents.ids
                if ani.status(d) == "done" and budi.status(d) != "done"
            )  # fmt: skip
            keeper.add(doc)  # only ani finished it: nothing to compute
            assert keeper.wait_idle(WAIT)
            assert not kept(pg_project)
            text = team_store.documents.get(doc).text
            budi.apply(AddSpan(doc, 0, text.index(" "), "PERSON", Snap.EXACT))
            budi.apply(SetStatus(doc, "done", seconds=3.0))
            assert budi.wait_synced(WAIT)
        keeper.add(doc)
        assert keeper.wait_idle(WAIT)
        assert {(a, b) for a, b, d in kept(pg_project) if d == doc} >= {("ani", "budi")}
        assert {d for _, _, d in kept(pg_project)} == {doc}
    finally:
        keeper.stop()


def test_an_annotators_keeper_does_nothing(
    team_store: PgProject, pg_project: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", pg_project.add_person("ani", "annotator"))
    mine = open_pg_project(pg_project.url_for("ani"), cache_dir=tmp_path / "ani")
    try:
        keeper = PartsKeeper(mine, catch_up=0.0)
        keeper.add(next(iter(team_store.documents.ids)))
        assert keeper.wait_idle(1.0)
        keeper.stop()
        assert compute.keep_parts(mine) == 0
    finally:
        mine.close()
    assert not kept(pg_project)


def test_a_report_waits_for_the_keepers_chunk(
    team_store: PgProject, pg_project: PgDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The keeper computes a chunk while holding ``COMPUTING``; a report that starts meanwhile
    waits, then finds the chunk kept and computes only the rest."""
    monkeypatch.setattr(compute, "CHUNK", 5)
    computed: list[list[str]] = []
    real = compute._Chunk.compute

    def watched(chunk: Any, read: Any, *args: Any) -> Any:
        computed.append(sorted(chunk.docs))
        return real(chunk, read, *args)

    monkeypatch.setattr(compute._Chunk, "compute", watched)
    with compute.COMPUTING:  # the keeper's turn comes after this report's
        keeper = PartsKeeper(team_store, catch_up=0.0)
        names = list(PEOPLE)
        report = parts.fast_report(team_store, names)
        assert report is not None
    assert keeper.wait_idle(WAIT)
    keeper.stop()
    everything = [d for chunk in computed for d in chunk]
    assert everything, "the chunks computed are seen"
    assert len(everything) == len(set(everything)), "no document computed twice"
    assert set(kept(pg_project)) == done_pairs(team_store)

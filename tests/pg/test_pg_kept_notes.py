"""The report's warnings about spans it leaves out, made from what the last report kept of
them (decision 0119: per annotator and document the counts, and the notes of the documents
before the cut), are the warnings of the report computed afresh over every annotation, after
any sequence of changes: spans left out and put right again (beyond the text, of a label the
project does not have, given twice) in documents before and after the cut, edits, documents
taken back from done and newly compared; on this desktop and on a new one starting from the
server's copy. And a report after an edit reads the notes of the changed documents alone."""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from _pg_helpers import PgDb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_pg_kept_report import _fast, _full, _step
from test_pg_parts import _edit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from _team_corpus import PEOPLE, fill

from annotator.core.agreement import corpus
from annotator.core.pg.parts_server import Server
from annotator.core.pg.store import PgProject, open_pg_project

BAD = [
    {"start": 0, "end": 99999, "label": "PERSON"},  # beyond the text
    {"start": 0, "end": 3, "label": "NOPE"},  # a label the project does not have
    {"start": 4, "end": 2, "label": "CITY"},  # reversed
    {"start": 0, "end": 3, "label": "PERSON"},  # then given twice
]
# a desktop refuses to open a record with such spans (decision 0115): the records are
# changed as a script would, and documents are added, retitled and newly compared as before
NOTED = st.one_of(
    st.tuples(st.just("title"), st.integers(0, 29), st.sampled_from(["Banjir", "Café\u0301"])),
    st.tuples(st.just("new"), st.sampled_from(PEOPLE), st.integers(0, 10**6)),
    st.tuples(st.sampled_from(["edit", "back"]), st.sampled_from(PEOPLE), st.integers(0, 29)),
    st.tuples(
        st.sampled_from(["bad", "twice"]),
        st.sampled_from(PEOPLE),
        st.integers(0, 29),
        st.integers(1, 5),
    ),
    st.tuples(st.just("good"), st.sampled_from(PEOPLE), st.integers(0, 29), st.just(0)),
    st.tuples(st.just("good"), st.sampled_from(PEOPLE), st.just(-1), st.just(0)),
)


def _spoil(db: PgDb, who: str, doc: str | None, times: int, twice: bool = False) -> None:
    """``times`` of each bad span added to ``who``'s record of ``doc`` (None: of every
    document), as an annotator's own script could (``twice``: the span given twice alone);
    ``times`` 0: every bad span taken out."""
    where = "annotator = %s AND project_id = %s" + ("" if doc is None else " AND document_id = %s")
    args = (who, db.project_id) if doc is None else (who, db.project_id, doc)
    with db.admin() as conn:
        if times:
            spans = ([] if twice else BAD[:3] * times) + [BAD[3]] * (times + 1)
            conn.execute(f"UPDATE annotations SET spans = spans || %s::jsonb WHERE {where}",
                         (json.dumps(spans), *args))  # fmt: skip
        else:
            conn.execute(
                "UPDATE annotations SET spans = coalesce((SELECT jsonb_agg(DISTINCT x)"
                " FROM jsonb_array_elements(spans) x WHERE (x->>'end')::int < 9999"
                " AND x->>'label' <> 'NOPE' AND (x->>'end')::int > (x->>'start')::int),"
                f" '[]') WHERE {where}",
                args,
            )
        conn.commit()


def _noted_step(store: PgProject, db: PgDb, step: tuple[Any, ...]) -> None:
    kind, who, which, *times = step
    ids = store.documents.ids
    if kind in ("bad", "twice", "good"):
        _spoil(db, who, None if which < 0 else ids[which], times[0], kind == "twice")
    elif kind in ("edit", "back"):  # a span added; or taken back from done, or done again
        doc = ids[which]
        change = (
            "spans = spans || %s::jsonb"
            if kind == "edit"
            else "status = CASE WHEN status = 'done' THEN 'in_progress' ELSE 'done' END"
        )
        text = store.documents.get(doc).text
        span = [{"start": 0, "end": text.index(" "), "label": "CITY"}]
        args = (json.dumps(span),) if kind == "edit" else ()
        with db.admin() as conn:
            conn.execute(
                f"UPDATE annotations SET {change}, revision = revision + 1"
                " WHERE annotator = %s AND document_id = %s AND NOT untouched",
                (*args, who, doc),
            )
            conn.commit()
    else:
        _step(store, db, step)


@pytest.mark.parametrize("cut", [3, 40])
def test_any_changes_give_the_warnings_computed_afresh(
    pg_project: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cut: int
) -> None:
    monkeypatch.setattr(corpus, "MAX_WARNINGS_PER_ANNOTATOR", cut)
    names = list(PEOPLE)
    store = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / "desktop")
    fill(store)
    # nearly every record has notes; citra's duplicates alone, so that the cut falls in them
    for who, times, twice in (("ani", 2, False), ("budi", 1, False), ("citra", 5, True)):
        _spoil(pg_project, who, None, times, twice)
    warnings = _full(store, names)[0]["warnings"]
    assert sum("more span warnings" in w for w in warnings) == 3
    desktops = itertools.count()

    @settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(NOTED, min_size=1, max_size=5))
    def changes(steps: list[tuple[Any, ...]]) -> None:  # on one project: changes pile up
        full = _full(store, names)
        assert _fast(store, names) == full
        for step in steps:
            _noted_step(store, pg_project, step)
            full = _full(store, names)
            assert _fast(store, names) == full, step
        other = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / f"new{next(desktops)}")
        try:  # a new desktop: from the copy on the server (if a report shared one)
            assert _fast(other, names) == _full(other, names)
        finally:
            other.close()

    try:
        changes()
    finally:
        store.close()


def test_a_report_after_an_edit_reads_the_notes_of_what_changed(
    team_store: PgProject, pg_project: PgDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every record of two annotators has spans left out, more than the report shows: a
    report reads back no note of the parts it computed, and a report after another desktop
    computed the parts of an edited document reads the notes of that document's parts
    alone; its warnings (the first thousand lines per annotator and how many more) are the
    ones computed afresh."""
    names = list(PEOPLE)
    for who in ("ani", "citra"):
        _spoil(pg_project, who, None, 20)  # 30 documents x 61: past the cut of 1,000
    read: list[tuple[bool, int]] = []  # (every note, rows read) per read of notes
    notes = Server.notes

    def counted(self: Server, key: str, *args: Any) -> Any:
        rows = notes(self, key, *args)
        read.append((not args, len(rows)))
        return rows

    monkeypatch.setattr(Server, "notes", counted)
    full = _full(team_store, names)
    assert sum("more span warnings" in w for w in full[0]["warnings"]) == 2
    assert _fast(team_store, names) == full
    assert read == [], "every part computed here: no note read back"
    other = open_pg_project(pg_project.admin_url, cache_dir=team_store.cache_dir / "other")
    try:
        assert _fast(other, names) == full  # from the state shared on the server
        assert read == []
        doc = next(d for d in team_store.documents.ids if _has(pg_project, "budi", d))
        _edit(team_store, "budi", doc, "PERSON")  # (a desktop cannot open ani's records now)
        assert _fast(other, names) == _full(other, names)  # computes that document's parts
        assert read == []
        assert _fast(team_store, names) == _full(team_store, names)  # reads their notes
        assert read
        assert not any(every for every, _ in read), "only the notes of what changed"
        assert sum(rows for _, rows in read) <= 2, read  # budi's parts of that document
        read.clear()
        _spoil(pg_project, "ani", None, 0)  # every one of ani's records put right
        assert _fast(team_store, names) == _full(team_store, names)
        assert _fast(other, names) == _full(other, names)
        assert read
        assert not any(every for every, _ in read)
    finally:
        other.close()


def _has(db: PgDb, who: str, doc: str) -> bool:
    """Whether ``who`` submitted ``doc`` and another annotator did too (it is compared)."""
    with db.admin() as conn:
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE annotator = %s), count(*) FROM annotations"
            " WHERE document_id = %s AND status = 'done' AND NOT untouched",
            (who, doc),
        ).fetchone()
    return row is not None and row[0] == 1 and row[1] >= 2


def test_notes_of_records_kept_again_by_another_desktop(
    pg_project: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record rewritten with the same content keeps its parts' versions in this desktop's
    state (the digest is the same), while another desktop keeps its parts again under the
    versions the records have now: the notes of those parts are still this report's notes,
    read where the cut moves past what was kept (a document no longer compared)."""
    monkeypatch.setattr(corpus, "MAX_WARNINGS_PER_ANNOTATOR", 3)
    names = list(PEOPLE)
    store = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / "desktop")
    try:
        fill(store)
        _spoil(pg_project, "ani", None, 2)
        assert _fast(store, names) == _full(store, names)
        with pg_project.admin() as conn:  # the same content again, and no shared state
            conn.execute("UPDATE annotations SET spans = spans WHERE annotator = 'ani'")
            conn.execute("DELETE FROM agreement_states")
            conn.commit()
        other = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / "other")
        try:
            assert _fast(other, names) == _full(other, names)
        finally:
            other.close()
        first = next(d for d in store.documents.ids if _has(pg_project, "ani", d))
        with pg_project.admin() as conn:  # no longer compared: ani's cut moves past it
            conn.execute(
                "UPDATE annotations SET status = 'in_progress', revision = revision + 1"
                " WHERE document_id = %s AND annotator <> 'ani'",
                (first,),
            )
            conn.commit()
        full = _full(store, names)
        assert not any(f"(ani, {first})" in w for w in full[0]["warnings"])
        assert _fast(store, names) == full
    finally:
        store.close()

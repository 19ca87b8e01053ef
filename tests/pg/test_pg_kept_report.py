"""The lead's report made from what the last report kept (decision 0102: the state mapped
from the desktop's file, the titles kept with it while the documents are the same, the
project's count of documents from the digest) is the report computed afresh, after any
sequence of changes: edits, documents newly compared and no longer compared, documents
retitled and added; on this desktop and on a new one starting from the server's copy."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path
from typing import Any

from _pg_helpers import PgDb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.types.json import Json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from _team_corpus import PEOPLE, fill
from test_pg_parts import _edit

from annotator.core.agreement.loading import load_corpus
from annotator.core.agreement.replicate_sums import wait_drawn
from annotator.core.agreement.report import AgreementReport, agreement_report, report_json
from annotator.core.edit import SetStatus
from annotator.core.model import Document
from annotator.core.pg import parts
from annotator.core.pg.store import PgProject, open_pg_project

STEP = st.one_of(
    st.tuples(st.just("edit"), st.sampled_from(PEOPLE), st.integers(0, 29)),
    st.tuples(st.just("back"), st.sampled_from(PEOPLE), st.integers(0, 29)),
    st.tuples(st.just("title"), st.integers(0, 29), st.sampled_from(["Banjir", " ", "Café\u0301"])),
    st.tuples(st.just("new"), st.sampled_from(PEOPLE), st.integers(0, 10**6)),
)
NEW = itertools.count()


def _shown(report: AgreementReport | None) -> tuple[Any, ...]:
    """The JSON and what the window shows beside it: each row's title and spans."""
    assert report is not None, "the kept report applies"
    return report_json(report), [(d.title, d.spans) for d in report.per_document]


def _fast(store: PgProject, names: list[str]) -> tuple[Any, ...]:
    return _shown(parts.fast_report(store, names))


def _full(store: PgProject, names: list[str]) -> tuple[Any, ...]:
    return _shown(agreement_report(load_corpus(store, names, include_gold=False), names))


def _step(store: PgProject, db: PgDb, step: tuple[Any, ...]) -> None:
    kind, who, which = step
    if kind == "edit":
        _edit(store, who, store.documents.ids[which % len(store.documents.ids)])
    elif kind == "back":
        session = store.session(who)
        try:
            session.apply(SetStatus(store.documents.ids[which], "in_progress"))
            assert session.wait_synced(10.0)
            session.save()
        finally:
            session.close()
    elif kind == "title":
        with db.admin() as conn:
            conn.execute(
                "UPDATE documents SET meta = %s WHERE project_id = %s AND id = %s",
                (Json({"title": which}), db.project_id, store.documents.ids[who]),
            )
            conn.commit()
    else:
        doc_id = f"new-{next(NEW):04d}"
        db.add_documents(Document(id=doc_id, text=f"Berita {which} dari Medan.\nIsi berita."))
        store.documents.reload()
        _edit(store, who, doc_id)
        _edit(store, PEOPLE[(PEOPLE.index(who) + 1) % 3], doc_id)  # compared at once
    store.documents.reload()


def test_any_changes_give_the_report_computed_afresh(pg_project: PgDb, tmp_path: Path) -> None:
    names = list(PEOPLE)
    store = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / "desktop")
    fill(store)
    desktops = itertools.count()

    @settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(STEP, min_size=1, max_size=5))
    def changes(steps: list[tuple[Any, ...]]) -> None:  # on one project: changes pile up
        assert _fast(store, names) == _full(store, names)
        for step in steps:
            _step(store, pg_project, step)
            assert _fast(store, names) == _full(store, names), step
        other = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / f"new{next(desktops)}")
        try:  # a new desktop: from the copy on the server (if a report shared one)
            assert _fast(other, names) == _full(other, names)
        finally:
            other.close()

    try:
        changes()
    finally:
        store.close()


def test_the_first_report_keeps_its_draw_for_the_next(pg_project: PgDb, tmp_path: Path) -> None:
    """The draw a first report made ahead is kept on the desktop (decision 0121): the next
    report after an edit reads its columns from it, neither drawing nor writing it again."""
    names = list(PEOPLE)
    store = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / "desktop")
    fill(store)
    try:
        assert _fast(store, names) == _full(store, names)  # from nothing: drawn ahead
        drawn = list((tmp_path / "desktop").rglob("draw-*.npy"))
        assert len(drawn) == 1
        made = drawn[0].stat().st_mtime_ns
        _edit(store, PEOPLE[0], store.documents.ids[0])
        assert _fast(store, names) == _full(store, names)
        assert drawn[0].stat().st_mtime_ns == made
    finally:
        store.close()


def test_a_report_from_another_desktops_state_draws_for_the_next(
    pg_project: PgDb, tmp_path: Path
) -> None:
    """A desktop whose first report came from the state another desktop shared drew nothing;
    it draws after that report and keeps the draw, so its next report after an edit reads
    the columns it needs instead of drawing every replicate (decision 0121)."""
    names = list(PEOPLE)
    first = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / "first")
    fill(first)
    try:
        assert _fast(first, names) == _full(first, names)  # from nothing: the state shared
    finally:
        first.close()
    other = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / "other")
    try:
        assert _fast(other, names) == _full(other, names)  # from the shared state
        wait_drawn()  # drawn after the report, on a thread of its own
        drawn = list((tmp_path / "other").rglob("draw-*.npy"))
        assert len(drawn) == 1
        made = drawn[0].stat().st_mtime_ns
        _edit(other, PEOPLE[1], other.documents.ids[1])
        assert _fast(other, names) == _full(other, names)
        assert drawn[0].stat().st_mtime_ns == made  # read, not drawn and written again
    finally:
        other.close()

"""The progress table counted by the server (decisions 0093, 0097) is the table counted on the
desktop from the same rows, number for number: with and without a plan, records outside the
plan, taken-back (untouched) rows, stamps in any form, seconds whose float sum would depend on
the order they are added in, documents whose project order is not their id order; and the server is
not asked when it cannot answer (an annotator, unconfirmed edits on this desktop)."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
from _pg_helpers import PgDb
from psycopg.types.json import Json

from annotator.core import reads
from annotator.core.edit import SetStatus
from annotator.core.model import Document, sha256_text
from annotator.core.pg.progress import server_progress
from annotator.core.pg.store import PgProject, open_pg_project
from annotator.core.progress import compute_progress, progress_json, project_progress

NAMES = ("ani", "budi", "citra", "dewi", "eko")
STAMPS = [
    "2026-05-01T10:00:00Z",
    "2026-05-02T09:59:59Z",
    "2026-05-02T10:00:00+07:00",  # earlier than the one above, later as text
    "2026-05-01 23:00:00.25",  # no offset: UTC
    "2026-05-03T00:00:00.5Z",
    "",
    "not a time",
]


def _fill(db: PgDb, seed: int, planned: bool) -> list[str]:
    """Documents added in shuffled order, random records and (``planned``) a random plan."""
    rng = random.Random(seed)
    ids = [f"doc-{i:03d}" for i in range(60)]
    rng.shuffle(ids)  # project order is not id order
    db.add_documents(*(Document(id=d, text=f"Berita {d} dari Medan 😀.") for d in ids))
    records, plan = [], []
    for doc in ids:
        team = rng.sample(NAMES, rng.choice([0, 1, 2, 2, 3, 3, 5]))
        plan += [(db.project_id, doc, name, place) for place, name in enumerate(team)]
        for name in NAMES:
            if rng.random() < (0.8 if name in team else 0.15):
                records.append((
                    db.project_id, doc, name, sha256_text(f"Berita {doc} dari Medan 😀."),
                    Json([]), rng.choice(["done", "done", "skipped", "in_progress"]),
                    rng.choice(STAMPS[:5]) if rng.random() < 0.9 else rng.choice(STAMPS),
                    rng.uniform(0, 5000) * rng.choice([1, 1e-3, 1e5]), rng.random() < 0.1,
                ))  # fmt: skip
    with db.admin(autocommit=True) as conn, conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO annotations (project_id, document_id, annotator, text_sha256, spans,"
            " status, updated_at, seconds, untouched) VALUES (%s, %s, %s, %s, %s, %s, %s, %s,"
            " %s)",
            records,
        )
        if planned:
            cur.executemany(
                "INSERT INTO assignments (project_id, document_id, annotator, place)"
                " VALUES (%s, %s, %s, %s)",
                plan,
            )
    return ids


def _on_the_desktop(store: PgProject) -> Any:
    return compute_progress(
        store.config.name, store.documents.ids, store.assignments(), reads.work(store)
    )


@pytest.fixture
def store(pg_project: PgDb, tmp_path: Path) -> Any:
    project = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / "desktop")
    yield project
    project.close()


@pytest.mark.parametrize("planned", [True, False])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_server_counts_what_the_desktop_counts(
    pg_project: PgDb, store: PgProject, seed: int, planned: bool
) -> None:
    _fill(pg_project, seed, planned)
    counted = server_progress(store)
    assert counted is not None
    expected = _on_the_desktop(store)
    assert counted == expected  # every field, the exact sums of seconds included
    assert counted.planned is planned
    assert counted.annotators
    assert counted.pairs
    assert any(r.last_activity for r in counted.annotators)
    if planned:
        assert counted.unassigned > 0
        assert counted.overlap_documents > 0
        assert any(r.outside_plan for r in counted.annotators)
        assert counted.warnings
    assert progress_json(project_progress(store)) == progress_json(expected)


def test_an_empty_project_and_one_without_records(pg_project: PgDb, store: PgProject) -> None:
    assert server_progress(store) == _on_the_desktop(store)
    pg_project.add_documents(Document(id="a", text="Satu."), Document(id="b", text="Dua."))
    store.documents.reload()  # the server counts what it holds; the desktop's list is read again
    assert server_progress(store) == _on_the_desktop(store)
    pg_project.assign({"a": ["ani", "budi"]})
    counted = server_progress(store)
    assert counted == _on_the_desktop(store)
    assert counted is not None
    assert counted.unassigned == 1
    assert counted.overlap_documents == 1


def test_the_server_is_not_asked_when_it_cannot_answer(
    pg_project: PgDb, store: PgProject, tmp_path: Path
) -> None:
    ids = _fill(pg_project, 4, True)
    pg_project.add_person("ani", "annotator")
    ani = open_pg_project(
        pg_project.url_for("ani") + f"?password={pg_project.passwords['ani']}",
        cache_dir=tmp_path / "ani",
    )
    try:
        assert server_progress(ani) is None  # an annotator sees only their own rows
        assert project_progress(ani) == _on_the_desktop(ani)
    finally:
        ani.close()
    # this desktop holds an edit the server has not confirmed (made while the server was
    # away, through the desktop's copy): progress is counted on the desktop, with the edit
    store.documents.get(ids[0])
    store.session("budi").close()
    away = re.sub(r"port=\d+", "port=1", pg_project.admin_url)
    offline = open_pg_project(away, cache_dir=tmp_path / "desktop")
    try:
        assert offline.opened_from_copy is not None
        session = offline.session("budi")
        session.apply(SetStatus(ids[0], "done", seconds=3.0))
        assert store.holds_unconfirmed()
        assert server_progress(store) is None
        counted = project_progress(store)
        assert counted == _on_the_desktop(store)
        assert reads.activity(store, "budi")[ids[0]].status == "done"
        session.close()
    finally:
        offline.close()

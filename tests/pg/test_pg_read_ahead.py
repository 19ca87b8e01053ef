"""An annotator's next documents are read ahead when their session opens (decision 0093):
the texts of their assigned documents not yet finished, in project order, so the next
document opens from the desktop, and can be annotated while the server is away. Finished
ones, others' documents and texts kept already are not read; each text is kept once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _pg_helpers import PgDb

from annotator.core.edit import SetStatus
from annotator.core.model import Document
from annotator.core.pg import ServerUnreachable
from annotator.core.pg.local_copy import load_texts
from annotator.core.pg.store import PgProject, open_pg_project

TEXTS = {
    f"d{i}": f"Berita {i}: Wali Kota Medan 😀 meresmikan Kartu Prakerja.\r\n" for i in range(8)
}
MINE = ["d6", "d1", "d4", "d0", "d3"]  # ani's; project order is d0..d7


@pytest.fixture
def ani(pg_project: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PgDb:
    pg_project.add_documents(*(Document(id=d, text=t) for d, t in TEXTS.items()))
    pg_project.add_person("ani", "annotator")
    pg_project.add_person("bob", "annotator")
    pg_project.assign({d: ["ani"] for d in MINE} | {"d2": ["bob"], "d5": ["bob"]})
    pg_project.use_passfile(tmp_path / "pgpass", monkeypatch)
    return pg_project


def _open(db: PgDb, desk: Path) -> PgProject:
    return open_pg_project(db.url_for("ani"), cache_dir=desk)


def test_the_next_documents_are_on_the_desktop_once_a_session_opens(
    ani: PgDb, tmp_path: Path
) -> None:
    desk = tmp_path / "desk"
    store = _open(ani, desk)
    try:
        session = store.session("ani")
        assert sorted(d for d in TEXTS if store.documents.known(d)) == sorted(MINE)
        session.apply(SetStatus("d1", "done", seconds=2.0))
        session.apply(SetStatus("d4", "skipped"))
        assert session.wait_synced(30.0)
        session.close()
    finally:
        store.close()
    kept = (desk / "texts.jsonl").read_text("utf-8").splitlines()
    assert len(kept) == len(MINE)
    assert {d: doc.text for d, doc in load_texts(desk).items()} == {d: TEXTS[d] for d in MINE}

    fresh = _open(ani, tmp_path / "other-desk")  # another desktop: only what is left to do
    try:
        fresh.session("ani").close()
        assert sorted(d for d in TEXTS if fresh.documents.known(d)) == ["d0", "d3", "d6"]
    finally:
        fresh.close()
    again = _open(ani, desk)  # the same desktop again: nothing is kept twice
    try:
        again.session("ani").close()
    finally:
        again.close()
    assert (desk / "texts.jsonl").read_text("utf-8").splitlines() == kept


def test_read_ahead_documents_open_while_the_server_is_away(ani: PgDb, tmp_path: Path) -> None:
    desk = tmp_path / "desk"
    store = _open(ani, desk)
    store.session("ani").close()
    store.close()
    away = open_pg_project(re.sub(r":\d+/", ":1/", ani.url_for("ani")), cache_dir=desk)
    try:
        assert away.opened_from_copy is not None
        session = away.session("ani")
        for doc in MINE:
            assert away.documents.get(doc).text == TEXTS[doc]
        session.apply(SetStatus("d6", "done", seconds=1.0))
        assert session.status("d6") == "done"
        with pytest.raises(ServerUnreachable, match="not on this computer"):
            away.documents.get("d7")
        session.close()
    finally:
        away.close()

"""A lead's bulk writes (``push``, ``import``) leave the lead's report ready (decision 0106):
after keeping the agreement parts of what they brought, they make the report ``annotator
agreement`` makes and keep its state on the server for every lead. The first report on any
lead's desktop afterwards then starts from that state: it reads and computes no part (the
server's parts are emptied before it, so a report that needed one would compute it and keep
it), and it is the report computed afresh from the whole corpus. Hypothesis runs sequences of
bulk writes and a desktop's edits between them."""

from __future__ import annotations

import itertools
import json
import shutil
import sys
import unicodedata
import zlib
from pathlib import Path
from typing import Any

import pytest
from _pg_helpers import PgDb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_pg_kept_report import _fast, _full
from test_pg_parts import _edit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from _team_corpus import PEOPLE, fill

from annotator.cli import main
from annotator.core.agreement.loading import choose_annotators
from annotator.core.edit import AddSpan, SetStatus
from annotator.core.pg.compute import Server
from annotator.core.pg.parts import fast_report
from annotator.core.pg.store import open_pg_project
from annotator.core.project import Project
from annotator.core.tokens import Snap

STATE_LINE = "agreement report state: "
DESKTOPS = itertools.count()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


@pytest.fixture
def pushed(
    pg_db: PgDb, tmp_path: Path, desktop: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Project, str]:
    """A folder project of three annotators (no gold: the lead's report is then made from
    kept parts) pushed to a fresh database."""
    folder = Project.init(tmp_path / "news", "news")
    fill(folder, gold=False)
    out = run(capsys, "push", str(folder.root), pg_db.admin_url)
    compared = len(_done_by_two(pg_db))
    assert compared >= 5
    assert f"{STATE_LINE}{compared:,} documents compared, kept for every lead's first" in out
    assert _states(pg_db) == [json.dumps(sorted(PEOPLE))]
    return folder, pg_db.admin_url


def _done_by_two(db: PgDb) -> list[tuple[str, str]]:
    """The documents two or more annotators finished, with their texts."""
    with db.admin() as conn:
        return [
            (str(d), str(t))
            for d, t in conn.execute(
                "SELECT a.document_id, d.text FROM annotations a JOIN documents d"
                " ON d.project_id = a.project_id AND d.id = a.document_id"
                " WHERE a.status = 'done' AND NOT a.untouched GROUP BY 1, 2"
                " HAVING count(*) >= 2 ORDER BY 1"
            ).fetchall()
        ]


def _states(db: PgDb) -> list[str]:
    with db.admin() as conn:
        return [str(r[0]) for r in conn.execute("SELECT annotators FROM agreement_states")]


def _parts(db: PgDb, forget: bool = False) -> int:
    with db.admin() as conn:
        if forget:
            conn.execute("DELETE FROM agreement_parts")
            conn.commit()
        (count,) = conn.execute("SELECT count(*) FROM agreement_parts").fetchone() or (0,)
    return int(count)


def first_report_elsewhere(db: PgDb, tmp_path: Path, ready: bool = True) -> None:
    """A lead's first report on a desktop that never reported equals the report computed
    afresh; with ``ready`` (after a push or an import) it starts from the state they kept:
    the server's parts emptied first, none is computed again."""
    if ready:
        _parts(db, forget=True)
    store = open_pg_project(db.admin_url, cache_dir=tmp_path / f"lead-{next(DESKTOPS)}")
    try:
        names = choose_annotators(store, None)  # as ``annotator agreement`` compares them
        assert _fast(store, names) == _full(store, names)
    finally:
        store.close()
    if ready:
        assert _parts(db) == 0, "the first report computed parts: it did not start from the state"


def _jsonl(path: Path, docs: list[tuple[str, str]], label: str, skip: int = 0) -> Path:
    """An import file giving each document a span over its ``skip``-th word."""
    lines = []
    for doc_id, text in docs:
        words = text.split(" ")
        start = sum(len(w) + 1 for w in words[: skip % len(words)])
        end = start + len(words[skip % len(words)])
        lines.append(json.dumps({"id": doc_id, "text": text, "label": [[start, end, label]]}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _importable(db: PgDb) -> list[tuple[str, str]]:
    # a text with CRLF or a combining mark comes back from this JSONL import as another
    # text ("already in the project with a different text"): such documents are not used
    return [
        (d, t) for d, t in _done_by_two(db) if "\r" not in t and unicodedata.is_normalized("NFC", t)
    ]


def test_the_first_report_after_a_push_starts_from_its_state(
    pushed: tuple[Project, str], pg_db: PgDb, tmp_path: Path
) -> None:
    first_report_elsewhere(pg_db, tmp_path)
    first_report_elsewhere(pg_db, tmp_path)  # another lead: the server's copy is unchanged


def test_the_first_report_after_an_import_starts_from_its_state(
    pushed: tuple[Project, str],
    pg_db: PgDb,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, url = pushed
    first_report_elsewhere(pg_db, tmp_path)  # a lead's desktop kept the push's state
    # an annotation of budi's rewritten by an import, and a new annotator's
    docs = _importable(pg_db)[:3]
    out = run(capsys, "import", url, str(_jsonl(tmp_path / "b.jsonl", docs, "CITY", 1)),
              "--annotator", "budi", "--overwrite")  # fmt: skip
    assert "agreement parts: " in out
    assert STATE_LINE in out
    first_report_elsewhere(pg_db, tmp_path)
    out = run(capsys, "import", url, str(_jsonl(tmp_path / "d.jsonl", docs, "PERSON")),
              "--annotator", "dewi")  # fmt: skip
    assert STATE_LINE in out
    assert _states(pg_db)[-1] == json.dumps(sorted([*PEOPLE, "dewi"])), "every annotator"
    first_report_elsewhere(pg_db, tmp_path)
    # documents only: the report's count of documents changes, and its state with it
    new = tmp_path / "new.jsonl"
    new.write_text(json.dumps({"id": "baru-1", "text": "Banjir di Medan 😀."}) + "\n", "utf-8")
    out = run(capsys, "import", url, str(new))
    assert "agreement parts" not in out
    assert STATE_LINE in out
    first_report_elsewhere(pg_db, tmp_path)


def test_an_annotators_import_keeps_nothing_and_the_next_report_catches_up(
    pushed: tuple[Project, str],
    pg_db: PgDb,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An annotator may import their own annotations but keeps neither parts nor state (the
    server lets only leads write them); the state on the server is then behind the write,
    and a lead's first report elsewhere computes what changed and is still right."""
    with pg_db.admin() as conn:
        before = conn.execute("SELECT computed_at FROM agreement_states").fetchall()
        mine = {r[0] for r in conn.execute("SELECT document_id FROM assignments"
                                           " WHERE annotator = 'ani'")}  # fmt: skip
    monkeypatch.setenv("PGPASSWORD", pg_db.add_person("ani", "annotator"))
    docs = [d for d in _importable(pg_db) if d[0] in mine][:2]
    assert docs
    out = run(capsys, "import", pg_db.url_for("ani"), str(_jsonl(tmp_path / "a.jsonl", docs,
              "PROGRAM", 2)), "--annotator", "ani", "--overwrite")  # fmt: skip
    assert "annotations of ani: 2 written" in out
    assert "agreement" not in out
    with pg_db.admin() as conn:
        assert conn.execute("SELECT computed_at FROM agreement_states").fetchall() == before
    first_report_elsewhere(pg_db, tmp_path, ready=False)


def test_a_project_with_gold_keeps_no_state(
    pg_db: PgDb, tmp_path: Path, desktop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Gold to score: ``annotator agreement`` does not use kept parts, so no state is made
    (the parts are still kept)."""
    folder = Project.init(tmp_path / "news", "news")
    fill(folder)
    out = run(capsys, "push", str(folder.root), pg_db.admin_url)
    assert "agreement parts: " in out
    assert STATE_LINE not in out
    assert _states(pg_db) == []


def _edit_folder(folder: Project, name: str, doc_id: str) -> None:
    """``name`` adds a span to ``doc_id`` of the folder and marks it done."""
    text = folder.documents.get(doc_id).text
    start = text.index(" ") + 1
    with folder.session(name) as session:
        session.apply(AddSpan(doc_id, start, text.index(" ", start), "AGENCY", Snap.EXACT))
        session.apply(SetStatus(doc_id, "done", seconds=4.0))


STEP = st.one_of(
    st.tuples(st.just("import"), st.sampled_from([*PEOPLE, "dewi"]), st.integers(0, 5)),
    st.tuples(st.just("edit"), st.sampled_from(PEOPLE), st.integers(0, 29)),
    st.tuples(st.just("push"), st.sampled_from(PEOPLE), st.integers(0, 29)),
    st.tuples(st.just("documents"), st.just(""), st.integers(0, 10**6)),
)


def test_bulk_writes_leave_every_first_report_right(
    pushed: tuple[Project, str],
    pg_db: PgDb,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Any sequence of pushes, imports (new spans, rewritten annotations, a new annotator,
    documents only) and a desktop's edits between them: after each, the first report on a
    new desktop is the report computed afresh, and after each bulk write it starts from the
    state the write kept."""
    folder, url = pushed
    server = open_pg_project(url, cache_dir=tmp_path / "annotating")
    files = itertools.count()

    @settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(STEP, min_size=1, max_size=4))
    def writes(steps: list[tuple[str, str, int]]) -> None:  # on one project: they pile up
        for kind, who, which in steps:
            path = tmp_path / f"in-{next(files)}.jsonl"
            if kind == "import":
                docs = _importable(pg_db)[which : which + 3]
                _jsonl(path, docs, "DATE", which)
                run(capsys, "import", url, str(path), "--annotator", who, "--overwrite")
            elif kind == "edit":  # a desktop's edit: the kept state is behind it
                server.documents.reload()
                _edit(server, who, server.documents.ids[which])
            elif kind == "push":  # the folder edited, then pushed again
                _edit_folder(folder, who, folder.documents.ids[which])
                run(capsys, "push", str(folder.root), url)
            else:
                text = f"Berita {which} dari Surabaya.\nIsi berita."
                path.write_text(json.dumps({"id": f"new-{which}", "text": text}) + "\n", "utf-8")
                run(capsys, "import", url, str(path))
            first_report_elsewhere(pg_db, tmp_path, ready=kind != "edit")

    try:
        writes()
    finally:
        server.close()
        shutil.rmtree(tmp_path / "annotating", ignore_errors=True)


def _state_kept(db: PgDb) -> dict[str, bytes]:
    """The report states kept on the server, uncompressed, by annotators."""
    with db.admin() as conn:
        rows = conn.execute("SELECT annotators, state FROM agreement_states").fetchall()
    return {str(names): zlib.decompress(bytes(state)) for names, state in rows}


def _state_afresh(db: PgDb, tmp_path: Path, keep_parts: bool) -> dict[str, bytes]:
    """The state a lead's report on a new desktop keeps when there is none: its parts read
    from the server (``keep_parts``) or every one computed again."""
    with db.admin() as conn:
        conn.execute("DELETE FROM agreement_states")
        if not keep_parts:
            conn.execute("DELETE FROM agreement_parts")
        conn.commit()
    store = open_pg_project(db.admin_url, cache_dir=tmp_path / f"lead-{next(DESKTOPS)}")
    try:
        assert fast_report(store, choose_annotators(store, None), share=True) is not None
    finally:
        store.close()
    return _state_kept(db)


def test_the_state_a_bulk_write_keeps_is_the_one_a_report_makes_afresh(
    pg_db: PgDb,
    tmp_path: Path,
    desktop: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The state step of a push or an import lays in the parts its parts step has just kept
    from memory, reading none of them back from the server: the state it keeps is, byte for
    byte, the one a lead's report makes on a new desktop from the server's parts, and the one
    it makes computing every part again."""
    asked: list[tuple[str, str]] = []
    kept = Server.kept

    def reading(self: Server, a: str, b: str, key: str, docs: list[str] | None) -> Any:
        asked.append((a, b))
        return kept(self, a, b, key, docs)

    monkeypatch.setattr(Server, "kept", reading)
    folder = Project.init(tmp_path / "news", "news")
    fill(folder, gold=False)
    assert STATE_LINE in run(capsys, "push", str(folder.root), pg_db.admin_url)
    assert asked == [], "the push read back parts it had just kept"
    pushed = _state_kept(pg_db)
    assert list(pushed) == [json.dumps(sorted(PEOPLE))]
    assert _state_afresh(pg_db, tmp_path, keep_parts=True) == pushed
    assert asked, "the report on a new desktop reads the server's parts"
    assert _state_afresh(pg_db, tmp_path, keep_parts=False) == pushed
    # an import of a new annotator: its pairs' parts from memory, the others' from the server
    asked.clear()
    docs = _importable(pg_db)[:3]
    out = run(capsys, "import", pg_db.admin_url, str(_jsonl(tmp_path / "d.jsonl", docs, "CITY")),
              "--annotator", "dewi")  # fmt: skip
    assert STATE_LINE in out
    assert asked
    assert all("dewi" not in pair for pair in asked)
    four = json.dumps(sorted([*PEOPLE, "dewi"]))
    imported = {four: _state_kept(pg_db)[four]}
    assert _state_afresh(pg_db, tmp_path, keep_parts=True) == imported
    assert _state_afresh(pg_db, tmp_path, keep_parts=False) == imported

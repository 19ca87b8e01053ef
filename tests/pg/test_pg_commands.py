"""Every command on a server URL, against a real server: the same results as on the folder.

A folder project with three annotators, gold, a plan and an edit still in a journal is pushed
to a server; agreement, progress, stats and every export format must then come out the same
from the URL as from the folder, and from a folder pulled back from the server. The other
commands (import, assign, validate, preannotate) run on the URL; an annotator's refused
operation is one line; no password lands in a file.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from _pg_helpers import PgDb

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from _team_corpus import fill, journaled

from annotator.cli import main
from annotator.core.export import EXPORTERS
from annotator.core.pg import PermissionRefused
from annotator.core.pg import sender as pg_sender
from annotator.core.pg import session as pg_session
from annotator.core.pg.store import open_pg_project
from annotator.core.project import Project


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def as_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def pushed(
    pg_db: PgDb, tmp_path: Path, desktop: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, str]:
    """A folder project (with an edit only in its journal) pushed to a fresh database."""
    folder = Project.init(tmp_path / "news", "news")
    ids = fill(folder)
    session = journaled(folder, ids[-1])
    try:
        code, out, err = run(capsys, "push", str(folder.root), pg_db.admin_url)
    finally:
        session.close()
    assert code == 0, err
    assert "created project 'news'" in out
    assert "ani: " in out
    with pg_db.admin() as conn:  # decision 0101: the push kept the agreement parts it brought
        (kept,) = conn.execute("SELECT count(*) FROM agreement_parts").fetchone() or (0,)
    assert kept > 0
    assert f"agreement parts: {kept:,} computed and kept for the lead's reports in " in out
    return folder.root, pg_db.admin_url


def _meta(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("created_at", "seconds", "command", "out"):
        data.pop(key, None)
    data["project"].pop("path")
    return data


def _exports_equal(capsys: pytest.CaptureFixture[str], a: str, b: str, out: Path) -> None:
    for fmt in EXPORTERS:
        dirs = [out / fmt / "a", out / fmt / "b"]
        for where, into in zip((a, b), dirs, strict=True):
            code, _, err = run(capsys, "export", where, "--format", fmt, "--out", str(into),
                               "--split", "80,20", "--seed", "4")  # fmt: skip
            assert code == 0, err
        names = sorted(p.name for p in dirs[0].iterdir())
        assert names == sorted(p.name for p in dirs[1].iterdir())
        for name in names:
            x, y = dirs[0] / name, dirs[1] / name
            if name == "meta.json":
                assert _meta(x) == _meta(y), fmt
            elif name != "README.md":
                assert x.read_bytes() == y.read_bytes(), (fmt, name)


def test_server_and_folder_give_the_same_reports_and_exports(
    pushed: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, url = pushed
    for command in ("agreement", "progress", "stats"):
        here = as_json(capsys, command, str(folder), "--json")
        there = as_json(capsys, command, url, "--json")
        assert here == there, command
    agreement = as_json(capsys, "agreement", url, "--json")
    assert agreement["documents"]["compared"] >= 5
    _exports_equal(capsys, str(folder), url, tmp_path / "exports")

    snapshot = tmp_path / "snapshot"
    code, out, err = run(capsys, "pull", url, str(snapshot))
    assert code == 0, err
    assert "30 documents added" in out
    code, _, err = run(capsys, "validate", str(snapshot))
    assert code == 0, err
    for command in ("agreement", "progress", "stats"):
        assert as_json(capsys, command, str(snapshot), "--json") == as_json(
            capsys, command, str(folder), "--json"
        ), command
    _exports_equal(capsys, str(folder), str(snapshot), tmp_path / "exports-snapshot")
    code, out, err = run(capsys, "pull", url, str(snapshot))  # again: nothing to write
    assert code == 0, err
    assert "0 documents added (30 already there), 0 annotations written" in out


def test_every_command_takes_a_url(
    pushed: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, url = pushed
    source = tmp_path / "new.jsonl"
    text = "Wali Kota Medan 😀 meresmikan Kartu Prakerja di Medan.\r\nSelesai."
    at = text.index("Medan")
    record = {"id": "fresh", "text": text, "label": [[at, at + 5, "CITY"]]}
    source.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "import", url, str(source), "--annotator", "dewi")
    assert code == 0, err
    assert "agreement parts: 0 computed" in out, "dewi alone annotated it: nothing to compare"
    names = [a["name"] for a in as_json(capsys, "stats", url, "--json")["annotators"]]
    assert "dewi" in names
    plan = as_json(capsys, "assign", url, "--annotators", "ani,budi,citra", "--json")
    assert plan["documents"]["fresh"]
    assert as_json(capsys, "progress", url, "--json")["unassigned"] == 0
    code, out, err = run(capsys, "validate", url)
    assert code == 0, err
    assert "0 problems" in out
    code, out, err = run(capsys, "preannotate", url, "--source", "rules", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["documents"] == 31
    assert Path(summary["path"]).is_file()
    assert not Path(summary["path"]).is_relative_to(tmp_path / "news")


def test_an_annotator_refused_is_one_line(
    pushed: tuple[Path, str],
    pg_db: PgDb,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    password = pg_db.add_person("ani", "annotator")
    monkeypatch.setenv("PGPASSWORD", password)
    url = pg_db.url_for("ani")
    code, _, err = run(capsys, "assign", url, "--add", "zed")
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("annotator: permission denied: annotator ani cannot write assignments")
    # refused as well where ani's part of the plan would change nothing (the server then had
    # nothing to refuse and the command printed a plan made from ani's part), and a dry run
    for args, doing in (([], "write"), (["--remove", "ani"], "write"), (["--dry-run"], "plan")):
        code, out, err = run(capsys, "assign", url, *args)
        assert (code, out) == (1, ""), args
        assert err == f"annotator: permission denied: annotator ani cannot {doing} assignments\n"
    code, out, err = run(capsys, "users", "remove", url, "ani")
    assert (code, out) == (1, "")
    assert err == (
        "annotator: permission denied: user ani cannot remove users (that needs CREATEROLE)\n"
    )
    store = open_pg_project(url, cache_dir=tmp_path / "desktop")
    try:  # any caller of the store, not the command alone: refused before the plan is made
        with pytest.raises(PermissionRefused, match="annotator ani cannot write assignments"):
            store.update_assignments(lambda plan: pytest.fail("a plan made for an annotator"))
    finally:
        store.close()
    source = tmp_path / "more.txt"
    source.write_text("Rapat di Surabaya berakhir sore.\n", encoding="utf-8")
    code, _, err = run(capsys, "import", url, str(source))
    assert code == 1
    assert err.count("\n") == 1  # the import's problem line: where it stopped, and why
    assert err.startswith(f"{source}:1: not saved (documents: permission denied: annotator ani ")
    code, _, err = run(capsys, "push", str(pushed[0]), url)
    assert code == 1
    assert err.count("\n") == 1
    assert "Traceback" not in err
    # what ani may do works, and sees only ani's own work
    stats = as_json(capsys, "stats", url, "--json")
    assert [a["name"] for a in stats["annotators"]] == ["ani"]
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert password.encode() not in path.read_bytes(), path


def test_an_import_keeps_the_parts_of_what_it_brings(
    pushed: tuple[Path, str], pg_db: PgDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Decision 0101: annotations imported for an annotator on documents others finished
    have their agreement parts computed by the import, and the report is the folder's."""
    folder, url = pushed
    with pg_db.admin() as conn:
        conn.execute("DELETE FROM agreement_parts")
        conn.commit()
        done = conn.execute(
            "SELECT a.document_id, d.text, count(*) FROM annotations a JOIN documents d"
            " ON d.project_id = a.project_id AND d.id = a.document_id WHERE a.status = 'done'"
            " GROUP BY 1, 2 ORDER BY 1"
        ).fetchall()
    # a text with CRLF or a combining mark comes back from this JSONL import as another
    # text ("already in the project with a different text"): such documents are not used
    done = [r for r in done if "\r" not in r[1] and unicodedata.is_normalized("NFC", r[1])]
    source = tmp_path / "dewi.jsonl"
    lines = []
    for doc_id, text, _ in done[:4]:
        at = text.index(" ")
        lines.append(json.dumps({"id": doc_id, "text": text, "label": [[0, at, "CITY"]]}))
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for where in (url, str(folder)):
        code, _, err = run(capsys, "import", where, str(source), "--annotator", "dewi")
        assert code == 0, err
    expected = sum(n for _, _, n in done[:4])  # dewi with each who finished them
    with pg_db.admin() as conn:
        kept = conn.execute("SELECT a, b, document_id FROM agreement_parts").fetchall()
    assert len(kept) == expected
    assert all("dewi" in (a, b) for a, b, _ in kept)
    assert as_json(capsys, "agreement", url, "--json") == as_json(
        capsys, "agreement", str(folder), "--json"
    )


def _on_server(db: PgDb) -> dict[str, int]:
    """Annotations per annotator on the server (gold's from its own table)."""
    with db.admin() as conn:
        rows = conn.execute(
            "SELECT annotator, count(*) FROM annotations GROUP BY 1"
            " UNION ALL SELECT 'gold', count(*) FROM gold HAVING count(*) > 0"
        ).fetchall()
    return {str(name): int(n) for name, n in rows}


def test_a_push_and_an_import_end_once_the_server_holds_every_edit(
    pg_db: PgDb,
    tmp_path: Path,
    desktop: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server's session sends behind its outbox, and closing it waits a few seconds only
    for what is left (a window's backlog): a push or an import of thousands of annotations
    used to print them written and leave most on the desktop. Here closing waits for
    nothing and the edits go one per round trip, so every one the command did not wait
    for would be missing."""
    monkeypatch.setattr(pg_session, "SAVE_WAIT", 0.0)
    monkeypatch.setattr(pg_sender, "BATCH", 1)
    folder = Project.init(tmp_path / "news", "news")
    ids = fill(folder)
    in_folder = {}
    for name in folder.annotators(include_gold=True):
        reader = folder.session(name, read_only=True)
        in_folder[name] = sum(1 for d in reader.touched() if reader.annotation(d) is not None)
        reader.close()
    assert sum(in_folder.values()) > 50
    code, _, err = run(capsys, "push", str(folder.root), pg_db.admin_url)
    assert code == 0, err
    assert _on_server(pg_db) == in_folder
    source = tmp_path / "dewi.jsonl"
    texts = [folder.documents.get(d).text for d in ids]
    source.write_text(
        "".join(
            json.dumps({"id": d, "text": t, "label": [[0, t.index(" "), "CITY"]]}) + "\n"
            for d, t in zip(ids, texts, strict=True)
            if "\r" not in t and unicodedata.is_normalized("NFC", t)
        ),
        encoding="utf-8",
    )
    imported = len(source.read_text("utf-8").splitlines())
    code, _, err = run(capsys, "import", pg_db.admin_url, str(source), "--annotator", "dewi")
    assert code == 0, err
    assert _on_server(pg_db) == in_folder | {"dewi": imported}

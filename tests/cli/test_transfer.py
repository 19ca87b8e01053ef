"""Copying a project between stores (``push``/``pull`` use it), and opening a location.

Folder to folder here; tests/pg/test_pg_commands.py does the same through a real server.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from _team_corpus import fill, journaled

from annotator.cli import main
from annotator.core.model import Label, ProjectConfig
from annotator.core.open import open_store
from annotator.core.pg import MISSING_PSYCOPG
from annotator.core.project import CONFIG, Project, render_config
from annotator.core.transfer import copy_project


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_copy_moves_documents_annotations_journal_and_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = Project.init(tmp_path / "src")
    ids = fill(src)
    open_session = journaled(src, ids[-1])  # an edit only in the journal
    try:
        dst = Project.init(tmp_path / "dst", "src")
        copied = copy_project(Project.open(src.root), dst)
    finally:
        open_session.close()
    assert copied.documents == len(ids)
    assert set(copied.annotations) == {"ani", "budi", "citra", "gold"}
    moved = dst.annotation("ani", ids[-1])
    assert moved == src.annotation("ani", ids[-1])
    assert moved is not None
    assert moved.status == "done"
    assert (dst.root / "assignments.jsonl").read_bytes() == (
        src.root / "assignments.jsonl"
    ).read_bytes()
    assert (dst.root / "documents.jsonl").read_bytes() == (
        src.root / "documents.jsonl"
    ).read_bytes()
    for command in (["agreement", "--json"], ["progress", "--json"], ["stats", "--json"]):
        a = _json(capsys, [command[0], str(src.root), *command[1:]])
        b = _json(capsys, [command[0], str(dst.root), *command[1:]])
        assert a == b, command
    again = copy_project(Project.open(src.root), Project.open(dst.root))
    assert again.documents == 0
    assert again.present == len(ids)
    assert sum(again.annotations.values()) == 0
    assert again.unchanged == sum(copied.annotations.values())


def test_copy_refuses_other_labels(tmp_path: Path) -> None:
    src = Project.init(tmp_path / "src")
    fill(src)
    dst = Project.init(tmp_path / "dst")
    config = ProjectConfig(name="dst", labels=(Label(name="PERSON"), Label(name="PLACE")))
    (dst.root / CONFIG).write_text(render_config(config), encoding="utf-8")
    with pytest.raises(Exception, match="the labels differ"):
        copy_project(src, Project.open(dst.root))
    assert Project.open(dst.root).documents.ids == []


def test_push_and_pull_name_their_direction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Project.init(tmp_path / "p")
    assert main(["push", str(tmp_path / "p"), str(tmp_path / "q")]) == 1
    assert "not a postgresql:// URL (to copy into a folder: pull)" in capsys.readouterr().err
    assert main(["pull", str(tmp_path / "p"), str(tmp_path / "q")]) == 1
    err = capsys.readouterr().err
    assert "not a postgresql:// URL (to copy a folder: push)" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["stats", "URL"],
        ["agreement", "URL", "--json"],
        ["export", "URL", "--format", "jsonl"],
        ["progress", "URL"],
        ["assign", "URL", "--annotators", "a,b"],
        ["validate", "URL"],
        ["import", "URL", "x.txt"],
        ["preannotate", "URL"],
        ["train", "URL"],
        ["pull", "URL", "folder"],
    ],
)
def test_a_url_without_psycopg_is_one_line(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the extra were not installed
    url = "postgresql://ani@db.example/news"
    assert main([url if a == "URL" else a for a in argv]) == 1
    err = capsys.readouterr().err
    assert err == f"annotator: {MISSING_PSYCOPG}\n"


def test_open_store_opens_a_folder(tmp_path: Path) -> None:
    Project.init(tmp_path / "p")
    store = open_store(tmp_path / "p")
    assert isinstance(store, Project)
    with pytest.raises(Exception, match="is not a project"):
        open_store(tmp_path / "nothing")

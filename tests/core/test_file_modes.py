"""Files the project writes follow the umask and keep the mode of the file they replace."""

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.edit import AddSpan
from annotator.core.export import ExportOptions, export_project
from annotator.core.jsonl import atomic_write, current_umask
from annotator.core.model import Document
from annotator.core.project import Project
from annotator.core.tokens import Snap


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_current_umask_reads_without_changing(umask_022: None) -> None:
    assert current_umask() == 0o022
    os.umask(0o027)
    assert current_umask() == 0o027


def test_a_new_file_follows_the_umask(tmp_path: Path, umask_022: None) -> None:
    atomic_write(tmp_path / "a.jsonl", [b"{}\n"])
    assert mode(tmp_path / "a.jsonl") == 0o644
    os.umask(0o002)
    atomic_write(tmp_path / "b.jsonl", [b"{}\n"])
    assert mode(tmp_path / "b.jsonl") == 0o664


def test_a_rewrite_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o640)
    atomic_write(path, [b"new\n"])
    assert path.read_bytes() == b"new\n"
    assert mode(path) == 0o640


def test_annotations_journal_caches_and_exports_are_shareable(
    tmp_path: Path, umask_022: None
) -> None:
    project = Project.init(tmp_path / "p")
    project.documents.append([Document(id="a", text="Kota Bogor di Jawa Barat")])
    with project.session("ani") as session:
        session.apply(AddSpan("a", 5, 10, "CITY", Snap.EXACT))
        journal = session.journal_path
        assert mode(journal) == 0o644  # not 0o755
        session.set_status("a", "done")
    ann = project.annotations_dir / "ani.jsonl"
    assert mode(ann) == 0o644  # not 0o600
    Project.open(project.root).stats()
    caches = list((project.state_dir / "cache").glob("*.json"))
    assert caches
    assert {mode(c) for c in caches} == {0o644}
    out = tmp_path / "out"
    export_project(Project.open(project.root), ExportOptions(format="jsonl", out=out))
    assert {mode(f) for f in out.iterdir()} == {0o644}
    # a lead made the annotator's file group-writable: a save keeps that
    os.chmod(ann, 0o664)
    with Project.open(project.root).session("ani") as session:
        session.set_status("a", "done", seconds=5.0)
    assert mode(ann) == 0o664
    os.chmod(out / "all.jsonl", 0o640)
    os.chmod(out / "meta.json", 0o600)
    export_project(Project.open(project.root), ExportOptions(format="jsonl", out=out))
    assert mode(out / "all.jsonl") == 0o640
    assert mode(out / "meta.json") == 0o600
    assert json.loads((out / "meta.json").read_text())["format"] == "jsonl"

"""Bad input and bad disks: one ``path:line: reason`` each, good lines kept, saved files intact."""

import errno
import json
import os
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from _import_helpers import new_project, read, write_jsonl

from annotator.core.edit import AddSpan
from annotator.core.importers import IMPORTERS, Importer, ImportOptions, Source, import_paths
from annotator.core.importers import sources as sources_module
from annotator.core.importers.jsonl import read as read_jsonl
from annotator.core.model import Document
from annotator.core.project import Project
from annotator.core.tokens import Snap

BIG = 50_000_000


def big_line_file(path: Path, newline_after: bool = True) -> Path:
    """A good line, a 50 MB line (a JSON string that never ends), then maybe a good line."""
    with open(path, "wb") as f:
        f.write(json.dumps({"id": "a", "text": "Kota Bogor"}).encode() + b"\n")
        f.write(b'{"id": "big", "text": "')
        block = b"x" * 1_000_000
        for _ in range(BIG // len(block)):
            f.write(block)
        if newline_after:
            f.write(b'"}\n' + json.dumps({"id": "b", "text": "Kota Medan"}).encode() + b"\n")
    return path


def test_a_50mb_line_is_skipped_in_little_memory(tmp_path: Path) -> None:
    path = big_line_file(tmp_path / "big.jsonl")
    tracemalloc.start()
    try:
        records, errors = read("jsonl", path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [r.doc.id for r in records] == ["a", "b"]
    (err,) = errors
    assert err.line == 2
    assert "50.0 MB" in err.reason
    assert peak < BIG // 2  # the line is never held whole (only up to the record limit)


def test_a_50mb_file_of_one_line_without_newline(tmp_path: Path) -> None:
    path = big_line_file(tmp_path / "big.jsonl", newline_after=False)
    records, (err,) = read("jsonl", path)
    assert [r.doc.id for r in records] == ["a"]
    assert err.line == 2


def test_a_50mb_label_studio_task_stops_the_file_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "ls.json"
    with open(path, "wb") as f:
        f.write(b'[{"id": 1, "data": {"text": "Kota Bogor"}},\n{"id": 2, "data": {"text": "')
        for _ in range(BIG // 1_000_000):
            f.write(b"y" * 1_000_000)
        f.write(b'"}}]\n')
    records, (err,) = read("labelstudio", path)
    assert [r.doc.id for r in records] == ["1"]
    assert err.line == 2
    assert "MB" in err.reason


def test_a_file_deleted_between_detection_and_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = new_project(tmp_path / "p")
    good = write_jsonl(tmp_path / "good.jsonl", [{"id": "g", "text": "Kota Bogor"}])
    gone = write_jsonl(tmp_path / "gone.jsonl", [{"id": "x", "text": "Kota Medan"}])
    detect = sources_module.detect_format

    def detect_then_delete(path: Path, label_field: str | None = None) -> str:
        fmt = detect(path, label_field)
        if path == gone:
            path.unlink()
        return fmt

    monkeypatch.setattr(sources_module, "detect_format", detect_then_delete)
    summary = import_paths(project, [gone, good], ImportOptions())
    assert len(summary.problems) == 1
    assert summary.problems[0].startswith(f"{gone}:1: could not read the file: ")
    assert "No such file" in summary.problems[0]
    assert Project.open(project.root).documents.ids == ["g"]


def test_a_file_that_vanishes_mid_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = new_project(tmp_path / "p")
    path = write_jsonl(
        tmp_path / "x.jsonl", [{"id": f"d{i}", "text": f"Kota {i}"} for i in range(5)]
    )

    def flaky(source: Source) -> Iterator[object]:
        for k, item in enumerate(read_jsonl(source)):
            if k == 2:
                raise FileNotFoundError(errno.ENOENT, "No such file or directory")
            yield item

    monkeypatch.setitem(IMPORTERS, "jsonl", Importer("jsonl", "", (".jsonl",), flaky))  # type: ignore[arg-type]
    summary = import_paths(project, [path], ImportOptions())
    assert summary.problems == [f"{path}:3: could not read the file: No such file or directory"]
    assert Project.open(project.root).documents.ids == ["d0", "d1"]


def saved_project(root: Path) -> Project:
    """A project whose annotator ``ani`` already holds a saved annotation."""
    project = new_project(root)
    project.documents.append([Document(id="old", text="Wali Kota Bogor")])
    with project.session("ani") as s:
        s.apply(AddSpan("old", 10, 15, "CITY", Snap.EXACT))
        s.set_status("old", "done")
    return project


def new_records(tmp_path: Path) -> Path:
    return write_jsonl(
        tmp_path / "new.jsonl",
        [
            {
                "id": f"n{i}",
                "text": "Kota Medan",
                "spans": [{"start": 5, "end": 10, "label": "CITY"}],
            }
            for i in range(3)
        ],
    )


@pytest.mark.parametrize(
    "failure",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        PermissionError(errno.EACCES, "Permission denied"),
    ],
)
def test_a_full_or_read_only_disk_stops_with_one_line_and_harms_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: OSError
) -> None:
    project = saved_project(tmp_path / "p")
    docs_before = project.documents_path.read_bytes()
    ann_before = (project.annotations_dir / "ani.jsonl").read_bytes()
    path = new_records(tmp_path)

    def fail(*args: object) -> None:
        raise failure

    monkeypatch.setattr(os, "fsync", fail)
    summary = import_paths(Project.open(project.root), [path], ImportOptions(annotator="ani"))
    monkeypatch.undo()
    assert summary.stopped
    (problem,) = summary.problems
    assert problem.startswith(f"{path}:1: not saved (documents.jsonl: {failure.strerror})")
    assert project.documents_path.read_bytes() == docs_before  # no torn line appended
    assert (project.annotations_dir / "ani.jsonl").read_bytes() == ann_before
    # with the disk back, the same import does it all
    summary = import_paths(Project.open(project.root), [path], ImportOptions(annotator="ani"))
    assert summary.problems == []
    assert summary.annotations_written == 3


def test_a_full_disk_on_the_journal_keeps_the_annotation_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = saved_project(tmp_path / "p")
    project.documents.append([Document(id=f"n{i}", text="Kota Medan") for i in range(3)])
    ann_before = (project.annotations_dir / "ani.jsonl").read_bytes()
    journal = project.state_dir / "ani.journal"

    def full(fd: int) -> None:  # the documents exist: the first fsync is the journal's
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    summary = import_paths(project, [new_records(tmp_path)], ImportOptions(annotator="ani"))
    monkeypatch.undo()
    (problem,) = summary.problems
    assert (
        "new.jsonl:1: not saved (annotations of ani: could not save the edit: No space" in problem
    )
    assert (project.annotations_dir / "ani.jsonl").read_bytes() == ann_before
    assert journal.read_bytes() == b""  # the failed append was cut back


def test_a_full_disk_at_compaction_keeps_the_file_and_the_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = saved_project(tmp_path / "p")
    ann_path = project.annotations_dir / "ani.jsonl"
    ann_before = ann_path.read_bytes()
    path = new_records(tmp_path)
    import annotator.core.annotation_file as store

    def full(path: Path, chunks: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store, "atomic_write", full)
    summary = import_paths(Project.open(project.root), [path], ImportOptions(annotator="ani"))
    monkeypatch.undo()
    assert summary.documents_added == 3
    assert summary.annotations_written == 3
    (problem,) = summary.problems
    assert problem.startswith(f"{ann_path}: could not be rewritten (No space left on device)")
    assert ann_path.read_bytes() == ann_before
    # the journal holds the import: the next open saves it
    reopened = Project.open(project.root).session("ani")
    reopened.close()
    assert {a.id for a in Project.open(project.root).annotation_file("ani")} == {
        "old",
        "n0",
        "n1",
        "n2",
    }

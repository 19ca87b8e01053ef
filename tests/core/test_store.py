"""The journaled store: acknowledged edits survive, bad lines are kept, one writer at a time."""

import errno
import os
from dataclasses import replace
from pathlib import Path

import pytest
from _store_helpers import make_project

from annotator.core.documents import DOCUMENTS
from annotator.core.edit import AddSpan, SetStatus
from annotator.core.errors import AnnotatorError, LockedError
from annotator.core.project import Project
from annotator.core.tokens import Snap

TEXT = "Laporan Fikar W.Eda/Jakarta 🇮🇩 Kota Makassar"
CITY = len("Laporan Fikar W.Eda/")
MAKASSAR = len("Laporan Fikar W.Eda/Jakarta 🇮🇩 ")


def test_edit_is_journaled_before_it_returns(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"d1": TEXT})
    session = project.session("ani")
    session.apply(AddSpan("d1", CITY, CITY + len("Jakarta"), "CITY", Snap.EXACT))
    journal = session.journal_path.read_text("utf-8")
    assert f'"spans":[[{CITY},{CITY + 7},"CITY"]]' in journal
    # nothing compacted yet: the clean file does not exist
    assert not (project.annotations_dir / "ani.jsonl").exists()
    session.close()
    assert session.journal_path.read_bytes() == b""
    ann = Project.open(project.root).annotation_file("ani").get("d1")
    assert ann is not None
    assert [(s.start, s.text) for s in ann.spans] == [(CITY, "Jakarta")]


def test_crash_journal_is_replayed_on_open(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"d1": TEXT})
    session = project.session("ani")
    session.apply(AddSpan("d1", MAKASSAR, MAKASSAR + len("Kota Makassar"), "CITY", Snap.EXACT))
    session.set_status("d1", "done", 12.5)
    # simulate a crash: the lock dies with the process, nothing is compacted
    assert session._lock is not None
    session._lock.release()
    reopened = Project.open(project.root).session("ani")
    assert reopened.replayed == 2
    ann = reopened.annotation("d1")
    assert ann is not None
    assert ann.status == "done"
    assert ann.seconds == 12.5
    assert ann.spans[0].text == "Kota Makassar"
    # replay compacts at once
    assert (project.annotations_dir / "ani.jsonl").exists()
    assert reopened.journal_path.read_bytes() == b""
    reopened.close()


def test_torn_last_journal_line_is_dropped(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"d1": TEXT})
    session = project.session("ani")
    session.apply(AddSpan("d1", CITY, CITY + 7, "CITY", Snap.EXACT))
    assert session._lock is not None
    session._lock.release()
    with open(session.journal_path, "ab") as f:
        f.write(b'{"id":"d1","spans":[[0,7,')  # a crash mid-append: never acknowledged
    reopened = Project.open(project.root).session("ani")
    ann = reopened.annotation("d1")
    assert ann is not None
    assert [s.text for s in ann.spans] == ["Jakarta"]
    reopened.close()


def test_second_writer_is_told_who_holds_the_lock(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"d1": TEXT})
    first = project.session("ani")
    with pytest.raises(LockedError, match="open elsewhere") as info:
        Project.open(project.root).session("ani")
    assert "pid" in info.value.holder
    first.apply(AddSpan("d1", CITY, CITY + 7, "CITY", Snap.EXACT))
    viewer = Project.open(project.root).session("ani", read_only=True)
    ann = viewer.annotation("d1")  # sees the holder's journaled edit
    assert ann is not None
    assert ann.spans[0].text == "Jakarta"
    with pytest.raises(AnnotatorError, match="read-only"):
        viewer.apply(AddSpan("d1", 0, 7, "PERSON", Snap.EXACT))
    first.close()
    Project.open(project.root).session("ani").close()  # free again


def test_full_disk_refuses_the_edit_and_keeps_the_journal_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "p", {"d1": TEXT})
    session = project.session("ani")
    session.apply(AddSpan("d1", CITY, CITY + 7, "CITY", Snap.EXACT))
    before = session.journal_path.read_bytes()

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(AnnotatorError, match="No space left"):
        session.apply(AddSpan("d1", MAKASSAR, MAKASSAR + 4, "CITY", Snap.EXACT))
    monkeypatch.undo()
    assert session.journal_path.read_bytes() == before
    ann = session.annotation("d1")
    assert ann is not None
    assert len(ann.spans) == 1
    session.close()


def test_failed_compaction_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "p", {"d1": TEXT, "d2": "Kemendagri"})
    with project.session("ani") as session:
        session.apply(AddSpan("d1", CITY, CITY + 7, "CITY", Snap.EXACT))
    saved = (project.annotations_dir / "ani.jsonl").read_bytes()
    session = Project.open(project.root).session("ani")
    session.apply(AddSpan("d2", 0, 10, "AGENCY", Snap.EXACT))

    def fail(*args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(PermissionError):
        session.save()
    monkeypatch.undo()
    assert (project.annotations_dir / "ani.jsonl").read_bytes() == saved
    assert list(project.annotations_dir.glob(".*tmp")) == []
    assert session.journal_path.read_bytes()  # the edit is still safe in the journal
    session.close()
    ann = Project.open(project.root).annotation_file("ani").get("d2")
    assert ann is not None
    assert ann.spans[0].text == "Kemendagri"


def test_bad_lines_are_reported_and_kept_through_compaction(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"d1": TEXT, "d2": "Kemendagri"})
    path = project.annotations_dir / "ani.jsonl"
    bad = b'{"id": "d1", "text": "x", "spans": [}\n'
    path.write_bytes(bad)
    session = Project.open(project.root).session("ani")
    assert [str(e) for e in session.file.errors] == [
        f"{path}:1: invalid JSON: Expecting value at column 37"
    ]
    session.apply(AddSpan("d2", 0, 10, "AGENCY", Snap.EXACT))
    session.close()
    lines = path.read_bytes().splitlines(keepends=True)
    assert lines[0] == bad
    assert b"Kemendagri" in lines[1]


def test_stats_count_done_spans_per_label(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"d1": TEXT, "d2": "Kemendagri"})
    with project.session("ani") as s:
        s.apply(AddSpan("d1", CITY, CITY + 7, "CITY", Snap.EXACT))
        s.apply(AddSpan("d1", MAKASSAR, MAKASSAR + 13, "CITY", Snap.EXACT))
        s.set_status("d1", "done", 30)
        s.apply(AddSpan("d2", 0, 10, "AGENCY", Snap.EXACT))  # in progress: its span is not counted
    stats = Project.open(project.root).stats()
    (ani,) = stats["annotators"]
    assert (ani["done"], ani["in_progress"], ani["todo"]) == (1, 1, 0)
    assert ani["spans"]["CITY"] == 2
    assert ani["spans"]["AGENCY"] == 0


def test_reopening_uses_the_index_cache_and_reads_no_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "p", {f"d{i}": f"Judul {i}\nisi " * 3 for i in range(300)})
    assert len(project.documents) == 300  # builds the index and its cache

    def no_parsing(*args: object) -> None:
        raise AssertionError("a line was parsed")

    monkeypatch.setattr(
        "annotator.core.documents.DOCUMENTS", replace(DOCUMENTS, summarise=no_parsing)
    )
    docs = Project.open(project.root).documents
    assert len(docs) == 300
    assert docs.title("d7") == "Judul 7"


def test_appended_documents_extend_the_cached_index(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"d1": TEXT})
    assert len(project.documents) == 1
    with open(project.documents_path, "a", encoding="utf-8") as f:
        f.write('{"id": "d2", "text": "Kemendagri", "meta": {}}\n{not json}\n')
    docs = Project.open(project.root).documents
    assert docs.ids == ["d1", "d2"]
    assert [e.line for e in docs.errors] == [3]


def test_stats_follow_journaled_and_compacted_edits(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"d1": TEXT, "d2": "Kemendagri"})
    with project.session("ani") as s:
        s.apply(AddSpan("d2", 0, 10, "AGENCY", Snap.EXACT))
        s.set_status("d2", "done")
    assert Project.open(project.root).stats()["annotators"][0]["spans"]["AGENCY"] == 1
    live = Project.open(project.root).session("ani")
    live.apply(AddSpan("d1", CITY, CITY + 7, "CITY", Snap.EXACT))
    live.set_status("d1", "done")  # journaled only: the cached totals must not be used
    (ani,) = Project.open(project.root).stats()["annotators"]
    assert ani["done"] == 2
    assert ani["spans"]["CITY"] == 1
    live.close()
    (ani,) = Project.open(project.root).stats()["annotators"]
    assert ani["spans"] == {"PERSON": 0, "AGENCY": 1, "CITY": 1, "DATE": 0, "PROGRAM": 0}


def test_status_counts_are_the_stored_statuses_overlaid_with_the_journaled_ones(
    tmp_path: Path,
) -> None:
    texts = {f"d{i}": f"Berita {i} dari Jakarta." for i in range(8)}
    project = make_project(tmp_path / "p", texts)
    session = project.session("ani")
    for doc, status in (("d0", "done"), ("d1", "skipped"), ("d2", "done"), ("d3", "in_progress")):
        session.set_status(doc, status)
    session.save()  # these four are now in the file, the rest untouched
    session.set_status("d0", "in_progress")  # journaled over a stored one
    session.set_status("d5", "done")  # journaled, nothing stored
    change = session.prepare(SetStatus("d6", "skipped"))
    session.commit([change])
    session.apply(change.undo())  # back to untouched: a tombstone in the journal
    naive: dict[str, int] = {}
    for doc in texts:
        status = session.status(doc) or "todo"
        naive[status] = naive.get(status, 0) + 1
    assert session.status_counts() == naive
    assert naive == {"in_progress": 2, "skipped": 1, "done": 2, "todo": 3}
    session.close()


def test_an_unknown_label_is_refused_after_a_checked_edit_too(tmp_path: Path) -> None:
    """The label check looks at the changed spans only when the state before was checked
    already: a change that brings an unknown label is refused either way."""
    from annotator.core.edit import EditContext, EditError, apply_edit

    project = make_project(tmp_path / "p", {"d1": TEXT})
    session = project.session("ani")
    session.apply(AddSpan("d1", CITY, CITY + len("Jakarta"), "CITY", Snap.EXACT))
    current = session.annotation("d1")
    unchecked = EditContext("d1", TEXT, "ani", None)  # a context that lets any label through
    bad = apply_edit(current, AddSpan("d1", MAKASSAR, len(TEXT), "GPE", Snap.EXACT), unchecked)
    with pytest.raises(EditError, match="unknown label 'GPE'"):
        session.commit([bad])
    with pytest.raises(EditError, match="unknown label 'GPE'"):
        session.submit([bad])
    assert session.annotation("d1") == current
    session.close()

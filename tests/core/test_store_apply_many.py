"""Session.apply_many (an import's path): many edits journaled with one fsync, all or none."""

import errno
import os
from pathlib import Path

import pytest

from annotator.core.edit import Put
from annotator.core.errors import AnnotatorError
from annotator.core.model import Annotation, Document, make_span
from annotator.core.project import Project


def project_with(root: Path, n: int) -> Project:
    project = Project.init(root)
    project.documents.append([Document(id=f"d{i}", text=f"Kota 😀 Bogor {i}") for i in range(n)])
    return project


def ann(i: int, label: str = "CITY") -> Annotation:
    text = f"Kota 😀 Bogor {i}"
    return Annotation(
        id=f"d{i}",
        text=text,
        annotator="ani",
        status="done",
        spans=(make_span(text, 7, 12, label),),
    )


def test_one_fsync_for_the_batch_and_replayed_after_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = project_with(tmp_path / "p", 5)
    session = project.session("ani")
    calls: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(fd), real(fd))[1])
    out = session.apply_many([Put(a) for a in [ann(i) for i in range(5)]])
    monkeypatch.undo()
    assert len(calls) == 1
    assert [c.doc_id for c in out] == [f"d{i}" for i in range(5)]
    assert all(c.before is None and c.after is not None for c in out)
    # a second instance sees the journaled batch before any compaction
    other = Project.open(project.root).session("ani", read_only=True)
    assert [other.annotation(f"d{i}").spans[0].text for i in range(5)] == ["Bogor"] * 5  # type: ignore[union-attr]
    session.close()


def test_a_failed_batch_adopts_nothing_and_leaves_no_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = project_with(tmp_path / "p", 3)
    session = project.session("ani")
    session.apply(Put(ann(0)))
    journal = project.state_dir / "ani.journal"
    before = journal.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(AnnotatorError, match="No space left"):
        session.apply_many([Put(a) for a in [ann(1), ann(2)]])
    monkeypatch.undo()
    assert journal.read_bytes() == before
    assert session.annotation("d1") is None
    with pytest.raises(AnnotatorError, match="unknown label"):
        session.apply_many([Put(a) for a in [ann(1), ann(2, "GPE")]])
    assert session.annotation("d1") is None
    session.close()

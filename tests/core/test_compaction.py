"""Compaction: the index it works out equals the file indexed afresh, lines removed included."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from _store_helpers import make_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.annotation_file import annotation_kind
from annotator.core.edit import AddSpan, Change, SetStatus
from annotator.core.index import build_index
from annotator.core.project import Project
from annotator.core.tokens import Snap

TEXTS = {f"d{i}": f"Berita {i} dari Kota Bogor 🇮🇩 dan Kemendagri." for i in range(6)}
BAD = b'{"id": "broken", "spans": [}\r\n'


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(sorted(TEXTS)), st.sampled_from(["add", "done", "undo", "save"])),
        min_size=1,
        max_size=25,
    ),
    bad_at=st.integers(0, 3),
)
def test_the_index_after_compaction_is_the_files_own(
    steps: list[tuple[str, str]], bad_at: int
) -> None:
    root = Path(tempfile.mkdtemp()) / "p"
    try:
        project = make_project(root, TEXTS)
        path = project.annotations_dir / "ani.jsonl"
        # a saved file with a bad line (CRLF-ended) somewhere among good ones
        with project.session("ani") as session:
            for doc in sorted(TEXTS)[:3]:
                session.set_status(doc, "in_progress")
        lines = path.read_bytes().splitlines(keepends=True)
        lines.insert(min(bad_at, len(lines)), BAD)
        path.write_bytes(b"".join(lines))
        session = project.session("ani")
        history: dict[str, list[Change]] = {}
        for doc, what in steps:
            if what == "add":
                change = session.apply(AddSpan(doc, 0, len("Berita"), "PERSON", Snap.EXACT))
            elif what == "done":
                change = session.apply(SetStatus(doc, "done"))
            elif what == "undo" and history.get(doc):
                change = session.apply(history[doc].pop().undo())
                continue
            else:
                session.save()
                fresh = build_index(path, annotation_kind(session.file.labels), None)
                assert session.file.index.rows == fresh.rows
                assert [str(e) for e in session.file.errors] == [str(e) for e in fresh.errors]
                assert session.file.index.lines == fresh.lines
                continue
            if change.changed:
                history.setdefault(doc, []).append(change)
        expected = {doc: session.annotation(doc) for doc in TEXTS}
        session.close()
        fresh = build_index(path, annotation_kind(session.file.labels), None)
        assert session.file.index.rows == fresh.rows
        assert [e.reason for e in fresh.errors] == [e.reason for e in session.file.errors]
        assert BAD.rstrip() in path.read_bytes()  # the bad line is never rewritten away
        reopened = Project.open(root).session("ani", read_only=True)
        assert {doc: reopened.annotation(doc) for doc in TEXTS} == expected
    finally:
        shutil.rmtree(root.parent)

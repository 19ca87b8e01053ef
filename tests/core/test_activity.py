"""Reading what each annotator did: the quick reader agrees with parsing every line."""

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.activity import _fast, _slow, annotator_names, read_activity, read_work
from annotator.core.assign import Touch
from annotator.core.assignments import parse_time
from annotator.core.jsonl import dumps
from annotator.core.model import Annotation, Document, make_span
from annotator.core.project import Project

TEXT = 'Walikota Bandung 📌, Yana Mulyana,\r\nmeluncurkan program e\u0301 "Smart City" \\ 2022.'


def line(ann: Annotation) -> bytes:
    """A line exactly as the store writes it."""
    return dumps(ann.model_dump(mode="json")).encode("utf-8")


def test_store_lines_take_the_quick_path() -> None:
    spans = (make_span(TEXT, 9, 16, "CITY"),)
    ann = Annotation(
        id='id "quoted" \\ 📌',
        text=TEXT,
        spans=spans,
        status="skipped",
        annotator="ani",
        seconds=12.5,
        updated_at="2026-05-01T10:00:00Z",
        meta={"source": "x"},
    )
    raw = line(ann)
    quick = _fast(raw)
    assert quick == _slow(raw)
    assert quick == (ann.id, Touch("skipped", parse_time("2026-05-01T10:00:00Z"), 12.5))


def test_a_look_alike_inside_meta_is_not_taken_for_the_record() -> None:
    fake = ',"status":"done","annotator":"eve","text_sha256":"' + "0" * 64
    fake += '","updated_at":"2030-01-01T00:00:00Z","seconds":9,"meta":{}'
    ann = Annotation(
        id="d1",
        text="x",
        status="in_progress",
        annotator="ani",
        updated_at="2026-05-01T10:00:00Z",
        meta={"note": fake, "nested": json.loads('{"x":1' + fake + "}")},
    )
    raw = line(ann)
    assert b',"status":"done"' in raw
    assert _fast(raw) is None  # refused: the slow path reads it
    assert _slow(raw) == ("d1", Touch("in_progress", parse_time("2026-05-01T10:00:00Z"), 0.0))


@settings(max_examples=200, deadline=None)
@given(
    doc_id=st.text(min_size=1, max_size=20),
    text=st.text(max_size=50),
    status=st.sampled_from(["in_progress", "done", "skipped"]),
    seconds=st.floats(min_value=0, max_value=1e6, allow_nan=False),
    meta=st.dictionaries(st.text(max_size=10), st.text(max_size=30), max_size=3),
)
def test_quick_and_slow_agree(
    doc_id: str, text: str, status: str, seconds: float, meta: dict[str, str]
) -> None:
    ann = Annotation(
        id=doc_id, text=text, status=status, annotator="ani", seconds=seconds, meta=meta
    )  # type: ignore[arg-type]
    raw = line(ann)
    quick = _fast(raw)
    assert quick is None or quick == _slow(raw)
    assert _slow(raw) == (doc_id, Touch(status, parse_time(ann.updated_at), seconds))  # type: ignore[arg-type]


def test_read_activity_journal_first_line_wins_and_bad_lines(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    project.documents.append([Document(id=d, text=TEXT) for d in ("a", "b", "c")])
    with project.session("ani") as s:
        s.set_status("a", "done", 30)
        s.set_status("b", "skipped", 5)
    path = project.annotations_dir / "ani.jsonl"
    with open(path, "ab") as f:
        f.write(b"{broken\n")
        f.write(line(Annotation(id="a", text=TEXT, status="in_progress", annotator="ani")) + b"\n")
    session = project.session("ani")  # edits journaled, not compacted
    session.set_status("c", "in_progress", 7)
    session.set_status("b", "done", 1)
    try:
        mine = read_activity(project.root, "ani")
        assert {d: (t.status, t.seconds) for d, t in mine.items()} == {
            "a": ("done", 30.0),  # the duplicate later line does not count
            "b": ("done", 6.0),
            "c": ("in_progress", 7.0),
        }
        assert all(t.edited is not None for t in mine.values())
        journal = project.state_dir / "ani.journal"
        with open(journal, "ab") as f:
            f.write(b'{"id": "a", "status": "skipped"')  # torn: never acknowledged
        assert read_activity(project.root, "ani")["a"].status == "done"
        assert annotator_names(project.root) == ["ani"]
        assert set(read_work(project.root)) == {"ani"}
    finally:
        session.close()
    assert read_activity(project.root, "nobody") == {}

"""Property: any Unicode text with any valid spans survives save, crash-replay and reload.

The edits go through the core ``Editor``, the path the window takes.
"""

import shutil
import tempfile
from pathlib import Path

from _store_helpers import make_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.edit import Change, Editor, SetSpans, SetStatus
from annotator.core.model import STATUSES, Span, Status, make_span
from annotator.core.project import Project

LABELS = ["PERSON", "AGENCY", "CITY", "DATE", "PROGRAM"]
PIECES = [
    "Jakarta",
    "Kemendagri",
    "Banyuwangi",
    "😀",
    "🇮🇩",
    "e\u0301",
    "\r\n",
    "\n",
    " ",
    "ñ",
    "日本",
    "Selasa (30/08/2022)",
    "\u200b",
    "\ufeff",
    "\u2028",
    "\t",
    "ASCN",
]

texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=12).map("".join)


@st.composite
def annotated(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    text = draw(texts.filter(bool))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    spans = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if a < b:
            spans.append((a, b, draw(st.sampled_from(LABELS))))
    return text, spans


def state(project: Project, name: str, doc_id: str) -> tuple[object, ...] | None:
    ann = project.annotation_file(name).get(doc_id)
    if ann is None:
        return None
    return ann.text, tuple(s.key for s in ann.spans), ann.status, ann.seconds


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    docs=st.lists(annotated(), min_size=1, max_size=3),
    status=st.sampled_from(STATUSES),
    crash=st.booleans(),
    undo_last=st.booleans(),
)
def test_round_trip(
    docs: list[tuple[str, list[tuple[int, int, str]]]],
    status: Status,
    crash: bool,
    undo_last: bool,
) -> None:
    root = Path(tempfile.mkdtemp()) / "p"
    try:
        texts_by_id = {f"d{i}": text for i, (text, _) in enumerate(docs)}
        project = make_project(root, texts_by_id)
        session = project.session("ani")
        editor = Editor(session, project.documents, frozenset(LABELS))
        expected: dict[str, tuple[object, ...] | None] = {}
        steps: list[Change] = []
        for i, (text, spans) in enumerate(docs):
            doc_id = f"d{i}"
            editor.open(doc_id)
            made: tuple[Span, ...] = tuple(make_span(text, s, e, lab) for s, e, lab in spans)
            steps = [editor.apply(SetSpans(doc_id, tuple(sp.key for sp in made)))]
            steps.append(editor.apply(SetStatus(doc_id, status, 1.5)))
            expected[doc_id] = (text, tuple(sp.key for sp in made), status, 1.5)
        if undo_last:  # the last document goes back to untouched, as two undos take it
            for step in reversed(steps):
                if step.changed:
                    editor.undo(step)
            expected[f"d{len(docs) - 1}"] = None
        if crash:
            assert session._lock is not None
            session._lock.release()  # the process "dies": no compaction, journal left behind
            Project.open(root).session("ani").close()  # replay, compact
        else:
            session.close()
        reopened = Project.open(root)
        for doc_id, want in expected.items():
            assert state(reopened, "ani", doc_id) == want
            assert reopened.documents.get(doc_id).text == texts_by_id[doc_id]
        assert reopened.annotation_file("ani").errors == []
    finally:
        shutil.rmtree(root.parent)

"""The hostile-input corpus (``tests/data/hostile/``): one line per bad record, nothing lost.

Each file there is imported into a project that already holds a saved document and
annotation. ``cases.json`` says, per file, the arguments, the problems expected (line number:
a part of the reason), the notes expected, and what must be imported. Every case must end in
exit 0 with no problem, or exit 1 with exactly the expected ``path:line: reason`` lines; no
traceback; the good records imported; the saved files untouched; and the project valid
afterwards (nothing unstorable got in).
"""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from annotator.cli import main
from annotator.core.model import Document
from annotator.core.project import Project
from annotator.core.validate import validate_project

HOSTILE = Path(__file__).resolve().parent.parent / "data" / "hostile"
CASES: dict[str, dict[str, Any]] = json.loads((HOSTILE / "cases.json").read_text("utf-8"))
SAVED = {"id": "saved-1", "text": "Banjir di Kota Bogor", "spans": [
    {"start": 15, "end": 20, "label": "CITY"}
]}  # fmt: skip


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, bytes, bytes]:
    """A project with one saved document and ani's saved annotation of it."""
    root = tmp_path / "project"
    Project.init(root)
    src = tmp_path / "saved.jsonl"
    src.write_text(json.dumps(SAVED) + "\n", encoding="utf-8")
    assert main(["import", str(root), str(src), "--annotator", "ani"]) == 0
    docs = (root / "documents.jsonl").read_bytes()
    ann = (root / "annotations" / "ani.jsonl").read_bytes()
    return root, docs, ann


def test_every_file_of_the_corpus_has_a_case() -> None:
    files = {p.name for p in HOSTILE.iterdir() if p.name not in ("cases.json", "README.md")}
    assert files == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input(
    name: str, saved: tuple[Path, bytes, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    root, docs_before, ann_before = saved
    capsys.readouterr()
    path = HOSTILE / name
    code = main(["import", str(root), str(path), *case.get("args", [])])
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    expected: dict[str, str] = case.get("problems", {})
    assert code == (1 if expected else 0), out.err
    line_re = re.compile(rf"^{re.escape(str(path))}:(\d+): (note: )?(.+)$")
    problems: dict[str, list[str]] = {}
    notes: dict[str, list[str]] = {}
    for line in out.err.splitlines():
        if line.startswith("... and "):
            continue
        m = line_re.match(line)
        assert m, f"not a path:line: reason line: {line!r}"
        (notes if m.group(2) else problems).setdefault(m.group(1), []).append(m.group(3))
    assert sorted(problems, key=int) == sorted(expected, key=int), out.err
    for lineno, reason in expected.items():
        assert len(problems[lineno]) == 1, problems[lineno]
        assert reason in problems[lineno][0], problems[lineno]
    for lineno, reason in case.get("notes", {}).items():
        assert any(reason in n for n in notes.get(lineno, [])), (lineno, reason, notes)
    # nothing already saved was harmed
    assert (root / "documents.jsonl").read_bytes().startswith(docs_before)
    project = Project.open(root)
    saved_ann = project.session("ani", read_only=True).annotation("saved-1")
    assert saved_ann is not None
    assert [(s.start, s.end, s.label) for s in saved_ann.spans] == [(15, 20, "CITY")]
    if case.get("annotator", "ani") != "ani" or not case.get("annotations"):
        assert (root / "annotations" / "ani.jsonl").read_bytes() == ann_before
    # the good records are in, and only storable ones
    ids = [d for d in project.documents.ids if d != "saved-1"]
    want = case["documents"]
    if isinstance(want, int):
        assert len(ids) == want, ids
    else:
        assert ids == want
    for doc_id in ids:
        doc: Document = project.documents.get(doc_id)
        doc.text.encode("utf-8")
    who = case.get("annotator", "ani")
    written = project.session(who, read_only=True).touched() if who in project.annotators() else []
    expected_anns = case.get("annotations", 0)
    assert len([d for d in written if d != "saved-1"]) == expected_anns
    report = validate_project(root)
    assert report.problems == []

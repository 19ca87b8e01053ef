"""Two imports into one project at the same time: every document is written once."""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from annotator.core.project import Project
from annotator.core.validate import validate_project

N = 3000


def corpus(path: Path, with_ids: bool) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(N):
            text = f"Banjir melanda Kota Bogor pada hari ke-{i} bulan ini."
            record = {"text": text, "spans": [{"start": 20, "end": 25, "label": "CITY"}]}
            if with_ids:
                record["id"] = f"doc-{i}"
            f.write(json.dumps(record) + "\n")
    return path


def import_twice_at_once(tmp_path: Path, with_ids: bool) -> Path:
    root = tmp_path / "p"
    Project.init(root)
    src = corpus(tmp_path / "in.jsonl", with_ids)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "annotator", "import", str(root), str(src), "--annotator", who],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("ani", "budi")
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    return root


def check(root: Path) -> None:
    ids = [json.loads(line)["id"] for line in (root / "documents.jsonl").read_text().splitlines()]
    assert [d for d, n in Counter(ids).items() if n > 1] == []
    assert len(ids) == N
    project = Project.open(root)
    for who in ("ani", "budi"):
        session = project.session(who, read_only=True)
        touched = list(session.touched())
        assert len(touched) == N
        assert set(touched) == set(ids)
    assert validate_project(root).problems == []


def test_two_imports_at_once_write_each_document_once(tmp_path: Path) -> None:
    check(import_twice_at_once(tmp_path, with_ids=True))


def test_two_imports_at_once_of_documents_without_ids(tmp_path: Path) -> None:
    check(import_twice_at_once(tmp_path, with_ids=False))


def test_documents_added_meanwhile_are_settled_not_written_twice(tmp_path: Path) -> None:
    from annotator.core.importers import ImportOptions, import_paths
    from annotator.core.model import Document

    root = tmp_path / "p"
    Project.init(root)
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "text": "Kota Bogor", "spans": [{"start": 5, "end": 10, "label": "CITY"}]},
        {"text": "Kota Medan", "spans": [{"start": 5, "end": 10, "label": "CITY"}]},
        {"id": "c", "text": "Kota Solo", "spans": []},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    project = Project.open(root)
    assert len(project.documents) == 0  # this import has read the (empty) index
    other = Project.open(root).documents
    added: list[bool] = []

    def progress(done: int, total: int) -> None:
        if not added:  # another writer appends while this import runs
            other.append(
                [
                    Document(id="a", text="Kota Bogor"),
                    Document(id="medan", text="Kota Medan"),
                    Document(id="c", text="Kota Lain"),
                ]
            )
            added.append(True)

    summary = import_paths(project, [src], ImportOptions(annotator="ani"), progress)
    assert summary.documents_added == 0
    assert summary.documents_present == 2
    assert summary.problems == [
        f"{src}:3: document 'c' was added meanwhile (by another import) with a different "
        "text; not imported"
    ]
    ids = [json.loads(line)["id"] for line in (root / "documents.jsonl").read_text().splitlines()]
    assert ids == ["a", "medan", "c"]
    session = Project.open(root).session("ani", read_only=True)
    assert sorted(session.touched()) == ["a", "medan"]
    medan = session.annotation("medan")
    assert medan is not None
    assert [s.text for s in medan.spans] == ["Medan"]
    assert validate_project(root).problems == []

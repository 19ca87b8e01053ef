"""The lead's commands read and write through the store interface, so they work on any store.

A folder project is read twice: as the folder ``Project`` (its fast file readers) and through
``Plain``, a wrapper that offers the store interface and nothing else (no files, no indexes),
as a server store does. Agreement, export (every format), progress, stats, assignment,
validation and import must come out the same both ways.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from _team_corpus import PEOPLE, fill, journaled

from annotator.core import reads
from annotator.core.agreement.gold import against_gold, gold_json
from annotator.core.agreement.loading import load_corpus
from annotator.core.agreement.report import agreement_report, report_json
from annotator.core.assign import Assignment
from annotator.core.assignments import StoredPlan
from annotator.core.export import EXPORTERS, ExportOptions, export_project
from annotator.core.importers import ImportOptions, import_paths
from annotator.core.model import Annotation, Document, Label, ProjectConfig
from annotator.core.progress import progress_json, project_progress
from annotator.core.project import Project
from annotator.core.storage import AnnotatorStore, DocumentSource, ProjectStore
from annotator.core.team import assign, assign_options
from annotator.core.validate import validate_store


class PlainDocuments:
    """A DocumentSource with nothing of the folder's index showing."""

    def __init__(self, inner: DocumentSource) -> None:
        self.inner = inner

    @property
    def ids(self) -> list[str]:
        return self.inner.ids

    def __len__(self) -> int:
        return len(self.inner)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.inner

    def position(self, doc_id: str) -> int:
        return self.inner.position(doc_id)

    def title(self, doc_id: str) -> str:
        return self.inner.title(doc_id)

    def sha(self, doc_id: str) -> str:
        return self.inner.sha(doc_id)

    def get(self, doc_id: str) -> Document:
        return self.inner.get(doc_id)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.inner)

    def append(self, docs: Iterable[Document], by_text: Any = ()) -> Any:
        return self.inner.append(docs, by_text)

    @property
    def errors(self) -> list[Any]:
        return self.inner.errors


class PlainSession:
    """An AnnotatorStore offering the protocol's methods only."""

    def __init__(self, inner: AnnotatorStore) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        if name not in {m for m in dir(AnnotatorStore) if not m.startswith("_")}:
            raise AttributeError(name)
        return getattr(self.inner, name)


class Plain:
    """A ProjectStore offering the protocol's members only (no root, no files)."""

    def __init__(self, inner: Project) -> None:
        self.inner = inner
        self._documents = PlainDocuments(inner.documents)

    @property
    def location(self) -> str:
        return "plain:" + self.inner.location

    @property
    def config(self) -> ProjectConfig:
        return self.inner.config

    @property
    def labels(self) -> tuple[Label, ...]:
        return self.inner.labels

    @property
    def documents(self) -> PlainDocuments:
        return self._documents

    @property
    def warnings(self) -> list[str]:
        return self.inner.warnings

    def annotators(self, include_gold: bool = True) -> list[str]:
        return self.inner.annotators(include_gold)

    def annotation(self, annotator: str, doc_id: str) -> Annotation | None:
        return self.inner.annotation(annotator, doc_id)

    def session(self, name: str, read_only: bool = False) -> PlainSession:
        return PlainSession(self.inner.session(name, read_only))

    def assignments(self) -> StoredPlan | None:
        return self.inner.assignments()

    def update_assignments(
        self, change: Callable[[StoredPlan | None], Mapping[str, Assignment]]
    ) -> Mapping[str, Assignment]:
        return self.inner.update_assignments(change)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project.init(tmp_path / "news")
    fill(project)
    return Project.open(project.root)


def test_plain_is_a_store_and_not_a_folder(project: Project) -> None:
    plain = Plain(project)
    assert isinstance(plain, ProjectStore)
    assert not isinstance(plain, Project)
    assert not isinstance(plain, reads.BulkReads)
    assert not hasattr(plain.session("ani", read_only=True), "file")


def _agreement(store: ProjectStore) -> dict[str, Any]:
    raters = store.annotators(include_gold=False)
    corpus = load_corpus(store, raters, include_gold=True)
    data = report_json(agreement_report(corpus, raters))
    data["against_gold"] = gold_json(against_gold(corpus, raters))
    return data


def test_agreement_is_the_same_through_the_interface(project: Project) -> None:
    session = journaled(project, project.documents.ids[0])
    try:
        folder = _agreement(project)
        plain = _agreement(Plain(project))
    finally:
        session.close()
    assert folder == plain
    assert folder["documents"]["compared"] >= 5  # something was compared
    assert len(folder["pairs"]) == 3


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_export_files_are_the_same_through_the_interface(
    project: Project, tmp_path: Path, fmt: str
) -> None:
    outs = []
    for store, name in ((project, "folder"), (Plain(project), "plain")):
        out = tmp_path / name
        export_project(store, ExportOptions(format=fmt, out=out, split=(0.8, 0.2), seed=3))
        outs.append(out)
    names = sorted(p.name for p in outs[0].iterdir())
    assert names == sorted(p.name for p in outs[1].iterdir())
    assert any(n.startswith("train") for n in names)
    for name in names:
        a, b = (out / name for out in outs)
        if name == "meta.json":
            assert _meta(a) == _meta(b)
        elif name != "README.md":
            assert a.read_bytes() == b.read_bytes(), name


def _meta(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("created_at", "seconds", "project_path", "command", "out"):
        data.pop(key, None)
    data["project"].pop("path")  # where the project is: a folder, a URL
    return data


def test_progress_stats_and_validation_are_the_same(project: Project) -> None:
    plain = Plain(project)
    assert progress_json(project_progress(plain)) == progress_json(project_progress(project))
    assert reads.stats(plain) == project.stats()
    assert reads.work(plain) == reads.work(project)
    report = validate_store(plain)
    assert report.problems == []
    assert report.records == len(project.documents) + sum(
        len(list(project.session(n, read_only=True).touched())) for n in project.annotators()
    )


def test_assign_writes_the_same_plan(project: Project, tmp_path: Path) -> None:
    other = tmp_path / "copy"
    shutil.copytree(project.root, other)
    twin = Project.open(other)
    new_docs = [
        Document(id=f"new-{i}", text=f"Berita baru nomor {i} dari Medan.") for i in range(9)
    ]
    for store in (project, twin):
        store.documents.append(new_docs)
    a = assign(project, assign_options(project, annotators=list(PEOPLE), seed=5), now=2e9)
    b = assign(Plain(twin), assign_options(Plain(twin), annotators=list(PEOPLE), seed=5), now=2e9)
    assert a.plan == b.plan
    assert len(a.new_documents) == 9
    assert (project.root / "assignments.jsonl").read_bytes() == (
        other / "assignments.jsonl"
    ).read_bytes()


def test_import_writes_the_same_through_the_interface(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    a_text, b_text = "Wali Kota Makassar 😀 di Makassar.", "Rapat di Jakarta\r\nberakhir."
    at_a, at_b = a_text.rindex("Makassar"), b_text.index("Jakarta")
    lines = [
        {"id": "a", "text": a_text, "label": [[at_a, at_a + 8, "CITY"]]},
        {"id": "b", "text": b_text, "label": [[at_b, at_b + 7, "CITY"]]},
    ]
    source.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", "utf-8")
    made = []
    for name, wrap in (("folder", False), ("plain", True)):
        proj = Project.init(tmp_path / name)
        store: ProjectStore = Plain(proj) if wrap else proj
        summary = import_paths(store, [source], ImportOptions(annotator="ani"))
        assert summary.ok, summary.problems
        made.append(Project.open(proj.root))
    docs = [p.documents_path.read_bytes() for p in made]
    assert docs[0] == docs[1]
    assert b"Makassar" in docs[0]
    anns = [
        [
            a.model_dump(exclude={"updated_at"})
            for d in p.documents.ids
            if (a := p.annotation("ani", d))
        ]
        for p in made
    ]
    assert anns[0] == anns[1]
    assert len(anns[0]) == 2

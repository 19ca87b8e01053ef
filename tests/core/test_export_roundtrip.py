"""Export, then import into a new project: the same spans (jsonl exactly, CoNLL on tokens)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _helpers_export import TEXTS, annotate_samples, make_project, spans_of

from annotator.core.export import ExportOptions, export_project
from annotator.core.importers import ImportOptions, import_paths
from annotator.core.project import Project
from annotator.core.tokens import tokenize


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = make_project(tmp_path_factory.mktemp("roundtrip") / "p")
    annotate_samples(project)
    return project


def imported(path: Path, fmt: str, root: Path) -> Project:
    project = Project.init(root)
    summary = import_paths(project, [path], ImportOptions(format=fmt, annotator="ani"))
    # the importers take no empty document (an export keeps it: "no entities" is data)
    assert all(p.endswith("field 'text' is empty") for p in summary.problems), summary.problems
    return project


def test_jsonl_round_trip_is_exact(source: Project, tmp_path: Path) -> None:
    export_project(source, ExportOptions(format="jsonl", source="ani", out=tmp_path / "out"))
    back = imported(tmp_path / "out" / "all.jsonl", "auto", tmp_path / "back")
    assert back.documents.ids == [d for d, text in TEXTS.items() if text]
    ani = back.annotation_file("ani")
    for doc_id in back.documents.ids:
        text = TEXTS[doc_id]
        doc = back.documents.get(doc_id)
        assert doc.text == text
        assert doc.meta == source.documents.get(doc_id).meta
        ann = ani.get(doc_id)
        assert ann is not None
        assert ann.status == "done"
        assert [s.key for s in ann.spans] == sorted(spans_of(doc_id))


def test_conll_round_trip_gives_the_same_entities_over_the_tokens(
    source: Project, tmp_path: Path
) -> None:
    for scheme in ("iob2", "bilou"):
        out = tmp_path / scheme
        options = ExportOptions(format="conll", source="ani", out=out, scheme=scheme)  # type: ignore[arg-type]
        export_project(source, options)
        back = imported(out / "all.conll", "conll", tmp_path / f"back-{scheme}")
        # CoNLL has no ids and no whitespace: documents come back in order, their text the
        # tokens joined by spaces and the lines by newlines, their spans on the same tokens
        non_empty = [d for d, text in TEXTS.items() if text]
        assert len(back.documents) == len(non_empty)
        ani = back.annotation_file("ani")
        for doc_id, new_id in zip(non_empty, back.documents.ids, strict=True):
            text = TEXTS[doc_id]
            new_text = back.documents.get(new_id).text
            assert new_text.split() == [text[s:e] for s, e in tokenize(text)]
            ann = ani.get(new_id)
            assert ann is not None
            got = [(s.text.split(), s.label) for s in ann.spans]
            want = [
                ([sub[a:b] for a, b in tokenize(sub)], label)
                for s, e, label in sorted(spans_of(doc_id))
                if (sub := text[s:e])
            ]
            assert got == want

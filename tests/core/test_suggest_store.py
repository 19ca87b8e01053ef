"""Where suggestions live, and that they never count as annotations until accepted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from _helpers_suggest import tiny_project

from annotator.core.agreement.loading import load_corpus
from annotator.core.edit import AcceptSuggestions
from annotator.core.export import ExportOptions, export_project
from annotator.core.model import sha256_text
from annotator.core.project import Project
from annotator.core.suggest import (
    DEFAULT_SET,
    Suggester,
    SuggestionFile,
    set_for,
    write_set,
)
from annotator.core.suggest.record import Suggestion


def preannotate(project: Project, name: str = DEFAULT_SET) -> Path:
    suggester = Suggester(project, "rules")
    docs = project.documents
    return write_set(
        project,
        name,
        ((d, docs.sha(d), suggester.live(docs.get(d).text)) for d in docs.ids),
        "rules",
    )


def test_a_set_is_written_outside_annotations_and_read_back(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", n=3)
    path = preannotate(project)
    assert path == project.root / "suggestions" / "default.jsonl"
    assert not list(project.annotations_dir.glob("default*"))
    stored = SuggestionFile(project)
    assert len(stored) == 3
    text = project.documents.get("d000").text
    got = stored.get("d000", sha256_text(text))
    assert got == Suggester(project, "rules").live(text)
    assert got is not None
    assert all(s.source for s in got)
    line = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert set(line) == {"id", "text_sha256", "source", "spans"}
    assert set(line["spans"][0]) == {"start", "end", "label", "source", "score"}


def test_a_stored_line_for_another_text_is_not_used(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", n=2)
    preannotate(project)
    assert SuggestionFile(project).get("d000", sha256_text("a changed text")) is None
    assert SuggestionFile(project).get("missing") is None


def test_a_bad_line_is_reported_with_path_and_line_and_the_rest_still_reads(
    tmp_path: Path,
) -> None:
    project = tiny_project(tmp_path / "p", n=2)
    path = preannotate(project)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(1, '{"id": "x", "text_sha256": "abc", "spans": []}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stored = SuggestionFile(project)
    assert [str(e) for e in stored.errors] == [
        f"{path}:2: text_sha256: must be a 64-character hex digest"
    ]
    assert stored.get("d001") is not None


def test_an_annotator_sees_their_own_set_else_the_default(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", n=2)
    assert set_for(project, "ani") is None
    preannotate(project)
    found = set_for(project, "ani")
    assert found is not None
    assert found.name == DEFAULT_SET
    write_set(project, "ani", [], "rules")
    found = set_for(project, "ani")
    assert found is not None
    assert found.name == "ani"


def test_suggestions_never_count_until_accepted(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", n=6, annotator="ani")
    budi_session = project.session("budi")
    for doc_id in project.documents.ids:
        budi_session.set_status(doc_id, "done")  # budi: done, no spans at all
    budi_session.close()
    preannotate(project)
    preannotate(project, "budi")
    # the store, the annotator list and the sessions know nothing of them
    assert project.annotators() == ["ani", "budi"]
    budi = project.session("budi", read_only=True)
    assert all(budi.annotation(d).spans == () for d in project.documents.ids)  # type: ignore[union-attr]
    # nor do agreement and export
    corpus = load_corpus(project)
    assert all(not sub.spans for sub in corpus.submissions["budi"].values())
    out = tmp_path / "out"
    export_project(project, ExportOptions(format="jsonl", source="budi", out=out))
    exported = [json.loads(x) for x in (out / "all.jsonl").read_text("utf-8").splitlines()]
    assert len(exported) == 6
    assert all(rec["spans"] == [] for rec in exported)
    # accepting one makes it an ordinary span of budi's
    stored = SuggestionFile(project, "budi").get("d000")
    assert stored
    with project.session("budi") as session:
        session.apply(AcceptSuggestions("d000", (stored[0].key,)))
    export_project(project, ExportOptions(format="jsonl", source="budi", out=out))
    exported = [json.loads(x) for x in (out / "all.jsonl").read_text("utf-8").splitlines()]
    first = next(r for r in exported if r["id"] == "d000")
    assert [(s["start"], s["end"], s["label"]) for s in first["spans"]] == [stored[0].key]
    corpus = load_corpus(project)
    assert list(corpus.submissions["budi"]["d000"].spans) == [stored[0].key]


def test_suggestion_records_round_trip_their_json() -> None:
    sug = Suggestion(start=2, end=9, label="CITY", source="gazetteer", score=0.123456)
    assert Suggestion.model_validate(sug.to_json()) == sug.model_copy(update={"score": 0.1235})


def test_a_failed_write_leaves_the_previous_set_whole(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", n=3)
    path = preannotate(project)
    before = path.read_bytes()

    def failing() -> Iterator[tuple[str, str, list[Suggestion]]]:
        yield "d000", project.documents.sha("d000"), []
        raise KeyboardInterrupt  # Ctrl+C in the middle of a preannotate run

    with pytest.raises(KeyboardInterrupt):
        write_set(project, DEFAULT_SET, failing(), "rules")
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["default.jsonl"]
